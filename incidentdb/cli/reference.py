"""The command reference (docs/cli.md), generated from the commands themselves.

Every command's `--help` at a fixed width, the environment variables in one place, and shell
completion. `python scripts/cli_docs.py` writes the page; a test fails when it is stale.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

WIDTH = 88

ENVIRONMENT = (
    (
        "INCIDENTDB_DATABASE_URL",
        "The PostgreSQL server to use (`postgresql://USER:PASSWORD@HOST:PORT/DATABASE`), as "
        "`--database-url` does; without either, the embedded PostgreSQL.",
    ),
    (
        "INCIDENTDB_HOME",
        "Where the embedded PostgreSQL keeps its data (default: the user data directory, e.g. "
        "`~/.local/share/incidentdb`).",
    ),
    (
        "INCIDENTDB_READER_PASSWORD",
        "The password `bi create-reader` sets, instead of asking for it.",
    ),
    (
        "INCIDENTDB_READ_WORKERS",
        "How many processes read and validate seed files side by side (default: one per "
        "core for a load of at least 4 files and 4 MB, else 1; `1` reads in one process).",
    ),
    (
        "INCIDENTDB_TEST_DATABASE_URL",
        "For the test suite only: run the tests on this PostgreSQL server instead of an "
        "embedded one.",
    ),
    (
        "INCIDENTDB_SHARED_DATA",
        "For the test suite and benchmarks only: the folder holding the third-party datasets "
        "(UCDP, ACLED) they read, if not `../shared/data` beside the checkout.",
    ),
)

COMPLETION = """\
Shell completion comes with the command (Click's). Add one line to the shell's start-up file:

```sh
# bash, in ~/.bashrc
eval "$(_INCIDENTDB_COMPLETE=bash_source incidentdb)"
# zsh, in ~/.zshrc
eval "$(_INCIDENTDB_COMPLETE=zsh_source incidentdb)"
# fish, in ~/.config/fish/completions/incidentdb.fish
_INCIDENTDB_COMPLETE=fish_source incidentdb | source
```
"""


def _commands(
    command: click.Command, ctx: click.Context
) -> Iterator[tuple[click.Command, click.Context]]:
    yield command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                sub_ctx = click.Context(
                    sub,
                    info_name=name,
                    parent=ctx,
                    max_content_width=WIDTH,
                    terminal_width=WIDTH,
                    **sub.context_settings,
                )
                yield from _commands(sub, sub_ctx)


def render() -> str:
    """The whole page, as docs/cli.md holds it."""
    from incidentdb.cli import cli

    lines = [
        "# Command reference",
        "",
        "Every `incidentdb` command with its `--help`, generated from the commands by "
        "`python scripts/cli_docs.py` (a test checks that this page is current).",
        "",
        "## Options of every command",
        "",
        "`--database-url URL`, `--quiet`/`-q`, `--verbose`/`-v` and `--debug` go before the "
        "command's name (`incidentdb -v report summary`) or after it (`incidentdb report "
        "summary -v`). `--quiet`: no progress and no notes; `--verbose`: also the database in "
        "use, each step of a write with the seconds since the start, and the time taken, on "
        "stderr; `--debug`: also the SQL of reports, SQLAlchemy's statements and the traceback "
        "of an error. Results, summaries and errors are printed at every level.",
        "",
        "## Environment variables",
        "",
        "| Variable | What it sets |",
        "| --- | --- |",
        *(f"| `{name}` | {what} |" for name, what in ENVIRONMENT),
        "",
        "## Shell completion",
        "",
        COMPLETION,
    ]
    root = click.Context(
        cli,
        info_name="incidentdb",
        max_content_width=WIDTH,
        terminal_width=WIDTH,
        **cli.context_settings,
    )
    for command, ctx in _commands(cli, root):
        lines += [f"## {ctx.command_path}", "", "```text", command.get_help(ctx), "```", ""]
    return "\n".join(lines)
