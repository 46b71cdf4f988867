"""Tests for recap_nlp.evaluation.mentions and for the hand-made gold file it reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from recap_nlp.evaluation.mentions import (
    ALL,
    BARE_LABEL_MAP,
    LEVELS,
    Counts,
    GoldFormatError,
    GoldMention,
    bare_model_mentions,
    fold_name,
    format_scores,
    load_gold,
    score_mentions,
    scores_to_rows,
    validate_gold,
)
from recap_nlp.records import COUNTED_LABELS, Mention
from tests.conftest import REPO

ROOT = REPO
GOLD_PATH = ROOT / "tests" / "gold" / "entities.jsonl"
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def gold() -> list[GoldMention]:
    return load_gold(GOLD_PATH)


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="module")
def bare_nlp() -> Language:
    """The bare model, not conftest's ``nlp``: the baseline must run without project components."""
    return spacy.load("fr_core_news_sm")


# --------------------------------------------------------------------------- helpers

TEXT = "Martin Boivin a visité Angers puis le Web à Québec (WAQ) avec Jolifish."


def gm(start: int, end: int, label: str, canonical: str = "", doc_id: str = "d1") -> GoldMention:
    return GoldMention(doc_id, start, end, TEXT[start:end], label, canonical or TEXT[start:end])  # type: ignore[arg-type]


def pm(start: int, end: int, label: str, canonical: str = "", doc_id: str = "d1") -> Mention:
    return Mention(doc_id, start, end, TEXT[start:end], label, TEXT, 0, "test", canonical)  # type: ignore[arg-type]


# Hand-checked offsets into TEXT.
MARTIN = (0, 13)
ANGERS = (23, 29)
WEB_A_QUEBEC = (38, 50)
WAQ = (52, 55)
JOLIFISH = (62, 70)

TINY_GOLD = [
    gm(*MARTIN, "PER"),
    gm(*ANGERS, "CITY"),
    gm(*WEB_A_QUEBEC, "EVENT", "Web à Québec"),
    gm(*WAQ, "EVENT", "Web à Québec"),
    gm(*JOLIFISH, "ORG"),
]


def test_tiny_offsets_are_right() -> None:
    assert [g.text for g in TINY_GOLD] == [
        "Martin Boivin",
        "Angers",
        "Web à Québec",
        "WAQ",
        "Jolifish",
    ]


# --------------------------------------------------------------------------- scoring


def test_perfect_prediction_scores_one_everywhere() -> None:
    preds = [pm(g.start, g.end, g.label) for g in TINY_GOLD]
    scores = score_mentions(preds, TINY_GOLD)
    for level in LEVELS:
        assert scores.get(level).f1 == 1.0
    assert scores.get("exact").n_gold == 5
    assert scores.get("document").n_gold == 4  # WAQ and Web à Québec are one entity


def test_a_missed_mention_lowers_recall_only() -> None:
    preds = [pm(*MARTIN, "PER"), pm(*ANGERS, "CITY"), pm(*WEB_A_QUEBEC, "EVENT"), pm(*WAQ, "EVENT")]
    scores = score_mentions(preds, TINY_GOLD)
    assert scores.get("exact", "ORG") == Counts(0, 0, 0, 1)
    assert scores.get("exact").precision == 1.0
    assert scores.get("exact").recall == pytest.approx(4 / 5)
    assert scores.get("document").recall == pytest.approx(3 / 4)


def test_a_wrong_label_is_a_false_positive_and_a_miss() -> None:
    preds = [pm(*JOLIFISH, "PER")]
    scores = score_mentions(preds, TINY_GOLD)
    assert scores.get("exact", "PER") == Counts(0, 0, 1, 1)
    assert scores.get("exact", "ORG") == Counts(0, 0, 0, 1)
    assert scores.get("overlap", "ORG").recall == 0.0


def test_overlap_is_lenient_where_exact_is_not() -> None:
    # "Web à Québec (WAQ" covers both gold mentions but matches neither exactly
    preds = [pm(WEB_A_QUEBEC[0], WAQ[1], "EVENT"), pm(0, 6, "PER")]  # "Martin" alone
    scores = score_mentions(preds, TINY_GOLD)
    assert scores.get("exact", "EVENT") == Counts(0, 0, 1, 2)
    assert scores.get("overlap", "EVENT") == Counts(1, 2, 1, 2)
    assert scores.get("overlap", "PER") == Counts(1, 1, 1, 1)
    assert scores.get("exact", "PER").f1 == 0.0


def test_document_level_counts_distinct_entities() -> None:
    # the surface forms "WAQ" and "Web à Québec", without canonical, name one gold entity
    preds = [pm(*WAQ, "EVENT"), pm(*WEB_A_QUEBEC, "EVENT"), pm(*WAQ, "EVENT")]
    scores = score_mentions(preds, TINY_GOLD)
    assert scores.get("document", "EVENT") == Counts(1, 1, 1, 1)
    assert scores.get("exact", "EVENT") == Counts(2, 2, 2, 2)  # the repeated span counts once


def test_document_level_uses_the_predicted_canonical() -> None:
    right = [pm(*MARTIN, "PER", canonical="Martin Boivin")]
    wrong = [pm(*MARTIN, "PER", canonical="Martin Duguay")]
    assert score_mentions(right, TINY_GOLD).get("document", "PER") == Counts(1, 1, 1, 1)
    assert score_mentions(wrong, TINY_GOLD).get("document", "PER") == Counts(0, 0, 1, 1)


def test_document_level_folds_case_accents_and_articles() -> None:
    gold = [gm(38, 50, "EVENT", "Web à Québec")]
    preds = [pm(38, 50, "EVENT", canonical="le WEB A QUEBEC")]
    assert score_mentions(preds, gold).get("document", "EVENT").f1 == 1.0


def test_only_gold_documents_and_counted_labels_are_scored() -> None:
    preds = [
        pm(*MARTIN, "PER"),
        pm(*MARTIN, "PER", doc_id="not-in-gold"),
        pm(*ANGERS, "LOC"),  # LOC is not a counted label
    ]
    scores = score_mentions(preds, [gm(*MARTIN, "PER")])
    assert scores.doc_ids == ("d1",)
    assert scores.get("exact") == Counts(1, 1, 1, 1)
    with_loc = score_mentions(preds, [gm(*ANGERS, "LOC")], labels=("LOC",))
    assert with_loc.get("exact", "LOC") == Counts(1, 1, 1, 1)


def test_micro_average_sums_the_labels() -> None:
    preds = [pm(*MARTIN, "PER"), pm(*JOLIFISH, "PER")]
    scores = score_mentions(preds, TINY_GOLD)
    total = sum((scores.get("exact", lab) for lab in COUNTED_LABELS), Counts(0, 0, 0, 0))
    assert scores.get("exact", ALL) == total == Counts(1, 1, 2, 5)


def test_empty_counts_do_not_divide_by_zero() -> None:
    assert Counts(0, 0, 0, 0).f1 == 0.0
    assert score_mentions([], TINY_GOLD).get("document").precision == 0.0


span = st.tuples(st.integers(0, 60), st.integers(1, 12), st.sampled_from(COUNTED_LABELS))


@given(st.lists(span, max_size=12), st.lists(span, max_size=12))
def test_scores_are_bounded_and_overlap_dominates_exact(
    pred_spans: list[tuple[int, int, str]], gold_spans: list[tuple[int, int, str]]
) -> None:
    gold = [gm(s, s + n, lab) for s, n, lab in sorted(set(gold_spans))]
    preds = [pm(s, s + n, lab) for s, n, lab in pred_spans]
    scores = score_mentions(preds, gold)
    for counts in scores.cells.values():
        assert 0.0 <= counts.precision <= 1.0 and 0.0 <= counts.recall <= 1.0
    exact, overlap = scores.get("exact"), scores.get("overlap")
    assert overlap.matched_pred >= exact.matched_pred
    assert overlap.matched_gold >= exact.matched_gold
    if gold:
        assert all(score_mentions(gold, gold).get(level).f1 == 1.0 for level in LEVELS)


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Web à Québec", "web a quebec"),
        ("La Cité de l’Objet connecté", "cite de l'objet connecte"),
        ("Fond Franco-Québécois", "fond franco quebecois"),
        ("Fond Franco Québécois", "fond franco quebecois"),
        ("« Digital SpringBreak»", "digital springbreak"),
        ("d’Angers", "angers"),
        (
            "Les Offices jeunesse internationaux du Québec",
            "offices jeunesse internationaux du quebec",
        ),
        ("Québec (province)", "quebec (province)"),
        ("Lasalle", "lasalle"),  # "la" is an article only as a separate word
    ],
)
def test_fold_name(name: str, folded: str) -> None:
    assert fold_name(name) == folded


# --------------------------------------------------------------------------- reporting


def test_rows_and_table_cover_every_cell() -> None:
    scores = score_mentions([pm(*MARTIN, "PER")], TINY_GOLD)
    rows = scores_to_rows(scores)
    assert len(rows) == len(LEVELS) * (len(COUNTED_LABELS) + 1)
    per = next(r for r in rows if r["level"] == "exact" and r["label"] == "PER")
    assert per == {
        "level": "exact",
        "label": "PER",
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "matched_pred": 1,
        "matched_gold": 1,
        "n_pred": 1,
        "n_gold": 1,
    }
    json.dumps(rows)  # rows must be JSON-serialisable as they are
    table = format_scores(scores)
    assert table.count("\n") == len(rows) + 2
    assert "document  ALL" in table


# --------------------------------------------------------------------------- gold file format


GOOD_LINE = {"doc_id": "d", "start": 0, "end": 3, "text": "abc", "label": "PER", "canonical": "abc"}


def with_fields(**changes: object) -> str:
    """A gold line with some fields changed (a value of None removes the field)."""
    obj = {**GOOD_LINE, **changes}
    return json.dumps({k: v for k, v in obj.items() if v is not None})


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (with_fields(canonical=None), "'canonical'"),
        (with_fields(start="0"), "'start'"),
        (with_fields(start=True), "'start'"),
        (with_fields(label="PERSON"), "unknown label"),
        (with_fields(end=4), "does not fit"),
        (with_fields(start=3, text=""), "does not fit"),
    ],
)
def test_load_gold_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(f"{with_fields()}\n\n{line}\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=rf"gold\.jsonl:3: .*{message}"):
        load_gold(path)


def test_validate_gold_reports_bad_slices_overlaps_and_unknown_docs() -> None:
    bad = [gm(*MARTIN, "PER"), gm(7, 13, "PER"), GoldMention("d1", 0, 6, "Angers", "CITY", "")]
    bad.append(GoldMention("nowhere", 0, 3, "abc", "PER", ""))
    problems = validate_gold(bad, {"d1": TEXT})
    assert any("overlaps" in p for p in problems)
    assert any("!= slice 'Martin'" in p for p in problems)
    assert any(p.startswith("nowhere") for p in problems)
    assert validate_gold(TINY_GOLD, {"d1": TEXT}) == []


# --------------------------------------------------------------------------- the gold file itself


def test_gold_file_is_consistent_with_the_corpus(
    gold: list[GoldMention], texts: dict[str, str]
) -> None:
    assert validate_gold(gold, texts) == []
    assert {g.doc_id for g in gold} == set(texts)  # every seed post is annotated
    assert all(g.canonical for g in gold)


def test_gold_file_is_sorted_by_document_and_offset(gold: list[GoldMention]) -> None:
    assert gold == sorted(gold, key=lambda g: (g.doc_id, g.start))


# Hand-checked decisions from tests/gold/README.md: (doc prefix, text, nth occurrence, label,
# canonical). A row failing means the gold file and its guidelines have drifted apart.
GOLD_DECISIONS = [
    ("000", "Martin", 0, "PER", "Martin Boivin"),
    ("000", "Mathieu", 1, "PER", "Mathieu Laferrière"),
    ("000", "WAQ", 0, "EVENT", "Web à Québec"),
    ("000", "Semaine numérique", 1, "EVENT", "Semaine numérique de Québec"),
    ("000", "FFQCD", 0, "ORG", "Fonds franco-québécois pour la coopération décentralisée"),
    ("000", "Québec", 0, "CITY", "Québec"),  # "la Ville de Québec"
    ("001", "Québec", 0, "LOC", "Québec (province)"),  # "sortir du Québec"
    ("001", "Web2day", 0, "EVENT", "Web2Day"),
    ("001", "Rozenn L’helgouac’h", 0, "PER", "Rozenn L’helgouac’h"),
    ("002", "Digital SpringBreak", 0, "EVENT", "Web2Day"),
    ("002", "Angers Métropole French Tech", 0, "ORG", "Angers French Tech"),
    ("003", "Rouyn-Noranda", 0, "CITY", "Rouyn-Noranda"),
    ("003", "Abitibi-Témiscamingue", 0, "LOC", "Abitibi-Témiscamingue"),
    ("004", "Québec", 1, "CITY", "Québec"),  # "Québec (Québec)": the city...
    ("004", "Québec", 2, "LOC", "Québec (province)"),  # ...then the province
    ("004", "Web à Québec 2014", 0, "EVENT", "Web à Québec"),
    ("004", "Québec Numérique", 0, "ORG", "Québec numérique"),
    ("004", "Jonathan", 0, "PER", "Jonathan Parent"),  # first name alone, in the author box
]


@pytest.mark.parametrize(("doc", "text", "nth", "label", "canonical"), GOLD_DECISIONS)
def test_gold_decisions(
    gold: list[GoldMention], doc: str, text: str, nth: int, label: str, canonical: str
) -> None:
    hits = [g for g in gold if g.doc_id.startswith(doc) and g.text == text]
    assert (hits[nth].label, hits[nth].canonical) == (label, canonical)


@pytest.mark.parametrize(
    ("doc", "context", "name"),
    [
        ("000", "les autres Québécois", "Québécois"),  # demonym
        ("001", "aux Belges", "Belges"),  # demonym
        ("004", "JonathanP_photo_editorial", "JonathanP_photo_editorial"),  # image caption
        ("001", "Petite histoire cyberpunk", "Petite histoire cyberpunk"),  # talk title
        ("000", "le Bottin des participants", "Bottin"),  # a document, not an organisation
        ("001", "le Karaoké de la soirée", "Karaoké"),  # described, not named
    ],
)
def test_gold_leaves_out_non_entities(
    gold: list[GoldMention], texts: dict[str, str], doc: str, context: str, name: str
) -> None:
    doc_id = next(d for d in texts if d.startswith(doc))
    start = texts[doc_id].index(context) + context.index(name)
    end = start + len(name)
    assert not [g for g in gold if g.doc_id == doc_id and g.start < end and start < g.end]


# --------------------------------------------------------------------------- baseline


def test_bare_model_mentions_on_a_french_sentence(bare_nlp: Language) -> None:
    text = "Hier, Martin Boivin a présenté Québec numérique aux entreprises de Nantes."
    mentions = bare_model_mentions({"x": text}, bare_nlp)
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(m.label in BARE_LABEL_MAP.values() and m.source == "model" for m in mentions)
    assert ("Martin Boivin", "PER") in {(m.text, m.label) for m in mentions}
    assert ("Nantes", "CITY") in {(m.text, m.label) for m in mentions}  # LOC mapped to CITY


@pytest.mark.slow
def test_bare_model_baseline_on_the_seeds(
    bare_nlp: Language, gold: list[GoldMention], texts: dict[str, str]
) -> None:
    mentions = bare_model_mentions(texts, bare_nlp)
    assert all(texts[m.doc_id][m.start : m.end] == m.text for m in mentions)
    assert all(texts[m.doc_id][m.sentence_start :].startswith(m.sentence) for m in mentions)
    scores = score_mentions(mentions, gold)
    # The issue reports ~0.39 document-level F1 for the bare model; a wide band keeps this a
    # sanity check of the scorer (not 0, not perfect), not a pin on the model's exact output.
    assert 0.2 < scores.get("document").f1 < 0.6
    assert scores.get("exact").f1 <= scores.get("overlap").f1
