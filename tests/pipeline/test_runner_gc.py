"""A run writes its outputs with its records set aside from the garbage collector, then
puts them back, whether the writing succeeds or fails."""

from __future__ import annotations

import gc
from pathlib import Path
from types import SimpleNamespace

import pytest

from recap_nlp.pipeline import runner


def _stub_run(monkeypatch: pytest.MonkeyPatch, write) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(runner, "_read_corpus", lambda source, options: ([], [], [], []))
    monkeypatch.setattr(runner, "analyse", lambda *a, **k: SimpleNamespace(tracebacks=[]))
    monkeypatch.setattr(runner, "iter_tables", lambda result: iter([]))
    monkeypatch.setattr(runner.store, "write_outputs", write)


def test_outputs_written_with_the_records_frozen_then_unfrozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    _stub_run(monkeypatch, lambda *a, **k: seen.append(gc.get_freeze_count()))
    runner.run(tmp_path / "posts", tmp_path / "out")
    assert seen and seen[0] > 0  # the objects alive before writing were set aside
    assert gc.get_freeze_count() == 0


def test_a_failed_write_unfreezes_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disque plein")

    _stub_run(monkeypatch, fail)
    with pytest.raises(OSError):
        runner.run(tmp_path / "posts", tmp_path / "out")
    assert gc.get_freeze_count() == 0


def test_the_run_writes_with_numpys_huge_page_advice_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recap_nlp.memory import ENVIRONMENT_SWITCH, hugepage_advice

    if hugepage_advice() is None:
        pytest.skip("numpy has no huge-page switch")
    monkeypatch.delenv(ENVIRONMENT_SWITCH, raising=False)
    seen: list[bool | None] = []
    _stub_run(monkeypatch, lambda *a, **k: seen.append(hugepage_advice()))
    before = hugepage_advice()
    runner.run(tmp_path / "posts", tmp_path / "out")
    assert seen == [False]
    assert hugepage_advice() is before


def test_analysis_runs_with_numpys_huge_page_advice_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from recap_nlp.memory import ENVIRONMENT_SWITCH, hugepage_advice

    if hugepage_advice() is None:
        pytest.skip("numpy has no huge-page switch")
    monkeypatch.delenv(ENVIRONMENT_SWITCH, raising=False)
    seen: list[bool | None] = []

    def per_document_results(*args: object) -> list[object]:
        seen.append(hugepage_advice())
        raise RuntimeError("stop here")

    monkeypatch.setattr(runner.engine, "per_document_results", per_document_results)
    with pytest.raises(RuntimeError):
        runner.analyse([])
    assert seen == [False]
