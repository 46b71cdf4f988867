"""Runs the stages in order: per-document stages streamed through spaCy, then cross-post stages.

``analyse`` calls the stages (plain functions, records in and out) and builds the run's
``RunResult`` once; ``run`` reads the corpus, analyses it and hands the tables to ``output``,
the only package that writes files.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from recap_nlp.entities import canonicalize
from recap_nlp.entities.discourse import main_event_keys
from recap_nlp.facts import extract_facts
from recap_nlp.facts.dates import find_publication_date
from recap_nlp.facts.events import resolve_events
from recap_nlp.facts.reconcile import copied_passages, reconcile
from recap_nlp.facts.sources import describe_sources
from recap_nlp.ingest import corpus, dedup
from recap_nlp.memory import ordinary_pages
from recap_nlp.output import store
from recap_nlp.output.cache import CACHE_DIR
from recap_nlp.output.reports import write_reports
from recap_nlp.output.tables import build_tables, iter_tables
from recap_nlp.parallel import balanced_slices, call_aside, fork_map
from recap_nlp.pipeline import engine
from recap_nlp.pipeline.options import RunOptions
from recap_nlp.records import (
    Conflict,
    Copy,
    DocTheme,
    Document,
    DocumentResult,
    Duplicate,
    Event,
    FactMention,
    Keyword,
    Mention,
    RunResult,
    SentenceSpan,
    Skipped,
    Source,
    Theme,
)
from recap_nlp.sentiment import doc_sentiment, entity_sentiment, theme_sentiment
from recap_nlp.themes import ThemeUnit, extract_keywords, fit_themes

log = logging.getLogger(__name__)

# Called after each document with the number of documents in the run.
_WithDocId = TypeVar("_WithDocId", SentenceSpan, Mention)
ProgressCallback = Callable[[Document, int], None]


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
    *,
    skipped: Sequence[Skipped] = (),
    duplicates: Sequence[Duplicate] = (),
    read_errors: Sequence[str] = (),
) -> RunResult:
    """Run every stage over already-read documents (no file is written).

    ``skipped``, ``duplicates`` and ``read_errors`` (tracebacks of reader errors) are what
    reading the corpus set aside; they go into the result ahead of the posts whose
    per-document stages fail here.
    """
    with ordinary_pages():
        return _analyse(documents, options, progress, skipped, duplicates, read_errors)


def _analyse(
    documents: list[Document],
    options: RunOptions,
    progress: ProgressCallback | None,
    skipped: Sequence[Skipped],
    duplicates: Sequence[Duplicate],
    read_errors: Sequence[str],
) -> RunResult:
    ordered = sorted(documents, key=lambda d: d.doc_id)
    clock = StageClock()
    report = (lambda doc: progress(doc, len(ordered))) if progress else None
    with clock.stage("per_document"):
        per_doc = engine.per_document_results(ordered, options, report)
    n_parsed = sum(1 for item in per_doc if not item.from_cache)
    failed = {item.doc_id: item for item in per_doc if item.failure}
    failed_skips, tracebacks = _failure_records(ordered, failed)
    kept = [doc for doc in ordered if doc.doc_id not in failed]
    per_doc = [item for item in per_doc if not item.failure]
    sentences = [s for item in per_doc for s in item.sentences]
    scored = [s for item in per_doc for s in item.scored]
    lemmas = [lemma for item in per_doc for lemma in item.lemmas]
    rule_mentions = [m for item in per_doc for m in item.mentions]
    del per_doc  # its records live on in the lists above: only the containers go
    with clock.stage("entities"):
        entities, mentions = canonicalize(rule_mentions, main_event_keys(kept, rule_mentions))
        del rule_mentions  # replaced by the mentions with their entity ids
    # With several workers the themes are fitted in a process of their own while the facts
    # are found here: the facts' serial steps and the themes' leave each other's core idle.
    # The same functions on the same records: the same themes either way.
    themes_input = {
        "sentences": sentences,
        "lemmas": lemmas,
        "mentions": mentions,
        "options": options,
    }
    with call_aside(_themes_task, themes_input, fork=options.workers > 1) as pending_themes:
        with clock.stage("facts"):
            facts = cross_post_facts(kept, sentences, mentions, options.workers)
        with clock.stage("sentiment"):
            doc_tones = doc_sentiment(scored, [d.doc_id for d in kept])
            entity_tones = entity_sentiment(scored, mentions)
        with clock.stage("themes"):  # with several workers: what is left of them once facts end
            themes = pending_themes.result()
            theme_tones = theme_sentiment(scored, themes.doc_themes)
    return RunResult(
        documents=kept,
        skipped=[*skipped, *failed_skips],
        duplicates=list(duplicates),
        sentences=sentences,
        mentions=mentions,
        entities=entities,
        facts=facts.facts,
        events=facts.events,
        conflicts=facts.conflicts,
        copies=facts.copies,
        scored=scored,
        lemmas=lemmas,
        themes=themes.themes,
        doc_themes=themes.doc_themes,
        keywords=themes.keywords,
        notes=themes.notes,
        n_parsed=n_parsed,
        doc_sentiment=doc_tones,
        entity_sentiment=entity_tones,
        theme_sentiment=theme_tones,
        timings=clock.wall,
        cpu_timings=clock.cpu,
        tracebacks=[*read_errors, *tracebacks],
        sources=facts.sources,
    )


def _failure_records(
    documents: list[Document], failed: dict[str, DocumentResult]
) -> tuple[list[Skipped], list[str]]:
    """The posts whose per-post stages raised, as skips, and their tracebacks for the run log."""
    skipped: list[Skipped] = []
    tracebacks: list[str] = []
    for doc in documents:
        if doc.doc_id in failed:
            item = failed[doc.doc_id]
            log.error("skipped %s: %s", doc.source_path, item.failure)
            reason = f"unexpected error in the per-post stages: {item.failure}"
            skipped.append(Skipped(doc.source_path, reason, doc.doc_id))
            tracebacks.append(f"{doc.source_path} ({doc.doc_id}):\n{item.trace}")
    return skipped, tracebacks


class StageClock:
    """Wall and CPU seconds per stage; CPU counts the worker processes a stage waited for.

    Example:
        ``with clock.stage("facts"): ...`` then ``clock.wall["facts"]``, ``clock.cpu["facts"]``.
    """

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), _cpu_seconds()
        try:
            yield
        finally:
            self.wall[name] = time.perf_counter() - wall
            self.cpu[name] = _cpu_seconds() - cpu


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended (0 for them on Windows)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@dataclass(frozen=True)
class RunThemes:
    """The themes stage's records for a run."""

    themes: list[Theme]
    doc_themes: list[DocTheme]
    keywords: list[Keyword]
    notes: list[str]


def fit_run_themes(
    sentences: list[SentenceSpan], lemmas: list[str], mentions: list[Mention], options: RunOptions
) -> RunThemes:
    """Themes over posts (entity names among the terms) and keywords per post."""
    units = [
        ThemeUnit(s.doc_id, s.start, s.end, s.text, unit_lemmas)
        for s, unit_lemmas in zip(sentences, lemmas, strict=True)
    ]
    method = "lda" if options.theme_method == "lda" else "nmf"
    names: dict[str, list[str]] = {}
    label_names: dict[str, list[str]] = {}
    for mention in mentions:
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
        workers=options.workers,
    )
    return RunThemes(fitted.themes, fitted.doc_themes, extract_keywords(units), list(fitted.notes))


def _themes_task(shared: Mapping[str, Any]) -> RunThemes:
    """:func:`fit_run_themes` of a run's records (a call of :func:`call_aside`)."""
    return fit_run_themes(
        shared["sentences"], shared["lemmas"], shared["mentions"], shared["options"]
    )


@dataclass(frozen=True)
class RunFacts:
    """The facts stages' records for a run: facts, events, copies, sources and conflicts."""

    facts: list[FactMention]
    events: list[Event]
    copies: list[Copy]
    sources: list[Source]
    conflicts: list[Conflict]


def cross_post_facts(
    documents: list[Document],
    sentences: list[SentenceSpan],
    mentions: list[Mention],
    workers: int = 1,
) -> RunFacts:
    """Facts per post, then events and reconciliation across posts.

    With ``workers`` > 1 the facts of slices of posts, and the passages copied between posts
    (which only read the texts), are found in that many forked processes.
    """
    tasks: list[list[Document]] = [[], *balanced_slices(documents, workers, _text_length)]
    shared = {
        "documents": documents,
        "sentences": _group_by_doc(sentences),
        "mentions": _group_by_doc(mentions),
    }
    done = fork_map(_facts_task, tasks, workers, shared, cost=_slice_cost(documents))
    copies: list[Copy] = done[0]  # type: ignore[assignment]
    found = [fact for part in done[1:] for fact in part]
    events, facts = resolve_events(found, documents)
    sources = describe_sources(documents, facts, events, copies, mentions)
    conflicts = reconcile(events, facts, documents, copies, sources)
    return RunFacts(facts, events, copies, sources, conflicts)


def _text_length(doc: Document) -> int:
    return len(doc.text)


def _slice_cost(documents: list[Document]) -> Callable[[list[Document]], float]:
    """The cost of a task of ``cross_post_facts``: its texts' length (all texts: the copies)."""
    everything = float(sum(map(_text_length, documents)))
    return lambda posts: float(sum(map(_text_length, posts))) if posts else everything


def _facts_task(shared: Mapping[str, Any], posts: list[Document]) -> list[Any]:
    """One task of ``cross_post_facts``: the facts of a few posts in their order, or (for
    no post) the passages copied between the run's posts."""
    if not posts:
        return copied_passages(shared["documents"])
    sentences_of, mentions_of = shared["sentences"], shared["mentions"]
    found: list[FactMention] = []
    for doc in posts:
        found.extend(
            extract_facts(doc, sentences_of.get(doc.doc_id, []), mentions_of.get(doc.doc_id, []))
        )
    return found


def _group_by_doc(records: Iterable[_WithDocId]) -> dict[str, list[_WithDocId]]:
    grouped: dict[str, list[_WithDocId]] = defaultdict(list)
    for record in records:
        grouped[record.doc_id].append(record)
    return grouped


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
    with store.output_lock(out_dir), ordinary_pages():
        store.recover_interrupted(out_dir)
        documents, skipped, duplicates, read_errors = _read_corpus(source, options)
        if options.use_cache and options.cache_dir is None:
            options = replace(options, cache_dir=str(out_dir / CACHE_DIR))
        result = analyse(
            documents,
            options,
            progress,
            skipped=skipped,
            duplicates=duplicates,
            read_errors=read_errors,
        )
        # The run's records stay alive while the outputs are written, and every full garbage
        # collection would walk them again: set aside (not freed) until the writing is done.
        gc.freeze()
        try:
            store.write_outputs(
                out_dir,
                iter_tables(result),  # each table written, then released, before the next is built
                partial(write_reports, workers=options.workers) if reports else None,
                run_log="\n".join(result.tracebacks),
            )
        finally:
            gc.unfreeze()
    return result


def result_tables(result: RunResult) -> list[store.Table]:
    """The tables of a run, in the order the README documents them."""
    return build_tables(result)
