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
    monkeypatch.setattr(module, "LONG_TEXT_PIECE_CHARS", 80)
    text = "Martin Boivin est allé à Nantes.\n\nLa délégation a visité Angers en juin.\n" * 3
    short = "Une visite à Lyon."
    items = [(short, "a"), (text, "ctx"), (short, "b"), (short, "c")]
    parsed = list(parse(nlp, items))
    assert [c for _, c in parsed] == ["a", "ctx", "b", "c"]  # the order of the input
    doc = parsed[1][0]
    assert doc.text == text
    assert [e.text for e in doc.ents if e.text == "Nantes"] == ["Nantes"] * 3


def test_the_senter_replaces_the_parser(nlp: Language) -> None:
    assert "parser" not in nlp.pipe_names
    assert "senter" in nlp.pipe_names


def test_a_line_break_and_a_list_marker_start_a_sentence(nlp: Language) -> None:
    doc = nlp("Points clés :\n  • Adopter une posture de pirate ;\n- Valoriser la collaboration.")
    starts = [token.text for token in doc if token.is_sent_start and not token.is_space]
    assert "Adopter" in starts
    assert "Valoriser" in starts
    assert "posture" not in starts


def test_an_opening_quote_is_not_a_list_marker(nlp: Language) -> None:
    doc = nlp("Il a conclu.\n« Super soirée » dit Martin Boivin.")
    quote = next(token for token in doc if token.text == "«")
    assert quote.is_sent_start
    assert not doc[quote.i + 1].is_sent_start


def test_sentences_without_a_letter_are_dropped(nlp: Language) -> None:
    from recap_nlp.ingest.normalize import normalize
    from recap_nlp.pipeline.per_document import sentence_spans
    from recap_nlp.records import Document

    text = "Programme :\n  • Visite du port.\n  • Souper."
    document = Document("d", text, "d.txt", "txt", "h")
    normalized = normalize(text)
    spans, _ = sentence_spans(document, nlp(normalized.text), normalized)
    assert [span.text for span in spans] == ["Programme :", "Visite du port.", "Souper."]
    assert all(text[span.start : span.end] == span.text for span in spans)


def test_a_sentence_does_not_start_without_a_mark_before_it(nlp: Language) -> None:
    text = (
        "Lyon accueillait la 12e édition du colloque, à l'initiative de l'association "
        "Réseau Villes Durables. La journée a réuni 300 personnes 🙂 Merci à tous!"
    )
    starts = [token.text for token in nlp(text) if token.is_sent_start]
    assert "Réseau" not in starts
    assert starts[:2] == ["Lyon", "La"]
