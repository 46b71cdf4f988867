"""What every fact extractor needs: the document, its sentences, its mentions, its hints."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from recap_nlp.facts.cues import load_fact_cues
from recap_nlp.facts.dates import sentence_bounds
from recap_nlp.records import Document, FactMention, Mention, SentenceSpan


@dataclass(frozen=True)
class FactContext:
    """One document with its sentences (sorted) and entity mentions."""

    doc: Document
    sentences: tuple[SentenceSpan, ...]
    mentions: tuple[Mention, ...]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [sentence.start for sentence in self.sentences]

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence holding ``offset`` (the last one starting before it)."""
        return max(bisect.bisect_right(self._sentence_starts, offset) - 1, 0)

    @cached_property
    def _mention_starts(self) -> list[int]:
        return [mention.start for mention in self.mentions]

    def mentions_starting(self, start: int, end: int) -> tuple[Mention, ...]:
        """Mentions starting in [start, end), in order (bisected: mentions are sorted)."""
        lo = bisect.bisect_left(self._mention_starts, start)
        return self.mentions[lo : bisect.bisect_left(self._mention_starts, end, lo)]

    def mentions_in(self, start: int, end: int, label: str) -> list[Mention]:
        """Mentions of ``label`` lying inside [start, end)."""
        return [m for m in self.mentions_starting(start, end) if m.label == label]


def cues() -> dict[str, Any]:
    """The packaged cue tables (shared with the date grammar)."""
    return load_fact_cues()


def rough_sentences(doc: Document) -> tuple[SentenceSpan, ...]:
    """Split on sentence punctuation and newlines when no sentence spans were given."""
    spans = []
    pos = 0
    text = doc.text
    while pos < len(text):
        start, end = sentence_bounds(text, pos)
        start = max(start, pos)
        if text[start:end].strip():
            spans.append(SentenceSpan(doc.doc_id, start, end, text[start:end]))
        pos = max(end + 1, pos + 1)
    return tuple(spans)


def make_context(
    doc: Document, sentences: list[SentenceSpan], mentions: list[Mention]
) -> FactContext:
    """Bundle a document with sorted sentences (rough ones if none) and its own mentions."""
    spans = tuple(sorted(sentences, key=lambda s: s.start)) or rough_sentences(doc)
    own = tuple(sorted((m for m in mentions if m.doc_id == doc.doc_id), key=lambda m: m.start))
    return FactContext(doc, spans, own)


def contains_word(text: str, word: str) -> int:
    """Offset of ``word`` as a whole word of ``text`` (case-insensitive), or -1."""
    folded = _folded(text)
    if word.replace("’", "'") not in folded:
        return -1  # the pattern's words are literal: a plain search rules most texts out
    found = _word_pattern(word).search(folded)
    return found.start() if found else -1


@lru_cache(maxsize=4096)
def _word_pattern(word: str) -> re.Pattern[str]:
    # Cue words are few and tested against every sentence: each compiled once.
    return re.compile(r"(?<![\w-])" + re.escape(word.replace("’", "'")) + r"(?![\w-])")


@lru_cache(maxsize=64)
def _folded(text: str) -> str:
    # The same post text is searched for many words: lowered once.
    return text.lower().replace("’", "'")


def mention_name(mention: Mention) -> str:
    """The canonical name of a mention, or its text."""
    return mention.canonical or mention.text


def event_hint(ctx: FactContext, sentence: SentenceSpan, skip_trip: bool = False) -> str:
    """The event a sentence talks about: a trip word, else a named event, else an event word.

    With ``skip_trip`` the trip is passed over for the event it visits, when the sentence
    names one (exhibitors and visitors are the salon's, not the delegation's).

    Example:
        "Du 3 au 11 juin, une délégation a participé à une mission en France." -> "mission"
        "Notre délégation a arpenté les allées du salon" (skip_trip) -> "salon"
    """
    table = cues()["events"]
    trip = trip_word(sentence)
    if trip and not skip_trip:
        return trip
    named = ctx.mentions_in(sentence.start, sentence.end, "EVENT")
    if named:
        return mention_name(named[0])
    passed = set(table["trip_words"]) if skip_trip else set()
    for word in table["words"]:
        if word not in passed and contains_word(sentence.text, word) >= 0:
            return word
    return trip


# "la mission de rassembler", "notre mission d'accompagner": a purpose, not a trip.
_PURPOSE = re.compile(r"\s+(?:de\s+|d['’]\s*)\w+(?:er|ir|re)\b", re.IGNORECASE)


def trip_word(sentence: SentenceSpan) -> str:
    """The first trip word ("mission", "voyage"...) of a sentence, or "".

    Example:
        "ayant en commun la mission de rassembler la communauté" -> "" (a purpose, not a trip)
    """
    for word in cues()["events"]["trip_words"]:
        at = contains_word(sentence.text, word)
        if at >= 0 and not _PURPOSE.match(sentence.text, at + len(word)):
            return word
    return ""


def hint_with_fallback(
    ctx: FactContext, index: int, prefer_trip: bool = False, skip_trip: bool = False
) -> str:
    """The sentence's event hint, or the previous sentence's when it names none.

    With ``prefer_trip`` a trip word of the previous sentence wins over a named event of
    this one (a delegation's headcount belongs to the trip, not to an event it mentions);
    with ``skip_trip`` an event the trip visits wins over the trip (see ``event_hint``).
    """
    if prefer_trip:
        window = ctx.sentences[max(0, index - 1) : index + 1]
        found = [w for w in (trip_word(s) for s in reversed(window)) if w]
        if found:
            return found[0]
    hint = event_hint(ctx, ctx.sentences[index], skip_trip)
    if not hint and index > 0:
        hint = event_hint(ctx, ctx.sentences[index - 1], skip_trip)
    return hint


def new_fact(
    ctx: FactContext,
    attribute: str,
    span: tuple[int, int],
    values: tuple[str, str, str],
    precision: str,
    extractor: str,
    hint: str = "",
    note: str = "",
) -> FactMention:
    """A FactMention with a stable id ``doc:attribute:start`` and its sentence as quote."""
    sentence = ctx.sentences[ctx.sentence_index(span[0])] if ctx.sentences else None
    return FactMention(
        fact_id=f"{ctx.doc.doc_id}:{attribute}:{span[0]}",
        doc_id=ctx.doc.doc_id,
        attribute=attribute,
        value=values[0],
        value_min=values[1],
        value_max=values[2],
        precision=precision,
        start=span[0],
        end=span[1],
        sentence=sentence.text.strip() if sentence else "",
        extractor=extractor,
        event_hint=hint,
        note=note,
    )
