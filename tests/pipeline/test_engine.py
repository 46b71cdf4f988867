"""Engines: the local and Dask engines give the same per-document results and tables."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recap_nlp.output.tables import build_tables
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
