"""Document-level entity scoring in the realdev gold format, on hand-made posts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recap_nlp.evaluation.documents import (
    doc_gold_from_mentions,
    fold_doc_name,
    load_doc_gold,
    score_documents,
)
from recap_nlp.evaluation.mentions import GoldFormatError, GoldMention
from recap_nlp.records import Mention


def pred(doc: str, text: str, label: str, canonical: str = "") -> Mention:
    return Mention(doc, 0, len(text), text, label, text, 0, "model", canonical)  # type: ignore[arg-type]


def gold_file(tmp_path: Path) -> Path:
    docs = {
        "p": {
            "entities": [
                {"type": "EVENT", "canonical": "Salon Numérica", "aliases": ["Numérica 2019"]},
                {"type": "PER", "canonical": "Julie Morel", "aliases": ["Julie"]},
                {"type": "ORG", "canonical": "Qonto", "aliases": []},
            ],
            "optional": ["Kubernetes"],
        }
    }
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"docs": docs}), encoding="utf-8")
    return path


def test_fold_doc_name() -> None:
    assert fold_doc_name("Le Salon Numérica – Lille") == "salon numerica lille"
    assert fold_doc_name("l’Élysée") == "elysee"


def test_aliases_count_once_optional_ignored_wrong_label_is_an_error(tmp_path: Path) -> None:
    gold = load_doc_gold(gold_file(tmp_path))
    preds = [
        pred("p", "Numérica 2019", "EVENT"),
        pred("p", "Salon Numérica", "EVENT"),
        pred("p", "Julie", "PER", canonical="Julie Morel"),
        pred("p", "Kubernetes", "ORG"),
        pred("p", "Qonto", "PER"),
    ]
    cells = score_documents(preds, gold)
    assert (cells["EVENT"].matched_pred, cells["EVENT"].n_pred) == (1, 1)
    assert (cells["PER"].matched_pred, cells["PER"].n_pred, cells["PER"].n_gold) == (1, 2, 1)
    assert (cells["ORG"].matched_gold, cells["ORG"].n_pred, cells["ORG"].n_gold) == (0, 0, 1)
    assert cells["ALL"].matched_gold == 2


def test_bad_gold_file_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"docs": {"p": {"entities": [{"type": "PER"}]}}}', encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"bad\.json"):
        load_doc_gold(path)


def test_mention_gold_becomes_document_gold() -> None:
    golds = [
        GoldMention("p", 0, 3, "WAQ", "EVENT", "Web à Québec"),
        GoldMention("p", 10, 22, "Web à Québec", "EVENT", "Web à Québec"),
        GoldMention("p", 30, 36, "Québec", "LOC", "Québec"),
    ]
    (doc,) = doc_gold_from_mentions(golds)
    assert doc.entities == (("EVENT", frozenset({"waq", "web a quebec"})),)
    assert doc.optional == frozenset({"quebec"})
