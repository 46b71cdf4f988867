"""Tests of the French number grammar (digits, words, approximations)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recap_nlp.facts.quantities import find_quantities, parse_french_number


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("27", 27),
        ("vingt-huit", 28),
        ("vingt et un", 21),
        ("soixante et onze", 71),
        ("quatre-vingt-dix-sept", 97),
        ("150 000", 150000),
        ("150\u00a0000", 150000),
        ("deux cents", 200),
        ("chat", None),
        ("", None),
    ],
)
def test_parse_french_number(words: str, expected: int | None) -> None:
    assert parse_french_number(words) == expected


# (text, [(span, value, min, max, approximate)])
TABLE = [
    ("une délégation de 27 Québécois", [("27", 27, 27, 27, False)]),
    ("vingt-huit participants", [("vingt-huit", 28, 28, 28, False)]),
    ("une vingtaine de personnes", [("une vingtaine", 20, 15, 25, True)]),
    ("une dizaine d’exposants", [("une dizaine", 10, 8, 12, True)]),
    ("une quinzaine d'exposants", [("une quinzaine", 15, 11, 19, True)]),
    ("près de 30 exposants", [("près de 30", 30, 22, 30, True)]),
    ("près d’une vingtaine de professionnels", [("près d’une vingtaine", 20, 15, 20, True)]),
    # "plus d'une centaine" bounds a guess: its floor is the guess's own floor, not 100.
    ("plus d'une centaine d'entreprises", [("plus d'une centaine", 100, 75, None, True)]),
    (
        "pas moins d'une cinquantaine d'adhérents",
        [("pas moins d'une cinquantaine", 50, 38, None, True)],
    ),
    ("plus de 100 entreprises", [("plus de 100", 100, 100, None, True)]),
    ("environ 40 participants", [("environ 40", 40, 30, 50, True)]),
    ("entre 20 et 30 personnes", [("entre 20 et 30", 25, 20, 30, True)]),
    ("ville de 150\u00a0000 habitants", [("150\u00a0000", 150000, 150000, 150000, False)]),
    ("Le Web2Day fêtait son 10e anniversaire", []),
    ("le 1er juin", []),
    ("29 juin 2018 | 22:13", []),
    ("Téléphone 418 353-1808", []),
    ("une délégation, un groupe", []),
]


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_quantity_table(text: str, expected: list[tuple]) -> None:
    found = [
        (q.text, q.value, q.value_min, q.value_max, q.approximate) for q in find_quantities(text)
    ]
    assert found == expected


def test_day_numbers_of_dates_are_not_counts() -> None:
    found = find_quantities("Du 3 au 11 juin, une délégation de 27 Québécois")
    assert [q.value for q in found] == [27]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_never_crashes_and_bounds_hold(text: str) -> None:
    for q in find_quantities(text):
        assert q.value_min <= q.value
        assert q.value_max is None or q.value <= q.value_max
        assert text[q.start : q.end] == q.text


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 999_999))
def test_grouped_digits_round_trip(n: int) -> None:
    grouped = f"{n:,}".replace(",", "\u00a0")
    assert parse_french_number(grouped) == n


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 millions de visiteurs", [("2 millions", 2_000_000)]),
        ("1,5 million de visiteurs", [("1,5 million", 1_500_000)]),
        ("deux cent mille visiteurs", [("deux cent mille", 200_000)]),
        ("deux millions de visiteurs", [("deux millions", 2_000_000)]),
        ("un budget de 2,5 milliards", [("2,5 milliards", 2_500_000_000)]),
        ("3 mille bénévoles", [("3 mille", 3_000)]),
        ("12 000 visiteurs puis 1,2 million", [("12 000", 12_000), ("1,2 million", 1_200_000)]),
    ],
)
def test_scaled_numbers(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(q.text, q.value) for q in find_quantities(text)] == expected


def test_scaled_number_with_a_qualifier_keeps_its_bound() -> None:
    (found,) = find_quantities("plus de 2 millions de visiteurs")
    assert (found.value, found.value_min, found.value_max) == (2_000_000, 2_000_000, None)
