from __future__ import annotations

from pathlib import Path

import pytest

from recap_nlp import store
from recap_nlp.records import Skipped


def _tables(n: int) -> list[store.Table]:
    skips = [Skipped(f"f{i}.txt", "empty file") for i in range(n)]
    return [store.table_from_records("skipped", Skipped, skips)]


def test_written_tables_read_back(tmp_path: Path) -> None:
    store.write_outputs(tmp_path, _tables(3))
    frame = store.read_table(tmp_path, "skipped")
    assert list(frame.columns) == ["path", "reason", "doc_id"]
    assert frame["path"].tolist() == ["f0.txt", "f1.txt", "f2.txt"]
    assert (tmp_path / "tables" / "skipped.csv").read_text().splitlines()[0] == "path,reason,doc_id"


def test_empty_table_keeps_its_columns(tmp_path: Path) -> None:
    store.write_outputs(tmp_path, _tables(0))
    assert store.read_table(tmp_path, "skipped").columns.tolist() == ["path", "reason", "doc_id"]


def test_crash_while_writing_leaves_previous_outputs_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.write_outputs(tmp_path, _tables(2))
    before_csv = (tmp_path / "tables" / "skipped.csv").read_bytes()

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store.pd.DataFrame, "to_csv", crash)
    with pytest.raises(KeyboardInterrupt):
        store.write_outputs(tmp_path, _tables(5))
    assert (tmp_path / "tables" / "skipped.csv").read_bytes() == before_csv
    assert len(store.read_table(tmp_path, "skipped")) == 2
    assert not list(tmp_path.glob(".staging-*"))


def test_interrupted_swap_is_recovered(tmp_path: Path) -> None:
    store.write_outputs(tmp_path, _tables(2))
    (tmp_path / "tables").rename(tmp_path / ".tables.old")
    store.recover_interrupted(tmp_path)
    assert (tmp_path / "tables" / "skipped.csv").exists()


def test_second_concurrent_run_is_refused(tmp_path: Path) -> None:
    with store.output_lock(tmp_path):
        second = store.output_lock(tmp_path)
        with pytest.raises(store.OutputLockedError, match="in use"):
            second.__enter__()
    with store.output_lock(tmp_path):  # released after the first run
        pass


def test_stale_lock_of_a_dead_process_is_cleared(tmp_path: Path) -> None:
    (tmp_path / store.LOCK_NAME).write_text("999999999")
    with store.output_lock(tmp_path):
        pass
