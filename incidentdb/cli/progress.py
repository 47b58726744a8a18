"""Progress of a long write (an import, a seed load) from start to commit.

On a terminal: a live line with the current step (reading, staging, writing each table)
and, when the input's size is known, a bar of the bytes read. In a pipe or a log: one line
when the job starts (the command's summary is the line at the end). `--quiet`: nothing.
`--verbose`: each step is also logged as it starts, with the time since the command began.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import click

from incidentdb.cli.verbosity import Verbosity, current

_log = logging.getLogger("incidentdb.write")


@dataclass
class Hooks:
    """What the library calls back: bytes read so far, and each step as it starts."""

    on_bytes: Callable[[int], None] | None = None
    on_step: Callable[[str], None] | None = None
    steps: list[str] = field(default_factory=list)


def say_waiting() -> None:
    """When another writer holds the lock. Said even with --quiet: it explains a pause that
    may be long."""
    click.echo("Another load is running; waiting for it to finish...", err=True)


@contextmanager
def job_progress(title: str, total_bytes: int | None) -> Iterator[Hooks]:
    """Hooks for one job; `title` names it ("Importing export.csv")."""
    if current() == Verbosity.QUIET:
        yield _logged(Hooks())
        return
    if not sys.stderr.isatty():
        size = f" ({total_bytes:,} bytes)" if total_bytes else ""
        click.echo(f"{title}{size}...", err=True)
        yield _logged(Hooks())
        return
    with _live(title, total_bytes) as hooks:
        yield _logged(hooks)


def _logged(hooks: Hooks) -> Hooks:
    """The same hooks, each step also logged (shown with --verbose)."""
    shown = hooks.on_step

    def on_step(step: str) -> None:
        _log.info("%s", step)
        if shown is not None:
            shown(step)

    hooks.on_step = on_step
    return hooks


@contextmanager
def _live(title: str, total_bytes: int | None) -> Iterator[Hooks]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
    if total_bytes:
        columns += [BarColumn(), DownloadColumn()]
    columns.append(TimeElapsedColumn())
    progress = Progress(*columns, console=Console(stderr=True), transient=True)
    task = progress.add_task(f"{title}: reading", total=total_bytes or None)
    hooks = Hooks()

    def on_bytes(n: int) -> None:
        progress.update(task, completed=n)

    def on_step(step: str) -> None:
        hooks.steps.append(step)
        progress.update(task, description=f"{title}: {step}")

    hooks.on_bytes = on_bytes
    hooks.on_step = on_step
    progress.start()
    try:
        yield hooks
    finally:
        progress.stop()
