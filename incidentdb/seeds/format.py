"""The seed file format, as pydantic models: the single definition of what a seed may hold.

The JSON Schema for editors (docs/seed-file.schema.json) is generated from these models.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    field_validator,
    model_validator,
)

from incidentdb.seeds.fields import (
    INT_MAX,
    ISO2_PATTERN,
    LANGUAGE_PATTERN,
    REPORT_REF_PATTERN,
    SHA256_PATTERN,
    AsOf,
    Count,
    Day,
    Evidence,
    Latitude,
    Longitude,
    Slug,
    Spec,
    Text,
    When,
)
from incidentdb.seeds.fields import DateRange as DateRange  # a model of the format too
from incidentdb.vocabulary import (
    CasualtyCategoryCode,
    IncidentTypeCode,
    MissionKindCode,
    OrganisationKindCode,
    PlaceKindCode,
    QualifierCode,
    TimelineKindCode,
)


class SourceSpec(Spec):
    """The article the file codes: its text file and what is printed on it."""

    slug: Slug
    file: Text = Field(description="The verbatim article text, relative to this seed file.")
    sha256: Annotated[str, StringConstraints(pattern=SHA256_PATTERN)] = Field(
        description="SHA-256 of the article file when it was coded; an edited article is refused."
    )
    title: Text
    lede: Text | None = None
    publisher: Slug | None = Field(default=None, description="Organisation slug.")
    dateline: Slug | None = Field(default=None, description="Place slug of the dateline.")
    published_on: Day | None = None
    url: Text | None = None
    language: Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)] = "en"


class PlaceSpec(Spec):
    slug: Slug
    name: Text
    kind: PlaceKindCode
    iso2: Annotated[str, StringConstraints(pattern=ISO2_PATTERN)] | None = Field(
        default=None, description="ISO 3166-1 alpha-2 code (countries); checked with pycountry."
    )
    parent: Slug | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    geo_precision: Annotated[StrictInt, Field(ge=1, le=9)] | None = None
    description: Text | None = None
    evidence: Evidence = []

    @model_validator(mode="after")
    def _country(self) -> PlaceSpec:
        if self.kind == "country" and self.iso2 is None:
            raise ValueError("a country needs its ISO 3166-1 alpha-2 code in iso2")
        if self.kind != "country" and self.iso2 is not None:
            raise ValueError("iso2 is for countries only")
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        return self


class OrganisationSpec(Spec):
    slug: Slug
    name: Text
    acronym: Text | None = None
    kind: OrganisationKindCode
    parent: Slug | None = None
    country: Slug | None = None
    aliases: list[Text] = []
    description: Text | None = None
    evidence: Evidence = []


class RoleSpec(Spec):
    title: Text
    organisation: Slug | None = None
    former: StrictBool = False
    started: When | None = None
    ended: When | None = None
    evidence: Evidence = []


class PersonSpec(Spec):
    slug: Slug
    name: Text
    description: Text | None = None
    roles: list[RoleSpec] = []
    evidence: Evidence = []


class TimelineSpec(Spec):
    slug: Slug | None = Field(
        default=None, description="Needed only when two entries share a day and kind."
    )
    occurred: When
    kind: TimelineKindCode
    description: Text
    place: Slug | None = None
    evidence: Evidence = []


ActorRole = Literal["side_a", "side_b", "actor1", "actor2", "associated", "involved"]


class ActorSpec(Spec):
    """An organisation that took part in an incident, and on which side."""

    organisation: Slug
    role: ActorRole = Field(
        default="involved",
        description="involved (default), side_a / side_b (UCDP's sides), actor1 / actor2 / "
        "associated (ACLED's).",
    )
    evidence: Evidence = []


class IncidentSpec(Spec):
    slug: Slug
    title: Text
    type: IncidentTypeCode
    description: Text | None = None
    occurred: When
    country: Slug | None = None
    places: list[Slug] = []
    parent: Slug | None = None
    actors: list[ActorSpec] = []
    timeline: list[TimelineSpec] = []
    evidence: Evidence = []


class ContributorSpec(Spec):
    organisation: Slug | None = None
    country: Slug | None = None
    personnel: Count | None = None
    evidence: Evidence = []

    @model_validator(mode="after")
    def _someone(self) -> ContributorSpec:
        if self.organisation is None and self.country is None:
            raise ValueError("a contributor needs an organisation or a country")
        return self


class MissionSpec(Spec):
    slug: Slug
    name: Text
    kind: MissionKindCode
    lead: Slug | None = Field(default=None, description="Lead organisation slug.")
    host_country: Slug | None = None
    started: When | None = None
    ended: When | None = None
    mandate: Text | None = None
    incidents: list[Slug] = []
    contributors: list[ContributorSpec] = []
    timeline: list[TimelineSpec] = []
    evidence: Evidence = []


ReportRef = Annotated[
    str,
    StringConstraints(pattern=REPORT_REF_PATTERN, max_length=401),
    Field(description="A casualty report: REPORT-SLUG (this file) or SOURCE-SLUG/REPORT-SLUG."),
]


class CasualtySpec(Spec):
    slug: Slug | None = Field(
        default=None, description="Needed only when two reports would get the same key."
    )
    incident: Slug
    category: CasualtyCategoryCode
    population: Text | None = Field(
        default=None, description="Who was counted, e.g. civilians; omit when not stated."
    )
    figure: Count
    qualifier: QualifierCode
    low: Count | None = Field(default=None, description="Lower bound, with 'approximately' only.")
    high: Count | None = Field(default=None, description="Upper bound, with 'approximately' only.")
    reported_by: Slug | None = Field(
        default=None,
        description="Organisation slug: the one that reported the figure, or that the "
        "reporting person spoke for.",
    )
    reported_by_person: Slug | None = Field(default=None, description="Person slug.")
    as_of: AsOf | None = None
    supersedes: ReportRef | None = Field(
        default=None,
        description="An earlier report of the same incident and category that this one "
        "replaces (a revised toll): its slug in this file, or SOURCE-SLUG/REPORT-SLUG for a "
        "report in another article's file. The earlier report is kept, marked superseded.",
    )
    part_of: ReportRef | None = Field(
        default=None,
        description="The report whose population this figure's is part of (19 police among "
        "225 dead): its slug in this file, or SOURCE-SLUG/REPORT-SLUG. A subset never bounds "
        "the incident's range.",
    )
    evidence: Evidence = []

    @model_validator(mode="after")
    def _bounds(self) -> CasualtySpec:
        if (self.low is not None or self.high is not None) and self.qualifier != "approximately":
            raise ValueError(
                f"low and high are derived from the qualifier {self.qualifier!r}; give them "
                "only with 'approximately'"
            )
        if self.low is not None and self.low > self.figure:
            raise ValueError(f"low ({self.low}) is above the figure ({self.figure})")
        if self.high is not None and self.high < self.figure:
            raise ValueError(f"high ({self.high}) is below the figure ({self.figure})")
        if self.supersedes is not None and self.supersedes == self.part_of:
            raise ValueError("a report cannot both supersede and be part of the same report")
        if self.qualifier == "fewer_than" and self.figure == 0:
            raise ValueError("'fewer than 0' is impossible")
        if self.qualifier == "more_than" and self.figure == INT_MAX:
            raise ValueError(
                f"'more than {INT_MAX:,}' is beyond the largest count the database holds"
            )
        return self


class StatementSpec(Spec):
    slug: Slug | None = Field(
        default=None, description="Needed only when two statements would get the same key."
    )
    speaker: Slug | None = Field(default=None, description="Person slug.")
    organisation: Slug | None = Field(
        default=None, description="Organisation slug: the speaker's, or the one that spoke."
    )
    said: When
    place: Slug | None = None
    occasion: Text | None = None
    incident: Slug | None = None
    mission: Slug | None = None
    mode: Literal["direct", "reported"]
    summary: Text
    evidence: Evidence = []

    @model_validator(mode="after")
    def _speaker(self) -> StatementSpec:
        if self.speaker is None and self.organisation is None:
            raise ValueError("a statement needs a speaker (person) or an organisation")
        return self


class MentionSpec(Spec):
    """Evidence that the article names an entity defined elsewhere (in a registry or another
    article's file), and what this article adds to it.

    An incident or mission mentioned here is only referred to: this file adds its timeline
    entries, actors or contributors, and never owns the incident or mission itself.
    """

    place: Slug | None = None
    organisation: Slug | None = None
    person: Slug | None = None
    incident: Slug | None = None
    mission: Slug | None = None
    evidence: Evidence
    timeline: list[TimelineSpec] = Field(
        default=[], description="Timeline entries this article adds to the incident or mission."
    )
    actors: list[ActorSpec] = Field(
        default=[], description="Actors this article adds to the incident."
    )
    contributors: list[ContributorSpec] = Field(
        default=[], description="Contributors this article adds to the mission."
    )

    @model_validator(mode="after")
    def _one(self) -> MentionSpec:
        named = (self.place, self.organisation, self.person, self.incident, self.mission)
        if sum(x is not None for x in named) != 1:
            raise ValueError(
                "a mention names exactly one of place, organisation, person, incident or mission"
            )
        if self.timeline and self.incident is None and self.mission is None:
            raise ValueError("timeline entries can be added to an incident or a mission only")
        if self.actors and self.incident is None:
            raise ValueError("actors can be added to an incident only")
        if self.contributors and self.mission is None:
            raise ValueError("contributors can be added to a mission only")
        return self


class SeedDocument(Spec):
    """A seed file: an article's source and the facts coded from it, or a registry of entities."""

    registry: Slug | None = Field(
        default=None,
        description="A registry's name (files without a source): its identity in the ledger, "
        "whatever folder it is loaded from. Without it, a registry is known by its absolute "
        "path.",
    )
    source: SourceSpec | None = None
    places: list[PlaceSpec] = []
    organisations: list[OrganisationSpec] = []
    persons: list[PersonSpec] = []
    incidents: list[IncidentSpec] = []
    missions: list[MissionSpec] = []
    casualty_reports: list[CasualtySpec] = []
    statements: list[StatementSpec] = []
    mentions: list[MentionSpec] = []

    @field_validator(
        "places",
        "organisations",
        "persons",
        "incidents",
        "missions",
        "casualty_reports",
        "statements",
        "mentions",
        mode="before",
    )
    @classmethod
    def _none_is_empty(cls, value: object) -> object:
        return [] if value is None else value

    @model_validator(mode="after")
    def _named_once(self) -> SeedDocument:
        if self.registry is not None and self.source is not None:
            raise ValueError(
                "a file has a source (an article's seed, known by its source slug) or a "
                "registry name, not both"
            )
        return self


def _sections() -> dict[str, type[BaseModel]]:
    import typing

    return {
        name: typing.get_args(f.annotation)[0]
        for name, f in SeedDocument.model_fields.items()
        if typing.get_origin(f.annotation) is list
    }


# The document's lists of records (places, organisations, ...) and the model of each record.
SECTIONS = _sections()


def json_schema() -> dict[str, object]:
    schema = SeedDocument.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "incidentdb seed file"
    return schema


def field_names(path: tuple[str | int, ...]) -> list[str]:
    """The fields a mapping at `path` may hold (e.g. ('casualty_reports', 0)), for hints."""
    import typing

    def model_in(annotation: object) -> type[BaseModel] | None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        for arg in typing.get_args(annotation):
            found = model_in(arg)
            if found is not None:
                return found
        return None

    model: type[BaseModel] = SeedDocument
    for part in path:
        if isinstance(part, int):
            continue
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        inner = model_in(fields[part].annotation) if part in fields else None
        if inner is None:
            return []
        model = inner
    return [f.alias or name for name, f in model.model_fields.items()]
