"""`seed draft` on short real event reports: the Aid Worker Security Database's notes.

Each report's `notes` (one to three sentences written by the database's coders) is written
to a temporary file and drafted with no registry but the shipped one, with --published-on
the record's event_date (the notes carry no publication date; an analyst coding a bulletin
knows its date, and relative dates need one). The draft is written with the seed validator,
as `seed draft` does, and scored against the record's structured fields:

- date: the event's day and month among the draft's resolved dates, over the reports whose
  text prints that day and month;
- killed: a killed casualty report with the record's `fatalities` as figure, over the
  reports whose text gives that number with a word of death in the same sentence (the
  record counts aid workers only: "four were killed, including a guard" gives 4, not 1);
- place: a place of the draft (not a country) that is one of admin1-admin3, over the reports
  whose text names one of them;
- country: the incident's country is the record's, over the reports whose text names a
  place (admin1-admin3) or the country;
- groups: an organisation of the draft (proposed or known) that is the record's actor1,
  over the reports with an armed actor (groups, militias, state forces) that the text names;
- spurious: proposed organisations per report that are no actor at all: neither the
  record's actor1, nor in the shipped registry, nor an organisation the text names as one
  (a name ending in a head word such as Forces or Mission, or "Name (ACRONYM)"), e.g. a
  token of a village name taken for an acronym;
- crashes, and drafts the validator refuses (both must be 0).

The split is fixed: a report is held out when sha256 of its data_id ends in a hex digit
below 3 (3/16 of the reports). The rules were tuned on the development split only.

The data stays where it lies (../shared/data/ from the repository root); this file holds
none of its sentences. Cite: Aid Worker Security Database (aidworkersecurity.org,
Humanitarian Outcomes), via OSAC's "Humanitarian Incidents in Africa" dashboard data.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import tempfile
import traceback
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from incidentdb.draft import Gazetteer, draft_article
from incidentdb.draft.known import known_actors
from incidentdb.draft.numbers import parse_number
from incidentdb.draft.writer import write_draft

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data" / "awsd-africa-2016-2022.csv"
ARMED = {
    "Violent Islamist Extremist Groups",
    "State Forces",
    "Political Militias",
    "Rebel Forces",
    "Identity Militias",
}
GENERIC_ACTORS = {"unknown", "not applicable", "civilians", "civilian", "youths", "clan"}
DEATH = re.compile(
    r"\b(?:killed|dead|died|death|deaths|bodies|body|murdered|slain|lost\s+(?:his|her|their)"
    r"\s+li(?:fe|ves)|succumbed|executed|beheaded|lifeless)\b",
    re.I,
)
HEADS = re.compile(
    r"\b(?:Forces?|Army|Mission|Police|Ministry|Movement|Front|Organi[sz]ation|Council|Union"
    r"|Committee|Militia|Brigades?|Group|Agency|Service|Cross|Crescent|Fund|Programme|Office"
    r"|Coalition|Alliance|Society|Authority|Government|Party)\b"
)
MEASURES = ["date", "killed", "place", "country", "groups"]
TARGETS = {"date": 0.95, "killed": 0.90, "place": 0.90, "country": 0.90, "groups": 0.90}


def held_out(data_id: str) -> bool:
    return hashlib.sha256(data_id.encode()).hexdigest()[-1] in "012"


def norm(name: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    ascii_ = re.sub(r"['’]s\b", "", ascii_)
    ascii_ = re.sub(r"[^a-z0-9]+", " ", ascii_)
    ascii_ = re.sub(r"^(?:the|al|el)\s+", "", ascii_.strip())
    return ascii_.replace(" ", "")


@dataclass
class Tally:
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    counted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    reports: int = 0
    spurious: int = 0
    crashes: int = 0
    invalid: int = 0
    misses: list[str] = field(default_factory=list)

    def score(self, measure: str, counted: bool, hit: bool, label: str) -> None:
        if not counted:
            return
        self.counted[measure] += 1
        if hit:
            self.hits[measure] += 1
        else:
            self.misses.append(f"MISS  {measure:<8} {label}")

    def rate(self, measure: str) -> float:
        n = self.counted[measure]
        return self.hits[measure] / n if n else 1.0


def rows() -> Iterator[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def _actor_names(actor: str) -> set[str]:
    names = {norm(actor)}
    for m in re.finditer(r"\(([^)]+)\)", actor):
        names.update(norm(p) for p in m.group(1).split("/"))
    bare = re.sub(r"\([^)]*\)", "", actor)
    names.update(norm(p) for p in bare.split("/"))
    names.add(norm(re.sub(r"\b(?:Militia|militia|tribe|Tribesman)\b", "", bare)))
    for entry in known_actors():
        forms = {norm(f) for f in entry.forms()}
        if names & forms:
            names |= forms
    return {n for n in names if len(n) > 1}


def _org_names(o: dict[str, Any]) -> set[str]:
    out = {norm(str(o.get("name") or "")), norm(str(o.get("acronym") or ""))}
    out.update(norm(str(a)) for a in o.get("aliases") or [])
    return {n for n in out if n}


def _gives_number(text: str, figure: int) -> bool:
    """The text gives `figure` with a word of death in the same sentence."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if not DEATH.search(sentence):
            continue
        for m in re.finditer(r"\b[\w,-]+\b", sentence):
            f = parse_number(m.group(0))
            if f is not None and f.value == figure and not f.vague:
                return True
        if figure == 1 and re.search(
            r"\b(?:an?|one|his|her)\s+(?:[\w-]+\s+){0,6}?(?:was|were)?\s*(?:killed|dead|died)"
            r"|\b(?:was|has\s+been)\s+(?:shot\s+and\s+)?(?:killed|murdered|shot\s+dead)"
            r"|\b(?:died|succumbed)\b",
            sentence,
            re.I,
        ):
            return True
    return False


def _names_in(text: str, names: list[str]) -> list[str]:
    flat = norm(text)
    return [n for n in names if len(norm(n)) > 2 and norm(n) in flat]


def score_report(row: dict[str, str], g: Gazetteer, tally: Tally, details: bool) -> None:
    text = " ".join(row["notes"].split())
    label = f"{row['data_id']}: {text[:150]}"
    event = dt.date.fromisoformat(row["event_date"])
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / f"awsd-{row['data_id']}.txt"
        article.write_text(text + "\n", encoding="utf-8")
        try:
            draft = draft_article(article, g, published_on=event)
        except Exception:
            tally.crashes += 1
            tally.misses.append(f"CRASH {label}\n{traceback.format_exc()}")
            return
        try:
            path, _ = write_draft(draft, Path(tmp) / "draft.yaml", g.files)
        except Exception as exc:
            tally.invalid += 1
            tally.misses.append(f"INVALID {label}\n{exc}")
            return
        doc = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")) or {}
    tally.reports += 1
    # date
    day_month = re.search(rf"\b0?{event.day}(?:st|nd|rd|th)?\s+{event:%B}\b", text) or re.search(
        rf"\b{event:%B}\s+0?{event.day}\b", text
    )
    got = any(
        d.resolved is not None
        and d.resolved.start <= event <= d.resolved.end
        and (d.resolved.end - d.resolved.start).days < 7
        for d in draft.dates
    )
    tally.score("date", day_month is not None, got, label)
    # killed
    fatalities = int(row["fatalities"] or 0)
    killed = {c["figure"] for c in doc.get("casualty_reports") or [] if c["category"] == "killed"}
    tally.score(
        "killed", fatalities > 0 and _gives_number(text, fatalities), fatalities in killed, label
    )
    # place
    admin = [
        p.strip()
        for a in (row["admin1"], row["admin2"], row["admin3"])
        for p in re.split(r"[,/]", a)
        if p.strip()
    ]
    named = _names_in(text, admin)
    drafted = {norm(p["name"]) for p in doc.get("places") or [] if p["kind"] != "country"}
    for m in doc.get("mentions") or []:
        if m.get("place") and m["place"] in g.places and g.places[m["place"]].kind != "country":
            drafted.add(norm(g.places[m["place"]].name))
    hit = any(norm(a) == d or (len(d) > 3 and (d in norm(a) or norm(a) in d))
              for a in named for d in drafted)  # fmt: skip
    tally.score("place", bool(named), hit, label + f" | want {named} got {sorted(drafted)}")
    # country
    incidents = doc.get("incidents") or []
    country = None
    if incidents and incidents[0].get("country"):
        c = incidents[0]["country"]
        entry = next((p for p in doc.get("places") or [] if p["slug"] == c), None)
        country = entry.get("iso2") if entry else (g.places[c].iso2 if c in g.places else None)
    names_country = bool(named) or bool(_names_in(text, [row["country"]]))
    tally.score("country", names_country, country == row["country_code"], label + f" | {country}")
    # groups, and organisations that are no actor
    orgs = [_org_names(o) for o in doc.get("organisations") or []]
    shipped = {norm(f) for e in known_actors() for f in e.forms()}
    actor = row["actor1"]
    want = _actor_names(actor)
    armed = row["actor_type"] in ARMED and norm(actor) not in {norm(x) for x in GENERIC_ACTORS}
    in_text = armed and any(len(n) > 2 and n in norm(text) for n in want)
    tally.score("groups", in_text, any(o & want for o in orgs), label + f" | want {actor}")
    for o in doc.get("organisations") or []:
        names = _org_names(o)
        if names & want or names & shipped or HEADS.search(str(o["name"])):
            continue
        tally.spurious += 1
        if details:
            tally.misses.append(f"SPURIOUS {o['name']!r} in {label}")


def run_awsd(split: str = "all", details: bool = False) -> list[str]:
    """Print the measures for the development and held-out splits; the problems found."""
    if not DATA.exists():
        print(f"AWSD reports: {DATA} is absent; skipped")
        return []
    g = Gazetteer()
    tallies = {"dev": Tally(), "held-out": Tally()}
    for row in rows():
        name = "held-out" if held_out(row["data_id"]) else "dev"
        if split in (name, "all"):
            score_report(row, g, tallies[name], details)
    print("AWSD short reports (../shared/data/awsd-africa-2016-2022.csv)")
    print()
    shown = [k for k in tallies if split in (k, "all")]
    print("| measure | " + " | ".join(shown) + " | target |")
    print("|---|" + "---:|" * len(shown) + "---:|")
    for m in MEASURES:
        cells = [f"{t.rate(m):.2f} ({t.hits[m]}/{t.counted[m]})" for k, t in tallies.items()
                 if k in shown]  # fmt: skip
        print(f"| {m} | " + " | ".join(cells) + f" | ≥ {TARGETS[m]:.2f} |")
    cells = [f"{t.spurious / max(t.reports, 1):.2f} ({t.spurious}/{t.reports})"
             for k, t in tallies.items() if k in shown]  # fmt: skip
    print("| spurious organisations per report | " + " | ".join(cells) + " | ≤ 0.10 |")
    cells = [f"{t.crashes} / {t.invalid}" for k, t in tallies.items() if k in shown]
    print("| crashes / invalid drafts | " + " | ".join(cells) + " | 0 / 0 |")
    print()
    problems = []
    for k in shown:
        t = tallies[k]
        if details:
            print(f"-- {k}")
            for line in t.misses:
                print(line)
        problems += [line for line in t.misses if line.startswith(("CRASH", "INVALID"))]
    return problems
