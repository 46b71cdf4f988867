"""French number grammar: digits, spelled numbers, approximations ("une vingtaine").

A quantity carries a central value and bounds. Approximate nouns cover a quarter either
side ("une vingtaine" -> 15..25); "près de N" is bounded above by N, "plus de N" below by N
(``value_max`` is None when nothing bounds it above). Numbers that are days, years, times,
phone numbers or ordinals ("10e anniversaire") are not quantities.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from fractions import Fraction

from text_to_num import text2num

from recap_nlp.facts.dates import find_dates

logger = logging.getLogger(__name__)

_SP = r"[ \t\u00a0\u202f]"
_UNITS = (
    "zéro|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|"
    "quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille|millions?|milliards?"
)
_SPELLED = rf"(?:{_UNITS})(?:(?:-et-|-|{_SP}+et{_SP}+|{_SP}+)(?:{_UNITS}))*"
_DIGITS = rf"\d{{1,3}}(?:{_SP}\d{{3}})+|\d+"
_NUMBER = rf"(?<![\w.,:/+-])(?:{_DIGITS})(?![\w:/]|[.,]\d|{_SP}?\d|-\d)|\b(?:{_SPELLED})\b"
# Digits times a scale word: "2 millions", "1,5 million", "3 000 milliards" (decimal comma).
_SCALES = {"mille": 1_000, "million": 1_000_000, "milliard": 1_000_000_000}
_SCALED = (
    rf"(?<![\w.,:/+-])(?P<digits>{_DIGITS}(?:[.,]\d+)?)"
    rf"{_SP}+(?P<scale>mille|millions?|milliards?)\b"
)

# "une vingtaine" and friends: central value (bounds are a quarter either side).
_APPROX_NOUNS = {
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
    "millier": 1000,
}
_APPROX = (
    r"(?P<article>une|un|des|plusieurs|quelques|la|les)"
    + _SP
    + r"+(?:(?P<small>petite|bonne|grosse|large)"
    + _SP
    + r"+)?(?P<noun>"
    + "|".join(f"{n}s?" for n in _APPROX_NOUNS)
    + r")\b"
)
_QUALIFIERS = {
    "upper": r"près\s+d['’e]\s*|presque|pratiquement|moins\s+d['’e]\s*|jusqu['’]à",
    "lower": r"plus\s+d['’e]\s*|au\s+moins|au-delà\s+d['’e]\s*|pas\s+moins\s+d['’e]\s*",
    "around": r"environ|quelque|autour\s+d['’e]\s*|approximativement|à\s+peu\s+près|une\s+bonne",
}
_QUALIFIER = "|".join(f"(?P<{k}>{v})" for k, v in _QUALIFIERS.items())
_QUANTITY = re.compile(
    rf"(?:\b(?:{_QUALIFIER}){_SP}*)?(?:{_APPROX}|{_SCALED}|(?P<number>{_NUMBER}))",
    re.IGNORECASE,
)
_RANGE = re.compile(
    rf"\b(?:entre{_SP}+(?P<a>{_NUMBER}){_SP}+et|de{_SP}+(?P<b>{_NUMBER}){_SP}+à)"
    rf"{_SP}+(?P<hi>{_NUMBER})",
    re.IGNORECASE,
)
_ORDINAL_OR_TIME = re.compile(r"^(?:e|er|re|ère|ème|es|h\d*|:\d)", re.IGNORECASE)
_ARTICLE_ONLY = {"un", "une"}


@dataclass(frozen=True)
class Quantity:
    """A number found in text, with its bounds and whether it is approximate."""

    start: int
    end: int
    text: str
    value: int
    value_min: int
    value_max: int | None
    approximate: bool


def parse_french_number(words: str) -> int | None:
    """Parse a French number written in digits or words, or return None.

    Example:
        >>> parse_french_number("vingt-huit"), parse_french_number("150 000")
        (28, 150000)
    """
    cleaned = re.sub(r"[\u00a0\u202f]", " ", words).strip().lower()
    if re.fullmatch(r"\d{1,3}(?: \d{3})+|\d+", cleaned):
        return int(cleaned.replace(" ", ""))
    if not cleaned or not re.fullmatch(_SPELLED, cleaned, re.IGNORECASE):
        return None
    try:
        return int(text2num(cleaned, "fr"))
    except ValueError:
        logger.debug("not a French number: %r", words)
        return None


def scaled_number(digits: str, scale: str) -> int:
    """Digits (a decimal comma or point allowed) times a scale word, exactly.

    Example:
        >>> scaled_number("1,5", "million"), scaled_number("2", "millions")
        (1500000, 2000000)
    """
    cleaned = re.sub(rf"{_SP}", "", digits).replace(",", ".")
    return int(Fraction(cleaned) * _SCALES[scale.lower().rstrip("s")])


def _bounds(
    central: int, approximate: bool, qualifier: str | None, guess: bool = False
) -> tuple[int, int | None]:
    """Bounds of a stated number: "près de 30" -> (25, 30), "plus de 100" -> (100, None),
    "pas moins d'une cinquantaine" -> (38, None)."""
    spread = max(1, round(central * 0.25)) if approximate or qualifier else 0
    if qualifier == "upper":
        return max(0, central - spread), central
    if qualifier == "lower":
        # "plus d'une cinquantaine" is itself a guess: its floor is the guess's floor (38).
        return (max(0, central - spread) if guess else central), None
    return max(0, central - spread), central + spread


def _qualifier(match: re.Match[str]) -> str | None:
    return next((k for k in _QUALIFIERS if match.group(k)), None)


def _from_match(match: re.Match[str], text: str) -> Quantity | None:
    qualifier = _qualifier(match)
    if match.group("noun"):
        central = _APPROX_NOUNS[match.group("noun").lower().rstrip("s")]
        approximate = True
        if match.group("article").lower() in {"des", "plusieurs", "quelques"}:
            qualifier = qualifier or "lower"
        small = (match.group("small") or "").lower()
        if small == "petite":
            qualifier = qualifier or "upper"  # "une petite centaine": a little under 100
        elif small:
            qualifier = qualifier or "lower"  # "une bonne centaine": a little over
    elif match.group("scale"):
        central = scaled_number(match.group("digits"), match.group("scale"))
        approximate = qualifier is not None
    else:
        number = match.group("number")
        if number.lower() in _ARTICLE_ONLY or _ORDINAL_OR_TIME.match(text[match.end() :]):
            return None
        parsed = parse_french_number(number)
        if parsed is None:
            return None
        central, approximate = parsed, qualifier is not None
    low, high = _bounds(central, approximate, qualifier, guess=bool(match.group("noun")))
    return Quantity(match.start(), match.end(), match.group(), central, low, high, approximate)


def _ranges(text: str) -> list[Quantity]:
    found = []
    for match in _RANGE.finditer(text):
        low = parse_french_number(match.group("a") or match.group("b"))
        high = parse_french_number(match.group("hi"))
        if low is None or high is None or low > high:
            continue
        central = (low + high) // 2
        found.append(Quantity(match.start(), match.end(), match.group(), central, low, high, True))
    return found


def find_quantities(text: str) -> list[Quantity]:
    """Find counts in French text (digits, words, approximations), leaving dates out.

    Example:
        >>> [(q.value, q.value_max) for q in find_quantities("près d'une vingtaine de pros")]
        [(20, 20)]
    """
    dates = [(d.start, d.end) for d in find_dates(text)]
    taken = list(dates)
    found = []
    for quantity in _ranges(text) + [
        q for m in _QUANTITY.finditer(text) if (q := _from_match(m, text)) is not None
    ]:
        if any(quantity.start < e and s < quantity.end for s, e in taken):
            continue
        taken.append((quantity.start, quantity.end))
        found.append(quantity)
    return sorted(found, key=lambda q: q.start)
