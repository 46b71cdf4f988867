"""French for every stage: one accent and case folding, and the shared word lists.

The word lists live in ``data/french_words.toml`` (months, weekdays, articles, and the
connector, particle and article lists the entity, fact and evaluation stages match with), read
once; each list there says what it is for and why it differs from its neighbours.
"""

from __future__ import annotations

import tomllib
import unicodedata
from functools import cache
from importlib import resources


def fold(text: str, *, lower: bool = True, compatibility: bool = False) -> str:
    """``text`` without accents (and lowercased), for comparing words as readers do.

    The contract: with ``lower``, ``str.lower()`` is applied first; the text is then
    decomposed (Unicode NFD, or NFKD with ``compatibility``, which also turns "ﬁ" into "fi",
    "²" into "2" and "𝙰" into "A") and every combining mark is dropped. Nothing else changes:
    punctuation, apostrophes and spaces stay, and the length may change. Folding twice gives
    the same text as folding once, but for one case: with both ``lower`` and ``compatibility``
    a compatibility form can decompose into a capital ("𝙰" -> "A"), which only a second fold
    lowers (``entities.canonical.fold`` folds twice for that reason).

    Args:
        text: any text.
        lower: lowercase first (``str.lower``, not ``casefold``).
        compatibility: NFKD instead of NFD.

    Example:
        >>> fold("Février à Québec")
        'fevrier a quebec'
        >>> fold("Québec Numérique", lower=False)
        'Quebec Numerique'
    """
    if lower:
        text = text.lower()
    if text.isascii():
        return text  # ASCII has no decomposition and no combining mark
    decomposed = unicodedata.normalize("NFKD" if compatibility else "NFD", text)
    # Each distinct character tested once, not each character of a whole post.
    marks = {ord(c): None for c in set(decomposed) if unicodedata.combining(c)}
    return decomposed.translate(marks) if marks else decomposed


@cache
def _words() -> dict[str, list[str]]:
    text = resources.files("recap_nlp.data").joinpath("french_words.toml").read_text("utf-8")
    return tomllib.loads(text)


def months() -> tuple[str, ...]:
    """The twelve month names in calendar order: ``months()[5]`` is "juin"."""
    return tuple(_words()["months"])


def weekdays() -> tuple[str, ...]:
    """The seven weekday names, Monday ("lundi") first."""
    return tuple(_words()["weekdays"])


def definite_articles() -> frozenset[str]:
    """ "le", "la", "les" and the elided "l'" (straight apostrophe)."""
    return frozenset(_words()["definite_articles"])


def articles() -> frozenset[str]:
    """Every article form: definite, indefinite ("un", "une", "des") and contracted ("du", "au")."""
    words = _words()
    return frozenset(
        [*words["definite_articles"], *words["indefinite_articles"], *words["contracted_articles"]]
    )


def word_list(name: str) -> tuple[str, ...]:
    """The list ``name`` of ``data/french_words.toml``, in file order (regexes depend on it).

    Example:
        >>> word_list("name_particles")[:3]
        ('de', 'du', 'des')
    """
    return tuple(_words()[name])


def word_set(name: str) -> frozenset[str]:
    """The list ``name`` of ``data/french_words.toml`` as a set, for membership tests.

    Example:
        >>> "von" in word_set("name_particles")
        True
    """
    return frozenset(_words()[name])


def alternation(name: str) -> str:
    """The list ``name`` as a regex alternation in file order, a space matching any spaces.

    The members are plain words; the caller adds the anchors, groups and what must follow.

    Example:
        >>> print(alternation("series_leading_elisions"))
        de\\s+l|l|d
    """
    return "|".join(word.replace(" ", r"\s+") for word in _words()[name])
