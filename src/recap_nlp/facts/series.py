"""Event names: series and edition apart, and the spelling variants of one series.

A written name ("Salon Numérix Paris 2019", "Roulez en ville 2019 à Dole", "33e Transmusicales")
is split into its series, edition year and number, month and the city it names. Two series
keys meet when they differ only by case, accents, hyphens or spaces ("Mix-IT" / "MiXiT"), by
one letter ("Transmusicale" / "Transmusicales"), as a short form ("Trans" / "Transmusicales")
or as an acronym ("Île Sans Fil" / "ISF").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from recap_nlp.facts.cues import load_fact_cues
from recap_nlp.french import alternation, fold, months

_YEAR = re.compile(r"(?<![\w-])((?:19|20)\d{2})(?![\w-])")
_ORDINAL = re.compile(
    r"^(?:les?\s+|la\s+|l['’]\s*)?(\d{1,3})\s*(?:e|è|ème|eme|èmes|emes|es|re|ère|er)\b\s*", re.I
)
_ARTICLE = re.compile(
    rf"^(?:(?:{alternation('series_leading_articles')})\s+"
    rf"|(?:{alternation('series_leading_elisions')})['’]\s*)",
    re.I,
)
_PLACE_TAIL = re.compile(
    r"\s+(?:à|a|en|au)\s+(?P<city>[A-ZÉÈÀÂÎÔ][\w’'-]*(?:[\s-][A-ZÉÈÀÂÎÔ][\w’'-]*)*)\s*$"
)
_PAREN = re.compile(r"\s*\((?P<inside>[^()]*)\)\s*")
_OF_MONTH = re.compile(r"\s+(?:de|d['’])\s*(?P<month>\w+)\s*$", re.I)
_SHORT_FORM = 4  # letters a short form must keep ("Trans" for "Transmusicales")


@dataclass(frozen=True)
class EventName:
    """A written event name taken apart.

    Example:
        "Roulez en ville 2019 à Dole" -> EventName("Roulez en ville 2019 à Dole",
        series="Roulez en ville", year=2019, city="Dole")
    """

    written: str
    series: str
    year: int | None = None
    number: int | None = None
    month: int | None = None
    city: str = ""

    @property
    def display(self) -> str:
        """Series and year: "Blend Web Mix 2019"."""
        return f"{self.series} {self.year}" if self.year else self.series


def ordinal_value(word: str) -> int | None:
    """ "trentième" -> 30, "15e" -> 15, "43èmes" -> 43, "premier" -> 1; None otherwise."""
    low = word.lower().strip()
    table = load_fact_cues()["main"]["ordinals"]
    if low.rstrip("s") in table:
        return int(table[low.rstrip("s")])
    if low in table:
        return int(table[low])
    found = _ORDINAL.match(low)
    return int(found.group(1)) if found and found.end() == len(low) else None


def _month_number(word: str) -> int | None:
    names = [fold(m) for m in months()]
    low = fold(word)
    return names.index(low) + 1 if low in names else None


def parse_event_name(written: str, is_city: Iterable[str] | None = None) -> EventName:
    """Split a written name into series, year, number, month and city.

    ``is_city`` holds the city names known for the post (its CITY mentions, the gazetteer):
    a bare city is cut from the series only when a year follows it ("Salon Numérix Paris 2019");
    "à X" / "(X)" are cut; "de X" stays in the series but gives the city.

    Example:
        "Salon Numérix Paris 2019" -> series "Salon Numérix", year 2019, city "Paris"
        "33e Transmusicales" -> series "Transmusicales", number 33
    """
    cities = is_city if isinstance(is_city, set) else set(is_city or ())
    name = re.sub(r"\s+", " ", written).strip(" \t\"«»“”'’:–—-")
    city, number, month = "", None, None
    for paren in _PAREN.finditer(name):
        inside = paren.group("inside").strip()
        if inside in cities or _YEAR.fullmatch(inside):
            city = city or (inside if inside in cities else "")
    name = _PAREN.sub(" ", name).strip()
    written = name
    years = _YEAR.findall(name)
    year = int(years[-1]) if years else None
    head = _YEAR.sub(" ", name)
    head = re.sub(r"\s+", " ", head).strip(" -–—:,")
    ordinal = _ORDINAL.match(head)
    if ordinal:
        number = int(ordinal.group(1))
        head = head[ordinal.end() :]
    place = _PLACE_TAIL.search(head)
    if place:
        city = city or place.group("city")
        head = head[: place.start()]
    of_month = _OF_MONTH.search(head)
    if of_month and _month_number(of_month.group("month")):
        month = _month_number(of_month.group("month"))
        head = head[: of_month.start()]
    words = head.split()
    if year and len(words) > 1 and words[-1] in cities:
        city = city or words[-1]
        head = " ".join(words[:-1])
    head = _ARTICLE.sub("", head.strip()).strip(" -–—:,")
    if not city:
        city = next((w for w in _capital_runs(head) if w in cities), "")
    return EventName(written, head or name, year, number, month, city)


def _capital_runs(text: str) -> list[str]:
    """Words and hyphenated runs of a name that could be a city ("Projet Montréal" -> ...)."""
    words = re.findall(r"[A-ZÉÈÀÂÎÔ][\w’'-]*", text)
    return words + [" ".join(words[i : i + 2]) for i in range(len(words) - 1)]


def series_key(series: str) -> str:
    """Folded series: case, accents, spaces, hyphens and articles dropped ("Mix-IT" -> "mixit")."""
    folded = fold(_ARTICLE.sub("", series.strip()))
    return re.sub(r"[^a-z0-9]+", "", folded)


def acronym(series: str) -> str:
    """Initials of the capitalised words of a series, when it has at least two ("Île Sans Fil"
    -> "isf"); "" otherwise."""
    words = [w for w in re.split(r"[\s-]+", series) if w[:1].isupper()]
    return fold("".join(w[0] for w in words)) if len(words) >= 2 else ""


@cache
def _one_edit_apart(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with one letter added (or the same)."""
    if len(b) - len(a) != 1:
        return a == b
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


def same_series(a: str, b: str) -> bool:
    """Two written series that name one series, whatever the spelling.

    Example:
        ("BlendWebMix", "Blend Web Mix") -> True; ("Trans", "Transmusicales") -> True;
        ("Forum PHP", "Forum Python") -> False
    """
    ka, kb = series_key(a), series_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    if len(short) >= 6 and _one_edit_apart(short, long_):
        return True
    if len(short) >= _SHORT_FORM + 1 and long_.startswith(short) and " " not in a + b:
        return True  # a one-word short form: "les Trans" for "les Transmusicales"
    return short in {acronym(a), acronym(b)} and len(short) >= 2


def blocking_keys(series: str) -> set[str]:
    """Keys under which a series is compared with others (folded, short-form prefix, acronym)."""
    key = series_key(series)
    keys = {f"series:{key}"} if key else set()
    if key and " " not in series.strip():
        keys.add(f"series:{key[: _SHORT_FORM + 1]}")  # one-word short forms ("Trans")
    if acronym(series):
        keys.add(f"series:{acronym(series)}")
    if key:
        keys.add(f"letters:{key[:2]}:{len(key)}")  # one letter more or less meets here...
        keys.add(f"letters:{key[:2]}:{len(key) + 1}")  # ...or here
    return keys
