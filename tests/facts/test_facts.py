"""Tests of fact extraction on the seed posts, with entity mentions written by hand."""

from __future__ import annotations

import re

import pytest

from recap_nlp.facts import extract_facts
from recap_nlp.records import Document, FactMention, Mention
from tests.conftest import REPO

CORPUS = REPO / "corpus"
# The few entities the tests need, as the entity stage would label them.
ENTITIES = {
    "Angers": "CITY",
    "Nantes": "CITY",
    "Québec": "CITY",
    "Paris": "CITY",
    "Web2Day": "EVENT",
    "Web2day": "EVENT",
    "Semaine numérique de Québec": "EVENT",
    "Web à Québec": "EVENT",
    "Québec numérique": "ORG",
    "Martin Boivin": "PER",
    "Claudine Beaudoin": "PER",
    "Samiha Hazgui": "PER",
    "Christine Desroches": "PER",
}


def seed_doc(prefix: str, published: str = "") -> Document:
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    return Document(
        doc_id=path.stem,
        text=path.read_text(encoding="utf-8"),
        source_path=str(path),
        format="txt",
        content_hash="x",
        published=published,
    )


def hand_mentions(doc: Document) -> list[Mention]:
    found: list[Mention] = []
    for name in sorted(ENTITIES, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", doc.text):
            if any(m.start() < x.end and x.start < m.end() for x in found):
                continue
            found.append(
                Mention(
                    doc.doc_id,
                    m.start(),
                    m.end(),
                    name,
                    ENTITIES[name],
                    "",
                    0,
                    "hand",
                    canonical="Web2Day" if name == "Web2day" else name,
                )
            )
    return sorted(found, key=lambda x: x.start)


def facts_of(prefix: str, attribute: str, published: str = "") -> list[FactMention]:
    doc = seed_doc(prefix, published)
    return [f for f in extract_facts(doc, [], hand_mentions(doc)) if f.attribute == attribute]


def test_2018_mission_dates_and_team_added_delegation() -> None:
    (date,) = [f for f in facts_of("000", "date") if f.event_hint == "mission"]
    assert (date.value_min, date.value_max, date.precision) == ("2018-06-09", "2018-06-17", "day")
    (size,) = facts_of("000", "delegation_size")
    # près d'une vingtaine (15..20) + moi-même + 4 named people = 25 (20..25).
    assert (size.value, size.value_min, size.value_max) == ("25", "20", "25")
    assert size.precision == "approximate" and "équipe de 5" in size.note
    assert size.event_hint == "mission"


def test_2017_recaps_counts_and_years() -> None:
    (size_a,) = facts_of("001", "delegation_size")
    (size_b,) = facts_of("002", "delegation_size", published="2017-06-26")
    assert (size_a.value, size_a.precision) == ("27", "exact")
    assert (size_b.value, size_b.precision) == ("28", "exact")
    assert "27 Québécois" in size_a.sentence and "28 Québécois" in size_b.sentence
    (date_a,) = [f for f in facts_of("001", "date") if f.event_hint == "mission"]
    (date_b,) = [f for f in facts_of("002", "date", "2017-06-26") if f.event_hint == "mission"]
    assert (date_a.value_min, date_a.value_max) == ("2017-06-03", "2017-06-11")
    assert (date_b.value_min, date_b.value_max) == ("2017-06-03", "2017-06-11")
    assert "nearby" in date_a.note and "publication" in date_b.note


def test_publication_line_from_text_is_not_an_event_date() -> None:
    values = [f.value for f in facts_of("002", "date")]
    assert "2017-06-26" not in values and "2017-06-03" in values


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_nothing_spurious_counted(prefix: str) -> None:
    counts = [
        f for attribute in ("delegation_size", "participants") for f in facts_of(prefix, attribute)
    ]
    values = {f.value for f in counts}
    assert not values & {"10", "150000", "2018", "2014", "14"}


def test_organiser_and_sponsors() -> None:
    (organiser,) = facts_of("000", "organiser")
    assert organiser.value == "Québec numérique"
    sponsors = [f.value for f in facts_of("000", "sponsor")]
    assert sponsors == [
        "Fond Franco-Québécois pour la Coopération Décentralisé (FFQCD)",
        "Offices jeunesse internationaux du Québec (LOJIQ)",
    ]
    assert [f.value for f in facts_of("001", "organiser")] == ["Québec numérique"]


def test_cities_visited_not_landmarks() -> None:
    assert sorted(f.value for f in facts_of("002", "city")) == ["Angers", "Nantes"]
    assert sorted(f.value for f in facts_of("000", "city")) == ["Angers", "Nantes"]


def test_exhibitors_counted() -> None:
    (exhibitors,) = facts_of("004", "exhibitors")
    assert (exhibitors.value, exhibitors.precision) == ("15", "approximate")


def test_fact_ids_are_stable_and_quotes_hold_offsets() -> None:
    doc = seed_doc("001")
    first = extract_facts(doc, [], hand_mentions(doc))
    assert first == extract_facts(doc, [], hand_mentions(doc))
    for fact in first:
        assert fact.fact_id == f"{doc.doc_id}:{fact.attribute}:{fact.start}"
        assert doc.text[fact.start : fact.end] in fact.sentence


def test_duration_is_not_a_headcount() -> None:
    doc = Document(
        "d", "Une mission d’une dizaine de jours avec vingt participants.", "p", "txt", "x"
    )
    (fact,) = extract_facts(doc, [], [])
    assert (fact.attribute, fact.value) == ("delegation_size", "20")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Du 3 au 11 juin, une délégation a participé à une mission en France.", "mission"),
        ("Des citoyens ayant en commun la mission de rassembler la communauté.", ""),
        ("Notre mission d’accompagner les entreprises reste la même.", ""),
        ("La mission de 2019 nous a menés à Lyon.", "mission"),
    ],
)
def test_trip_word_is_a_trip_not_a_purpose(sentence: str, expected: str) -> None:
    from recap_nlp.facts.fact_context import trip_word
    from recap_nlp.records import SentenceSpan

    assert trip_word(SentenceSpan("d", 0, len(sentence), sentence)) == expected


def _city_values(text: str, cities: list[str]) -> list[tuple[str, str]]:
    doc = Document("q", text, "q.txt", "txt", "x", published="2023-07-10")
    mentions = [
        Mention("q", m.start(), m.end(), name, "CITY", "", 0, "hand")
        for name in cities
        for m in re.finditer(re.escape(name), text)
    ]
    facts = extract_facts(doc, [], sorted(mentions, key=lambda m: m.start))
    return [(f.value, f.note) for f in facts if f.attribute == "city"]


@pytest.mark.parametrize(
    ("text", "city", "expected"),
    [
        # The old quarter of a large city, after an article: the visit is in that city.
        (
            "Pendant notre séjour, nous avons visité le Vieux-Lyon.",
            "Vieux-Lyon",
            [("Lyon", "lieu visité (Vieux-Lyon)")],
        ),
        (
            "Lors de notre visite du Vieux-Nice, il faisait beau.",
            "Vieux-Nice",
            [("Nice", "lieu visité (Vieux-Nice)")],
        ),
        # A commune of that form, without article, stays itself.
        (
            "Pendant notre séjour à Vieille-Toulouse, il a plu.",
            "Vieille-Toulouse",
            [("Vieille-Toulouse", "lieu visité")],
        ),
    ],
)
def test_old_quarter_places_the_visit_in_its_city(
    text: str, city: str, expected: list[tuple[str, str]]
) -> None:
    assert _city_values(text, [city]) == expected


def _participants(text: str) -> list[tuple[str, str, str, str]]:
    doc = Document("l", text, "l.md", "md", "x", published="2023-07-10")
    facts = extract_facts(doc, [], [])
    return [
        (f.value, f.value_min, f.value_max, f.extractor)
        for f in facts
        if f.attribute == "participants"
    ]


# A list as the Markdown reader leaves it: each link line under a name blanked to spaces.
_BLANKED = " " * 40
ATTENDEES = (
    "Belle soirée au club de lecture.\n\nVoici les présents de la soirée :\n\n"
    f"Anne\n{_BLANKED}\n   Toujours fidèle au poste.\n\n"
    f"Marc Petit\n{_BLANKED}\n   Venu de loin pour parler de polars.\n\n"
    f"Léa B.\n{_BLANKED}\n   Première fois parmi nous !\n\n"
    "Merci à tous et à la prochaine fois, nous parlerons de romans historiques.\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ATTENDEES, [("3", "3", "", "attendee_list")]),
        (
            "Voilà la liste des inscrits :\n\n- Paul\n- Zoé Martin\n- Karim\n- Inès\n\nÀ bientôt.",
            [("4", "4", "", "attendee_list")],
        ),
        # Two names only: too short a list to count.
        ("Voici les présents :\n\nAnne\n\nMarc\n\nÀ bientôt, on se revoit en septembre.", []),
        # The intro is followed by prose, not by names.
        (
            "Voici les participants qui ont répondu au sondage de l'été :\n\n"
            "La plupart ont aimé le lieu et souhaitent revenir l'an prochain.",
            [],
        ),
    ],
)
def test_attendee_list_is_a_minimum_headcount(
    text: str, expected: list[tuple[str, str, str, str]]
) -> None:
    assert _participants(text) == expected


def _venue_cities(text: str, orgs: list[str]) -> list[tuple[str, str]]:
    doc = Document("v", text, "v.txt", "txt", "x", published="2023-07-10")
    mentions = [
        Mention("v", m.start(), m.end(), name, "ORG", "", 0, "hand")
        for name in orgs
        for m in re.finditer(re.escape(name), text)
    ]
    facts = extract_facts(doc, [], sorted(mentions, key=lambda m: m.start))
    return [(f.value, f.note) for f in facts if f.attribute == "city"]


@pytest.mark.parametrize(
    ("text", "org", "expected"),
    [
        # A venue whose name ends with its town, in a sentence of hosting: the town.
        (
            "Le hackathon a pu accueillir quarante équipes au Campus Numérique Nantes.",
            "Campus Numérique Nantes",
            [("Nantes", "lieu visité (Campus Numérique Nantes)")],
        ),
        # Not a venue noun: a company named after a town gives no town.
        (
            "Le hackathon a pu accueillir quarante équipes chez Groupe Nantes.",
            "Groupe Nantes",
            [],
        ),
        # A venue without a hosting or travel word: no town either.
        ("Le Campus Numérique Nantes recrute des formateurs.", "Campus Numérique Nantes", []),
    ],
)
def test_venue_name_gives_its_town(text: str, org: str, expected: list[tuple[str, str]]) -> None:
    assert _venue_cities(text, [org]) == expected
