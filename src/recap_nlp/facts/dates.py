"""French date grammar: single days, ranges, months and years, with year inference.

The grammar is a small set of regular expressions built from the month and weekday names in
``data/fact_cues.toml``. A date written without a year ("Du 3 au 11 juin") is anchored, in
this order, by a year named in the same sentence, by the publication date (a recap tells of
the past unless a future cue is near), by a year named elsewhere with a future or past cue
("les Belges prévoient déjà venir ... en avril 2018" puts the trip before April 2018), and
finally by the nearest year named in the post. Offsets point into the original text.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import logging
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from recap_nlp.facts.cues import load_fact_cues
from recap_nlp.french import fold, months, weekdays

logger = logging.getLogger(__name__)

DatePrecision = Literal["day", "month", "year"]
YearSource = Literal["explicit", "nearby", "publication", "edition", "none"]

_SP = r"[ \t\u00a0\u202f]+"
_YEAR = r"(?:19|20)\d{2}(?![\d:])"
_DAY = r"(?:1er|1re|[12]\d|3[01]|0?[1-9])(?![\d:,.]\d)(?:er|re|e)?"
_SENTENCE_END = re.compile(r"[.!?…]+[\s»\"”)]|\n")


@dataclass(frozen=True)
class DateMention:
    """A date or date range found in a text, resolved to ISO strings where a year is known.

    ``start_date``/``end_date`` are "YYYY-MM-DD", "YYYY-MM" or "YYYY"; when no year could be
    inferred they use the ISO 8601 reduced forms "--MM-DD" / "--MM" and ``year_source`` is
    "none". ``anchor`` says which text gave the year when it was inferred.
    """

    start: int
    end: int
    text: str
    start_date: str
    end_date: str
    precision: DatePrecision
    year_source: YearSource
    is_range: bool
    anchor: str = ""


@dataclass(frozen=True)
class _Raw:
    """A grammar match before year inference (month/day numbers, years when written)."""

    start: int
    end: int
    d1: int | None
    m1: int | None
    y1: int | None
    d2: int | None
    m2: int | None
    y2: int | None
    is_range: bool


@cache
def _month_numbers() -> dict[str, int]:
    cues = load_fact_cues()["dates"]
    table = {fold(m): i for i, m in enumerate(months(), start=1)}
    table.update({fold(k): v for k, v in cues["month_abbreviations"].items()})
    return table


def _accent_free_pattern(word: str) -> str:
    """Regex matching ``word`` with or without its accents ("août" -> "ao[uû]t")."""
    out = []
    for char in word:
        base = fold(char)
        out.append(f"[{base}{char}]" if base != char else re.escape(char))
    return "".join(out)


@cache
def month_regex() -> str:
    cues = load_fact_cues()["dates"]
    full = sorted(months(), key=len, reverse=True)
    abbr = sorted(cues["month_abbreviations"], key=len, reverse=True)
    names = [_accent_free_pattern(m) for m in full]
    names += [_accent_free_pattern(a) + r"\." for a in abbr]
    return r"(?:" + "|".join(names) + r")(?![\w])"


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], bool], ...]:
    """Compile the grammar, most specific first; the flag says the span starts at the date."""
    month = month_regex()
    wd = r"(?:(?:" + "|".join(weekdays()) + r")" + _SP + r")?"
    link = rf"(?:{_SP}(?:au|à){_SP}|{_SP}?[-–]{_SP}?)"
    intro = rf"(?:\b(?:du|des|les){_SP})?"
    between = rf"\bentre{_SP}(?:les?{_SP})?"
    and_the = rf"{_SP}et{_SP}(?:le{_SP})?"
    day1 = rf"{wd}(?P<d1>{_DAY})"
    day2 = rf"{wd}(?P<d2>{_DAY})"
    y1, y2 = rf"(?:{_SP}(?P<y1>{_YEAR}))?", rf"(?:{_SP}(?P<y2>{_YEAR}))?"
    full1, end2 = rf"{day1}{_SP}(?P<m1>{month}){y1}", rf"{day2}{_SP}(?P<m2>{month}){y2}"
    # "les 3 et 4 octobre", "les 22, 23, 24 et 25 mai": the first and last day bound the span.
    listed = rf"{intro}\b{day1}(?:,{_SP}{_DAY})*{_SP}et{_SP}{end2}"
    sources = [
        (rf"{intro}\b{full1}{link}{end2}", False),
        (rf"{between}{full1}{and_the}{end2}", False),
        (rf"{intro}\b{day1}{link}{end2}", False),
        (rf"{between}{day1}{and_the}{end2}", False),
        (listed, False),
        # "le lundi 4 du mois de mars 2019"
        (rf"\b{day1}{_SP}du{_SP}mois{_SP}d(?:e{_SP}|['’]{_SP}?)(?P<m1>{month}){y1}", False),
        (rf"\b{full1}", False),
        (
            rf"\b(?:de|d['’]|entre){_SP}?(?P<m1>{month}){y1}{_SP}(?:à|au|et){_SP}(?P<m2>{month}){y2}",
            True,
        ),
        (rf"\b(?P<m1>{month}){_SP}(?P<y1>{_YEAR})", False),
        (rf"\b(?:en|au{_SP}mois{_SP}de|début|fin|mi-|courant|depuis){_SP}?(?P<m1>{month})", True),
        (rf"\b(?:en|depuis|l['’]an|l['’]année|année){_SP}(?P<y1>{_YEAR})", True),
    ]
    return tuple((re.compile(src, re.IGNORECASE), at_date) for src, at_date in sources)


@lru_cache(maxsize=1)
def _month_search() -> re.Pattern[str]:
    return re.compile(month_regex(), re.IGNORECASE)


@cache
def _may_hold_date() -> re.Pattern[str]:
    return re.compile(rf"{_YEAR}|{month_regex()}", re.IGNORECASE)


def _group_int(match: re.Match[str], name: str) -> int | None:
    value = match.groupdict().get(name)
    if value is None:
        return None
    digits = re.match(r"\d+", value)
    if digits:
        return int(digits.group())
    return _month_numbers().get(fold(value).rstrip("."))


def _raw_from_match(match: re.Match[str], at_date: bool) -> _Raw:
    groups = {name: _group_int(match, name) for name in ("d1", "m1", "y1", "d2", "m2", "y2")}
    is_range = groups["d2"] is not None or groups["m2"] is not None
    if is_range and groups["m1"] is None:
        groups["m1"] = groups["m2"]
    # "en avril" -> span "avril": the preposition is context, not part of the date.
    start = match.start()
    if at_date:
        start = match.start("m1") if match.groupdict().get("m1") else match.start("y1")
    return _Raw(start=start, end=match.end(), is_range=is_range, **groups)


def _raw_mentions(text: str) -> list[_Raw]:
    """Every grammar match, the more specific pattern winning any overlap."""
    if not _may_hold_date().search(text):
        return []  # most sentences: every pattern needs a month name or a year
    taken: list[tuple[int, int]] = []  # disjoint spans, sorted: their ends are sorted too
    found: list[_Raw] = []
    has_month = _month_search().search(text) is not None
    for pattern, at_date in _patterns():
        if not has_month and ("m1" in pattern.groupindex or "m2" in pattern.groupindex):
            continue  # a pattern with a month group cannot match a text without a month name
        for match in pattern.finditer(text):
            # the span taken last among those starting before this match ends overlaps it
            # if any does (bisected: a whole long text stays linear)
            at = bisect.bisect_left(taken, (match.end(),))
            if at and taken[at - 1][1] > match.start() and match.start() < match.end():
                continue
            if match.start() == match.end() and any(
                match.start() < e and s < match.end() for s, e in taken
            ):
                continue
            bisect.insort(taken, (match.start(), match.end()))
            found.append(_raw_from_match(match, at_date))
    return sorted(found, key=lambda r: r.start)


@lru_cache(maxsize=16)
def _raw_mentions_of(text: str) -> tuple[_Raw, ...]:
    """:func:`_raw_mentions`, kept for the last texts: a post's date line and its date facts
    both read the grammar's matches over the whole post (they do not depend on the year)."""
    return tuple(_raw_mentions(text))


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Return the (start, end) of the rough sentence holding ``pos`` (punctuation or newline)."""
    starts, ends = _sentence_breaks(text)
    before = bisect.bisect_right(ends, pos) - 1
    after = bisect.bisect_left(starts, pos)
    start = ends[before] if before >= 0 else 0
    return start, (starts[after] if after < len(starts) else len(text))


@lru_cache(maxsize=8)
def _sentence_breaks(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of every sentence break, found once per text (then bisected)."""
    matches = list(_SENTENCE_END.finditer(text))
    return [m.start() for m in matches], [m.end() for m in matches]


def has_cue(window: str, cues: list[str]) -> bool:
    """True when a cue starts a word of ``window`` ("prévoient" matches the cue "prévoi")."""
    low = window.lower().replace("’", "'")
    return any(re.search(r"(?<!\w)" + re.escape(c.replace("’", "'")), low) for c in cues)


def _bounds(year: int, raw: _Raw, which: int) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by the start (which=1) or end (2) of ``raw`` in ``year``."""
    month = raw.m1 if which == 1 else raw.m2 or raw.m1
    day = raw.d1 if which == 1 else raw.d2
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        return dt.date(year, month, day), dt.date(year, month, day)
    except ValueError:
        return None


def _precision(raw: _Raw) -> DatePrecision:
    if raw.d1 is not None or raw.d2 is not None:
        return "day"
    return "month" if raw.m1 is not None else "year"


def _iso(raw: _Raw, year: int | None, which: int) -> str:
    month = raw.m1 if which == 1 else raw.m2 or raw.m1
    day = raw.d1 if which == 1 else raw.d2
    head = "-" if year is None else f"{year:04d}"
    if month is None:
        return head
    if day is None:
        return f"{head}-{month:02d}"
    return f"{head}-{month:02d}-{day:02d}"


def _end_year(raw: _Raw, start_year: int) -> int:
    """Year of a range's end: the next year when the end month-day comes before the start."""
    if raw.y2 is not None:
        return raw.y2
    if raw.m1 is None or raw.m2 is None:
        return start_year
    wraps = raw.m2 < raw.m1
    return start_year + 1 if wraps else start_year


def _start_year_from_end(raw: _Raw) -> int | None:
    if raw.y2 is None:
        return None
    wraps = raw.m1 is not None and raw.m2 is not None and raw.m2 < raw.m1
    return raw.y2 - 1 if wraps else raw.y2


def _year_before(raw: _Raw, limit: dt.date, inclusive: bool) -> int:
    """Latest year putting the start of ``raw`` before ``limit`` ("3 juin", 2018-04 -> 2017)."""
    year = limit.year
    span = _bounds(year, raw, 1)
    if span is None or span[0] > limit or (not inclusive and span[0] == limit):
        year -= 1
    return year


def _year_after(raw: _Raw, limit: dt.date) -> int:
    year = limit.year
    span = _bounds(year, raw, 1)
    if span is None or span[0] <= limit:
        year += 1
    return year


@dataclass(frozen=True)
class _Anchor:
    """An explicit year elsewhere in the text, with its cue relation."""

    start: int
    first: dt.date
    last: dt.date
    relation: Literal["future", "past", "same"]
    text: str


def _relation(
    text: str, start: int, end: int, reach: tuple[int, int] = (40, 30)
) -> Literal["future", "past", "same"]:
    """How the words around [start, end) place a date: after or before the writing.

    ``reach`` bounds the window (characters before, after) inside the sentence.
    """
    s_start, s_end = sentence_bounds(text, start)
    window = text[max(s_start, start - reach[0]) : min(s_end, end + reach[1])]
    cues = load_fact_cues()["dates"]
    if has_cue(window, cues["future_cues"]):
        return "future"
    if has_cue(window, cues["past_cues"]):
        return "past"
    return "same"


def _anchors(text: str, raws: list[_Raw]) -> list[_Anchor]:
    anchors = []
    for raw in raws:
        year = raw.y1 if raw.y1 is not None else _start_year_from_end(raw)
        if year is None:
            continue
        first = _bounds(year, raw, 1)
        last = _bounds(_end_year(raw, year), raw, 2) if raw.is_range else first
        if first is None or last is None:
            continue
        # A whole sentence: "les Belges prévoient déjà venir ... en avril 2018".
        relation = _relation(text, raw.start, raw.end, reach=(len(text), len(text)))
        anchors.append(_Anchor(raw.start, first[0], last[1], relation, text[raw.start : raw.end]))
    return anchors


def _year_from_anchor(raw: _Raw, anchor: _Anchor) -> int:
    if anchor.relation == "future":
        return _year_before(raw, anchor.first, inclusive=False)
    if anchor.relation == "past":
        return _year_after(raw, anchor.last)
    return anchor.first.year


def _infer_year(
    text: str,
    raw: _Raw,
    anchors: list[_Anchor],
    published: dt.date | None,
    edition_year: int | None = None,
) -> tuple[int | None, YearSource, str]:
    """Year of a year-less date, the rule that gave it, and the anchor text."""
    s_start, s_end = sentence_bounds(text, raw.start)
    positions = [a.start for a in anchors]
    same_sentence = anchors[
        bisect.bisect_left(positions, s_start) : bisect.bisect_left(positions, s_end)
    ]
    if same_sentence:
        best = min(same_sentence, key=lambda a: abs(a.start - raw.start))
        return _year_from_anchor(raw, best), "nearby", f"{best.text} ({best.relation})"
    if published is not None:
        relation = _relation(text, raw.start, raw.end)
        if relation == "future" or (relation == "same" and _soon_after(raw, published)):
            return _year_after(raw, published), "publication", f"after {published.isoformat()}"
        year = _year_before(raw, published, inclusive=True)
        return year, "publication", f"before {published.isoformat()}"
    if edition_year is not None:
        return edition_year, "edition", f"the edition year {edition_year} of the post's event"
    cued = [a for a in anchors if a.relation != "same"] or anchors
    if cued:
        best = _nearest(cued, raw.start)
        return _year_from_anchor(raw, best), "nearby", f"{best.text} ({best.relation})"
    return None, "none", ""


# A year-less date with no cue is read as past (a recap tells what happened), unless that puts
# it most of a year back while the same date comes within weeks after publication.
_FAR_PAST_DAYS = 180
_NEAR_FUTURE_DAYS = 60


def _soon_after(raw: _Raw, published: dt.date) -> bool:
    """True when the date falls soon after ``published`` and long before it otherwise.

    Example:
        "Prochain rendez-vous : le forum, le 27 juin" published 2024-06-03 -> True (2024)
        "Du 3 au 11 juin" published 2017-06-26 -> False (2017, three weeks before)
    """
    past = _bounds(_year_before(raw, published, inclusive=True), raw, 1)
    future = _bounds(_year_after(raw, published), raw, 1)
    if past is None or future is None:
        return False
    far_past = (published - past[0]).days > _FAR_PAST_DAYS
    return far_past and (future[0] - published).days <= _NEAR_FUTURE_DAYS


def _nearest(anchors: list[_Anchor], position: int) -> _Anchor:
    """The anchor closest to ``position`` (anchors sorted by offset; the earlier one on ties)."""
    index = bisect.bisect_left([a.start for a in anchors], position)
    around = anchors[max(index - 1, 0) : index + 1]
    return min(around, key=lambda a: abs(a.start - position))


def _resolve(
    text: str,
    raw: _Raw,
    anchors: list[_Anchor],
    published: dt.date | None,
    edition_year: int | None = None,
) -> DateMention | None:
    """Turn a grammar match into a DateMention, or None when the date does not exist."""
    year = raw.y1 if raw.y1 is not None else _start_year_from_end(raw)
    source: YearSource = "explicit"
    anchor = ""
    if year is None:
        year, source, anchor = _infer_year(text, raw, anchors, published, edition_year)
    end_year = None if year is None else _end_year(raw, year)
    check_year = year if year is not None else 2000  # a leap year: "29 février" may exist
    first = _bounds(check_year, raw, 1)
    last = _bounds(check_year if end_year is None else end_year, raw, 2)
    if first is None or last is None or (raw.is_range and last[1] < first[0]):
        logger.debug("skipping impossible date %r", text[raw.start : raw.end])
        return None
    return DateMention(
        start=raw.start,
        end=raw.end,
        text=text[raw.start : raw.end],
        start_date=_iso(raw, year, 1),
        end_date=_iso(raw, end_year, 2) if raw.is_range else _iso(raw, year, 1),
        precision=_precision(raw),
        year_source=source,
        is_range=raw.is_range,
        anchor=anchor,
    )


@cache
def _relative_weekday() -> re.Pattern[str]:
    cues = load_fact_cues()["dates"]
    days = "|".join(weekdays())
    ways = "|".join(re.escape(w) for w in [*cues["weekday_past"], *cues["weekday_next"]])
    return re.compile(rf"\b(?P<day>{days}){_SP}(?P<way>{ways})\b", re.IGNORECASE)


def relative_weekdays(text: str, published: dt.date | None) -> list[DateMention]:
    """Days named by a weekday and "dernier"/"prochain", counted from the publication date.

    Without a publication date they cannot be placed and nothing is returned.

    Example:
        "Mardi dernier, une soixantaine de professionnels ..." published 2024-01-11 (a
        Thursday) -> 2024-01-09
    """
    if published is None:
        return []
    cues = load_fact_cues()["dates"]
    found = []
    for match in _relative_weekday().finditer(text):
        weekday = weekdays().index(match.group("day").lower())
        if match.group("way").lower() in cues["weekday_past"]:
            day = published - dt.timedelta(days=(published.weekday() - weekday - 1) % 7 + 1)
        else:
            day = published + dt.timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)
        iso = day.isoformat()
        anchor = f"{match.group('way').lower()} from {published.isoformat()}"
        found.append(
            DateMention(
                match.start(),
                match.end(),
                match.group(),
                iso,
                iso,
                "day",
                "publication",
                False,
                anchor,
            )
        )
    return found


def find_dates(
    text: str, published: dt.date | None = None, edition_year: int | None = None
) -> list[DateMention]:
    """Find dates and date ranges in French text, inferring missing years.

    Args:
        text: the original text of a post.
        published: the post's publication date, used to anchor year-less dates.
        edition_year: the year of the post's main event ("Forum X 2015" in its title), used
            when there is no publication date.

    Returns:
        Date mentions sorted by offset; impossible dates ("31 février") are left out.

    Example:
        >>> [d.start_date for d in find_dates("Du 3 au 11 juin 2017, à Nantes")]
        ['2017-06-03']
    """
    raws = list(_raw_mentions_of(text))
    anchors = _anchors(text, raws)
    mentions = [
        m
        for raw in raws
        if (m := _resolve(text, raw, anchors, published, edition_year)) is not None
    ]
    relative = relative_weekdays(text, published)
    if relative:
        mentions = sorted([*mentions, *relative], key=lambda m: m.start)
    return mentions


_PUBLISHED_LINE = re.compile(
    r"(?:publi[ée]e?|post[ée]e?|mis\s+en\s+ligne)(?:\s+le)?\s*:?\s*$", re.I
)
_UPDATED_LINE = re.compile(r"(?:derni[èe]re\s+)?mise?\s+à\s+jour(?:\s+le)?\s*:?\s*$", re.I)
_DATE_ONLY_REST = re.compile(r"^[\s|,:;\-–—/()\d]*(?:h\d*|\d{1,2}[:h]\d{2})?[\s|,:;\-–—/()\d]*$")


def _line_mentions(text: str) -> list[tuple[str, str, DateMention]]:
    """Explicit day dates with the text before them and after them on their line."""
    found = []
    for mention in find_dates(text):
        if mention.year_source != "explicit" or mention.precision != "day":
            continue
        line_start = text.rfind("\n", 0, mention.start) + 1
        line_end = text.find("\n", mention.end)
        line_end = len(text) if line_end == -1 else line_end
        found.append((text[line_start : mention.start], text[mention.end : line_end], mention))
    return found


def find_publication_date(text: str) -> DateMention | None:
    """Find the post's own date: a "Publié le" line, a date line near the top, or an update line.

    Example:
        >>> find_publication_date("Titre\\n\\n29 juin 2018 | 22:13\\n\\nTexte").start_date
        '2018-06-29'
    """
    lines = _line_mentions(text)
    weekday = r"(?:" + "|".join(weekdays()) + r")?"
    for before, _after, mention in lines:
        if _PUBLISHED_LINE.search(before):
            return mention
    head_limit = _top_of_text(text)
    for before, after, mention in lines:
        bare = re.fullmatch(rf"\s*{weekday}[\s,]*", before, re.I)
        if mention.start < head_limit and bare and _DATE_ONLY_REST.match(after):
            return mention
    for before, _after, mention in lines:
        if _UPDATED_LINE.search(before):
            return mention
    return None


def _top_of_text(text: str, n_lines: int = 8) -> int:
    """Offset after the first ``n_lines`` non-empty lines (where a date line is expected)."""
    for seen, match in enumerate(re.finditer(r"[^\n]*\S[^\n]*", text), start=1):
        if seen == n_lines:
            return match.end()
    return len(text)
