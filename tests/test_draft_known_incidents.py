"""Drafts of a second article about a known incident: a mention of it, never a new incident."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from ruamel.yaml import YAML

from incidentdb.cli import cli
from incidentdb.draft import Gazetteer, read_registry
from incidentdb.draft.known_incidents import REPORTED_WITHIN
from tests.conftest import REPO, SEEDS, Invoker

EXAMPLE = REPO / "examples" / "kazakhstan-three-sources"
INCIDENT = "2022-kazakhstan-unrest"
OFFLINE = {"INCIDENTDB_DATABASE_URL": ""}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=OFFLINE, catch_exceptions=False)


def load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def draft(article: Path, out: Path, *options: str) -> Any:
    """Draft `article` to `out`, with the article copied next to the draft (a seed's article
    lies in its folder or below it)."""
    if article.parent != out.parent:
        shutil.copy(article, out.parent / article.name)
        article = out.parent / article.name
    result = invoke("seed", "draft", str(article), "-o", str(out), "--no-database", *options)
    assert result.exit_code == 0, result.output
    return load(out)


def incident_mentions(doc: Any) -> list[Any]:
    return [m for m in doc.get("mentions") or [] if m.get("incident")]


@pytest.mark.parametrize("name", [f"{a}-2022-01-15-kazakhstan-toll" for a in ("ap", "ani")])
def test_a_second_report_refers_to_the_known_incident(name: str, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.draft.yaml"
    doc = draft(EXAMPLE / f"{name}.txt", out, "--registry", str(SEEDS), "--registry", str(EXAMPLE))
    assert "incidents" not in doc
    [mention] = incident_mentions(doc)
    assert mention["incident"] == INCIDENT
    text = (EXAMPLE / f"{name}.txt").read_text(encoding="utf-8")
    assert mention["evidence"] in text
    reports = doc["casualty_reports"]
    assert {r["figure"] for r in reports} >= {225}
    assert {r["incident"] for r in reports} == {INCIDENT}
    assert {s["incident"] for s in doc.get("statements") or []} <= {INCIDENT}
    # The review comment says why: country, dates and the names that matched.
    written = " ".join(out.read_text(encoding="utf-8").replace("#", " ").split())
    assert "same country kz" in written and "overlap its range" in written
    assert "shared names: 'Serik Shalabayev' (serik-shalabayev)" in written
    result = invoke("seed", "validate", str(SEEDS), str(EXAMPLE / "registry.yaml"), str(out))
    assert result.exit_code == 0, result.output


def test_new_timeline_entries_go_under_the_mention(tmp_path: Path) -> None:
    """The AP text prints 'January 2' with no year and no publication date: the known
    incident's year dates it, and the entry is added to the incident, not a new one."""
    out = tmp_path / "ap.draft.yaml"
    name = "ap-2022-01-15-kazakhstan-toll"
    doc = draft(EXAMPLE / f"{name}.txt", out, "--registry", str(SEEDS), "--registry", str(EXAMPLE))
    [mention] = incident_mentions(doc)
    entries = [(str(t["occurred"]), t["kind"]) for t in mention["timeline"]]
    assert ("2022-01-02", "protest") in entries
    written = " ".join(out.read_text(encoding="utf-8").replace("#", " ").split())
    assert "from the known incident 2022-kazakhstan-unrest" in written


def _article(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "report.txt"
    path.write_text(text, encoding="utf-8")
    return path


REGISTRY = ("--registry", str(SEEDS), "--registry", str(EXAMPLE))


def test_the_same_names_in_another_country_make_a_new_incident(tmp_path: Path) -> None:
    article = _article(
        tmp_path,
        "BISHKEK, Kyrgyzstan (AP) — Hundreds of people protested in Bishkek on Thursday over "
        "fuel prices, and police detained 40 of them. Serik Shalabayev of the Prosecutor "
        "General's Office was not involved.\n",
    )
    doc = draft(article, tmp_path / "d.yaml", "--published-on", "2022-01-13", *REGISTRY)
    assert not incident_mentions(doc)
    [incident] = doc["incidents"]
    assert incident["country"] != "kz"


def test_the_same_country_years_later_makes_a_new_incident(tmp_path: Path) -> None:
    article = _article(
        tmp_path,
        "ALMATY, Kazakhstan (AP) — Protests broke out in Almaty on Monday over gas prices, and "
        "police detained 12 people, said Serik Shalabayev of the Prosecutor General's Office.\n",
    )
    doc = draft(article, tmp_path / "d.yaml", "--published-on", "2024-03-20", *REGISTRY)
    assert not incident_mentions(doc)
    [incident] = doc["incidents"]
    assert incident["country"] == "kz" and str(incident["occurred"]).startswith("2024")


def test_an_article_just_after_the_events_still_matches(tmp_path: Path) -> None:
    """Published some days after the incident's last day, with only its own date."""
    inc = read_registry([SEEDS], Gazetteer()).incidents[INCIDENT]
    day = inc.end + REPORTED_WITHIN - dt.timedelta(days=1)
    article = _article(
        tmp_path,
        "ASTANA, Kazakhstan (AP) — Kazakh authorities said on Wednesday that the toll of the "
        "unrest stood at 225 dead.\n",
    )
    doc = draft(article, tmp_path / "d.yaml", "--published-on", day.isoformat(), *REGISTRY)
    assert [m["incident"] for m in incident_mentions(doc)] == [INCIDENT]
    assert "incidents" not in doc


def test_same_country_and_dates_without_a_shared_name_make_a_new_incident(
    tmp_path: Path,
) -> None:
    article = _article(
        tmp_path,
        "ALMATY, Kazakhstan (AP) — Farmers blocked a road near Shymkent on January 10 to "
        "protest water shortages, local residents said.\n",
    )
    doc = draft(article, tmp_path / "d.yaml", "--published-on", "2022-01-11", *REGISTRY)
    assert not incident_mentions(doc)
    assert len(doc["incidents"]) == 1


def test_the_article_own_seed_is_no_evidence(tmp_path: Path) -> None:
    """Only the AP's own seed ties Shalabayev to the incident: no match for the AP text
    (the draft must not lean on a hand-coded version of itself)."""
    folder = tmp_path / "example"
    folder.mkdir()
    for name in ("registry.yaml", "ap-2022-01-15-kazakhstan-toll.yaml"):
        shutil.copy(EXAMPLE / name, folder / name)
    article = folder / "ap-2022-01-15-kazakhstan-toll.txt"
    shutil.copy(EXAMPLE / article.name, article)
    doc = draft(article, tmp_path / "d.yaml", "--registry", str(SEEDS), "--registry", str(folder))
    assert not incident_mentions(doc)


def test_the_defining_article_still_defines_it(tmp_path: Path) -> None:
    tass = "tass-2022-01-25-csto-mission-kazakhstan"
    doc = draft(SEEDS / f"{tass}.txt", tmp_path / "t.yaml", "--registry", str(SEEDS))
    assert [i["slug"] for i in doc["incidents"]] == [INCIDENT]
    assert not incident_mentions(doc)


def test_known_incidents_are_read_with_their_ties() -> None:
    g = read_registry([SEEDS, EXAMPLE], Gazetteer())
    inc = g.incidents[INCIDENT]
    assert inc.country == "kz" and inc.defined_in is not None
    assert (inc.start, inc.end) == (dt.date(2022, 1, 2), dt.date(2022, 1, 19))
    tied = {(t, k) for t, k, _ in inc.links}
    assert {("organisation", "kazakh-authorities"), ("organisation", "csto")} <= tied
    assert ("person", "serik-shalabayev") in tied  # from the AP and ANI files' figures
    assert ("organisation", "tass") not in tied  # a publisher is no tie
    assert ("place", "moscow") not in tied  # nor a dateline


def test_a_known_incident_from_the_database(run: Invoker, tmp_path: Path) -> None:
    loaded = run("seed", "load", str(SEEDS), str(EXAMPLE))
    assert loaded.exit_code == 0, loaded.output
    article = tmp_path / "ani.txt"
    shutil.copy(EXAMPLE / "ani-2022-01-15-kazakhstan-toll.txt", article)
    result = run("seed", "draft", str(article), "--database")
    assert result.exit_code == 0, result.output
    doc = load(tmp_path / "ani.draft.yaml")
    assert [m["incident"] for m in incident_mentions(doc)] == [INCIDENT]
    written = (tmp_path / "ani.draft.yaml").read_text(encoding="utf-8").replace("#", " ")
    assert "in the database" in " ".join(written.split())
    assert {r["incident"] for r in doc["casualty_reports"]} == {INCIDENT}
