"""Tests of reconciliation: agreement, compatibility, conflicts, copies and source roles."""

from __future__ import annotations

import dataclasses

from recap_nlp.facts.reconcile import compatible, copied_passages, reconcile, source_role
from recap_nlp.records import Conflict, Copy, Document, Event, FactMention
from tests.facts.test_events import missions, seed_events


def test_seed_delegation_conflict_27_vs_28_with_both_quotes() -> None:
    docs, events, facts = seed_events()
    m2017 = missions(events)[0]
    conflicts = reconcile(events, facts, docs)
    (size,) = [
        c for c in conflicts if c.event_id == m2017.event_id and c.attribute == "delegation_size"
    ]
    assert sorted(size.values) == ["27", "28"]
    # The post saying 27 quotes the other as "un autre résumé que j'ai publié": one author,
    # one independent source; it speaks as the organiser and was written later.
    assert (size.status, size.chosen) == ("conflict", "27")
    assert size.reason.startswith("organiser's own account (001_")
    assert "posts by one author counted once" in size.reason
    assert size.basis == (
        "2 posts, 1 independent source (posts by one author counted once): organiser's post, later"
    )
    assert any("27 Québécois" in q for q in size.quotes)
    assert any("28 Québécois" in q for q in size.quotes)
    (dates,) = [c for c in conflicts if c.event_id == m2017.event_id and c.attribute == "date"]
    assert dates.status == "agree" and dates.chosen == "2017-06-03..2017-06-11"
    agreement = _one([_count("a", 27), _count("b", 27)], [_doc("a"), _doc("b")])
    assert agreement.status == "agree" and size.confidence < agreement.confidence


def test_no_conflict_across_editions() -> None:
    docs, events, facts = seed_events()
    for conflict in reconcile(events, facts, docs):
        assert conflict.status != "conflict" or len(set(conflict.values)) > 1
        years = {v[:4] for v in conflict.values if conflict.attribute == "date"}
        assert len(years) <= 1
    m2018 = missions(events)[1]
    sizes = [
        c
        for c in reconcile(events, facts, docs)
        if c.event_id == m2018.event_id and c.attribute == "delegation_size"
    ]
    assert [c.status for c in sizes] == ["single"] and sizes[0].confidence <= 0.6


def test_seed_copied_passage_found() -> None:
    docs, _, _ = seed_events()
    pairs = {(c.doc_a[:3], c.doc_b[:3]) for c in copied_passages(docs)}
    assert pairs == {("001", "002")}
    assert any(
        "On revient nécessairement grandi" in p or "Découverte d’une autre culture" in p
        for p in (c.passage for c in copied_passages(docs))
    )


def _count(
    doc_id: str, value: int, lo: int | None = None, hi: int | None = None, sentence: str = ""
) -> FactMention:
    approx = lo is not None
    return FactMention(
        f"{doc_id}:participants:0",
        doc_id,
        "participants",
        str(value),
        str(lo if approx else value),
        str(hi if approx else value),
        "approximate" if approx else "exact",
        0,
        2,
        sentence or f"{value} participants",
        "t",
        event_id="e",
    )


def _doc(doc_id: str, text: str = "Texte.") -> Document:
    return Document(doc_id, text, "p", "txt", "x")


def _one(facts: list[FactMention], docs: list[Document]) -> Conflict:
    event = Event("e", "e", "mission", "", "", (), "", (), 0)
    (conflict,) = reconcile([event], facts, docs)
    return conflict


def test_approximate_range_containing_exact_is_compatible() -> None:
    conflict = _one([_count("a", 20, 15, 25), _count("b", 22)], [_doc("a"), _doc("b")])
    assert (conflict.status, conflict.chosen) == ("compatible", "22")
    assert "most specific" in conflict.reason


def test_majority_of_independent_sources() -> None:
    facts = [_count("a", 40), _count("b", 40), _count("c", 45)]
    conflict = _one(facts, [_doc("a"), _doc("b"), _doc("c")])
    assert (conflict.status, conflict.chosen) == ("conflict", "40")
    assert "majority" in conflict.reason


def test_copied_value_counts_once() -> None:
    passage = (
        "Au total, quarante participants venus de partout ont pris part à cette mission "
        "mémorable organisée au printemps dernier à Lyon."
    )
    docs = [
        _doc("a", passage),
        _doc("b", "Comme le disait l’autre : « " + passage + " »"),
        _doc("c", "Texte sans rapport."),
    ]
    facts = [_count("a", 40, sentence=passage), _count("b", 40, sentence=passage), _count("c", 45)]
    conflict = _one(facts, docs)
    assert conflict.status == "unresolved"  # 1 source vs 1 source, once the copy is merged
    assert "copied" in conflict.reason


def test_organiser_over_participant() -> None:
    docs = [
        _doc("a", "J’étais fière d’être à la tête d’une organisation qui rendait ça possible."),
        _doc("b", "J’ai vécu ma première mission."),
    ]
    conflict = _one([_count("a", 27), _count("b", 28)], docs)
    assert (conflict.chosen, conflict.status) == ("27", "conflict")
    assert "organiser" in conflict.reason
    assert source_role(docs[1]) == "participant"


def test_single_source_is_not_certain() -> None:
    conflict = _one([_count("a", 27)], [_doc("a")])
    assert conflict.status == "single" and conflict.confidence <= 0.6


def test_compatible_relation() -> None:
    assert compatible(_count("a", 20, 15, 20), _count("b", 18))
    assert not compatible(_count("a", 27), _count("b", 28))


def test_a_passage_copied_by_many_posts_pairs_each_with_the_first() -> None:
    shared = "Du 3 au 11 juin, une délégation de 27 Québécois a visité Angers et Nantes en mission."
    docs = [
        Document(f"p{i}", f"Billet {i} sur la mission.\n{shared}\nMerci!", "p", "txt", f"h{i}")
        for i in range(4)
    ]
    copies = copied_passages(docs)
    assert copies == [Copy("p0", f"p{i}", shared) for i in (1, 2, 3)]


def test_a_count_repeated_in_copies_counts_once() -> None:
    shared = "Au final, une délégation de 27 Québécois a participé à la mission cette année-là."
    docs = [Document(f"p{i}", f"Intro {i}.\n{shared}", "p", "txt", f"h{i}") for i in range(3)]
    facts = [_count(f"p{i}", 27, sentence=shared) for i in range(3)] + [
        _count("q", 28, sentence="Nous étions 28 au total.")
    ]
    conflict = _one(facts, [*docs, _doc("q", "Nous étions 28 au total.")])
    assert "counted once" in conflict.reason
    assert conflict.status == "unresolved"


def _date(doc_id: str, lo: str, hi: str, start: int = 0) -> FactMention:
    precision = "day" if len(lo) == 10 else "month"
    return FactMention(
        f"{doc_id}:date:{start}",
        doc_id,
        "date",
        lo,
        lo,
        hi,
        precision,
        start,
        start + 2,
        "q",
        "t",
        event_id="e",
    )


def test_two_day_ranges_that_differ_conflict_but_a_day_inside_a_range_does_not() -> None:
    assert not compatible(
        _date("a", "2024-11-03", "2024-11-09"), _date("b", "2024-11-04", "2024-11-09")
    )
    assert compatible(
        _date("a", "2024-11-05", "2024-11-05"), _date("b", "2024-11-04", "2024-11-09")
    )
    assert compatible(_date("a", "2024-11", "2024-11"), _date("b", "2024-11-04", "2024-11-09"))


def test_organiser_post_decides_on_its_most_specific_date() -> None:
    # Post a (the organiser) says "début novembre" and "du 4 au 9"; b (a participant) "du 3 au 9".
    docs = [
        _doc("a", "Notre organisation a mené la mission."),
        _doc("b", "J’ai pris part à la mission."),
    ]
    facts = [
        _date("a", "2024-11", "2024-11"),
        _date("a", "2024-11-04", "2024-11-09", 40),
        _date("b", "2024-11-03", "2024-11-09"),
    ]
    conflict = _one(facts, docs)
    assert (conflict.status, conflict.chosen) == ("conflict", "2024-11-04..2024-11-09")
    assert "organiser" in conflict.reason


def test_a_vague_value_does_not_win_a_majority_over_sharper_claims() -> None:
    facts = [
        _date("a", "2024-11", "2024-11"),
        _date("a", "2024-11-04", "2024-11-09", 40),
        _date("b", "2024-11-03", "2024-11-09"),
    ]
    conflict = _one(facts, [_doc("a"), _doc("b")])
    assert (conflict.status, conflict.chosen) == ("unresolved", "")


def test_majority_of_two_compatible_wordings_chooses_the_sharper() -> None:
    # "plus de 165 000" and "165 000" back each other against "près de 160 000".
    more = dataclasses.replace(_count("a", 165000), value_max="", precision="approximate")
    facts = [more, _count("b", 165000), _count("c", 160000, 120000, 160000)]
    conflict = _one(facts, [_doc("a"), _doc("b"), _doc("c")])
    assert (conflict.status, conflict.chosen) == ("conflict", "165000")
    assert "majority" in conflict.reason


def test_organisers_named_differently_by_three_posts_do_not_crash_the_majority_rule() -> None:
    def organiser(doc_id: str, name: str) -> FactMention:
        return dataclasses.replace(
            _count(doc_id, 0),
            attribute="organiser",
            value=name,
            value_min="",
            value_max="",
            precision="name",
            fact_id=f"{doc_id}:organiser:0",
        )

    facts = [
        organiser("a", "Valérie Tremblay (Mila)"),
        organiser("b", "Ivado"),
        organiser("c", "Ivado"),
    ]
    conflict = _one(facts, [_doc("a"), _doc("b"), _doc("c")])
    assert (conflict.status, conflict.chosen) == ("conflict", "Ivado")
    assert "majority" in conflict.reason
