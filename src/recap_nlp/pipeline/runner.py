"""Runs the stages in order: per-document stages streamed through spaCy, then cross-post stages.

This module and ``store`` are the only ones doing I/O; every stage is a plain function.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from spacy.tokens import Doc

from recap_nlp.entities import canonicalize, extract_mentions
from recap_nlp.entities.discourse import main_event_keys, one_sense_per_post
from recap_nlp.entities.learned import relabel_mentions
from recap_nlp.entities.links import link_mentions
from recap_nlp.facts import extract_facts
from recap_nlp.facts.dates import find_publication_date
from recap_nlp.facts.events import resolve_events
from recap_nlp.facts.reconcile import copied_passages, reconcile
from recap_nlp.facts.sources import describe_sources
from recap_nlp.ingest import corpus, dedup
from recap_nlp.ingest.normalize import Normalized, normalize
from recap_nlp.nlp import DEFAULT_MODEL, load_pipeline, parse
from recap_nlp.output import store
from recap_nlp.output.cache import CACHE_DIR
from recap_nlp.pipeline import engine
from recap_nlp.records import (
    Conflict,
    DocTheme,
    Document,
    Duplicate,
    Entity,
    Event,
    FactMention,
    Keyword,
    Mention,
    Sentence,
    SentenceSpan,
    Skipped,
    Source,
    Theme,
)
from recap_nlp.sentiment import (
    DocSentiment,
    EntitySentiment,
    ThemeSentiment,
    doc_sentiment,
    entity_sentiment,
    score_sentences,
    theme_sentiment,
)
from recap_nlp.themes import ThemeUnit, extract_keywords, fit_themes

log = logging.getLogger(__name__)

# Called after each document with the number of documents in the run.
_WithDocId = TypeVar("_WithDocId", SentenceSpan, Mention)
ProgressCallback = Callable[[Document, int], None]


@dataclass(frozen=True)
class RunOptions:
    """Settings of one run (packaged defaults, overridden by the CLI)."""

    workers: int = 1
    batch_size: int = 32
    model: str = DEFAULT_MODEL
    gazetteer: str | None = None
    max_file_mb: int = 5
    cache_dir: str | None = None  # per-document results reused when a post is unchanged
    force: bool = False  # recompute every post even when the cache has it
    use_cache: bool = True  # `run` keeps the cache in OUT/.cache
    engine: str = "local"  # "local" or "dask": where per-document stages run
    scheduler: str | None = None  # Dask scheduler address; None starts a LocalCluster
    n_themes: int = 0  # 0: chosen automatically
    theme_method: str = "nmf"
    seed: int = 0

    @classmethod
    def from_settings(cls, settings: dict[str, dict[str, Any]], **overrides: Any) -> RunOptions:
        """Options from merged settings, then from flags that were given (not None)."""
        values = dict(settings["run"])
        themes = settings.get("themes", {})
        values.update(
            n_themes=themes.get("n_themes", 0),
            theme_method=themes.get("method", "nmf"),
            seed=themes.get("seed", 0),
        )
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)


@dataclass(frozen=True)
class DocumentResult:
    """What the per-document stages produce for one post."""

    doc_id: str
    sentences: list[SentenceSpan]
    mentions: list[Mention]
    scored: list[Sentence]
    lemmas: list[str]  # content-word lemmas of each sentence, for themes
    from_cache: bool = False
    failure: str = ""  # "ValueError: ..." when a per-post stage raised; the post is skipped
    trace: str = ""  # the traceback of that failure, for OUT/run.log


@dataclass
class RunResult:
    """Every record of a run, before or after it is stored."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    sentences: list[SentenceSpan] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[FactMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    copies: list[tuple[str, str, str]] = field(default_factory=list)
    scored: list[Sentence] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    doc_themes: list[DocTheme] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    n_parsed: int = 0  # posts run through spaCy in this run (the others came from the cache)
    doc_sentiment: list[DocSentiment] = field(default_factory=list)
    entity_sentiment: list[EntitySentiment] = field(default_factory=list)
    theme_sentiment: list[ThemeSentiment] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    tracebacks: list[str] = field(default_factory=list)  # unexpected errors, for OUT/run.log
    sources: list[Source] = field(default_factory=list)


def read_documents(
    source: str | Path, options: RunOptions = RunOptions()
) -> tuple[list[Document], list[Skipped], list[Duplicate]]:
    """Ingest a corpus: read every file, then set exact and near duplicates aside."""
    documents, skipped, duplicates, _ = _read_corpus(source, options)
    return documents, skipped, duplicates


def _read_corpus(
    source: str | Path, options: RunOptions
) -> tuple[list[Document], list[Skipped], list[Duplicate], list[str]]:
    """``read_documents`` plus the tracebacks of unexpected reader errors (for run.log)."""
    result = corpus.read_corpus(source, max_bytes=options.max_file_mb * 1_000_000)
    kept, duplicates = dedup.split_duplicates(result.documents)
    documents = [with_publication_date(doc) for doc in kept]
    return documents, result.skipped, duplicates, result.tracebacks


def with_publication_date(doc: Document) -> Document:
    """Fill a missing publication date from the post's own date line.

    Example: a post starting "29 juin 2018 | 22:13" gets published "2018-06-29".
    """
    if doc.published:
        return doc
    found = find_publication_date(doc.text)
    if found is None or found.precision != "day":
        return doc
    return replace(doc, published=found.start_date, published_source="text")


def analyse(
    documents: list[Document],
    options: RunOptions = RunOptions(),
    progress: ProgressCallback | None = None,
) -> RunResult:
    """Run every stage over already-read documents (no file is written)."""
    result = RunResult(documents=sorted(documents, key=lambda d: d.doc_id))
    started = time.perf_counter()
    total = len(result.documents)
    report = (lambda doc: progress(doc, total)) if progress else None
    per_doc = engine.per_document_results(result.documents, options, report)
    result.n_parsed = sum(1 for item in per_doc if not item.from_cache)
    result.timings["per_document"] = time.perf_counter() - started
    per_doc = _set_failures_aside(result, per_doc)
    for item in per_doc:
        result.sentences.extend(item.sentences)
        result.mentions.extend(item.mentions)
        result.scored.extend(item.scored)
        result.lemmas.extend(item.lemmas)
    started = time.perf_counter()
    events = main_event_keys(result.documents, result.mentions)
    result.entities, result.mentions = canonicalize(result.mentions, events)
    result.timings["entities"] = time.perf_counter() - started
    started = time.perf_counter()
    add_facts(result)
    result.timings["facts"] = time.perf_counter() - started
    started = time.perf_counter()
    result.doc_sentiment = doc_sentiment(result.scored, [d.doc_id for d in result.documents])
    result.entity_sentiment = entity_sentiment(result.scored, result.mentions)
    result.timings["sentiment"] = time.perf_counter() - started
    started = time.perf_counter()
    add_themes(result, options)
    result.theme_sentiment = theme_sentiment(result.scored, result.doc_themes)
    result.timings["themes"] = time.perf_counter() - started
    return result


def _set_failures_aside(result: RunResult, per_doc: list[DocumentResult]) -> list[DocumentResult]:
    """Skip the posts whose per-post stages raised; keep their tracebacks for the run log."""
    failed = {item.doc_id: item for item in per_doc if item.failure}
    if not failed:
        return per_doc
    for doc in result.documents:
        if doc.doc_id in failed:
            item = failed[doc.doc_id]
            log.error("skipped %s: %s", doc.source_path, item.failure)
            reason = f"unexpected error in the per-post stages: {item.failure}"
            result.skipped.append(Skipped(doc.source_path, reason, doc.doc_id))
            result.tracebacks.append(f"{doc.source_path} ({doc.doc_id}):\n{item.trace}")
    result.documents = [doc for doc in result.documents if doc.doc_id not in failed]
    return [item for item in per_doc if not item.failure]


def add_themes(result: RunResult, options: RunOptions) -> None:
    """Themes over posts (entity names among the terms) and keywords per post."""
    units = [
        ThemeUnit(s.doc_id, s.start, s.end, s.text, lemmas)
        for s, lemmas in zip(result.sentences, result.lemmas, strict=True)
    ]
    method = "lda" if options.theme_method == "lda" else "nmf"
    names: dict[str, list[str]] = {}
    label_names: dict[str, list[str]] = {}
    for mention in result.mentions:
        name = mention.canonical or mention.text
        names.setdefault(mention.doc_id, []).append(name)
        if mention.label != "PER":  # a speaker's name says who, not what about
            label_names.setdefault(mention.doc_id, []).append(name)
    fitted = fit_themes(
        units,
        options.n_themes or None,
        method=method,
        seed=options.seed,
        names=names,
        label_names=label_names,
    )
    result.themes, result.doc_themes = fitted.themes, fitted.doc_themes
    result.notes.extend(fitted.notes)
    result.keywords = extract_keywords(units)


def add_facts(result: RunResult) -> None:
    """Facts per post, then events and reconciliation across posts."""
    sentences = _group_by_doc(result.sentences)
    mentions = _group_by_doc(result.mentions)
    facts: list[FactMention] = []
    for doc in result.documents:
        facts.extend(
            extract_facts(doc, sentences.get(doc.doc_id, []), mentions.get(doc.doc_id, []))
        )
    result.events, result.facts = resolve_events(facts, result.documents)
    result.copies = copied_passages(result.documents)
    result.sources = describe_sources(
        result.documents, result.facts, result.events, result.copies, result.mentions
    )
    result.conflicts = reconcile(
        result.events, result.facts, result.documents, result.copies, result.sources
    )


def _group_by_doc(records: Iterable[_WithDocId]) -> dict[str, list[_WithDocId]]:
    grouped: dict[str, list[_WithDocId]] = defaultdict(list)
    for record in records:
        grouped[record.doc_id].append(record)
    return grouped


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


def run(
    source: str | Path,
    out: str | Path,
    options: RunOptions = RunOptions(),
    progress: ProgressCallback | None = None,
    *,
    reports: bool = False,
) -> RunResult:
    """Read ``source``, run every stage and write the outputs into ``out``.

    With ``reports``, the fact sheets and figures are drawn from the staged tables and
    swapped in with them; without, the previous run's reports are removed (they would
    describe other tables). The output lock is held until the swap is done.
    """
    out_dir = Path(out)
    with store.output_lock(out_dir):
        store.recover_interrupted(out_dir)
        documents, skipped, duplicates, read_errors = _read_corpus(source, options)
        if options.use_cache and options.cache_dir is None:
            options = replace(options, cache_dir=str(out_dir / CACHE_DIR))
        result = analyse(documents, options, progress)
        result.skipped, result.duplicates = [*skipped, *result.skipped], duplicates
        result.tracebacks[:0] = read_errors
        store.write_outputs(
            out_dir,
            result_tables(result),
            write_reports if reports else None,
            run_log="\n".join(result.tracebacks),
        )
    return result


def write_reports(folder: Path) -> list[Path]:
    """Fact sheets and figures of the run whose database is in ``folder``."""
    from recap_nlp.output.factsheet import write_factsheets
    from recap_nlp.output.plots import write_figures

    return write_factsheets(folder) + write_figures(folder)


def result_tables(result: RunResult) -> list[store.Table]:
    """The tables of a run, in the order the README documents them."""
    from recap_nlp.output.tables import build_tables

    return build_tables(result)
