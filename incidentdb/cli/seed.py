"""`incidentdb seed ...`: validate, load and list seed files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from incidentdb.cli.changes import echo_summary, summary_format_option
from incidentdb.cli.confirm import confirm_withdrawal, require_terminal_or_yes, yes_option
from incidentdb.cli.context import AppContext, pass_app
from incidentdb.cli.output import Column, format_option
from incidentdb.cli.progress import say_waiting
from incidentdb.cli.verbosity import note

PATHS = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=False)
)


@click.group()
def seed() -> None:
    """Seed files: an article's coded facts in YAML, each backed by a verbatim quote.

    \b
    Examples:
      incidentdb seed validate seeds              # check every file, touch no database
      incidentdb seed load seeds --dry-run        # what would be added, changed, removed
      incidentdb seed load seeds                  # load, all or nothing
      incidentdb seed list                        # what is loaded, from which file
      incidentdb seed unload FILE                 # withdraw a file and the rows only it defines

    The format is described in the project's documentation; `incidentdb seed schema`
    prints it as a JSON Schema.
    """


@seed.command()
@PATHS
@format_option(("table", "json"))
def validate(paths: tuple[Path, ...], fmt: str) -> None:
    """Check seed files (or folders of them) without touching any database.

    Every problem is reported as FILE:LINE:COLUMN: FIELD: MESSAGE (the first 50 shown, all
    counted); exit code 1 if any. References must be defined in the files given, so pass
    registry files too. With --format json: one object on stdout, {"valid", "files", "facts",
    "quotes"} or {"valid": false, "problem_count", "problems": [{"file", "line", "column",
    "field", "message"}]}, which lists the first 10,000 problems.

    \b
    Examples:
      incidentdb seed validate seeds
      incidentdb seed validate seeds/registry.yaml seeds/my-article.yaml
      incidentdb seed validate seeds --format json
    """
    from incidentdb.seeds.messages import SeedValidationError
    from incidentdb.seeds.run import validate_seeds

    try:
        seed_set = validate_seeds(paths)
    except SeedValidationError as exc:
        if fmt != "json":
            raise
        from dataclasses import asdict

        from incidentdb.cli.output import write_document

        problems = [asdict(p) for p in exc.problems]
        write_document("json", {"valid": False, "problem_count": exc.count, "problems": problems})
        raise SystemExit(1) from None
    facts = sum(1 for r in seed_set.rows if r.table != "evidence")
    quotes = sum(1 for r in seed_set.rows if r.table == "evidence")
    if fmt == "json":
        from incidentdb.cli.output import write_document

        result = {"valid": True, "files": len(seed_set.files), "facts": facts, "quotes": quotes}
        write_document("json", result)
        return
    click.echo(
        f"{len(seed_set.files)} file{'s' if len(seed_set.files) != 1 else ''} valid: "
        f"{facts} facts and entities, {quotes} verified quotes.",
        err=True,
    )


@seed.command()
@PATHS
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--prune",
    is_flag=True,
    help="Also withdraw the files loaded earlier from under a folder given that are no "
    "longer there (and the rows only they defined).",
)
@yes_option
@summary_format_option
@pass_app
def load(
    app: AppContext,
    paths: tuple[Path, ...],
    dry_run: bool,
    prune: bool,
    yes: bool,
    fmt: str,
) -> None:
    """Load seed files (or folders of them) into the database, all or nothing.

    Loading is a sync: an edited file updates its facts and removes those it no longer
    defines; files unchanged since their last load (same content hash) are skipped.
    A file is known by its article's source slug (or a registry's declared name), not by
    its path: `seeds`, `./seeds` or an absolute path are the same load. A row that several
    files define stays while any of them is loaded. Concurrent loads wait for each other.

    \b
    Examples:
      incidentdb seed load seeds
      incidentdb seed load seeds examples/kazakhstan-three-sources
      incidentdb seed load seeds --dry-run
      incidentdb seed load seeds --prune      # also withdraw files removed from seeds/
      incidentdb seed load seeds --format json -q > summary.json

    --prune asks before it withdraws anything (on a terminal; elsewhere it needs --yes).
    """
    from incidentdb.cli.progress import job_progress
    from incidentdb.seeds.run import load_seeds

    with job_progress("Loading seeds", None) as hooks:
        report = load_seeds(
            app.url,
            paths,
            dry_run=dry_run,
            on_wait=say_waiting,
            prune=prune,
            on_step=hooks.on_step,
            confirm=confirm_withdrawal(yes, dry_run, "seed load --prune"),
        )
    echo_summary(report, dry_run, fmt)
    if report.gone and fmt != "json":
        click.echo(
            f"{len(report.gone)} loaded file(s) are no longer under the folders given "
            f"({', '.join(report.gone[:3])}{', ...' if len(report.gone) > 3 else ''}); "
            "`incidentdb seed load --prune` withdraws them.",
            err=True,
        )


@seed.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE_OR_IDENTITY...")
@click.option("--dry-run", is_flag=True, help="Show what would be removed; write nothing.")
@yes_option
@summary_format_option
@pass_app
def unload(app: AppContext, files: tuple[str, ...], dry_run: bool, yes: bool, fmt: str) -> None:
    """Withdraw loaded files: each file's rows go, unless another loaded file still
    defines them. All or nothing.

    Name a file by its path or by its identity as `incidentdb seed list` shows it. A file
    whose rows other files still refer to (an incident that another article adds figures
    to) is refused, with the rows that refer to it.

    \b
    Examples:
      incidentdb seed unload examples/kazakhstan-three-sources/ani-2022-01-15.yaml
      incidentdb seed unload source:ani-2022-01-15-kazakhstan-toll --dry-run
      incidentdb seed unload source:ani-2022-01-15-kazakhstan-toll --yes

    It asks first on a terminal; elsewhere it needs --yes.
    """
    from incidentdb.seeds.run import unload_seeds

    if not dry_run:
        require_terminal_or_yes(yes, "seed unload")
    report = unload_seeds(
        app.url,
        files,
        dry_run=dry_run,
        on_wait=say_waiting,
        confirm=confirm_withdrawal(yes, dry_run, "seed unload"),
    )
    echo_summary(report, dry_run, fmt)


@seed.command(name="list")
@format_option()
@pass_app
def list_(app: AppContext, fmt: str) -> None:
    """List the loaded files: identity, kind, content hash, rows, when loaded, location.

    The identity names the file whatever folder it is loaded from: source:SLUG for an
    article's seed, registry:NAME for a registry, import:DATASET:CONTENT (CONTENT: the
    start of the file's hash) for an import.

    \b
    Examples:
      incidentdb seed list
      incidentdb seed list --format csv > ledger.csv
    """
    from incidentdb.cli import output
    from incidentdb.seeds.run import loaded_files

    entries = loaded_files(app.url)
    columns = ("identity", "kind", "content_hash", "row_count", "loaded_at", "location")
    rows = [{c: getattr(e, c) for c in columns} for e in entries]
    if fmt != "table":
        output.write_records(fmt, output.RowSource(columns, rows))
        return
    if not entries:
        click.echo("No seed files loaded yet (incidentdb seed load seeds).", err=True)
        return
    output.write_tables([output.Block(LEDGER_COLUMNS, rows)])


def _shown_location(row: Any) -> str | None:
    """A file's location, relative to the current folder when it lies under it."""
    import os

    location: str | None = row["location"]
    if location is None:
        return None
    relative = os.path.relpath(location)
    return location if relative.startswith("..") else relative


LEDGER_COLUMNS = (
    Column("Identity", "identity", wrap=True, min_width=24),
    Column("Kind", "kind"),
    Column("Hash", value=lambda r: r["content_hash"][:8]),
    Column("Rows", "row_count", justify="right"),
    Column("Loaded", value=lambda r: f"{r['loaded_at']:%Y-%m-%d %H:%M}"),
    Column("Location", value=_shown_location, wrap=True, min_width=24),
)


@seed.command()
def schema() -> None:
    """Print the JSON Schema of seed files, for editors that check YAML as you type.

    The schema is generated from the models that `seed validate` uses (the project's
    documentation holds a copy of this command's output). An editor catches misspelt
    fields, wrong types and unknown codes with it; quotes, references and articles are
    checked by `seed validate` only.

    \b
    Example:
      incidentdb seed schema > seed-file.schema.json

    To have an editor that uses yaml-language-server (e.g. VS Code with the YAML
    extension) check a seed file, make this its first line (the path to the schema
    file, relative to the seed file):

    \b
      # yaml-language-server: $schema=seed-file.schema.json
    """
    import json

    from incidentdb.seeds.format import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@seed.command()
@click.argument("article", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--publisher",
    metavar="SLUG-OR-NAME",
    help="The publisher: a known organisation's slug or name, or a new one's name. "
    "Default: the agency in the dateline (/TASS/, (AP), (Reuters)).",
)
@click.option(
    "--published-on",
    metavar="DATE",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date (YYYY-MM-DD). Default: from the dateline; a missing year is "
    "inferred from a weekday the text names.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the draft. Default: ARTICLE.draft.yaml next to the article.",
)
@click.option(
    "--registry",
    "registry",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="Registry file or folder of known places, organisations and persons (repeatable). "
    "Default: the seeds folder next to the article, if there is one.",
)
@click.option(
    "--database/--no-database",
    default=None,
    help="Also look known entities up in the database. Default: only when a database URL "
    "is configured; an unreachable database is skipped with a warning.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing draft.")
@pass_app
def draft(
    app: AppContext,
    article: Path,
    publisher: str | None,
    published_on: object,
    output: Path | None,
    registry: tuple[Path, ...],
    database: bool | None,
    force: bool,
) -> None:
    """Draft a seed file from an article: every fact found, each with a verbatim quote.

    Finds the dateline, dates (as ranges), casualty figures with their qualifiers, countries,
    places, organisations and persons (known ones by slug, new ones proposed), statements
    and one incident with its timeline. Every fact is marked `# review`; the header says how
    each decision was made. The draft is checked with the seed validator before it is
    written. Works offline; the database is optional.

    \b
    Examples:
      incidentdb seed draft seeds/tass-2022-01-25-csto-mission-kazakhstan.txt
      incidentdb seed draft goma.txt --publisher ap --published-on 2025-01-28
      incidentdb seed draft article.txt --registry seeds/registry.yaml -o article.yaml
    """
    import datetime as dt

    from incidentdb.draft import Gazetteer, draft_article, read_database
    from incidentdb.draft.gazetteer import read_registry
    from incidentdb.draft.writer import write_draft

    if not article.is_file():
        raise click.BadParameter(f"no such file: {article}", param_hint="ARTICLE")
    paths = list(registry)
    if not paths:
        for folder in (article.parent, article.parent / "seeds", article.parent.parent / "seeds"):
            if folder.is_dir() and any(folder.glob("*.y*ml")):
                paths = [folder]
                break
    gazetteer = read_registry(paths, Gazetteer())
    use_db = database if database is not None else app.settings.url is not None
    if use_db:
        import psycopg

        from incidentdb.errors import IncidentdbError

        try:
            read_database(app.url, gazetteer)
        except (psycopg.Error, IncidentdbError, OSError) as exc:
            # The database is optional: say so and go on with the registry files.
            click.echo(f"Warning: database not used, drafting offline ({exc})", err=True)
    day = published_on.date() if isinstance(published_on, dt.datetime) else None
    result = draft_article(article, gazetteer, publisher=publisher, published_on=day)
    target = output or article.with_name(article.stem + ".draft.yaml")
    path, facts = write_draft(result, target, gazetteer.files, force=force)
    click.echo(f"Wrote {path}: {facts} facts to review.", err=True)
    for remark in result.notes:
        note(f"Note: {remark}")
