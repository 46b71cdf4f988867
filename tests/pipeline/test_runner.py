"""The cross-post stages of a run: with several workers the themes are fitted in a process of
their own beside the facts, and every table is the same as with one worker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from recap_nlp.output.tables import build_tables
from recap_nlp.parallel import can_fork
from recap_nlp.pipeline import runner
from recap_nlp.pipeline.options import RunOptions
from recap_nlp.records import Document

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, text, f"{doc_id}.txt", "txt", content_hash=doc_id)


def _themes_pid(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, workers: int) -> int:
    record = tmp_path / f"pid-{workers}"
    real = runner.fit_run_themes

    def fit_and_record(*args: object, **kwargs: object) -> runner.RunThemes:
        record.write_text(str(os.getpid()), encoding="utf-8")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "fit_run_themes", fit_and_record)
    docs = [
        _doc("a", "Le Web2Day a lieu à Nantes en juin. Nous étions 40."),
        _doc("b", "Une mission à Laval avec la CCI. Le programme était dense."),
    ]
    result = runner.analyse(docs, RunOptions(workers=workers, use_cache=False, n_themes=1))
    assert [d.doc_id for d in result.documents] == ["a", "b"]
    assert result.themes  # the themes came back from wherever they were fitted
    return int(record.read_text(encoding="utf-8"))


def test_one_worker_fits_the_themes_here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert _themes_pid(monkeypatch, tmp_path, 1) == os.getpid()


@pytest.mark.skipif(not can_fork(), reason="this platform does not fork")
def test_two_workers_fit_the_themes_in_a_process_of_their_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert _themes_pid(monkeypatch, tmp_path, 2) != os.getpid()


@pytest.mark.slow
def test_two_workers_give_the_tables_of_one() -> None:
    docs, _, _ = runner.read_documents(CORPUS)
    one = runner.analyse(docs, RunOptions(use_cache=False))
    two = runner.analyse(docs, RunOptions(workers=2, use_cache=False))
    assert [t.name for t in build_tables(two)] == [t.name for t in build_tables(one)]
    assert [t.rows for t in build_tables(two)] == [t.rows for t in build_tables(one)]
    assert two.themes and two.themes == one.themes
