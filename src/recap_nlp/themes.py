"""Themes (NMF or LDA over TF-IDF of lemmas) and per-post keywords, with scikit-learn.

Units are sentences, so five posts give a few hundred units: enough for a topic model, where
five documents would not be. The number of themes is chosen by the stability of the top
terms across random restarts, with NPMI on the corpus as the second signal.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from recap_nlp.records import DocTheme, Keyword, Theme

log = logging.getLogger(__name__)

N_TOP_TERMS = 10
N_RESTARTS = 3
MAX_K = 8
MIN_UNITS_PER_THEME = 8
# K selection fits several models per K: on a large corpus it runs on a fixed-size sample.
SELECTION_SAMPLE = 4000
MIN_REPRESENTATIVE_WORDS = 6
# Stabilities this close are a tie, broken by NPMI.
STABILITY_TIE = 0.03
_TOKEN_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"

Method = Literal["nmf", "lda"]


@dataclass(frozen=True)
class ThemeUnit:
    """A sentence (or paragraph) to model: its text and the lemmas of its content words."""

    doc_id: str
    start: int
    end: int
    text: str
    lemmas: str


@dataclass(frozen=True)
class ThemeResult:
    themes: list[Theme]
    doc_themes: list[DocTheme]
    notes: list[str] = field(default_factory=list)
    k_scores: dict[int, tuple[float, float]] = field(default_factory=dict)


@cache
def french_stopwords() -> frozenset[str]:
    """The packaged French stop-word list (``data/stopwords_fr.txt``)."""
    text = resources.files("recap_nlp.data").joinpath("stopwords_fr.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _stopwords(extra: Iterable[str]) -> list[str]:
    """Stop words cut the way the vectoriser cuts text ("quelqu'un" -> "quelqu", "un")."""
    words = french_stopwords() | {w.lower() for w in extra}
    return sorted({token for word in words for token in re.findall(_TOKEN_PATTERN, word)})


def fit_themes(
    units: Sequence[ThemeUnit],
    n_themes: int | None = None,
    *,
    method: Method = "nmf",
    seed: int = 0,
    extra_stopwords: Iterable[str] = (),
) -> ThemeResult:
    """Fit a topic model over sentence units and share each post between themes.

    Example:
        Units of a post like "Visite de l'écosystème numérique d'Angers" and "Participation au
        Web2Day" give themes such as "numérique · écosystème · visite".
    """
    usable = [u for u in units if u.lemmas.strip()]
    notes: list[str] = []
    if len(usable) < MIN_UNITS_PER_THEME:
        return ThemeResult([], [], [f"too few sentences ({len(usable)}) to model themes"])
    vectorizer = _vectorizer(method, _stopwords(extra_stopwords), len(usable))
    try:
        matrix = vectorizer.fit_transform([u.lemmas for u in usable])
    except ValueError:
        return ThemeResult([], [], ["no vocabulary left after stop words"])
    terms = np.array(vectorizer.get_feature_names_out())
    max_k = max(1, min(MAX_K, len(usable) // MIN_UNITS_PER_THEME, matrix.shape[1] - 1))
    k_scores: dict[int, tuple[float, float]] = {}
    if n_themes and n_themes > max_k:
        notes.append(f"corpus too small for {n_themes} themes, using {max_k}")
        n_themes = max_k
    if not n_themes:
        n_themes, k_scores = choose_k(matrix, terms, max_k, method, seed)
        notes.append(f"{n_themes} themes chosen by top-term stability, then NPMI")
    weights, components = _fit(matrix, n_themes, method, seed)
    themes = _themes(components, weights, terms, usable)
    return ThemeResult(themes, _doc_shares(weights, usable), notes, k_scores)


def _vectorizer(method: Method, stopwords: list[str], n_units: int) -> CountVectorizer:
    options = {
        "stop_words": stopwords,
        "token_pattern": _TOKEN_PATTERN,
        "min_df": 2 if n_units >= 20 else 1,
        "max_df": 0.5,  # terms in half the sentences are the corpus's boilerplate
    }
    return CountVectorizer(**options) if method == "lda" else TfidfVectorizer(**options)


def _fit(matrix: csr_matrix, k: int, method: Method, seed: int) -> tuple[np.ndarray, np.ndarray]:
    if method == "lda":
        model = LatentDirichletAllocation(
            n_components=k, random_state=seed, learning_method="batch"
        )
        weights = model.fit_transform(matrix)
    else:
        model = NMF(n_components=k, random_state=seed, init="nndsvda", max_iter=400)
        weights = model.fit_transform(matrix)
    return weights, model.components_


def choose_k(
    matrix: csr_matrix, terms: np.ndarray, max_k: int, method: Method, seed: int
) -> tuple[int, dict[int, tuple[float, float]]]:
    """The number of themes whose top terms are most stable across restarts (NPMI breaks ties)."""
    sample = _sample_rows(matrix, seed)
    presence = (sample > 0).astype(np.float64).tocsc()
    scores: dict[int, tuple[float, float]] = {}
    for k in range(2, max_k + 1):
        runs = [_top_terms(_fit(sample, k, method, seed + r)[1]) for r in range(N_RESTARTS)]
        stability = float(np.mean([_matched_jaccard(runs[0], other) for other in runs[1:]]))
        scores[k] = (round(stability, 4), round(_npmi(runs[0], presence), 4))
    if not scores:
        return 1, scores
    best_stability = max(s for s, _ in scores.values())
    tied = [k for k, (s, _) in scores.items() if s >= best_stability - STABILITY_TIE]
    return max(tied, key=lambda k: (scores[k][1], -k)), scores


def _sample_rows(matrix: csr_matrix, seed: int) -> csr_matrix:
    if matrix.shape[0] <= SELECTION_SAMPLE:
        return matrix
    rows = np.random.default_rng(seed).choice(matrix.shape[0], SELECTION_SAMPLE, replace=False)
    return matrix[np.sort(rows)]


def _top_terms(components: np.ndarray) -> list[set[int]]:
    return [set(np.argsort(-row)[:N_TOP_TERMS].tolist()) for row in components]


def _matched_jaccard(a: list[set[int]], b: list[set[int]]) -> float:
    """Mean Jaccard of topics paired one to one so that the total overlap is largest."""
    similarity = np.array([[len(x & y) / len(x | y) for y in b] for x in a])
    rows, cols = linear_sum_assignment(-similarity)
    return float(similarity[rows, cols].mean())


def _npmi(topics: list[set[int]], presence: csr_matrix) -> float:
    """Mean normalised PMI of top-term pairs, from co-occurrence in the same unit."""
    n = presence.shape[0]
    values = []
    for topic in topics:
        ids = sorted(topic)
        columns = presence[:, ids]
        joint = (columns.T @ columns).toarray() / n
        single = np.diag(joint)
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                values.append(_pair_npmi(joint[i, j], single[i], single[j]))
    return float(np.mean(values)) if values else 0.0


def _pair_npmi(p_ij: float, p_i: float, p_j: float) -> float:
    if p_ij <= 0:
        return -1.0
    if p_ij >= 1:
        return 1.0
    return float(np.log(p_ij / (p_i * p_j)) / -np.log(p_ij))


def _themes(
    components: np.ndarray, weights: np.ndarray, terms: np.ndarray, units: Sequence[ThemeUnit]
) -> list[Theme]:
    themes = []
    for theme_id, row in enumerate(components):
        top = np.argsort(-row, kind="stable")[:N_TOP_TERMS]
        top_terms = tuple(str(terms[i]) for i in top)
        total = row[top].sum() or 1.0
        share = tuple(round(float(row[i] / total), 4) for i in top)
        themes.append(
            Theme(
                theme_id,
                " · ".join(top_terms[:3]),
                top_terms,
                share,
                _representative(weights[:, theme_id], units),
            )
        )
    return themes


def _representative(column: np.ndarray, units: Sequence[ThemeUnit], n: int = 3) -> tuple[str, ...]:
    """The units weighing most on a theme; headings and fragments only when nothing else."""
    ranked = [i for i in np.argsort(-column, kind="stable") if column[i] > 0]
    full = [i for i in ranked if len(units[i].text.split()) >= MIN_REPRESENTATIVE_WORDS]
    chosen: list[str] = []
    for index in full + ranked:
        if units[index].text not in chosen:
            chosen.append(units[index].text)
        if len(chosen) == n:
            break
    return tuple(chosen)


def _doc_shares(weights: np.ndarray, units: Sequence[ThemeUnit]) -> list[DocTheme]:
    totals: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(weights.shape[1]))
    for unit, row in zip(units, weights, strict=True):
        totals[unit.doc_id] += row
    shares = []
    for doc_id in sorted(totals):
        total = totals[doc_id].sum()
        if total <= 0:
            continue  # no theme for a post whose sentences carry no themed term
        for theme_id, value in enumerate(totals[doc_id] / total):
            shares.append(DocTheme(doc_id, theme_id, round(float(value), 4)))
    return shares


def extract_keywords(
    units: Sequence[ThemeUnit], top_n: int = 10, extra_stopwords: Iterable[str] = ()
) -> list[Keyword]:
    """Each post's most distinctive lemmas and lemma pairs (TF-IDF of the post against the others).

    Example:
        A post about "la journée inter-régionale ... la technologie SCENIC" ranks
        "inter-régional"-like terms and "technologie" above words every post uses.
    """
    texts: dict[str, list[str]] = defaultdict(list)
    for unit in units:
        if unit.lemmas.strip():
            texts[unit.doc_id].append(unit.lemmas)
    if not texts:
        return []
    doc_ids = sorted(texts)
    vectorizer = TfidfVectorizer(
        stop_words=_stopwords(extra_stopwords),
        token_pattern=_TOKEN_PATTERN,
        ngram_range=(1, 2),
        sublinear_tf=True,
    )
    try:
        matrix = vectorizer.fit_transform([" ".join(texts[d]) for d in doc_ids])
    except ValueError:
        return []
    terms = vectorizer.get_feature_names_out()
    keywords = []
    for row, doc_id in enumerate(doc_ids):
        scores = matrix.getrow(row).toarray().ravel()
        ranked = sorted((-s, str(terms[i])) for i, s in enumerate(scores) if s > 0)[:top_n]
        for rank, (score, term) in enumerate(ranked, start=1):
            keywords.append(Keyword(doc_id, term, round(-score, 4), rank))
    return keywords
