"""SQLAlchemy models, grouped by aggregate. Importing this package registers every table."""

from incidentdb.models.base import Base, index_non_null_references
from incidentdb.models.casualties import CasualtyReport
from incidentdb.models.evidence import Evidence
from incidentdb.models.incidents import Incident, IncidentActor, IncidentPlace, TimelineEntry
from incidentdb.models.ledger import SeedFile, SeedFileClaim
from incidentdb.models.missions import Mission, MissionContributor, MissionIncident
from incidentdb.models.organisations import Organisation, OrganisationAlias
from incidentdb.models.people import Person, PersonRole
from incidentdb.models.places import Place
from incidentdb.models.sources import Source
from incidentdb.models.statements import Statement
from incidentdb.models.vocabularies import (
    CasualtyCategory,
    IncidentType,
    MissionKind,
    OrganisationKind,
    PlaceKind,
    Qualifier,
    TimelineKind,
)

__all__ = [
    "Base",
    "CasualtyCategory",
    "CasualtyReport",
    "Evidence",
    "Incident",
    "IncidentActor",
    "IncidentPlace",
    "IncidentType",
    "Mission",
    "MissionContributor",
    "MissionIncident",
    "MissionKind",
    "Organisation",
    "OrganisationAlias",
    "OrganisationKind",
    "Person",
    "PersonRole",
    "Place",
    "PlaceKind",
    "Qualifier",
    "SeedFile",
    "SeedFileClaim",
    "Source",
    "Statement",
    "TimelineEntry",
    "TimelineKind",
]

metadata = Base.metadata
index_non_null_references(metadata)
