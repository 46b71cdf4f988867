"""Engines: the local and Dask engines give the same per-document results and tables."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recap_nlp import nlp
from recap_nlp.output.tables import build_tables
from recap_nlp.parallel import can_fork
from recap_nlp.pipeline import engine, per_document
from recap_nlp.pipeline import runner as pipeline
from recap_nlp.pipeline.options import RunOptions
from recap_nlp.pipeline.runner import read_documents
from recap_nlp.records import Document
from tests.conftest import CORPUS


def _doc(doc_id: str, text: str = "Nous sommes arrivés à Nantes le 3 juin.") -> Document:
    return Document(doc_id, text, f"{doc_id}.txt", "txt", content_hash=doc_id)


@given(st.integers(0, 200), st.integers(1, 50))
def test_partitions_keep_every_post_once_in_order(n: int, size: int) -> None:
    docs = [_doc(f"d{i:03d}") for i in range(n)]
    parts = engine.partitions(docs, size)
    assert [d for part in parts for d in part] == docs
    assert all(1 <= len(part) <= size for part in parts)


@pytest.mark.parametrize(
    ("n_documents", "n_workers", "batch_size", "expected"),
    [
        (5, 2, 32, 1),  # few posts: one per task, both workers busy
        (80, 2, 32, 10),  # four tasks per worker
        (5000, 2, 32, 32),  # never more than one spaCy batch per task
        (0, 2, 32, 1),
    ],
)
def test_partition_size(n_documents: int, n_workers: int, batch_size: int, expected: int) -> None:
    options = RunOptions(batch_size=batch_size)
    assert engine.partition_size(n_documents, n_workers, options) == expected


def test_unknown_engine_is_an_error() -> None:
    class Options:
        engine = "spark"

    with pytest.raises(ValueError, match="spark"):
        engine.engine_of(Options())  # type: ignore[arg-type]


def test_no_document_starts_nothing() -> None:
    assert engine.compute_results([], RunOptions()) == []


def _counting_parse(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the id of every post spaCy parses in this process."""
    parsed: list[str] = []
    real_parse = per_document.parse

    def parse(*args: object, **kwargs: object) -> Iterator[tuple[object, tuple[Document, object]]]:
        for sdoc, context in real_parse(*args, **kwargs):  # type: ignore[arg-type]
            parsed.append(context[0].doc_id)
            yield sdoc, context

    monkeypatch.setattr(per_document, "parse", parse)
    return parsed


def test_cached_run_parses_only_new_posts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [_doc("a", "Le Web2Day a lieu à Nantes."), _doc("b", "Une belle mission à Laval.")]
    options = RunOptions(cache_dir=str(tmp_path / ".cache"))
    parsed = _counting_parse(monkeypatch)
    first = engine.per_document_results(docs[:1], options)
    assert parsed == ["a"]
    progressed: list[str] = []
    second = engine.per_document_results(docs, options, lambda d: progressed.append(d.doc_id))
    assert parsed == ["a", "b"]
    assert sorted(progressed) == ["a", "b"]
    assert second[0].from_cache and not second[1].from_cache
    assert replace(second[0], from_cache=False) == first[0]
    engine.per_document_results(docs, replace(options, force=True))
    assert parsed == ["a", "b", "a", "b"]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A two-worker local Dask cluster shared by the tests of this module."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


@pytest.mark.slow
def test_dask_engine_matches_local_engine(scheduler: str) -> None:
    docs, _, _ = read_documents(CORPUS)
    local = engine.compute_results(docs, RunOptions())
    progressed: list[str] = []
    remote = engine.dask_results(
        docs, RunOptions(), lambda d: progressed.append(d.doc_id), scheduler=scheduler
    )
    assert [r.doc_id for r in remote] == [d.doc_id for d in docs]
    assert sorted(progressed) == sorted(d.doc_id for d in docs)
    assert remote == local


@pytest.mark.slow
def test_dask_engine_tables_match_local_tables(scheduler: str) -> None:
    docs, _, _ = read_documents(CORPUS)
    local = pipeline.analyse(docs, RunOptions())
    dask_options = RunOptions(engine="dask", scheduler=scheduler)
    remote = pipeline.analyse(docs, dask_options)
    assert [t.rows for t in build_tables(remote)] == [t.rows for t in build_tables(local)]


@pytest.mark.slow
def test_local_workers_match_one_process() -> None:
    docs, _, _ = read_documents(CORPUS)
    one = engine.compute_results(docs, RunOptions())
    progressed: list[str] = []
    two = list(
        engine.iter_results(docs, RunOptions(workers=2), lambda d: progressed.append(d.doc_id))
    )
    assert [r.doc_id for r in two] == [d.doc_id for d in docs]
    assert sorted(progressed) == sorted(d.doc_id for d in docs)
    assert two == one


def test_local_workers_run_the_stages_in_worker_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed = _counting_parse(monkeypatch)  # counts only what this process parses
    docs = [
        _doc("a", "Le Web2Day a lieu à Nantes en juin."),
        _doc("b", "Une mission à Laval."),
        _doc("c", "Nous avons visité Rennes en juin."),
    ]
    results = list(engine.iter_results(docs, RunOptions(workers=2)))
    assert [r.doc_id for r in results] == ["a", "b", "c"]
    assert all(r.mentions for r in results)
    # Only the shortest post is parsed here (it loads what the forked workers inherit).
    assert parsed == ["b"]


@pytest.mark.skipif(not can_fork(), reason="this platform does not fork")
def test_workers_inherit_the_pipeline_loaded_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    loads = tmp_path / "loads.txt"  # one line per load, written by whichever process loads
    real_load = nlp._load_with_senter

    def counted_load(model: str) -> object:
        with loads.open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return real_load(model)

    monkeypatch.setattr(nlp, "_load_with_senter", counted_load)
    nlp._load_pipeline.cache_clear()
    try:
        docs = [_doc(f"d{i}", f"Nous étions {i} à Nantes pour le Web2Day.") for i in range(6)]
        results = list(engine.iter_results(docs, RunOptions(workers=2, batch_size=1)))
    finally:
        nlp._load_pipeline.cache_clear()  # the next test loads the real pipeline again
    assert [r.doc_id for r in results] == [d.doc_id for d in docs]
    assert loads.read_text(encoding="utf-8").split() == [str(os.getpid())]


def test_workers_keep_the_order_of_posts_of_any_length() -> None:
    # The shortest post (run in this process) sits in the middle; the longest is last.
    visit = "Une visite à Laval en juin."
    texts = [visit, visit, "À Laval.", visit, visit, "Une longue journée à Nantes. " * 40]
    docs = [_doc(f"d{i}", text) for i, text in enumerate(texts)]
    results = list(engine.iter_results(docs, RunOptions(workers=2)))
    assert [r.doc_id for r in results] == [d.doc_id for d in docs]
    assert results == engine.compute_results(docs, RunOptions())
