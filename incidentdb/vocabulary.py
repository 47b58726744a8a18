"""The codes of the controlled vocabularies, for validating seed files without a database.

The reference tables themselves are filled by the migrations; a test checks that these
codes and the tables agree.
"""

from __future__ import annotations

from typing import Literal

IncidentTypeCode = Literal[
    "unrest",
    "protest",
    "riot",
    "coup_attempt",
    "armed_clash",
    "attack",
    "explosion",
    "violence_against_civilians",
    "state_based_conflict",
    "non_state_conflict",
    "one_sided_violence",
    "strategic_development",
    "other",
]
TimelineKindCode = Literal[
    "protest",
    "escalation",
    "riot",
    "claim",
    "deployment",
    "meeting",
    "order_restored",
    "emergency_declared",
    "emergency_lifted",
    "withdrawal",
    "casualties",
    "other",
]
CasualtyCategoryCode = Literal["killed", "injured", "detained", "arrested", "missing", "displaced"]
QualifierCode = Literal["exact", "approximately", "at_least", "more_than", "at_most", "fewer_than"]
OrganisationKindCode = Literal[
    "intergovernmental",
    "intergovernmental_body",
    "military_force",
    "government",
    "state_agency",
    "armed_group",
    "political_party",
    "media",
    "ngo",
    "civilian_group",
    "other",
]
MissionKindCode = Literal[
    "peacekeeping", "observer", "training", "combat", "humanitarian", "political", "other"
]
PlaceKindCode = Literal[
    "country", "supranational_region", "admin1", "admin2", "admin3", "city", "locality", "area"
]

VOCABULARY_TYPES = {
    "incident_type": IncidentTypeCode,
    "timeline_kind": TimelineKindCode,
    "casualty_category": CasualtyCategoryCode,
    "qualifier": QualifierCode,
    "organisation_kind": OrganisationKindCode,
    "mission_kind": MissionKindCode,
    "place_kind": PlaceKindCode,
}


def bounds(qualifier: str, figure: int) -> tuple[int | None, int | None]:
    """The (count_low, count_high) a qualified figure implies; see the qualifier table."""
    if qualifier == "exact":
        return figure, figure
    if qualifier == "at_least":
        return figure, None
    if qualifier == "more_than":
        return figure + 1, None
    if qualifier == "at_most":
        return 0, figure
    if qualifier == "fewer_than":
        return 0, figure - 1
    return None, None  # approximately: only explicit bounds
