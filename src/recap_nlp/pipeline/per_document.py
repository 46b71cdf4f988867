"""The per-document stages: one post through spaCy, sentences, mentions and their polarity.

Pure functions of one post (``process_document``), streamed over many posts by
``process_documents``; the engines (``engine``) run them here or on a Dask cluster, and a post
whose stages raise becomes a failed ``DocumentResult`` instead of stopping the run.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator

from spacy.tokens import Doc

from recap_nlp.entities import extract_mentions
from recap_nlp.entities.discourse import one_sense_per_post
from recap_nlp.entities.learned import relabel_mentions
from recap_nlp.entities.links import link_mentions
from recap_nlp.ingest.normalize import Normalized, normalize
from recap_nlp.nlp import load_pipeline, parse
from recap_nlp.pipeline.options import RunOptions
from recap_nlp.records import Document, DocumentResult, Mention, SentenceSpan
from recap_nlp.sentiment import score_sentences


def process_documents(
    documents: Iterable[Document],
    options: RunOptions,
    progress: Callable[[Document], None] | None = None,
) -> Iterator[DocumentResult]:
    """Stream documents through spaCy and the per-document stages."""
    nlp = load_pipeline(options.model, options.gazetteer)
    failed: list[DocumentResult] = []
    prepared = _normalized(documents, failed)
    for sdoc, (doc, normalized) in parse(
        nlp, prepared, workers=options.workers, batch_size=options.batch_size
    ):
        yield from failed
        failed.clear()
        yield isolated(process_document, doc, sdoc, normalized)
        if progress is not None:
            progress(doc)
    yield from failed


def _normalized(
    documents: Iterable[Document], failed: list[DocumentResult]
) -> Iterator[tuple[str, tuple[Document, Normalized]]]:
    """Normalised texts for spaCy; a post whose normalisation raises goes to ``failed``."""
    for doc in documents:
        try:
            normalized = normalize(doc.text, doc.joined)
        except Exception as error:  # one post's bug must not stop the run
            failed.append(failure_result(doc, error))
            continue
        yield normalized.text, (doc, normalized)


def isolated(
    stage: Callable[[Document, Doc, Normalized], DocumentResult],
    doc: Document,
    sdoc: Doc,
    normalized: Normalized,
) -> DocumentResult:
    """``stage`` on one post; an unexpected exception becomes a failed result, not a crash."""
    try:
        return stage(doc, sdoc, normalized)
    except Exception as error:  # one post's bug must not stop the run
        return failure_result(doc, error)


def failure_result(doc: Document, error: Exception) -> DocumentResult:
    """An empty result naming the exception (class and message) and keeping its traceback."""
    trace = "".join(traceback.format_exception(error))
    return DocumentResult(
        doc.doc_id, [], [], [], [], failure=f"{type(error).__name__}: {error}", trace=trace
    )


def process_document(doc: Document, sdoc: Doc, normalized: Normalized) -> DocumentResult:
    """The per-document stages for one parsed post."""
    sentences, lemmas = sentence_spans(doc, sdoc, normalized)
    mentions = relabel_mentions(doc, rule_mentions(doc, sdoc, normalized, sentences))
    scored = score_sentences(doc, sentences)
    return DocumentResult(doc.doc_id, sentences, mentions, scored, lemmas)


def rule_mentions(
    doc: Document, sdoc: Doc, normalized: Normalized, sentences: list[SentenceSpan]
) -> list[Mention]:
    """The post's mentions from the model and the rules, one label per name (no learned layer)."""
    found = link_mentions(doc, extract_mentions(doc, sdoc, normalized, sentences), sentences)
    return one_sense_per_post(doc, found, sentences)


def sentence_spans(
    doc: Document, sdoc: Doc, normalized: Normalized
) -> tuple[list[SentenceSpan], list[str]]:
    """Sentences in original offsets (those without a letter or digit dropped) and their lemmas."""
    spans: list[SentenceSpan] = []
    lemmas: list[str] = []
    for sent in sdoc.sents:
        start, end = normalized.to_original(sent.start_char, sent.end_char)
        raw = doc.text[start:end]
        text = raw.strip()
        if not any(char.isalnum() for char in text):
            continue  # blank, or a list marker standing alone
        lead = len(raw) - len(raw.lstrip())
        spans.append(SentenceSpan(doc.doc_id, start + lead, start + lead + len(text), text))
        lemmas.append(" ".join(t.lemma_.lower() for t in sent if t.is_alpha and not t.is_stop))
    return spans, lemmas
