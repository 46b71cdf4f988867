"""Sentence records for a document, and their roll-up per post and per entity (aspect)."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from recap_nlp.records import Document, EntityLabel, Mention, Sentence, SentenceSpan, SentimentLabel
from recap_nlp.sentiment.scorer import label_for, score_text

# A neutral sentence still counts a little in a post's mean, so one mild compliment in a long
# factual post does not make the whole post read as enthusiastic.
NEUTRAL_WEIGHT = 0.25
TOP_N = 3


@dataclass(frozen=True)
class DocSentiment:
    """The overall tone of one post."""

    doc_id: str
    polarity: float
    label: SentimentLabel
    n_sentences: int
    n_positive: int
    n_negative: int
    top_positive: tuple[str, ...]
    top_negative: tuple[str, ...]
    reason: str = ""


@dataclass(frozen=True)
class EntitySentiment:
    """The tone of the sentences that mention one entity (aspect-level sentiment)."""

    entity: str
    entity_label: EntityLabel
    polarity: float
    label: SentimentLabel
    n_sentences: int
    n_positive: int
    n_negative: int
    doc_ids: tuple[str, ...]
    sentences: tuple[str, ...]  # the most polar sentences, strongest first


def score_sentences(doc: Document, spans: list[SentenceSpan]) -> list[Sentence]:
    """Score each sentence span of a document.

    Example:
        >>> doc = Document("d", "Quel coup de cœur !", "d.txt", "txt", "h")
        >>> score_sentences(doc, [SentenceSpan("d", 0, 19, "Quel coup de cœur !")])[0].label
        'positive'
    """
    out = []
    for span in spans:
        result = score_text(span.text)
        out.append(
            Sentence(
                doc_id=doc.doc_id,
                start=span.start,
                end=span.end,
                text=span.text,
                polarity=result.polarity,
                label=result.label,
                drivers="; ".join(result.drivers),
            )
        )
    return out


def _weight(sentence: Sentence) -> float:
    return abs(sentence.polarity) if sentence.label != "neutral" else NEUTRAL_WEIGHT


def _weighted_mean(sentences: Sequence[Sentence]) -> float:
    total = sum(_weight(s) for s in sentences)
    mean = sum(_weight(s) * s.polarity for s in sentences) / total if total else 0.0
    return round(mean, 4)


def _top(sentences: Iterable[Sentence], label: SentimentLabel) -> tuple[str, ...]:
    chosen = [s for s in sentences if s.label == label]
    chosen.sort(key=lambda s: (-abs(s.polarity), s.start))
    return tuple(s.text for s in chosen[:TOP_N])


def _doc_row(doc_id: str, sentences: Sequence[Sentence]) -> DocSentiment:
    if not sentences:
        return DocSentiment(doc_id, 0.0, "neutral", 0, 0, 0, (), (), reason="no sentences")
    polarity = _weighted_mean(sentences)
    return DocSentiment(
        doc_id=doc_id,
        polarity=polarity,
        label=label_for(polarity),
        n_sentences=len(sentences),
        n_positive=sum(1 for s in sentences if s.label == "positive"),
        n_negative=sum(1 for s in sentences if s.label == "negative"),
        top_positive=_top(sentences, "positive"),
        top_negative=_top(sentences, "negative"),
    )


def doc_sentiment(sentences: list[Sentence], doc_ids: Iterable[str] = ()) -> list[DocSentiment]:
    """Roll sentence polarities up per post, sorted by doc_id.

    The post polarity is a mean weighted by each sentence's strength (neutral sentences weigh
    ``NEUTRAL_WEIGHT``). Posts named in ``doc_ids`` without any sentence come out neutral with
    the reason "no sentences".
    """
    by_doc: dict[str, list[Sentence]] = {doc_id: [] for doc_id in doc_ids}
    for sentence in sentences:
        by_doc.setdefault(sentence.doc_id, []).append(sentence)
    return [_doc_row(doc_id, by_doc[doc_id]) for doc_id in sorted(by_doc)]


def _index(sentences: Iterable[Sentence]) -> dict[str, tuple[list[int], list[Sentence]]]:
    by_doc: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in sentences:
        by_doc[sentence.doc_id].append(sentence)
    index = {}
    for doc_id, items in by_doc.items():
        items.sort(key=lambda s: (s.start, s.end))
        index[doc_id] = ([s.start for s in items], items)
    return index


def _overlapping(
    index: dict[str, tuple[list[int], list[Sentence]]], mention: Mention
) -> list[Sentence]:
    starts, items = index.get(mention.doc_id, ([], []))
    last = bisect.bisect_left(starts, mention.end)
    return [s for s in items[:last] if s.end > mention.start]


def _entity_row(key: tuple[str, EntityLabel], sentences: list[Sentence]) -> EntitySentiment:
    polarity = round(sum(s.polarity for s in sentences) / len(sentences), 4)
    polar = sorted(
        (s for s in sentences if s.label != "neutral"),
        key=lambda s: (-abs(s.polarity), s.doc_id, s.start),
    )
    return EntitySentiment(
        entity=key[0],
        entity_label=key[1],
        polarity=polarity,
        label=label_for(polarity),
        n_sentences=len(sentences),
        n_positive=sum(1 for s in sentences if s.label == "positive"),
        n_negative=sum(1 for s in sentences if s.label == "negative"),
        doc_ids=tuple(sorted({s.doc_id for s in sentences})),
        sentences=tuple(s.text for s in polar[:TOP_N]),
    )


def entity_sentiment(sentences: list[Sentence], mentions: list[Mention]) -> list[EntitySentiment]:
    """Mean polarity of the sentences overlapping each entity's mentions, sorted by entity.

    An entity is ``mention.canonical`` (or ``mention.text`` when empty) with its label; a
    sentence mentioning it twice counts once.
    """
    index = _index(sentences)
    grouped: dict[tuple[str, EntityLabel], dict[tuple[str, int, int], Sentence]] = defaultdict(dict)
    for mention in mentions:
        key = (mention.canonical or mention.text, mention.label)
        for sentence in _overlapping(index, mention):
            grouped[key][(sentence.doc_id, sentence.start, sentence.end)] = sentence
    return [
        _entity_row(key, [found[k] for k in sorted(found)])
        for key, found in sorted(grouped.items())
        if found
    ]
