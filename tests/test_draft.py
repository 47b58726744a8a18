"""`incidentdb seed draft`: drafts that validate, hold the hand-coded facts, and quote verbatim."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from incidentdb.cli import cli
from incidentdb.draft import Gazetteer, draft_article, read_registry
from incidentdb.draft.article import read_article
from incidentdb.draft.dates import DayRange, find_dates, infer_year, resolve
from incidentdb.draft.model import Entities
from incidentdb.draft.numbers import parse_number, qualifier_before
from incidentdb.draft.numbers.casualties import find_casualties
from incidentdb.draft.writer import render_draft
from tests.conftest import REPO, SEEDS, Invoker

TASS = "tass-2022-01-25-csto-mission-kazakhstan"
DEV_SET = REPO / "benchmarks" / "draft"
OFFLINE = {"INCIDENTDB_DATABASE_URL": ""}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=OFFLINE, catch_exceptions=False)


def load(path: Path) -> Any:
    """The YAML document with dates as ISO strings."""
    return _plain(YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")))


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node.isoformat() if isinstance(node, dt.date) else node


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def tass_draft(seeds: Path) -> tuple[Path, Any]:
    result = invoke("seed", "draft", str(seeds / f"{TASS}.txt"))
    assert result.exit_code == 0, result.output
    path = seeds / f"{TASS}.draft.yaml"
    assert f"Wrote {path}" in result.output
    return path, load(path)


def _mentioned(doc: Any, table: str) -> set[str]:
    found = {m[table] for m in doc.get("mentions") or [] if m.get(table)}
    section = {"place": "places", "organisation": "organisations", "person": "persons"}[table]
    found |= {e["slug"] for e in doc.get(section) or []}
    return found


def test_tass_draft_is_a_valid_seed_file(seeds: Path, tass_draft: tuple[Path, Any]) -> None:
    path, _ = tass_draft
    result = invoke("seed", "validate", str(seeds / "registry.yaml"), str(path))
    assert result.exit_code == 0, result.output
    assert "2 files valid" in result.output


def test_tass_draft_holds_the_hand_written_facts(tass_draft: tuple[Path, Any]) -> None:
    path, doc = tass_draft
    source = doc["source"]
    assert source["slug"] == TASS
    assert source["file"] == f"{TASS}.txt"
    assert source["publisher"] == "tass"
    assert source["dateline"] == "moscow"
    assert str(source["published_on"]) == "2022-01-25"
    assert source["title"].startswith("CSTO mission in Kazakhstan proves demand")
    assert source["lede"].startswith("According to Nikolay Bordyuzha")
    hand = load(SEEDS / f"{TASS}.yaml")
    assert source["sha256"] == hand["source"]["sha256"]

    reports = {
        (c["category"], c["figure"], c["qualifier"], c.get("reported_by"))
        for c in doc["casualty_reports"]
    }
    assert ("killed", 225, "exact", "kazakh-authorities") in reports
    assert ("injured", 4500, "more_than", "kazakh-authorities") in reports

    (incident,) = doc["incidents"]
    assert incident["slug"] == "2022-kazakhstan-unrest"
    assert incident["type"] == "unrest"
    assert incident["country"] == "kz"
    assert incident["occurred"] == {"from": "2022-01-02", "to": "2022-01-19"}
    occurred = [t["occurred"] for t in incident["timeline"]]
    kinds = {t["kind"] for t in incident["timeline"]}
    assert "2022-01-02" in occurred
    assert "2022-01-19" in occurred
    assert any(isinstance(o, dict) and o["to"] == "2022-01-07" for o in occurred)
    assert {"protest", "riot", "order_restored", "emergency_lifted", "claim"} <= kinds

    organisations = _mentioned(doc, "organisation") | {source["publisher"]}
    assert {
        "csto",
        "tass",
        "kazakh-authorities",
        "csto-collective-security-council",
        "csto-crrf",
    } <= organisations
    assert {"nikolay-bordyuzha", "kassym-jomart-tokayev"} <= _mentioned(doc, "person")
    assert {"kz", "ru", "cn", "af", "moscow"} <= _mentioned(doc, "place") | {source["dateline"]}

    persons = {p["slug"]: p for p in doc["persons"]}
    (role,) = persons["nikolay-bordyuzha"]["roles"]
    assert role == {
        "title": "Secretary General",
        "organisation": "csto",
        "former": True,
        "evidence": "CSTO former Secretary General Nikolay Bordyuzha",
    }
    assert persons["kassym-jomart-tokayev"]["roles"][0]["title"] == "President of Kazakhstan"

    speakers = {s.get("speaker") for s in doc["statements"]}
    assert {"nikolay-bordyuzha", "kassym-jomart-tokayev"} <= speakers
    said = {s["summary"]: s for s in doc["statements"]}
    first = said[next(k for k in said if k.startswith("The peacekeeping mission"))]
    assert str(first["said"]) == "2022-01-25"
    assert first["place"] == "moscow"
    assert first["occasion"] == "Press conference dedicated to CSTO peacekeeping missions"


def test_tass_draft_says_how_it_decided(tass_draft: tuple[Path, Any]) -> None:
    path, doc = tass_draft
    text = path.read_text(encoding="utf-8")
    header = text.split("\nsource:")[0]
    assert "names Tuesday" in header and "2022" in header and "was a Tuesday" in header
    facts = sum(
        len(doc.get(k) or [])
        for k in ("places", "organisations", "persons", "incidents", "casualty_reports")
    )
    facts += sum(len(i.get("timeline") or []) for i in doc["incidents"])
    facts += len(doc.get("statements") or []) + len(doc.get("mentions") or [])
    assert text.count("# review") >= facts


def test_every_quote_of_the_tass_draft_is_verbatim(tass_draft: tuple[Path, Any]) -> None:
    _, doc = tass_draft
    body = (SEEDS / f"{TASS}.txt").read_text(encoding="utf-8")
    quotes = _quotes(doc)
    assert len(quotes) > 20
    assert all(q in body for q in quotes)


def test_draft_refuses_to_overwrite(seeds: Path, tass_draft: tuple[Path, Any]) -> None:
    path, _ = tass_draft
    path.write_text("# edited by a person\n", encoding="utf-8")
    result = invoke("seed", "draft", str(seeds / f"{TASS}.txt"))
    assert result.exit_code == 1
    assert "exists; use --force" in result.output
    assert path.read_text(encoding="utf-8") == "# edited by a person\n"
    result = invoke("seed", "draft", str(seeds / f"{TASS}.txt"), "--force")
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").startswith("# DRAFT")


def test_draft_elsewhere_refers_to_the_article(seeds: Path, tmp_path: Path) -> None:
    """A draft above the article's folder refers to it by a relative path; one beside it in
    another folder is refused (a seed's article lies in its folder or below it)."""
    out = tmp_path / "tass.yaml"
    args = ["seed", "draft", str(seeds / f"{TASS}.txt"), "-o", str(out)]
    result = invoke(*args, "--registry", str(seeds / "registry.yaml"), "--published-on",
                    "2022-01-25")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert load(out)["source"]["file"] == f"seeds/{TASS}.txt"
    assert "given with --published-on" in out.read_text(encoding="utf-8")
    result = invoke("seed", "validate", str(seeds / "registry.yaml"), str(out))
    assert result.exit_code == 0, result.output
    elsewhere = tmp_path / "drafts" / "tass.yaml"
    elsewhere.parent.mkdir()
    result = invoke("seed", "draft", str(seeds / f"{TASS}.txt"), "-o", str(elsewhere))
    assert result.exit_code != 0
    assert "copy the article next to" in result.output and not elsewhere.exists()


def test_draft_without_registry_proposes_new_entities(tmp_path: Path) -> None:
    article = tmp_path / "goma.txt"
    shutil.copy(DEV_SET / "ap-2025-02-01-goma.txt", article)
    result = invoke("seed", "draft", str(article), "--published-on", "2025-02-01")
    assert result.exit_code == 0, result.output
    path = tmp_path / "goma.draft.yaml"
    doc = load(path)
    assert doc["source"]["publisher"] == "associated-press"
    assert doc["source"]["dateline"] == "goma"
    places = {p["slug"]: p for p in doc["places"]}
    assert places["goma"]["kind"] == "city" and places["goma"]["parent"] == "cd"
    assert places["cd"]["iso2"] == "CD" and places["rw"]["iso2"] == "RW"
    acronyms = {o.get("acronym") for o in doc["organisations"]}
    assert {"WHO", "AFC", "SADC"} <= acronyms
    assert {"stephane-dujarric", "felix-tshisekedi", "corneille-nangaa"} <= {
        p["slug"] for p in doc["persons"]
    }
    result = invoke("seed", "validate", str(path))
    assert result.exit_code == 0, result.output


def test_draft_publisher_option(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.yaml"
    result = invoke("seed", "draft", str(seeds / f"{TASS}.txt"), "-o", str(out), "--registry",
                    str(seeds), "--publisher", "TASS")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert load(out)["source"]["publisher"] == "tass"


def test_draft_of_a_missing_article_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("seed", "draft", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_draft_without_a_date_leaves_relative_dates_out(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Clashes in the capital\n"
        "Fighting broke out on Tuesday in the capital, officials said. At least 12 people "
        "were killed.\n",
        encoding="utf-8",
    )
    result = invoke("seed", "draft", str(article))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "a.draft.yaml").read_text(encoding="utf-8")
    assert "'on Tuesday'" in text and "give --published-on" in text
    assert "casualty_reports" not in text.split("\nsource:")[1]


def test_draft_reads_the_database_gazetteer(run: Invoker, seeds: Path, tmp_path: Path) -> None:
    assert run("seed", "load", str(seeds / "registry.yaml")).exit_code == 0
    article = tmp_path / "tass.txt"
    shutil.copy(seeds / f"{TASS}.txt", article)
    result = run("seed", "draft", str(article), "--database")
    assert result.exit_code == 0, result.output
    doc = load(tmp_path / "tass.draft.yaml")
    assert doc["source"]["publisher"] == "tass"
    assert "csto" in _mentioned(doc, "organisation")
    assert "organisations" not in doc or "csto" not in {o["slug"] for o in doc["organisations"]}
    loaded = run("seed", "load", str(tmp_path / "tass.draft.yaml"), "--dry-run")
    assert loaded.exit_code == 0, loaded.output


# -- the parsers -------------------------------------------------------------------------


def _resolved(text: str, published: dt.date | None = dt.date(2022, 1, 25)) -> list[str]:
    found = find_dates(text)
    resolve(found, published, None)
    return [str(d.resolved) if d.resolved else f"? {d.text}" for d in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Protests erupted on January 2.", ["2022-01-02"]),
        ("It ended on 19 January 2022.", ["2022-01-19"]),
        ("On Jan. 3, 2021, it began.", ["2021-01-03"]),
        ("He spoke on Tuesday.", ["2022-01-25"]),
        ("He spoke last Tuesday.", ["2022-01-18"]),
        ("It happened yesterday.", ["2022-01-24"]),
        ("It happened last week.", ["2022-01-17..2022-01-23"]),
        ("Protests on January 2 became riots a few days later.",
         ["2022-01-02", "2022-01-03..2022-01-09"]),
        ("Riots from January 3; order was restored by the morning of January 7.",
         ["2022-01-03", "2022-01-03..2022-01-07"]),
        ("Talks between January 3 and 6 failed.", ["2022-01-03..2022-01-06"]),
        ("It was calm in early January.", ["2022-01-01..2022-01-10"]),
        ("It began in December.", ["2021-12-01..2021-12-31"]),
        ("Two days later, on January 4, it ended.", ["? Two days later", "2022-01-04"]),
        ("They met on January 2 and again the next day.", ["2022-01-02", "2022-01-03"]),
        ("Tens of thousands have fled since the start of the year.",
         ["2022-01-01..2022-01-25"]),
        ("The vote is set for February 10.", ["2022-02-10"]),
    ],
)  # fmt: skip
def test_dates(text: str, expected: list[str]) -> None:
    assert _resolved(text) == expected


def test_weekdays_need_a_publication_date() -> None:
    assert _resolved("He spoke on Tuesday.", None) == ["? on Tuesday"]


def test_year_from_the_weekday() -> None:
    today = dt.date(2026, 11, 26)
    assert infer_year(1, 25, 1, today) == 2022  # 25 January 2022 was a Tuesday
    assert infer_year(3, 23, 5, today) == 2024
    assert infer_year(1, 25, 1, dt.date(2022, 1, 24)) == 2011


def test_day_range() -> None:
    assert DayRange(dt.date(2022, 1, 2), dt.date(2022, 1, 2)).exact
    assert str(DayRange(dt.date(2022, 1, 2), dt.date(2022, 1, 4))) == "2022-01-02..2022-01-04"


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        ("225", 225, None, None),
        ("4,500", 4500, None, None),
        ("two", 2, None, None),
        ("Thirteen", 13, None, None),
        ("twenty-five", 25, None, None),
        ("two hundred", 200, None, None),
        ("1.5 million", 1_500_000, None, None),
        ("a dozen", 12, None, None),
        ("dozens", 24, 24, 99),
        ("hundreds", 200, 200, 999),
        ("tens of thousands", 20_000, 20_000, 99_999),
    ],
)
def test_numbers(text: str, value: int, low: int | None, high: int | None) -> None:
    figure = parse_number(text)
    assert figure is not None
    assert (figure.value, figure.low, figure.high) == (value, low, high)


def test_not_numbers() -> None:
    assert parse_number("many") is None
    assert parse_number("2.5") is None


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("more than", "more_than"),
        ("over", "more_than"),
        ("at least", "at_least"),
        ("nearly", "approximately"),
        ("about", "approximately"),
        ("some", "approximately"),
        ("around", "approximately"),
        ("up to", "at_most"),
        ("fewer than", "fewer_than"),
    ],
)
def test_qualifiers(words: str, code: str) -> None:
    text = f"{words} 4,500 were injured"
    found = qualifier_before(text, len(words) + 1)
    assert found == (code, 0)


def test_no_qualifier_is_exact() -> None:
    assert qualifier_before("police said 225 people were killed", 12) is None


def _figures(sentence: str) -> list[tuple[str, int, str, str | None, bool]]:
    article = read_article(f"Title\n{sentence}\n".encode())
    facts = find_casualties(article, Entities(), [], [])
    return [(f.category, f.figure.value, f.qualifier, f.population, f.earlier) for f in facts]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("225 people were killed and more than 4,500 were injured.",
         [("killed", 225, "exact", None, False), ("injured", 4500, "more_than", None, False)]),
        ("At least 700 people have been killed and 2,800 injured.",
         [("killed", 700, "at_least", None, False), ("injured", 2800, "at_least", None, False)]),
        ("The death toll rose to 133, up from 115 earlier.",
         [("killed", 133, "exact", None, False), ("killed", 115, "exact", None, True)]),
        ("The blast killed at least 13 peacekeepers.",
         [("killed", 13, "at_least", "peacekeepers", False)]),
        ("Nearly 580,000 people have been displaced.",
         [("displaced", 580000, "approximately", None, False)]),
        ("Up to 40 police officers or servicemen were wounded.",
         [("injured", 40, "at_most", "police officers or servicemen", False)]),
        ("Fewer than 10 civilians were detained.",
         [("detained", 10, "fewer_than", "civilians", False)]),
        ("Dozens of protesters were arrested.",
         [("arrested", 24, "approximately", "protesters", False)]),
        ("Two soldiers are missing.", [("missing", 2, "exact", "soldiers", False)]),
        ("The city of 2 million people was calm; 30 percent of shops were shut.", []),
    ],
)  # fmt: skip
def test_casualty_figures(sentence: str, expected: list[Any]) -> None:
    assert _figures(sentence) == expected


# -- no quote that is not in the article -------------------------------------------------

ARTICLES = sorted([*DEV_SET.rglob("*.txt"), SEEDS / f"{TASS}.txt"])


def _quotes(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = []
        for k, v in node.items():
            out.extend(([v] if isinstance(v, str) else list(v)) if k == "evidence" else _quotes(v))
        return out
    if isinstance(node, list):
        return [q for v in node for q in _quotes(v)]
    return []


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    article=st.sampled_from(ARTICLES),
    keep=st.lists(st.booleans(), min_size=8, max_size=8),
    published=st.one_of(st.none(), st.dates(dt.date(2015, 1, 1), dt.date(2026, 1, 1))),
    curly=st.booleans(),
)
def test_a_draft_never_quotes_what_the_article_does_not_say(
    tmp_path_factory: pytest.TempPathFactory,
    article: Path,
    keep: list[bool],
    published: dt.date | None,
    curly: bool,
) -> None:
    lines = article.read_text(encoding="utf-8").splitlines()
    body = [line for i, line in enumerate(lines[1:]) if keep[i % len(keep)]]
    text = "\n".join([lines[0], *body]) + "\n"
    if curly:
        text = text.replace('"', "“", 1)
    folder = tmp_path_factory.mktemp("prop")
    path = folder / "article.txt"
    path.write_text(text, encoding="utf-8")
    gazetteer = read_registry([SEEDS / "registry.yaml"], Gazetteer())
    draft = draft_article(path, gazetteer, published_on=published)
    rendered, _ = render_draft(draft, folder / "article.draft.yaml", gazetteer.files)
    doc = YAML(typ="safe", pure=True).load(rendered)
    for quote in _quotes(doc):
        assert quote in text, quote
