"""Relative dates counted from the post's date: "hier", "le week-end dernier", "la semaine
prochaine", "jeudi et vendredi derniers", "l'an dernier". Each carries the rule in its anchor.

Without a publication date nothing is returned: a relative date cannot be placed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache

from recap_nlp.facts.dates import DateMention, month_regex
from recap_nlp.french import weekdays

_SP = r"[ \t\u00a0\u202f]+"
Rule = Callable[[dt.date, re.Match[str]], tuple[dt.date, dt.date, str, str] | None]


def _weekday(name: str) -> int:
    return weekdays().index(name.lower())


def _last_weekend(published: dt.date) -> tuple[dt.date, dt.date]:
    """The Saturday and Sunday before the post (a Sunday post's weekend is that one)."""
    saturday = published - dt.timedelta(days=(published.weekday() - 5) % 7 or 7)
    if published.weekday() == 6:
        saturday = published - dt.timedelta(days=1)
    return saturday, saturday + dt.timedelta(days=1)


def _yesterday(published: dt.date, match: re.Match[str]) -> tuple[dt.date, dt.date, str, str]:
    back = 2 if match.group().lower().startswith("avant") else 1
    day = published - dt.timedelta(days=back)
    return day, day, "day", f"{match.group().lower()}: {back} day(s) before the post"


def _weekend_past(published: dt.date, _match: re.Match[str]) -> tuple[dt.date, dt.date, str, str]:
    saturday, sunday = _last_weekend(published)
    return saturday, sunday, "day", "the weekend before the post"


def _weekend_next(published: dt.date, _match: re.Match[str]) -> tuple[dt.date, dt.date, str, str]:
    saturday = published + dt.timedelta(days=(5 - published.weekday()) % 7 or 7)
    return saturday, saturday + dt.timedelta(days=1), "day", "the weekend after the post"


def _week(published: dt.date, match: re.Match[str]) -> tuple[dt.date, dt.date, str, str]:
    shift = 7 if match.group("way").lower().startswith("proch") else -7
    monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(days=shift)
    way = "after" if shift > 0 else "before"
    return monday, monday + dt.timedelta(days=6), "day", f"the week {way} the post's week"


def _last_year(published: dt.date, match: re.Match[str]) -> tuple[dt.date, dt.date, str, str]:
    shift = 1 if match.group("way").lower().startswith("proch") else -1
    year = published.year + shift
    way = "after" if shift > 0 else "before"
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "year", f"the year {way} the post's"


def _weekday_list(published: dt.date, match: re.Match[str]) -> tuple[dt.date, dt.date, str, str]:
    """ "jeudi et vendredi derniers": the latest such days before the post."""
    first, last = _weekday(match.group("d1")), _weekday(match.group("d2"))
    end = published - dt.timedelta(days=(published.weekday() - last - 1) % 7 + 1)
    start = end - dt.timedelta(days=(last - first) % 7)
    return start, end, "day", "the latest such weekdays before the post"


# How far from the post a weekday with a day number but no month ("jeudi le 29") may lie.
_DAY_BACK, _DAY_AHEAD = 62, 31


def _weekday_and_day(
    published: dt.date, match: re.Match[str]
) -> tuple[dt.date, dt.date, str, str] | None:
    """ "Jeudi soir le 29": the latest day numbered 29 that is a Thursday, on or before the
    post within two months, else the first after it within a month; None when none fits."""
    weekday, number = _weekday(match.group("wd")), int(match.group("n"))
    for offset in [*range(0, -_DAY_BACK - 1, -1), *range(1, _DAY_AHEAD + 1)]:
        day = published + dt.timedelta(days=offset)
        if day.day == number and day.weekday() == weekday:
            side = "on or before" if offset <= 0 else "after"
            return day, day, "day", f"the nearest such weekday and day {side} the post"
    return None


@cache
def _rules() -> tuple[tuple[re.Pattern[str], Rule], ...]:
    days = "|".join(weekdays())
    weekend = rf"(?:week-?end|fin{_SP}de{_SP}semaine)"
    past = r"(?:dernier|dernière|passé|passée)"
    parts = r"matin|midi|après-midi|soir"
    month = month_regex()
    table: list[tuple[str, Rule]] = [
        (rf"\b(?:avant-hier|hier)\b(?!{_SP}soir{_SP}et)", _yesterday),
        (rf"\b(?:le|ce|cette|ma|notre|la){_SP}{weekend}{_SP}{past}\b", _weekend_past),
        (rf"\b(?:le|ce|cette|la){_SP}{weekend}{_SP}prochaine?\b", _weekend_next),
        (rf"\bla{_SP}semaine{_SP}(?P<way>dernière|passée|prochaine)\b", _week),
        (
            rf"\bl['’](?:an|année){_SP}(?P<way>dernier|dernière|passé|passée|prochain|prochaine)\b",
            _last_year,
        ),
        (rf"\b(?P<d1>{days}){_SP}et{_SP}(?P<d2>{days}){_SP}derniers\b", _weekday_list),
        # "jeudi le 29", "samedi soir 14": no month follows (the date grammar reads those).
        (
            rf"\b(?P<wd>{days})(?:{_SP}(?:{parts}))?(?:{_SP}le)?{_SP}(?P<n>[12]\d|3[01]|0?[1-9])"
            rf"(?:er)?\b(?!(?:{_SP})?(?:{month}|\d|[/.-]\d|h(?:\d|\b)))",
            _weekday_and_day,
        ),
    ]
    return tuple((re.compile(src, re.IGNORECASE), rule) for src, rule in table)


def relative_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """Relative dates of a text placed from the publication date.

    Example:
        "J'ai passé ma fin de semaine passée au congrès" published 2007-02-06 (a Tuesday)
        -> 2007-02-03..2007-02-04, anchor "the weekend before the post"
    """
    if published is None:
        return []
    found = []
    for pattern, rule in _rules():
        for match in pattern.finditer(text):
            placed = rule(published, match)
            if placed is None:
                continue
            start, end, precision, how = placed
            iso = (
                (start.isoformat(), end.isoformat())
                if precision == "day"
                else (str(start.year), str(end.year))
            )
            found.append(
                DateMention(
                    match.start(),
                    match.end(),
                    match.group(),
                    iso[0],
                    iso[1],
                    precision,  # type: ignore[arg-type]
                    "publication",
                    iso[0] != iso[1],
                    f"{how} ({published.isoformat()})",
                )
            )
    return sorted(found, key=lambda m: m.start)
