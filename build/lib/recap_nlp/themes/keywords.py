"""Per-post keywords: TF-IDF of each post against the others, over lemmas and lemma pairs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfTransformer

from recap_nlp.records import Keyword
from recap_nlp.themes.vocabulary import (
    ThemeUnit,
    content_units,
    post_index,
    unit_counts,
    vectorizer_stopwords,
)

# Scores equal to this many decimals are a tie, broken alphabetically.
SCORE_DECIMALS = 6


def extract_keywords(
    units: Sequence[ThemeUnit], top_n: int = 10, extra_stopwords: Iterable[str] = ()
) -> list[Keyword]:
    """Each post's most distinctive lemmas and lemma pairs, ranked, ties broken alphabetically.

    Pairs are counted inside a sentence only (never across two), after stop words are
    dropped, so "facteurs de succès" counts as the pair "facteur succès". Posts are sorted
    by id; a post without content words gets no keyword.

    Example:
        A post about "une journée inter-régionale ... grâce à la technologie SCENIC" ranks
        "scenic" and "technologie scenic" above "numérique", which every post uses.
    """
    kept = content_units(units)
    if not kept or top_n < 1:
        return []
    stopwords = vectorizer_stopwords(extra_stopwords)
    try:
        counts, vocabulary = unit_counts(kept, stopwords, ngram_range=(1, 2))
    except ValueError:  # no term left after stop words
        return []
    doc_ids, posts = post_index(kept)
    scores = TfidfTransformer(sublinear_tf=True).fit_transform(posts @ counts).tocsr()
    keywords: list[Keyword] = []
    for row, doc_id in enumerate(doc_ids):
        keywords.extend(_post_keywords(doc_id, scores, row, vocabulary, top_n))
    return keywords


def _post_keywords(
    doc_id: str, scores: csr_matrix, row: int, vocabulary: np.ndarray, top_n: int
) -> list[Keyword]:
    start, end = scores.indptr[row], scores.indptr[row + 1]
    pairs = zip(scores.data[start:end], scores.indices[start:end], strict=True)
    ranked = sorted(
        (-round(float(score), SCORE_DECIMALS), str(vocabulary[column])) for score, column in pairs
    )
    return [
        Keyword(doc_id, term, round(-negative, 4), rank)
        for rank, (negative, term) in enumerate(ranked[:top_n], start=1)
    ]
