"""`seed draft` on short event reports: figures in any wording, places placed in their
country offline, well-known actors known, nothing invented. Every sentence here is written
for these tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from incidentdb.draft import Gazetteer, draft_article
from incidentdb.draft.article import read_article
from incidentdb.draft.known import known_actors
from incidentdb.draft.model import Entities
from incidentdb.draft.numbers.casualties import find_casualties
from incidentdb.draft.writer import write_draft
from incidentdb.vocabulary import OrganisationKindCode

DAY = dt.date(2019, 5, 3)


def figures(sentence: str) -> tuple[list[tuple[Any, ...]], list[str]]:
    skipped: list[str] = []
    found = find_casualties(read_article(sentence.encode()), Entities(), [], [], 0, skipped)
    return [(c.category, c.figure.value, c.qualifier, c.population) for c in found], skipped


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A peacekeeper was killed when the patrol drove over a mine.",
         [("killed", 1, "exact", "peacekeeper")]),
        ("Raiders set fire to the stalls, killing two traders.",
         [("killed", 2, "exact", "traders")]),
        ("Two soldiers were wounded in the exchange of fire.",
         [("injured", 2, "exact", "soldiers")]),
        ("The ambush left seven dead near the ford.", [("killed", 7, "exact", None)]),
        ("Herders later found 12 bodies in the riverbed.", [("killed", 12, "exact", None)]),
        ("The bodies of three drivers were recovered on Friday.",
         [("killed", 3, "exact", "drivers")]),
        ("Dozens of villagers were abducted from the hamlet.",
         [("missing", 24, "approximately", "villagers")]),
        ("An aid worker was shot and injured at the checkpoint.",
         [("injured", 1, "exact", "aid worker")]),
        # a long subject before its verb group
        ("Three nurses of a mobile clinic run by a local charity were killed in the raid.",
         [("killed", 3, "exact", "nurses")]),
        ("One cook working for the relief agency was shot and killed near the market.",
         [("killed", 1, "exact", "cook")]),
        ("Two guards and their families were reportedly killed overnight.",
         [("killed", 2, "exact", "guards")]),
        # a first verb, then the category's
        ("A porter was taken into the forest and hacked to death by raiders.",
         [("killed", 1, "exact", "porter")]),
        ("One teacher was wounded and later died in the clinic.",
         [("killed", 1, "exact", "teacher")]),
        ("Four herders were kidnapped and killed by a gang.",
         [("killed", 4, "exact", "herders")]),
        # one person named by 'the', 'he' or 'she', or 'the death of'
        ("The driver was killed and two others were wounded.",
         [("injured", 2, "exact", None), ("killed", 1, "exact", "driver")]),
        ("He later died of his wounds.", [("killed", 1, "exact", None)]),
        ("The gunmen opened fire, causing the death of the driver.",
         [("killed", 1, "exact", "driver")]),
        # one of a larger number: both the person and the whole are counted
        ("A guard was one of nine civilians killed in the raid.",
         [("killed", 9, "exact", "civilians"), ("killed", 1, "exact", "guard")]),
    ],
)  # fmt: skip
def test_figures_in_any_wording(sentence: str, expected: list[Any]) -> None:
    assert figures(sentence)[0] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # the subject has a verb of its own: the words do not say whom 'killed' counts
        "Two drivers were unloading sacks when a guard was killed.",
        # no group counted
        "Two weeks of talks were held before the killings.",
        "Three aid workers were released after the gunmen were killed.",
    ],
)
def test_a_subject_with_its_own_verb_is_not_read(sentence: str) -> None:
    assert not [f for f in figures(sentence)[0] if f[1] in {2, 3}]


def test_out_of_combat_is_left_for_review() -> None:
    found, skipped = figures('The clashes left 14 fighters "out of combat", the army said.')
    assert found == []
    assert len(skipped) == 1 and "out of combat" in skipped[0] and "'14'" in skipped[0]


def test_an_unknown_word_never_raises() -> None:
    # every verb the rules read before a figure maps to a category or is skipped
    for verb in ("killing", "kills", "murdering", "abducting", "leaving"):
        figures(f"Gunmen stormed the camp, {verb} four guards.")


def draft(tmp_path: Path, text: str, day: dt.date = DAY) -> tuple[Any, dict[str, Any]]:
    article = tmp_path / "report.txt"
    article.write_text(text + "\n", encoding="utf-8")
    g = Gazetteer()
    result = draft_article(article, g, published_on=day)
    path, _ = write_draft(result, tmp_path / "report.draft.yaml", g.files)
    return result, YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _places(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in doc.get("places") or []}


def test_a_one_line_report_is_its_own_body(tmp_path: Path) -> None:
    result, doc = draft(tmp_path, "Unknown gunmen killed three farmers in Bentiu on 2 May.")
    assert result.article.brief
    assert doc["source"]["title"].startswith("Unknown gunmen killed three farmers")
    assert [(c["category"], c["figure"]) for c in doc["casualty_reports"]] == [("killed", 3)]


def test_the_country_comes_from_the_town(tmp_path: Path) -> None:
    _, doc = draft(tmp_path, "Unknown gunmen killed three farmers in Bentiu on 2 May.")
    places = _places(doc)
    assert places["Bentiu"]["parent"] == "ss"
    assert places["South Sudan"]["iso2"] == "SS"
    assert doc["incidents"][0]["country"] == "ss"


@pytest.mark.parametrize(
    ("text", "name", "iso2"),
    [
        ("Gunmen shot a driver near Bunia on the way to the market.", "Bunia", "CD"),
        ("A convoy was stopped between Rumbek and Wau by armed youths.", "Wau", "SS"),
        ("Bandits robbed two traders on the Bangui-Damara road.", "Damara", "CF"),
        ("Fighting was reported in the area of Kidal for a second day.", "Kidal", "ML"),
        ("Raiders burned huts in the village of Tora (Ulang, Upper Nile).", "Upper Nile", "SS"),
    ],
)
def test_place_patterns(tmp_path: Path, text: str, name: str, iso2: str) -> None:
    _, doc = draft(tmp_path, text)
    places = _places(doc)
    assert name in places
    assert doc["incidents"][0]["country"] == iso2.lower()


def test_a_village_in_parentheses_gets_its_region(tmp_path: Path) -> None:
    _, doc = draft(tmp_path, "Raiders burned huts in the village of Tora (Ulang, Upper Nile).")
    places = _places(doc)
    assert places["Tora"]["kind"] == "locality"
    assert places["Tora"]["parent"] == "ss"


def test_well_known_actors_are_known(tmp_path: Path) -> None:
    _, doc = draft(
        tmp_path,
        "Al-Shabaab fighters attacked an AMISOM base near Baidoa, and Malian soldiers were "
        "not involved.",
    )
    orgs = {o["slug"]: o for o in doc["organisations"]}
    assert orgs["al-shabaab"]["kind"] == "armed_group"
    assert orgs["amisom"]["acronym"] == "AMISOM"
    assert orgs["fama"]["name"] == "Malian Armed Forces"


def test_a_place_name_is_no_organisation(tmp_path: Path) -> None:
    _, doc = draft(tmp_path, "An INGO staff member was robbed in the PoC site in Bentiu.")
    assert not doc.get("organisations")


def test_the_almaty_dateline_and_its_figures(tmp_path: Path) -> None:
    result, doc = draft(
        tmp_path,
        "Almaty [Kazakhstan], January 15 (ANI): The death toll of the unrest rose to 225, "
        "officials said.",
        dt.date(2022, 1, 15),
    )
    assert result.dateline is not None and result.dateline.place.text == "Almaty"
    assert result.dateline.region is not None and result.dateline.region.text == "Kazakhstan"
    assert ("killed", 225) in [(c["category"], c["figure"]) for c in doc["casualty_reports"]]


def test_every_shipped_actor_is_well_formed() -> None:
    import pycountry

    kinds = set(OrganisationKindCode.__args__)
    slugs: set[str] = set()
    for a in known_actors():
        assert a.slug not in slugs, a.slug
        slugs.add(a.slug)
        assert a.slug == a.slug.lower() and " " not in a.slug
        assert a.kind in kinds, a.slug
        assert a.name.strip() and a.source.strip(), a.slug
        if a.country is not None:
            assert pycountry.countries.get(alpha_2=a.country) is not None, a.slug
        if a.national:
            assert a.country is not None and a.kind == "military_force", a.slug
    assert len(slugs) >= 100


@pytest.mark.parametrize(
    ("text", "name", "iso2"),
    [
        # a county, territory or cercle that ISO 3166-2 lacks (data/subdivisions.yaml)
        ("A guard was beaten at a clinic in Maban County.", "Maban", "SS"),
        ("Two drivers were stopped by gunmen in Fizi territory.", "Fizi", "CD"),
        # a town shared by several countries: the subdivision of that name wins
        ("Thieves broke into a warehouse in Bor town at night.", "Bor", "SS"),
        # a county name of two words, the second a word of direction
        ("A nurse was abducted in Jambo, Mundri East County.", "Mundri East", "SS"),
        # a name without a preposition before it
        ("The convoy came under fire as it was leaving Abeibara.", "Abeibara", "ML"),
        ("A bomb went off near a hotel in the capital Mogadishu.", "Mogadishu", "SO"),
        # the apostrophe of a transliteration
        ("Gunmen robbed a pharmacy in N'dele after dark.", "N'dele", "CF"),
        # an acronym after the name, a word of direction before it
        ("A cook was assaulted in Bentiu PoC on the way to work.", "Bentiu", "SS"),
        ("A clinic was looted in Eastern Tigray last week.", "Eastern Tigray", "ET"),
        # a word of a subdivision that one country alone uses
        ("Two cooks were kidnapped in Wunlit payam by an unknown group.", "Wunlit", "SS"),
        # a village named after the county it lies in: placed in that county's country
        ("A guard was shot in Duk Padiet during a cattle raid.", "Duk Padiet", "SS"),
        # the X-Y road with a capital R, a zone of Ethiopia, a state as news text spells it
        ("A truck was stopped on the Torit-Kapoeta Road by gunmen.", "Torit", "SS"),
        ("A driver was shot in West Wellega on his way home.", "West Wellega", "ET"),
        ("A nurse was beaten in Western Equatorial near a clinic.", "Western Equatorial", "SS"),
        # a camp by its name and its kind: "Kaya" alone is also a town of Burkina Faso
        ("Two cooks were robbed in Kaya Refugee Camp at night.", "Kaya Refugee Camp", "SS"),
        ("A guard was stabbed in Nduta camp after a quarrel.", "Nduta", "TZ"),
    ],
)
def test_places_that_name_no_country(tmp_path: Path, text: str, name: str, iso2: str) -> None:
    _, doc = draft(tmp_path, text)
    assert name in _places(doc)
    assert doc["incidents"][0]["country"] == iso2.lower()


def test_another_language_s_name_weighs_little() -> None:
    from incidentdb.draft import geonames
    from incidentdb.draft.localities import _votes
    from incidentdb.draft.text import Span

    # "Minga" is a name of Munich in GeoNames; "Wau" a town of South Sudan
    names = [(Span(0, 5, "Minga"), "", None, geonames.resolve("Minga")),
             (Span(9, 12, "Wau"), "", None, geonames.resolve("Wau"))]  # fmt: skip
    votes = _votes(names)
    assert votes["SS"] > votes["DE"]


def test_an_acronym_is_no_place(tmp_path: Path) -> None:
    from incidentdb.draft import geonames

    assert geonames.resolve("INGO") == [] and geonames.resolve("NGO") == []
    _, doc = draft(tmp_path, "An INGO office was looted by armed men.")
    assert not doc.get("places")


def test_a_nationality_does_not_set_the_country(tmp_path: Path) -> None:
    _, doc = draft(tmp_path, "A Kenyan driver was shot in Yei town while unloading food.")
    assert doc["incidents"][0]["country"] == "ss"


def test_an_armed_actor_of_one_country_sets_it(tmp_path: Path) -> None:
    # the country's name inside the group's name is not the country of the event
    _, doc = draft(
        tmp_path,
        "Fighters of the Sudan People's Liberation Movement-in-Opposition held two "
        "nurses at Dorwai.",
    )
    assert doc["incidents"][0]["country"] == "ss"
    assert "spla-io" in {o["slug"] for o in doc["organisations"]}


def test_every_shipped_subdivision_and_camp_is_well_formed() -> None:
    import pycountry

    from incidentdb.draft.geonames import camps, second_level

    assert len(second_level()) >= 300 and len(camps()) >= 50
    for iso2, name, spellings in second_level() + camps():
        assert pycountry.countries.get(alpha_2=iso2) is not None, name
        assert name == spellings[0] and all(s.strip() == s and s for s in spellings), name


def _orgs(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["name"]: o for o in doc.get("organisations") or []}


def test_an_identity_militia_is_named_by_its_community(tmp_path: Path) -> None:
    _, doc = draft(tmp_path, "Two herders were beaten by Murle raiders near the river in Pibor.")
    org = _orgs(doc)["Murle Militia"]
    assert org["kind"] == "armed_group" and org["aliases"] == ["Murle"]
    (tmp_path / "c").mkdir()
    _, doc = draft(tmp_path / "c", "A clinic was looted by armed Fulani tribesmen near Bouar.")
    assert _orgs(doc)["Fulani Militia"]["aliases"] == ["Fulani", "Fulani tribesmen"]
    (tmp_path / "d").mkdir()
    _, doc = draft(tmp_path / "d", "Armed men, believed to be Toposa, robbed a truck in Torit.")
    assert _orgs(doc)["Toposa Militia"]["aliases"] == ["Toposa"]
    (tmp_path / "e").mkdir()
    _, doc = draft(tmp_path / "e", "The gunmen were believed to be Bentiu residents.")
    assert "Bentiu Militia" not in _orgs(doc)  # a place, not a community
    # words of no community ('Unknown', 'Armed') and a sentence's first word are not read
    (tmp_path / "b").mkdir()
    _, doc = draft(
        tmp_path / "b", "Hooded raiders robbed a shop in Pibor. Unknown gunmen and armed men fled."
    )
    assert not [o for o in _orgs(doc) if o.endswith("Militia")]


def test_a_state_force_named_by_a_generic_word(tmp_path: Path) -> None:
    # the police of the country of the text's places, proposed for review
    _, doc = draft(tmp_path, "A driver was beaten by police officers at a checkpoint in Yei.")
    police = _orgs(doc)["Police"]
    assert police["country"] == "ss" and police["kind"] == "state_agency"
    # a country's soldiers are its armed forces, when the shipped registry knows them
    (tmp_path / "b").mkdir()
    _, doc = draft(tmp_path / "b", "A nurse was shot by government troops in Bor town.")
    assert "South Sudan People's Defence Forces" in _orgs(doc)


def test_generic_forces_are_left_to_the_coder_in_a_full_article(tmp_path: Path) -> None:
    text = (
        "Protest in the capital\n\nPolice fired tear gas at protesters in Nairobi.\n\n"
        "Several people were hurt, police said.\n"
    )
    _, doc = draft(tmp_path, text)
    assert "Police" not in _orgs(doc)


def test_a_country_s_named_police_body_is_known(tmp_path: Path) -> None:
    _, doc = draft(tmp_path, "A cook was assaulted by the Administration Police in Lodwar.")
    assert _orgs(doc)["Administration Police Service"]["country"] == "ke"


def test_the_country_the_places_lie_in_wins_over_one_merely_named(tmp_path: Path) -> None:
    # Mali is named first, but the town lies in Niger, which the text names too
    _, doc = draft(
        tmp_path,
        "Gunmen heading for Mali seized a driver in Abalak. Niger's police are searching.",
    )
    assert _places(doc)["Abalak"]["parent"] == "ne"
    assert doc["incidents"][0]["country"] == "ne"


def test_a_town_weighs_more_than_a_country_named_once(tmp_path: Path) -> None:
    _, doc = draft(tmp_path, "A nurse was shot in Yei and flown to a hospital in Kenya.")
    assert doc["incidents"][0]["country"] == "ss"


def test_a_subdivision_one_letter_off_is_read_when_only_one_is_near() -> None:
    from incidentdb.draft import geonames

    assert [p.iso2 for p in geonames.resolve_misspelt("Jongeli")] == ["SS"]
    assert geonames.resolve_misspelt("Mundri Est") == []  # Mundri East or Mundri West
    assert geonames.resolve_misspelt("Gredo") == []  # too short to tell


def test_a_misspelt_state_places_the_village(tmp_path: Path) -> None:
    _, doc = draft(tmp_path, "Raiders burned a clinic in Pakeer village, Jongeli State.")
    assert doc["incidents"][0]["country"] == "ss"
