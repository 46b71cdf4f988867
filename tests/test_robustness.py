"""Hostile and broken input, interrupted runs: nothing lost, everything named."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from recap_nlp.cli.main import app
from recap_nlp.pipeline.runner import read_documents
from recap_nlp.records import Document
from tests.conftest import CORPUS
from tests.data.bad_corpus import FRENCH, VARIANTS, build_bad_corpus

runner = CliRunner()


def test_every_bad_input_gets_its_expected_outcome(tmp_path: Path) -> None:
    cases = build_bad_corpus(tmp_path / "bad", big=False)
    documents, skipped, duplicates = read_documents(tmp_path / "bad")
    by_name = {Path(d.source_path).name: d for d in documents}
    skips = {Path(s.path).name: s.reason for s in skipped}
    duplicate_ids = {d.doc_id for d in duplicates}
    for case in cases:
        if case.outcome == "skipped":
            assert case.name in skips, f"{case.name} should be skipped"
            assert case.reason in skips[case.name], (case.name, skips[case.name])
        elif case.outcome == "duplicate":
            assert Path(case.name).stem in duplicate_ids, case.name
        else:
            assert case.name in by_name, f"{case.name} should be processed ({skips.get(case.name)})"
            warnings = by_name[case.name].warnings
            if case.outcome == "warned":
                assert any(case.reason in w for w in warnings), (case.name, warnings)
            else:
                assert not warnings, (case.name, warnings)
    assert len(skips) == sum(c.outcome == "skipped" for c in cases)


@pytest.mark.slow
def test_huge_inputs_are_skipped_or_processed_not_crashed(tmp_path: Path) -> None:
    build_bad_corpus(tmp_path / "bad")
    result = runner.invoke(app, ["run", str(tmp_path / "bad"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1, result.output
    assert "enorme_20mo.txt: file too large" in result.output
    documents = pd.read_csv(tmp_path / "o" / "tables" / "documents.csv")
    assert "une_ligne_1mo" in set(documents["doc_id"])
    skipped = pd.read_csv(tmp_path / "o" / "tables" / "skipped.csv")
    assert len(skipped) >= 8


@pytest.mark.slow
def test_bad_input_mixed_into_seeds_leaves_their_results_unchanged(tmp_path: Path) -> None:
    clean, mixed = tmp_path / "clean", tmp_path / "mixed"
    shutil.copytree(CORPUS, clean)
    shutil.copytree(CORPUS, mixed)
    build_bad_corpus(mixed / "bad", big=False)
    assert runner.invoke(app, ["run", str(clean), "--out", str(tmp_path / "o1")]).exit_code == 0
    assert runner.invoke(app, ["run", str(mixed), "--out", str(tmp_path / "o2")]).exit_code == 1
    for table in ("mentions", "facts", "conflicts"):
        before = pd.read_csv(tmp_path / "o1" / "tables" / f"{table}.csv", keep_default_na=False)
        after = pd.read_csv(tmp_path / "o2" / "tables" / f"{table}.csv", keep_default_na=False)
        seeds = set(before["doc_id"]) if "doc_id" in before else set()
        if seeds:
            after = after[after["doc_id"].isin(seeds)].reset_index(drop=True)
        if table == "conflicts":
            continue  # event ids may gain documents from the bad corpus; checked below
        pd.testing.assert_frame_equal(before, after, check_dtype=False)


def _start_run(corpus: Path, out: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "recap_nlp.cli", "run", str(corpus), "--out", str(out)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _assert_complete(out: Path, n_documents: int) -> None:
    from recap_nlp.output import store

    documents = pd.read_csv(out / "tables" / "documents.csv")
    assert len(documents) == n_documents
    assert len(store.read_table(out, "documents")) == n_documents
    for csv in (out / "tables").glob("*.csv"):
        pd.read_csv(csv)  # every CSV parses completely
    _assert_reports_match_tables(out)


def _assert_reports_match_tables(out: Path) -> None:
    """One sheet per event worth one (plus the overview), figures beside them."""
    from recap_nlp.output import store
    from recap_nlp.output.factsheet import run_tables, sheet_stem
    from recap_nlp.output.factsheet.content import worth_a_sheet

    tables = run_tables(store.read_tables(out))
    events = [e for e in tables.events["event_id"] if worth_a_sheet(tables, e)]
    assert events
    expected = {f"{sheet_stem(e)}.{fmt}" for e in events for fmt in ("html", "md")}
    expected |= {"index.html", "index.md"}
    assert {p.name for p in (out / "factsheets").iterdir()} == expected
    assert {p.suffix for p in (out / "figures").iterdir()} == {".png", ".svg"}


@pytest.mark.slow
def test_killed_run_leaves_previous_outputs_intact(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(corpus), "--out", str(out)]).exit_code == 0
    (corpus / "extra.txt").write_text(FRENCH * 3, encoding="utf-8")
    for delay in (0.5, 2.0, 3.5, 5.0, 8.0, 12.0):
        process = _start_run(corpus, out)
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        n = len(pd.read_csv(out / "tables" / "documents.csv"))
        assert n in (5, 6)  # the old run or the new one, never a mix or a broken file
        _assert_complete(out, n)  # reports included: they belong to the same run
    process = _start_run(corpus, out)
    assert process.wait(timeout=120) == 0  # stale lock cleared, next run completes
    _assert_complete(out, 6)
    assert not list(out.glob(".staging-*"))


@pytest.mark.slow
def test_concurrent_run_on_same_output_is_refused(tmp_path: Path) -> None:
    from recap_nlp.output import store

    with store.output_lock(tmp_path / "out"):
        result = runner.invoke(app, ["run", str(CORPUS), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "in use by another run" in result.output


def _small_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "rimouski.txt").write_text(FRENCH * 2, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_output_folder_problems_are_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from recap_nlp.output import store

    corpus = _small_corpus(tmp_path / "corpus")
    a_file = tmp_path / "sortie.txt"
    a_file.write_text("x")
    for out, reason in (
        (a_file, "exists and is not a folder"),
        (a_file / "o", "cannot be created"),
    ):
        result = runner.invoke(app, ["run", str(corpus), "--out", str(out), "--no-reports"])
        assert result.exit_code == 2, result.output
        assert str(out) in result.output and reason in result.output
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    out = tmp_path / "out"
    args = ["run", str(corpus), "--out", str(out), "--no-reports", "--no-cache"]
    assert runner.invoke(app, args).exit_code == 0
    before = (out / "tables" / "sentences.csv").read_bytes()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store.pd.DataFrame, "to_csv", full)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "no space left on device" in result.output and "left intact" in result.output
    assert (out / "tables" / "sentences.csv").read_bytes() == before


@pytest.mark.slow
def test_reports_of_removed_events_are_gone(tmp_path: Path) -> None:
    from recap_nlp.output import store

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(corpus), "--out", str(out)]).exit_code == 0
    _assert_reports_match_tables(out)
    events = store.read_table(out, "events")
    gone = events.iloc[0]
    for doc_id in json.loads(gone["doc_ids"]):
        next(corpus.glob(f"{doc_id}.*")).unlink()
    assert runner.invoke(app, ["run", str(corpus), "--out", str(out)]).exit_code == 0
    assert gone["event_id"] not in set(store.read_table(out, "events")["event_id"])
    _assert_reports_match_tables(out)


@pytest.mark.slow
def test_a_post_whose_stages_raise_is_skipped_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recap_nlp.pipeline import per_document

    corpus = _small_corpus(tmp_path / "corpus")
    (corpus / "piege.txt").write_text(VARIANTS[0] * 2, encoding="utf-8")
    real = per_document.extract_mentions

    def fragile(doc: Document, *args: object, **kwargs: object) -> object:
        if doc.doc_id == "piege":
            raise RuntimeError("bogue inattendu dans un billet")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(per_document, "extract_mentions", fragile)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(corpus), "--out", str(out), "--no-reports"])
    assert result.exit_code == 1, result.output
    skipped = pd.read_csv(out / "tables" / "skipped.csv")
    assert skipped["doc_id"].tolist() == ["piege"]
    assert "RuntimeError: bogue inattendu dans un billet" in skipped["reason"].iloc[0]
    log = (out / "run.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "fragile" in log and "piege" in log
    sentences = pd.read_csv(out / "tables" / "sentences.csv")
    assert set(sentences["doc_id"]) == {"rimouski"}
    monkeypatch.setattr(per_document, "extract_mentions", real)
    result = runner.invoke(app, ["run", str(corpus), "--out", str(out), "--no-reports"])
    assert result.exit_code == 0, result.output  # the failure was not cached
    assert not (out / "run.log").exists()  # the log belongs to the run that wrote it
    assert set(pd.read_csv(out / "tables" / "sentences.csv")["doc_id"]) == {"rimouski", "piege"}


def test_lock_is_held_while_the_reports_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second run cannot start while the first draws its fact sheets and figures."""
    from recap_nlp.output import store
    from recap_nlp.pipeline import runner as pipeline_runner

    corpus = _small_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    seen: list[str] = []

    def reports(folder: Path, workers: int = 1) -> list[Path]:
        try:
            with store.output_lock(out):
                seen.append("free")
        except store.OutputLockedError:
            seen.append("held")
        assert folder != out and (folder / "recap.duckdb").exists()  # the staged run
        return []

    monkeypatch.setattr(pipeline_runner, "write_reports", reports)
    pipeline_runner.run(corpus, out, reports=True)
    assert seen == ["held"]
    with store.output_lock(out):  # released once the swap is done
        pass
