"""Text clean-up for the French model, with an offset map back to the original text.

The French spaCy model tokenises the typographic apostrophe badly ("J’" becomes a LOC
entity), so apostrophes, quotes, exotic spaces, ligatures and soft hyphens are rewritten
before parsing. Every character of the normalised text remembers which character of the
original it came from, so spans found by spaCy map back to the exact original characters.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass

# Characters rewritten one for one or one for several (typographic ligatures).
_REPLACEMENTS: dict[str, str] = {
    "\u2019": "'",  # ’ right single quotation mark, the usual French apostrophe
    "\u2018": "'",  # ‘
    "\u02bc": "'",  # ʼ modifier letter apostrophe
    "\u2032": "'",  # ′ prime, sometimes typed for an apostrophe
    "\u00b4": "'",  # ´ acute accent used as an apostrophe
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u201e": '"',  # „
    "\u00ab": '"',  # «
    "\u00bb": '"',  # »
    "\u2039": '"',  # ‹
    "\u203a": '"',  # ›
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    "\u2026": "...",  # … the model reads three dots better than the ellipsis sign
}
# Characters that carry no text: soft hyphen, zero-width spaces and joiners, BOM.
_DELETED = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# Horizontal spaces of every width, collapsed to one plain space.
_SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000\t "

_PATTERN = re.compile(
    "[" + re.escape("".join(_REPLACEMENTS)) + "]" + f"|[{_DELETED}]+" + f"|[{_SPACES}]+" + "|\r\n?"
)


@dataclass(frozen=True)
class Normalized:
    """A normalised text and, for each of its characters, the original position.

    ``origin[i]`` is the index in the original text of normalised character ``i``;
    ``origin[len(text)]`` is the original length, so an end offset always maps.
    """

    text: str
    origin: array

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the normalised text to the original text.

        The end maps through the last character of the span, so a span never swallows
        a deleted soft hyphen or a collapsed run of spaces that follows it.
        """
        if end <= start:
            position = self.origin[start]
            return position, position
        return self.origin[start], self.origin[end - 1] + 1


def normalize(original: str, joined: tuple[tuple[int, int], ...] = ()) -> Normalized:
    """Normalise typography and whitespace, keeping a map to the original offsets.

    ``joined`` ranges (blanks that stood for inline markup, see ``Document.joined``) are
    deleted rather than kept as spaces.

    Example:
        >>> n = normalize("J’ai visité Angers\u00a0!")
        >>> n.text
        "J'ai visité Angers !"
        >>> n.to_original(12, 18)
        (12, 18)
    """
    if joined:
        chars = list(original)
        for start, end in joined:
            chars[start:end] = "\u200b" * (end - start)
        original = "".join(chars)
    pieces: list[str] = []
    origin = array("l")
    cursor = 0
    for match in _PATTERN.finditer(original):
        _copy_unchanged(original, cursor, match.start(), pieces, origin)
        _append_replacement(match, pieces, origin)
        cursor = match.end()
    _copy_unchanged(original, cursor, len(original), pieces, origin)
    origin.append(len(original))
    return Normalized("".join(pieces), origin)


def visible_text(text: str, joined: tuple[tuple[int, int], ...], start: int, end: int) -> str:
    """``text[start:end]`` without the joined blanks inside it (inline markup of a word).

    Example:
        The span of "vexil**LOL**ogie" reads "vexilLOLogie", not "vexil  LOL  ogie".
    """
    if not joined:
        return text[start:end]
    k = bisect_left(joined, (start, -1))
    if k > 0 and joined[k - 1][1] > start:
        k -= 1
    pieces, cursor = [], start
    while k < len(joined) and joined[k][0] < end:
        a, b = max(joined[k][0], start), min(joined[k][1], end)
        pieces.append(text[cursor:a])
        cursor = max(cursor, b)
        k += 1
    pieces.append(text[cursor:end])
    return "".join(pieces)


def _copy_unchanged(original: str, start: int, end: int, pieces: list[str], origin: array) -> None:
    if end > start:
        pieces.append(original[start:end])
        origin.extend(range(start, end))


def _append_replacement(match: re.Match[str], pieces: list[str], origin: array) -> None:
    found = match.group()
    if found[0] in _DELETED:
        return
    if found[0] == "\r":
        replacement = "\n"
    elif found[0] in _REPLACEMENTS:
        replacement = _REPLACEMENTS[found[0]]
    else:
        replacement = " "
    pieces.append(replacement)
    origin.extend([match.start()] * len(replacement))
