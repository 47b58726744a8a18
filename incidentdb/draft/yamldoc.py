"""A YAML document written line by line, so that each `# review` comment sits above its fact."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from typing import Any

from incidentdb.draft.dates import DayRange
from incidentdb.draft.text import Span

PLAIN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, DayRange):
        if value.exact:
            return value.start.isoformat()
        return f"{{from: {value.start.isoformat()}, to: {value.end.isoformat()}}}"
    text = str(value)
    if PLAIN.match(text) and text not in _RESERVED and not re.fullmatch(r"[\d_]+", text):
        return text
    return json.dumps(text, ensure_ascii=False)


def comment(text: str, indent: str) -> list[str]:
    out = []
    for line in text.splitlines() or [""]:
        line = " ".join(line.split())
        while len(line) > 96 - len(indent):
            cut = line.rfind(" ", 0, 96 - len(indent))
            cut = cut if cut > 20 else 96 - len(indent)
            out.append(f"{indent}# {line[:cut]}")
            line = "  " + line[cut:].strip()
        out.append(f"{indent}# {line}".rstrip())
    return out


class Doc:
    """A YAML document written line by line, so that comments sit where a reviewer reads."""

    def __init__(self, article_text: str) -> None:
        self.lines: list[str] = []
        self.text = article_text
        self.dropped: list[str] = []

    def verbatim(self, quotes: Iterable[Span | str], what: str) -> list[str]:
        good = []
        for q in quotes:
            s = q.text if isinstance(q, Span) else q
            if s and s in self.text and s not in good:
                good.append(s)
        if not good:
            self.dropped.append(what)
        return good

    def item(self, indent: str, review: str, fields: list[tuple[str, Any]]) -> None:
        self.lines.extend(comment(f"review: {review}", indent))
        first = True
        for key, value in fields:
            if value is None or value == [] or value == ():
                continue
            lead = f"{indent}- " if first else f"{indent}  "
            first = False
            self._field(lead, indent + "  ", key, value)

    def _field(self, lead: str, indent: str, key: str, value: Any) -> None:
        if isinstance(value, list) and value and isinstance(value[0], dict):
            self.lines.append(f"{lead}{key}:")
            for sub in value:
                sub_review = sub.pop("_review", None)
                if sub_review:
                    self.lines.extend(comment(f"review: {sub_review}", indent + "  "))
                first = True
                for k, v in sub.items():
                    if v is None or v == []:
                        continue
                    self._field(
                        f"{indent}  - " if first else f"{indent}    ", indent + "    ", k, v
                    )
                    first = False
        elif isinstance(value, list):
            if len(value) == 1 and key == "evidence":
                self.lines.append(f"{lead}{key}: {scalar(value[0])}")
            elif all(PLAIN.match(str(v)) for v in value):
                self.lines.append(f"{lead}{key}: [{', '.join(scalar(v) for v in value)}]")
            else:
                self.lines.append(f"{lead}{key}:")
                for v in value:
                    self.lines.append(f"{indent}  - {scalar(v)}")
        else:
            self.lines.append(f"{lead}{key}: {scalar(value)}")
