"""The French spaCy model: its name, and the lemmatizer tables the entity rules read.

The tables are the model's own (``lemma_index``: lemmas by part of speech; ``lemma_lookup``:
inflected form to lemma). ``nlp.load_pipeline`` shares the tables of the pipeline it loads, so
a process reads them once; without a loaded pipeline they are read from the installed model
alone (its other components left out). Either way they are the same files.
"""

from __future__ import annotations

from typing import Any

import spacy
from spacy.language import Language
from spacy.lookups import Lookups

from recap_nlp import regex_cache

DEFAULT_MODEL = "fr_core_news_sm"
# Components of the French models besides the lemmatizer (left out when only its tables are read).
_NOT_LEMMATIZER = ["tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "ner"]
_TABLES: dict[str, Lookups] = {}


def load_model(name: str, **options: Any) -> Language:
    """``spacy.load(name, **options)``, with spaCy's French token pattern compiled beforehand.

    The model's tokenizer compiles its pattern texts again on loading; the French one takes
    about 3.7 CPU s, unless ``re`` has it cached (:mod:`recap_nlp.regex_cache`).
    """
    regex_cache.seed()
    return spacy.load(name, **options)


def share_lemma_tables(model: str, nlp: Language) -> None:
    """Let :func:`lemma_tables` hand out the tables of ``nlp``, a loaded pipeline of ``model``."""
    if "lemmatizer" in nlp.pipe_names and model not in _TABLES:
        _TABLES[model] = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]


def lemma_tables(model: str = DEFAULT_MODEL) -> Lookups:
    """The lemmatizer tables of ``model``, read once per process.

    Example: ``lemma_tables().get_table("lemma_lookup").get("déposez")`` is ``["déposer"]``.
    """
    if model not in _TABLES:
        nlp = load_model(model, exclude=_NOT_LEMMATIZER)
        _TABLES[model] = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    return _TABLES[model]
