"""Is an event noun written just before a word or a quotation? Without a regex per word.

``main_event`` asks whether the text calls a title's word an event ("le festival Zinzolin",
"la rencontre de Zinzolin") or a quoted series one ("l'évènement « roulez en ville »"). One
search with the nouns' alternation and the word inside compiles that long alternation again
for every word (the regex cache holds a few hundred patterns, and each word is new): most of
the stage's regex compiling. Here the nouns' alternation is compiled once, and only the
places where the word (or the quotation) is written are tried: a noun must end where the
spaces before them start. The answers are those of the single search, including its
case rules (the nouns in any case, the word as written) and its word boundaries.
"""

from __future__ import annotations

import re
from functools import cache

# What may stand between the noun and the word: spaces, or spaces, "de"/"du" and spaces.
_LINKS = ("de", "du")
_BOUNDARY = re.compile(r"\b")


class _Nouns:
    """The nouns' alternation compiled once, and the lengths a noun can have."""

    def __init__(self, nouns: tuple[str, ...]) -> None:
        alternation = "|".join(re.escape(n) for n in nouns)
        self.at_word = re.compile(rf"\b(?i:{alternation})")
        self.anywhere = re.compile(rf"(?:{alternation})", re.IGNORECASE)
        self.lengths = sorted({len(n) for n in nouns})
        # A noun ending with a space could end inside the spaces before the word: then the
        # places to try are not only where those spaces start (callers fall back to a search).
        self.simple = all(n and not n[-1].isspace() for n in nouns)

    def ends_at(self, text: str, end: int, *, at_word: bool) -> bool:
        """Some noun (in any case) is ``text[start:end]``; with ``at_word``, after ``\\b``."""
        pattern = self.at_word if at_word else self.anywhere
        return any(
            size <= end and pattern.fullmatch(text, end - size, end) for size in self.lengths
        )


@cache
def _compiled(nouns: tuple[str, ...]) -> _Nouns:
    return _Nouns(nouns)


def _spaces_before(text: str, end: int) -> int:
    """Where the run of spaces (``\\s``) ending at ``end`` starts (``end`` when there is none)."""
    start = end
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return start


def noun_before_word(text: str, word: str, nouns: tuple[str, ...]) -> bool:
    """Whether a noun precedes ``word``: ``re.search(rf"\\b(?i:{nouns})\\s+(?:de\\s+|du\\s+)?"
    rf"{re.escape(word)}\\b", text)``, with the nouns' alternation compiled once.

    Args:
        text: the text searched.
        word: the word, matched as written (case included).
        nouns: the nouns, matched in any case, tried as one alternation.

    Example:
        >>> noun_before_word("Vive le festival de Zinzolin !", "Zinzolin", ("festival",))
        True
        >>> noun_before_word("Vive le festival Zinzoline", "Zinzolin", ("festival",))
        False
    """
    compiled = _compiled(nouns)
    if not word or not compiled.simple:
        alternation = "|".join(re.escape(n) for n in nouns)
        pattern = rf"\b(?i:{alternation})\s+(?:de\s+|du\s+)?{re.escape(word)}\b"
        return re.search(pattern, text) is not None
    at = text.find(word)
    while at >= 0:
        if _BOUNDARY.match(text, at + len(word)) and _noun_then_spaces(text, at, compiled):
            return True
        at = text.find(word, at + 1)
    return False


def _noun_then_spaces(text: str, at: int, compiled: _Nouns) -> bool:
    """A noun then ``\\s+(?:de\\s+|du\\s+)?`` ends at ``at`` (the noun after a ``\\b``)."""
    spaces = _spaces_before(text, at)
    if spaces == at:
        return False
    if compiled.ends_at(text, spaces, at_word=True):
        return True
    link = spaces - 2
    if link < 0 or text[link:spaces] not in _LINKS:
        return False
    before = _spaces_before(text, link)
    return before < link and compiled.ends_at(text, before, at_word=True)


def noun_before_quote(text: str, quoted: str, nouns: tuple[str, ...]) -> bool:
    """Whether a noun precedes a quotation: ``re.search(rf"(?:{nouns})\\s*{quoted}", text,
    re.I)``, with the nouns' alternation compiled once.

    ``quoted`` must start with one character class of opening quotes (``[«"“]``): only the
    places where a quotation matching it starts are tried.

    Example:
        >>> noun_before_quote("la fête « Zinzolin »", r"[«\\"“]\\s*Zinzolin\\s*[»\\"”]", ("fête",))
        True
    """
    compiled = _compiled(nouns)
    quotation = re.compile(quoted, re.IGNORECASE)
    if not compiled.simple:
        alternation = "|".join(re.escape(n) for n in nouns)
        return re.search(rf"(?:{alternation})\s*{quoted}", text, re.IGNORECASE) is not None
    for found in re.finditer(r"[«\"“]", text):
        at = found.start()
        if quotation.match(text, at) and compiled.ends_at(
            text, _spaces_before(text, at), at_word=False
        ):
            return True
    return False
