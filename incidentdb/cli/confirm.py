"""Asking before a command deletes data: `db downgrade`, `seed unload`, `seed load --prune`.

On a terminal the command asks (the default answer is no); elsewhere (a script, CI) it needs
`--yes`, and without it stops before writing anything (exit 2), as `apt` or `terraform
destroy` do. `--dry-run` never asks: it writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

yes_option: Callable[[F], F] = click.option(
    "--yes", "-y", is_flag=True, help="Do not ask before deleting data (needed in scripts)."
)


def on_terminal() -> bool:
    import sys

    return sys.stdin is not None and sys.stdin.isatty()


def require_terminal_or_yes(yes: bool, what: str) -> None:
    """Stop (a usage error, nothing written) where nobody could answer and --yes is absent."""
    if not yes and not on_terminal():
        raise click.UsageError(
            f"{what} deletes data: it asks first, and where the input is not a terminal it "
            "needs --yes. Nothing was written."
        )


def confirm(question: str, yes: bool, what: str) -> bool:
    """True to go on: `yes`, or the answer on a terminal (default no)."""
    if yes:
        return True
    require_terminal_or_yes(yes, what)
    return click.confirm(question, default=False, err=True)


def confirm_withdrawal(
    yes: bool, dry_run: bool, what: str
) -> Callable[[Sequence[str]], bool] | None:
    """What `seed unload` and `--prune` ask with, given the files they would withdraw."""
    if dry_run:
        return None

    def ask(files: Sequence[str]) -> bool:
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3:,} more" if len(files) > 3 else "")
        return confirm(
            f"Withdraw {len(files):,} file(s) ({shown}) and delete the rows only they define?",
            yes,
            what,
        )

    return ask
