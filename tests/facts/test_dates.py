"""Tests of the French date grammar (hand-checked expectations on real expressions)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recap_nlp.facts.dates import find_dates, find_publication_date

ISO = re.compile(r"^(?:\d{4}|-)(?:-\d{2}){0,2}$")

# (text, publication date, expected [(span text, start, end, precision, year_source)])
TABLE = [
    (
        "Du 3 au 11 juin 2017, à Angers",
        None,
        [("Du 3 au 11 juin 2017", "2017-06-03", "2017-06-11", "day", "explicit")],
    ),
    (
        "la mission du 9 au 17 juin 2018",
        None,
        [("du 9 au 17 juin 2018", "2018-06-09", "2018-06-17", "day", "explicit")],
    ),
    (
        "entre le 13 et le 15 juillet 2019",
        None,
        [("entre le 13 et le 15 juillet 2019", "2019-07-13", "2019-07-15", "day", "explicit")],
    ),
    (
        "lundi 26 juin 2017",
        None,
        [("lundi 26 juin 2017", "2017-06-26", "2017-06-26", "day", "explicit")],
    ),
    (
        "29 juin 2018 | 22:13",
        None,
        [("29 juin 2018", "2018-06-29", "2018-06-29", "day", "explicit")],
    ),
    (
        "le 1er fevrier 2020",
        None,
        [("1er fevrier 2020", "2020-02-01", "2020-02-01", "day", "explicit")],
    ),
    ("le 15 aout 2016", None, [("15 aout 2016", "2016-08-15", "2016-08-15", "day", "explicit")]),
    (
        "le 5 décembre 2015",
        None,
        [("5 décembre 2015", "2015-12-05", "2015-12-05", "day", "explicit")],
    ),
    (
        "du 28 février au 3 mars 2019",
        None,
        [("du 28 février au 3 mars 2019", "2019-02-28", "2019-03-03", "day", "explicit")],
    ),
    (
        "du 28 décembre au 3 janvier 2018",
        None,
        [("du 28 décembre au 3 janvier 2018", "2017-12-28", "2018-01-03", "day", "explicit")],
    ),
    (
        "pendant la Semaine numérique en avril 2019",
        None,
        [("avril 2019", "2019-04", "2019-04", "month", "explicit")],
    ),
    ("la programmation de 2018 en 2018 !", None, [("2018", "2018", "2018", "year", "explicit")]),
    (
        "Le 27 septembre dernier",
        dt.date(2017, 10, 5),
        [("27 septembre", "2017-09-27", "2017-09-27", "day", "publication")],
    ),
    (
        "Le 27 septembre dernier",
        dt.date(2017, 8, 1),
        [("27 septembre", "2016-09-27", "2016-09-27", "day", "publication")],
    ),
    (
        "Du 3 au 11 juin, une mission",
        dt.date(2017, 6, 26),
        [("Du 3 au 11 juin", "2017-06-03", "2017-06-11", "day", "publication")],
    ),
    (
        "Rendez-vous le 27 septembre prochain",
        dt.date(2017, 10, 5),
        [("27 septembre", "2018-09-27", "2018-09-27", "day", "publication")],
    ),
    (
        "nous y étions en avril",
        dt.date(2018, 6, 29),
        [("avril", "2018-04", "2018-04", "month", "publication")],
    ),
]


@pytest.mark.parametrize(("text", "published", "expected"), TABLE)
def test_date_table(text: str, published: dt.date | None, expected: list[tuple]) -> None:
    found = [
        (d.text, d.start_date, d.end_date, d.precision, d.year_source)
        for d in find_dates(text, published)
    ]
    assert found == expected


def test_offsets_point_into_original_text() -> None:
    text = "C’était «\u00a0du 3 au 11 juin 2017\u00a0» à Nantes."
    (mention,) = find_dates(text)
    assert text[mention.start : mention.end] == mention.text == "du 3 au 11 juin 2017"


@pytest.mark.parametrize("text", ["le 31 février 2019", "le 30 février", "du 30 au 2 juin 2018"])
def test_impossible_dates_are_skipped(text: str) -> None:
    assert find_dates(text, dt.date(2019, 5, 1)) == []


def test_year_from_future_event_named_later() -> None:
    # The trip comes before the event the others "plan" to attend: June 2017, not 2018.
    text = (
        "Du 3 au 11 juin, une délégation a participé à une mission en France. Bla bla.\n"
        "Les Belges prévoient déjà venir prendre leur revanche en avril 2018, à Québec."
    )
    first = find_dates(text)[0]
    assert (first.start_date, first.end_date, first.year_source) == (
        "2017-06-03",
        "2017-06-11",
        "nearby",
    )


def test_year_from_neutral_year_in_same_sentence() -> None:
    (first, _second) = find_dates("Le 12 mars, en 2016, nous étions à Lyon.")
    assert first.start_date == "2016-03-12"


def test_yearless_without_anchor_uses_reduced_iso() -> None:
    (mention,) = find_dates("Du 3 au 11 juin, à Angers.")
    assert (mention.start_date, mention.year_source) == ("--06-03", "none")


def test_phone_numbers_and_times_are_not_dates() -> None:
    assert find_dates("Téléphone 418 353-1808, à 22:13") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Titre\n\n\n29 juin 2018 | 22:13\n\nVoilà une dizaine de jours", "2018-06-29"),
        ("lundi 26 juin 2017\n\nKeep calm and feel digital", "2017-06-26"),
        ("Texte du billet.\n\nDernière mise à jour : 19 avril 2022\n\n#Culture", "2022-04-19"),
        ("Titre\nPublié le 3 mars 2020 par Anne\nLe 12 février, ...", "2020-03-03"),
    ],
)
def test_publication_date(text: str, expected: str) -> None:
    found = find_publication_date(text)
    assert found is not None and found.start_date == expected


def test_no_publication_date_in_body_text() -> None:
    text = "Du 3 au 11 juin, une délégation de 27 Québécois a participé à une mission."
    assert find_publication_date(text) is None


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789 aejlnuvrstéû-–derfévrioctmai\n.")), max_size=80
    )
)
def test_never_crashes_and_outputs_are_ordered(text: str) -> None:
    for mention in find_dates(text, dt.date(2020, 1, 15)):
        assert ISO.match(mention.start_date) and ISO.match(mention.end_date)
        assert mention.start_date[:7] <= mention.end_date[:7] or mention.start_date[0] == "-"
        assert text[mention.start : mention.end] == mention.text


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 28),
    st.integers(1, 12),
    st.integers(0, 10),
    st.integers(1990, 2030),
)
def test_ranges_start_before_end(day: int, month: int, length: int, year: int) -> None:
    months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    end = dt.date(year, month, day) + dt.timedelta(days=length)
    text = f"du {day} {months[month - 1]} au {end.day} {months[end.month - 1]} {end.year}"
    (mention,) = find_dates(text)
    assert mention.start_date == dt.date(year, month, day).isoformat()
    assert mention.end_date == end.isoformat()


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # Lists of days: the first and the last bound the event.
        (
            "Les 3 et 4 octobre, Lyon accueillait",
            dt.date(2023, 10, 10),
            ("2023-10-03", "2023-10-04"),
        ),
        ("les 22, 23, 24 et 25 mai 2024", None, ("2024-05-22", "2024-05-25")),
        # A weekday and "dernier"/"prochain" count from the publication date (a Thursday).
        ("Mardi dernier, la journée", dt.date(2024, 1, 11), ("2024-01-09", "2024-01-09")),
        ("jeudi dernier", dt.date(2024, 1, 11), ("2024-01-04", "2024-01-04")),
        ("vendredi prochain", dt.date(2024, 1, 11), ("2024-01-12", "2024-01-12")),
        # A year-less date weeks after publication is upcoming, not eleven months old ...
        (
            "Prochain rendez-vous : le forum de l'export, le 27 juin à Rennes.",
            dt.date(2024, 6, 3),
            ("2024-06-27", "2024-06-27"),
        ),
        # ... but a date a few weeks back stays in the past, and so does a cued one.
        (
            "Du 3 au 11 juin, j'ai vécu ma première mission",
            dt.date(2017, 6, 26),
            ("2017-06-03", "2017-06-11"),
        ),
        ("le 27 juin dernier", dt.date(2024, 6, 3), ("2023-06-27", "2023-06-27")),
        ("En mars, nous avons visité Lyon.", dt.date(2023, 12, 10), ("2023-03", "2023-03")),
    ],
)
def test_dev_corpus_date_forms(
    text: str, published: dt.date | None, expected: tuple[str, str]
) -> None:
    (mention,) = find_dates(text, published)
    assert (mention.start_date, mention.end_date) == expected


def test_relative_weekday_needs_a_publication_date() -> None:
    assert find_dates("Mardi dernier, la journée") == []


def test_a_year_alone_is_found_without_a_month_name() -> None:
    # The month patterns are skipped in a text without a month name: the year ones still run.
    found = find_dates("Le salon a ouvert ses portes en 2017 à Lyon.")
    assert [(d.text, d.start_date, d.precision) for d in found] == [("2017", "2017", "year")]
