"""What `incidentdb db status` reports: which database, whether it answers, its revision."""

from __future__ import annotations

from dataclasses import dataclass

from incidentdb.errors import DatabaseUnavailable, SchemaError
from incidentdb.settings import Settings, mask_password


@dataclass(frozen=True)
class Status:
    url: str  # password masked
    embedded: bool
    reachable: bool
    server_version: str | None
    revision: str | None
    head: str
    problem: str | None

    @property
    def up_to_date(self) -> bool:
        return self.reachable and self.revision == self.head


def database_status(settings: Settings) -> Status:
    from sqlalchemy import text

    from incidentdb.database import connect, create_engine, database_url
    from incidentdb.migrations import check_known, head_revision

    head = head_revision()
    shown = mask_password(settings.url) if settings.url else f"embedded in {settings.home}"
    try:
        url = database_url(settings)
        shown = mask_password(url)
        engine = create_engine(url)
        try:
            with connect(engine) as conn:
                version = conn.execute(text("SHOW server_version")).scalar_one()
                try:
                    revision = check_known(conn)
                    problem = None
                except SchemaError as exc:
                    revision, problem = None, str(exc)
        finally:
            engine.dispose()
    except DatabaseUnavailable as exc:
        return Status(shown, settings.embedded, False, None, None, head, str(exc))
    return Status(shown, settings.embedded, True, version, revision, head, problem)
