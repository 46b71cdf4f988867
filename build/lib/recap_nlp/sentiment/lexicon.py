"""Sentiment data files: the textblob-fr lexicon, recap additions, modifiers, idioms, emoji.

Every table lives in ``recap_nlp/data/sentiment_*.tsv`` and is read once with
``importlib.resources``; see ``data/README-sentiment.md`` for sources and licences.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Literal

ModifierKind = Literal["ne", "negator", "weak_negator", "intensifier", "diminisher", "contrast"]

# Adjectives the lexicon itself marks as objective (subjectivity below this) describe facts
# ("premier", "international") rather than opinions, so they are not allowed to move a score.
MIN_SUBJECTIVITY = 0.3

# Inflection endings tried, longest first, when the surface form is not in the lexicon:
# (suffix to strip, replacement). Cheap stand-in for lemmatisation.
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("euses", "eux"),
    ("euse", "eux"),
    ("ives", "if"),
    ("ive", "if"),
    ("aux", "al"),
    ("es", ""),
    ("es", "e"),
    ("s", ""),
    ("x", ""),
    ("e", ""),
    # first-group verbs: "manquions", "appréciait" -> infinitive
    ("aient", "er"),
    ("ait", "er"),
    ("ions", "er"),
    ("ons", "er"),
    ("ent", "er"),
    ("ez", "er"),
)


@dataclass(frozen=True)
class Idiom:
    """A multi-word expression with its own polarity."""

    phrase: str  # as written in the data file, shown in drivers
    polarity: float
    negatable: bool  # False when the phrase already contains its negation ("pas si pire")


@dataclass(frozen=True)
class Modifier:
    """A word that changes the polarity of the words after it."""

    form: str
    kind: ModifierKind
    factor: float


@dataclass(frozen=True)
class Lexicon:
    """All sentiment tables, keyed by normalised form (see :func:`normalise`)."""

    words: MappingProxyType[str, float]
    modifiers: MappingProxyType[str, Modifier]
    idioms: MappingProxyType[str, Idiom]
    emoji: MappingProxyType[str, float]


def normalise(text: str) -> str:
    """Return the lookup form of French text: NFC, lower case, plain apostrophe, "oe".

    Example:
        >>> normalise("Coup de Cœur’s")
        "coup de coeur's"
    """
    text = unicodedata.normalize("NFC", text).replace("\ufe0f", "")
    return text.replace("’", "'").replace("‘", "'").replace("œ", "oe").replace("Œ", "oe").lower()


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("recap_nlp.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))


def _base_words() -> dict[str, float]:
    """textblob-fr polarities, averaged over duplicate forms, objective adjectives dropped."""
    sums: dict[str, list[float]] = {}
    for row in _rows("sentiment_lexicon.tsv"):
        subjective = float(row["subjectivity"]) >= MIN_SUBJECTIVITY
        if row["pos"] == "JJ" and not subjective:
            continue
        sums.setdefault(normalise(row["form"]), []).append(float(row["polarity"]))
    return {form: sum(vals) / len(vals) for form, vals in sums.items()}


@cache
def load_lexicon() -> Lexicon:
    """Read every sentiment table once; recap additions override textblob-fr entries."""
    words = _base_words()
    words.update({normalise(r["form"]): float(r["polarity"]) for r in _rows("sentiment_extra.tsv")})
    modifiers = {
        normalise(r["form"]): Modifier(r["form"], r["kind"], float(r["factor"]))  # type: ignore[arg-type]
        for r in _rows("sentiment_modifiers.tsv")
    }
    for form in modifiers:  # a modifier only modifies; it has no polarity of its own
        words.pop(form, None)
    idioms = {
        normalise(r["phrase"]): Idiom(r["phrase"], float(r["polarity"]), r["negatable"] == "yes")
        for r in _rows("sentiment_idioms.tsv")
    }
    emoji = {normalise(r["emoji"]): float(r["polarity"]) for r in _rows("sentiment_emoji.tsv")}
    return Lexicon(
        MappingProxyType(words),
        MappingProxyType(modifiers),
        MappingProxyType(idioms),
        MappingProxyType(emoji),
    )


def word_polarity(word: str, words: MappingProxyType[str, float]) -> tuple[str, float] | None:
    """Find a normalised word in the lexicon, trying the surface form then stripped endings.

    Example:
        >>> word_polarity("enrichissantes", load_lexicon().words)
        ('enrichissant', 0.6)
    """
    if word in words:
        return word, words[word]
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + replacement
            if stem in words:
                return stem, words[stem]
    return None


@cache
def phrase_pattern() -> re.Pattern[str]:
    """One regex matching idioms (longest first), emoji, elided words, words and punctuation."""
    lex = load_lexicon()
    idioms = sorted(lex.idioms, key=len, reverse=True)
    idiom_alt = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in idioms)
    emoji_alt = "|".join(re.escape(e) for e in sorted(lex.emoji, key=len, reverse=True))
    multi_alt = "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in lex.modifiers if " " in m)
    return re.compile(
        rf"(?P<idiom>(?<!\w)(?:{idiom_alt})(?!\w))"
        rf"|(?P<multi>(?<!\w)(?:{multi_alt})(?!\w))"
        rf"|(?P<emoji>{emoji_alt})"
        r"|(?P<word>[^\W\d_]+'|[^\W_]+(?:-[^\W_]+)*)"
        r"|(?P<excl>!)"
        r"|(?P<punct>[.,;:?()«»\"–—…\[\]])"
    )


@cache
def raw_lexicon() -> MappingProxyType[str, float]:
    """The textblob-fr lexicon as shipped (every entry, duplicates averaged), for the baseline."""
    sums: dict[str, list[float]] = {}
    for row in _rows("sentiment_lexicon.tsv"):
        sums.setdefault(normalise(row["form"]), []).append(float(row["polarity"]))
    return MappingProxyType({form: sum(v) / len(v) for form, v in sums.items()})
