"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from spacy.language import Language

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def nlp() -> Language:
    from recap_nlp.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A temporary copy of the seed corpus the test may change freely."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target
