"""The reporting views as files: one SQL file per view in this folder, the views' source.

Each file holds the view's definition (`CREATE OR REPLACE VIEW reporting.NAME AS ...;`), then
`COMMENT ON VIEW` and one `COMMENT ON COLUMN` per column. The data dictionary takes its
descriptions from here. A migration never reads these files, which change: it freezes a copy
of the SQL it runs (Alembic's replaceable objects), so that it stays as it was when it ran.
scripts/snapshot_views.py writes the files from a migrated database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
SCHEMA = "reporting"

_IDENT = r'(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+")'
_LITERAL = r"'((?:[^']|'')*)'"
_CREATE = re.compile(rf"CREATE OR REPLACE VIEW {SCHEMA}\.({_IDENT}) AS\n")
_COMMENT = re.compile(
    rf"^COMMENT ON (VIEW|COLUMN) {SCHEMA}\.({_IDENT})(?:\.({_IDENT}))? IS {_LITERAL};$",
    re.MULTILINE,
)


class ViewFileError(ValueError):
    """A view file that does not have the layout this module reads."""


@dataclass(frozen=True)
class ViewFile:
    name: str
    definition: str  # the SELECT, as pg_get_viewdef(view, true) gives it, without the ';'
    comment: str
    columns: dict[str, str]  # column name -> comment, in the file's order

    def statements(self) -> list[str]:
        """The SQL that creates or replaces the view and sets its comments."""
        view = f"{SCHEMA}.{quote_ident(self.name)}"
        out = [f"CREATE OR REPLACE VIEW {view} AS\n{self.definition}"]
        out.append(f"COMMENT ON VIEW {view} IS {quote_literal(self.comment)}")
        out += [
            f"COMMENT ON COLUMN {view}.{quote_ident(column)} IS {quote_literal(comment)}"
            for column, comment in self.columns.items()
        ]
        return out

    def text(self) -> str:
        """The file's contents."""
        create, *comments = self.statements()
        return (
            f"-- The view {SCHEMA}.{self.name}, with its comments: the source of the view and of\n"
            "-- its entry in the data dictionary. A migration that changes the view freezes a\n"
            "-- copy of this file's SQL; see incidentdb/views/__init__.py.\n"
            f"{create};\n\n" + "".join(f"{c};\n" for c in comments)
        )


def quote_ident(name: str) -> str:
    if re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        return name
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _unquote_ident(text: str) -> str:
    return text[1:-1].replace('""', '"') if text.startswith('"') else text


def parse(name: str, text: str) -> ViewFile:
    create = _CREATE.search(text)
    if create is None or _unquote_ident(create.group(1)) != name:
        raise ViewFileError(f"{name}.sql: no `CREATE OR REPLACE VIEW {SCHEMA}.{name} AS` line")
    body = text[create.end() :]
    end = re.search(r";\n\s*\nCOMMENT ON ", body)
    if end is None:
        raise ViewFileError(f"{name}.sql: the definition must end with ';' before its comments")
    comment: str | None = None
    columns: dict[str, str] = {}
    for kind, view, column, literal in _COMMENT.findall(body[end.end() - len("COMMENT ON ") :]):
        if _unquote_ident(view) != name:
            raise ViewFileError(f"{name}.sql: a comment on {SCHEMA}.{view}, another view")
        value = literal.replace("''", "'")
        if kind == "VIEW" and not column:
            comment = value
        elif kind == "COLUMN" and column:
            columns[_unquote_ident(column)] = value
        else:
            raise ViewFileError(f"{name}.sql: COMMENT ON {kind} with a wrong target")
    if comment is None:
        raise ViewFileError(f"{name}.sql: no COMMENT ON VIEW {SCHEMA}.{name}")
    return ViewFile(name, body[: end.start()].rstrip(), comment, columns)


def load(folder: Path = FOLDER) -> list[ViewFile]:
    """Every view file in `folder`, by name."""
    return [parse(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.sql"))]
