"""Where the per-document stages run: here (in worker processes with --workers) or on Dask.

Both engines compute the same ``DocumentResult`` per post (the per-document stages are pure
functions of one post) and return them in document order, so the cross-post stages and the
tables do not depend on the engine. Unchanged posts come from the content-hash cache
(``recap_nlp.output.cache``) whichever engine runs the others.

The Dask engine sends partitions of posts to workers with ``client.map``; each worker process
loads the spaCy pipeline once (``nlp.load_pipeline`` is cached per process) and runs
``per_document.process_documents`` over its partition with one process. Without a scheduler
address a ``LocalCluster`` of single-threaded worker processes is started for the run.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from recap_nlp.memory import ValuePool, ordinary_pages
from recap_nlp.output.cache import DocumentCache, cache_version
from recap_nlp.parallel import balanced_slices, fork_imap
from recap_nlp.pipeline.options import RunOptions
from recap_nlp.pipeline.per_document import process_documents
from recap_nlp.records import Document, DocumentResult

if TYPE_CHECKING:
    from distributed import Client

log = logging.getLogger(__name__)

EngineName = Literal["local", "dask"]
ENGINES: tuple[EngineName, ...] = ("local", "dask")
LOCAL_CLUSTER_WORKERS = 2  # a LocalCluster below two workers gains nothing over "local"
PARTITIONS_PER_WORKER = 4  # several partitions per worker so a slow one does not idle the rest

DocProgress = Callable[[Document], None]


def per_document_results(
    documents: Sequence[Document],
    options: RunOptions,
    progress: DocProgress | None = None,
) -> list[DocumentResult]:
    """Per-document results in document order: cached ones reused, the others computed.

    Args:
        documents: the posts of the run.
        options: the run's options; ``engine`` ("local" or "dask"), ``scheduler`` (a Dask
            scheduler address) and ``cache_dir``/``force`` choose where and what to compute.
        progress: called once per post, cached or computed.
    """
    store = _cache_of(options)
    cached = _cached_results(documents, store, options.force)
    _report([doc for doc in documents if doc.doc_id in cached], progress)
    missing = [doc for doc in documents if doc.doc_id not in cached]
    pool = ValuePool()
    for item in cached.values():
        share_values(item, pool)
    by_id = dict(cached)
    missing_by_id = {doc.doc_id: doc for doc in missing}
    # Stored as each post is done, so an interrupted run keeps what it finished. Results are
    # matched by id: a post whose stages failed may come back out of order (and is not stored).
    for item in iter_results(missing, options, progress):
        if store is not None and not item.failure:
            store.put(missing_by_id[item.doc_id], item)
        share_values(item, pool)
        by_id[item.doc_id] = item
    return [by_id[doc.doc_id] for doc in documents]


def share_values(item: DocumentResult, pool: ValuePool) -> None:
    """Let a post's records share the offsets, scores and labels equal to other posts' ones.

    The run holds every post's records until its outputs are written: at 5,000 posts about
    100 KiB a post, a fifth of it these values held once per record (see ``ValuePool``).
    """
    pool.share(item.sentences, ("start", "end"))
    pool.share(item.scored, SHARED_SCORE_FIELDS)
    pool.share(item.mentions, ("start", "end", "sentence_start", "text", "label", "source"))


SHARED_SCORE_FIELDS = (
    "start",
    "end",
    "polarity",
    "label",
    "p_positive",
    "p_neutral",
    "p_negative",
)


def _cache_of(options: RunOptions) -> DocumentCache | None:
    if options.cache_dir is None:
        return None
    return DocumentCache(Path(options.cache_dir), cache_version(options.model, options.gazetteer))


def _cached_results(
    documents: Sequence[Document], store: DocumentCache | None, force: bool
) -> dict[str, DocumentResult]:
    if store is None or force:
        return {}
    found: dict[str, DocumentResult] = {}
    for doc in documents:
        hit = store.get(doc)
        if hit is not None:
            found[doc.doc_id] = DocumentResult(doc.doc_id, **hit, from_cache=True)
    return found


def engine_of(options: RunOptions) -> tuple[EngineName, str | None]:
    """The engine and scheduler address the options ask for ("local", None by default)."""
    for name in ENGINES:
        if (options.engine or "local") == name:
            return name, options.scheduler
    raise ValueError(f"unknown engine {options.engine!r}: expected one of {', '.join(ENGINES)}")


def compute_results(
    documents: Sequence[Document],
    options: RunOptions,
    progress: DocProgress | None = None,
) -> list[DocumentResult]:
    """Run the per-document stages over every post with the engine the options name."""
    return list(iter_results(documents, options, progress))


def iter_results(
    documents: Sequence[Document],
    options: RunOptions,
    progress: DocProgress | None = None,
) -> Iterator[DocumentResult]:
    """The per-document results in document order, streamed by the local engine."""
    if not documents:
        return
    name, scheduler = engine_of(options)
    if name == "dask":
        yield from dask_results(documents, options, progress, scheduler=scheduler)
    elif options.workers > 1 and len(documents) > 1:
        yield from pool_results(documents, options, progress)
    else:
        yield from process_documents(documents, options, progress)


def pool_results(
    documents: Sequence[Document],
    options: RunOptions,
    progress: DocProgress | None = None,
) -> Iterator[DocumentResult]:
    """The per-document stages in ``options.workers`` local processes, in document order.

    The shortest post is run here first: that loads the spaCy pipeline and the tables the
    stages read in this process, and the forked workers inherit them (copy-on-write) instead
    of loading them again each, as do the cross-post stages run here afterwards. The other
    posts go to the workers in slices of about equal length, the longest handed out first;
    each worker parses a slice and runs the per-document stages on it, as a Dask task does:
    only the finished records come back, never spaCy ``Doc`` objects. Where processes cannot
    fork they are spawned, each loading the pipeline once.
    """
    worker_options = replace(options, workers=1, cache_dir=None)
    here = min(range(len(documents)), key=lambda i: (_post_cost(documents[i]), i))
    held = list(process_documents([documents[here]], worker_options, progress))
    others = [doc for i, doc in enumerate(documents) if i != here]
    parts = balanced_slices(others, options.workers, _post_cost, per_worker=PARTITIONS_PER_WORKER)
    parts = [piece for part in parts for piece in partitions(part, options.batch_size)]
    results = fork_imap(
        _shared_partition,
        parts,
        options.workers,
        {"options": worker_options},
        cost=lambda part: sum(_post_cost(doc) for doc in part),
        spawn_fallback=True,
    )
    position = {doc.doc_id: i for i, doc in enumerate(documents)}
    for part, part_results in zip(parts, results, strict=True):
        for item in part_results:
            if held and position[item.doc_id] > here:
                yield from held  # the post run here, in its place
                held = []
            yield item
        _report(part, progress)
    yield from held


def _post_cost(doc: Document) -> int:
    """The work a post asks of the per-document stages: about its length."""
    return len(doc.text)


def _shared_partition(shared: Mapping[str, Any], documents: list[Document]) -> list[DocumentResult]:
    return process_partition(documents, shared["options"])


def dask_results(
    documents: Sequence[Document],
    options: RunOptions,
    progress: DocProgress | None = None,
    *,
    scheduler: str | None = None,
) -> list[DocumentResult]:
    """The per-document stages on a Dask cluster, results in document order.

    Args:
        documents: the posts to process.
        options: the run's options (``workers`` sizes a local cluster; each worker
            parses with one process).
        progress: called for each post of a partition when the partition is back.
        scheduler: address of a running scheduler ("tcp://host:8786"); None starts a
            ``LocalCluster`` for this call. Its workers need recap_nlp and the model installed.
    """
    from distributed import as_completed

    with _client(scheduler, max(options.workers, LOCAL_CLUSTER_WORKERS)) as client:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        parts = partitions(documents, partition_size(len(documents), n_workers, options))
        worker_options = replace(options, workers=1, cache_dir=None)
        futures = client.map(process_partition, parts, options=worker_options, pure=False)
        position = {future.key: index for index, future in enumerate(futures)}
        gathered: list[list[DocumentResult]] = [[] for _ in parts]
        for future in as_completed(futures):
            index = position[future.key]
            gathered[index] = future.result()
            future.release()  # the worker may drop its copy: results live here from now on
            _report(parts[index], progress)
    return [item for part in gathered for item in part]


def _report(documents: list[Document], progress: DocProgress | None) -> None:
    if progress is not None:
        for doc in documents:
            progress(doc)


def process_partition(documents: list[Document], options: RunOptions) -> list[DocumentResult]:
    """What one Dask task computes: the per-document stages over a partition of posts.

    A Dask worker is a process of its own: numpy's huge-page advice is turned off there too
    (:func:`recap_nlp.memory.ordinary_pages`), as in a local run.
    """
    with ordinary_pages():
        return list(process_documents(documents, options))


def partition_size(n_documents: int, n_workers: int, options: RunOptions) -> int:
    """Posts per task: at most one spaCy batch, and enough tasks to keep every worker busy."""
    balanced = math.ceil(n_documents / (n_workers * PARTITIONS_PER_WORKER))
    return max(1, min(options.batch_size, balanced))


def partitions(documents: Sequence[Document], size: int) -> list[list[Document]]:
    """Consecutive slices of ``size`` posts (the last one shorter)."""
    return [list(documents[i : i + size]) for i in range(0, len(documents), size)]


@contextmanager
def _client(scheduler: str | None, n_workers: int) -> Iterator[Client]:
    from distributed import Client, LocalCluster

    if scheduler:
        log.info("per-document stages on the Dask scheduler %s", scheduler)
        with Client(scheduler) as client:
            yield client
        return
    log.info("per-document stages on a local Dask cluster of %d workers", n_workers)
    settings: dict[str, Any] = {"threads_per_worker": 1, "processes": True}
    with (
        LocalCluster(n_workers=n_workers, dashboard_address=None, **settings) as cluster,
        Client(cluster) as client,
    ):
        yield client
