"""Sentence polarity for French: lexicon cues, then negation, modifiers, contrast, emphasis.

The scorer is a small rule system in the spirit of VADER (Hutto & Gilbert, 2014) over the
textblob-fr lexicon: each cue word, idiom or emoji contributes its polarity, changed by the
words before it; contributions are summed and squashed into [-1, 1].
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from recap_nlp.records import SentimentLabel
from recap_nlp.sentiment.lexicon import (
    load_lexicon,
    normalise,
    phrase_pattern,
    raw_lexicon,
    word_polarity,
)

# Label thresholds on the final polarity: >= POSITIVE_THRESHOLD is positive,
# <= NEGATIVE_THRESHOLD negative, anything between neutral.
POSITIVE_THRESHOLD = 0.1
NEGATIVE_THRESHOLD = -0.1
# A negated cue flips and loses strength: "pas bon" is milder than "mauvais".
NEGATION_FACTOR = -0.6
# How far back (in tokens, within one clause) a negator or modifier reaches.
NEGATION_WINDOW = 4
MODIFIER_WINDOW = 2
# Around "mais"/"pourtant"/...: the clause after carries the writer's conclusion.
CONTRAST_BEFORE = 0.5
CONTRAST_AFTER = 1.5
EXCLAMATION_BOOST = 0.1
MAX_EXCLAMATIONS = 3
# Squashing constant: polarity = s / sqrt(s^2 + ALPHA); one strong cue (0.8) gives ~0.6.
ALPHA = 0.8

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Polarity:
    """The polarity of one text, its label and the cues that moved it."""

    polarity: float
    label: SentimentLabel
    drivers: tuple[str, ...] = ()


class _Token(NamedTuple):
    kind: str  # "idiom", "multi", "emoji", "word", "excl", "punct"
    key: str


@dataclass(frozen=True)
class _Cue:
    index: int
    display: str
    polarity: float
    negatable: bool


def label_for(polarity: float) -> SentimentLabel:
    """Map a polarity in [-1, 1] to its label with the documented thresholds."""
    if polarity >= POSITIVE_THRESHOLD:
        return "positive"
    if polarity <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def tokenize(text: str) -> list[_Token]:
    """Split French text into idioms, emoji, words and punctuation (normalised).

    Example:
        >>> [t.key for t in tokenize("Un vrai coup de cœur !")]
        ['un', 'vrai', 'coup de coeur', '!']
    """
    return list(_tokens(text))


@lru_cache(maxsize=256)
def _tokens(text: str) -> tuple[_Token, ...]:
    # The scorer, the features and the classifier tokenize each sentence: once is enough.
    # Only idioms and multi-word modifiers can hold spaces (their patterns join words with
    # "\s+"; emoji are collapsed too, in case a table entry holds one): the other kinds
    # match no whitespace, so they need no collapsing.
    tokens = []
    for match in phrase_pattern().finditer(normalise(text)):
        kind = match.lastgroup or "punct"
        key = match.group()
        if kind in _SPACED_KINDS:
            key = _SPACES.sub(" ", key)
        tokens.append(_Token(kind, key))
    return tuple(tokens)


_SPACED_KINDS = frozenset({"idiom", "multi", "emoji"})


@lru_cache(maxsize=2**16)
def _lexicon_polarity(word: str) -> tuple[str, float] | None:
    # Words repeat across sentences; the suffix search is the scorer's costliest step.
    return word_polarity(word, load_lexicon().words)


def _cue_at(tokens: list[_Token], i: int) -> _Cue | None:
    lex = load_lexicon()
    tok = tokens[i]
    if tok.kind == "idiom":
        idiom = lex.idioms[tok.key]
        return _Cue(i, idiom.phrase, idiom.polarity, idiom.negatable) if idiom.polarity else None
    if tok.kind == "emoji":
        return _Cue(i, tok.key, lex.emoji[tok.key], False)
    if tok.kind == "word" and tok.key not in lex.modifiers:
        found = _lexicon_polarity(tok.key)
        if found and found[1]:
            return _Cue(i, tok.key, found[1], True)
    return None


def _is_boundary(tok: _Token) -> bool:
    if tok.kind in ("punct", "excl"):
        return True
    mod = load_lexicon().modifiers.get(tok.key)
    return mod is not None and mod.kind == "contrast"


def _clause_before(tokens: list[_Token], i: int) -> list[_Token]:
    """The tokens before ``i`` in the same clause (stops at punctuation and "mais")."""
    start = i
    while start > 0 and not _is_boundary(tokens[start - 1]):
        start -= 1
    return tokens[start:i]


def _modifier_factor(before: list[_Token]) -> float:
    factor = 1.0
    for tok in before[-MODIFIER_WINDOW:]:
        mod = load_lexicon().modifiers.get(tok.key)
        if mod and mod.kind in ("intensifier", "diminisher"):
            factor *= mod.factor
    return factor


def _negation_factor(before: list[_Token]) -> float:
    mods = load_lexicon().modifiers
    has_ne = any(mods.get(t.key) and mods[t.key].kind == "ne" for t in before)
    factor = 1.0
    for tok in before[-NEGATION_WINDOW:]:
        mod = mods.get(tok.key)
        if mod is None:
            continue
        if mod.kind == "negator" or (tok.key == "plus" and has_ne):
            return NEGATION_FACTOR
        if mod.kind == "weak_negator":
            factor = mod.factor
    return factor


def _negated_after(tokens: list[_Token], i: int, before: list[_Token]) -> bool:
    """A verb framed by "ne ... pas/rien/jamais": "je n'aime pas", "nous ne manquions de rien"."""
    mods = load_lexicon().modifiers
    ne_before = any(mods.get(t.key) and mods[t.key].kind == "ne" for t in before[-2:])
    if not ne_before:
        return False
    for tok in tokens[i + 1 : i + 1 + MODIFIER_WINDOW]:
        if _is_boundary(tok):
            return False
        mod = mods.get(tok.key)
        if mod and (mod.kind == "negator" or tok.key == "plus"):
            return True
    return False


def _contributions(tokens: list[_Token]) -> list[tuple[_Cue, float, bool]]:
    """Each cue with its value after modifiers and negation, and whether it was negated."""
    out = []
    for i in range(len(tokens)):
        cue = _cue_at(tokens, i)
        if cue is None:
            continue
        value = cue.polarity
        negated = False
        if cue.negatable:
            before = _clause_before(tokens, i)
            value *= _modifier_factor(before)
            neg = _negation_factor(before)
            if neg > 0 and _negated_after(tokens, i, before):
                neg = NEGATION_FACTOR
            negated = neg < 0
            value *= neg
        out.append((cue, value, negated))
    return out


def _contrast_index(tokens: list[_Token]) -> int:
    """The index of the last contrast word ("mais", "pourtant", ...), -1 without one."""
    mods = load_lexicon().modifiers
    for i in range(len(tokens) - 1, -1, -1):
        mod = mods.get(tokens[i].key)
        if mod is not None and mod.kind == "contrast":
            return i
    return -1


def _weighted(
    tokens: list[_Token],
    contributions: list[tuple[_Cue, float, bool]] | None = None,
    pivot: int | None = None,
) -> list[tuple[str, float]]:
    if pivot is None:
        pivot = _contrast_index(tokens)
    weighted = []
    if contributions is None:
        contributions = _contributions(tokens)
    for cue, value, negated in contributions:
        if pivot > 0:
            value *= CONTRAST_AFTER if cue.index > pivot else CONTRAST_BEFORE
        weighted.append((("¬" if negated else "") + cue.display, value))
    return weighted


def _squash(total: float) -> float:
    return max(-1.0, min(1.0, total / math.sqrt(total * total + ALPHA)))


def score_text(text: str) -> Polarity:
    """Score one French sentence in [-1, 1] with negation, modifiers, contrast and emphasis.

    Example:
        >>> score_text("Ce n'est pas une bonne idée.").label
        'negative'
    """
    return score_tokens(tokenize(text))


def score_tokens(
    tokens: list[_Token],
    contributions: list[tuple[_Cue, float, bool]] | None = None,
    pivot: int | None = None,
) -> Polarity:
    """:func:`score_text` from the sentence's tokens, and its cues' contributions if known.

    The classifier's features need the contributions, the last contrast word's index
    (``pivot``, :func:`_contrast_index`) and the score: passing them saves computing them
    twice (the result is the same).

    Example:
        >>> tokens = tokenize("Pas une bonne idée.")
        >>> score_tokens(tokens, _contributions(tokens)) == score_text("Pas une bonne idée.")
        True
    """
    weighted = _weighted(tokens, contributions, pivot)
    total = sum(value for _, value in weighted)
    n_excl = sum(1 for t in tokens if t.kind == "excl")
    if total and n_excl:
        total += math.copysign(EXCLAMATION_BOOST * min(n_excl, MAX_EXCLAMATIONS), total)
    polarity = round(_squash(total), 4)
    drivers = tuple(f"{name}:{value:+.2f}" for name, value in weighted if abs(value) >= 0.005)
    return Polarity(polarity, label_for(polarity), drivers)


@cache
def _word_pattern() -> re.Pattern[str]:
    return re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def score_text_lexicon_only(text: str) -> Polarity:
    """Baseline: average textblob-fr polarity of the words found, no rules at all.

    Example:
        >>> score_text_lexicon_only("Ce n'est pas une bonne idée.").label
        'positive'
    """
    words = raw_lexicon()
    hits = [(w, words[w]) for w in _word_pattern().findall(normalise(text)) if w in words]
    if not hits:
        return Polarity(0.0, "neutral", ())
    polarity = round(sum(p for _, p in hits) / len(hits), 4)
    return Polarity(polarity, label_for(polarity), tuple(f"{w}:{p:+.2f}" for w, p in hits))
