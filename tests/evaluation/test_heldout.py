"""The held-out entity set (tests/gold/heldout): gold checks and a quality gate.

These eight posts are never used to write or tune rules (see tests/gold/heldout/README.md).
When the gate fails, the remedy is a rule that generalises, found on the seed or dev posts,
never a rule written from these posts' names.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
import spacy

from recap_nlp.evaluation.mentions import (
    VALID_LABELS,
    EntityScores,
    GoldMention,
    bare_model_mentions,
    load_gold,
    score_mentions,
    validate_gold,
)
from recap_nlp.ingest.corpus import read_file
from recap_nlp.pipeline.runner import analyse, read_documents
from recap_nlp.records import Document
from tests.conftest import REPO

HELDOUT = REPO / "tests" / "gold" / "heldout"
POSTS = HELDOUT / "posts"

# Measured when the set was made (recap-nlp evaluate on these posts, before any rule saw them):
# document micro F1 over PER/CITY/ORG/EVENT 0.768 for the pipeline, 0.542 for the bare model
# (exact: 0.769 vs 0.547). The floor sits a few points under the pipeline's figure; the margin
# is what "clearly better than the bare model" means (measured margin 0.226).
DOCUMENT_F1_FLOOR = 0.73
MIN_MARGIN_OVER_BARE = 0.15


@pytest.fixture(scope="module")
def gold() -> list[GoldMention]:
    return load_gold(HELDOUT / "entities.jsonl")


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """The text each post has once read: offsets index it (for .md, the file with its front
    matter and markup blanked; for .html, the main text trafilatura extracts)."""
    items = [item for path in sorted(POSTS.iterdir()) for item in read_file(path)]
    documents = [item for item in items if isinstance(item, Document)]
    assert len(documents) == len(items), "a held-out post could not be read"
    return {doc.doc_id: doc.text for doc in documents}


# --------------------------------------------------------------------------- the gold file


def test_every_post_is_read_and_annotated(gold: list[GoldMention], texts: dict[str, str]) -> None:
    assert len(texts) == 8
    assert {g.doc_id for g in gold} == set(texts)


def test_gold_matches_the_texts(gold: list[GoldMention], texts: dict[str, str]) -> None:
    assert validate_gold(gold, texts) == []


def test_gold_is_sorted_and_labels_are_known(gold: list[GoldMention]) -> None:
    assert gold == sorted(gold, key=lambda g: (g.doc_id, g.start))
    assert {g.label for g in gold} <= VALID_LABELS
    assert {"PER", "CITY", "ORG", "EVENT", "LOC"} <= {g.label for g in gold}


def test_one_canonical_per_surface_and_label(gold: list[GoldMention]) -> None:
    canonicals: dict[tuple[str, str], set[str]] = defaultdict(set)
    for g in gold:
        canonicals[(g.label, g.text)].add(g.canonical)
    assert {key: names for key, names in canonicals.items() if len(names) > 1} == {}


def test_person_canonicals_are_names_written_in_the_post(gold: list[GoldMention]) -> None:
    written = {(g.doc_id, g.text) for g in gold if g.label == "PER"}
    assert all((g.doc_id, g.canonical) in written for g in gold if g.label == "PER")


# Decisions written in tests/gold/heldout/README.md: (doc, surface, occurrence) -> label, canonical.
DECISIONS = [
    ("h03_futurallia_poitiers", "Québec", 0, "LOC", "Québec (province)"),  # "venu du Québec"
    ("h03_futurallia_poitiers", "Québec", 1, "CITY", "Québec"),  # "à Québec en 2003"
    ("h03_futurallia_poitiers", "FuturAllia 2001", 0, "EVENT", "FuturAllia"),
    ("h03_futurallia_poitiers", "Vitrerie Drouin", 0, "ORG", "Vitrerie Drouin"),
    ("h03_futurallia_poitiers", "Drouin", 0, "PER", "Marc-André Drouin"),
    ("h02_salon_inventions_geneve", "Ville de Renens", 0, "ORG", "Ville de Renens"),
    (
        "h02_salon_inventions_geneve",
        "Salon des inventions",
        0,
        "EVENT",
        "Salon international des inventions de Genève",
    ),
    ("h04_blendwebmix_lyon", "La Cuisine du Web", 0, "ORG", "La Cuisine du Web"),
    ("h05_entrevue_startupfest", "Philippe", 0, "PER", "Philippe Tessier"),
    ("h05_entrevue_startupfest", "Couillard", 0, "PER", "Philippe Couillard"),
    ("h06_mission_etudiante_coree", "ambassade du Canada", 0, "ORG", "ambassade du Canada"),
    ("h07_ag_ufs_neuchatel", "Vaud", 0, "LOC", "Vaud"),
    (
        "h08_startup_weekend_liege",
        "Microsoft Innovation Center",
        0,
        "ORG",
        "Microsoft Innovation Center",
    ),
    ("h08_startup_weekend_liege", "Mons", 0, "CITY", "Mons"),
]


@pytest.mark.parametrize(("doc_id", "surface", "nth", "label", "canonical"), DECISIONS)
def test_hard_case_decisions(
    gold: list[GoldMention], doc_id: str, surface: str, nth: int, label: str, canonical: str
) -> None:
    matches = [g for g in gold if g.doc_id == doc_id and g.text == surface]
    assert (matches[nth].label, matches[nth].canonical) == (label, canonical)


def test_no_place_is_annotated_inside_a_name(gold: list[GoldMention]) -> None:
    # A place inside a name is not a mention of its own: the names are annotated whole
    # (validate_gold already rules out a second, overlapping mention).
    whole = {(g.doc_id, g.text) for g in gold}
    assert ("h02_salon_inventions_geneve", "Salon international des inventions de Genève") in whole
    assert ("h08_startup_weekend_liege", "HEC Liège") in whole
    assert ("h07_ag_ufs_neuchatel", "Amicale française de Lugano") in whole


# --------------------------------------------------------------------------- quality gate


@pytest.fixture(scope="module")
def pipeline_scores(gold: list[GoldMention]) -> EntityScores:
    documents, _, _ = read_documents(POSTS)
    return score_mentions(analyse(documents).mentions, gold)


@pytest.fixture(scope="module")
def bare_scores(gold: list[GoldMention], texts: dict[str, str]) -> EntityScores:
    bare = bare_model_mentions(texts, spacy.load("fr_core_news_sm"))
    return score_mentions(bare, gold)


def test_pipeline_document_f1_floor(pipeline_scores: EntityScores) -> None:
    assert pipeline_scores.get("document").f1 >= DOCUMENT_F1_FLOOR


def test_pipeline_beats_the_bare_model_clearly(
    pipeline_scores: EntityScores, bare_scores: EntityScores
) -> None:
    margin = pipeline_scores.get("document").f1 - bare_scores.get("document").f1
    assert margin >= MIN_MARGIN_OVER_BARE
