"""Fitting themes over sentence units and sharing each post between them."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfTransformer

from recap_nlp.records import DocTheme, Theme
from recap_nlp.themes.selection import N_TOP_TERMS, Method, choose_k, fit_model
from recap_nlp.themes.vocabulary import (
    UNIT_MAX_DF,
    ThemeUnit,
    content_units,
    post_boilerplate,
    post_index,
    term_surfaces,
    unit_counts,
    vectorizer_stopwords,
)

log = logging.getLogger(__name__)

MAX_K = 10
# Candidate K stop at n_units // MIN_UNITS_PER_THEME: fewer sentences per theme fit noise.
MIN_UNITS_PER_THEME = 8
MIN_UNITS = 2
# Below this many units a term seen once is kept; above, it must be seen in two units.
MIN_UNITS_FOR_MIN_DF = 20
N_LABEL_TERMS = 3
N_REPRESENTATIVE = 3
# Headings and fragments are representative sentences only when nothing longer weighs.
MIN_REPRESENTATIVE_WORDS = 6


@dataclass(frozen=True)
class ThemeResult:
    """Themes, each post's share of each theme, notes on choices made, and the K scores."""

    themes: list[Theme]
    doc_themes: list[DocTheme]
    notes: list[str] = field(default_factory=list)
    k_scores: dict[int, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Terms:
    units: list[ThemeUnit]
    counts: csr_matrix
    vocabulary: np.ndarray


def fit_themes(
    units: Sequence[ThemeUnit],
    n_themes: int | None = None,
    *,
    method: Method = "nmf",
    seed: int = 0,
    extra_stopwords: Iterable[str] = (),
) -> ThemeResult:
    """Fit a topic model over sentence units and share each post between its themes.

    Args:
        units: sentences with the lemmas of their content words; units without lemmas, with a
            phone number, or repeating a lemma string already seen (page chrome) are left out.
        n_themes: the number of themes, lowered with a note when the corpus is too small;
            ``None`` chooses it (:func:`recap_nlp.themes.choose_k`).
        method: ``"nmf"`` on TF-IDF, or ``"lda"`` on counts.
        seed: fixes every random choice: the same seed gives the same result.
        extra_stopwords: words to drop besides ``data/stopwords_fr.txt``.

    Example:
        Units of posts like "Au programme : visite de l'écosystème numérique d'Angers" give
        themes labelled like "Angers · mission · France" and "numérique · Québec · projet".
    """
    terms = _terms(content_units(units), method, extra_stopwords)
    if isinstance(terms, str):
        return ThemeResult([], [], [terms])
    n_units = len(terms.units)
    max_k = max(1, min(MAX_K, n_units // MIN_UNITS_PER_THEME, terms.vocabulary.size - 1))
    matrix = _model_input(terms.counts, method)
    k, notes, k_scores = _number_of_themes(matrix, n_themes, max_k, method, seed, n_units)
    weights, components = fit_model(matrix, k, method, seed)
    themes = [
        _theme(theme_id, components[theme_id], weights[:, theme_id], terms) for theme_id in range(k)
    ]
    return ThemeResult(themes, doc_shares(weights, terms.units), notes, k_scores)


def _terms(units: list[ThemeUnit], method: Method, extra: Iterable[str]) -> _Terms | str:
    """Unit × term counts without stop words and boilerplate, or a note saying why not."""
    if len(units) < MIN_UNITS:
        return f"too few sentences with content words ({len(units)}) to model themes"
    min_df = 2 if len(units) >= MIN_UNITS_FOR_MIN_DF else 1
    try:
        counts, vocabulary = unit_counts(
            units, vectorizer_stopwords(extra), min_df=min_df, max_df=UNIT_MAX_DF
        )
    except ValueError:  # scikit-learn's "no terms remain" / "empty vocabulary"
        return "no vocabulary left after stop words and boilerplate"
    keep_terms = ~post_boilerplate(counts, post_index(units)[1])
    counts = counts[:, keep_terms]
    vocabulary = vocabulary[keep_terms]
    # A unit left without terms would get LDA's uniform mix and dilute its post's shares.
    keep_units = np.diff(counts.indptr) > 0
    units = [unit for unit, keep in zip(units, keep_units, strict=True) if keep]
    if len(units) < MIN_UNITS or vocabulary.size < 2:
        return f"too few sentences with themed terms ({len(units)}) to model themes"
    return _Terms(units, counts[keep_units], vocabulary)


def _model_input(counts: csr_matrix, method: Method) -> csr_matrix:
    # LDA models counts; NMF works on TF-IDF, which tones down terms common to many units.
    return counts if method == "lda" else TfidfTransformer().fit_transform(counts).tocsr()


def _number_of_themes(
    matrix: csr_matrix, n_themes: int | None, max_k: int, method: Method, seed: int, n_units: int
) -> tuple[int, list[str], dict[int, tuple[float, float]]]:
    """K and the notes saying how it was set, with the scores when it was chosen."""
    if n_themes is not None and n_themes > max_k:
        note = f"corpus too small for K={n_themes} themes ({n_units} sentences), using K={max_k}"
        return max_k, [note], {}
    if n_themes is not None and n_themes >= 1:
        return n_themes, [], {}
    if max_k < 2:
        return 1, [f"corpus too small to compare theme counts ({n_units} sentences), K=1"], {}
    k, scores = choose_k(matrix, max_k, method, seed)
    stability, coherence = scores[k]
    note = f"K={k} themes chosen automatically (stability {stability:.2f}, NPMI {coherence:.2f})"
    return k, [note], scores


def _theme(theme_id: int, row: np.ndarray, column: np.ndarray, terms: _Terms) -> Theme:
    top = np.argsort(-row, kind="stable")[:N_TOP_TERMS]
    top_terms = tuple(str(terms.vocabulary[i]) for i in top)
    total = float(row[top].sum()) or 1.0
    weights = tuple(round(float(row[i]) / total, 4) for i in top)
    label_terms = top_terms[:N_LABEL_TERMS]
    label = " · ".join(term_surfaces(label_terms, terms.counts, terms.vocabulary, terms.units))
    return Theme(theme_id, label, top_terms, weights, representative(column, terms.units))


def representative(column: np.ndarray, units: Sequence[ThemeUnit]) -> tuple[str, ...]:
    """The texts of the units weighing most on a theme, full sentences first.

    Example:
        "Du 3 au 11 juin, une délégation de 27 Québécois a participé à une mission en France."
        comes before the heading "Mission en France" even if the heading weighs a little more.
    """
    full: list[str] = []
    short: list[str] = []
    for index in np.argsort(-column, kind="stable"):
        if column[index] <= 0 or len(full) == N_REPRESENTATIVE:
            break
        text = units[index].text.strip()
        bucket = full if len(text.split()) >= MIN_REPRESENTATIVE_WORDS else short
        if text not in bucket:
            bucket.append(text)
    return tuple((full + short)[:N_REPRESENTATIVE])


def doc_shares(weights: np.ndarray, units: Sequence[ThemeUnit]) -> list[DocTheme]:
    """Each post's share of each theme: its units' weights summed, then normalised to 1."""
    doc_ids, posts = post_index(units)
    totals = np.asarray(posts @ weights)
    shares: list[DocTheme] = []
    for doc_id, row in zip(doc_ids, totals, strict=True):
        total = float(row.sum())
        if total <= 0:
            continue  # no theme for a post whose sentences carry no themed term
        rounded = np.round(row / total, 4)
        # Rounding must not break "shares sum to 1": the largest share absorbs the remainder.
        rounded[int(np.argmax(rounded))] += 1.0 - float(rounded.sum())
        shares.extend(
            DocTheme(doc_id, theme_id, round(float(value), 4))
            for theme_id, value in enumerate(rounded)
        )
    return shares
