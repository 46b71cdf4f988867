"""The one place that loads the French spaCy pipeline and runs it over documents."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

log = logging.getLogger(__name__)

DEFAULT_MODEL = "fr_core_news_sm"
T = TypeVar("T")


@cache
def load_pipeline(model: str = DEFAULT_MODEL, gazetteer: str | None = None) -> Language:
    """Load ``model`` once per process, with the project's entity components added.

    Args:
        model: an installed spaCy package name.
        gazetteer: optional path to a user gazetteer file extending the packaged ones.
    """
    from recap_nlp.entities.components import add_entity_components

    nlp = spacy.load(model)
    add_entity_components(nlp, gazetteer=gazetteer)
    log.info("loaded %s with pipes %s", model, nlp.pipe_names)
    return nlp


def parse(
    nlp: Language,
    items: Iterable[tuple[str, T]],
    *,
    workers: int = 1,
    batch_size: int = 32,
) -> Iterator[tuple[Doc, T]]:
    """Run ``nlp.pipe`` over ``(text, context)`` pairs, streaming, in ``workers`` processes."""
    yield from nlp.pipe(items, as_tuples=True, n_process=workers, batch_size=batch_size)
