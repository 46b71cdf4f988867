"""Canonical entities across posts, on hand-built mentions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from recap_nlp.entities import canonicalize
from recap_nlp.entities.canonical import fold
from recap_nlp.records import Mention


def mention(
    doc: str, text: str, label: str, start: int = 0, sentence: str = "", src: str = "model"
) -> Mention:
    sentence = sentence or text
    return Mention(
        doc,
        start,
        start + len(text),
        text,
        label,
        sentence,
        start - sentence.find(text) if sentence.find(text) >= 0 else start,
        src,
    )  # type: ignore[arg-type]


def in_sentence(doc: str, sentence: str, text: str, label: str, nth: int = 0) -> Mention:
    """A mention of ``text`` inside ``sentence`` (the sentence starts at offset 0)."""
    start = -1
    for _ in range(nth + 1):
        start = sentence.index(text, start + 1)
    return Mention(doc, start, start + len(text), text, label, sentence, 0, "model")  # type: ignore[arg-type]


def canon(mentions: list[Mention]) -> dict[tuple[str, str], str]:
    _, filled = canonicalize(mentions)
    return {(m.doc_id, m.text): m.canonical for m in filled}


def test_acronym_in_brackets_joins_the_acronym_elsewhere() -> None:
    s = "un événement qui se compare au Web à Québec (WAQ)."
    got = canon(
        [
            in_sentence("a", s, "Web à Québec", "EVENT"),
            in_sentence("a", s, "WAQ", "ORG"),
            mention("b", "WAQ", "ORG"),
            mention("c", "Web à Québec 2014", "EVENT"),
        ]
    )
    assert set(got.values()) == {"Web à Québec"}


def test_acronym_letters_must_match() -> None:
    s = "la technologie des Scènes ouvertes (SAT), trois lieux"
    got = canon([in_sentence("a", s, "Scènes ouvertes", "ORG"), in_sentence("a", s, "SAT", "ORG")])
    assert got[("a", "SAT")] == "SAT"


def test_spelling_variants_by_case() -> None:
    got = canon(
        [
            mention("a", "Web2day", "EVENT"),
            mention("b", "Web2Day", "EVENT"),
            mention("c", "Web2Day", "EVENT"),
        ]
    )
    assert set(got.values()) == {"Web2Day"}
    got = canon([mention("a", "Québec numérique", "ORG"), mention("b", "Québec Numérique", "ORG")])
    assert len(set(got.values())) == 1


def test_first_name_resolved_in_the_same_post() -> None:
    s = "Pour moi et Martin Boivin, puis Martin."
    got = canon(
        [
            in_sentence("a", s, "Martin Boivin", "PER"),
            in_sentence("a", s, "Martin", "PER", nth=1),
            mention("b", "Martin Duguay", "PER"),
        ]
    )
    assert got[("a", "Martin")] == "Martin Boivin"
    assert got[("b", "Martin Duguay")] == "Martin Duguay"


def test_two_different_martins_elsewhere_are_left_apart() -> None:
    got = canon(
        [
            mention("a", "Martin Boivin", "PER"),
            mention("b", "Martin Duguay", "PER"),
            mention("c", "Martin", "PER"),
        ]
    )
    assert got[("c", "Martin")] == "Martin"


def test_first_name_resolves_across_posts_of_the_same_event() -> None:
    ms = [mention("a", "Mathieu Laferrière", "PER"), mention("b", "Mathieu", "PER")]
    _, filled = canonicalize(ms, {"a": "forum php|2018", "b": "forum php|2018"})
    assert {m.doc_id: m.canonical for m in filled}["b"] == "Mathieu Laferrière"


def test_first_name_stays_as_written_across_posts_of_other_events() -> None:
    ms = [mention("a", "Mathieu Laferrière", "PER"), mention("b", "Mathieu", "PER")]
    for events in ({}, {"a": "forum php|2018", "b": "forum php|2019"}, {"a": "x|2018", "b": ""}):
        _, filled = canonicalize(ms, events)
        assert {m.doc_id: m.canonical for m in filled}["b"] == "Mathieu"


def test_organisation_prefix_still_resolves_across_posts() -> None:
    got = canon(
        [
            mention("a", "Semaine numérique de Québec", "EVENT"),
            mention("b", "Semaine numérique", "EVENT"),
        ]
    )
    assert got[("b", "Semaine numérique")] == "Semaine numérique de Québec"


def test_leading_article_is_folded() -> None:
    got = canon(
        [mention("a", "la Angers French Tech", "ORG"), mention("b", "Angers French Tech", "ORG")]
    )
    assert set(got.values()) == {"Angers French Tech"}


def test_quoted_apposition_is_an_alias() -> None:
    s = "pour participer au « Digital SpringBreak», le Web2Day."
    got = canon(
        [
            in_sentence("a", s, "Digital SpringBreak", "ORG"),
            in_sentence("a", s, "Web2Day", "EVENT"),
            mention("b", "Web2Day", "EVENT"),
        ]
    )
    assert got[("a", "Digital SpringBreak")] == "Web2Day"


def test_a_plain_list_is_not_an_apposition() -> None:
    s = "la Wise'Factory, la Cité de l'objet connecté"
    got = canon(
        [
            in_sentence("a", s, "Wise'Factory", "ORG"),
            in_sentence("a", s, "Cité de l'objet connecté", "ORG"),
        ]
    )
    assert got[("a", "Wise'Factory")] == "Wise'Factory"


def test_label_vote_prefers_cue_rules() -> None:
    ms = [
        Mention("a", 0, 8, "Jolifish", "PER", "Jolifish", 0, "model"),
        Mention("b", 0, 8, "Jolifish", "ORG", "Jolifish", 0, "cue"),
    ]
    entities, filled = canonicalize(ms)
    assert [e.label for e in entities] == ["ORG"]
    assert {m.label for m in filled} == {"ORG"}


def test_city_and_province_stay_apart() -> None:
    entities, _ = canonicalize([mention("a", "Québec", "CITY"), mention("a", "Québec", "LOC")])
    assert sorted(e.label for e in entities) == ["CITY", "LOC"]


def test_near_spellings_join() -> None:
    got = canon(
        [
            mention("a", "Coopérative numérique de Lévis", "ORG"),
            mention("b", "Cooperative numerique de Levis", "ORG"),
        ]
    )
    assert len(set(got.values())) == 1


def test_ids_are_stable_and_sorted() -> None:
    ms = [
        mention("a", "Nantes", "CITY"),
        mention("b", "Angers", "CITY"),
        mention("a", "Angers", "CITY"),
    ]
    first, _ = canonicalize(ms)
    second, _ = canonicalize(list(reversed(ms)))
    assert first == second
    assert [e.entity_id for e in first] == sorted(e.entity_id for e in first)


@given(st.text(min_size=1, max_size=30))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
