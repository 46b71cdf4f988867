"""Tests of event resolution across posts (seed missions of 2017 and 2018)."""

from __future__ import annotations

import dataclasses

from recap_nlp.facts import extract_facts
from recap_nlp.facts.events import LocalEvent, complete_link, resolve_events
from recap_nlp.records import Document, Event, FactMention
from tests.facts.test_facts import hand_mentions, seed_doc


def seed_events(
    prefixes: tuple[str, ...] = ("000", "001", "002", "003", "004"),
) -> tuple[list[Document], list[Event], list[FactMention]]:
    docs = [seed_doc(p, "2017-06-26" if p == "002" else "") for p in prefixes]
    facts = [f for d in docs for f in extract_facts(d, [], hand_mentions(d))]
    events, stamped = resolve_events(facts, docs)
    return docs, events, stamped


def missions(events: list[Event]) -> list[Event]:
    return [e for e in events if e.kind == "mission"]


def test_two_missions_resolved_apart() -> None:
    _, events, _ = seed_events()
    got = [(e.start_date, e.end_date, len(e.doc_ids)) for e in missions(events)]
    assert got == [("2017-06-03", "2017-06-11", 2), ("2018-06-09", "2018-06-17", 1)]
    (m2017, m2018) = missions(events)
    assert m2017.cities == m2018.cities == ("Angers", "Nantes")
    assert m2017.doc_ids == ("001_69ef9b9c2667ea03", "002_d5d32f04412ff4de")


def test_every_fact_gets_a_known_event_and_ids_are_deterministic() -> None:
    _, events, stamped = seed_events()
    ids = {e.event_id for e in events}
    assert all(f.event_id in ids for f in stamped)
    assert [e.event_id for e in events] == sorted(ids)
    _, again, _ = seed_events(("004", "002", "001", "000", "003"))
    assert [e.event_id for e in again] == [e.event_id for e in events]


def test_delegation_counts_join_their_mission() -> None:
    _, events, stamped = seed_events()
    m2017 = missions(events)[0]
    sizes = sorted(
        f.value
        for f in stamped
        if f.attribute == "delegation_size" and f.event_id == m2017.event_id
    )
    assert sizes == ["27", "28"]


def _date_fact(doc_id: str, lo: str, hi: str, hint: str = "mission") -> FactMention:
    return FactMention(
        f"{doc_id}:date:0", doc_id, "date", lo, lo, hi, "day", 0, 5, "q", "t", event_hint=hint
    )


def test_no_transitive_chaining() -> None:
    # a overlaps b, b overlaps c, a does not overlap c: complete link keeps a and c apart.
    facts = [
        _date_fact("a", "2019-05-01", "2019-05-05"),
        _date_fact("b", "2019-05-04", "2019-05-09"),
        _date_fact("c", "2019-05-08", "2019-05-12"),
    ]
    events, stamped = resolve_events(facts, [])
    event_of = {f.doc_id: f.event_id for f in stamped}
    assert event_of["a"] != event_of["c"]
    assert len(events) == 2


def test_different_years_and_kinds_never_merge() -> None:
    facts = [
        _date_fact("a", "2019-05-01", "2019-05-05"),
        _date_fact("b", "2020-05-01", "2020-05-05"),
        _date_fact("c", "2019-05-01", "2019-05-05", hint="salon"),
    ]
    events, _ = resolve_events(facts, [])
    assert len(events) == 3


def test_month_and_day_of_same_event_merge() -> None:
    facts = [
        _date_fact("a", "2019-05-03", "2019-05-05"),
        dataclasses.replace(_date_fact("b", "2019-05", "2019-05"), precision="month"),
    ]
    events, _ = resolve_events(facts, [])
    assert [e.doc_ids for e in events] == [("a", "b")]
    assert events[0].start_date == "2019-05-03"


def _fact(doc_id: str, attribute: str, start: int, hint: str, value: str = "12") -> FactMention:
    return FactMention(
        f"{doc_id}:{attribute}:{start}",
        doc_id,
        attribute,
        value,
        value,
        value,
        "exact",
        start,
        start + 2,
        "q",
        "t",
        event_hint=hint,
    )


def test_a_trip_without_its_own_date_stays_apart_from_the_salon_it_visits() -> None:
    # Post a dates only the salon; its delegation (hint "voyage") is another event.
    facts = [
        _fact("a", "delegation_size", 10, "voyage"),
        dataclasses.replace(_date_fact("a", "2024-05-22", "2024-05-25", "salon"), start=50),
        _fact("a", "exhibitors", 80, "salon", "2800"),
        _date_fact("b", "2024-05-22", "2024-05-25", "salon"),
    ]
    events, stamped = resolve_events(facts, [])
    event_of = {f.attribute + f.doc_id: f.event_id for f in stamped}
    assert event_of["exhibitorsa"] == event_of["datea"] == event_of["dateb"]
    assert event_of["delegation_sizea"] != event_of["datea"]
    assert len(events) == 2


def test_a_trip_and_a_salon_on_the_same_dates_never_merge() -> None:
    facts = [
        _date_fact("a", "2024-05-22", "2024-05-25", "mission"),
        _fact("a", "event_name", 30, "mission", "Atlantech"),
        _date_fact("b", "2024-05-22", "2024-05-25", "Atlantech"),
    ]
    events, _ = resolve_events(facts, [])
    assert len(events) == 2


def _local(doc_id: str, first: str = "2017-06-03", last: str = "2017-06-11") -> LocalEvent:
    return LocalEvent(doc_id, "mission", first, last, int(first[:4]), ())


def test_a_story_told_alike_by_many_posts_is_one_event() -> None:
    items = [_local(f"p{i:04d}") for i in range(3000)]
    items.append(_local("p0000", "2017-06-05", "2017-06-06"))  # same post, another local event
    items.append(_local("q", "2018-06-09", "2018-06-17"))  # another year
    clusters = complete_link(items)
    assert sorted(map(len, clusters)) == [1, 1, 3000]
    assert clusters[0] == list(range(3000))


def test_two_alike_local_events_of_one_post_stay_apart() -> None:
    items = [_local("a"), _local("a"), _local("b")]
    assert complete_link(items) == [[0, 2], [1]]  # b joins the first of a's two, as pairs would
