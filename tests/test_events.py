"""Tests of event resolution across posts (seed missions of 2017 and 2018)."""

from __future__ import annotations

import dataclasses

from recap_nlp.events import resolve_events
from recap_nlp.facts import extract_facts
from recap_nlp.records import Document, Event, FactMention
from tests.test_facts import hand_mentions, seed_doc


def seed_run(
    prefixes: tuple[str, ...] = ("000", "001", "002", "003", "004"),
) -> tuple[list[Document], list[Event], list[FactMention]]:
    docs = [seed_doc(p, "2017-06-26" if p == "002" else "") for p in prefixes]
    facts = [f for d in docs for f in extract_facts(d, [], hand_mentions(d))]
    events, stamped = resolve_events(facts, docs)
    return docs, events, stamped


def missions(events: list[Event]) -> list[Event]:
    return [e for e in events if e.kind == "mission"]


def test_two_missions_resolved_apart() -> None:
    _, events, _ = seed_run()
    got = [(e.start_date, e.end_date, len(e.doc_ids)) for e in missions(events)]
    assert got == [("2017-06-03", "2017-06-11", 2), ("2018-06-09", "2018-06-17", 1)]
    (m2017, m2018) = missions(events)
    assert m2017.cities == m2018.cities == ("Angers", "Nantes")
    assert m2017.doc_ids == ("001_69ef9b9c2667ea03", "002_d5d32f04412ff4de")


def test_every_fact_gets_a_known_event_and_ids_are_deterministic() -> None:
    _, events, stamped = seed_run()
    ids = {e.event_id for e in events}
    assert all(f.event_id in ids for f in stamped)
    assert [e.event_id for e in events] == sorted(ids)
    _, again, _ = seed_run(("004", "002", "001", "000", "003"))
    assert [e.event_id for e in again] == [e.event_id for e in events]


def test_delegation_counts_join_their_mission() -> None:
    _, events, stamped = seed_run()
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
