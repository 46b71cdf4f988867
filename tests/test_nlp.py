from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from recap_nlp.nlp import parse, split_for_parsing


@given(st.text(alphabet="ab \n", max_size=400), st.integers(10, 60))
def test_chunks_join_back_into_the_text(text: str, limit: int) -> None:
    pieces = split_for_parsing(text, limit)
    assert "".join(pieces) == text
    assert all(len(piece) <= limit for piece in pieces)


def test_long_text_is_parsed_in_chunks_into_one_doc(nlp: Language, monkeypatch) -> None:
    import recap_nlp.nlp as module

    monkeypatch.setattr(module, "MAX_CHUNK_CHARS", 80)
    text = "Martin Boivin est allé à Nantes.\n\nLa délégation a visité Angers en juin.\n" * 3
    [(doc, context)] = list(parse(nlp, [(text, "ctx")]))
    assert context == "ctx"
    assert doc.text == text
    assert [e.text for e in doc.ents if e.text == "Nantes"] == ["Nantes"] * 3
