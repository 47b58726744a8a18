"""The seed format: `seed validate` never crashes on any input, the committed JSON Schema
is the command's output, and the example in docs/seed-format.md validates."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidentdb.cli import cli
from tests.conftest import REPO, SEEDS, Invoker

ARTICLE = "tass-2022-01-25-csto-mission-kazakhstan"
TASS_SEED = (SEEDS / f"{ARTICLE}.yaml").read_text(encoding="utf-8")
NO_DATABASE = {"INCIDENTDB_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def validate(*paths: Path) -> Result:
    return CliRunner().invoke(
        cli, ["seed", "validate", *map(str, paths)], env=NO_DATABASE, catch_exceptions=True
    )


def assert_handled(result: Result, folder: Path) -> None:
    """No traceback: exit 0, or exit 1 with every problem on a line that names its file."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        lines = result.output.rstrip("\n").split("\n")
        assert re.fullmatch(r"Error: \d+ problems? in seed files:", lines[0]), result.output
        for line in lines[1:]:
            assert line.startswith(str(folder)) or re.fullmatch(
                r"\.\.\. and \d+ more problems", line
            ), line


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of seeds/ whose article seed each example overwrites."""
    path = tmp_path_factory.mktemp("fuzz") / "seeds"
    shutil.copytree(SEEDS, path)
    yield path


# -- property-based: nothing crashes -------------------------------------------------------

FIELD_NAMES = sorted(
    {
        "source", "places", "organisations", "persons", "incidents", "missions",
        "casualty_reports", "statements", "mentions", "slug", "name", "kind", "iso2",
        "parent", "latitude", "longitude", "geo_precision", "title", "type", "occurred",
        "from", "to", "timeline", "evidence", "figure", "qualifier", "low", "high",
        "category", "incident", "said", "mode", "summary", "speaker", "roles", "former",
        "started", "ended", "contributors", "personnel", "file", "sha256", "published_on",
        "organisation", "place", "country", "as_of", "reported_by",
    }
)  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["2022-01-07", "2022-02-30", "kz", "csto", "exact", "killed", "city"]),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=12))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=25,
)


@FUZZ
@given(document=st.dictionaries(keys, documents, max_size=6))
def test_random_documents_never_crash(folder: Path, document: object) -> None:
    seed = folder / "random.yaml"
    # JSON is YAML; floats like NaN become YAML's .nan spelt the JSON way, still parsed.
    seed.write_text(json.dumps(document, allow_nan=True), encoding="utf-8")
    try:
        assert_handled(validate(folder / "registry.yaml", seed), folder)
    finally:
        seed.unlink()


YAML_NOISE = st.text(
    alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@,?\t\n  \\x0123456789abc’é\u00a0\ufeff")),
    max_size=12,
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """The TASS seed with a few random edits: deletions, insertions, moved or re-indented
    lines, changed characters."""
    text = TASS_SEED
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        lines = text.split("\n")
        op = draw(st.sampled_from(["delete", "insert", "line", "indent", "swap", "replace"]))
        i = draw(st.integers(min_value=0, max_value=len(text)))
        if op == "delete":
            text = text[:i] + text[i + draw(st.integers(min_value=1, max_value=200)) :]
        elif op == "insert":
            text = text[:i] + draw(YAML_NOISE) + text[i:]
        elif op == "replace" and i < len(text):
            text = text[:i] + draw(YAML_NOISE) + text[i + 1 :]
        else:
            n = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            m = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            if op == "line":
                lines.insert(m, lines[n])
            elif op == "indent":
                lines[n] = " " * draw(st.integers(min_value=0, max_value=9)) + lines[n].lstrip()
            else:
                lines[n], lines[m] = lines[m], lines[n]
            text = "\n".join(lines)
    return text


@FUZZ
@given(text=mutated())
def test_mutated_tass_seed_never_crashes(folder: Path, text: str) -> None:
    (folder / f"{ARTICLE}.yaml").write_text(text, encoding="utf-8")
    assert_handled(validate(folder), folder)


@FUZZ
@given(
    position=st.integers(min_value=0, max_value=len(TASS_SEED.encode())),
    noise=st.binary(min_size=1, max_size=8),
)
def test_random_bytes_never_crash(folder: Path, position: int, noise: bytes) -> None:
    data = TASS_SEED.encode()
    (folder / f"{ARTICLE}.yaml").write_bytes(data[:position] + noise + data[position:])
    assert_handled(validate(folder), folder)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    seed = tmp_path / "deep.yaml"
    seed.write_text("places: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    result = validate(seed)
    assert_handled(result, tmp_path)
    assert f"{seed}:1:" in result.output and "nested more than 40 levels deep" in result.output


# -- the JSON Schema -----------------------------------------------------------------------


def test_committed_schema_is_the_commands_output() -> None:
    result = CliRunner().invoke(cli, ["seed", "schema"])
    assert result.exit_code == 0, result.output
    committed = (REPO / "docs" / "seed-file.schema.json").read_text(encoding="utf-8")
    assert result.output == committed, (
        "docs/seed-file.schema.json is stale: incidentdb seed schema > docs/seed-file.schema.json"
    )
    assert json.loads(committed)["title"] == "incidentdb seed file"


def _as_json(path: Path) -> object:
    """A seed file as an editor's schema checker sees it (YAML 1.2: dates are strings)."""
    from ruamel.yaml import YAML

    return json.loads(json.dumps(YAML(typ="safe", pure=True).load(path), default=str))


def test_schema_accepts_the_seeds_and_refuses_a_typo() -> None:
    import jsonschema

    from incidentdb.seeds.format import json_schema

    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    checker = jsonschema.Draft202012Validator(schema)
    for path in sorted(SEEDS.glob("*.yaml")):
        assert [e.message for e in checker.iter_errors(_as_json(path))] == [], path
    bad = {"casualty_reports": [{"incident": "x", "category": "killed", "figur": 1}]}
    messages = [e.message for e in checker.iter_errors(bad)]
    assert any("'figur' was unexpected" in m for m in messages), messages


# -- the example in docs/seed-format.md ----------------------------------------------------

DOC = REPO / "docs" / "seed-format.md"
EXAMPLE = re.compile(r"<!-- example: (?P<name>\S+) -->\n```\w*\n(?P<body>.*?)```\n", re.S)


def example_files() -> dict[str, str]:
    """The files of the complete example: each code block after <!-- example: NAME -->."""
    return {m["name"]: m["body"] for m in EXAMPLE.finditer(DOC.read_text(encoding="utf-8"))}


def write_example(folder: Path) -> None:
    for name, body in example_files().items():
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(body, encoding="utf-8")


def test_docs_example_validates(tmp_path: Path) -> None:
    files = example_files()
    assert sorted(files) == [
        "seeds/registry.yaml",
        "seeds/tass-2022-01-25-excerpt.txt",
        "seeds/tass-2022-01-25-excerpt.yaml",
    ]
    write_example(tmp_path)
    result = validate(tmp_path / "seeds")
    assert result.exit_code == 0, result.output
    assert f"$ incidentdb seed validate seeds\n{result.output}" in DOC.read_text(encoding="utf-8")

    import jsonschema

    from incidentdb.seeds.format import json_schema

    checker = jsonschema.Draft202012Validator(json_schema())
    for path in (tmp_path / "seeds").glob("*.yaml"):
        assert [e.message for e in checker.iter_errors(_as_json(path))] == [], path


def test_docs_example_loads(run: Invoker, tmp_path: Path) -> None:
    """Loaded twice, the example changes nothing the second time."""
    write_example(tmp_path)
    first = run("seed", "load", str(tmp_path / "seeds"))
    assert first.exit_code == 0, first.output
    second = run("seed", "load", str(tmp_path / "seeds"))
    assert "Nothing to do" in second.output


def test_docs_name_every_field_and_code() -> None:
    """Every field of the format and every vocabulary code appears in the guide."""
    import typing

    from incidentdb.seeds import format as fmt
    from incidentdb.vocabulary import VOCABULARY_TYPES

    text = DOC.read_text(encoding="utf-8")
    models = [getattr(fmt, n) for n in dir(fmt) if n.endswith("Spec") and n != "Spec"]
    for model in [*models, fmt.SeedDocument, fmt.DateRange]:
        for name, field in model.model_fields.items():
            assert f"`{field.alias or name}`" in text, f"{model.__name__}.{name}"
    for vocabulary in VOCABULARY_TYPES.values():
        for code in typing.get_args(vocabulary):
            assert f"`{code}`" in text, code
