"""Reading seed files in worker processes gives what reading them in one process gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from incidentdb.seeds import parallel
from incidentdb.seeds.discover import find_seed_files
from incidentdb.seeds.messages import Problems, SeedValidationError
from incidentdb.seeds.validate import read_seed_set

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "seeds", ROOT / "examples" / "kazakhstan-three-sources"]


def _read(listed: list[parallel.Listed], workers: int) -> tuple[list[object], Problems]:
    problems = Problems()
    seen = [
        (item[1], None if seed is None else (seed.identity, seed.content_hash, seed.body))
        for item, seed in parallel.read_seed_files(listed, problems, workers=workers)
    ]
    return seen, problems


def test_workers_read_the_same_files_in_the_same_order() -> None:
    listed, _ = find_seed_files(FOLDERS)
    assert len(listed) >= 4
    one, one_problems = _read(listed, 1)
    two, two_problems = _read(listed, 2)
    assert two == one
    assert [s for s in one if s[1] is None] == []
    assert two_problems.count == one_problems.count == 0


def test_workers_build_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCIDENTDB_READ_WORKERS", "1")
    alone = read_seed_set(FOLDERS)
    monkeypatch.setenv("INCIDENTDB_READ_WORKERS", "2")
    shared = read_seed_set(FOLDERS)
    assert [(r.table, r.key, r.comparable(), r.definers()) for r in shared.rows] == [
        (r.table, r.key, r.comparable(), r.definers()) for r in alone.rows
    ]
    assert len(alone.rows) > 50


def _bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    shutil.copytree(ROOT / "examples" / "kazakhstan-three-sources", folder)
    (folder / "broken.yaml").write_text("places:\n  - slug: [unclosed\n", encoding="utf-8")
    (folder / "unknown.yaml").write_text(
        "".join(f"field_{i}: 1\n" for i in range(30)), encoding="utf-8"
    )
    (folder / "empty.yaml").write_text("", encoding="utf-8")
    return folder


def test_workers_report_the_same_problems_in_the_same_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _bad_folder(tmp_path)
    messages = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("INCIDENTDB_READ_WORKERS", workers)
        with pytest.raises(SeedValidationError) as caught:
            read_seed_set([folder])
        messages[workers] = (caught.value.count, [str(p) for p in caught.value.problems])
    assert messages["2"] == messages["1"]
    count, shown = messages["1"]
    assert count >= 32  # the broken file, 30 unknown fields, the empty file
    assert any("broken.yaml:3:1" in m and "not closed" in m for m in shown)
    assert any("empty.yaml:1:1" in m for m in shown)


def test_the_kept_problems_stay_capped_across_workers(tmp_path: Path) -> None:
    folder = _bad_folder(tmp_path)
    listed, _ = find_seed_files([folder])
    problems = Problems(limit=5)
    list(parallel.read_seed_files(listed, problems, workers=2))
    alone = Problems(limit=5)
    list(parallel.read_seed_files(listed, alone, workers=1))
    assert len(problems.kept) == 5
    assert problems.count == alone.count >= 32
    assert [str(p) for p in problems.kept] == [str(p) for p in alone.kept]


def test_a_small_load_reads_in_this_process() -> None:
    listed, _ = find_seed_files(FOLDERS)
    assert parallel._workers(listed) == 1  # a few small articles: no worker is started


def test_a_large_load_reads_in_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INCIDENTDB_READ_WORKERS", raising=False)
    files = []
    for i in range(parallel.MIN_FILES):
        path = tmp_path / f"f{i}.yaml"
        path.write_bytes(b"#" * (parallel.MIN_BYTES // parallel.MIN_FILES + 1))
        files.append((path, str(path), path.name))
    import os

    assert parallel._workers(files) == min(len(os.sched_getaffinity(0)), len(files))
