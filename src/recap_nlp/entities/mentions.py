"""Entity mentions of one document, with offsets into the original text."""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

from recap_nlp.ingest.normalize import Normalized, visible_text
from recap_nlp.records import Document, EntityLabel, Mention, SentenceSpan

_LABELS: frozenset[str] = frozenset({"PER", "CITY", "ORG", "EVENT", "LOC", "MISC"})


def extract_mentions(
    doc: Document, sdoc: Doc, normalized: Normalized, sentences: list[SentenceSpan]
) -> list[Mention]:
    """The entities of ``sdoc`` as mentions whose offsets index ``doc.text``.

    ``source`` names the recogniser (``ent.kb_id_`` set by the refiner, "model" otherwise) and
    ``canonical`` is pre-filled only when a user gazetteer gave one.

    Example:
        "Retour sur notre mission à Angers" gives ``Mention(text="Angers", label="CITY")``.
    """
    starts = [s.start for s in sentences]
    mentions = []
    for ent in sdoc.ents:
        label = ent.label_ if ent.label_ in _LABELS else "MISC"
        start, end = normalized.to_original(ent.start_char, ent.end_char)
        sentence = _sentence_at(sentences, starts, start)
        mentions.append(
            Mention(
                doc_id=doc.doc_id,
                start=start,
                end=end,
                text=visible_text(doc.text, doc.joined, start, end),
                label=_label(label),
                sentence=sentence.text if sentence else "",
                sentence_start=sentence.start if sentence else 0,
                source=ent.kb_id_ or "model",
                canonical=ent.id_,
            )
        )
    return mentions


def _label(label: str) -> EntityLabel:
    return label  # type: ignore[return-value]  # checked against _LABELS by the caller


def _sentence_at(
    sentences: list[SentenceSpan], starts: list[int], offset: int
) -> SentenceSpan | None:
    k = bisect_right(starts, offset) - 1
    if k >= 0 and sentences[k].start <= offset < sentences[k].end:
        return sentences[k]
    return None
