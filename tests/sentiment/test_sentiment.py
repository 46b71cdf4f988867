"""Tests for recap_nlp.sentiment: rules on real French sentences, aggregation, quality gate."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recap_nlp.records import Document, Mention, Sentence, SentenceSpan
from recap_nlp.sentiment import (
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    doc_sentiment,
    entity_sentiment,
    evaluate_sentiment,
    format_sentiment_scores,
    score_sentences,
    score_text,
    score_text_lexicon_only,
)
from recap_nlp.sentiment.lexicon import load_lexicon, normalise
from recap_nlp.sentiment.scorer import tokenize
from tests.conftest import REPO

GOLD = REPO / "tests" / "gold" / "sentiment.tsv"

# Real sentences from the seed corpus and public French reviews (sources in the gold README),
# labels written by hand before running the scorer.
REAL_SENTENCES = [
    # negation
    ("Question nourriture, nous ne manquions de rien.", "positive"),
    ("Trop superficiel, pas assez authentique.", "negative"),
    ("Je n’avais jamais participé à un Hackathon avant le Hack24 de décembre dernier.", "neutral"),
    # intensifiers
    ("Cependant, les fauteuils sont très confortables.", "positive"),
    ("Le serveur est vraiment sympa, souriant et serviable.", "positive"),
    (
        "Et, quand on en pousse la porte s’attendant à vivre le même genre d’expérience, "
        "on est terriblement déçu.",
        "negative",
    ),
    # contrast: the clause after "mais" wins
    ("Pas franchement mauvais mais sans âme.", "negative"),
    (
        "Car si des éléments peuvent parfois donner un mal de tête, il reste que le coeur du "
        "virage numérique fait la part belle à la collaboration et au partage d’expériences "
        "et de solutions.",
        "positive",
    ),
    # idioms
    (
        "Le coup de coeur de plusieurs participants a sans contredit été La Cité de l’objet "
        "connecté d’Angers.",
        "positive",
    ),
    (
        "Du 3 au 11 juin, j’ai vécu ma première mission internationale avec une délégation de "
        "28 Québécois en feu qui étaient prêts à explorer et découvrir Angers et Nantes.",
        "positive",
    ),
    ("En deux mots : bravo, continuons!", "positive"),
    ("Hors du fait que c’est pas bon, c’est surtout du vol.", "negative"),
    # emoji and emoticons
    ("Au plaisir de vous y croiser! :)", "positive"),
    # plain facts stay neutral
    ("Avant le Hackathon, nous avons assisté à deux réunions.", "neutral"),
    ("Le Web2Day fêtaient son 10e anniversaire cette année.", "neutral"),
    ("Les chaises sont inconfortables et bien sûr il fait trop chaud.", "negative"),
]


@pytest.mark.parametrize(("text", "expected"), REAL_SENTENCES)
def test_real_sentences(text: str, expected: str) -> None:
    assert score_text(text).label == expected


def test_negation_flips_the_lexicon_reading() -> None:
    # The baseline reads only "bonne"; the rules see "n'est pas".
    assert score_text_lexicon_only("Ce n'est pas une bonne idée.").label == "positive"
    result = score_text("Ce n'est pas une bonne idée.")
    assert result.label == "negative"
    assert result.drivers == ("¬bonne:-0.42",)


def test_typographic_and_plain_apostrophes_agree() -> None:
    assert score_text("Ce n’est pas une bonne idée.") == score_text("Ce n'est pas une bonne idée.")


@pytest.mark.parametrize(
    ("weak", "strong"),
    [("C'est bon.", "C'est très bon."), ("Un beau séjour.", "Un beau séjour !!")],
)
def test_intensifiers_and_exclamations_strengthen(weak: str, strong: str) -> None:
    assert score_text(strong).polarity > score_text(weak).polarity > 0


def test_diminisher_weakens() -> None:
    assert 0 > score_text("Un peu décevant.").polarity > score_text("Décevant.").polarity


def test_idiom_with_its_own_negation_is_not_flipped() -> None:
    assert score_text("pas si pire").label == "positive"
    assert score_text("Une soirée à ne pas manquer").label == "positive"


def test_negated_idiom_is_flipped() -> None:
    assert score_text("Ce ne fut pas un coup de cœur.").label == "negative"


def test_emoji_with_variation_selector() -> None:
    assert score_text("Merci ❤️").drivers[-1].startswith("❤")
    assert score_text("Le train était en retard 😞").label == "negative"


def test_every_idiom_is_tokenised_whole() -> None:
    for key in load_lexicon().idioms:
        assert [t.key for t in tokenize(key)] == [key], key


def test_normalise() -> None:
    assert normalise("Cœur’") == "coeur'"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_bounded_consistent_polarity(text: str) -> None:
    result = score_text(text)
    assert -1.0 <= result.polarity <= 1.0
    if result.label == "positive":
        assert result.polarity >= POSITIVE_THRESHOLD
    elif result.label == "negative":
        assert result.polarity <= NEGATIVE_THRESHOLD
    assert -1.0 <= score_text_lexicon_only(text).polarity <= 1.0


def _sentence(doc: str, start: int, text: str, polarity: float, label: str) -> Sentence:
    # probabilities consistent with the polarity: p_pos - p_neg == polarity
    p_pos, p_neg = max(polarity, 0.0), max(-polarity, 0.0)
    end = start + len(text)
    return Sentence(doc, start, end, text, polarity, label, p_pos, 1 - p_pos - p_neg, p_neg)  # type: ignore[arg-type]


def test_score_sentences_keeps_offsets_and_joins_drivers() -> None:
    text = "Accueil chaleureux. Nourriture très quelconque."
    doc = Document("d1", text, "d1.txt", "txt", "h")
    spans = [SentenceSpan("d1", 0, 19, text[0:19]), SentenceSpan("d1", 20, 47, text[20:47])]
    first, second = score_sentences(doc, spans)
    assert (first.start, first.end, second.start, second.end) == (0, 19, 20, 47)
    assert first.label == "positive" and second.label == "negative"
    assert first.p_positive > 0.5 and second.p_negative > 0.5
    assert first.polarity == pytest.approx(first.p_positive - first.p_negative, abs=1e-4)
    assert "chaleureux:+" in first.drivers and "; " in first.drivers


def test_doc_sentiment_weighted_mean_and_empty_doc() -> None:
    sentences = [
        _sentence("a", 0, "Super.", 0.8, "positive"),
        _sentence("a", 10, "Bof.", -0.4, "negative"),
        _sentence("a", 20, "Fait.", 0.0, "neutral"),
    ]
    rows = doc_sentiment(sentences, doc_ids=["b"])
    assert [r.doc_id for r in rows] == ["a", "b"]
    a, b = rows
    # sums p_pos 0.8, p_neg 0.4, p_neu 1.8: (0.8 - 0.4) / (0.8 + 0.4 + 0.25 * 1.8)
    assert a.polarity == pytest.approx(0.2424, abs=1e-3)
    assert (a.label, a.n_sentences, a.n_positive, a.n_negative) == ("positive", 3, 1, 1)
    assert a.summary == "positive, with 1 criticism"
    assert (a.p_positive, a.p_negative) == pytest.approx((0.2667, 0.1333), abs=1e-3)
    assert a.top_positive == ("Super.",) and a.top_negative == ("Bof.",)
    assert (b.label, b.n_sentences, b.reason) == ("neutral", 0, "no sentences")


def _mention(doc: str, start: int, text: str, canonical: str = "") -> Mention:
    return Mention(doc, start, start + len(text), text, "CITY", "", 0, "test", canonical)


def test_entity_sentiment_groups_by_canonical_and_overlap() -> None:
    sentences = [
        _sentence("a", 0, "Angers est superbe.", 0.6, "positive"),
        _sentence("a", 20, "Nantes aussi.", 0.0, "neutral"),
        _sentence("b", 0, "Angers sous la pluie, décevant.", -0.4, "negative"),
    ]
    mentions = [
        _mention("a", 0, "Angers", "Angers"),
        _mention("a", 7, "est", "Angers"),  # same sentence again: counted once
        _mention("b", 0, "Angers", "Angers"),
        _mention("a", 20, "Nantes"),  # no canonical: falls back to the text
        _mention("a", 19, " "),  # sits in the gap between two sentences
    ]
    rows = entity_sentiment(sentences, mentions)
    assert [r.entity for r in rows] == ["Angers", "Nantes"]
    angers, nantes = rows
    # p_pos 0.6, p_neg 0.4, p_neu 1.0: 0.2 / (1.0 + 0.25)
    assert angers.n_sentences == 2 and angers.polarity == pytest.approx(0.16)
    assert angers.summary == "positive, with 1 criticism"
    assert angers.doc_ids == ("a", "b")
    assert angers.sentences == ("Angers est superbe.", "Angers sous la pluie, décevant.")
    assert (nantes.n_sentences, nantes.label, nantes.sentences) == (1, "neutral", ())


def test_gold_set_shape() -> None:
    with GOLD.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) >= 150
    assert len({r["text"] for r in rows}) == len(rows)
    assert all(r["source"] for r in rows)
    labels = Counter(r["label"] for r in rows)
    assert min(labels[k] for k in ("positive", "neutral", "negative")) >= 40
    assert {r["split"] for r in rows} == {"dev", "test"}


# Quality gate. Measured on tests/gold/sentiment.tsv: full scorer macro-F1 0.753 (all),
# 0.733 (held-out test split); lexicon-only baseline 0.499 (all). Floors are the measured
# figures minus a 0.03 margin. Never lower a floor silently: a lower floor needs a note in
# CHANGELOG.md and in tests/gold/README-sentiment.md saying why the figure dropped.
FLOOR_ALL = 0.72
FLOOR_TEST = 0.70
MIN_GAIN_OVER_BASELINE = 0.15


def test_quality_gate() -> None:
    scores = evaluate_sentiment(GOLD)
    full, test = scores.get("full", "all"), scores.get("full", "test")
    assert full.macro_f1 >= FLOOR_ALL, format_sentiment_scores(scores)
    assert test.macro_f1 >= FLOOR_TEST, format_sentiment_scores(scores)
    gain = full.macro_f1 - scores.get("lexicon_only", "all").macro_f1
    assert gain >= MIN_GAIN_OVER_BASELINE
    assert "confusion" in format_sentiment_scores(scores)


def test_tokenize_gives_each_caller_its_own_list() -> None:
    # Tokens are computed once per sentence and shared: a caller's edits must not leak.
    from recap_nlp.sentiment.scorer import tokenize

    first = tokenize("Un vrai coup de cœur, bravo !")
    first.clear()
    assert [t.key for t in tokenize("Un vrai coup de cœur, bravo !")][:3] == [
        "un",
        "vrai",
        "coup de coeur",
    ]


def test_companions_and_best_practices_are_no_praise() -> None:
    # "ami" is read as the adjective "friendly" by textblob-fr; in recaps it names companions
    assert score_text("Samedi, nous avons rejoint des amis au parc.").label == "neutral"
    assert score_text("Une amie de Lille nous accompagnait.").label == "neutral"
    # "bonnes pratiques" is a topic (best practices), "bonne" alone still praises
    assert score_text("L'atelier portait sur les bonnes pratiques du test.").label == "neutral"
    assert score_text("Une bonne soirée entre amis.").label == "positive"
