"""Incremental runs: unchanged posts come from the cache, outputs identical to a full run."""

from __future__ import annotations

import shutil
from pathlib import Path

from recap_nlp.output.tables import build_tables
from recap_nlp.pipeline import runner as pipeline
from recap_nlp.pipeline.options import RunOptions
from recap_nlp.records import RunResult
from tests.conftest import CORPUS
from tests.data.bad_corpus import VARIANTS


def _rows(result: RunResult) -> dict[str, list[dict]]:
    tables = {t.name: t.rows for t in build_tables(result)}
    for row in tables["documents"]:
        row.pop("source_path")
    return tables


def _seed_run_copy(seed_run: Path, target: Path) -> Path:
    """A copy of the session's seed run (made on a copy of corpus/, its cache in OUT/.cache)."""
    shutil.copytree(seed_run, target)
    assert len(list((target / ".cache").rglob("*.json"))) == 5  # one entry per seed post
    return target


def test_rerun_after_adding_a_post_parses_only_the_new_one(tmp_path: Path, seed_run: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = _seed_run_copy(seed_run, tmp_path / "out")
    (corpus / "nouveau.txt").write_text(VARIANTS[0] + VARIANTS[3], encoding="utf-8")
    incremental = pipeline.run(corpus, out)
    assert incremental.n_parsed == 1
    full = pipeline.run(corpus, tmp_path / "fresh", RunOptions(use_cache=False))
    assert full.n_parsed == 6
    assert _rows(incremental) == _rows(full)


def test_force_recomputes_and_a_corrupt_entry_is_recomputed(tmp_path: Path, seed_run: Path) -> None:
    out = _seed_run_copy(seed_run, tmp_path / "out")
    assert pipeline.run(CORPUS, out, RunOptions(force=True)).n_parsed == 5
    entries = sorted((out / ".cache").rglob("*.json"))
    assert len(entries) == 5
    entries[0].write_text("{pas du json", encoding="utf-8")
    again = pipeline.run(CORPUS, out)
    assert again.n_parsed == 1
