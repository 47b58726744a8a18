"""Bad seed files: each is refused with FILE:LINE:COL: field.path: expected ..., got ...,
by `seed load` (leaving the database exactly as it was) and by `seed validate` (which
touches no database)."""

from __future__ import annotations

import hashlib
import re
import shutil
import time
import tracemalloc
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result

from incidentdb.cli import cli
from tests.conftest import SEEDS, Invoker
from tests.snapshots import snapshot

ARTICLE = "tass-2022-01-25-csto-mission-kazakhstan"
SEED = f"{ARTICLE}.yaml"
TEXT = f"{ARTICLE}.txt"
NO_DATABASE = {"INCIDENTDB_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of seeds/ to break, as the relative path `seeds` (messages name seeds/...)."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return Path("seeds")


@pytest.fixture
def loaded(run: Invoker, seeds: Path) -> Path:
    """The copy, loaded: the TASS facts are in the database before the bad load."""
    result = run("seed", "load", str(seeds))
    assert result.exit_code == 0, result.output
    return seeds


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def at(path: Path, needle: str, column: int) -> str:
    """FILE:LINE:COL of the (single) line holding `needle`, for the expected message."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [i for i, line in enumerate(lines, 1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found} of {path}"
    return f"{path}:{found[0]}:{column}"


def validate(*paths: Path) -> Result:
    """`seed validate` with the database URL pointing at a closed port."""
    return CliRunner().invoke(cli, ["seed", "validate", *map(str, paths)], env=NO_DATABASE)


def assert_refused(run: Invoker, db: psycopg.Connection, paths: list[Path], *expected: str) -> str:
    """Both `seed load` and `seed validate` exit 1 with every expected line; the database
    is byte-identical afterwards. Returns the load's output after its start line."""
    before = snapshot(db)
    loaded = run("seed", "load", *map(str, paths))
    assert snapshot(db) == before
    checked = validate(*paths)
    for result in (loaded, checked):
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        for line in expected:
            assert line in result.output, result.output
    assert "could not connect" not in checked.output.lower()
    start = "Loading seeds...\n"  # what a load prints first when stderr is not a terminal
    assert loaded.output.startswith(start), loaded.output
    return loaded.output.removeprefix(start)


# -- YAML ----------------------------------------------------------------------------------


def test_yaml_syntax_error(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    seed = loaded / SEED
    edit(seed, "summary: Integration within", "summary: Integration: within")
    output = assert_refused(
        run,
        db,
        [loaded],
        f"{at(seed, 'summary: Integration: within', 25)}: statements[3].summary: YAML error: "
        "mapping values are not allowed here; a value that holds ': ' must be put in quotes",
    )
    assert output.startswith("Error: 1 problem in seed files:\n")


def test_unclosed_bracket(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    seed = loaded / SEED
    edit(seed, "places: [kazakh-cities]", "places: [kazakh-cities")
    opened = at(seed, "places: [kazakh-cities", 13).split(":")[1]
    assert_refused(
        run,
        db,
        [loaded],
        f"{seed}:{int(opened) + 1}:13: incidents[0].places[1]: YAML error: expected ',' or "
        f"']', but got ':' (while parsing a flow sequence at line {opened}); a [ or {{ is not "
        "closed, or a value in it needs quotes",
    )


def test_tab_indentation(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    seed = loaded / SEED
    edit(seed, "    qualifier: exact\n", "\tqualifier: exact\n")
    where = at(seed, "\tqualifier: exact", 1)
    assert_refused(
        run,
        db,
        [loaded],
        f"{where}: casualty_reports[0].figure: YAML error: "
        "found character '\\t' that cannot start any token; YAML indents with spaces, not tabs",
    )


def test_duplicate_key(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    seed = loaded / SEED
    edit(seed, "    figure: 225\n", "    figure: 225\n    figure: 230\n")
    first = at(seed, "figure: 225", 5).split(":")[1]
    assert_refused(
        run,
        db,
        [loaded],
        f"{at(seed, 'figure: 230', 5)}: casualty_reports[0].figure: duplicate key: 'figure' "
        f"is already given at line {first}, column 5; a mapping holds each key once",
    )


@pytest.mark.parametrize(
    ("old", "new", "needle", "column", "message"),
    [
        pytest.param(
            "figure: 225",
            "figure: !!int many",
            "!!int",
            13,
            "casualty_reports[0].figure: YAML tags (!!int) are not allowed in seed files; "
            "write the value plainly",
            id="tag",
        ),
        pytest.param(
            "figure: 225",
            "figure: " + "9" * 5000,
            "99999",
            13,
            "casualty_reports[0].figure: expected a number of at most 100 digits; put text in "
            "quotes",
            id="number-too-long-for-python",
        ),
        pytest.param(
            "\nmentions:",
            "\n---\nmentions:",
            "---",
            1,
            "YAML error: expected one YAML document, but found another (a line of --- starts one)",
            id="second-document",
        ),
    ],
)
def test_yaml_that_seed_files_do_not_use(
    run: Invoker,
    db: psycopg.Connection,
    loaded: Path,
    old: str,
    new: str,
    needle: str,
    column: int,
    message: str,
) -> None:
    seed = loaded / SEED
    edit(seed, old, new)
    assert_refused(run, db, [loaded], f"{at(seed, needle, column)}: {message}")


def test_alias_bomb_is_refused_at_once(seeds: Path) -> None:
    """Nine lines of aliases expand to a billion strings; the first alias is refused."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [{', '.join([f'*{prev}'] * 9)}]")
    bomb = seeds / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert validate(seeds / "registry.yaml").exit_code == 0  # imports done before measuring

    tracemalloc.start()
    started = time.process_time()
    result = validate(bomb)
    cpu = time.process_time() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert result.exit_code == 1, result.output
    assert (
        f"{bomb}:2:8: b[0]: YAML aliases (*a) are not allowed in seed files; write the value out"
    ) in result.output
    assert peak < 4 * 1024 * 1024, f"peak {peak:,} bytes"
    assert cpu < 5, f"{cpu:.1f} s of CPU"  # a hang guard, not a speed test


def test_alias_bomb_in_a_load(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    (loaded / "bomb.yaml").write_text(
        "places: &p [{slug: x, name: X, kind: city}]\norganisations: *p\n", encoding="utf-8"
    )
    assert_refused(
        run,
        db,
        [loaded],
        f"{loaded / 'bomb.yaml'}:2:16: organisations: YAML aliases (*p) are not allowed",
    )


def test_empty_file(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    (loaded / "empty.yaml").write_text("# to do\n", encoding="utf-8")
    assert_refused(
        run,
        db,
        [loaded],
        f"{loaded / 'empty.yaml'}:1:1: the file is empty; a seed file holds a mapping",
    )


def test_a_list_instead_of_a_mapping(run: Invoker, db: psycopg.Connection, seeds: Path) -> None:
    (seeds / "list.yaml").write_text("- slug: kz\n", encoding="utf-8")
    assert_refused(
        run,
        db,
        [seeds],
        f"{seeds / 'list.yaml'}:1:1: expected a mapping at the top level (keys such as source, "
        "places, incidents), got a list",
    )


def test_huge_file_is_refused_unread(seeds: Path) -> None:
    from incidentdb.seeds.yamlfile import MAX_BYTES

    huge = seeds / "huge.yaml"
    entry = b"  - slug: p\n    name: A place\n    kind: city\n"
    with huge.open("wb") as f:
        f.write(b"places:\n")
        f.write(entry * (30 * 1024 * 1024 // len(entry)))
    size = huge.stat().st_size
    assert validate(seeds / "registry.yaml").exit_code == 0  # imports done before measuring

    tracemalloc.start()
    result = validate(huge)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert result.exit_code == 1, result.output
    assert (
        f"{huge}: file is {size:,} bytes, more than the {MAX_BYTES:,} a seed file may hold; "
        "split it"
    ) in result.output
    assert peak < 4 * 1024 * 1024, f"peak {peak:,} bytes: the file was read"


def test_huge_file_in_a_load(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    from incidentdb.seeds.yamlfile import MAX_BYTES

    huge = loaded / "huge.yaml"
    with huge.open("wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: no need to write the bytes
    assert_refused(
        run,
        db,
        [loaded],
        f"{huge}: file is {MAX_BYTES + 1:,} bytes, more than the {MAX_BYTES:,} a seed file",
    )


def test_seed_file_not_utf8(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    seed = loaded / SEED
    seed.write_bytes(seed.read_bytes().replace(b"figure: 225", b"figure: 225 \xe9"))
    line = seed.read_bytes().split(b"\n").index(b"    figure: 225 \xe9") + 1
    assert_refused(
        run,
        db,
        [loaded],
        f"{seed}:{line}:17: casualty_reports[0].figure: expected UTF-8 text, got the byte "
        "0xe9; save the file as UTF-8",
    )


# -- values --------------------------------------------------------------------------------

VALUES = [
    pytest.param(
        "figure: 225",
        "figure: many",
        13,
        "casualty_reports[0].figure: expected a whole number, got 'many'",
        id="wrong-type",
    ),
    pytest.param(
        "figure: 4500",
        "figure: 4,500",
        13,
        "casualty_reports[1].figure: expected a whole number (write it without separators or "
        "quotes, e.g. 4500), got '4,500'",
        id="thousands-separator",
    ),
    pytest.param(
        "figure: 225",
        "figure: -3",
        13,
        "casualty_reports[0].figure: expected a number of at least 0, got -3",
        id="negative-count",
    ),
    pytest.param(
        "figure: 225",
        "figure: 4.5",
        13,
        "casualty_reports[0].figure: expected a whole number, got 4.5",
        id="fractional-count",
    ),
    pytest.param(
        "published_on: 2022-01-25",
        "published_on: 2022-02-30",
        17,
        "source.published_on: expected a real calendar day (day is out of range for month), "
        "got '2022-02-30'",
        id="impossible-date",
    ),
    pytest.param(
        "      - occurred: 2022-01-19",
        "      - occurred: 2022-02-30",
        19,
        "incidents[0].timeline[4].occurred: expected a real calendar day (day is out of range "
        "for month), got '2022-02-30'",
        id="impossible-date-in-timeline",
    ),
    pytest.param(
        "published_on: 2022-01-25",
        "published_on: 20220125",
        17,
        "source.published_on: expected a day written YYYY-MM-DD, e.g. 2022-01-07, got 20220125",
        id="date-as-number",
    ),
    pytest.param(
        "occurred: {from: 2022-01-02, to: 2022-01-19}",
        "occurred: {from: 2022-01-19, to: 2022-01-02}",
        15,
        "incidents[0].occurred: expected a range that ends on or after the day it starts, "
        "got from 2022-01-19 to 2022-01-02",
        id="range-ends-before-it-starts",
    ),
    pytest.param(
        "occurred: {from: 2022-01-02, to: 2022-01-19}",
        "occurred: {from: 2022-01-02, to: 2022-01-32}",
        38,
        "incidents[0].occurred.to: expected a real calendar day (day is out of range for "
        "month), got '2022-01-32'",
        id="impossible-date-in-range",
    ),
    pytest.param(
        "qualifier: more_than",
        "qualifier: over",
        16,
        "casualty_reports[1].qualifier: expected 'exact', 'approximately', 'at_least', "
        "'more_than', 'at_most' or 'fewer_than', got 'over'",
        id="unknown-qualifier",
    ),
    pytest.param(
        "slug: bordyuzha-integration-will-grow",
        "slug: Bordyuzha Integration",
        11,
        "statements[3].slug: expected a slug: lower-case letters and digits joined by '-' "
        "(e.g. csto, 2022-kazakhstan-unrest), got 'Bordyuzha Integration'",
        id="bad-slug",
    ),
    pytest.param(
        "    figure: 225\n",
        "    figur: 225\n",
        5,
        "casualty_reports[0].figur: unknown field 'figur': did you mean 'figure'?",
        id="unknown-field",
    ),
    pytest.param(
        "    qualifier: exact\n    reported_by: kazakh-authorities",
        "    qualifier: exact\n    reported_by: kazakh-police",
        18,
        "casualty_reports[0].reported_by: no organisation with slug 'kazakh-police' in the "
        "files given",
        id="reference-to-nothing",
    ),
    pytest.param(
        "evidence: /TASS/\n",
        "evidence: /TASS/ said\n",
        15,
        f"mentions[3].evidence: expected a quote found verbatim in {TEXT}, got '/TASS/ said'",
        id="quote-not-verbatim",
    ),
]


@pytest.mark.parametrize(("old", "new", "column", "message"), VALUES)
def test_bad_value(
    run: Invoker,
    db: psycopg.Connection,
    loaded: Path,
    old: str,
    new: str,
    column: int,
    message: str,
) -> None:
    seed = loaded / SEED
    edit(seed, old, new)
    output = assert_refused(
        run, db, [loaded], f"{at(seed, new.strip().splitlines()[-1], column)}: {message}"
    )
    assert output.startswith("Error: 1 problem in seed files:\n"), output


def test_near_miss_quote_names_the_apostrophe(
    run: Invoker, db: psycopg.Connection, loaded: Path
) -> None:
    seed = loaded / SEED
    edit(
        seed,
        "country’s regions by the morning of January 7\n      - occurred: 2022-01-19",
        "country's regions by the morning of January 7\n      - occurred: 2022-01-19",
    )
    where = at(seed, "affirm, was restored to all of the country's", 19)
    assert_refused(
        run,
        db,
        [loaded],
        f"{where}: incidents[0].timeline[3].evidence: expected a quote found verbatim in "
        f"{TEXT}, got 'Law and order, Kazakh authorities affirm, was restored to all of the "
        "cou...'; the article has ’ (U+2019 RIGHT SINGLE QUOTATION MARK) where the quote "
        "has ' (U+0027 APOSTROPHE) (article: 'o all of the country’s regions by the mo'): "
        "copy the passage from the article",
    )


def test_quote_in_a_list_names_its_index(
    run: Invoker, db: psycopg.Connection, loaded: Path
) -> None:
    seed = loaded / SEED
    edit(seed, "      - the mission in Kazakhstan\n", "      - the mission to Kazakhstan\n")
    assert_refused(
        run,
        db,
        [loaded],
        f"{at(seed, '- the mission to Kazakhstan', 9)}: missions[0].evidence[1]: expected a "
        f"quote found verbatim in {TEXT}, got 'the mission to Kazakhstan'",
    )


def test_unknown_country_code(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    registry = loaded / "registry.yaml"
    edit(registry, "iso2: KZ", "iso2: XX")
    output = assert_refused(
        run,
        db,
        [loaded],
        f"{at(registry, 'iso2: XX', 11)}: places[0].iso2: expected an ISO 3166-1 alpha-2 "
        "country code that pycountry knows, got 'XX'",
    )
    # One problem: what refers to kz is not blamed as well.
    assert output.startswith("Error: 1 problem in seed files:\n"), output


def test_one_typo_in_the_registry_is_one_problem(
    run: Invoker, db: psycopg.Connection, loaded: Path
) -> None:
    """The registry is refused, but the article's references to it are not blamed too."""
    registry = loaded / "registry.yaml"
    edit(registry, "geo_precision: 1", "geo_precision: high")
    output = assert_refused(
        run,
        db,
        [loaded],
        f"{at(registry, 'geo_precision: high', 20)}: places[4].geo_precision: expected a "
        "whole number, got 'high'",
    )
    assert output.startswith("Error: 1 problem in seed files:\n"), output


# -- the same slug twice -------------------------------------------------------------------


def test_same_slug_twice_in_one_file(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    registry = loaded / "registry.yaml"
    edit(
        registry,
        "  - slug: af\n",
        "  - slug: cn\n    name: People's Republic of China\n    kind: country\n    iso2: CN\n"
        "  - slug: af\n",
    )
    lines = registry.read_text(encoding="utf-8").splitlines()
    first, second = [i for i, line in enumerate(lines, 1) if line == "  - slug: cn"]
    assert_refused(
        run,
        db,
        [loaded],
        f"{registry}:{second}:5: places[3]: place 'cn' is defined twice with different content "
        f"(first at {registry}:{first}:5): name \"People's Republic of China\" here, 'China' "
        "there; remove one, or give it another slug",
    )


def test_same_slug_in_two_files(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    other = loaded / "other.yaml"
    other.write_text(
        "places:\n  - slug: cn\n    name: PRC\n    kind: country\n    iso2: CN\n", encoding="utf-8"
    )
    registry = loaded / "registry.yaml"
    assert_refused(
        run,
        db,
        [loaded],
        f"{at(registry, 'slug: cn', 5)}: places[2]: place 'cn' is defined twice with different "
        f"content (first at {other}:2:5): name 'China' here, 'PRC' there; define it once (in a "
        "registry file if several files need it)",
    )


def test_same_slug_in_a_file_loaded_later(
    run: Invoker, db: psycopg.Connection, loaded: Path
) -> None:
    """The registry is in the database; a file loaded alone redefines one of its places."""
    other = loaded / "other.yaml"
    other.write_text(
        "places:\n  - slug: cn\n    name: PRC\n    kind: country\n    iso2: CN\n", encoding="utf-8"
    )
    before = snapshot(db)
    result = run("seed", "load", str(other))
    assert result.exit_code == 1, result.output
    assert (
        f"{other}:2:5: places[0]: place 'cn' is already defined differently by "
        f"{(loaded / 'registry.yaml').resolve()}" in result.output
    )
    assert snapshot(db) == before


def test_two_casualty_reports_with_the_same_key(
    run: Invoker, db: psycopg.Connection, loaded: Path
) -> None:
    seed = loaded / SEED
    edit(seed, "    figure: 4500\n", "    figure: 4500\n    population: all\n")
    edit(seed, "    category: injured\n", "    category: killed\n")
    edit(seed, "    figure: 225\n", "    figure: 225\n    population: all\n")
    lines = seed.read_text(encoding="utf-8").splitlines()
    first, second = [
        i for i, line in enumerate(lines, 1) if line == "  - incident: 2022-kazakhstan-unrest"
    ]
    assert_refused(
        run,
        db,
        [loaded],
        f"{seed}:{second}:5: casualty_reports[1]: casualty report '2022-kazakhstan-unrest/"
        f"{ARTICLE}/killed-all-kazakh-authorities' is defined twice with different content "
        f"(first at {seed}:{first}:5): figure 4500 here, 225 there; qualifier 'more_than' here, "
        "'exact' there; count_low 4501 here, 225 there; if both are meant, give each a slug of "
        "its own",
    )


def test_a_fact_in_a_registry(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    registry = loaded / "registry.yaml"
    edit(
        registry,
        "\npersons:",
        "\nincidents:\n  - slug: 2022-almaty-riot\n    title: Riot in Almaty\n    type: riot\n"
        "    occurred: 2022-01-05\n\npersons:",
    )
    assert_refused(
        run,
        db,
        [loaded],
        f"{at(registry, 'slug: 2022-almaty-riot', 5)}: incidents[0]: every incident needs "
        "evidence, a quote from an article, and a file without a source (a registry) has none; "
        "code it in the seed file of an article that reports it",
    )


# -- the article -----------------------------------------------------------------------------


def test_article_missing(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    (loaded / TEXT).unlink()
    assert_refused(
        run,
        db,
        [loaded],
        f"{at(loaded / SEED, 'file: ', 9)}: source.file: article file not found: {loaded / TEXT}",
    )


def test_article_edited_after_coding(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    article = loaded / TEXT
    article.write_text(article.read_text(encoding="utf-8") + " More.", encoding="utf-8")
    actual = hashlib.sha256(article.read_bytes()).hexdigest()
    assert_refused(
        run,
        db,
        [loaded],
        f"{at(loaded / SEED, 'sha256: ', 11)}: source.sha256: the article {article} was edited "
        "after coding: expected sha256 7efaedceec7ff8aced121f5734af28dc50bdfd4c0acb7c7faf163cd"
        f"713d287b1, the file has {actual}; re-check every quote, then update sha256",
    )


def test_article_not_utf8(run: Invoker, db: psycopg.Connection, loaded: Path) -> None:
    article = loaded / TEXT
    data = article.read_bytes().replace("country’s".encode(), b"country\x92s")  # cp1252
    article.write_bytes(data)
    seed = loaded / SEED
    text = seed.read_text(encoding="utf-8")
    seed.write_text(
        re.sub(r"sha256: \w+", f"sha256: {hashlib.sha256(data).hexdigest()}", text),
        encoding="utf-8",
    )
    line = data.count(b"\n", 0, data.index(b"\x92")) + 1
    column = data.index(b"\x92") - data.rfind(b"\n", 0, data.index(b"\x92"))
    assert_refused(
        run,
        db,
        [loaded],
        f"{at(seed, 'file: ', 9)}: source.file: expected the article {article} in UTF-8, got "
        f"the byte 0x92 at line {line}, column {column} of it; save it as UTF-8, then update "
        "sha256",
    )


# -- many problems, many files -------------------------------------------------------------


def test_every_problem_in_a_file_is_reported_up_to_fifty(
    run: Invoker, db: psycopg.Connection, loaded: Path
) -> None:
    seed = loaded / SEED
    bad = "".join(
        "  - incident: 2022-kazakhstan-unrest\n    category: killed\n"
        f"    figure: m{i:02}\n    qualifier: exact\n    evidence: the upheaval\n"
        for i in range(60)
    )
    edit(seed, "casualty_reports:\n", "casualty_reports:\n" + bad)
    expected = [
        f"{at(seed, f'figure: m{i:02}', 13)}: casualty_reports[{i}].figure: expected a whole "
        f"number, got 'm{i:02}'"
        for i in range(60)
    ]
    output = assert_refused(run, db, [loaded], *expected[:50])
    lines = output.splitlines()
    assert lines[0] == "Error: 60 problems in seed files:"
    assert lines[1:51] == expected[:50]
    assert lines[51:] == ["... and 10 more problems"]


def test_a_file_with_more_problems_than_are_kept_counts_every_one(tmp_path: Path) -> None:
    """Problems past the first MAX_KEPT are counted, not kept: the count stays exact, and
    --format json lists the ones kept."""
    import json

    from incidentdb.seeds.messages import MAX_KEPT

    n = MAX_KEPT + 7
    path = tmp_path / "places.yaml"
    path.write_text(
        "places:\n" + "".join(f"  - {{slug: p{i}, name: P, kind: town}}\n" for i in range(n)),
        encoding="utf-8",
    )
    result = validate(path)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Error: {n} problems in seed files:"
    assert lines[1].startswith(f"{path}:2:31: places[0].kind: expected 'country', ")
    assert lines[51:] == [f"... and {n - 50} more problems"]
    result = CliRunner().invoke(
        cli, ["seed", "validate", str(path), "--format", "json"], env=NO_DATABASE
    )
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["problem_count"] == n
    problems = report["problems"]
    assert len(problems) == MAX_KEPT
    assert [p["field"] for p in problems] == [f"places[{i}].kind" for i in range(MAX_KEPT)]
    assert problems[-1]["line"] == MAX_KEPT + 1


def test_problems_in_several_files_are_reported_together(
    run: Invoker, db: psycopg.Connection, loaded: Path
) -> None:
    edit(loaded / "registry.yaml", "kind: city", "kind: town")
    edit(loaded / SEED, "figure: 225", "figure: -1")
    output = assert_refused(
        run,
        db,
        [loaded],
        f"{at(loaded / 'registry.yaml', 'kind: town', 11)}: places[4].kind: expected 'country'",
        f"{at(loaded / SEED, 'figure: -1', 13)}: casualty_reports[0].figure: expected a number "
        "of at least 0, got -1",
    )
    assert output.startswith("Error: 2 problems in seed files:\n"), output


def test_one_bad_file_among_good_ones_writes_nothing(
    run: Invoker, db: psycopg.Connection, seeds: Path
) -> None:
    (seeds / "zz-bad.yaml").write_text(
        "places:\n  - slug: almaty\n    name: Almaty\n    kind: city\n    parent: kz\n"
        "    latitude: north\n",
        encoding="utf-8",
    )
    assert_refused(
        run,
        db,
        [seeds],
        f"{seeds / 'zz-bad.yaml'}:6:15: places[0].latitude: expected a number, got 'north'",
    )
    assert db.execute("SELECT count(*) FROM seed_file").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM place").fetchone() == (0,)


def test_one_bad_file_keeps_a_good_edit_out_too(
    run: Invoker, db: psycopg.Connection, loaded: Path
) -> None:
    edit(loaded / SEED, "figure: 225", "figure: 230")  # a good edit...
    (loaded / "zz-bad.yaml").write_text("places: {}\n", encoding="utf-8")  # ...and a bad file
    assert_refused(
        run, db, [loaded], f"{loaded / 'zz-bad.yaml'}:1:9: places: expected a list, got a mapping"
    )
    assert db.execute(
        "SELECT figure FROM casualty_report WHERE category = 'killed'"
    ).fetchone() == (225,)


def test_missing_path(run: Invoker, db: psycopg.Connection, seeds: Path) -> None:
    assert_refused(run, db, [seeds / "nope.yaml"], f"{seeds / 'nope.yaml'}: no such file or folder")
