"""Event names that no capital letter announces, found on the post's text and title.

Real posts write the events they recap in ways the model and the cue rules miss:

* in lowercase or in italics, said to have taken place: "la _fête des voisins_ qui s'est
  déroulée samedi";
* as an unknown lowercase word before a year: "ma participation au devfest 2019";
* as a festival named by its art: "à la clôture du festival de théâtre";
* (and the other way round: a talk of the day's programme, "la conférence X du jour", is no
  event: :func:`without_talk_slots`);
* in the title only, its body saying "cette édition": the title's name is then a mention of
  the title line (in the front matter of a Markdown post: every offset still points into the
  original file).

Each finder returns new EVENT mentions (source ``"cue"``, or ``"title"`` for the title) that
overlap no mention already found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from recap_nlp.entities import lexicon
from recap_nlp.entities.learned import fold_key, is_french_word
from recap_nlp.french import months, word_set
from recap_nlp.records import Document, Mention, SentenceSpan

_TOOK_PLACE = (
    r"qui\s+(?:s['’]est|se\s+sont|s['’]était|s['’]étaient)\s+(?:déroulée?s?|tenue?s?)"
    r"|qui\s+(?:a|ont|avait|avaient)\s+eu\s+lieu"
    r"|qui\s+(?:se\s+tiendra|se\s+tiendront|aura\s+lieu|auront\s+lieu|se\s+déroulera"
    r"|se\s+dérouleront|se\s+déroule|a\s+lieu)"
)
# an article, an emphasised or quoted name, then "qui s'est déroulé(e)" or "qui aura lieu"
# (MARK stands for inline markup the reader blanked: "_fête des voisins_" in Markdown)
_MARK = "\x01"
_EMPHASISED_EVENT = re.compile(
    r"(?<![\w])(?:la|le|les|du|des|au|aux|l['’]|d['’]|cette|ce)\s*[_*«\"“\x01]{1,2}\s*"
    r"(?P<name>[^_*«»\"“”\n\x01]{3,60}?)\s*[_*»\"”\x01]{1,2}\s+(?:" + _TOOK_PLACE + r")",
    re.IGNORECASE,
)
_MAX_NAME_WORDS = 7
# an article or "au/du", an unknown lowercase word, a year: "au devfest 2019"
_WORD_THEN_YEAR = re.compile(
    r"(?<![\w'’-])(?:au|aux|du|des|le|la|les|l['’])\s*(?P<name>(?P<word>[a-zà-ÿ]{4,})"
    r"\s+(?:19|20)\d\d)(?![\w/.-])"
)


# "au festival de théâtre", "le festival international du film": a festival named by its art
_FESTIVAL_OF = re.compile(
    r"(?<![\w'’-])(?:le|du|au)\s+(?P<name>festival(?:\s+(?:international|national|régional))?"
    r"\s+(?:de|du|des|d['’])\s*(?P<word>[a-zà-ÿ]{3,}))(?![\w'’-])"
)


# a slot of the day after a talk's name: "du jour", "de la première journée", "du matin"
_DAY_SLOT = re.compile(
    r"^\s*(?:du\s+(?:jour|matin|soir)|de\s+l['’]après-midi"
    r"|de\s+la\s+(?:(?:première|deuxième|seconde|troisième|dernière)\s+)?journée)\b",
    re.IGNORECASE,
)
_SLOT_TAIL = re.compile(r"\s+du\s+jour$", re.IGNORECASE)


def _free(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return not any(a < end and start < b for a, b in taken)


def _mention(doc: Document, start: int, end: int, sentence: SentenceSpan, source: str) -> Mention:
    return Mention(
        doc.doc_id, start, end, doc.text[start:end], "EVENT", sentence.text, sentence.start, source
    )


def emphasised_events(
    doc: Document, sentences: Sequence[SentenceSpan], taken: list[tuple[int, int]]
) -> list[Mention]:
    """Names in italics or quotes that the post says took place (or will): events.

    Example: "la _fête des voisins du quartier_ qui s'est déroulée hier" -> an EVENT
    "fête des voisins du quartier".
    """
    found = []
    for sentence in sentences:
        for match in _EMPHASISED_EVENT.finditer(_marked(doc, sentence)):
            name = match.group("name")
            if not any(c.isalpha() for c in name) or len(name.split()) > _MAX_NAME_WORDS:
                continue
            start = sentence.start + match.start("name")
            end = start + len(name)
            if _free(start, end, taken):
                found.append(_mention(doc, start, end, sentence, "cue"))
                taken.append((start, end))
    return found


def _marked(doc: Document, sentence: SentenceSpan) -> str:
    """The sentence with the blanks that stood for inline markup (``doc.joined``) marked."""
    chars = list(sentence.text)
    for a, b in doc.joined:
        for i in range(max(a, sentence.start), min(b, sentence.end)):
            chars[i - sentence.start] = _MARK
    return "".join(chars)


def year_named_events(
    doc: Document, sentences: Sequence[SentenceSpan], taken: list[tuple[int, int]]
) -> list[Mention]:
    """An unknown lowercase word after an article, before a year: an edition of an event.

    The word must be no French word (by the model's lemma tables), month, season or
    technology.

    Example: "ma participation au devfest 2019" -> an EVENT "devfest 2019"; "au printemps
    2019" gives nothing.
    """
    skipped = set(months()) | word_set("seasons") | lexicon.cues().technical_terms
    found = []
    for sentence in sentences:
        for match in _WORD_THEN_YEAR.finditer(sentence.text):
            word = match.group("word")
            if word in skipped or is_french_word(word):
                continue
            start = sentence.start + match.start("name")
            end = sentence.start + match.end("name")
            if _free(start, end, taken):
                found.append(_mention(doc, start, end, sentence, "cue"))
                taken.append((start, end))
    return found


def festival_events(
    doc: Document, sentences: Sequence[SentenceSpan], taken: list[tuple[int, int]]
) -> list[Mention]:
    """A lowercase festival named by its art, with a definite article: a festival's name.

    Example: "je suis allée à la clôture du festival de théâtre" -> an EVENT "festival de théâtre";
    "le festival de cette année" gives nothing.
    """
    skipped = word_set("demonstratives") | lexicon.cues().possessives
    found = []
    for sentence in sentences:
        for match in _FESTIVAL_OF.finditer(sentence.text):
            word = match.group("word")
            if word in skipped or not is_french_word(word):
                continue
            start = sentence.start + match.start("name")
            end = sentence.start + match.end("name")
            if _free(start, end, taken):
                found.append(_mention(doc, start, end, sentence, "cue"))
                taken.append((start, end))
    return found


def without_talk_slots(mentions: Sequence[Mention]) -> list[Mention]:
    """EVENT mentions naming a talk of the day's programme become MISC (kept, not counted).

    A talk noun leads or precedes the name and a slot of the day follows it: "la conférence
    Zénith du jour", "Keynote Horizon de la première journée" (``talk_nouns``).

    Example: "on termine par la conférence Zénith du jour" -> "Zénith du jour" is no event.
    """
    talks = lexicon.cues().talk_nouns
    result = []
    for m in mentions:
        if m.label == "EVENT" and _talk_slot(m, talks):
            m = replace(m, label="MISC")
        result.append(m)
    return result


def _talk_slot(m: Mention, talks: frozenset[str]) -> bool:
    offset = m.start - m.sentence_start
    if not 0 <= offset <= len(m.sentence):
        return False
    before = m.sentence[:offset].lower().split()
    after = m.sentence[m.end - m.sentence_start :]
    first = m.text.split()[0].lower() if m.text.split() else ""
    led = first in talks or (bool(before) and before[-1] in talks)
    return led and (bool(_DAY_SLOT.match(after)) or bool(_SLOT_TAIL.search(m.text)))


def title_mentions(
    doc: Document, title: str, names: Sequence[str], mentions: Sequence[Mention]
) -> list[Mention]:
    """The title's event names that the post never writes elsewhere, as mentions of the title.

    The title is looked for in the original text (a front-matter field or a first line);
    a name is placed there only when no mention of the post has its folded form.

    Example: a post titled "Retour sur le DevFest 2019" whose body only says "cette édition"
    -> an EVENT "DevFest" at the title's offset.
    """
    start_of_title = doc.text.find(title) if title else -1
    if start_of_title < 0:
        return []
    named = {fold_key(m.text) for m in mentions}
    found = []
    sentence = SentenceSpan(doc.doc_id, start_of_title, start_of_title + len(title), title)
    for name in names:
        at = title.find(name)
        if at < 0 or fold_key(name) in named:
            continue
        start = start_of_title + at
        found.append(_mention(doc, start, start + len(name), sentence, "title"))
        named.add(fold_key(name))
    return found
