"""Entity mentions of one document, with offsets into the original text."""

from __future__ import annotations

from spacy.tokens import Doc

from recap_nlp.normalize import Normalized
from recap_nlp.records import Document, EntityLabel, Mention, SentenceSpan

_MODEL_LABELS: dict[str, EntityLabel] = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}


def extract_mentions(
    doc: Document, sdoc: Doc, normalized: Normalized, sentences: list[SentenceSpan]
) -> list[Mention]:
    """The entity mentions spaCy found in ``sdoc``, mapped back to ``doc.text``."""
    mentions = []
    for ent in sdoc.ents:
        label = _MODEL_LABELS.get(ent.label_, ent.label_)
        start, end = normalized.to_original(ent.start_char, ent.end_char)
        sentence = _sentence_at(sentences, start)
        mentions.append(
            Mention(doc.doc_id, start, end, doc.text[start:end], label,  # type: ignore[arg-type]
                    sentence.text if sentence else "", sentence.start if sentence else 0, "model")
        )
    return mentions


def _sentence_at(sentences: list[SentenceSpan], offset: int) -> SentenceSpan | None:
    for sentence in sentences:
        if sentence.start <= offset < sentence.end:
            return sentence
    return None
