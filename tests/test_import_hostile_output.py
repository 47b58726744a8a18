"""Names and notes holding terminal escape sequences: tables show them escaped; CSV and JSON
keep the data as it is (JSON escapes control characters itself)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from incidentdb.cli.output import Block, Column, cell_text, safe_text, write_records, write_tables
from tests.conftest import Invoker
from tests.test_import_hostile import HEADER, acled_row, write_csv

CLEAR = "\x1b[2J\x1b[H"  # clear the screen, cursor home
HIDDEN = "\x1b[8m"  # concealed text
TITLE = "\x1b]0;owned\x07"  # set the terminal's title


def test_control_characters_are_escaped_in_cells() -> None:
    assert safe_text(f"a{CLEAR}b") == "a\\x1b[2J\\x1b[Hb"
    assert cell_text(f"x{TITLE}") == "x\\x1b]0;owned\\x07"
    assert cell_text("tab\tand\nnewline stay; \x9b is C1") == "tab\tand\nnewline stay; \\x9b is C1"
    assert cell_text(["a\x00", "b"]) == "a\\x00, b"


class _Records:
    columns = ["name"]
    rows = [{"name": f"Bad{CLEAR}name"}]


def test_tables_escape_and_machine_formats_keep(tmp_path: Path) -> None:
    import io

    out = io.StringIO()
    write_tables(
        [Block([Column(f"Name{HIDDEN}", "name")], _Records.rows, title=f"T{TITLE}")], out=out
    )
    assert "\x1b" not in out.getvalue()
    assert "Bad\\x1b[2J\\x1b[Hname" in out.getvalue()
    csv_out = io.StringIO()
    write_records("csv", _Records(), csv_out)
    assert f"Bad{CLEAR}name" in csv_out.getvalue()
    json_out = io.StringIO()
    write_records("json", _Records(), json_out)
    assert "\x1b" not in json_out.getvalue()
    assert json.loads(json_out.getvalue()) == [{"name": f"Bad{CLEAR}name"}]


def test_a_report_of_imported_escapes_is_safe_on_a_terminal(
    run: Invoker, tmp_path: Path, record_property: Any
) -> None:
    path = write_csv(
        tmp_path / "escapes.csv",
        HEADER,
        [acled_row(location=f"Almaty{CLEAR}", notes=f"note{HIDDEN}hidden", actor1=f"A{TITLE}")],
    )
    assert run("import", "acled", "-q", str(path)).exit_code == 0
    for report in ("incidents", "timeline", "organisations", "sources"):
        result = run("report", report)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output, report
    table = run("report", "incidents").output
    assert "Almaty\\x1b[2J\\x1b[H" in table
    raw = run("report", "incidents", "--format", "csv").output
    assert f"Almaty{CLEAR}" in raw
    record_property("bad_inputs", 3)
