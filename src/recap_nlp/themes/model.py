"""Fitting themes over posts (or sentences of a tiny corpus) and sharing each post between them.

Posts are the units once there are ``MIN_POSTS_AS_UNITS`` of them: a theme is a subject that
posts share, and a post is weighed as a whole, so its many generic sentences ("merci à tous")
cannot pull it towards a catch-all theme. A corpus of one to three posts is modelled over its
sentences instead, so that it still gets a few themes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from recap_nlp.records import DocTheme, Theme
from recap_nlp.themes.labels import clean_name, entity_presence, theme_label, theme_name
from recap_nlp.themes.selection import N_TOP_TERMS, Method, choose_k, fit_model
from recap_nlp.themes.vocabulary import (
    MARKUP_SPAN,
    TOKEN_PATTERN,
    UNIT_MAX_DF,
    ThemeUnit,
    clean_lemmas,
    content_units,
    post_boilerplate,
    post_index,
    term_surfaces,
    vectorizer_stopwords,
)

log = logging.getLogger(__name__)

Level = Literal["post", "sentence"]
MAX_K = 20
# With this many posts, posts are the units; below, sentences are.
MIN_POSTS_AS_UNITS = 4
# Candidate K stop at n_posts // MIN_POSTS_PER_THEME: a theme is a subject several posts share.
MIN_POSTS_PER_THEME = 2
# Over sentences, K stop at n_units // MIN_UNITS_PER_THEME: fewer sentences per theme fit noise.
MIN_UNITS_PER_THEME = 8
MIN_UNITS = 2
# From this many rows on, a term must be in two rows and in at most half of them.
MIN_ROWS_FOR_DF = 10
MIN_UNITS_FOR_MIN_DF = 20
N_REPRESENTATIVE = 3
# A theme's name is looked for among its this many top terms.
N_NAME_TERMS = 20
# Headings and fragments are representative sentences only when nothing longer weighs.
MIN_REPRESENTATIVE_WORDS = 6
_SINGLE = re.compile(TOKEN_PATTERN)


@dataclass(frozen=True)
class ThemeResult:
    """Themes, each post's share of each theme, notes on choices made, and the K scores."""

    themes: list[Theme]
    doc_themes: list[DocTheme]
    notes: list[str] = field(default_factory=list)
    k_scores: dict[int, tuple[float, float] | None] = field(default_factory=dict)
    level: Level = "post"


@dataclass(frozen=True)
class _Terms:
    level: Level
    units: list[ThemeUnit]  # the sentences, in order
    row_of_unit: np.ndarray  # the model row each sentence belongs to
    counts: csr_matrix  # rows (posts or sentences) × terms
    vocabulary: np.ndarray
    unit_counts: csr_matrix  # sentences × the same terms


def fit_themes(
    units: Sequence[ThemeUnit],
    n_themes: int | None = None,
    *,
    method: Method = "nmf",
    seed: int = 0,
    extra_stopwords: Iterable[str] = (),
    names: Mapping[str, Sequence[str]] | None = None,
    label_names: Mapping[str, Sequence[str]] | None = None,
    workers: int = 1,
) -> ThemeResult:
    """Fit a topic model over posts and share each post between its themes.

    Args:
        units: sentences with the lemmas of their content words; units without lemmas, with a
            phone number, or repeating a lemma string already seen (page chrome) are left out,
            and so are markup words ("div", "gallery", URL pieces).
        n_themes: the number of themes, lowered with a note when the corpus is too small;
            ``None`` chooses it (:func:`recap_nlp.themes.choose_k`).
        method: ``"nmf"`` on sublinear TF-IDF, or ``"lda"`` on counts.
        seed: fixes every random choice: the same seed gives the same result.
        extra_stopwords: words to drop besides ``data/stopwords_fr.txt``.
        names: the entity names found in each post ("Forum PHP", "Pau"), used as terms and
            to name the themes.
        label_names: the names that may name a theme (places, organisations, events: not
            people, whose names say who spoke, not what about); ``None``: all of ``names``.
        workers: worker processes for the restarts of the choice of K (the same choice).

    Example:
        Posts like "Au programme : visite de l'écosystème numérique d'Angers" and others on
        Québec Numérique give themes labelled like "Angers · mission · France".
    """
    names = names or {}
    terms = _terms(content_units(units), names, extra_stopwords)
    if isinstance(terms, str):
        return ThemeResult([], [], [terms])
    n_rows = terms.counts.shape[0]
    max_k = _max_k(terms)
    matrix = _model_input(terms.counts, method)
    k, notes, k_scores = _number_of_themes(matrix, n_themes, max_k, method, seed, terms, workers)
    weights, components = fit_model(matrix, k, method, seed)
    doc_ids, shares = post_shares(weights, terms)
    sentence_scores = _sentence_scores(terms, components, shares, doc_ids)
    name_list, presence = entity_presence(doc_ids, names if label_names is None else label_names)
    themes = [
        _theme(t, components[t], terms, sentence_scores[:, t], shares, doc_ids, name_list, presence)
        for t in range(k)
    ]
    log.debug("themes over %d %s units", n_rows, terms.level)
    return ThemeResult(themes, _doc_themes(doc_ids, shares), notes, k_scores, terms.level)


def _max_k(terms: _Terms) -> int:
    n_rows = terms.counts.shape[0]
    per_theme = MIN_POSTS_PER_THEME if terms.level == "post" else MIN_UNITS_PER_THEME
    return max(1, min(MAX_K, n_rows // per_theme, terms.vocabulary.size - 1))


def _terms(
    units: list[ThemeUnit], names: Mapping[str, Sequence[str]], extra: Iterable[str]
) -> _Terms | str:
    """Row × term counts without stop words, markup and boilerplate, or a note saying why not."""
    if len(units) < MIN_UNITS:
        return f"too few sentences with content words ({len(units)}) to model themes"
    stop = frozenset(vectorizer_stopwords(extra))
    tokens = [_unit_tokens(unit, stop) for unit in units]
    doc_ids = sorted({unit.doc_id for unit in units})
    level: Level = "post" if len(doc_ids) >= MIN_POSTS_AS_UNITS else "sentence"
    if level == "post":
        row_of = {doc_id: i for i, doc_id in enumerate(doc_ids)}
        row_of_unit = np.array([row_of[unit.doc_id] for unit in units], dtype=np.int64)
        rows: list[list[str]] = [_name_terms(names.get(doc_id, ()), stop) for doc_id in doc_ids]
        for row, unit_tokens in zip(row_of_unit, tokens, strict=True):
            rows[row].extend(unit_tokens)
        min_df = 2 if len(rows) >= MIN_ROWS_FOR_DF else 1
    else:
        row_of_unit = np.arange(len(units))
        rows = tokens
        min_df = 2 if len(rows) >= MIN_UNITS_FOR_MIN_DF else 1
    max_df = UNIT_MAX_DF if len(rows) >= MIN_ROWS_FOR_DF else 1.0
    vectorizer = CountVectorizer(analyzer=_identity, min_df=min_df, max_df=max_df, dtype=np.float64)
    try:
        counts = vectorizer.fit_transform(rows).tocsr()
    except ValueError:  # scikit-learn's "no terms remain" / "empty vocabulary"
        return "no vocabulary left after stop words and boilerplate"
    vocabulary = vectorizer.get_feature_names_out()
    unit_counts = vectorizer.transform(tokens).tocsr()
    if level == "sentence":  # posts are too few for post frequencies but sentences tell
        keep = ~post_boilerplate(counts, post_index(units)[1])
        counts, vocabulary, unit_counts = counts[:, keep], vocabulary[keep], unit_counts[:, keep]
    if (np.diff(counts.indptr) > 0).sum() < MIN_UNITS or vocabulary.size < 2:
        return f"too few sentences with themed terms ({len(units)}) to model themes"
    return _Terms(level, units, row_of_unit, counts, vocabulary, unit_counts)


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _unit_tokens(unit: ThemeUnit, stop: frozenset[str]) -> list[str]:
    return [t for t in clean_lemmas(unit) if t not in stop and _SINGLE.fullmatch(t)]


def _name_terms(names: Sequence[str], stop: frozenset[str]) -> list[str]:
    """Entity names as terms, case-folded ("Forum PHP" -> "forum php"), stop words left out.

    A one-word name is the same term as its lemma ("pau"), which it reinforces.
    """
    terms = []
    for name in names:
        key = clean_name(name).casefold()
        if any(_SINGLE.fullmatch(w) and w not in stop for w in key.split()):
            terms.append(key)
    return terms


def _model_input(counts: csr_matrix, method: Method) -> csr_matrix:
    # LDA models counts; NMF works on sublinear TF-IDF, which tones down terms common to many
    # posts and the length of long posts.
    if method == "lda":
        return counts
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()


def _number_of_themes(
    matrix: csr_matrix,
    n_themes: int | None,
    max_k: int,
    method: Method,
    seed: int,
    terms: _Terms,
    workers: int = 1,
) -> tuple[int, list[str], dict[int, tuple[float, float] | None]]:
    """K and the notes saying how it was set, with the scores when it was chosen."""
    size = f"{matrix.shape[0]} {'posts' if terms.level == 'post' else 'sentences'}"
    if n_themes is not None and n_themes > max_k:
        return max_k, [f"corpus too small for K={n_themes} themes ({size}), using K={max_k}"], {}
    if n_themes is not None and n_themes >= 1:
        return n_themes, [], {}
    if max_k < 2:
        return 1, [f"corpus too small to compare theme counts ({size}), K=1"], {}
    k, scores = choose_k(matrix, max_k, method, seed, workers)
    stability, spread = scores[k] or (0.0, 0.0)  # the chosen K is always scored
    note = (
        f"K={k} themes chosen automatically over {size} "
        f"(stability {stability:.2f} ± {spread:.2f}, {len(scores)} values of K compared)"
    )
    return k, [note], scores


def post_shares(weights: np.ndarray, terms: _Terms) -> tuple[list[str], np.ndarray]:
    """The post ids and each post's share of each theme (rows sum to 1, or 0 for no theme).

    Over sentences, a post's share is its sentences' weights summed, then normalised.
    """
    if terms.level == "post":
        doc_ids = sorted({unit.doc_id for unit in terms.units})
        totals = np.asarray(weights, dtype=np.float64)
    else:
        doc_ids, posts = post_index(terms.units)
        totals = np.asarray(posts @ weights)
    sums = totals.sum(axis=1, keepdims=True)
    return doc_ids, np.divide(totals, sums, out=np.zeros_like(totals), where=sums > 0)


def _doc_themes(doc_ids: list[str], shares: np.ndarray) -> list[DocTheme]:
    """Rounded shares that still sum to 1: the largest share absorbs the remainder."""
    result: list[DocTheme] = []
    for doc_id, row in zip(doc_ids, shares, strict=True):
        if row.sum() <= 0:
            continue  # no theme for a post without themed terms
        rounded = np.round(row, 4)
        rounded[int(np.argmax(rounded))] += 1.0 - float(rounded.sum())
        result.extend(
            DocTheme(doc_id, theme_id, round(float(value), 4))
            for theme_id, value in enumerate(rounded)
        )
    return result


def _sentence_scores(
    terms: _Terms, components: np.ndarray, shares: np.ndarray, doc_ids: list[str]
) -> np.ndarray:
    """Sentences × themes: how well each sentence says the theme, times its post's share."""
    unit_matrix = normalize(TfidfTransformer().fit(terms.counts).transform(terms.unit_counts))
    fit = np.asarray(unit_matrix @ normalize(components).T)
    post_of = {doc_id: i for i, doc_id in enumerate(doc_ids)}
    post_rows = np.array([post_of[unit.doc_id] for unit in terms.units], dtype=np.int64)
    return fit * shares[post_rows]


def _theme(
    theme_id: int,
    row: np.ndarray,
    terms: _Terms,
    sentence_column: np.ndarray,
    shares: np.ndarray,
    doc_ids: list[str],
    names: list[str],
    presence: np.ndarray,
) -> Theme:
    top = np.argsort(-row, kind="stable")[:N_TOP_TERMS]
    top_terms = tuple(str(terms.vocabulary[i]) for i in top)
    total = float(row[top].sum()) or 1.0
    weights = tuple(round(float(row[i]) / total, 4) for i in top)
    written = {name.casefold(): name for name in names if " " in name}
    surfaces = [
        written.get(term, surface)
        for term, surface in zip(
            top_terms,
            term_surfaces(top_terms, terms.unit_counts, terms.vocabulary, terms.units),
            strict=True,
        )
    ]
    ranked = [str(terms.vocabulary[i]) for i in np.argsort(-row, kind="stable")[:N_NAME_TERMS]]
    label = theme_label(theme_name(theme_id, ranked, shares, names, presence), surfaces)
    sentences = representative(sentence_column, terms.units)
    return Theme(
        theme_id, label, top_terms, weights, sentences, top_posts(shares[:, theme_id], doc_ids)
    )


def top_posts(column: np.ndarray, doc_ids: Sequence[str]) -> tuple[str, ...]:
    """The posts where a theme weighs most, largest share first (ties: by id)."""
    order = sorted(range(len(doc_ids)), key=lambda i: (-round(float(column[i]), 6), doc_ids[i]))
    return tuple(doc_ids[i] for i in order[:N_REPRESENTATIVE] if column[i] > 0)


def representative(column: np.ndarray, units: Sequence[ThemeUnit]) -> tuple[str, ...]:
    """The texts of the units weighing most on a theme, full sentences without markup first.

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
        readable = len(text.split()) >= MIN_REPRESENTATIVE_WORDS and not MARKUP_SPAN.search(text)
        bucket = full if readable else short
        if text not in bucket:
            bucket.append(text)
    return tuple((full + short)[:N_REPRESENTATIVE])
