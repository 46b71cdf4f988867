"""The token helpers of the entity finders (``entities.spans``), checked against spaCy's own."""

from __future__ import annotations

import spacy
from spacy.attrs import LOWER, ORTH

from recap_nlp.entities.spans import token_texts, tokens_among


def _doc(text: str) -> spacy.tokens.Doc:
    return spacy.blank("fr")(text)


def test_token_texts_are_the_tokens_texts() -> None:
    doc = _doc("La Mairie de Saint-Jean  a parlé\n\nà l'ORG du Salon !")
    assert token_texts(doc) == [t.text for t in doc]
    assert token_texts(_doc("")) == []


def test_tokens_among_by_text_or_lowercase_form() -> None:
    doc = _doc("la Mairie et la mairie de Lyon")
    assert tokens_among(doc, frozenset({"mairie"}), LOWER) == [1, 4]
    assert tokens_among(doc, frozenset({"mairie"}), ORTH) == [4]
    assert tokens_among(doc, frozenset({"Lyon", "la"})) == [0, 3, 6]
    assert tokens_among(doc, frozenset()) == []
    assert tokens_among(doc, frozenset({"Paris"})) == []


def test_tokens_among_finds_words_spacy_keeps_as_symbols() -> None:
    # "ORG" and "PERSON" have fixed symbol ids in spaCy ("PER" a hash): all are found
    doc = _doc("une ORG et un PERSON ou un PER")
    assert tokens_among(doc, frozenset({"ORG", "PERSON", "PER"})) == [1, 4, 7]


def test_tokens_among_agrees_with_a_plain_scan() -> None:
    doc = _doc("Le salon du livre, le Salon de Nantes et la foire du salon.")
    words = frozenset({"salon", "foire", "de"})
    assert tokens_among(doc, words, LOWER) == [t.i for t in doc if t.lower_ in words]
    assert tokens_among(doc, words) == [t.i for t in doc if t.text in words]
