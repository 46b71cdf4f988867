from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from recap_nlp.output import store
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


def _text_table(values: list[str]) -> list[store.Table]:
    columns = {"title": "VARCHAR", "score": "DOUBLE", "n": "BIGINT"}
    rows = [{"title": v, "score": -0.4, "n": -3} for v in values]
    return [store.table_from_rows("documents", columns, rows)]


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        ('=HYPERLINK("http://exemple.org","clic")', '\'=HYPERLINK("http://exemple.org","clic")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2 degrés à Lyon", "'-2 degrés à Lyon"),
        ("@SOMME(A1:A2)", "'@SOMME(A1:A2)"),
        ("\tTabulation", "'\tTabulation"),
        ("\rRetour", "'\rRetour"),
        ("Salon du livre = succès", "Salon du livre = succès"),
        ("", ""),
    ],
)
def test_csv_text_cells_cannot_run_as_formulas(tmp_path: Path, raw: str, written: str) -> None:
    store.write_outputs(tmp_path, _text_table([raw]))
    frame = pd.read_csv(tmp_path / "tables" / "documents.csv", keep_default_na=False)
    assert frame["title"].tolist() == [written]
    assert frame["score"].tolist() == [-0.4]  # numbers stay numbers
    assert frame["n"].tolist() == [-3]
    assert store.read_table(tmp_path, "documents")["title"].tolist() == [raw]  # DuckDB raw


def test_out_naming_a_file_is_a_folder_error(tmp_path: Path) -> None:
    target = tmp_path / "fichier.txt"
    target.write_text("déjà là")
    with pytest.raises(store.OutputFolderError, match=r"fichier\.txt: exists and is not a folder"):
        store.write_outputs(target, _tables(1))
    with pytest.raises(store.OutputFolderError, match="cannot be created"):
        store.write_outputs(target / "sous-dossier", _tables(1))
    assert target.read_text() == "déjà là"


def test_read_only_folder_is_a_folder_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, who writes anywhere: the permission check is simulated.
    real_access = store.os.access
    monkeypatch.setattr(
        store.os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode)
    )
    with pytest.raises(store.OutputFolderError, match="not writable"):
        store.write_outputs(tmp_path, _tables(1))
    with pytest.raises(store.OutputFolderError, match="not writable"):
        store.output_lock(tmp_path).__enter__()


def test_full_disk_leaves_previous_outputs_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    store.write_outputs(tmp_path, _tables(2))
    before = (tmp_path / "tables" / "skipped.csv").read_bytes()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "skipped.csv")

    monkeypatch.setattr(store.pd.DataFrame, "to_csv", full)
    with pytest.raises(store.OutputFolderError) as caught:
        store.write_outputs(tmp_path, _tables(5))
    message = str(caught.value)
    assert str(tmp_path) in message and "no space left on device" in message
    assert "previous outputs are left intact" in message and "\n" not in message
    assert (tmp_path / "tables" / "skipped.csv").read_bytes() == before
    assert len(store.read_table(tmp_path, "skipped")) == 2
    assert not list(tmp_path.glob(".staging-*"))


def test_reports_are_staged_and_swapped_with_the_tables(tmp_path: Path) -> None:
    def sheets(names: list[str]) -> object:
        def write(folder: Path) -> None:
            assert store.read_table(folder, "skipped") is not None  # the staged database
            (folder / "factsheets").mkdir()
            for name in names:
                (folder / "factsheets" / f"{name}.md").write_text(name)

        return write

    store.write_outputs(tmp_path, _tables(2), sheets(["salon-a", "salon-b"]))
    assert sorted(p.name for p in (tmp_path / "factsheets").iterdir()) == [
        "salon-a.md",
        "salon-b.md",
    ]
    store.write_outputs(tmp_path, _tables(1), sheets(["salon-b"]))
    assert [p.name for p in (tmp_path / "factsheets").iterdir()] == ["salon-b.md"]
    store.write_outputs(tmp_path, _tables(1))  # no reports: the old ones do not stay
    assert not (tmp_path / "factsheets").exists()


def test_failing_report_leaves_previous_run_whole(tmp_path: Path) -> None:
    def good(folder: Path) -> None:
        (folder / "figures").mkdir()
        (folder / "figures" / "entities.svg").write_text("ancienne")

    def broken(folder: Path) -> None:
        (folder / "figures").mkdir()
        raise KeyboardInterrupt

    store.write_outputs(tmp_path, _tables(2), good)
    with pytest.raises(KeyboardInterrupt):
        store.write_outputs(tmp_path, _tables(5), broken)
    assert (tmp_path / "figures" / "entities.svg").read_text() == "ancienne"
    assert len(store.read_table(tmp_path, "skipped")) == 2


def test_swap_killed_halfway_is_finished_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.write_outputs(tmp_path, _tables(2))
    real_replace = store.os.replace
    calls: list[object] = []

    def killed_after_two(src: object, dst: object) -> None:
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process dies between two renames
        calls.append(src)
        real_replace(src, dst)

    monkeypatch.setattr(store.os, "replace", killed_after_two)
    monkeypatch.setattr(store.shutil, "rmtree", lambda *a, **k: None)  # killed: no cleanup
    with pytest.raises(KeyboardInterrupt):
        store.write_outputs(tmp_path, _tables(5))
    monkeypatch.undo()
    assert (tmp_path / store.JOURNAL_NAME).exists()
    store.recover_interrupted(tmp_path)
    assert len(store.read_table(tmp_path, "skipped")) == 5
    assert len(pd.read_csv(tmp_path / "tables" / "skipped.csv")) == 5
    assert not (tmp_path / store.JOURNAL_NAME).exists()
    assert not list(tmp_path.glob(".staging-*"))


def test_stale_lock_is_taken_over_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / store.LOCK_NAME).write_text("999999999")
    with caplog.at_level("WARNING"), store.output_lock(tmp_path):
        assert (tmp_path / store.LOCK_NAME).read_text() == str(os.getpid())
    assert "999999999" in caplog.text and "taking over" in caplog.text


def _mixed_tables() -> list[store.Table]:
    """Two tables of every column type, with missing values and a formula-like cell."""
    columns = {"titre": "VARCHAR", "score": "DOUBLE", "n": "BIGINT", "vu": "BOOLEAN"}
    rows = [
        {"titre": "Retour sur le salon de Lyon", "score": 0.25, "n": 3, "vu": True},
        {"titre": "=SOMME(A1)", "score": None, "n": None, "vu": False},
        {"titre": None, "score": -1.5, "n": 12, "vu": None},
    ]
    skips = [Skipped("vide.txt", "empty file"), Skipped("image.png", "not text")]
    return [
        store.table_from_rows("billets", columns, rows),
        store.table_from_records("skipped", Skipped, skips),
    ]


def test_tables_from_a_generator_are_written_as_from_a_list(tmp_path: Path) -> None:
    store.write_outputs(tmp_path / "liste", _mixed_tables())
    store.write_outputs(tmp_path / "flux", (table for table in _mixed_tables()))
    for name in ("billets", "skipped"):
        listed = (tmp_path / "liste" / "tables" / f"{name}.csv").read_bytes()
        assert (tmp_path / "flux" / "tables" / f"{name}.csv").read_bytes() == listed
        pd.testing.assert_frame_equal(
            store.read_table(tmp_path / "flux", name), store.read_table(tmp_path / "liste", name)
        )
    assert "'=SOMME(A1)" in (tmp_path / "flux" / "tables" / "billets.csv").read_text()


def test_each_table_is_written_before_the_next_is_built(tmp_path: Path) -> None:
    written_before: list[list[str]] = []

    def tables() -> Iterator[store.Table]:
        for table in _mixed_tables():
            staged = sorted(p.name for p in tmp_path.glob(".staging-*/tables/*.csv"))
            written_before.append(staged)
            yield table

    store.write_outputs(tmp_path, tables())
    assert written_before == [[], ["billets.csv"]]
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == [
        "billets.csv",
        "skipped.csv",
    ]


def test_failure_while_building_a_table_leaves_previous_outputs_intact(tmp_path: Path) -> None:
    store.write_outputs(tmp_path, _tables(2))
    before = (tmp_path / "tables" / "skipped.csv").read_bytes()

    def tables() -> Iterator[store.Table]:
        yield _mixed_tables()[0]
        raise ValueError("a stage failed while its table was built")

    with pytest.raises(ValueError, match="stage failed"):
        store.write_outputs(tmp_path, tables())
    assert (tmp_path / "tables" / "skipped.csv").read_bytes() == before
    assert not (tmp_path / "tables" / "billets.csv").exists()
    assert not list(tmp_path.glob(".staging-*"))


def test_tables_hold_columns_and_show_rows() -> None:
    # Cells are kept column by column (no dict per row); rows are a view in column order,
    # tuples become JSON text and missing keys of table_from_rows become None.
    skips = [Skipped("a.txt", "empty file", "d1"), Skipped("b.txt", "not UTF-8")]
    table = store.table_from_records("skipped", Skipped, skips)
    assert table.values == {
        "path": ["a.txt", "b.txt"],
        "reason": ["empty file", "not UTF-8"],
        "doc_id": ["d1", ""],
    }
    assert table.n_rows == 2
    assert table.rows[1] == {"path": "b.txt", "reason": "not UTF-8", "doc_id": ""}
    mixed = store.table_from_rows(
        "t", {"n": "BIGINT", "tags": "VARCHAR"}, [{"n": 1, "tags": ("x", "é")}, {"tags": ()}]
    )
    assert mixed.rows == [{"n": 1, "tags": '["x", "é"]'}, {"n": None, "tags": "[]"}]
    assert store.table_from_records("skipped", Skipped, []).n_rows == 0
    # records given as a generator are read once for every column, not consumed by the first
    once = store.table_from_records("skipped", Skipped, (s for s in skips))
    assert once.values == table.values


def test_int_and_float_columns_with_missing_cells_read_back(tmp_path: Path) -> None:
    columns = {"n": "BIGINT", "x": "DOUBLE", "ok": "BOOLEAN"}
    rows = [{"n": 12, "x": 0.1, "ok": True}, {"n": None, "x": None, "ok": None}]
    store.write_outputs(tmp_path, [store.table_from_rows("t", columns, rows)])
    frame = store.read_table(tmp_path, "t")
    assert frame["n"].tolist()[0] == 12
    assert frame["x"].tolist()[0] == 0.1
    assert frame.isna().sum().tolist() == [1, 1, 1]
    assert (tmp_path / "tables" / "t.csv").read_text().splitlines()[1:] == [
        "12,0.1,True",
        ",,",
    ]


def test_a_table_written_in_chunks_is_the_table_written_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rows are written a chunk at a time; chunks of 2 rows give the bytes and rows of one chunk.
    columns = {"n": "BIGINT", "x": "DOUBLE", "text": "VARCHAR", "tags": "VARCHAR"}
    rows = [
        {"n": 1, "x": 0.5, "text": "=SOMME(A1)", "tags": ("a",)},
        {"n": None, "x": None, "text": None, "tags": ()},
        {"n": 3, "x": -0.25, "text": "deux\r\nlignes", "tags": ("é", "b")},
        {"n": 4, "x": 1e-05, "text": "", "tags": ()},
        {"n": 5, "x": 2.0, "text": "fin", "tags": ("c",)},
    ]
    store.write_outputs(tmp_path / "once", [store.table_from_rows("t", columns, rows)])
    monkeypatch.setattr(store, "WRITE_CHUNK_ROWS", 2)
    store.write_outputs(tmp_path / "chunks", [store.table_from_rows("t", columns, rows)])
    once, chunks = (
        (tmp_path / "once" / "tables" / "t.csv"),
        (tmp_path / "chunks" / "tables" / "t.csv"),
    )
    assert chunks.read_bytes() == once.read_bytes()
    assert chunks.read_bytes().count(b"n,x,text,tags") == 1  # one header
    assert len(pd.read_csv(chunks)) == 5
    pd.testing.assert_frame_equal(
        store.read_table(tmp_path / "chunks", "t"), store.read_table(tmp_path / "once", "t")
    )
    assert store.read_table(tmp_path / "chunks", "t")["n"].tolist()[2] == 3


def test_a_run_without_tables_still_leaves_a_database(tmp_path: Path) -> None:
    store.write_outputs(tmp_path, [])
    assert (tmp_path / "recap.duckdb").exists()
    assert store.list_tables(tmp_path) == []
