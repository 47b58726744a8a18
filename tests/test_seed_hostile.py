"""Hostile seed files: every value the database would refuse is refused by validation first,
with file:line:column and the field, and the database stays exactly as it was."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import SEEDS, Invoker
from tests.snapshots import snapshot

ARTICLE = "tass-2022-01-25-csto-mission-kazakhstan"


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if needle in text)


def refused(run: Invoker, db: psycopg.Connection[Any], *args: str) -> str:
    before = snapshot(db)
    for command in ("validate", "load"):
        result = run("seed", command, *args)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
    assert snapshot(db) == before
    return str(result.output)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("figure: 225", "figure: 2147483648", "expected a number of at most 2147483647"),
        (
            "figure: 4500\n    qualifier: more_than",
            "figure: 2147483647\n    qualifier: more_than",
            "'more than 2,147,483,647' is beyond the largest count",
        ),
    ],
)
def test_a_figure_beyond_the_database_is_refused(
    run: Invoker, db: psycopg.Connection[Any], seeds: Path, old: str, new: str, message: str
) -> None:
    seed = seeds / f"{ARTICLE}.yaml"
    edit(seed, old, new)
    output = refused(run, db, str(seeds))
    assert f"{seed}:" in output and "casualty_reports[" in output and message in output


def test_huge_personnel_is_refused(run: Invoker, db: psycopg.Connection[Any], seeds: Path) -> None:
    seed = seeds / f"{ARTICLE}.yaml"
    edit(
        seed,
        "    incidents: [2022-kazakhstan-unrest]\n",
        "    incidents: [2022-kazakhstan-unrest]\n    contributors:\n      - country: ru\n"
        "        personnel: 99999999999999999999\n        evidence: the mission in Kazakhstan\n",
    )
    line = line_of(seed, "personnel: 9999")
    output = refused(run, db, str(seeds))
    assert f"{seed}:{line}:20: missions[0].contributors[0].personnel: expected a number" in output


@pytest.mark.parametrize("target", ["/etc/passwd", "../outside.txt", "/dev/zero", "sub"])
def test_source_file_must_be_the_seed_folders_own(
    run: Invoker, db: psycopg.Connection[Any], seeds: Path, tmp_path: Path, target: str
) -> None:
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    (seeds / "sub").mkdir()
    seed = seeds / f"{ARTICLE}.yaml"
    edit(seed, f"file: {ARTICLE}.txt", f"file: {target}")
    output = refused(run, db, str(seeds))
    line = line_of(seed, f"file: {target}")
    assert f"{seed}:{line}:9: source.file:" in output
    assert "expected an article file in the seed file's folder" in output or (
        "expected a regular file" in output
    )
    assert "secret" not in output


def test_an_article_over_the_size_limit_is_not_read(
    run: Invoker, db: psycopg.Connection[Any], seeds: Path
) -> None:
    from incidentdb.seeds.discover import MAX_ARTICLE_BYTES

    big = seeds / "big.txt"
    with big.open("wb") as f:
        f.truncate(MAX_ARTICLE_BYTES + 1)
    edit(seeds / f"{ARTICLE}.yaml", f"file: {ARTICLE}.txt", "file: big.txt")
    assert "bytes; at most 10,485,760 are read" in refused(run, db, str(seeds))


def test_blank_evidence_is_not_a_quote(
    run: Invoker, db: psycopg.Connection[Any], seeds: Path
) -> None:
    seed = seeds / f"{ARTICLE}.yaml"
    edit(
        seed,
        "evidence: According to Kazakh authorities, 225 people were killed in the upheaval\n",
        'evidence: "   "\n',
    )
    line = line_of(seed, 'evidence: "   "')
    output = refused(run, db, str(seeds))
    assert f"{seed}:{line}:15: casualty_reports[0].evidence" in output
    assert "only white space" in output


def _places(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(f"registry: {name}\nplaces:\n{body}", encoding="utf-8")
    return path


def test_a_parent_cycle_built_across_two_runs_is_refused(
    run: Invoker, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    a = _places(
        tmp_path, "a", "  - slug: north\n    name: North\n    kind: area\n    parent: south\n"
    )
    b = _places(tmp_path, "b", "  - slug: south\n    name: South\n    kind: area\n")
    assert run("seed", "load", str(a), str(b)).exit_code == 0
    edit(b, "    kind: area\n", "    kind: area\n    parent: north\n")
    before = snapshot(db)
    result = run("seed", "load", str(b))
    assert result.exit_code == 1, result.output
    assert f"{b}:3:5: places[0]: place 'south': its parents lead back to it" in result.output
    assert snapshot(db) == before


def test_a_parent_cycle_within_one_run_names_file_and_line(
    run: Invoker, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    a = _places(
        tmp_path,
        "a",
        "  - slug: north\n    name: North\n    kind: area\n    parent: south\n"
        "  - slug: south\n    name: South\n    kind: area\n    parent: north\n",
    )
    before = snapshot(db)
    result = run("seed", "load", str(a))
    assert result.exit_code == 1, result.output
    assert f"{a}:3:5: places[0]: place 'north'" in result.output
    assert "form a cycle" in result.output
    assert snapshot(db) == before
