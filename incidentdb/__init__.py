"""incidentdb: a regional security incident database on PostgreSQL."""

__version__ = "0.1.0"
