"""Tests of recap_nlp.french: the one accent/case folding and the shared word lists."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recap_nlp.french import articles, definite_articles, fold, months, weekdays

FRENCH_TEXT = st.text(alphabet="aeéèêëiîïoôöuùûüçœÉÈÀÂÇ AZaz-'’\u0301\u0327ﬁ²ß𝙰", max_size=40)


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ("Février", {}, "fevrier"),
        ("Québec Numérique", {"lower": False}, "Quebec Numerique"),
        ("L’Île-de-France", {}, "l’ile-de-france"),  # punctuation and apostrophes stay
        ("Conférence ﬁnale", {"compatibility": True}, "conference finale"),
        ("Conférence ﬁnale", {}, "conference ﬁnale"),  # NFD keeps the ligature
        ("𝙰ngers", {"lower": False, "compatibility": True}, "Angers"),
    ],
)
def test_fold_by_hand(text: str, options: dict[str, bool], expected: str) -> None:
    assert fold(text, **options) == expected


@settings(max_examples=200, deadline=None)
@given(FRENCH_TEXT)
def test_fold_drops_every_combining_mark(text: str) -> None:
    decomposed = unicodedata.normalize("NFD", text.lower())
    expected = "".join(c for c in decomposed if not unicodedata.combining(c))
    assert fold(text) == expected


@settings(max_examples=200, deadline=None)
@given(FRENCH_TEXT, st.booleans(), st.booleans())
def test_fold_is_idempotent(text: str, lower: bool, compatibility: bool) -> None:
    once = fold(text, lower=lower, compatibility=compatibility)
    assert not any(unicodedata.combining(c) for c in once)
    if not (lower and compatibility):
        assert fold(once, lower=lower, compatibility=compatibility) == once


def test_a_compatibility_capital_needs_a_second_fold() -> None:
    """The documented exception: "𝙰" has no lowercase form; NFKD turns it into "A"."""
    once = fold("𝙰ngers", compatibility=True)
    assert once == "Angers" and fold(once, compatibility=True) == "angers"


@settings(max_examples=100, deadline=None)
@given(FRENCH_TEXT)
def test_fold_of_composed_and_decomposed_text_agree(text: str) -> None:
    assert fold(unicodedata.normalize("NFC", text)) == fold(unicodedata.normalize("NFD", text))


def test_word_lists() -> None:
    assert months()[0] == "janvier" and months()[7] == "août" and len(months()) == 12
    assert weekdays()[0] == "lundi" and len(weekdays()) == 7
    assert definite_articles() == {"le", "la", "les", "l'"}
    assert definite_articles() < articles()
    assert {"un", "une", "des", "du", "au", "aux"} <= articles()
