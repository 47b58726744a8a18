"""Synthetic inputs for the benchmarks: ACLED-format CSV files and seed files of any size.

The ACLED rows follow the export's real columns; events repeat on a second row (one per
associated actor) as real exports do for about one event in ten.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import random
from pathlib import Path

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
EVENT_TYPES = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]
COUNTRIES = [
    ("Kazakhstan", "398", "KAZ"),
    ("Kyrgyzstan", "417", "KGZ"),
    ("Tajikistan", "762", "TJK"),
    ("Uzbekistan", "860", "UZB"),
    ("Central African Republic", "140", "CAF"),
    ("Mali", "466", "MLI"),
]


def write_acled(path: Path, events: int, seed: int = 7, first: int = 0) -> int:
    """Write an ACLED-format CSV with `events` distinct events numbered from `first`; returns
    the number of rows."""
    rng = random.Random(seed)
    start = dt.date(2018, 1, 1)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(ACLED_COLUMNS)
        for n in range(first, first + events):
            country, iso, code = COUNTRIES[n % len(COUNTRIES)]
            day = start + dt.timedelta(days=rng.randrange(2500))
            admin1 = f"Region {rng.randrange(12)}"
            admin2 = f"District {rng.randrange(40)}"
            location = f"Town {rng.randrange(400)}"
            event_type = EVENT_TYPES[rng.randrange(len(EVENT_TYPES))]
            fatalities = "" if rng.random() < 0.05 else str(rng.choice([0, 0, 0, 1, 2, 5, 12]))
            base = [
                f"{code}{n + 1}",
                day.isoformat(),
                str(day.year),
                str(rng.choice([1, 1, 1, 2, 3])),
                "Political violence",
                event_type,
                f"{event_type} subtype",
                f"Military Forces of {country}",
                "",
                "1",
                f"Armed group {rng.randrange(60)}",
                "",
                "2",
                "12",
                "",
                iso,
                "Region",
                country,
                admin1,
                admin2,
                "",
                location,
                f"{40 + rng.random():.4f}",
                f"{60 + rng.random():.4f}",
                str(rng.choice([1, 2, 3])),
                rng.choice(["Reuters", "AFP", "Local media"]),
                "National",
                f"On {day:%d %B %Y}, clashes were reported near {location} ({admin2}).",
                fatalities,
                "",
                "1700000000",
            ]
            w.writerow(base)
            rows += 1
            if n % 10 == 0:  # the same event again, for an associated actor
                base[8] = f"Militia {rng.randrange(30)}"
                w.writerow(base)
                rows += 1
    return rows


def write_seed(folder: Path, incidents: int, per_file: int = 1000, seed: int = 11) -> Path:
    """A seed folder of article files and seeds, `per_file` incidents each, every incident
    with a casualty report and two quotes, plus a registry. Returns the folder."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "registry.yaml").write_text(
        "places:\n  - {slug: kz, name: Kazakhstan, kind: country, iso2: KZ}\n"
        "organisations:\n  - {slug: synthetic-agency, name: Synthetic Agency, kind: media}\n",
        encoding="utf-8",
    )
    for first in range(0, incidents, per_file):
        numbers = range(first, min(first + per_file, incidents))
        killed = {n: rng.randrange(1, 90) for n in numbers}
        article = "\n".join(
            f"Clashes in district {n} left {killed[n]} people dead on day {n}." for n in numbers
        )
        name = f"synthetic-{first // per_file:05d}"
        (folder / f"{name}.txt").write_text(article, encoding="utf-8")
        digest = hashlib.sha256(article.encode("utf-8")).hexdigest()
        lines = [
            "source:",
            f"  slug: {name}",
            f"  file: {name}.txt",
            f"  sha256: {digest}",
            "  title: Synthetic report",
            "  publisher: synthetic-agency",
            "  published_on: 2022-01-25",
            "incidents:",
        ]
        reports = ["casualty_reports:"]
        for n in numbers:
            day = dt.date(2000, 1, 1) + dt.timedelta(days=n % 8000)
            lines += [
                f"  - slug: synthetic-{n}",
                f"    title: Clashes in district {n}",
                "    type: armed_clash",
                f"    occurred: {day.isoformat()}",
                "    country: kz",
                f"    evidence: 'Clashes in district {n} left'",
            ]
            reports += [
                f"  - incident: synthetic-{n}",
                "    category: killed",
                f"    figure: {killed[n]}",
                "    qualifier: exact",
                f"    evidence: 'district {n} left {killed[n]} people dead on day {n}.'",
            ]
        (folder / f"{name}.yaml").write_text("\n".join(lines + reports) + "\n", encoding="utf-8")
    return folder
