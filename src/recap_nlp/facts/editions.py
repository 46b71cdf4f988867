"""Which facts of a post belong to its main event, to last year's edition, or to another event.

Used by :mod:`recap_nlp.facts.events` for posts whose title or opening names their event.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from functools import cache

from recap_nlp.facts.cues import load_fact_cues
from recap_nlp.facts.series import same_series, series_key
from recap_nlp.french import fold
from recap_nlp.records import FactMention

_HEADCOUNTS = ("participants", "visitors", "attendance")
_OWN_ATTRIBUTES = ("main_event", "edition_number")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text)).strip()


@cache
def _trip_keys() -> frozenset[str]:
    return frozenset(_norm(w) for w in load_fact_cues()["events"]["trip_words"])


def _of_main(fact: FactMention, series: str, generic: frozenset[str], kind: str) -> bool:
    """A fact told of the main event: its hint is the series (any spelling), a generic event
    word or nothing; a trip word only when the post's event is a trip (a delegation visiting
    a salon is another event than the salon)."""
    hint = _norm(fact.event_hint)
    if hint in _trip_keys():
        return kind == "trip"
    if not hint or hint in generic:
        return True
    key, hint_key = series_key(series), series_key(fact.event_hint)
    if same_series(series, fact.event_hint) or (len(key) >= 3 and key in hint_key):
        return True
    return len(hint_key) >= 3 and hint_key in key


def _date_fits(fact: FactMention, year: int | None, kind: str, published: str) -> bool:
    """A date of the main event: of its year (when both are known) and, for a recap, not
    after the post (a date after it belongs to an event announced in passing)."""
    found = re.match(r"\d{4}", fact.value_min)
    if year is not None and found and int(found.group()) != year:
        return False
    if kind == "recap" and re.match(r"\d{4}-\d{2}-\d{2}", published) and found:
        return fact.value_min[:10] <= published[:10]
    return True


def _previous_edition(fact: FactMention) -> bool:
    """A headcount said of last year ("l'année dernière c'était 52 000 entrées")."""
    if fact.attribute not in _HEADCOUNTS and fact.scope != "previous_edition":
        return False
    if fact.scope == "previous_edition":
        return True
    at = fact.sentence.find(fact.note[:12]) if fact.note else -1
    before = fact.sentence[max(0, at - 30) : at].lower().replace("’", "'") if at >= 0 else ""
    cues = load_fact_cues()["main"]["previous_cues"]
    return any(cue.replace("’", "'") in before for cue in cues)


def split_main(
    main: FactMention, facts: list[FactMention], published: str, generic: frozenset[str]
) -> tuple[list[FactMention], dict[int, list[FactMention]], list[FactMention]]:
    """(facts of the main event, facts of its other editions by year, facts of other events).

    Other editions are the previous one for counts said of last year, and the year of a
    date told of the series or of "l'édition" in another year ("En 2018 (40e édition)").

    Example:
        a recap of "Festival X 2021" with "l'an dernier, 40 000 festivaliers" -> the count
        goes to the previous edition; "Prochain rendez-vous : le Salon Y, le 17 mai" (after
        the post) goes to the other events
    """
    series = main.value_min
    year = int(main.value_max) if main.value_max else None
    own: list[FactMention] = []
    editions: dict[int, list[FactMention]] = {}
    rest: list[FactMention] = []
    loose = [f for f in facts if f.attribute == "date" and not f.event_hint]
    for fact in facts:
        if fact.attribute == "date" and not fact.event_hint:
            continue
        if fact.attribute in _OWN_ATTRIBUTES or fact.extractor.startswith("main_"):
            own.append(fact)
        elif _previous_edition(fact) and year is not None:
            editions.setdefault(year - 1, []).append(
                dataclasses.replace(fact, scope="previous_edition")
            )
        elif not _of_main(fact, series, generic, main.post_kind):
            rest.append(fact)
        elif fact.attribute == "date" and not _date_fits(fact, year, main.post_kind, published):
            other = _other_edition(fact, series, published)
            if other is None:
                rest.append(fact)
            else:
                editions.setdefault(other, []).append(fact)
        else:
            own.append(fact)
    own += _days_beside(loose, own, year, main.post_kind, published)
    return _one_headcount(own), editions, rest


_BESIDE_DAYS = 7


def _days_beside(
    loose: list[FactMention], own: list[FactMention], year: int | None, kind: str, published: str
) -> list[FactMention]:
    """Days told in sentences naming no event, kept when they fall within a week of the main
    event's own days ("Dimanche 9 mars au gymnase ..." beside "le week-end du 8 et 9 mars")."""
    days = [
        f for f in own if f.attribute == "date" and f.precision == "day" and f.value_min[:1] != "-"
    ]
    if not days:
        return []
    low = min(dt.date.fromisoformat(f.value_min[:10]) for f in days)
    high = max(dt.date.fromisoformat(f.value_max[:10]) for f in days)
    kept = []
    for fact in loose:
        if fact.value_min[:1] == "-" or not _date_fits(fact, year, kind, published):
            continue
        day = dt.date.fromisoformat(fact.value_min[:10])
        if (low - day).days <= _BESIDE_DAYS and (day - high).days <= _BESIDE_DAYS:
            kept.append(dataclasses.replace(fact, note=f"{fact.note}; a day beside the event's"))
    return kept


def _other_edition(fact: FactMention, series: str, published: str) -> int | None:
    """The year of another edition a date tells: a past year, said of the series or of
    "l'édition"; None for anything else (a date after the post, another event)."""
    found = re.match(r"\d{4}", fact.value_min)
    if not found:
        return None
    hint = _norm(fact.event_hint)
    if hint == "edition":  # "la prochaine édition, du 11 au 14 juin"
        return int(found.group())
    after = bool(published) and fact.value_min[:10] > published[:10]
    return int(found.group()) if not after and same_series(series, fact.event_hint) else None


def _one_headcount(facts: list[FactMention]) -> list[FactMention]:
    """One post states one total per headcount: the one said "au total", else the largest; the
    others count a part of the audience (``<attribute>_subgroup``, scope "subgroup")."""
    out = [f for f in facts if f.attribute not in _HEADCOUNTS]
    for attribute in _HEADCOUNTS:
        counts = [f for f in facts if f.attribute == attribute]
        if len(counts) <= 1:
            out.extend(counts)
            continue
        total = next((f for f in counts if _said_total(f)), None)
        total = total or max(counts, key=lambda f: (float(f.value), -f.start))
        for fact in counts:
            if fact is total:
                out.append(fact)
            else:
                out.append(
                    dataclasses.replace(fact, attribute=f"{attribute}_subgroup", scope="subgroup")
                )
    return sorted(out, key=lambda f: (f.start, f.attribute))


def _said_total(fact: FactMention) -> bool:
    at = fact.sentence.find(fact.note[:12]) if fact.note else -1
    before = fact.sentence[max(0, at - 30) : at].lower() if at >= 0 else ""
    return any(cue in before for cue in load_fact_cues()["main"]["total_cues"])
