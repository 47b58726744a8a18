"""Statements: quoted speech (“...” or "...") and reported speech ("X said ...", "according
to X, ...", "..., X affirm, ..."), each with its speaker, date and occasion."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from incidentdb.draft.dates import DateMention, DayRange
from incidentdb.draft.model import Entities, Mention
from incidentdb.draft.text import Article, Span

SPEECH = (
    r"(?:said|says|say|told|added|explained|stressed|noted|emphasized|emphasised|pointed\s+out"
    r"|warned|announced|declared|stated|wrote|insisted|claimed|affirmed|affirm|affirms"
    r"|confirmed|acknowledged|urged|argued|asserted|reiterated|recalled|continued)"
)
_QUOTE = re.compile(r"“(?P<a>[^”]+)”|\"(?P<b>[^\"\n]+)\"")
_PRONOUN = re.compile(r"^(?:he|she|him|her)$", re.I)
_OCCASION = re.compile(
    r"\bat\s+(?:a|an|the)\s+(?P<o>(?:[\w-]+\s+){0,2}?(?:press\s+conference|news\s+conference"
    r"|briefing|meeting|summit|session|rally|ceremony|forum|interview)(?:\s+(?:dedicated\s+to"
    r"|on|of|with|in)\s+[^,.;]*?)?)(?=\s+on\s+\w+day|\s+in\s+[A-Z]|[,.;]|$)"
)


@dataclass
class StatementFact:
    mode: str  # direct | reported
    summary: str
    quotes: list[Span]
    speaker: Mention | None
    how: str
    sentence: Span
    said: DayRange | None = None
    said_how: str = ""
    occasion: str | None = None
    what: list[tuple[int, int]] = field(default_factory=list)  # the reported words
    extra: list[str] = field(default_factory=list)


def find_statements(
    article: Article, entities: Entities, dates: list[DateMention], skip_sentences: set[int]
) -> list[StatementFact]:
    """Direct and reported statements in text order; `skip_sentences` (sentence starts) holds
    sentences already coded as other facts (casualty figures)."""
    text = article.text
    out: list[StatementFact] = []
    last: Mention | None = None
    for para in article.paragraphs:
        quotes = [
            q
            for q in _QUOTE.finditer(text, para.start, para.end)
            if len((q.group("a") or q.group("b") or "").split()) >= 4
        ]
        for sentence in article.sentences:
            if not (para.start <= sentence.start < para.end):
                continue
            inside = [q for q in quotes if q.start() < sentence.end and sentence.start < q.end()]
            for q in inside:
                if q.start() < sentence.start:
                    continue  # a quote running on from the sentence before: coded there
                fact = _direct(article, entities, para, sentence, q, last)
                if fact is not None:
                    _date_and_occasion(fact, text, sentence, dates, exclude=(q.start(), q.end()))
                    _same_occasion(fact, out)
                    out.append(fact)
                    if fact.speaker is not None and fact.speaker.table == "person":
                        last = fact.speaker
            if not inside and sentence.start not in skip_sentences:
                reported = _reported(article, entities, sentence, last)
                if reported is not None:
                    _date_and_occasion(reported, text, sentence, dates, exclude=None)
                    _same_occasion(reported, out)
                    out.append(reported)
            last = _track(entities, sentence, last)
    return out


def _direct(
    article: Article,
    entities: Entities,
    para: Span,
    sentence: Span,
    q: re.Match[str],
    last: Mention | None,
) -> StatementFact | None:
    text = article.text
    inner = Span(q.start() + 1, q.end() - 1, text[q.start() + 1 : q.end() - 1])
    speaker, how = _attribution_after(text, entities, q.end(), para.end, last)
    if speaker is None:
        speaker, how = _attribution_before(text, entities, sentence, q.start(), last)
    if speaker is None and last is not None and q.start() == para.start:
        speaker, how = last, "continues the previous speaker's quote"
    if speaker is None:
        return None
    outside = (text[sentence.start : q.start()] + text[q.end() : sentence.end]).split()
    if len(outside) > 8 and not re.search(SPEECH, text[q.end() : q.end() + 40]):
        evidence = article.quote(sentence.start, sentence.end)
    else:
        evidence = article.quote(inner.start, inner.end)
    return StatementFact("direct", evidence.text, [evidence], speaker, how, sentence)


def _track(entities: Entities, sentence: Span, last: Mention | None) -> Mention | None:
    """The last person named up to the end of `sentence`."""
    persons = entities.within(sentence.start, sentence.end, "person")
    return persons[-1] if persons else last


def _resolve(
    text: str, entities: Entities, start: int, end: int, last: Mention | None
) -> tuple[Mention | None, str]:
    """The speaker a phrase names: a person or organisation in it, a pronoun (the last person
    mentioned), or a role ('the former secretary general' → the person with that title)."""
    phrase = " ".join(text[start:end].split())
    inside = [m for m in entities.within(start, end) if m.table in ("person", "organisation")]
    persons = [m for m in inside if m.table == "person"]
    if persons:
        return persons[-1], f"speaker named: {persons[-1].text!r}"
    if inside:
        return inside[-1], f"speaker named: {inside[-1].text!r}"
    if _PRONOUN.match(phrase) and last is not None:
        return last, f"'{phrase}' taken as {last.text!r}, the last person named"
    words = phrase.lower().removeprefix("the ").removeprefix("former ")
    if last is not None and len(words.split()) <= 4 and re.fullmatch(r"[a-z -]+", words):
        roles = entities.persons.get(last.slug)
        if roles is not None and any(words in r.title.lower() for r in roles.roles):
            return last, f"'{phrase}' taken as {last.text!r}, who holds that title"
    return None, ""


def _attribution_after(
    text: str, entities: Entities, end: int, limit: int, last: Mention | None
) -> tuple[Mention | None, str]:
    after = text[end : min(end + 120, limit)]
    m = re.match(rf"[,.!?]?\s*(?P<who>[^,.;“”\"]{{1,70}}?)\s+{SPEECH}\b", after)
    if m is None:
        m = re.match(rf"[,.!?]?\s*{SPEECH}\s+(?P<who>[^,.;“”\"]{{1,70}}?)(?=[,.;]|$)", after)
    if m is None:
        return None, ""
    return _resolve(text, entities, end + m.start("who"), end + m.end("who"), last)


def _attribution_before(
    text: str, entities: Entities, sentence: Span, q_start: int, last: Mention | None
) -> tuple[Mention | None, str]:
    head = text[sentence.start : q_start]
    m = re.search(rf"(?P<who>[^,.;]{{1,70}}?)\s+{SPEECH}(?:\s+that)?[:,]?\s*$", head)
    if m is None:
        m = re.search(r"\bAccording\s+to\s+(?P<who>[^,]{1,70}),", head)
    if m is None:
        return None, ""
    return _resolve(
        text, entities, sentence.start + m.start("who"), sentence.start + m.end("who"), last
    )


def _reported(
    article: Article, entities: Entities, sentence: Span, last: Mention | None
) -> StatementFact | None:
    text = article.text
    s = sentence.text.rstrip(".")
    base = sentence.start
    patterns = [
        # "According to Kazakh authorities, ..."
        (r"^According\s+to\s+(?P<who>[^,]{1,70}),\s+(?P<what>.+)$", "'according to X'"),
        # "Law and order, Kazakh authorities affirm, was restored ..."
        (
            rf"^(?P<a>[^,]{{3,80}}),\s+(?P<who>[^,]{{2,60}}?)\s+{SPEECH},\s+(?P<b>.+)$",
            "'..., X said, ...'",
        ),
        # "..., CSTO former Secretary General Nikolay Bordyuzha said at a press conference"
        (
            rf"^(?P<what>.{{15,}}?),\s+(?P<who>[^,]{{2,90}}?)\s+{SPEECH}\b(?P<rest>[^,]*)$",
            "'..., X said'",
        ),
        # "Kazakh President Kassym-Jomart Tokayev said a state coup was attempted"
        (
            rf"^(?P<who>[^,]{{2,90}}?)\s+{SPEECH}(?:\s+(?:on|in|at)\s+[^,]+?)?(?:,)?"
            rf"\s+(?:that\s+)?(?P<what>.{{10,}})$",
            "'X said (that) ...'",
        ),
    ]
    for pattern, how in patterns:
        m = re.match(pattern, s)
        if m is None:
            continue
        speaker, resolved = _resolve(
            text, entities, base + m.start("who"), base + m.end("who"), last
        )
        if speaker is None:
            continue
        groups = m.groupdict()
        what = groups.get("what") or f"{groups['a']} {groups['b']}"
        if len(what.split()) < 4:
            continue
        quote = article.quote(sentence.start, sentence.end)
        summary = what[0].upper() + what[1:] if what else what
        spans = [(base + m.start(k), base + m.end(k)) for k in ("what", "a", "b") if groups.get(k)]
        return StatementFact(
            "reported",
            summary.rstrip(" ,"),
            [quote],
            speaker,
            f"reported speech {how}; {resolved}",
            sentence,
            what=spans,
        )
    return None


def _date_and_occasion(
    fact: StatementFact,
    text: str,
    sentence: Span,
    dates: list[DateMention],
    exclude: tuple[int, int] | None,
) -> None:
    for d in dates:
        if not (sentence.start <= d.start < sentence.end) or d.resolved is None:
            continue
        if exclude is not None and exclude[0] <= d.start < exclude[1]:
            continue
        if any(a <= d.start < b for a, b in fact.what):
            continue
        after_verb = re.search(SPEECH, text[sentence.start : d.start])
        if fact.mode == "direct" or after_verb is not None:
            fact.said = d.resolved
            fact.said_how = f"{d.text!r}: {d.how}"
            break
    occ = _OCCASION.search(text, sentence.start, sentence.end)
    if occ is not None and (exclude is None or not (exclude[0] <= occ.start() < exclude[1])):
        o = " ".join(occ.group("o").split())
        fact.occasion = o[0].upper() + o[1:]


def _same_occasion(fact: StatementFact, before: list[StatementFact]) -> None:
    """A statement with no date of its own, by the speaker of the statement before it, is
    taken as said on the same occasion ('he said', 'the former secretary general explained')."""
    if fact.said is not None or not before:
        return
    prev = before[-1]
    if prev.speaker is None or fact.speaker is None or prev.speaker.slug != fact.speaker.slug:
        return
    if prev.said is None:
        return
    fact.said = prev.said
    fact.said_how = "the same occasion as the statement before it, by the same speaker"
    fact.occasion = fact.occasion or prev.occasion
