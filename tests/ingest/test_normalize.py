from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recap_nlp.ingest.normalize import normalize


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("J’ai visité Angers", "J'ai visité Angers"),
        ("« Digital SpringBreak »", '" Digital SpringBreak "'),
        ("28\u00a0Québécois\u202f!", "28 Québécois !"),
        ("la ﬁn du déﬁ", "la fin du défi"),
        ("numé\u00adrique", "numérique"),
        ("deux  espaces\tet tab", "deux espaces et tab"),
        ("ligne\r\nsuivante", "ligne\nsuivante"),
        ("coup de cœur", "coup de cœur"),  # œ is a French letter, not a typographic ligature
        ("en France…", "en France..."),
    ],
)
def test_normalize_rewrites_typography(original: str, expected: str) -> None:
    assert normalize(original).text == expected


def test_span_maps_back_to_original_characters() -> None:
    original = "Voilà\u00a0: l’équipe de Québec\u00adnumérique à « Angers »"
    normalized = normalize(original)
    for word in ("l'équipe", "Angers", "Québecnumérique"):
        start = normalized.text.index(word)
        o_start, o_end = normalized.to_original(start, start + len(word))
        assert normalize(original[o_start:o_end]).text == word


@given(st.text())
def test_offset_map_round_trip_on_any_unicode(original: str) -> None:
    normalized = normalize(original)
    assert len(normalized.origin) == len(normalized.text) + 1
    assert normalized.origin[-1] == len(original)
    assert list(normalized.origin) == sorted(normalized.origin)
    for index, char in enumerate(normalized.text):
        source = normalized.origin[index]
        # every output character is the normalisation of the original character it maps to
        assert char in normalize(original[source]).text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))), st.data())
def test_any_span_maps_into_original(original: str, data: st.DataObject) -> None:
    normalized = normalize(original)
    n = len(normalized.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    o_start, o_end = normalized.to_original(start, end)
    assert 0 <= o_start <= o_end <= len(original)


def test_joined_markup_is_deleted_for_the_model_and_in_span_texts() -> None:
    from recap_nlp.ingest.normalize import visible_text

    text = "La vexil  LOL  ogie pour tous"  # "vexil**LOL**ogie" with its marks blanked
    joined = ((8, 10), (13, 15))
    normalized = normalize(text, joined)
    assert normalized.text == "La vexilLOLogie pour tous"
    assert normalized.to_original(3, 15) == (3, 19)
    assert visible_text(text, joined, 3, 19) == "vexilLOLogie"
    assert visible_text(text, joined, 9, 19) == "LOLogie"
    assert visible_text(text, (), 3, 8) == "vexil"
