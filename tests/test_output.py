"""The output switchboard on its own: the same rows as csv, json, jsonl and table."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from incidentdb.cli import output
from incidentdb.cli.output import Block, Column


@dataclass
class Rows:
    columns: tuple[str, ...]
    rows: list[dict[str, Any]] = field(default_factory=list)


ROWS = Rows(
    ("slug", "figure", "as_of", "note", "former"),
    [
        {"slug": "a", "figure": 4500, "as_of": dt.date(2022, 1, 25), "note": None, "former": True},
        {"slug": "b", "figure": 7, "as_of": None, "note": 'say "hi", [b]x[/b]', "former": False},
    ],
)
EMPTY = Rows(("slug", "figure"))


def write(fmt: str, records: Rows) -> str:
    out = io.StringIO()
    output.write_records(fmt, records, out)
    return out.getvalue()


def test_json_is_an_indented_array_with_iso_dates_and_nulls() -> None:
    text = write("json", ROWS)
    assert text == (
        "[\n"
        "  {\n"
        '    "slug": "a",\n'
        '    "figure": 4500,\n'
        '    "as_of": "2022-01-25",\n'
        '    "note": null,\n'
        '    "former": true\n'
        "  },\n"
        "  {\n"
        '    "slug": "b",\n'
        '    "figure": 7,\n'
        '    "as_of": null,\n'
        '    "note": "say \\"hi\\", [b]x[/b]",\n'
        '    "former": false\n'
        "  }\n"
        "]\n"
    )
    assert json.loads(text)[0] == {
        "slug": "a",
        "figure": 4500,
        "as_of": "2022-01-25",
        "note": None,
        "former": True,
    }


def test_json_streaming_matches_json_dumps() -> None:
    rows = Rows(("k", "v"), [{"k": i, "v": {"nested": [i, "–"]}} for i in range(3)])
    expected = json.dumps(output.jsonable(rows.rows), indent=2, ensure_ascii=False) + "\n"
    assert write("json", rows) == expected


def test_jsonl_is_one_object_per_line() -> None:
    assert write("jsonl", ROWS) == (
        '{"slug": "a", "figure": 4500, "as_of": "2022-01-25", "note": null, "former": true}\n'
        '{"slug": "b", "figure": 7, "as_of": null, "note": "say \\"hi\\", [b]x[/b]", '
        '"former": false}\n'
    )


def test_csv_has_a_header_and_blank_for_null() -> None:
    assert write("csv", ROWS) == (
        "slug,figure,as_of,note,former\n"
        "a,4500,2022-01-25,,true\n"
        'b,7,,"say ""hi"", [b]x[/b]",false\n'
    )


@pytest.mark.parametrize(
    ("fmt", "expected"), [("json", "[]\n"), ("jsonl", ""), ("csv", "slug,figure\n")]
)
def test_empty_results(fmt: str, expected: str) -> None:
    assert write(fmt, EMPTY) == expected


def test_keys_follow_the_columns_not_the_row_dicts() -> None:
    rows = Rows(("b", "a"), [{"a": 1, "b": 2, "extra": 3}])
    assert write("jsonl", rows) == '{"b": 2, "a": 1}\n'


def test_values() -> None:
    assert output.jsonable(Decimal("12")) == 12
    assert output.jsonable(Decimal("1.5")) == 1.5
    assert output.jsonable(dt.datetime(2022, 1, 2, 3, 4)) == "2022-01-02T03:04:00"
    assert output.csv_field(["a; b", 'c "d"']) == '["a; b", "c \\"d\\""]'
    assert output.cell_text(None) == "—"
    assert output.cell_text("") == "—"
    assert output.cell_text(4501) == "4,501"
    assert output.cell_text(False) == "no"
    assert output.cell_text(dt.date(2022, 1, 2)) == "2022-01-02"


def test_document_formats() -> None:
    doc = {"incident": {"slug": "x", "on": dt.date(2022, 1, 2)}, "timeline": []}
    out = io.StringIO()
    output.write_document("json", doc, out)
    assert out.getvalue() == (
        '{\n  "incident": {\n    "slug": "x",\n    "on": "2022-01-02"\n  },\n  "timeline": []\n}\n'
    )
    out = io.StringIO()
    output.write_document("jsonl", doc, out)
    assert out.getvalue() == '{"incident": {"slug": "x", "on": "2022-01-02"}, "timeline": []}\n'
    with pytest.raises(ValueError):
        output.write_document("csv", doc, io.StringIO())


def tables(*blocks: Block) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    output.write_tables(blocks, out, err)
    return out.getvalue(), err.getvalue()


COLUMNS = (
    Column("Slug", "slug"),
    Column("Figure", "figure", justify="right"),
    Column("As of", "as_of"),
    Column("Note", "note", wrap=True),
)


def test_table_is_aligned_with_dashes_for_null_and_literal_text() -> None:
    text, err = tables(Block(COLUMNS, ROWS.rows, title="Figures"))
    assert err == ""
    assert text == (
        "Figures\n"
        "Slug   Figure   As of        Note\n"
        "───────────────────────────────────────────────\n"
        "a       4,500   2022-01-25   —\n"
        'b           7   —            say "hi", [b]x[/b]\n'
    )


def test_long_text_wraps_at_100_columns() -> None:
    long = " ".join(["word"] * 60)
    text, _ = tables(Block(COLUMNS, [{"slug": "a", "figure": 1, "as_of": None, "note": long}]))
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= output.TABLE_WIDTH
    assert len(lines) > 3
    assert all(line == line.rstrip() for line in lines)
    assert text.count("word") == 60


def test_empty_table_says_so_on_stderr_only() -> None:
    assert tables(Block(COLUMNS, [])) == ("", "No rows.\n")


def test_sections_print_their_empty_message() -> None:
    text, err = tables(
        Block(COLUMNS, ROWS.rows[:1], title="First"),
        Block(COLUMNS, [], title="Second", empty="Nothing here."),
        Block((), [], title="Heading only"),
    )
    assert err == ""
    assert text.endswith("\nSecond\nNothing here.\n\nHeading only\n")


def test_computed_cells() -> None:
    column = Column("Range", value=lambda row: f"{row['figure']}+")
    text, _ = tables(Block((column,), ROWS.rows, show_header=False))
    assert text == "4500+\n7+\n"


def test_a_long_block_among_others_is_drawn_part_by_part() -> None:
    """A block longer than TABLE_CHUNK (the ranges of many incidents) comes in several
    chunks, its title first, its rows all there, in order."""
    columns = (Column("N", "n"), Column("Text", "text"))
    rows = [{"n": i, "text": "x"} for i in range(2 * output.TABLE_CHUNK + 10)]
    chunks = list(
        output.block_chunks(
            [Block(columns, rows[:2], title="Few"), Block(columns, rows, title="Many")],
            io.StringIO(),
        )
    )
    assert len(chunks) > 3  # the short block, the long one's title, then its parts
    assert chunks[1].strip() == "Many"
    numbers = [line.split()[0] for chunk in chunks[2:] for line in chunk.splitlines()]
    assert [n for n in numbers if n.replace(",", "").isdigit()] == [f"{r['n']:,}" for r in rows]
