"""Sentence records for a document, and their roll-up per post, per theme and per entity.

Every roll-up works on the sentences' class probabilities. For a set of sentences ``S``
(each optionally weighted by ``w``):

- ``p_positive`` / ``p_neutral`` / ``p_negative``: the weighted mean of the sentences'
  probabilities;
- ``polarity`` = sum(w * (p_pos - p_neg)) / sum(w * (p_pos + p_neg + NEUTRAL_WEIGHT * p_neu)),
  in [-1, 1]: opinionated sentences count fully, a neutral one only a little, so one
  compliment in a long factual post does not make it read as enthusiastic;
- ``label``: positive / negative at ``polarity`` >= 0.1 / <= -0.1, else neutral;
- ``summary``: the label with the sentences that go the other way, so a post with criticisms
  is never summarised as just positive ("positive, with 4 criticisms").
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from recap_nlp.records import (
    DocSentiment,
    DocTheme,
    Document,
    EntityLabel,
    EntitySentiment,
    Mention,
    Sentence,
    SentenceSpan,
    SentimentLabel,
    ThemeSentiment,
)
from recap_nlp.sentiment.classifier import classify_all
from recap_nlp.sentiment.scorer import label_for

NEUTRAL_WEIGHT = 0.25
TOP_N = 3


def score_sentences(doc: Document, spans: list[SentenceSpan]) -> list[Sentence]:
    """Classify each sentence span of a document.

    Example:
        >>> doc = Document("d", "Quel coup de cœur !", "d.txt", "txt", "h")
        >>> score_sentences(doc, [SentenceSpan("d", 0, 19, "Quel coup de cœur !")])[0].label
        'positive'
    """
    out = []
    for span, result in zip(spans, classify_all([span.text for span in spans]), strict=True):
        out.append(
            Sentence(
                doc_id=doc.doc_id,
                start=span.start,
                end=span.end,
                text=span.text,
                polarity=result.polarity,
                label=result.label,
                p_positive=result.p_positive,
                p_neutral=result.p_neutral,
                p_negative=result.p_negative,
                drivers="; ".join(result.drivers),
            )
        )
    return out


def _plural(n: int | float, word: str) -> str:
    shown = f"{n:g}" if isinstance(n, int) else f"{n:.1f}"
    return f"{shown} {word}" + ("s" if n >= 2 else "")


def summary(label: SentimentLabel, n_positive: float, n_negative: float) -> str:
    """The label with the sentences that go the other way.

    Example:
        >>> summary("positive", 9, 4)
        'positive, with 4 criticisms'
    """
    if label == "positive" and n_negative:
        return f"positive, with {_plural(n_negative, 'criticism')}"
    if label == "negative" and n_positive:
        return f"negative, with {_plural(n_positive, 'praise')}"
    if label == "neutral" and (n_positive or n_negative):
        return f"neutral: {_plural(n_positive, 'praise')}, {_plural(n_negative, 'criticism')}"
    return label


@dataclass(frozen=True)
class _Pooled:
    polarity: float
    label: SentimentLabel
    p: tuple[float, float, float]


def pool(sentences: Sequence[Sentence], weights: Sequence[float] | None = None) -> _Pooled:
    """Weighted mean probabilities and the polarity of the module docstring."""
    weights = weights if weights is not None else [1.0] * len(sentences)
    total = sum(weights)
    if not sentences or total <= 0:
        return _Pooled(0.0, "neutral", (0.0, 1.0, 0.0))
    sums = [0.0, 0.0, 0.0]
    for s, w in zip(sentences, weights, strict=True):
        sums[0] += w * s.p_positive
        sums[1] += w * s.p_neutral
        sums[2] += w * s.p_negative
    mass = sums[0] + sums[2] + NEUTRAL_WEIGHT * sums[1]
    polarity = round((sums[0] - sums[2]) / mass, 4) if mass > 0 else 0.0
    p = (round(sums[0] / total, 4), round(sums[1] / total, 4), round(sums[2] / total, 4))
    return _Pooled(polarity, label_for(polarity), p)


def _scores(pooled: _Pooled, n_pos: float, n_neg: float) -> dict[str, Any]:
    """The score fields every sentiment row shares: polarity, label, summary, probabilities."""
    return {
        "polarity": pooled.polarity,
        "label": pooled.label,
        "summary": summary(pooled.label, n_pos, n_neg),
        "p_positive": pooled.p[0],
        "p_neutral": pooled.p[1],
        "p_negative": pooled.p[2],
    }


def _top(sentences: Iterable[Sentence], label: SentimentLabel) -> tuple[str, ...]:
    chosen = [s for s in sentences if s.label == label]
    chosen.sort(key=lambda s: (-abs(s.polarity), s.start))
    return tuple(s.text for s in chosen[:TOP_N])


def _doc_row(doc_id: str, sentences: Sequence[Sentence]) -> DocSentiment:
    if not sentences:
        return DocSentiment(
            doc_id, 0.0, "neutral", "neutral", 0.0, 1.0, 0.0, 0, 0, 0, (), (), "no sentences"
        )
    pooled = pool(sentences)
    n_pos = sum(1 for s in sentences if s.label == "positive")
    n_neg = sum(1 for s in sentences if s.label == "negative")
    return DocSentiment(
        doc_id=doc_id,
        **_scores(pooled, n_pos, n_neg),
        n_sentences=len(sentences),
        n_positive=n_pos,
        n_negative=n_neg,
        top_positive=_top(sentences, "positive"),
        top_negative=_top(sentences, "negative"),
    )


def _by_doc(sentences: Iterable[Sentence], doc_ids: Iterable[str] = ()) -> dict[str, list]:
    by_doc: dict[str, list[Sentence]] = {doc_id: [] for doc_id in doc_ids}
    for sentence in sentences:
        by_doc.setdefault(sentence.doc_id, []).append(sentence)
    return by_doc


def doc_sentiment(sentences: list[Sentence], doc_ids: Iterable[str] = ()) -> list[DocSentiment]:
    """Roll sentence probabilities up per post, sorted by doc_id.

    Posts named in ``doc_ids`` without any sentence come out neutral with the reason
    "no sentences".
    """
    by_doc = _by_doc(sentences, doc_ids)
    return [_doc_row(doc_id, by_doc[doc_id]) for doc_id in sorted(by_doc)]


def theme_sentiment(sentences: list[Sentence], doc_themes: list[DocTheme]) -> list[ThemeSentiment]:
    """Per theme, every sentence of its posts weighted by the post's share of the theme."""
    by_doc = _by_doc(sentences)
    by_theme: dict[int, list[DocTheme]] = defaultdict(list)
    for row in doc_themes:
        if row.share > 0 and by_doc.get(row.doc_id):
            by_theme[row.theme_id].append(row)
    out = []
    for theme_id, rows in sorted(by_theme.items()):
        chosen = [(s, r.share) for r in rows for s in by_doc[r.doc_id]]
        pooled = pool([s for s, _ in chosen], [w for _, w in chosen])
        n_pos = round(sum(w for s, w in chosen if s.label == "positive"), 1)
        n_neg = round(sum(w for s, w in chosen if s.label == "negative"), 1)
        out.append(
            ThemeSentiment(
                theme_id=theme_id,
                **_scores(pooled, n_pos, n_neg),
                n_docs=len(rows),
                n_positive=n_pos,
                n_negative=n_neg,
            )
        )
    return out


def _index(sentences: Iterable[Sentence]) -> dict[str, _DocIndex]:
    index = {}
    for doc_id, items in _by_doc(sentences).items():
        items.sort(key=lambda s: (s.start, s.end))
        reach, furthest = [], -1
        for s in items:
            furthest = max(furthest, s.end)
            reach.append(furthest)
        index[doc_id] = ([s.start for s in items], items, reach)
    return index


# Per post: sentence starts, the sentences sorted by (start, end), and the furthest end of
# each prefix (so a mention looks back only over the sentences that can reach it).
_DocIndex = tuple[list[int], list[Sentence], list[int]]


def _overlapping(index: dict[str, _DocIndex], mention: Mention) -> list[Sentence]:
    """The sentences overlapping ``mention``, in order (bisected: linear in post length).

    Example: "Lyon" at 40-44 overlaps the sentence 0-60 only.
    """
    starts, items, reach = index.get(mention.doc_id, ([], [], []))
    found = []
    i = bisect.bisect_left(starts, mention.end) - 1
    while i >= 0 and reach[i] > mention.start:
        if items[i].end > mention.start:
            found.append(items[i])
        i -= 1
    return found[::-1]


def _entity_row(key: tuple[str, EntityLabel], sentences: list[Sentence]) -> EntitySentiment:
    pooled = pool(sentences)
    polar = sorted(
        (s for s in sentences if s.label != "neutral"),
        key=lambda s: (-abs(s.polarity), s.doc_id, s.start),
    )
    n_pos = sum(1 for s in sentences if s.label == "positive")
    n_neg = sum(1 for s in sentences if s.label == "negative")
    return EntitySentiment(
        entity=key[0],
        entity_label=key[1],
        **_scores(pooled, n_pos, n_neg),
        n_sentences=len(sentences),
        n_positive=n_pos,
        n_negative=n_neg,
        doc_ids=tuple(sorted({s.doc_id for s in sentences})),
        sentences=tuple(s.text for s in polar[:TOP_N]),
    )


def entity_sentiment(sentences: list[Sentence], mentions: list[Mention]) -> list[EntitySentiment]:
    """Pooled probabilities of the sentences overlapping each entity's mentions, by entity.

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
