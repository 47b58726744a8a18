"""The words of casualty figures: the words that name a category ('killed', 'wounded',
'abducted') and the heads of the groups counted ('civilians', 'aid workers', 'a driver')."""

from __future__ import annotations

import re

# Words after (or around) a figure that name its category.
CATEGORY_WORDS: list[tuple[str, str]] = [
    (r"death\s+toll|toll|number\s+of\s+(?:dead|deaths|people\s+killed)|fatalities", "killed"),
    (r"killed|killing|kills|dead|died|deaths?|lost\s+their\s+lives|perished|slain|bodies"
     r"|murdered|murdering|executed|beheaded", "killed"),
    (r"injured|wounded|hurt|injuries|injuring|wounding", "injured"),
    (r"detained|taken\s+into\s+custody|detentions|detaining", "detained"),
    (r"arrested|arrests|arresting", "arrested"),
    (r"missing|disappeared|abducted|abducting|kidnapped|kidnapping|unaccounted\s+for"
     r"|disappearances", "missing"),
    (r"displaced|displacing|fled\s+their\s+homes|forced\s+from\s+their\s+homes|evacuated"
     r"|refugees|homeless", "displaced"),
]  # fmt: skip
POPULATION_HEADS = (
    r"civilians|soldiers|servicemen|servicemembers|police\s+officers|policemen|officers"
    r"|peacekeepers|troops|protesters|demonstrators|children|women|men|fighters|rebels"
    r"|militants|journalists|workers|students|migrants|prisoners|residents|security\s+personnel"
    r"|members\s+of\s+(?:the\s+)?security\s+forces|personnel|guards|staff|refugees|citizens"
    r"|servicemembers|service\s+members|troopers|gunmen|attackers|assailants|pilgrims"
    r"|traders|farmers|herders|villagers|passengers|drivers|teachers|nurses|doctors|patients"
    r"|volunteers|contractors|employees|staff\s+members|aid\s+workers|health\s+workers"
    r"|humanitarians|IDPs|displaced\s+people|boys|girls|police"
    r"|peacekeeper|soldier|civilian|trader|farmer|driver|volunteer|staff\s+member|guard"
    r"|aid\s+worker|health\s+worker|worker|officer|policeman|nurse|doctor|teacher|contractor"
    r"|employee|man|woman|child|boy|girl|villager|passenger|member|colleague"
    r"|porters?|cooks?|pastors?|administrators?|managers?|elders?|engineers?|technicians?"
    r"|vaccinators?|midwives|midwife|interpreters?|officials?|watchmen|watchman|apprentices?"
    r"|assistants?|coordinators?|laborers|labourers|labou?rer"
)


def category(word: str) -> str | None:
    """The category a word names, or None for a word the rules do not know."""
    for pattern, code in CATEGORY_WORDS:
        if re.fullmatch(pattern, " ".join(word.split()), re.IGNORECASE):
            return code
    return None
