"""Reading and validating seed files on every core when a load is large.

Parsing YAML and validating records is Python work, one file at a time, and most of a large
load's reading time: with several files, worker processes read them side by side while this
process turns the files already read into rows. Results come back in the order given, so
rows, problems and messages are the same as a reading in one process. Small loads (most
real ones: a few articles) read in this process, where starting workers would cost more
than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from incidentdb.seeds.discover import read_seed_file
from incidentdb.seeds.messages import Problems
from incidentdb.seeds.model import SeedFile
from incidentdb.seeds.yamlfile import Located

# Below these, one process reads: a worker takes about half a second to start and import.
MIN_FILES = 4
MIN_BYTES = 4 * 1024 * 1024
Listed = tuple[Path, str, str]  # path, path as shown, legacy name


def read_seed_files(
    listed: list[Listed], problems: Problems, workers: int | None = None
) -> Iterator[tuple[Listed, SeedFile | None]]:
    """Each listed file read and validated (None if it has problems, added to `problems`),
    in the order listed."""
    count = _workers(listed) if workers is None else workers
    if count < 2:
        for item in listed:
            yield item, read_seed_file(*item, problems)
        return
    yield from _in_workers(listed, problems, count)


def _workers(listed: list[Listed]) -> int:
    setting = os.environ.get("INCIDENTDB_READ_WORKERS")
    if setting is not None and setting.strip().isdigit():
        return int(setting)
    if len(listed) < MIN_FILES:
        return 1
    size = 0
    for path, _, _ in listed:
        try:
            size += path.stat().st_size
        except OSError:
            return 1  # the reading reports it
    return min(len(os.sched_getaffinity(0)), len(listed)) if size >= MIN_BYTES else 1


def _in_workers(
    listed: list[Listed], problems: Problems, count: int
) -> Iterator[tuple[Listed, SeedFile | None]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: a worker is a new interpreter, never a fork of this process, whose database
    # connection (holding the writers' lock) a forked child would share; and as this
    # process's own child it ends when this process does, killed or not.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(count, mp_context=context, initializer=_worker_started)
    try:
        # At most two files per worker in flight: the files read wait here, in memory.
        pending = []
        queue = iter(listed)
        for item in queue:
            pending.append((item, pool.submit(_read_one, item, problems.limit)))
            if len(pending) >= 2 * count:
                break
        while pending:
            item, future = pending.pop(0)
            seed, found, count_found = future.result()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(_read_one, nxt, problems.limit)))
            problems.extend(found)
            problems.counted(count_found - len(found))
            yield item, seed
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_started() -> None:
    """In a worker: Ctrl-C is the parent's to handle, the worker ends with its parent, and
    collects garbage as a load does."""
    import gc
    import signal

    from incidentdb.write.gc_tuning import LOAD_THRESHOLDS

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*LOAD_THRESHOLDS)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown still applies
        pass


def _read_one(item: Listed, limit: int) -> tuple[SeedFile | None, list[Located], int]:
    found = Problems(limit)
    seed = read_seed_file(*item, found)
    return seed, list(found.kept), found.count
