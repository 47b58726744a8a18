"""Casualty figures: '225 people were killed', 'more than 4,500 were injured', 'killing at
least 13 peacekeepers', 'the death toll rose to 133, up from 115', with category, qualifier,
population and who reported them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from incidentdb.draft.dates import DateMention
from incidentdb.draft.model import Entities
from incidentdb.draft.numbers import NUMBER_RE, Figure, parse_number, qualifier_before
from incidentdb.draft.numbers.subjects import subject_after, subject_one
from incidentdb.draft.numbers.words import CATEGORY_WORDS, POPULATION_HEADS
from incidentdb.draft.numbers.words import category as _category
from incidentdb.draft.text import Article, Span

_CATEGORY = re.compile(
    r"\b(?P<cat>" + "|".join(f"(?:{w})" for w, _ in CATEGORY_WORDS) + r")\b", re.IGNORECASE
)
_POPULATION = re.compile(rf"\b(?:{POPULATION_HEADS})\b", re.IGNORECASE)
_SPEECH = re.compile(
    r"\b(?:said|says|say|reported|reports|told|confirmed|announced|stated|added|affirm|affirms"
    r"|according\s+to)\b",
    re.IGNORECASE,
)
_NOT_A_COUNT_AFTER = re.compile(
    r"^\s*(?:%|percent|per\s+cent|years?|year-old|-year|months?|weeks?|days?|hours?|minutes?"
    r"|kilomet|km|miles?|meters?|metres?|dollars?|euros?|rubles?|a\.m\.|p\.m\.|o['’]clock"
    r"|times|st\b|nd\b|rd\b|th\b)",
    re.IGNORECASE,
)
_OUT_OF_COMBAT = "'out of combat': killed or wounded, the words do not say which; code it by hand"
_ONE_OF_NUMBER = re.compile(rf"one\s+of\s+(?:the\s+)?(?:{NUMBER_RE.pattern})", re.IGNORECASE)
_ONE_OF = re.compile(r"\b(?:one\s+of|among)\b")  # "was one of 7 civilians killed": a subset
_BREAK = re.compile(r"[;:]|\bwhile\b|\bwhereas\b|\bbut\b|,\s+(?:and|while|but)\b|\d")


@dataclass
class CasualtyFact:
    category: str
    figure: Figure
    qualifier: str
    quote: Span
    number: Span
    how: str
    population: str | None = None
    reported_by: tuple[str, str] | None = None  # ("organisation" | "person", slug)
    reporter_text: str | None = None
    earlier: bool = False  # an earlier toll, kept as its own report ("up from 164")
    as_of: DateMention | None = None
    skipped: str | None = None  # a candidate left out, and why (for the draft's header)


def _skip(figure: Figure, quote: Span, number: Span, why: str) -> CasualtyFact:
    return CasualtyFact("", figure, "exact", quote, number, why, skipped=why)


def find_casualties(
    article: Article,
    entities: Entities,
    dates: list[DateMention],
    quotes: list[Span],
    body_start: int = 0,
    skipped: list[str] | None = None,
) -> list[CasualtyFact]:
    """Every casualty figure in the body, in text order; candidates left out (an unknown
    word, 'out of combat') are added to `skipped` with their words, for the reviewer."""
    text = article.text
    facts: list[CasualtyFact] = []
    in_date = [(d.start, d.end) for d in dates]
    for sentence in article.sentences:
        sent_facts: list[CasualtyFact] = []
        for m in NUMBER_RE.finditer(text, sentence.start, sentence.end):
            s, e = m.span()
            if s < body_start:
                continue
            if any(ds <= s < de for ds, de in in_date) or any(q.start <= s < q.end for q in quotes):
                continue
            if re.fullmatch(r"(?:19|20)\d\d", m.group(0)) or _NOT_A_COUNT_AFTER.match(
                text[e : e + 12]
            ):
                continue
            if text[max(0, s - 1) : s] in {"$", "€", "£", "#"} or text[e : e + 1] in {"-", "%"}:
                continue
            figure = parse_number(m.group(0))
            if figure is None or _ONE_OF_NUMBER.match(text, s):
                continue  # "one of nine civilians killed": the nine are counted
            fact = _read_figure(article, sentence, s, e, figure)
            if fact is None:
                continue
            prev = sent_facts[-1] if sent_facts else None
            if (
                prev is not None
                and fact.number.start == s
                and prev.qualifier != "exact"
                and re.fullmatch(
                    r"\s+(?:people\s+)?(?:have\s+been\s+|were\s+)?[a-z]+\s+and\s+",
                    text[prev.number.end : s],
                )
            ):
                fact.qualifier = prev.qualifier
                fact.how += (
                    f"; '{prev.number.text}' and {m.group(0)}: the qualifier applies to both"
                )
            sent_facts.append(fact)
        for i, fact in enumerate(sent_facts):
            if fact.earlier:
                later = next((f for f in reversed(sent_facts[:i]) if not f.earlier), None)
                if later is None:
                    continue
                fact.category, fact.population = later.category, later.population
            _attribute(article, entities, sentence, fact)
            fact.as_of = next(
                (
                    d
                    for d in dates
                    if sentence.start <= d.start < sentence.end
                    and d.resolved is not None
                    and d.resolved.exact
                ),
                None,
            )
        have = {f.category for f in sent_facts}
        sent_facts += [
            f
            for f in _singular(article, sentence, body_start, in_date)
            if (f.category not in have or _ONE_OF.search(f.how))
            and not any(x.number.start <= f.number.start < x.number.end for x in sent_facts)
        ]
        facts.extend(f for f in sent_facts if f.category)
        if skipped is not None:
            skipped.extend(
                f"{f.number.text!r} in {f.quote.text[:80]!r}: {f.skipped}"
                for f in sent_facts
                if f.skipped
            )
    return facts


def _read_figure(
    article: Article, sentence: Span, s: int, e: int, figure: Figure
) -> CasualtyFact | None:
    """The casualty figure a number stands for, from the words around it in its sentence:
    an earlier toll ('up from 164'), a verb before it, a toll before it, a category after it."""
    text = article.text
    q = qualifier_before(text, s)
    qualifier, q_start = q if q else ("exact", s)
    if figure.vague:
        qualifier = "approximately"
    left = text[sentence.start : q_start]
    brk = _BREAK.search(text, e, sentence.end)
    right = text[e : brk.start() if brk is not None else sentence.end]
    fact = CasualtyFact(
        "", figure, qualifier, article.quote(sentence.start, sentence.end),
        Span(q_start, e, text[q_start:e]), "",
    )  # fmt: skip
    # "up from 164", "from 115 earlier": an earlier toll of the figure before it
    if re.search(r"\b(?:up|down|rising|risen)\s+from\s+$", left, re.I):
        fact.how, fact.earlier = "earlier figure ('up from')", True
        return fact
    verb = _VERB_BEFORE.search(left)
    if verb is not None:
        return _verb_before(fact, verb, right)
    if _TOLL_BEFORE.search(left) is not None:
        fact.category, fact.how = "killed", "a death toll before the figure"
        return fact
    found = subject_after(text, e, sentence.end)
    if found is None:
        return _category_after(fact, right)
    fact.category, group, verb_group = found
    fact.how = f"the subject of {verb_group!r}"
    fact.population = _population(group)
    return fact


# A verb right before the figure: "killing at least 13 peacekeepers", "injured 826"
_VERB_BEFORE = re.compile(
    r"\b(?P<cat>killing|killed|kills|wounding|injuring|injured|wounded|detaining|detained"
    r"|arresting|arrested|displacing|displaced|evacuated|left|leaving|abducting|abducted"
    r"|kidnapping|kidnapped|murdering|murdered|bodies\s+of|remains\s+of)\s+(?:the\s+)?$",
    re.I,
)
# A toll before the figure: "the death toll ... rose to 133"
_TOLL_BEFORE = re.compile(
    r"\b(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths|people\s+killed)|fatalities)\b"
    r"[^.;\d]{0,90}?\b(?:to|at|of|reached|hit|passed|is|was|stands)\s+$",
    re.I,
)


def _verb_before(fact: CasualtyFact, verb: re.Match[str], right: str) -> CasualtyFact | None:
    """'killing at least 13 peacekeepers'; 'left seven dead', 'left 14 "out of combat"'."""
    word = " ".join(verb.group("cat").lower().split())
    word = "bodies" if word in {"bodies of", "remains of"} else word
    if word in {"left", "leaving"}:
        first = " ".join(right.split()[:3])
        after = _CATEGORY.match(first) or _CATEGORY.search(first)
        if after is None:
            if re.match(r"\s*(?:[\w-]+\s+){0,2}?[\"“'‘]?out\s+of\s+(?:combat|action)", right):
                return _skip(fact.figure, fact.quote, fact.number, _OUT_OF_COMBAT)
            return None
        category = _category(after.group("cat"))
    else:
        category = _category(word)
    if category is None:
        return _skip(
            fact.figure, fact.quote, fact.number, f"unknown word {word!r} before the figure"
        )
    fact.category = category
    fact.how = f"'{verb.group('cat')}' before the figure"
    fact.population = _population(" ".join(right.split()[:5]))
    return fact


def _category_after(fact: CasualtyFact, right: str) -> CasualtyFact | None:
    """The category after the number, within a few words: "225 people were killed"; a
    subset in commas (", including nine South African troops,") does not count."""
    plain = re.sub(r",\s+(?:including|among\s+them|of\s+whom)\b[^,]*,", " ", right)
    cat = _CATEGORY.search(plain)
    if cat is None or len(plain[: cat.start()].split()) > 6:
        return None
    between = plain[: cat.start()]
    if re.search(r"\b(?:of|to|from|than)\s*$", between):
        return None
    if re.search(r"\b(?:and|or)\s*$", between) and not _POPULATION.search(between):
        return None
    category = _category(cat.group("cat"))
    if category is None:
        return _skip(fact.figure, fact.quote, fact.number, f"unknown word {cat.group('cat')!r}")
    fact.category = category
    fact.how = f"'{cat.group('cat')}' after the figure"
    fact.population = _population(between)
    return fact


_SINGULAR = re.compile(
    r"(?<![\w-])(?P<n>an?|one|A|An|One)\s+(?P<np>(?:[\w'’-]+\s+){0,5}?)(?P<head>"
    + POPULATION_HEADS
    + r")(?:\s+(?:of|for|with|from)\s+(?:an?\s+|the\s+)?[\w'’-]+(?:\s+[\w'’-]+)?)?"
    r"(?:,[^,]{1,60},)?\s+(?P<verb>(?:was|has\s+been|had\s+been|were)\s+(?:\w+\s+){0,2}?"
    r"(?:killed|shot\s+dead|murdered|injured|wounded|hurt|abducted|kidnapped|arrested"
    r"|detained|found\s+dead|among\s+(?:those|the\s+people)\s+killed|executed|beheaded)"
    r"|died|was\s+(?:killed|found\s+dead))\b"
)
_KILLING_ONE = re.compile(
    r"\b(?P<verb>killing|killed|wounding|injuring|abducting|kidnapping)\s+(?P<n>an?|one)\s+"
    r"(?P<np>(?:[\w'’-]+\s+){0,4}?)(?P<head>" + POPULATION_HEADS + r")\b"
)


def _singular(
    article: Article, sentence: Span, body_start: int, in_date: list[tuple[int, int]]
) -> list[CasualtyFact]:
    """One person counted by an article: 'a peacekeeper was killed', 'killing a trader'."""
    text = article.text
    out: list[CasualtyFact] = []
    for rx in (_SINGULAR, _KILLING_ONE):
        for m in rx.finditer(text, sentence.start, sentence.end):
            s = m.start("n")
            if s < body_start or any(ds <= s < de for ds, de in in_date):
                continue
            words = m.group("verb").split()
            word = "killed" if "among" in words or "found" in words else words[-1]
            category = _category("killed" if word in {"dead", "died"} else word)
            if category is None:
                continue
            head = " ".join(m.group("head").split())
            out.append(
                CasualtyFact(
                    category,
                    Figure(1),
                    "exact",
                    article.quote(sentence.start, sentence.end),
                    Span(s, m.end("n"), m.group("n")),
                    f"{m.group('n')!r} {head!r} {m.group('verb')!r}: one person, counted by "
                    "the article",
                    " ".join(f"{m.group('np')}{head}".split()),
                )
            )
    counted = {f.number.start for f in out}
    for one in subject_one(text, sentence.start, sentence.end):
        if one.start in counted or one.start < body_start:
            continue
        if any(ds <= one.start < de for ds, de in in_date):
            continue
        word = text[one.start : one.end]
        out.append(
            CasualtyFact(
                one.category,
                Figure(1),
                "exact",
                article.quote(sentence.start, sentence.end),
                Span(one.start, one.end, word),
                f"{word!r} {one.group!r} {one.verb!r}: one person, counted by the article",
                _population(one.group) if one.group else None,
            )
        )
    return out


def _population(words: str) -> str | None:
    """Who was counted, when the words say it: 'police officers or servicemen', 'civilians'."""
    w = " ".join(words.split())
    w = re.sub(
        r"\b(?:were|was|have|has|had|been|being|are|is|reportedly|also|people|persons"
        r"|who|and|others?|more)\b\s*$",
        "",
        w,
    ).strip()
    w = re.sub(
        r"(?:\s+\b(?:were|was|have|has|had|been|being|are|is|reportedly|also)\b)+$", "", w
    ).strip()
    if not _POPULATION.search(w):
        return None
    m = re.search(
        rf"(?:[\w'’-]+\s+){{0,3}}?(?:{POPULATION_HEADS})(?:\s+(?:or|and)\s+(?:[\w'’-]+\s+)?"
        rf"(?:{POPULATION_HEADS}))?",
        w,
        re.I,
    )
    return re.sub(r"^(?:of|the|of\s+the)\s+", "", m.group(0)) if m else None


def _attribute(article: Article, entities: Entities, sentence: Span, fact: CasualtyFact) -> None:
    """Who reported the figure: 'according to X', 'X said', 'said X' in the same sentence."""
    text = article.text
    for v in _SPEECH.finditer(text, sentence.start, sentence.end):
        verb = v.group(0).lower()
        if verb.startswith("according"):
            cands = [
                m
                for m in entities.mentions
                if m.table in ("organisation", "person") and v.end() <= m.start <= v.end() + 6
            ]
        else:
            cands = [
                m
                for m in entities.mentions
                if m.table in ("organisation", "person")
                and m.end <= v.start()
                and not text[m.end : v.start()].strip(" ’'s")
            ]
            cands += [
                m
                for m in entities.mentions
                if m.table in ("organisation", "person")
                and v.end() <= m.start <= v.end() + 5
                and verb == "said"
            ]
            if not cands:
                cands = _spokesperson_of(entities, text, sentence.start, v.start())
        if cands:
            m = cands[0]
            fact.reported_by = (m.table, m.slug)
            fact.reporter_text = text[min(m.start, v.start()) : max(m.end, v.end())]
            return


def _spokesperson_of(entities: Entities, text: str, start: int, verb: int) -> list:  # type: ignore[type-arg]
    """'a spokesman for the health ministry said', 'the ministry's spokesman said'."""
    head = text[start:verb]
    m = re.search(
        r"(?:spokes(?:man|woman|person)|officials?|statement|head|chief)"
        r"(?:\s+(?:for|of|from)\s+[^,]{0,60})?\s*$",
        head,
        re.I,
    )
    if m is None:
        return []
    lo = start + m.start() - 60
    return [
        x
        for x in entities.mentions
        if x.table in ("organisation", "person") and lo <= x.start < verb
    ][-1:]
