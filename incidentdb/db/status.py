"""What `incidentdb db status` reports: which database, whether it answers, its revision."""

from __future__ import annotations

from dataclasses import dataclass

from incidentdb.db.settings import Settings, mask_password
from incidentdb.errors import DatabaseUnavailable, SchemaError


@dataclass(frozen=True)
class Status:
    url: str  # password masked
    embedded: bool
    reachable: bool
    server_version: str | None
    revision: str | None
    head: str
    problem: str | None
    serving: str | None = None  # the embedded server's TCP state, in words

    @property
    def up_to_date(self) -> bool:
        return self.reachable and self.revision == self.head


def database_status(settings: Settings) -> Status:
    from sqlalchemy import text

    from incidentdb.db.engine import connect, create_engine, database_url
    from incidentdb.db.migrations import check_known, head_revision

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
    serving = serving_status(settings) if settings.embedded else None
    return Status(shown, settings.embedded, True, version, revision, head, problem, serving)


def serving_status(settings: Settings) -> str:
    """Whether `db serve` serves the embedded database over TCP, and how, in words."""
    from incidentdb.db.embedded import running_server
    from incidentdb.db.serve import listening_on, serving_state

    home = settings.home
    server = running_server(home)
    state = serving_state(home)
    tcp = listening_on(home) if server is not None else None
    if state is not None and state.alive:
        how = "TLS required" if state.tls else "no TLS"
        return (
            f"TCP {state.host}:{state.port}, password logins, {how} "
            f"(incidentdb db serve, process {state.pid})"
        )
    if tcp and server is not None:
        return (
            f"TCP {tcp}:{server.port} is open but no `incidentdb db serve` serves it"
            + (f" (process {state.pid} is gone)" if state else "")
            + "; run `incidentdb db serve` to take it over and stop it, or `incidentdb db stop`"
        )
    if state is not None:
        return (
            f"no; process {state.pid}, which served it, is gone and left its pg_hba.conf rules "
            "(the next `incidentdb db serve` or `db stop` removes them)"
        )
    return "no (local socket only)"
