"""Progress of a long write (an import, a seed load) from start to commit.

On a terminal: a live line with the current step (reading, staging, writing each table)
and, when the input's size is known, a bar of the bytes read. In a pipe or a log: one line
when the job starts (the command's summary is the line at the end). `--quiet`: nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import click


@dataclass
class Hooks:
    """What the library calls back: bytes read so far, and each step as it starts."""

    on_bytes: Callable[[int], None] | None = None
    on_step: Callable[[str], None] | None = None
    steps: list[str] = field(default_factory=list)


@contextmanager
def job_progress(title: str, total_bytes: int | None, quiet: bool) -> Iterator[Hooks]:
    """Hooks for one job; `title` names it ("Importing export.csv")."""
    if quiet:
        yield Hooks()
        return
    if not sys.stderr.isatty():
        size = f" ({total_bytes:,} bytes)" if total_bytes else ""
        click.echo(f"{title}{size}...", err=True)
        yield Hooks()
        return
    with _live(title, total_bytes) as hooks:
        yield hooks


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
