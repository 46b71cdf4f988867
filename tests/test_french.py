"""Tests of recap_nlp.french: the one accent/case folding and the shared word lists."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recap_nlp.french import (
    alternation,
    articles,
    definite_articles,
    fold,
    months,
    weekdays,
    word_list,
    word_set,
)

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


@pytest.mark.parametrize(
    "name",
    [
        "name_connectors",
        "acronym_skipped_words",
        "clause_starts",
        "de_forms",
        "term_connectors",
        "term_function_ends",
        "name_particles",
        "title_connectors",
    ],
)
def test_stage_word_sets_load(name: str) -> None:
    words = word_list(name)
    assert words and len(set(words)) == len(words)  # no member written twice
    assert word_set(name) == set(words)


def test_particles_and_connectors_by_hand() -> None:
    assert {"van", "von", "der", "den", "di", "da", "de"} <= word_set("name_particles")
    assert "l'" in word_set("title_connectors") and "pour" not in word_set("title_connectors")
    assert {"the", "of"} <= word_set("term_function_ends")
    assert {"d'", "d’"} <= word_set("term_connectors")


@pytest.mark.parametrize(
    "name",
    ["series_leading_articles", "actor_leading_articles", "actor_leading_elisions"],
)
def test_article_lists_put_longer_forms_first(name: str) -> None:
    """A regex alternation stops at its first match: "de la" must be tried before "de"."""
    words = word_list(name)
    for i, word in enumerate(words):
        for later in words[i + 1 :]:
            assert not later.startswith(word + " "), (word, later)


def test_alternation_keeps_the_file_order() -> None:
    assert alternation("series_leading_elisions") == r"de\s+l|l|d"
    pattern = re.compile(rf"^(?:(?:{alternation('actor_leading_articles')})\s+)")
    assert pattern.sub("", "de la Région") == "Région"
    assert pattern.sub("", "de  la Ville") == "Ville"
    assert pattern.sub("", "aux Éditions") == "Éditions"
