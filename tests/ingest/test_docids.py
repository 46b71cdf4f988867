"""Unique document ids: clashing stems and JSON Lines ids, every post kept in the tables."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from recap_nlp.cli.main import app
from recap_nlp.ingest.corpus import read_corpus
from tests.data.bad_corpus import VARIANTS

runner = CliRunner()

# One sentence of its own per post, to find each post in the tables.
POSTS = {
    "a/bilan.txt": "La mission à Rimouski a réuni neuf élus venus de la Gaspésie. " + VARIANTS[0],
    "b/bilan.txt": "Le salon de Nantes a accueilli quatre cents visiteurs curieux. " + VARIANTS[1],
    "c/bilan.md": "Notre atelier de Grenoble portait sur les circuits courts. " + VARIANTS[2],
}
LINES = [
    {"id": "bilan", "text": "La journée de Brest a mis en valeur la pêche durable. " + VARIANTS[3]},
    {"id": "visite", "text": "La visite de Sfax a duré trois jours bien remplis. " + VARIANTS[4]},
    {"id": "visite", "text": "La visite de Ziguinchor a permis douze rencontres. " + VARIANTS[6]},
]


def _corpus(root: Path) -> Path:
    for name, text in POSTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "lignes.jsonl").write_text("\n".join(json.dumps(x) for x in LINES), encoding="utf-8")
    return root


def test_clashing_ids_become_unique_with_warnings_naming_both(tmp_path: Path) -> None:
    root = _corpus(tmp_path / "corpus")
    read = read_corpus(root)
    by_id = {doc.doc_id: doc for doc in read.documents}
    assert sorted(by_id) == ["a/bilan", "b/bilan", "bilan", "c/bilan", "visite", "visite-2"]
    assert by_id["bilan"].format == "jsonl"  # files take their path, the JSON line keeps its id
    warning = by_id["a/bilan"].warnings[-1]
    assert str(root / "b/bilan.txt") in warning and "this post is 'a/bilan'" in warning
    assert "lignes.jsonl:2" in by_id["visite-2"].warnings[-1]
    assert not by_id["visite"].warnings
    assert read_corpus(root) == read  # stable from run to run


def test_without_clashes_ids_stay_the_stems(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "bilan.txt").write_text(POSTS["a/bilan.txt"], encoding="utf-8")
    (tmp_path / "y.txt").write_text(POSTS["b/bilan.txt"], encoding="utf-8")
    assert sorted(d.doc_id for d in read_corpus(tmp_path).documents) == ["bilan", "y"]


@pytest.mark.slow
def test_every_post_with_a_clashing_id_is_in_the_tables(tmp_path: Path) -> None:
    root = _corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(root), "--out", str(out), "--no-reports"])
    assert result.exit_code == 0, result.output
    assert "6 documents analysed" in result.output
    sentences = pd.read_csv(out / "tables" / "sentences.csv", keep_default_na=False)
    own = {
        "a/bilan": "neuf élus",
        "b/bilan": "quatre cents visiteurs",
        "c/bilan": "circuits courts",
        "bilan": "pêche durable",
        "visite": "Sfax",
        "visite-2": "Ziguinchor",
    }
    for doc_id, words in own.items():
        texts = sentences[sentences["doc_id"] == doc_id]["text"]
        assert any(words in text for text in texts), doc_id
        others = sentences[sentences["doc_id"] != doc_id]["text"]
        assert not any(words in text for text in others), doc_id  # nothing mixed


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_the_corpus_is_skipped_not_waited_for(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "bilan.txt").write_text(POSTS["a/bilan.txt"], encoding="utf-8")
    os.mkfifo(root / "tube.txt")
    read = read_corpus(root)  # would block forever reading the FIFO
    assert [d.doc_id for d in read.documents] == ["bilan"]
    assert [(Path(s.path).name, s.reason) for s in read.skipped] == [
        ("tube.txt", "not a regular file (FIFO)")
    ]


def test_a_reader_that_raises_skips_only_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recap_nlp.ingest import corpus

    root = tmp_path / "corpus"
    root.mkdir()
    (root / "bilan.txt").write_text(POSTS["a/bilan.txt"], encoding="utf-8")
    (root / "page.html").write_text("<html><body><p>Bonjour</p></body></html>", encoding="utf-8")

    def missing_module(html: str) -> dict[str, object]:
        raise ImportError("No module named 'lxml_html_clean'")

    monkeypatch.setattr(corpus, "_read_html", missing_module)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(root), "--out", str(out), "--no-reports"])
    assert result.exit_code == 1, result.output
    skipped = pd.read_csv(out / "tables" / "skipped.csv")
    assert skipped["reason"].tolist() == [
        "unexpected error in the reader: ImportError: No module named 'lxml_html_clean'"
    ]
    assert "missing_module" in (out / "run.log").read_text(encoding="utf-8")
    assert set(pd.read_csv(out / "tables" / "sentences.csv")["doc_id"]) == {"bilan"}
