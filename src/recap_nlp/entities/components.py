"""The project's spaCy components for entities, added after the statistical NER."""

from __future__ import annotations

from spacy.language import Language


def add_entity_components(nlp: Language, gazetteer: str | None = None) -> None:
    """Add the project's entity components to ``nlp`` (first version: none yet)."""
    del nlp, gazetteer
