"""Each post's main event, read from its title or opening (sentences written for these tests)."""

from __future__ import annotations

import re

import pytest

from recap_nlp.facts import extract_facts
from recap_nlp.facts.events import resolve_events
from recap_nlp.facts.fact_context import make_context
from recap_nlp.facts.main_event import main_event_facts
from recap_nlp.records import Document, FactMention, Mention


def post(
    text: str, title: str = "", published: str = "", doc_id: str = "p", labels: dict | None = None
) -> tuple[Document, list[Mention]]:
    doc = Document(doc_id, text, f"{doc_id}.md", "md", "x", title=title, published=published)
    mentions = []
    for name, label in (labels or {}).items():
        for found in re.finditer(re.escape(name), text):
            mentions.append(
                Mention(doc_id, found.start(), found.end(), name, label, text, 0, "test", name)
            )
    return doc, mentions


def main_of(text: str, title: str = "", **kwargs: object) -> dict[str, list[FactMention]]:
    doc, mentions = post(text, title, **kwargs)  # type: ignore[arg-type]
    found: dict[str, list[FactMention]] = {}
    for fact in main_event_facts(make_context(doc, [], mentions)):
        found.setdefault(fact.attribute, []).append(fact)
    return found


@pytest.mark.parametrize(
    ("title", "written", "series", "year", "city"),
    [
        (
            "Retour sur le Forum Numérix 2019 (Lyon)",
            "Forum Numérix 2019",
            "Forum Numérix",
            "2019",
            "Lyon",
        ),
        ("DevCamp Paris 2018", "DevCamp Paris 2018", "DevCamp", "2018", "Paris"),
        ("Codefest 2017 - Jour 2", "Codefest 2017", "Codefest", "2017", ""),
        (
            "Fête des jardins 2022 à Nantes",
            "Fête des jardins 2022 à Nantes",
            "Fête des jardins",
            "2022",
            "Nantes",
        ),
        (
            "Congrès de Mobilité Bordeaux",
            "Congrès de Mobilité Bordeaux",
            "Congrès de Mobilité Bordeaux",
            "",
            "Bordeaux",
        ),
        ("Marche fleurie à Lille", "Marche fleurie à Lille", "Marche de Lille", "", "Lille"),
    ],
)
def test_title_gives_name_series_year_and_town(
    title: str, written: str, series: str, year: str, city: str
) -> None:
    found = main_of("Une belle journée pour tout le monde.", title)
    main = found["main_event"][0]
    assert (main.value, main.value_min, main.value_max) == (written, series, year)
    assert [f.value for f in found.get("city", [])] == ([city] if city else [])


@pytest.mark.parametrize(
    "title",
    [
        "Tout savoir sur l'édition 2 !",  # a generic noun with a number
        "Journée 2021",  # a generic noun with a year
        "Retour sur notre mission en France",  # a possessive and a place
        "Douces soirées d'été",  # no event at all
    ],
)
def test_generic_titles_name_no_event(title: str) -> None:
    assert main_of("Nous avons passé un bon moment ensemble.", title) == {}


def test_edition_number_in_the_title_or_the_opening() -> None:
    assert (
        main_of("Trois soirs de concerts.", "Sonora : les 15èmes rencontres")["edition_number"][
            0
        ].value
        == "15"
    )
    opening = (
        "La quatrième édition du Salon Bois et Forêt qui s'est tenue à Nancy a réuni de "
        "nombreux artisans venus de toute la région pour trois jours."
    )
    found = main_of(opening, "Un beau week-end", labels={"Nancy": "CITY"})
    assert found["main_event"][0].value_min == "Salon Bois et Forêt"
    assert found["edition_number"][0].value == "4"
    assert [f.value for f in found["city"]] == ["Nancy"]


def test_first_edition_from_an_ordinal_before_an_event_noun() -> None:
    opening = (
        "À l'occasion du premier marché numérique organisé par la communauté, nous avons "
        "rencontré sa directrice pour parler des projets à venir."
    )
    found = main_of(opening, "[Entretien] Une communauté qui bouge")
    assert found["main_event"][0].value == "marché numérique"
    assert found["main_event"][0].post_kind == "interview"
    assert found["edition_number"][0].value == "1"


def test_an_authors_second_time_is_not_the_edition_number() -> None:
    found = main_of("Pour ma deuxième édition, j'ai suivi des ateliers.", "Codefest 2017")
    assert "edition_number" not in found


def test_city_from_an_adjective_or_the_town_hall() -> None:
    found = main_of(
        "Cette semaine avait lieu la conférence lyonnaise la plus attendue.", "Codefest 2017"
    )
    assert [f.value for f in found["city"]] == ["Lyon"]
    text = "La Fête du jeu se déroulera samedi, organisée par la mairie de Pau, sur la place."
    found = main_of(text, "Fête du jeu", labels={"Pau": "CITY"})
    assert [f.value for f in found["city"]] == ["Pau"]
    assert found["main_event"][0].post_kind == "announcement"


def test_a_word_the_text_calls_an_event() -> None:
    found = main_of(
        "Hier soir, c'était rencontre Bloguons, comme chaque mois.", "Grand vent pour Bloguons"
    )
    assert found["main_event"][0].value_min == "Bloguons"


def test_a_trip_visiting_an_event_keeps_the_trip() -> None:
    text = "Du 3 au 9 mai, notre délégation a fait une mission au Salon Vert de Lille."
    assert main_of(text, "Notre mission", labels={"Salon Vert": "EVENT"}) == {}


def run(*posts: tuple[str, str, str]) -> tuple[list, list[FactMention]]:
    docs, facts = [], []
    for index, (title, text, published) in enumerate(posts):
        doc, mentions = post(text, title, published, doc_id=f"p{index}")
        docs.append(doc)
        facts += extract_facts(doc, [], mentions)
    return resolve_events(facts, docs)


def test_year_less_dates_and_counts_go_to_the_main_event() -> None:
    events, facts = run(
        (
            "Retour sur le Festival Sonora 2021",
            "Le festival s'est tenu les 3 et 4 décembre derniers. Au total, 45 000 "
            "festivaliers sont venus, dont 12 000 spectateurs le samedi. L'an dernier, "
            "40 000 festivaliers étaient venus.",
            "2021-12-10",
        ),
    )
    main = next(e for e in events if e.main_in == ("p0",))
    assert (main.series, main.edition_year, main.start_date, main.end_date) == (
        "Festival Sonora",
        2021,
        "2021-12-03",
        "2021-12-04",
    )
    counts = {(f.attribute, f.value, f.event_id == main.event_id) for f in facts}
    assert ("participants", "45000", True) in counts
    assert ("participants_subgroup", "12000", True) in counts
    previous = next(f for f in facts if f.value == "40000")
    assert previous.scope == "previous_edition" and previous.event_id != main.event_id
    assert next(e for e in events if e.event_id == previous.event_id).edition_year == 2020


def test_one_edition_whatever_the_spelling_and_years_apart() -> None:
    events, _ = run(
        ("Retour sur le Blend Web Mix 2019", "La conférence était riche.", "2019-11-02"),
        ("BlendWebMix 2019 : mes notes", "Deux jours de talks.", "2019-11-05"),
        ("Blend Web Mix 2018", "Une belle édition.", "2018-11-05"),
    )
    by_docs = {e.main_in: e for e in events if e.main_in}
    assert ("p0", "p1") in by_docs and by_docs[("p0", "p1")].display_name == "Blend Web Mix 2019"
    assert by_docs[("p2",)].edition_year == 2018


def test_a_date_after_a_recap_belongs_to_an_event_announced_in_passing() -> None:
    events, facts = run(
        (
            "Retour sur le Forum Numérix 2018",
            "Le Forum Numérix s'est terminé par l'annonce du Salon Bleu, le 17 mai prochain.",
            "2018-11-29",
        ),
    )
    date = next(f for f in facts if f.attribute == "date")
    main = next(e for e in events if e.main_in)
    assert date.value_min == "2019-05-17" and date.event_id != main.event_id
    assert main.start_date == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Toute l'équipe du club : Anne, Marc, Léa et Paul vous salue du voyage.",
            ("delegation_size", "4"),
        ),
        (
            "Au total, 60 hackeuses ont codé deux nuits de suite pendant ce hackathon.",
            ("participants", "60"),
        ),
        ("Le colloque avait lieu dans un amphithéâtre de 900 places.", ("capacity", "900")),
        ("La centaine de présents a défilé pendant la vélorution.", ("participants", "100")),
    ],
)
def test_head_counts_and_capacity(text: str, expected: tuple[str, str]) -> None:
    doc, mentions = post(text)
    counts = {(f.attribute, f.value) for f in extract_facts(doc, [], mentions)}
    assert expected in counts


def test_a_count_per_unit_is_no_head_count() -> None:
    doc, mentions = post(
        "Pendant le voyage, nous avions des chambres pour deux personnes (par chambre)."
    )
    assert not [f for f in extract_facts(doc, [], mentions) if f.attribute == "participants"]


def test_a_missing_letter_or_a_short_form_meets_across_posts() -> None:
    events, _ = run(
        ("Retour sur les Francofolies 2019", "Un beau festival.", "2019-07-20"),
        ("Francofolie 2019 : mes concerts", "Trois soirs.", "2019-07-21"),
        ("Retour sur les Franco 2019", "Encore une belle édition.", "2019-07-22"),
    )
    assert [e.main_in for e in events if e.main_in] == [("p0", "p1", "p2")]
