"""Sentence features for the trained sentiment classifier: n-grams, frames, lexicon signals.

Every feature is a named value: ``w:`` words, ``b:`` word bigrams, ``s:`` stems (a light
French suffix stripper standing in for lemmas, accents folded), ``n:`` stems inside a negation
scope ("pas ... déçu" gives ``n:decu``), ``a:`` stems after the last contrast word, ``k:``
stems inside a concessive clause ("malgré la pluie, ...": this sparse block is scaled to unit
length), ``f:`` complaint and praise frames from ``data/sentiment_frames.tsv``, ``lex:`` the
lexicon scorer's signals (the cues of the main clause apart, and the summed textblob-fr
subjectivity, which tells descriptions from evaluations) and ``p:`` punctuation, emoji and
first or second person. Extraction is plain Python; the same function serves training and
run time, so both see identical features.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

from recap_nlp import french
from recap_nlp.sentiment.lexicon import load_lexicon, normalise
from recap_nlp.sentiment.scorer import _contrast_index, _contributions, score_tokens, tokenize

# Words that open a negation scope, and how many following words it covers.
_NEGATORS = frozenset({"pas", "jamais", "rien", "aucun", "aucune", "guère", "sans", "ni", "plus"})
NEGATION_SCOPE = 3
SPARSE_PREFIXES = ("w:", "s:", "b:", "n:", "a:", "k:")
_SPARSE = frozenset(SPARSE_PREFIXES)  # every prefix is two characters long
# Words that open a concessive clause ("malgré la pluie, ..."): that clause is not the verdict.
_CONCESSIVES = frozenset({"malgré", "quoique", "certes", "bien que", "même si", "en dépit"})
_CONCESSIVE_FIRST = frozenset(cue.split(" ")[0] for cue in _CONCESSIVES if " " in cue)
# Suffixes stripped (longest first) by the light stemmer, and the shortest stem kept.
_STEM_SUFFIXES = (
    "issements",
    "issement",
    "ements",
    "ement",
    "ations",
    "ation",
    "euses",
    "euse",
    "ables",
    "able",
    "aient",
    "ives",
    "ive",
    "eux",
    "ait",
    "ant",
    "ions",
    "ons",
    "ent",
    "ez",
    "er",
    "ees",
    "es",
    "ee",
    "e",
    "s",
    "x",
)
MIN_STEM = 3
# Personal voice: evaluations are mostly said in the first person, calls to action and
# questions to readers ("n'hésitez pas", "vous souffrez de ...?") in the second.
_FIRST_PERSON = frozenset(
    {"je", "j'", "nous", "on", "me", "m'", "moi", "mon", "ma", "mes", "notre", "nos"}
)
_SECOND_PERSON = frozenset({"vous", "votre", "vos", "tu", "ton", "ta", "tes"})
_EMPHASIS = re.compile(r"[*_]+")
_DIGIT = re.compile(r"\d")
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)'")
# "\1", "(?P=name)": what ties a pattern to its own group numbers or names.
_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")
# Lookbehinds at the start of a pattern, without brackets or escapes inside: "(?<!nos )".
_LEADING_LOOKBEHINDS = re.compile(r"^(?:\(\?<[!=][^()\\]*\))+")
# A non-capturing group of two or more plain words (letters, spaces, apostrophes, hyphens).
_WORD_GROUP = re.compile(r"\(\?:((?:[^\W\d_]|[ '-])+(?:\|(?:[^\W\d_]|[ '-])+)+)\)")
# Atomic groups and possessive quantifiers: the screen's tries are not made for them.
_ATOMIC = re.compile(r"\(\?>|[*+?}]\+")


@dataclass(frozen=True)
class Frame:
    """One complaint or praise frame: a name and the regex that finds it."""

    name: str
    pattern: re.Pattern[str]


def fold(text: str) -> str:
    """Strip accents from normalised text (:func:`recap_nlp.french.fold`, case kept).

    Example:
        >>> fold("déçue")
        'decue'
    """
    return french.fold(text, lower=False)


@lru_cache(maxsize=2**16)
def stem(word: str) -> str:
    """A light French stem: elision removed, accents folded, one common ending stripped.

    Example:
        >>> stem("déçues"), stem("l'attente")
        ('decu', 'attent')
    """
    word = fold(_ELISION.sub("", word))
    for suffix in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


@cache
def subjectivity() -> dict[str, float]:
    """textblob-fr subjectivity of each form (0 = factual, 1 = opinion), duplicates averaged."""
    text = resources.files("recap_nlp.data").joinpath("sentiment_lexicon.tsv").read_text("utf-8")
    sums: dict[str, list[float]] = {}
    for row in csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE):
        sums.setdefault(normalise(row["form"]), []).append(float(row["subjectivity"]))
    return {form: sum(vals) / len(vals) for form, vals in sums.items()}


@cache
def load_frames() -> tuple[Frame, ...]:
    """The frames of ``data/sentiment_frames.tsv`` (one row per pattern, several per frame)."""
    text = resources.files("recap_nlp.data").joinpath("sentiment_frames.tsv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple(Frame(r["frame"], re.compile(r["pattern"])) for r in rows)


def frames_in(text: str) -> list[tuple[str, int]]:
    """Frames found in normalised text, with the offset where each match starts.

    Markdown emphasis marks (``_merci à tous_``, ``**bravo**``) are read as spaces, so they do
    not hide a word from the patterns' word boundaries (offsets are kept).

    Example:
        >>> [name for name, _ in frames_in("une heure de queue pour entrer.")]
        ['waiting']
        >>> [name for name, _ in frames_in("_merci aux bénévoles !_")]
        ['enjoy']
    """
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub(lambda m: " " * len(m.group()), text)
    found: list[tuple[str, int]] = []
    screen = frame_screen()
    if screen is not None and screen.search(text) is None:
        return found  # most sentences: one search instead of one per pattern
    for frame in load_frames():
        for match in frame.pattern.finditer(text):
            found.append((frame.name, match.start()))
    return found


@cache
def frame_screen() -> re.Pattern[str] | None:
    """One regex that matches wherever any frame pattern does: no match means no frame.

    An alternation finds a match if and only if one of its branches does, so a sentence it
    does not match holds no frame (it may match where no frame is: the patterns decide). A
    pattern with a back-reference would be renumbered in the alternation, so the screen is then
    left out (None), as when flags differ.

    Example:
        >>> frame_screen().search("nous avons visité le musée.") is None
        True
    """
    patterns = [frame.pattern for frame in load_frames()]
    if any(_BACKREFERENCE.search(p.pattern) for p in patterns):
        return None
    flags = {p.flags for p in patterns}
    if len(flags) != 1:
        return None
    if any(_ATOMIC.search(p.pattern) for p in patterns):
        return None  # an atomic group or possessive quantifier: not rewritten as a trie
    alternation = "|".join(f"(?:{word_tries(p.pattern)})" for p in patterns)
    if all(starts_at_word_boundary(p.pattern) for p in patterns):
        # Every match starts where "\b" holds: tested first, it spares the other positions
        # (most of a sentence) the trial of every branch. The leading lookbehinds are left
        # out: without them a branch matches wherever it did and more, which a screen allows
        # (the patterns themselves decide), and they cost a third of the search.
        bare = (_LEADING_LOOKBEHINDS.sub("", p.pattern, count=1) for p in patterns)
        alternation = r"\b(?:" + "|".join(f"(?:{word_tries(p)})" for p in bare) + ")"
    try:
        return re.compile(alternation, flags.pop())
    except re.error:  # e.g. a pattern's leading inline flag, not allowed mid-alternation
        return None


def word_tries(pattern: str) -> str:
    """``pattern`` with each group of plain words, ``(?:file|files|queue)``, as a trie.

    The trie, ``(?:file(?:s)?|queue)``, matches the same strings, so a match of the pattern
    starts wherever one did (it may end elsewhere: only the screen, which asks whether there
    is a match at all, uses it), with one test of the first letter instead of one per word.
    Groups inside character classes, after a backslash or holding anything but letters,
    spaces, hyphens and apostrophes are left as they are.

    Example:
        >>> word_tries("(?:file|files|queue)s? d'attente")
        "(?:file(?:s)?|queue)s? d'attente"
    """
    out, resume = [], 0
    for start, end, outside in _pattern_units(pattern):
        if start < resume:
            continue  # inside a word group already written as a trie (letters only)
        found = _WORD_GROUP.match(pattern, start) if outside and pattern[start] == "(" else None
        if found is not None:
            out.append("(?:" + _trie(sorted(set(found.group(1).split("|"))))[0] + ")")
            resume = found.end()
        else:
            out.append(pattern[start:end])
    return "".join(out)


def _pattern_units(pattern: str) -> Iterator[tuple[int, int, bool]]:
    """The ``(start, end, outside a class)`` of each unit of a regex: an escape (two
    characters), a character class's opening (:func:`_class_opening_end`), or one character.

    The one reading of escapes and character classes that :func:`word_tries` and
    :func:`_top_level_bar` share.
    """
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            yield i, i + 2, not in_class
            i += 2
        elif in_class:
            in_class = char != "]"
            yield i, i + 1, False
            i += 1
        elif char == "[":
            end = _class_opening_end(pattern, i)
            yield i, end, False
            in_class, i = True, end
        else:
            yield i, i + 1, True
            i += 1


def _class_opening_end(pattern: str, i: int) -> int:
    """The index after the opening of the character class at ``pattern[i]`` ("[", then "^"
    if negated, then a "]" written first, which is a character of the class)."""
    end = i + 1
    if pattern[end : end + 1] == "^":
        end += 1
    if pattern[end : end + 1] == "]":
        end += 1
    return end


def _trie(words: list[str]) -> tuple[str, bool]:
    """A regex matching exactly ``words`` (distinct, plain text) by first letters, and
    whether it is an alternation (to be bracketed before anything is appended to it)."""
    branches: dict[str, list[str]] = {}
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
    parts = []
    for first, rests in branches.items():
        rest, alternation = _trie(rests)
        parts.append(re.escape(first) + (f"(?:{rest})" if alternation else rest))
    if "" in words and parts:
        return "(?:" + "|".join(parts) + ")?", False
    return "|".join(parts), len(parts) > 1


def starts_at_word_boundary(pattern: str) -> bool:
    r"""Whether every match of ``pattern`` starts where ``\b`` holds.

    True when the pattern begins, after its leading lookbehinds (which take no characters),
    with ``\b``, and has no ``|`` outside brackets (``\bun|deux`` matches "deux" anywhere).
    A lookbehind with a bracket or an escape inside it is not skipped: the answer is then
    False, which only costs speed.

    Example:
        >>> starts_at_word_boundary(r"(?<!nos )\battente\b"), starts_at_word_boundary(r"\bun|deux")
        (True, False)
    """
    rest = _LEADING_LOOKBEHINDS.sub("", pattern, count=1)
    optional = rest[2:3] in {"?", "*", "{"}  # "\b?" may not hold
    return rest.startswith(r"\b") and not optional and not _top_level_bar(rest)


def _top_level_bar(pattern: str) -> bool:
    """A ``|`` outside every group and character class of ``pattern``."""
    depth = 0
    for start, _, outside in _pattern_units(pattern):
        char = pattern[start]
        if not outside or char == "\\":
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


def _words(tokens: list) -> list[str]:
    return [t.key for t in tokens if t.kind in ("word", "idiom", "multi")]


def embedding_words(text: str) -> list[str]:
    """The plain words of a sentence, as looked up in the word-vector table.

    Example:
        >>> embedding_words("L'accueil était top !")
        ["l'", 'accueil', 'était', 'top']
    """
    return [t.key for t in tokenize(text) if t.kind == "word"]


def _ngram_features(
    tokens: list, feats: dict[str, float], words: list[str] | None = None
) -> list[str]:
    """Word, stem, bigram and negation-scope indicators; returns the words' stems."""
    if words is None:
        words = _words(tokens)
    stems = [stem(w) for w in words]
    for w, s in zip(words, stems, strict=True):
        feats["w:" + w] = 1.0
        feats["s:" + s] = 1.0
    for a, b in pairwise(stems):
        feats[f"b:{a}_{b}"] = 1.0
    scope = 0
    for w, s in zip(words, stems, strict=True):
        if scope:
            feats["n:" + s] = 1.0
            scope -= 1
        if w in _NEGATORS:
            scope = NEGATION_SCOPE
    return stems


def _contrast_features(tokens: list, feats: dict[str, float], pivot: int | None = None) -> None:
    if pivot is None:
        pivot = _contrast_index(tokens)
    if pivot < 0:
        return
    feats["lex:contrast"] = 1.0
    for t in tokens[pivot + 1 :]:
        if t.kind in ("word", "idiom", "multi"):
            feats["a:" + stem(t.key)] = 1.0


def _concession_spans(tokens: list) -> tuple[int, ...]:
    """Indices of tokens inside concessive clauses (from the cue to the next punctuation)."""
    inside, out, i = False, [], 0
    keys = [t.key for t in tokens]
    if _CONCESSIVES.isdisjoint(keys) and _CONCESSIVE_FIRST.isdisjoint(keys):
        return ()  # no cue, alone or as the first word of a two-word one: no clause
    while i < len(tokens):
        two = " ".join(keys[i : i + 2])
        if keys[i] in _CONCESSIVES or two in _CONCESSIVES:
            inside = True
        elif tokens[i].kind in ("punct", "excl"):
            inside = False
        if inside:
            out.append(i)
        i += 1
    return tuple(out)


def _concession_features(tokens: list, inside: tuple[int, ...], feats: dict[str, float]) -> None:
    if not inside:
        return
    feats["lex:concession"] = 1.0
    for i in inside:
        t = tokens[i]
        if t.kind in ("word", "idiom", "multi"):
            feats["k:" + stem(t.key)] = 1.0


def _main_clause_features(
    tokens: list,
    inside: tuple[int, ...],
    cues: list,
    feats: dict[str, float],
    pivot: int | None = None,
) -> None:
    """Lexicon cues outside concessive clauses and after the last contrast word: the verdict."""
    skip = set(inside)
    if pivot is None:
        pivot = _contrast_index(tokens)
    pos = neg = 0.0
    for cue, value, _ in cues:
        if cue.index in skip or cue.index < pivot:
            continue
        if value > 0:
            pos += value
        else:
            neg -= value
    feats["lex:pos_main"] = min(pos, 3.0)
    feats["lex:neg_main"] = min(neg, 3.0)


def _lexicon_features(
    tokens: list, cues: list, feats: dict[str, float], pivot: int | None = None
) -> None:
    result = score_tokens(tokens, cues, pivot)
    feats["lex:polarity"] = result.polarity
    contributions = cues
    pos = sum(v for _, v, _ in contributions if v > 0)
    neg = sum(-v for _, v, _ in contributions if v < 0)
    feats["lex:pos"] = min(pos, 3.0)
    feats["lex:neg"] = min(neg, 3.0)
    feats["lex:negated"] = float(sum(1 for _, _, n in contributions if n))
    mods = load_lexicon().modifiers
    kinds = [mods[t.key].kind for t in tokens if t.key in mods]
    feats["lex:intensifier"] = float(kinds.count("intensifier"))
    feats["lex:diminisher"] = float(kinds.count("diminisher"))
    feats["lex:negator"] = float(kinds.count("negator") > 0)
    if result.label != "neutral":
        feats["lex:" + result.label] = 1.0
    subj = subjectivity()
    words = [t.key for t in tokens if t.kind == "word"]
    feats["lex:subjectivity"] = min(sum(subj.get(w, 0.0) for w in words), 3.0)
    if any(w in _FIRST_PERSON for w in words):
        feats["p:first_person"] = 1.0
    if any(w in _SECOND_PERSON for w in words):
        feats["p:second_person"] = 1.0


def _punctuation_features(
    text: str, tokens: list, feats: dict[str, float], n_words: int | None = None
) -> None:
    emoji = load_lexicon().emoji
    for t in tokens:
        if t.kind == "emoji":
            key = "p:emoji_pos" if emoji[t.key] > 0 else "p:emoji_neg"
            feats[key] = feats.get(key, 0.0) + 1.0
    if "!" in text:
        feats["p:excl"] = 1.0
    if "?" in text:
        feats["p:question"] = 1.0
    if "..." in text or "…" in text:
        feats["p:ellipsis"] = 1.0
    if '"' in text or "«" in text:
        feats["p:quote"] = 1.0
    if _DIGIT.search(text):
        feats["p:digit"] = 1.0
    if n_words is None:
        n_words = len(_words(tokens))
    feats["p:log_words"] = math.log1p(n_words) / 4.0


def sentence_features(text: str) -> dict[str, float]:
    """Every named feature of one French sentence (absent features are zero).

    Example:
        >>> feats = sentence_features("Une heure de queue, mais pas déçus !")
        >>> feats["f:waiting"], feats["f:litotes_pos"], feats["n:decu"] > 0, feats["p:excl"]
        (1.0, 1.0, True, 1.0)
    """
    return _sentence_features(text)[0]


def _sentence_features(text: str) -> tuple[dict[str, float], list[str], list[str]]:
    """:func:`sentence_features`, and the sentence's words and their stems (for the drivers).

    The last contrast word and the words are found once and handed to each feature group.
    """
    text_norm = normalise(text)
    tokens = tokenize(text)
    words = _words(tokens)
    pivot = _contrast_index(tokens)
    feats: dict[str, float] = {}
    stems = _ngram_features(tokens, feats, words)
    _contrast_features(tokens, feats, pivot)
    inside = _concession_spans(tokens)
    _concession_features(tokens, inside, feats)
    sparse = [k for k in feats if k[:2] in _SPARSE]
    if sparse:
        # Each sparse feature is an indicator set to 1.0 above, so the block's length is
        # the square root of their count (the same float as summing their squares).
        scaled = round(1.0 / math.sqrt(len(sparse)), 6)
        for k in sparse:
            feats[k] = scaled
    pivot_at = text_norm.rfind(" mais ")
    for name, start in frames_in(text_norm):
        feats["f:" + name] = 1.0
        if pivot_at >= 0 and start > pivot_at:
            feats["f:" + name + "_after_mais"] = 1.0
    cues = _contributions(tokens)
    _lexicon_features(tokens, cues, feats, pivot)
    _main_clause_features(tokens, inside, cues, feats, pivot)
    _punctuation_features(text, tokens, feats, len(words))
    return feats, words, stems
