"""The output switchboard: every report's rows as a table, CSV, JSON or JSON Lines.

One shape for programs, whatever the report: `json` is an array of objects whose keys are the
reporting view's column names (dates as ISO strings, NULL as null), `jsonl` one such object per
line, `csv` a header row of the same names then one line per row. `table` is for people: a
`rich` table per block, with the columns, headings and derived cells a report's layout
chooses, wrapped to the terminal (100 columns when stdout is not a terminal).

Empty results: `[]` for json, the header alone for csv, nothing for jsonl, and for table
"No rows." on stderr. Data goes to stdout and messages to stderr.

`rich` is imported only when a table is drawn, so that `--help` and machine formats stay fast.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, TextIO, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console

FORMATS = ("table", "csv", "json", "jsonl")
TABLE_WIDTH = 100  # when stdout is not a terminal
NULL_CELL = "—"  # how a table shows NULL (machine formats keep null / an empty field)
NO_ROWS = "No rows."

Row = Mapping[str, Any]
F = TypeVar("F", bound=Callable[..., Any])


class Records(Protocol):
    """What the machine formats need: the column names (even with no rows) and the rows."""

    @property
    def columns(self) -> Sequence[str]: ...

    @property
    def rows(self) -> Iterable[Row]: ...


@dataclass(frozen=True)
class RowSource:
    """Records given as columns and rows (a list, or rows that come one by one as from a
    streamed report: read once, in order)."""

    columns: Sequence[str]
    rows: Iterable[Row]


def format_option(formats: Sequence[str] = FORMATS) -> Callable[[F], F]:
    """The --format option every report shares."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(formats), case_sensitive=False),
        default="table",
        show_default=True,
        help="table for people; "
        + ", ".join(f for f in formats if f != "table")
        + " for programs (jsonl: one JSON object per line).",
    )


# -- values -----------------------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """A value as JSON has it: dates as ISO strings, integral decimals as integers."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if hasattr(value, "isoformat"):  # date, datetime, time
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def csv_field(value: Any) -> str:
    """A value as a CSV field: NULL empty, booleans true/false, lists and objects as JSON
    (a list of quotes joined with any separator could not be split again)."""
    value = jsonable(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


# Control characters (C0 but tab and newline, DEL, C1) would reach the terminal as escape
# sequences (clear the screen, hide text, set the title); tables show them as \xNN instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_text(text: str) -> str:
    """Text with its control characters shown as \\xNN, for a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def cell_text(value: Any) -> str:
    """A value as a table cell: NULL as '—', integers with thousands separators, control
    characters escaped."""
    if value is None or value == "":
        return NULL_CELL
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    value = jsonable(value)
    if isinstance(value, list):
        return ", ".join(cell_text(v) for v in value)
    return safe_text(str(value))


# -- machine formats --------------------------------------------------------------------------


def write_records(fmt: str, records: Records, out: TextIO | None = None) -> None:
    """Write rows as csv, json or jsonl; keys and their order are the records' columns."""
    out = out if out is not None else sys.stdout
    columns = list(records.columns)
    rows = ({c: jsonable(row[c]) for c in columns} for row in records.rows)
    if fmt == "csv":
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_field(v) for v in row.values()])
    elif fmt == "json":
        _write_json_array(rows, out)
    elif fmt == "jsonl":
        import json

        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"not a record format: {fmt!r}")


def _write_json_array(rows: Iterator[dict[str, Any]], out: TextIO) -> None:
    """The same text as json.dumps(list(rows), indent=2), one row at a time."""
    import json

    first = True
    for row in rows:
        item = json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("[\n  " if first else ",\n  ") + item)
        first = False
    out.write("[]\n" if first else "\n]\n")


def write_document(fmt: str, document: Mapping[str, Any], out: TextIO | None = None) -> None:
    """Write one nested object (a dossier): indented JSON, or a single line for jsonl."""
    import json

    out = out if out is not None else sys.stdout
    if fmt == "json":
        out.write(json.dumps(jsonable(document), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        out.write(json.dumps(jsonable(document), ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"a document has no {fmt!r} form")


# -- tables -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a table: a heading and where its cells come from.

    `key` names the row's value; `value` computes the cell instead (e.g. a date range from two
    columns). Short values (codes, slugs, dates, numbers) stay on one line; `wrap` columns
    (names, titles, prose) give up width and wrap at word boundaries when the table is too wide.
    """

    header: str
    key: str | None = None
    value: Callable[[Row], Any] | None = None
    justify: Literal["left", "right"] = "left"
    wrap: bool = False
    min_width: int | None = None
    max_width: int | None = None

    def cell(self, row: Row) -> str:
        if self.value is not None:
            return cell_text(self.value(row))
        return cell_text(row[self.key or self.header])


@dataclass(frozen=True)
class Block:
    """One table under an optional heading; `empty` is printed instead when it has no rows.

    A block without columns is a heading alone (a section whose tables follow).
    """

    columns: Sequence[Column]
    rows: Sequence[Row]
    title: str | None = None
    empty: str | None = None
    show_header: bool = True


def table_width(out: TextIO) -> int:
    """The terminal's width when writing to one, else TABLE_WIDTH."""
    if _isatty(out):
        import shutil

        return shutil.get_terminal_size((TABLE_WIDTH, 24)).columns
    return TABLE_WIDTH


def _isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def _console(buffer: TextIO, width: int, color: bool) -> Console:
    from rich.console import Console

    return Console(
        file=buffer,
        width=width,
        color_system="auto" if color else None,
        force_terminal=color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )


def write_tables(
    blocks: Iterable[Block], out: TextIO | None = None, err: TextIO | None = None
) -> None:
    """Draw each block as a table; a report with no rows at all says so on stderr."""
    out = out if out is not None else sys.stdout
    blocks = list(blocks)
    if not any(b.rows for b in blocks) and not any(b.empty for b in blocks):
        (err if err is not None else sys.stderr).write(NO_ROWS + "\n")
        return
    for text in block_chunks(blocks, out):
        out.write(text)


def block_chunks(blocks: Iterable[Block], out: TextIO) -> Iterator[str]:
    """Each block as text (its title, then its table or its `empty` line), drawn as it
    comes: a report of many blocks starts at once and holds one block at a time."""
    from rich.text import Text

    width, color = table_width(out), _isatty(out)
    for i, block in enumerate(blocks):
        buffer = io.StringIO()
        console = _console(buffer, width, color)
        if i:
            console.print()
        if block.title:
            console.print(Text(safe_text(block.title), style="bold"))
        if len(block.rows) > TABLE_CHUNK and block.show_header:
            # A long table (the ranges of 100,000 incidents) is drawn part by part too.
            yield _unpadded(buffer.getvalue())
            yield from table_chunks(block.columns, block.rows, out)
            continue
        if not block.rows:
            if block.empty:
                console.print(Text(safe_text(block.empty)))
        else:
            table = _table(block.columns, block.show_header)
            for row in block.rows:
                table.add_row(*(Text(column.cell(row)) for column in block.columns))
            console.print(table)
        yield _unpadded(buffer.getvalue())


def _unpadded(text: str) -> str:
    # rich pads every line to the table's width; the padding at the end of lines is noise.
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))


def _table(columns: Sequence[Column], show_header: bool, widths: Sequence[int] = ()) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(
        box=box.SIMPLE_HEAD,
        show_header=show_header,
        header_style="bold",
        pad_edge=False,
        show_edge=False,
    )
    for i, column in enumerate(columns):
        table.add_column(
            safe_text(column.header),
            justify=column.justify,
            overflow="fold",
            no_wrap=not column.wrap,
            min_width=column.min_width,
            max_width=column.max_width,
            width=widths[i] if widths else None,
        )
    return table


TABLE_CHUNK = 500  # rows drawn at a time when a long table is streamed


def table_chunks(
    columns: Sequence[Column], rows: Iterable[Row], out: TextIO, chunk: int | None = None
) -> Iterator[str]:
    """One long table as text, `chunk` rows at a time, so that it starts at once and memory
    stays flat: the first rows set the column widths and the heading comes once. A later
    value too wide for its unwrapped column (a slug is never cut) lays the table out again,
    under a new heading."""
    from itertools import islice

    from rich.cells import cell_len
    from rich.text import Text

    width, color = table_width(out), _isatty(out)
    widths: list[int] | None = None
    it = iter(rows)
    while batch := list(islice(it, chunk or TABLE_CHUNK)):
        cells = [[column.cell(row) for column in columns] for row in batch]
        if widths and any(
            cell_len(line) > widths[i]
            for row_cells in cells
            for i, column in enumerate(columns)
            if not column.wrap
            for line in row_cells[i].split("\n")
        ):
            widths = None
        buffer = io.StringIO()
        console = _console(buffer, width, color)
        table = _table(columns, show_header=not widths, widths=widths or ())
        for row_cells in cells:
            table.add_row(*(Text(cell) for cell in row_cells))
        if widths is None:
            try:  # rich's own layout of the first rows, kept for the rest
                widths = list(table._calculate_column_widths(console, console.options))
            except (AttributeError, TypeError):
                widths = []
        console.print(table)
        yield _unpadded(buffer.getvalue())
