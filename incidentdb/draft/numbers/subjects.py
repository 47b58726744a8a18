"""Figures read from a sentence's subject and its verb, however long the subject is:
'Two aid workers for a local agency were killed', 'One guard working for the clinic was shot
and killed', 'the driver was killed', 'He later died', 'was stabbed to death', 'was wounded
and later died', 'was one of seven civilians killed'.

The subject is a count (a number; for one person 'a', 'an', 'one', 'the' with one person,
'he' or 'she') and the words after it up to the verb group, which name the group counted;
the verb group ends in a word of a category. A subject with a verb of its own ('were walking
... and were killed') is not read: the words do not say who the verb counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from incidentdb.draft.numbers.words import POPULATION_HEADS, category

_AUX = r"(?:was|were|has\s+been|have\s+been|had\s+been|is|are|got)"
_ADV = (
    r"(?:(?:reportedly|allegedly|later|then|also|all|both|subsequently|fatally|critically"
    r"|seriously|severely|badly|gravely|instantly|brutally|eventually|each|apparently)\s+)*"
)
# A first verb before the category's: "shot and killed", "taken into the bush and hacked to
# death", "caught in a cattle raid and killed".
_FIRST = (
    r"(?:(?:shot|stabbed|beaten|hacked|attacked|ambushed|abducted|kidnapped|taken|detained"
    r"|tortured|assaulted|caught|found|hit|captured|wounded|injured|dragged|raped|seized"
    r"|robbed|struck)\b(?:\s+(?!and\b)[\w'’-]+){0,6}?\s*,?\s+and\s+" + _ADV + r")?"
)
_CAT = (
    r"killed|murdered|executed|beheaded|lynched|shot\s+dead|found\s+(?:dead|murdered)"
    r"|(?:stabbed|hacked|beaten|burn(?:ed|t)|shot|clubbed)\s+to\s+death|died|injured|wounded"
    r"|hurt|abducted|kidnapped|detained|arrested"
)
_VERB = (
    rf"(?P<verb>{_AUX}\s+{_ADV}{_FIRST}(?P<cat>{_CAT})"
    rf"|{_AUX}\s+(?:one\s+of|among)\s+(?:the\s+)?(?:[\w,'’-]+\s+){{1,4}}?"
    r"(?P<among>killed|dead|injured|wounded|abducted|kidnapped)"
    rf"|{_ADV}(?P<died>died|succumbed|lost\s+(?:his|her|their)\s+li(?:fe|ves)))\b"
)
_SUBJECT = re.compile(rf"(?P<np>[^.;:!?]{{0,160}}?)\s+{_VERB}", re.IGNORECASE)
# Words that start a clause of their own: the subject has ended before them.
_CLAUSE = re.compile(
    r"\b(?:was|were|is|are|has|have|had|when|after|while|before|because|since|until|but"
    r"|said|says)\b",
    re.IGNORECASE,
)
_HEAD = re.compile(rf"\b(?:{POPULATION_HEADS})\b", re.IGNORECASE)
# One person named by 'the': "the driver", "the assistant driver", "the head of the clinic".
SINGULAR_HEADS = (
    r"peacekeeper|soldier|civilian|trader|farmer|driver|volunteer|staff\s+member|guard"
    r"|aid\s+worker|health\s+worker|worker|officer|policeman|nurse|doctor|teacher|contractor"
    r"|employee|man|woman|child|boy|girl|villager|passenger|colleague|head|administrator"
    r"|manager|assistant|apprentice|coordinator|pastor|elder|director|leader|victim|cook"
    r"|midwife|vaccinator|technician|engineer|official|journalist|interpreter|porter"
    r"|watchman|chief"
)
_THE_ONE = re.compile(
    rf"^(?:[\w'’-]+\s+){{0,2}}?(?:{SINGULAR_HEADS})\b(?!\s*(?:s\b|members\b))", re.IGNORECASE
)
_ONE = re.compile(r"(?<![\w-])(?P<n>an?|the|he|she)\b(?=\s)", re.IGNORECASE)
_DEATH_OF = re.compile(
    rf"\bdeath\s+of\s+(?P<n>the|an?|one)\s+(?P<np>(?:[\w'’-]+\s+){{0,2}}?(?:{SINGULAR_HEADS}))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Subject:
    category: str
    start: int  # the count's span ("Two", "the", "He")
    end: int
    group: str  # the words between the count and the verb group
    verb: str


def _code(word: str) -> str | None:
    w = " ".join(word.lower().split())
    if re.search(r"death|dead|died|succumbed|lost|lynched", w):
        return "killed"
    return category(w)


def _read(text: str, start: int, end: int) -> tuple[str, str, str] | None:
    """(category, the subject's words, the verb group) for the words at text[start:end]."""
    m = _SUBJECT.match(text, start, end)
    if m is None:
        return None
    np = " ".join(m.group("np").split())
    if len(np.split()) > 16 or _CLAUSE.search(np):
        return None
    word = m.group("cat") or m.group("among") or m.group("died")
    code = _code(word)
    if code is None:
        return None
    return code, np, " ".join(m.group("verb").split())


def subject_after(text: str, end: int, sentence_end: int) -> tuple[str, str, str] | None:
    """(category, group, verb group) when the number ending at `end` starts the subject of a
    verb of a category ('Two aid workers for a local agency were killed')."""
    found = _read(text, end, sentence_end)
    if found is None or not _HEAD.search(found[1]):
        return None
    return found


def subject_one(text: str, start: int, end: int) -> list[Subject]:
    """One person in text[start:end] counted by 'a', 'an', 'the', 'he' or 'she' as the subject
    of a verb of a category, or by 'the death of the driver'."""
    out: list[Subject] = []
    for m in _ONE.finditer(text, start, end):
        found = _read(text, m.end(), end)
        if found is None:
            continue
        code, np, verb = found
        n = m.group("n").lower()
        if n in {"he", "she"}:
            ok = not np
        elif n == "the":
            ok = bool(_THE_ONE.match(np)) and len(np.split()) <= 12
        else:
            ok = bool(_HEAD.search(np))
        if ok:
            out.append(Subject(code, m.start(), m.end(), np, verb))
    for m in _DEATH_OF.finditer(text, start, end):
        np = " ".join(m.group("np").split())
        out.append(Subject("killed", m.start("n"), m.end("n"), np, "the death of"))
    return out
