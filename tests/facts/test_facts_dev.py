"""Fact rules found on the dev corpus (tests/gold/dev_facts), each tested on our own sentences.

Entity mentions are written by hand so these tests check the fact rules, not the model.
"""

from __future__ import annotations

import re

import pytest

from recap_nlp.facts import extract_facts
from recap_nlp.records import Document, FactMention, Mention, SentenceSpan


def _facts(
    text: str, published: str = "", names: dict[str, str] | None = None, split: str = ""
) -> list[FactMention]:
    """Facts of ``text``; ``names`` maps entity text to label; ``split`` cuts a sentence there."""
    doc = Document("d", text, "p", "txt", "x", published=published)
    mentions = [
        Mention("d", m.start(), m.end(), name, label, "", 0, "hand", canonical=name)  # type: ignore[arg-type]
        for name, label in (names or {}).items()
        for m in re.finditer(re.escape(name), text)
    ]
    sentences: list[SentenceSpan] = []
    if split:
        cut = text.index(split)
        sentences = [
            SentenceSpan("d", 0, cut, text[:cut]),
            SentenceSpan("d", cut, len(text), text[cut:]),
        ]
    return extract_facts(doc, sentences, sorted(mentions, key=lambda m: m.start))


def _values(facts: list[FactMention], attribute: str) -> list[str]:
    return [f.value for f in facts if f.attribute == attribute]


@pytest.mark.parametrize(
    ("sentence", "attribute", "value"),
    [
        # A delegation counted in companies is still the delegation's size.
        (
            "Notre délégation de 12 entreprises a fait le voyage jusqu'à Lille.",
            "delegation_size",
            "12",
        ),
        ("Une délégation forte de 30 sociétés a rejoint Dakar.", "delegation_size", "30"),
        # Members and business heads travelling on a mission are the delegation.
        (
            "Une quarantaine d'adhérents ont pris part à la mission au Québec.",
            "delegation_size",
            "40",
        ),
        ("Nous étions 35 chefs d'entreprise à faire le déplacement.", "delegation_size", "35"),
        # Visitors are an event's audience, never a delegation, even near a trip word.
        ("Le groupe a croisé 20 000 visiteurs au salon.", "participants", "20000"),
    ],
)
def test_count_attributes(sentence: str, attribute: str, value: str) -> None:
    facts = _facts(sentence)
    assert _values(facts, attribute) == [value]


def test_audience_counts_join_the_visited_event_not_the_trip() -> None:
    text = "Notre délégation a découvert les 1 200 exposants et 80 000 visiteurs du salon."
    by_attribute = {f.attribute: f.event_hint for f in _facts(text)}
    assert by_attribute == {"exhibitors": "salon", "participants": "salon"}


def test_approximate_lower_bound_keeps_its_fuzz() -> None:
    (size,) = _facts("Pas moins d'une cinquantaine d'adhérents ont participé à la mission.")
    assert (size.attribute, size.value, size.value_min, size.value_max) == (
        "delegation_size",
        "50",
        "38",
        "",
    )


def test_organiser_after_initiative_phrase_and_common_noun() -> None:
    text = "Le colloque s'est tenu à Lyon, à l'initiative de l'association Réseau Villes Vertes."
    assert _values(_facts(text), "organiser") == ["Réseau Villes Vertes"]


def test_organiser_name_split_by_the_sentence_model_is_rejoined() -> None:
    text = "Le forum a eu lieu à l'initiative de la fédération Cap Sud Export."
    facts = _facts(text, split="Cap Sud")
    assert _values(facts, "organiser") == ["Cap Sud Export"]


def test_organisation_fragment_mention_does_not_shorten_the_name() -> None:
    text = "La mission était organisée par la CCI Grand Est Export, avec nos partenaires."
    facts = _facts(text, names={"CCI": "ORG"})
    assert _values(facts, "organiser") == ["CCI Grand Est Export"]


def test_sponsor_list_ends_at_a_comma_before_a_clause() -> None:
    text = "Menée avec l'appui de la CCI Martinique, cette mission a déjà porté ses fruits."
    assert _values(_facts(text), "sponsor") == ["CCI Martinique"]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # The venue of a dated event: "à Brest" in a sentence dating a forum.
        (
            "Le forum du 12 mars dernier à Brest a réuni 80 participants.",
            {"Brest": "CITY"},
            ["Brest"],
        ),
        # A venue verb in another form than the cue list had ("accueillait").
        ("Les 3 et 4 octobre, Dijon accueillait le congrès.", {"Dijon": "CITY"}, ["Dijon"]),
        # "à Québec" with no date and no travel word: not a place visited.
        (
            "Elle a piloté les délégations à Québec pendant la Semaine numérique.",
            {"Québec": "CITY"},
            [],
        ),
    ],
)
def test_event_places(text: str, names: dict[str, str], expected: list[str]) -> None:
    assert _values(_facts(text, "2024-04-02", names), "city") == expected


def test_relative_weekday_is_a_dated_event() -> None:
    (date,) = [
        f
        for f in _facts("Mardi dernier, la journée régionale a réuni 60 personnes.", "2024-01-11")
        if f.attribute == "date"
    ]
    assert (date.value_min, date.value_max, date.event_hint) == (
        "2024-01-09",
        "2024-01-09",
        "journée",
    )
