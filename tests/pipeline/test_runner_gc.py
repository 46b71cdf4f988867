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
    monkeypatch.setattr(runner, "result_tables", lambda result: [])
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
