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


# Sentences of the kinds the lemmatizer meets: proper nouns, nouns of the index, verb forms
# only the suffix rules know, capitals, runs of spaces and line breaks, numbers, an emoji.
LEMMA_TEXTS = [
    "Martin Boivin a présenté le dossier à Lyon, puis les élus déposent leurs dossiers.",
    "Les bénévoles twittaient et slackaient pendant toute la conférence de Nantes.",
    "LES ASSOS DE RENNES ORGANISENT UN HACKATHON LE 12 MARS 2024 !",
    "Bravo à toute l'asso  \n\n  pour cette belle journée 🙂 à Saint-Malo.",
]


def _run_until(nlp: Language, text: str, component: str):  # type: ignore[no-untyped-def]
    """``text`` through the pipeline's components before ``component``."""
    doc = nlp.make_doc(text)
    for name in nlp.pipe_names[: nlp.pipe_names.index(component)]:
        doc = nlp.get_pipe(name)(doc)
    return doc


def _before_lemmatizer(nlp: Language, text: str):  # type: ignore[no-untyped-def]
    return _run_until(nlp, text, "lemmatizer")


def test_the_memoised_lemmatizer_gives_spacys_lemmas(nlp: Language) -> None:
    from spacy.lang.fr.lemmatizer import FrenchLemmatizer
    from spacy.pipeline import AttributeRuler

    from recap_nlp.nlp import MemoFrenchLemmatizer

    lemmatizer = nlp.get_pipe("lemmatizer")
    assert isinstance(lemmatizer, MemoFrenchLemmatizer)
    stock = FrenchLemmatizer(nlp.vocab, None, mode="rule")  # spaCy's, with the same tables
    stock.lookups = lemmatizer.lookups
    ruler = AttributeRuler(nlp.vocab)  # as the model's attribute ruler may do
    ruler.add([[{"LOWER": "asso"}]], {"LEMMA": "association"})
    lemmas: dict[str, str] = {}
    for text in LEMMA_TEXTS * 2:  # the second time from the memo
        doc = ruler(_before_lemmatizer(nlp, text))
        copy = doc.copy()
        stock(doc)
        lemmatizer(copy)
        assert [t.lemma_ for t in copy] == [t.lemma_ for t in doc]
        assert [t.lemma for t in copy] == [t.lemma for t in doc]
        lemmas.update((t.text, t.lemma_) for t in copy)
    assert lemmas["déposent"] == "déposer"  # rules, then the index
    assert lemmas["dossiers"] == "dossier"
    assert lemmas["Lyon"] == "Lyon"  # a proper noun keeps its case (lookup path)
    assert lemmas["asso"] == "association"  # set by the attribute ruler, kept
    assert lemmas["twittaient"] == "twitter"  # a verb form out of the tables: suffix rules
    assert lemmas["ORGANISENT"] == "organiser"  # capitals: lowercased, then the rules
    assert lemmas["RENNES"] == "RENNES"
    assert lemmas[" \n\n  "] == " \n\n  "  # a space token (after the word's own space)


def test_the_memoised_lemmatizer_overwrites_only_when_configured(nlp: Language) -> None:
    import spacy

    from recap_nlp.nlp import MemoFrenchLemmatizer, memoise_lemmatizer

    blank = spacy.blank("fr")
    pipe = blank.add_pipe("lemmatizer", config={"mode": "rule", "overwrite": True})
    pipe.lookups = nlp.get_pipe("lemmatizer").lookups
    assert memoise_lemmatizer(blank)
    assert isinstance(pipe, MemoFrenchLemmatizer)
    doc = blank.make_doc("Les Assos")
    doc[1].lemma_ = "association"
    assert [t.lemma_ for t in pipe(doc)] == ["les", "assos"]  # no POS: lowercased, overwritten


def test_other_lemmatizers_keep_spacys_class() -> None:
    import spacy

    from recap_nlp.nlp import MemoFrenchLemmatizer, memoise_lemmatizer

    blank = spacy.blank("fr")
    assert not memoise_lemmatizer(blank)  # no lemmatizer at all
    pipe = blank.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert not memoise_lemmatizer(blank)
    assert not isinstance(pipe, MemoFrenchLemmatizer)


RULER_TEXTS = [
    "Visite  à Lyon,\n\n  puis Paris le 3 mars 2024 !",
    "   \n",
    "Les 27 délégués de l'association Réseau Villes Durables ont voté.\t\tFin.",
    "👏👏 Merci à toutes et à tous  ",
]


def _before_ruler(nlp: Language, text: str):  # type: ignore[no-untyped-def]
    return _run_until(nlp, text, "attribute_ruler")


def _token_attributes(doc) -> list[tuple[str, str, str, str, str]]:  # type: ignore[no-untyped-def]
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.dep_) for t in doc]


def _stock_ruler(ruler):  # type: ignore[no-untyped-def]
    from spacy.pipeline import AttributeRuler

    stock = AttributeRuler(ruler.vocab)
    stock.add_patterns(ruler.patterns)
    return stock


def test_the_array_attribute_ruler_sets_what_spacys_sets(nlp: Language) -> None:
    from recap_nlp.nlp import ArrayAttributeRuler

    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, ArrayAttributeRuler)
    stock = _stock_ruler(ruler)
    for text in RULER_TEXTS:
        doc = _before_ruler(nlp, text)
        copy = doc.copy()
        assert _token_attributes(ruler(copy)) == _token_attributes(stock(doc))
    doc = ruler(_before_ruler(nlp, RULER_TEXTS[0]))
    lyon = next(t for t in doc if t.text == "Lyon")
    assert (lyon.pos_, lyon.tag_) == ("PROPN", "PROPN")  # TAG from POS
    space = next(t for t in doc if t.text == "\n\n  ")
    assert (space.pos_, space.tag_, str(space.morph)) == ("SPACE", "SPACE", "")


def test_a_later_rule_wins_and_added_rules_are_applied(nlp: Language) -> None:
    import spacy

    from recap_nlp.nlp import ArrayAttributeRuler, rules_as_arrays

    blank = spacy.blank("fr")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"POS": "NOUN"}]], {"TAG": "NOM"})
    ruler.add([[{"IS_SPACE": False, "TAG": {"IN": ["NOM"]}}]], {"TAG": "LATER"})  # reads before
    ruler.add([[{"TAG": {"NOT_IN": ["", "NOM"]}}]], {"POS": "X"})
    assert rules_as_arrays(blank) and isinstance(ruler, ArrayAttributeRuler)

    def tagged() -> object:
        doc = blank.make_doc("ville  verte")
        doc[0].pos_, doc[2].pos_, doc[2].tag_ = "NOUN", "ADJ", "NOM"
        return doc

    stock = _stock_ruler(ruler)
    expected = _token_attributes(stock(tagged()))
    assert _token_attributes(ruler(tagged())) == expected
    assert [t[1:3] for t in expected] == [("NOM", "NOUN"), ("", ""), ("LATER", "ADJ")]
    ruler.add([[{"POS": "ADJ"}]], {"MORPH": "Gender=Fem"})  # added after the first call
    assert ruler.plan is not None and ruler.planned_rules == 3
    assert _token_attributes(ruler(tagged())) == _token_attributes(_stock_ruler(ruler)(tagged()))
    assert str(ruler(tagged())[2].morph) == "Gender=Fem"
    # Rules put in place of the others, as many as before: planned again, not the old plan.
    ruler.initialize(
        None,
        patterns=[
            {"patterns": [[{"POS": "NOUN"}]], "attrs": {"TAG": "AUTRE"}},
            {"patterns": [[{"POS": "ADJ"}]], "attrs": {"TAG": "ADJECTIF"}},
            {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "ESPACE"}},
            {"patterns": [[{"POS": "VERB"}]], "attrs": {"TAG": "VERBE"}},
        ],
    )
    assert len(ruler.attrs) == 4  # the count the old plan was made for
    renewed = _token_attributes(ruler(tagged()))
    assert renewed == _token_attributes(_stock_ruler(ruler)(tagged()))
    assert [t[1] for t in renewed] == ["AUTRE", "ESPACE", "ADJECTIF"]


def test_rules_out_of_the_array_form_run_spacys_code() -> None:
    import spacy

    from recap_nlp.nlp import rules_as_arrays

    blank = spacy.blank("fr")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "la"}, {"LOWER": "ville"}]], {"TAG": "DET"}, index=0)
    ruler.add([[{"ORTH": "Asso"}]], {"LEMMA": "association"})
    assert rules_as_arrays(blank)
    doc = ruler(blank.make_doc("la ville Asso"))
    assert ruler.plan is None
    assert [(t.tag_, t.lemma_) for t in doc] == [("DET", ""), ("", ""), ("", "association")]
    assert not rules_as_arrays(spacy.blank("fr"))  # no ruler at all
