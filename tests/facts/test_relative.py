"""Tests of relative dates: a weekday with a day number but no month ("jeudi le 29")."""

from __future__ import annotations

import datetime as dt

import pytest

from recap_nlp.facts.relative import relative_dates


@pytest.mark.parametrize(
    ("text", "published", "span", "expected"),
    [
        # 2023-09-12 is a Tuesday, eight days before the post.
        (
            "Mardi soir le 12, nous avons assisté à l'ouverture du salon.",
            dt.date(2023, 9, 20),
            "Mardi soir le 12",
            "2023-09-12",
        ),
        # No Saturday 14 before a post of Monday 2024-09-02 within two months: the one after.
        (
            "Samedi 14, rendez-vous place de la mairie pour la fête.",
            dt.date(2024, 9, 2),
            "Samedi 14",
            "2024-09-14",
        ),
        # The previous month when the day number lies ahead of the post's day.
        (
            "Vendredi le 30, on a fêté la fin du festival.",
            dt.date(2024, 9, 4),
            "Vendredi le 30",
            "2024-08-30",
        ),
    ],
)
def test_weekday_and_day_number(text: str, published: dt.date, span: str, expected: str) -> None:
    found = relative_dates(text, published)
    assert [(m.text, m.start_date, m.end_date, m.precision) for m in found] == [
        (span, expected, expected, "day")
    ]
    assert text[found[0].start : found[0].end] == span


@pytest.mark.parametrize(
    "text",
    [
        "Samedi 14 septembre, rendez-vous au salon.",  # the date grammar reads a month
        "Rendez-vous samedi 12/10 au salon.",
        "Rendez-vous samedi 12 10 au salon.",
        "Ouverture lundi 9 h au parc.",
        "Lundi 31, nous étions au congrès.",  # no Monday 31 near 2024-10-20
    ],
)
def test_weekday_and_day_number_left_out(text: str) -> None:
    assert relative_dates(text, dt.date(2024, 10, 20)) == []


def test_weekday_and_day_number_needs_a_post_date() -> None:
    assert relative_dates("Jeudi le 29, c'était l'ouverture.", None) == []


def test_weekday_and_day_number_found_where_the_month_is_missing() -> None:
    # Same post date as above: without a month, Saturday 12 is 2024-10-12.
    found = relative_dates("Rendez-vous samedi 12 au salon.", dt.date(2024, 10, 20))
    assert [m.start_date for m in found] == ["2024-10-12"]
