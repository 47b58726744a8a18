"""Measure `incidentdb seed draft` on the development set in benchmarks/draft/.

For every article there, the drafter runs (with the project's seeds/registry.yaml as its
registry, and --published-on when the expected file says the dateline prints no date), the
draft is checked with the seed validator, every quote in it is checked to be verbatim, and
its facts are compared with the hand-coded *.expected.yaml beside the article.

Prints recall and precision per kind of fact (dates, casualty figures, countries, places,
organisations, persons) for the development set, whose articles the rules were tuned on,
and for the later set in benchmarks/draft/later/, written and coded after that tuning (its
first measurement, before the fixes it prompted, is kept in docs/draft.md). Exits 1 if a
quote is not verbatim or a draft is invalid.

    python benchmarks/draft_eval.py            # the table
    python benchmarks/draft_eval.py --details  # plus every miss and false positive
    python benchmarks/draft_eval.py --awsd-only --split held-out

Then, on the 900 short real event reports of the Aid Worker Security Database in
../shared/data/ (read where they lie, never copied), the measures of benchmarks/draft/awsd.py
for its development and held-out splits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from incidentdb.draft import Gazetteer, draft_article, read_registry
from incidentdb.draft.writer import write_draft

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
DEV_SET = HERE / "draft"
REGISTRY = HERE.parent / "seeds" / "registry.yaml"
KINDS = ["dates", "casualties", "countries", "places", "organisations", "persons"]


@dataclass
class Score:
    expected: int = 0
    predicted: int = 0
    matched_expected: int = 0
    matched_predicted: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def recall(self) -> float:
        return self.matched_expected / self.expected if self.expected else 1.0

    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 1.0


def norm(name: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    ascii_ = re.sub(r"['’]s\b", "", ascii_).replace(".", "").replace("-", " ")
    ascii_ = re.sub(r"^the\s+", "", ascii_)
    return " ".join(ascii_.split())


def _names(entry: dict[str, Any]) -> set[str]:
    out = {norm(str(entry["name"]))}
    if entry.get("acronym"):
        out.add(norm(str(entry["acronym"])))
    out.update(norm(str(a)) for a in entry.get("aliases") or [])
    return out


def _match(expected: list[set[str]], predicted: list[set[str]], score: Score) -> None:
    """One-to-one matching of entities by any shared name."""
    score.expected += len(expected)
    score.predicted += len(predicted)
    used: set[int] = set()
    for e in expected:
        hit = next((i for i, p in enumerate(predicted) if i not in used and e & p), None)
        if hit is None:
            score.misses.append(" / ".join(sorted(e)))
        else:
            used.add(hit)
            score.matched_expected += 1
    for i, p in enumerate(predicted):
        if i in used or any(p & e for e in expected):
            score.matched_predicted += 1
        else:
            score.extras.append(" / ".join(sorted(p)))


def _match_values(expected: list[Any], predicted: list[Any], score: Score) -> None:
    score.expected += len(expected)
    score.predicted += len(predicted)
    pool = list(predicted)
    for e in expected:
        if e in pool:
            pool.remove(e)
            score.matched_expected += 1
        else:
            score.misses.append(str(e))
    pool = list(expected)
    for p in predicted:
        if p in pool:
            pool.remove(p)
            score.matched_predicted += 1
        else:
            score.extras.append(str(p))


def evaluate(folder: Path = DEV_SET) -> tuple[dict[str, Score], list[str]]:
    """Scores per fact kind over the articles in `folder`, and every problem found."""
    scores = {k: Score() for k in KINDS}
    problems: list[str] = []
    yaml = YAML(typ="safe", pure=True)
    for expected_path in sorted(folder.glob("*.expected.yaml")):
        exp = yaml.load(expected_path.read_text(encoding="utf-8"))
        article = folder / exp["article"]
        text = article.read_text(encoding="utf-8")
        g = read_registry([REGISTRY], Gazetteer())
        published = exp["published_on"] if exp.get("give_published_on") else None
        if isinstance(published, str):
            published = dt.date.fromisoformat(published)
        draft = draft_article(article, g, published_on=published)
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / article.name
            copy.write_bytes(article.read_bytes())
            draft.article_path = copy
            try:
                path, _ = write_draft(draft, Path(tmp) / "draft.yaml", g.files)
            except Exception as exc:  # reported, and the run fails
                problems.append(f"{article.name}: invalid draft: {exc}")
                continue
            doc = yaml.load(path.read_text(encoding="utf-8"))
        # every quote verbatim
        for quote in _quotes(doc):
            if quote not in text:
                problems.append(f"{article.name}: quote not verbatim: {quote[:60]!r}")
        label = article.name
        # dates: the resolved date expressions
        want = [(str(d["from"]), str(d["to"])) for d in exp.get("dates") or []]
        got = sorted({(str(d.resolved.start), str(d.resolved.end)) for d in draft.dates
                      if d.resolved is not None})  # fmt: skip
        _tagged(_match_values, label, sorted(set(want)), got, scores["dates"])
        # casualty figures as written
        want_c = [
            (c["category"], int(c["figure"]), c["qualifier"]) for c in exp["casualties"] or []
        ]
        got_c = [(c["category"], int(c["figure"]), c["qualifier"])
                 for c in doc.get("casualty_reports") or []]  # fmt: skip
        _tagged(_match_values, label, want_c, got_c, scores["casualties"])
        # countries and places
        places = {p["slug"]: p for p in doc.get("places") or []}
        mentioned = [m["place"] for m in doc.get("mentions") or [] if m.get("place")]
        countries, others = set(), []
        for s in [*places, *mentioned, (doc["source"].get("dateline"))]:
            if s is None:
                continue
            known = g.places.get(s)
            entry = places.get(s)
            iso = (known.iso2 if known else None) or (entry.get("iso2") if entry else None)
            if iso:
                countries.add(iso)
            else:
                name = known.name if known else entry["name"] if entry else s
                if {norm(name)} not in others:
                    others.append({norm(name)})
        _tagged(_match_values, label, sorted(set(exp["countries"])), sorted(countries),
                scores["countries"])  # fmt: skip
        _tagged(_match, label, [{norm(p)} for p in exp.get("places") or []], others,
                scores["places"])  # fmt: skip
        # organisations: new ones, known ones mentioned, the publisher
        orgs: list[set[str]] = [_names(o) for o in doc.get("organisations") or []]
        known_slugs = [m["organisation"] for m in doc.get("mentions") or []
                       if m.get("organisation")]  # fmt: skip
        pub = doc["source"].get("publisher")
        for s in [*known_slugs, pub]:
            o = g.organisations.get(s) if s else None
            if o is not None:
                names = _names({"name": o.name, "acronym": o.acronym, "aliases": o.aliases})
                if names not in orgs:
                    orgs.append(names)
        _tagged(_match, label, [_names(o) for o in exp.get("organisations") or []], orgs,
                scores["organisations"])  # fmt: skip
        persons = [{norm(p["name"])} for p in doc.get("persons") or []]
        for m in doc.get("mentions") or []:
            if m.get("person") and m["person"] in g.persons:
                persons.append({norm(g.persons[m["person"]].name)})
        _tagged(_match, label, [{norm(p)} for p in exp.get("persons") or []], persons,
                scores["persons"])  # fmt: skip
    return scores, problems


def _tagged(fn: Any, label: str, expected: Any, predicted: Any, score: Score) -> None:
    before_m, before_e = len(score.misses), len(score.extras)
    fn(expected, predicted, score)
    score.misses[before_m:] = [f"{label}: {m}" for m in score.misses[before_m:]]
    score.extras[before_e:] = [f"{label}: {m}" for m in score.extras[before_e:]]


def _quotes(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "evidence":
                out.extend([v] if isinstance(v, str) else list(v))
            else:
                out.extend(_quotes(v))
    elif isinstance(node, list):
        for v in node:
            out.extend(_quotes(v))
    return out


def _table(title: str, folder: Path, details: bool) -> list[str]:
    scores, problems = evaluate(folder)
    articles = len(list(folder.glob("*.expected.yaml")))
    print(f"{title}: {articles} articles in {folder.relative_to(HERE.parent)}")
    print()
    print(f"| {'fact kind':<13} | expected | drafted | recall | precision |")
    print(f"|{'-' * 15}|---------:|--------:|-------:|----------:|")
    for kind, s in scores.items():
        print(
            f"| {kind:<13} | {s.expected:>8} | {s.predicted:>7} | {s.recall():>6.0%} "
            f"| {s.precision():>9.0%} |"
        )
    print()
    print(f"Quotes not verbatim, invalid drafts: {len(problems)}")
    for p in problems:
        print(f"  {p}")
    if details:
        for kind, s in scores.items():
            for m in s.misses:
                print(f"MISS  {kind:<13} {m}")
            for e in s.extras:
                print(f"EXTRA {kind:<13} {e}")
    print()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list misses and extras")
    parser.add_argument("--awsd-only", action="store_true", help="only the AWSD reports")
    parser.add_argument("--split", choices=["dev", "held-out", "all"], default="all")
    args = parser.parse_args()
    problems: list[str] = []
    if not args.awsd_only:
        problems = _table("Development set", DEV_SET, args.details)
        problems += _table("Later set (see docs/draft.md)", DEV_SET / "later", args.details)
    from benchmarks.draft.awsd import run_awsd

    problems += run_awsd(args.split, args.details)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
