"""Event names taken apart, series spelling variants, relative dates (sentences written here)."""

from __future__ import annotations

import datetime as dt

import pytest

from recap_nlp.facts.dates import find_dates
from recap_nlp.facts.quantities import find_quantities
from recap_nlp.facts.relative import relative_dates
from recap_nlp.facts.series import ordinal_value, parse_event_name, same_series, series_key


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("BlendWebMix", "Blend Web Mix", True),  # spaces
        ("Code-Fest", "codefest", True),  # case and hyphen
        ("Francofolie", "Francofolies", True),  # a missing letter
        ("Franco", "Francofolies", True),  # a one-word short form
        ("Forum Vert Durable", "FVD", True),  # the acronym
        ("Forum PHP", "Forum Python", False),
        ("Salon Bleu", "Salon Blanc", False),
        ("Fête", "Fêtes de Genève", False),  # a short form must be one word of one word
    ],
)
def test_series_variants_meet(a: str, b: str, same: bool) -> None:
    assert same_series(a, b) is same


def test_series_key_folds_articles_accents_and_spaces() -> None:
    assert series_key("Les Rencontres d'Été") == series_key("rencontres d’ete") == "rencontresdete"
    assert series_key("DevCamp") == "devcamp"  # "De" is not an article here


@pytest.mark.parametrize(
    ("written", "series", "year", "number", "month", "city"),
    [
        ("Forum Machin Lyon 2019", "Forum Machin", 2019, None, None, "Lyon"),
        ("la 15e Fête du cidre", "Fête du cidre", None, 15, None, ""),
        ("Apéro Tech de Mars", "Apéro Tech", None, None, 3, ""),
        ("Festival Sonora 2021 à Rennes", "Festival Sonora", 2021, None, None, "Rennes"),
        ("Salon du livre de Nantes", "Salon du livre de Nantes", None, None, None, "Nantes"),
        ("Forum Machin (Lyon)", "Forum Machin", None, None, None, "Lyon"),
    ],
)
def test_parse_event_name(
    written: str, series: str, year: int | None, number: int | None, month: int | None, city: str
) -> None:
    name = parse_event_name(written, {"Lyon", "Rennes", "Nantes"})
    assert (name.series, name.year, name.number, name.month, name.city) == (
        series,
        year,
        number,
        month,
        city,
    )


def test_display_name_is_series_and_year() -> None:
    assert parse_event_name("Retour Forum Machin 2019").display == "Retour Forum Machin 2019"
    assert parse_event_name("Forum Machin 2019").display == "Forum Machin 2019"


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("trentième", 30),
        ("quatrième", 4),
        ("15e", 15),
        ("43èmes", 43),
        ("premier", 1),
        ("mardi", None),
    ],
)
def test_ordinals(word: str, value: int | None) -> None:
    assert ordinal_value(word) == value


TUESDAY = dt.date(2007, 2, 6)
THURSDAY = dt.date(2024, 1, 11)


@pytest.mark.parametrize(
    ("text", "published", "start", "end"),
    [
        ("J'ai passé ma fin de semaine passée au congrès.", TUESDAY, "2007-02-03", "2007-02-04"),
        ("Le week-end dernier, nous étions au salon.", TUESDAY, "2007-02-03", "2007-02-04"),
        ("Hier, c'était la rencontre mensuelle.", THURSDAY, "2024-01-10", "2024-01-10"),
        ("Avant-hier avait lieu le forum.", THURSDAY, "2024-01-09", "2024-01-09"),
        ("Le festival a eu lieu jeudi et vendredi derniers.", THURSDAY, "2024-01-04", "2024-01-05"),
        ("Rendez-vous la semaine prochaine au salon.", THURSDAY, "2024-01-15", "2024-01-21"),
        ("L'an dernier, le forum avait réuni 300 personnes.", THURSDAY, "2023", "2023"),
    ],
)
def test_relative_dates_from_the_post_date(
    text: str, published: dt.date, start: str, end: str
) -> None:
    found = relative_dates(text, published)
    assert [(m.start_date, m.end_date) for m in found] == [(start, end)]
    assert "post" in found[0].anchor  # the rule is stated


def test_relative_dates_need_a_post_date() -> None:
    assert relative_dates("Hier, c'était la rencontre.", None) == []


def test_day_of_the_month_of() -> None:
    found = find_dates("La randonnée a eu lieu le lundi 4 du mois de mars 2019.")
    assert [(m.start_date, m.precision) for m in found] == [("2019-03-04", "day")]


def test_edition_year_anchors_year_less_dates_without_a_post_date() -> None:
    found = find_dates("Le forum se tenait les 11 et 12 avril derniers.", None, edition_year=2015)
    assert [(m.start_date, m.end_date, m.year_source) for m in found] == [
        ("2015-04-11", "2015-04-12", "edition")
    ]
    dated = find_dates("les 11 et 12 avril derniers", dt.date(2016, 1, 3), edition_year=2015)
    assert dated[0].year_source == "publication"  # the post's date comes first


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        ("La centaine de présents", 100, 75, 125),
        ("Une petite centaine de participants", 100, 75, 100),
        ("une bonne cinquantaine de curieux", 50, 38, None),
    ],
)
def test_approximate_counts_with_an_article_or_an_adjective(
    text: str, value: int, low: int, high: int | None
) -> None:
    found = find_quantities(text)
    assert [(q.value, q.value_min, q.value_max) for q in found] == [(value, low, high)]
