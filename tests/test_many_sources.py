"""Several articles on one incident: files that refer to and add to what others define,
ownership by definition, stable file identities, withdrawing files, and casualty ranges that
never mix in subsets or superseded figures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import REPO, SEEDS, Invoker
from tests.snapshots import snapshot

EXAMPLE = REPO / "examples" / "kazakhstan-three-sources"
INCIDENT = "2022-kazakhstan-unrest"
AP = "ap-2022-01-15-kazakhstan-toll"
ANI = "ani-2022-01-15-kazakhstan-toll"


def ok(run: Invoker, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.output


def refused(result: Any, exit_code: int = 1) -> str:
    assert result.exit_code == exit_code, result.output
    return str(result.output)


def rows(db: psycopg.Connection[Any], query: str, *params: Any) -> list[dict[str, Any]]:
    with db.cursor(row_factory=psycopg.rows.dict_row) as cur:
        return cur.execute(query, params).fetchall()


@pytest.fixture
def three(run: Invoker) -> None:
    """The TASS seeds and the AP and ANI example files, loaded together."""
    ok(run, "seed", "load", str(SEEDS), str(EXAMPLE))


def without_ledger(snap: dict[str, Any]) -> dict[str, Any]:
    return {t: r for t, r in snap.items() if t not in ("seed_file", "seed_file_claim")}


# -- the example: three sources, one incident ----------------------------------------------


def test_the_example_gives_the_ranges_by_rule(three: None, db: psycopg.Connection[Any]) -> None:
    [incident] = rows(db, "SELECT * FROM reporting.incidents WHERE incident_slug = %s", INCIDENT)
    assert (incident["killed_low"], incident["killed_high"]) == (225, 225)
    assert incident["killed_source_count"] == 3
    assert (incident["injured_low"], incident["injured_high"]) == (4301, None)
    assert incident["injured_source_count"] == 3
    assert incident["source_count"] == 3
    # The latest current figures: TASS's, published 25 January (the others are of the 15th).
    assert (incident["killed_latest"], incident["killed_latest_on"].isoformat()) == (
        "225",
        "2022-01-25",
    )
    assert incident["injured_latest"] == "more than 4,500"
    assert incident["injured_latest_source_slug"] == "tass-2022-01-25-csto-mission-kazakhstan"


def test_the_example_keeps_subsets_and_superseded_figures_apart(
    three: None, db: psycopg.Connection[Any]
) -> None:
    reports = {
        (r["source_slug"], r["category"], r["reported_count"]): r
        for r in rows(
            db, "SELECT * FROM reporting.casualty_reports WHERE incident_slug = %s", INCIDENT
        )
    }
    assert len(reports) == 9
    earlier = reports[(AP, "killed", 164)]
    assert (earlier["status"], earlier["in_range"]) == ("superseded", False)
    assert earlier["superseded_by_key"] == f"{INCIDENT}/{AP}/killed"
    assert (earlier["as_of_from"], earlier["as_of_to"].isoformat()) == (None, "2022-01-14")
    assert reports[(AP, "killed", 225)]["supersedes_key"] == f"{INCIDENT}/{AP}/killed-earlier"
    police = reports[(AP, "killed", 19)]
    assert (police["status"], police["in_range"], police["part_of_key"]) == (
        "subset",
        False,
        f"{INCIDENT}/{AP}/killed",
    )
    security = reports[(ANI, "injured", 3393)]
    assert (security["status"], security["part_of_key"]) == ("subset", f"{INCIDENT}/{ANI}/injured")
    counted = sorted(k for k, r in reports.items() if r["in_range"])
    assert counted == sorted(
        [
            ("tass-2022-01-25-csto-mission-kazakhstan", "killed", 225),
            ("tass-2022-01-25-csto-mission-kazakhstan", "injured", 4500),
            (AP, "killed", 225),
            (AP, "injured", 4300),
            (ANI, "killed", 225),
            (ANI, "injured", 4353),
        ]
    )
    for r in reports.values():  # every row carries its category's range, whatever its status
        assert (r["range_low"], r["range_high"]) == (
            (225, 225) if r["category"] == "killed" else (4301, None)
        )
    # A person reports for an organisation: both are kept.
    by = reports[(ANI, "killed", 225)]
    assert by["reported_by"] == "Serik Shalabayev (Prosecutor General's Office of Kazakhstan)"
    assert by["reported_by_slug"] == "serik-shalabayev"


def test_report_casualties_shows_the_ranges_and_what_is_set_aside(
    run: Invoker, three: None
) -> None:
    data = json.loads(ok(run, "report", "casualties", "--incident", INCIDENT, "--format", "json"))
    assert {(r["status"], r["reported_count"]) for r in data if not r["in_range"]} == {
        ("superseded", 164),
        ("subset", 19),
        ("subset", 3393),
    }
    table = ok(run, "report", "casualties", "--incident", INCIDENT)
    ranges = table[table.index("Range per incident") :]
    killed = next(line for line in ranges.splitlines() if " killed " in line).split()
    injured = next(line for line in ranges.splitlines() if " injured " in line).split()
    # Incident, category, reports, low, high, sources (… latest, set aside)
    assert killed[:6] == [INCIDENT, "killed", "3", "225", "225", "3"]
    assert killed[-1] == "2"  # the superseded 164 and the 19 police
    assert injured[:6] == [INCIDENT, "injured", "3", "4,301", "—", "3"]
    assert injured[-1] == "1"  # the 3,393 security personnel


def test_the_dossier_reads_the_same_rule(run: Invoker, three: None) -> None:
    dossier = json.loads(ok(run, "report", "incident", INCIDENT, "--format", "json"))
    incident = dossier["incident"]
    assert (incident["killed_low"], incident["killed_high"]) == (225, 225)
    assert (incident["injured_low"], incident["injured_high"]) == (4301, None)
    assert incident["source_count"] == 3
    statuses = sorted(r["status"] for r in dossier["casualty_reports"])
    assert statuses == ["current"] * 6 + ["subset"] * 2 + ["superseded"]
    text = ok(run, "report", "incident", INCIDENT)
    assert "Killed, latest" in text and "superseded" in text and "subset" in text


def test_a_mention_adds_timeline_entries_to_an_incident_it_does_not_own(
    three: None, db: psycopg.Connection[Any]
) -> None:
    [entry] = rows(
        db,
        "SELECT t.key, i.slug, f.identity FROM timeline_entry t JOIN incident i "
        "ON i.id = t.incident_id JOIN seed_file f ON f.id = t.seed_file_id WHERE t.key LIKE %s",
        f"{INCIDENT}/{AP}/%",
    )
    assert entry["slug"] == INCIDENT and entry["identity"] == f"source:{AP}"
    [owner] = rows(
        db,
        "SELECT f.identity FROM incident i JOIN seed_file f ON f.id = i.seed_file_id "
        "WHERE i.slug = %s",
        INCIDENT,
    )
    assert owner["identity"] == "source:tass-2022-01-25-csto-mission-kazakhstan"


# -- withdrawing ---------------------------------------------------------------------------


def test_unloading_a_source_removes_exactly_its_rows(
    run: Invoker, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    folder = Path(shutil.copytree(EXAMPLE, tmp_path / "three"))
    ani = folder / f"{ANI}.yaml"
    ani_text = folder / f"{ANI}.txt"
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    ani.rename(hidden / ani.name)
    ok(run, "seed", "load", str(SEEDS), str(folder))
    before = without_ledger(snapshot(db))
    (hidden / ani.name).rename(ani)
    assert ani_text.exists()
    ok(run, "seed", "load", str(SEEDS), str(folder))
    assert without_ledger(snapshot(db)) != before
    dry = ok(run, "seed", "unload", str(ani), "--dry-run")
    assert "would withdraw" in dry and "(dry run: nothing written)" in dry
    out = ok(run, "seed", "unload", "--yes", str(ani))
    # ANI's source, its three figures and the eight quotes behind them and its mentions
    assert "withdrawn" in out and "removed 12." in out
    assert without_ledger(snapshot(db)) == before  # not a row more, not a row less
    identities = {r[0] for r in db.execute("SELECT identity FROM seed_file")}
    assert f"source:{ANI}" not in identities and f"source:{AP}" in identities


def test_unload_by_identity_and_unknown_names(run: Invoker, three: None) -> None:
    out = ok(run, "seed", "unload", "--yes", f"source:{ANI}")
    assert "withdrawn" in out
    message = refused(run("seed", "unload", "--yes", f"source:{ANI}", "nothing-here.yaml"))
    assert f"source:{ANI}: not in the ledger" in message
    assert "nothing-here.yaml: not in the ledger" in message


def test_withdrawing_a_file_that_repeats_an_entity_keeps_it(
    run: Invoker, db: psycopg.Connection[Any]
) -> None:
    """The TASS article repeats the two persons (to give their roles) that the registry
    defines: the persons stay while either file is loaded."""
    ok(run, "seed", "load", str(SEEDS))
    ok(run, "seed", "unload", "--yes", str(SEEDS / "tass-2022-01-25-csto-mission-kazakhstan.yaml"))
    persons = {r[0] for r in db.execute("SELECT slug FROM person")}
    assert persons == {"nikolay-bordyuzha", "kassym-jomart-tokayev"}
    assert db.execute("SELECT count(*) FROM person_role").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM incident").fetchone() == (0,)
    ok(run, "seed", "unload", "--yes", str(SEEDS / "registry.yaml"))
    assert db.execute("SELECT count(*) FROM person").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM seed_file").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM seed_file_claim").fetchone() == (0,)


def test_withdrawing_the_registry_keeps_what_the_article_defines(
    run: Invoker, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    """The registry cannot go while the article refers to its organisations; once nothing
    refers to them, the persons that the article defines too pass to the article."""
    ok(run, "seed", "load", str(SEEDS))
    before = snapshot(db)
    message = refused(run("seed", "unload", "--yes", str(SEEDS / "registry.yaml")))
    assert "cannot remove organisation" in message and "still refer to it" in message
    assert "Traceback" not in message
    assert snapshot(db) == before

    # A registry holding only the persons: withdrawing it keeps them for the article.
    registry = tmp_path / "persons.yaml"
    registry.write_text(
        "registry: persons-only\npersons:\n  - slug: nikolay-bordyuzha\n"
        "    name: Nikolay Bordyuzha\n",
        encoding="utf-8",
    )
    ok(run, "seed", "load", str(registry))
    ok(run, "seed", "unload", "--yes", "registry:persons-only")
    [owner] = db.execute(
        "SELECT f.identity FROM person p JOIN seed_file f ON f.id = p.seed_file_id "
        "WHERE p.slug = 'nikolay-bordyuzha'"
    ).fetchall()
    assert owner[0] in (
        "registry:incidentdb-core",
        "source:tass-2022-01-25-csto-mission-kazakhstan",
    )


def test_an_incident_other_files_add_to_cannot_be_withdrawn(
    run: Invoker, db: psycopg.Connection[Any], three: None
) -> None:
    before = snapshot(db)
    tass = SEEDS / "tass-2022-01-25-csto-mission-kazakhstan.yaml"
    message = refused(run("seed", "unload", "--yes", str(tass)))
    assert "cannot remove incident '2022-kazakhstan-unrest'" in message
    assert snapshot(db) == before


def test_a_file_removed_from_the_folder_is_withdrawn_only_with_prune(
    run: Invoker, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    folder = Path(shutil.copytree(EXAMPLE, tmp_path / "three"))
    ok(run, "seed", "load", str(SEEDS), str(folder))
    (folder / f"{ANI}.yaml").unlink()
    before = snapshot(db)
    out = ok(run, "seed", "load", str(SEEDS), str(folder))
    assert "no longer under the folders given" in out and "--prune" in out
    assert snapshot(db) == before
    dry = ok(run, "seed", "load", "--prune", "--dry-run", str(SEEDS), str(folder))
    assert f"would withdraw {(folder / ANI).resolve()}.yaml" in dry
    assert snapshot(db) == before
    ok(run, "seed", "load", "--prune", "--yes", str(SEEDS), str(folder))
    identities = {r[0] for r in db.execute("SELECT identity FROM seed_file")}
    assert f"source:{ANI}" not in identities and f"source:{AP}" in identities
    assert db.execute("SELECT count(*) FROM source WHERE slug = %s", (ANI,)).fetchone() == (0,)


# -- file identity -------------------------------------------------------------------------


def _registry(folder: Path, name: str | None, slug: str) -> None:
    folder.mkdir(parents=True)
    head = f"registry: {name}\n" if name else ""
    (folder / "registry.yaml").write_text(
        f"{head}places:\n  - slug: {slug}\n    name: {slug.title()}\n    kind: area\n",
        encoding="utf-8",
    )


def test_two_folders_with_a_registry_yaml_are_two_files(
    run: Invoker, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    _registry(tmp_path / "a", None, "north")
    _registry(tmp_path / "b", None, "south")
    ok(run, "seed", "load", str(tmp_path / "a"))
    ok(run, "seed", "load", str(tmp_path / "b"))
    assert {r[0] for r in db.execute("SELECT slug FROM place")} == {"north", "south"}
    assert {r[0] for r in db.execute("SELECT identity FROM seed_file")} == {
        f"file:{(tmp_path / 'a' / 'registry.yaml').resolve()}",
        f"file:{(tmp_path / 'b' / 'registry.yaml').resolve()}",
    }


def test_a_registry_name_names_the_file_wherever_it_is(
    run: Invoker, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    _registry(tmp_path / "a", "regions", "north")
    ok(run, "seed", "load", str(tmp_path / "a"))
    moved = tmp_path / "elsewhere"
    shutil.move(tmp_path / "a", moved)
    before = without_ledger(snapshot(db))
    out = ok(run, "seed", "load", str(moved))
    assert "unchanged" in out
    assert without_ledger(snapshot(db)) == before
    [(identity, location)] = db.execute("SELECT identity, location FROM seed_file").fetchall()
    assert (identity, location) == ("registry:regions", str((moved / "registry.yaml").resolve()))
    # Two registries of one name in one run would overwrite each other: refused.
    _registry(tmp_path / "c", "regions", "east")
    message = refused(run("seed", "load", str(moved), str(tmp_path / "c")))
    assert "has the same registry name 'regions'" in message


def test_the_same_folder_however_it_is_named_is_the_same_load(
    database_url: str, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    folder = Path(shutil.copytree(SEEDS, tmp_path / "seeds"))
    env = {**os.environ, "INCIDENTDB_DATABASE_URL": database_url}

    def load(arg: str, cwd: Path) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "incidentdb", "seed", "load", arg],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stderr

    load("seeds", tmp_path)
    before = snapshot(db)
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    for arg, cwd in (("./seeds", tmp_path), (str(folder), elsewhere), ("../seeds", elsewhere)):
        assert "Nothing to do" in load(arg, cwd), arg
    assert snapshot(db) == before


def test_two_folders_loading_at_once_keep_both(
    database_url: str, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    """Concurrent loads of two folders whose files have the same names: both stay."""
    for name in ("a", "b"):
        _registry(tmp_path / name, None, f"area-{name}")
    env = {**os.environ, "INCIDENTDB_DATABASE_URL": database_url}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "incidentdb", "seed", "load", str(tmp_path / name)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    assert {r[0] for r in db.execute("SELECT slug FROM place")} == {"area-a", "area-b"}
    assert db.execute("SELECT count(*) FROM seed_file").fetchone() == (2,)


def test_two_imports_of_files_with_one_name_keep_both(
    run: Invoker, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    from tests.test_imports import acled_rows, write_acled

    rows_a = acled_rows()
    rows_b = [dict(r, event_id_cnty=r["event_id_cnty"] + "9") for r in rows_a]
    for name, data in (("a", rows_a), ("b", rows_b)):
        (tmp_path / name).mkdir()
        write_acled(tmp_path / name / "export.csv", data)
    ok(run, "import", "acled", str(tmp_path / "a" / "export.csv"), "-q")
    first = db.execute("SELECT count(*) FROM incident").fetchone()
    assert first is not None and first[0] > 0
    ok(run, "import", "acled", str(tmp_path / "b" / "export.csv"), "-q")
    assert db.execute("SELECT count(*) FROM incident").fetchone() == (first[0] * 2,)
    # The same file again, from another folder under another name: the same import.
    shutil.copy(tmp_path / "a" / "export.csv", tmp_path / "renamed.csv")
    out = ok(run, "import", "acled", str(tmp_path / "renamed.csv"), "-q")
    assert "already imported and unchanged" in out


# -- validation of references to other files ----------------------------------------------


def _article(folder: Path, body: str, seed: str) -> Path:
    import hashlib

    (folder / "note.txt").write_text(body, encoding="utf-8")
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    path = folder / "note.yaml"
    path.write_text(
        "source:\n  slug: note-2022\n  file: note.txt\n"
        f"  sha256: {digest}\n  title: A note\n{seed}",
        encoding="utf-8",
    )
    return path


BODY = "Officials said 230 people died in the unrest, up from 225; 30 of them were soldiers."


def test_a_mention_of_an_unknown_incident_names_file_and_line(run: Invoker, tmp_path: Path) -> None:
    path = _article(
        tmp_path,
        BODY,
        "mentions:\n  - incident: 2022-nowhere-unrest\n    evidence: the unrest\n",
    )
    message = refused(run("seed", "load", str(SEEDS), str(path)))
    assert f"{path}:7:15: mentions[0].incident: no incident with slug '2022-nowhere-unrest'" in (
        message
    )


REPORTS = """casualty_reports:
  - slug: earlier
    incident: 2022-kazakhstan-unrest
    category: {earlier_category}
    figure: 225
    qualifier: exact
    evidence: up from 225
  - slug: later
    incident: 2022-kazakhstan-unrest
    category: killed
    figure: 230
    qualifier: exact
    supersedes: {supersedes}
    evidence: Officials said 230 people died
"""


@pytest.mark.parametrize(
    ("earlier_category", "supersedes", "message"),
    [
        (
            "killed",
            "nothing",
            "no casualty report with slug '2022-kazakhstan-unrest/note-2022/nothing'",
        ),
        (
            "injured",
            "earlier",
            "'2022-kazakhstan-unrest/note-2022/earlier' counts injured, this report killed",
        ),
        ("killed", "later", "a chain of revisions cannot go round in a circle"),
        ("killed", "Not A Slug", "supersedes: expected a casualty report's slug"),
    ],
)
def test_supersedes_is_checked(
    run: Invoker,
    db: psycopg.Connection[Any],
    tmp_path: Path,
    earlier_category: str,
    supersedes: str,
    message: str,
) -> None:
    ok(run, "seed", "load", str(SEEDS))
    before = snapshot(db)
    seed = REPORTS.format(earlier_category=earlier_category, supersedes=supersedes)
    if supersedes == "later":  # earlier supersedes later, later supersedes earlier
        seed = seed.replace(
            "    evidence: up from 225", "    supersedes: later\n    evidence: up from 225"
        )
    path = _article(tmp_path, BODY, seed)
    output = refused(run("seed", "load", str(SEEDS), str(path)))
    assert f"{path}:" in output and message in output, output
    assert snapshot(db) == before


def test_a_report_may_supersede_one_in_another_file(
    run: Invoker, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    ok(run, "seed", "load", str(SEEDS))
    seed = (
        "casualty_reports:\n"
        "  - slug: later\n    incident: 2022-kazakhstan-unrest\n    category: killed\n"
        "    figure: 230\n    qualifier: exact\n"
        "    supersedes: tass-2022-01-25-csto-mission-kazakhstan/killed-all-kazakh-authorities\n"
        "    evidence: Officials said 230 people died\n"
        "  - incident: 2022-kazakhstan-unrest\n    category: killed\n"
        "    population: soldiers\n    figure: 30\n    qualifier: exact\n    part_of: later\n"
        "    as_of: {by: 2022-02-01}\n    evidence: 30 of them were soldiers\n"
    )
    ok(run, "seed", "load", str(_article(tmp_path, BODY, seed)))
    reports = {
        r["reported_count"]: r
        for r in rows(db, "SELECT * FROM reporting.casualty_reports WHERE category = 'killed'")
    }
    assert reports[225]["superseded_by_key"] == "2022-kazakhstan-unrest/note-2022/later"
    assert [r["status"] for _, r in sorted(reports.items())] == ["subset", "superseded", "current"]
    assert (reports[30]["as_of_from"], str(reports[30]["as_of_to"])) == (None, "2022-02-01")
    [incident] = rows(db, "SELECT killed_low, killed_high FROM reporting.incidents")
    assert incident == {"killed_low": 230, "killed_high": 230}
    # Withdrawing the later file makes TASS's 225 current again.
    ok(run, "seed", "unload", "--yes", "source:note-2022")
    [incident] = rows(db, "SELECT killed_low, killed_high FROM reporting.incidents")
    assert incident == {"killed_low": 225, "killed_high": 225}


# -- databases loaded before file identities ----------------------------------------------


def test_a_ledger_from_before_identities_is_rekeyed(
    database_url: str, db: psycopg.Connection[Any], run: Invoker
) -> None:
    from incidentdb.db import migrations
    from incidentdb.db.engine import create_engine

    ok(run, "seed", "load", str(SEEDS))
    engine = create_engine(database_url)
    with engine.begin() as conn:
        migrations.downgrade(conn, "0005")
    # What the loader of 0005 wrote: paths relative to the folder given.
    db.execute(
        "UPDATE seed_file SET path = CASE kind WHEN 'registry' THEN 'registry.yaml' "
        "ELSE 'tass-2022-01-25-csto-mission-kazakhstan.yaml' END"
    )
    with engine.begin() as conn:
        migrations.upgrade(conn)
    engine.dispose()
    assert sorted(r[0] for r in db.execute("SELECT identity FROM seed_file")) == [
        "legacy:registry.yaml",
        "source:tass-2022-01-25-csto-mission-kazakhstan",
    ]
    before = without_ledger(snapshot(db))
    out = ok(run, "seed", "load", str(SEEDS))
    assert "Added 0 rows, changed 0 and removed 0." in out
    assert without_ledger(snapshot(db)) == before
    assert sorted(r[0] for r in db.execute("SELECT identity FROM seed_file")) == [
        "registry:incidentdb-core",
        "source:tass-2022-01-25-csto-mission-kazakhstan",
    ]
