"""Shared fixtures: the spaCy pipeline loaded once, the seed corpus run once, per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from spacy.language import Language

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


# Fixtures that run the pipeline over a corpus or load a second spaCy model: a test using one
# is slow (``make test-fast`` skips it). Tests that do so themselves are marked by hand.
SLOW_FIXTURES = frozenset(
    {
        "seed_run",  # the seed corpus through the CLI (here)
        "seed_run_copy",
        "scores",  # entity quality gates on the seeds and the dev set (tests/entities)
        "dev_scores",
        "pipeline_scores",  # the held-out set (tests/evaluation)
        "bare_scores",
        "bare_nlp",  # the model without the project's components (tests/evaluation)
        "fr",  # the model with its parser, for theme units (tests/themes)
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test that uses a slow fixture (marks by hand cover the rest)."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def nlp() -> Language:
    from recap_nlp.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus run once with the CLI (``recap-nlp run``, reports included).

    Shared by the CLI, plot, fact-sheet and cache tests: read it, never change it (copy it with
    ``shutil.copytree`` first). The CLI's summary is kept beside it in ``run-output.txt``.
    """
    from typer.testing import CliRunner

    from recap_nlp.cli import app

    corpus = tmp_path_factory.mktemp("seed_run") / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = corpus.parent / "outputs"
    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    (out / "run-output.txt").write_text(result.output, encoding="utf-8")
    return out


@pytest.fixture()
def seed_run_copy(seed_run: Path, tmp_path: Path) -> Path:
    """A copy of the seed run that a test may change (rewrite its figures, remove a file)."""
    return Path(shutil.copytree(seed_run, tmp_path / "seed_run"))


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A temporary copy of the seed corpus the test may change freely."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target
