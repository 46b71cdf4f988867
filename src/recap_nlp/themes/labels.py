"""Theme labels a reader recognises: the theme's most specific name, then its top terms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from recap_nlp.french import fold
from recap_nlp.themes.vocabulary import MARKUP_SPAN, french_stopwords

# A name labels a theme when at least this share of its posts' weight is on the theme.
MIN_NAME_SPECIFICITY = 0.5
N_LABEL_TERMS = 3
# Label terms sharing their first letters with an earlier part repeat it ("valeur", "valoriser").
STEM_CHARS = 5
_TRAILING = " .,;:!?)]([*_#\"'«»"


def entity_presence(
    doc_ids: Sequence[str], names: Mapping[str, Sequence[str]]
) -> tuple[list[str], np.ndarray]:
    """The distinct names (first written form) and a posts × names 0/1 matrix.

    Example:
        ``{"a": ["Forum PHP", "Paris"], "b": ["forum php"]}`` -> ``["Forum PHP", "Paris"]``
        with rows ``[1, 1]`` and ``[1, 0]``: names are matched case-insensitively.
    """
    written: dict[str, str] = {}
    for doc_id in doc_ids:
        for name in map(clean_name, names.get(doc_id, ())):
            key = name.casefold()
            if _is_name(key):
                written.setdefault(key, name)
    keys = sorted(written)
    column = {key: i for i, key in enumerate(keys)}
    presence = np.zeros((len(doc_ids), len(keys)))
    for row, doc_id in enumerate(doc_ids):
        for name in map(clean_name, names.get(doc_id, ())):
            if name.casefold() in column:
                presence[row, column[name.casefold()]] = 1.0
    return [written[key] for key in keys], presence


def _is_name(key: str) -> bool:
    words = [w for w in key.split() if len(w) >= 3 and w not in french_stopwords()]
    return bool(words)


def theme_name(
    theme: int,
    ranked_terms: Sequence[str],
    shares: np.ndarray,
    names: list[str],
    presence: np.ndarray,
) -> str:
    """The name among a theme's ranked terms that most of the theme's posts use, or "".

    ``shares`` is posts × themes. A name's weight on a theme is the sum of the theme's share
    in the posts that use it, its specificity that weight over the number of those posts. A
    name at least ``MIN_NAME_SPECIFICITY`` specific and, on a corpus of more than two posts,
    found in two posts or more (a name of one post names that post, not a theme) is a
    candidate; the heaviest wins, then the longer name ("Forum PHP" over "PHP"), then rank.

    Example:
        A theme ranking "php, design, forum php, paris" over three posts on Forum PHP is
        named "Forum PHP"; "Paris", which the music-festival posts also mention, is not
        specific.
    """
    column = {name.casefold(): i for i, name in enumerate(names)}
    total = presence.sum(axis=0)
    on_theme = shares[:, theme] @ presence if names else np.zeros(0)
    best: tuple[float, int, int] | None = None
    for rank, term in enumerate(ranked_terms):
        i = column.get(term)
        if i is None or total[i] == 0 or (len(shares) > 2 and total[i] < 2):
            continue
        if on_theme[i] / total[i] < MIN_NAME_SPECIFICITY:
            continue
        key = (round(float(on_theme[i]), 1), len(names[i].split()), -rank)
        if best is None or key > best:
            best = key
    return names[column[ranked_terms[-best[2]]]] if best else ""


def theme_label(name: str, surfaces: Sequence[str]) -> str:
    """A short label: the theme's name, then top terms the name does not already hold.

    Example:
        ``theme_label("Forum PHP", ["PHP", "conférence", "AFUP", "outil"])`` ->
        ``"Forum PHP · conférence · AFUP"``; without a name, the first three terms.
    """
    parts = [name] if name else []
    for surface in surfaces:
        if len(parts) == N_LABEL_TERMS:
            break
        if not any(_overlap(surface, part) for part in parts):
            parts.append(surface)
    return " · ".join(parts)


def _overlap(term: str, part: str) -> bool:
    """Whether a term repeats a word of a label part or shares its stem ("valeur", "valoriser").

    Example:
        ``_overlap("Québécois", "Québec")`` -> True; ``_overlap("mission", "Angers")`` -> False.
    """
    term = _folded(term)
    stem = term[:STEM_CHARS]
    return any(
        word == term or (len(word) >= STEM_CHARS and word[:STEM_CHARS] == stem)
        for word in _folded(part).split()
    )


def _folded(text: str) -> str:
    # casefold, not lower: "ß" -> "ss", as the labels have always been compared.
    return fold(text.casefold(), lower=False)


def clean_name(name: str) -> str:
    """An entity name without markup and trailing punctuation, spaces collapsed.

    Example:
        ``clean_name("Julien Pauli](https://twitter.com")`` -> ``"Julien Pauli"``;
        ``clean_name("MiXiT.")`` -> ``"MiXiT"``.
    """
    text = MARKUP_SPAN.sub(" ", name).split("](")[0]
    return " ".join(text.split()).strip(_TRAILING)
