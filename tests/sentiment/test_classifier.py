"""Tests for the trained sentence classifier: features, shipped weights, training, evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from recap_nlp.evaluation.sentiment_training import (
    BLOCK_WEIGHTS,
    Example,
    WordVectors,
    block_weight,
    cross_validate,
    fit,
    load_examples,
    logits_for,
    save_model,
    train_model,
)
from recap_nlp.records import DocTheme, Sentence
from recap_nlp.sentiment import (
    SentimentModelError,
    classify,
    evaluate_sentiment,
    format_sentiment_scores,
    load_model,
    read_model,
    summary,
    theme_sentiment,
)
from recap_nlp.sentiment.classifier import CLASSES, logits, model_path, text_digest
from recap_nlp.sentiment.evaluate import SentimentGoldError, load_sentiment_gold
from recap_nlp.sentiment.features import (
    frame_screen,
    frames_in,
    load_frames,
    sentence_features,
    stem,
)
from recap_nlp.sentiment.lexicon import normalise
from tests.conftest import REPO

# Written for this test (not in any training file), labels decided by hand by the rules of
# the realdev SENTIMENT-RULES: complaints without opinion words, contrast, litotes, Québec
# French, neutral facts with an exclamation mark.
OWN_SENTENCES = [
    ("Trois quarts d'heure de file pour entrer dans la salle.", "negative"),
    ("Il ne restait plus un seul café à dix heures.", "negative"),
    ("Quinze euros le sandwich, sans boisson.", "negative"),
    ("Le bus de retour est parti avec une heure de retard.", "negative"),
    ("La moitié des ateliers du matin ont été annulés.", "negative"),
    ("Une belle salle, mais on n'entendait rien au fond.", "negative"),
    ("Le trajet était long, mais l'accueil nous a vite réconfortés.", "positive"),
    ("Je n'ai pas été déçu par la soirée de clôture.", "positive"),
    ("Ce n'était pas à la hauteur de l'an dernier.", "negative"),
    ("Franchement, c'était pas pire pantoute.", "positive"),
    ("La conférence commence à 9 h dans l'amphithéâtre B.", "neutral"),
    ("Le salon accueille 120 exposants sur deux jours !", "neutral"),
    ("Une journée formidable, merci à toute l'équipe !", "positive"),
    ("Il a fallu attendre deux heures debout dans le froid.", "negative"),
]


def test_own_sentences_mostly_right() -> None:
    wrong = [(t, g, classify(t).label) for t, g in OWN_SENTENCES if classify(t).label != g]
    # 13 of 14 when written (the contrast with an unknown praise verb fails)
    assert len(wrong) <= 2, wrong


@pytest.mark.parametrize(
    "text",
    [
        "Quarante minutes de queue pour un café tiède.",
        "Il n'y avait pas assez de chaises pour tout le monde.",
        "Bravo, encore un micro en panne pendant le débat.",
    ],
)
def test_complaints_without_opinion_words_are_negative(text: str) -> None:
    result = classify(text)
    assert result.label == "negative" and result.p_negative > 0.5


def test_probabilities_sum_to_one_and_polarity_is_their_difference() -> None:
    result = classify("Le concert était vraiment génial !")
    total = result.p_positive + result.p_neutral + result.p_negative
    assert total == pytest.approx(1.0, abs=1e-3)
    assert result.polarity == pytest.approx(result.p_positive - result.p_negative, abs=1e-4)
    assert result.label == "positive"


def test_drivers_are_signed_and_name_frames() -> None:
    drivers = classify("Quarante minutes de queue pour un café tiède.").drivers
    assert drivers[0].startswith("[waiting]:-")
    values = [float(d.rsplit(":", 1)[1]) for d in drivers]
    assert values == sorted(values, key=lambda v: -abs(v))
    assert not any(d.startswith(("de:", "un:", "pour:")) for d in drivers)  # function words


def test_frames_and_features() -> None:
    found = {name for name, _ in frames_in(normalise("Pas assez de places et trop cher."))}
    assert {"shortage", "price"} <= found
    assert not frames_in(normalise("Nous avons visité le musée."))
    feats = sentence_features("Le lieu était beau, mais on a dû attendre.")
    assert feats["lex:contrast"] == 1.0 and feats["f:waiting_after_mais"] == 1.0
    assert feats["a:attendr"] > 0  # stem after the contrast word
    assert stem("annulées") == stem("annulée") == "annul"


@pytest.mark.parametrize(
    "sentence",
    [
        "Pas assez de places et trop cher.",
        "Deux heures de queue à l'entrée, puis une attente sans fin au vestiaire.",
        "Il ne reste plus que trois vélos.",
        "Nous avons visité le musée.",
        "Un concert magnifique sous le soleil.",
        "",
    ],
)
def test_frame_screen_agrees_with_every_pattern(sentence: str) -> None:
    """The screen matches exactly the sentences where at least one frame pattern does."""
    text = normalise(sentence)
    screen = frame_screen()
    assert screen is not None  # the shipped frames have no back-reference
    any_pattern = any(frame.pattern.search(text) for frame in load_frames())
    assert (screen.search(text) is not None) == any_pattern
    found = [(f.name, m.start()) for f in load_frames() for m in f.pattern.finditer(text)]
    assert frames_in(text) == found


def test_concession_main_clause_subjectivity_and_person() -> None:
    feats = sentence_features("Malgré la pluie, une soirée formidable.")
    assert feats["lex:concession"] == 1.0 and feats["k:plui"] > 0  # "pluie" inside the concession
    assert "k:soire" not in feats  # the main clause is not in it
    assert feats["lex:pos_main"] > 0 and feats["lex:neg_main"] == 0.0
    # a contrast: only the cues after "mais" count in the main clause
    after = sentence_features("Une belle salle, mais un son horrible.")
    assert after["lex:neg_main"] > 0 and after["lex:pos_main"] == 0.0
    # descriptions carry less subjectivity than evaluations
    plain = sentence_features("La salle compte deux cents places.")["lex:subjectivity"]
    opinion = sentence_features("Une salle magnifique et un accueil chaleureux.")
    assert opinion["lex:subjectivity"] > plain
    assert sentence_features("Nous avons adoré.")["p:first_person"] == 1.0
    assert "p:first_person" not in sentence_features("Le concert commence à 20 h.")
    assert sentence_features("N'hésitez pas à vous inscrire.")["p:second_person"] == 1.0
    found = {name for name, _ in frames_in(normalise("Il ne reste plus que trois vélos."))}
    assert "decline" in found


def test_word_table_has_no_function_words() -> None:
    words = load_model().words
    assert words, "the shipped model has a word-vector table"
    assert not {"de", "le", "et", "la", "un"} & words.keys()
    assert "pas" in words or "jamais" in words  # negators are kept


def test_shipped_weights_load() -> None:
    model = load_model()
    assert model_path().name == "sentiment_model.npz" and model_path().is_file()
    assert model.coef.shape == (3, len(model.index)) and len(model.index) > 500
    assert model.word_scores.shape[1] == 3 and model.temperature > 0
    assert model.meta["classes"] == list(CLASSES)
    assert model.meta["training"]["project"] >= 200 and model.meta["training"]["own"] >= 150


def test_missing_or_corrupt_weights_are_clear_errors(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.npz"
    with pytest.raises(SentimentModelError, match=r"nothing\.npz are missing"):
        read_model(missing)
    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(b"not a zip file at all")
    with pytest.raises(SentimentModelError, match=r"corrupt\.npz are unreadable"):
        read_model(corrupt)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(model_path().read_bytes()[:5000])
    with pytest.raises(SentimentModelError, match=r"truncated\.npz"):
        read_model(truncated)
    wrong = tmp_path / "wrong.npz"
    with np.load(model_path(), allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["coef"] = arrays["coef"][:, :10]
    save_model(arrays, wrong)
    with pytest.raises(SentimentModelError, match=r"wrong\.npz are invalid.*coef shape"):
        read_model(wrong)


def _small_set() -> list[Example]:
    examples = load_examples(None)
    project = [e for e in examples if e.origin == "project"][::3]
    own = [e for e in examples if e.origin == "own"][::4]
    return project + own


def test_training_is_deterministic(tmp_path: Path) -> None:
    examples = _small_set()
    first, _ = train_model(examples, c=0.3)
    second, _ = train_model(examples, c=0.3)
    assert first.keys() == second.keys()
    for name in first:
        assert np.array_equal(first[name], second[name]), name
    save_model(first, tmp_path / "m.npz")
    model = read_model(tmp_path / "m.npz")
    assert classify("Une soirée magnifique !", model).label == "positive"


def test_word_vector_scores_reproduce_the_trained_logits(tmp_path: Path) -> None:
    examples = _small_set()
    words = sorted({w for e in examples for w in normalise(e.text).split() if w.isalpha()})
    rng = np.random.default_rng(0)
    vectors = WordVectors({w: i % 50 for i, w in enumerate(words)}, rng.normal(size=(50, 8)), 0.5)
    arrays, _ = train_model(examples, c=0.3, vectors=vectors)
    save_model(arrays, tmp_path / "m.npz")
    model = read_model(tmp_path / "m.npz")
    assert model.word_scores.shape == (50, 3)
    # training side: sparse features and the mean word vector through the fitted weights
    feats = [sentence_features(e.text) for e in examples]
    dense = np.array([vectors.sentence(e.text) for e in examples])
    fitted = fit(feats, [e.label for e in examples], 0.3, dense)
    text = examples[0].text
    direct = logits_for(fitted, [sentence_features(text)], vectors.sentence(text)[None, :])[0]
    shipped, _, _, _ = logits(model, text)
    assert shipped == pytest.approx(direct, abs=1e-3)


# Quality gate on the project's own sentences (CI has no realdev): grouped CV by source,
# C fixed a priori at 0.3, no word vectors. Measured 0.742 when set; floor = measured - 0.03.
FLOOR_PROJECT_CV = 0.71


def test_cross_validated_gate_on_project_sentences() -> None:
    report = cross_validate(load_examples(None), c=0.3)
    row = next(r for r in report.rows if r.scorer == "classifier (CV)" and r.split == "project")
    assert row.n == 218
    assert row.macro_f1 >= FLOOR_PROJECT_CV, row


def test_jsonl_gold_is_read_and_bad_lines_rejected(tmp_path: Path) -> None:
    good = tmp_path / "g.jsonl"
    items = [
        {"id": "a", "text": "Quelle belle soirée !", "label": "positive", "doc_id": "p1"},
        {
            "id": "b",
            "text": "On a attendu deux heures.",
            "label": "negative",
            "doc_id": "p2",
            "hard": True,
        },
        {"id": "c", "text": "La salle ouvre à 9 h.", "label": "neutral", "doc_id": "p2"},
    ]
    good.write_text("\n".join(json.dumps(i) for i in items) + "\n", encoding="utf-8")
    rows = load_sentiment_gold(good)
    assert [(r.label, r.source, r.split) for r in rows] == [
        ("positive", "p1", "plain"),
        ("negative", "p2", "hard"),
        ("neutral", "p2", "plain"),
    ]
    scores = evaluate_sentiment(good)
    assert scores.get("classifier", "all").n == 3 and scores.n_seen == 0
    assert "none of the 3 sentences" in format_sentiment_scores(scores)
    bad = tmp_path / "b.jsonl"
    bad.write_text('{"text": "x", "label": "great", "doc_id": "p"}\n', encoding="utf-8")
    with pytest.raises(SentimentGoldError, match=r"b\.jsonl:1"):
        load_sentiment_gold(bad)


def test_project_gold_is_flagged_as_training_data() -> None:
    scores = evaluate_sentiment(REPO / "tests" / "gold" / "sentiment.tsv")
    assert scores.n_seen == 218
    assert "in-sample" in format_sentiment_scores(scores)


def test_summary_never_hides_criticisms() -> None:
    assert summary("positive", 9, 4) == "positive, with 4 criticisms"
    assert summary("negative", 1, 6) == "negative, with 1 praise"
    assert summary("neutral", 2, 3) == "neutral: 2 praises, 3 criticisms"
    assert summary("positive", 5, 0) == "positive"


def _s(doc: str, start: int, p: tuple[float, float, float], label: str) -> Sentence:
    return Sentence(doc, start, start + 5, "texte", p[0] - p[2], label, *p)  # type: ignore[arg-type]


def test_theme_sentiment_weights_posts_by_share() -> None:
    sentences = [
        _s("a", 0, (0.9, 0.1, 0.0), "positive"),
        _s("b", 0, (0.0, 0.2, 0.8), "negative"),
    ]
    shares = [DocTheme("a", 0, 0.75), DocTheme("b", 0, 0.25), DocTheme("b", 1, 0.75)]
    zero, one = theme_sentiment(sentences, shares)
    # theme 0: pos 0.675, neg 0.2, neu 0.125 -> 0.475 / (0.875 + 0.03125)
    assert zero.polarity == pytest.approx(0.5241, abs=1e-3)
    assert (zero.label, zero.n_docs, zero.n_positive, zero.n_negative) == ("positive", 2, 0.8, 0.2)
    assert zero.summary == "positive, with 0.2 criticism"
    assert one.label == "negative" and one.n_docs == 1


@pytest.mark.parametrize(
    "sentence",
    ["Un accueil CHALEUREUX, mais l’attente était trop longue…", "Une Œuvre superbe à İstanbul !"],
)
def test_drivers_group_by_the_normalised_words(sentence: str) -> None:
    """Drivers come out as if grouped over ``normalise(text)``, whichever text is tokenized."""
    from recap_nlp.sentiment.classifier import _drivers

    model = load_model()
    _, keys, values, word_part = logits(model, sentence)
    cols = [model.index[k] for k in keys]
    contributions = values * (model.coef[0, cols] - model.coef[2, cols])
    expected = _drivers(normalise(sentence), keys, contributions, word_part)
    assert classify(sentence).drivers == expected


def test_block_weights_scale_the_design_and_are_folded_into_the_shipped_weights(
    tmp_path: Path,
) -> None:
    assert block_weight("f:waiting") == 2.0 and block_weight("lex:pos_main") == 0.5
    assert block_weight("p:excl") == 0.5 and block_weight("w:attente") == 1.0
    assert block_weight("s:attent") == 1.0  # n-grams keep their unit-length scaling
    examples = _small_set()
    feats = [sentence_features(e.text) for e in examples]
    fitted = fit(feats, [e.label for e in examples], 0.3)
    arrays, _ = train_model(examples, c=0.3)
    save_model(arrays, tmp_path / "m.npz")
    model = read_model(tmp_path / "m.npz")
    assert model.meta["block_weights"] == dict(BLOCK_WEIGHTS)
    # a frame's shipped coefficient is its fitted one times 2 (run time reads the raw 1.0)
    name = next(n for n in fitted.names if n.startswith("f:") and n in model.index)
    col = fitted.names.index(name)
    shipped = model.coef[:, model.index[name]]
    assert shipped == pytest.approx(2.0 * fitted.coef[:, col], rel=1e-4, abs=1e-6)
    text = "Une heure de queue, mais pas déçus du tout !"
    direct = logits_for(fitted, [sentence_features(text)])[0]
    assert logits(model, text)[0] == pytest.approx(direct, abs=1e-3)


HELDOUT_KINDS = Path(__file__).with_name("heldout_kinds.tsv")
# Measured 53 / 79 with the shipped weights (53 before self-training and with the block weights
# alone, 50 to 53 as the frame and lexicon fixes went in: borderline sentences move on
# retraining); floor = 0.60.
FLOOR_HELDOUT_KINDS = 0.60


def _heldout_kinds() -> list[tuple[str, str, str]]:
    lines = HELDOUT_KINDS.read_text(encoding="utf-8").splitlines()[1:]
    return [tuple(line.split("\t")) for line in lines if line]  # type: ignore[misc]


def test_heldout_kinds_are_never_trained_on() -> None:
    rows = _heldout_kinds()
    assert len(rows) == 79
    seen = set(load_model().meta["trained_on"])
    assert not [t for t, _, _ in rows if text_digest(t) in seen]


def test_heldout_kinds_mostly_right() -> None:
    """Sentences written for this test of the kinds the CV errors show (narration and
    descriptions with praise words, rhetorical questions, complaints without a frame word,
    urban and political criticism in plain words, praise without opinion words); never
    trained on, labels by the realdev labelling rules."""
    rows = _heldout_kinds()
    right = sum(classify(text).label == label for text, label, _ in rows)
    assert right / len(rows) >= FLOOR_HELDOUT_KINDS, right
    narrative = [(t, g) for t, g, k in rows if k in ("narrative", "descriptive")]
    assert sum(classify(t).label == g for t, g in narrative) >= 0.75 * len(narrative)


def _frames(text: str) -> set[str]:
    return {name for name, _ in frames_in(normalise(text))}


def test_frames_read_kinds_they_used_to_miss_or_misread() -> None:
    # Markdown emphasis no longer hides a word from the word boundaries
    assert "enjoy" in _frames("_Merci aux bénévoles de la buvette !_")
    assert "enjoy" in _frames("**Bravo à** toute l'équipe.")
    # expectations are no waiting; a wait still is
    assert "waiting" not in _frames("La soirée a dépassé nos attentes.")
    assert "waiting" in _frames("Une heure d'attente au vestiaire.")
    # "pas trop" before a complaint word denies it; "pas assez" criticises
    assert "litotes_pos" in _frames("Pas trop de monde dans les allées samedi.")
    assert "litotes_neg" not in _frames("Pas trop cher pour trois jours de concerts.")
    assert "litotes_neg" in _frames("Pas trop convaincu par la conférence de clôture.")
    assert "litotes_neg" in _frames("Le réseau était pas assez rapide pour les démos.")
    # nouns are not verdicts: "en moyenne", "un moyen de", "à refaire la toiture", "vent debout"
    assert "litotes_neg" not in _frames("Les visiteurs restent en moyenne deux heures.")
    assert "litotes_neg" not in _frames("Le vélo reste un moyen de transport rapide.")
    assert "litotes_neg" in _frames("Un concert moyen, sans surprise.")
    assert "recommend" not in _frames("Il reste à refaire la toiture du gymnase.")
    assert "recommend" in _frames("Une journée à refaire !")
    assert "weather" not in _frames("Les riverains sont vent debout contre le projet.")
    assert "weather" in _frames("Beaucoup de vent sur la plage pendant le concert.")
    # prices: the feminine is read, affection is not a price
    assert "price" in _frames("Les boissons étaient chères pour un festival gratuit.")
    assert "price" not in _frames("Deux causes qui nous sont chères.")
    assert "price" not in _frames("Chers amis, voici le programme.")
    # "bien" before a participle of making or running something
    assert "enjoy" in _frames("Un salon très bien organisé.")
    assert "enjoy" not in _frames("Nous sommes bien arrivés à l'hôtel.")


def test_desire_luck_failure_and_missing_out_frames() -> None:
    assert "enjoy" in _frames("Cette démo donne vraiment envie de s'y mettre.")
    assert "enjoy" in _frames("Nous avons eu la chance de visiter les ateliers.")
    assert "enjoy" in _frames("Leurs photos de voyage font rêver.")
    assert "hardship" in _frames("Cette refonte sans tests court à l'échec.")
    assert "hardship" in _frames("Après trois relances, plus aucun espoir de réponse.")
    assert "hardship" in _frames("Je suis passée à côté de la soirée d'ouverture.")
    assert "hardship" not in _frames("Le cortège est passé à côté de nous sans s'arrêter.")


def test_frame_screen_starts_at_word_boundaries() -> None:
    from recap_nlp.sentiment.features import (
        frame_screen,
        frames_in,
        load_frames,
        starts_at_word_boundary,
    )

    assert starts_at_word_boundary(r"(?<!nos )(?<!mes )\battente\b")
    assert starts_at_word_boundary(r"\b(?:un|deux) trois")
    assert not starts_at_word_boundary(r"\bun|deux")  # "deux" matches anywhere
    assert not starts_at_word_boundary(r"\b?un")
    assert not starts_at_word_boundary(r"(?<=\w)\bun")  # an escape in the lookbehind: not skipped
    assert not starts_at_word_boundary(r"un\b")
    assert starts_at_word_boundary(r"\b[|]un")  # a bar inside a class is a character
    # the shipped frames all qualify, so the screen tests "\b" first
    assert all(starts_at_word_boundary(f.pattern.pattern) for f in load_frames())
    screen = frame_screen()
    assert screen is not None and screen.pattern.startswith(r"\b(?:")
    # leading lookbehinds are left to the patterns themselves (inner ones stay)
    inside = sum(f.pattern.pattern.count("(?<!") for f in load_frames())
    assert screen.pattern.count("(?<!") < inside
    # the screen lets through whatever a frame matches, and more: "nos attentes" is no wait
    assert screen.search("nos attentes étaient hautes.") is not None
    assert "waiting" not in [name for name, _ in frames_in("nos attentes étaient hautes.")]
    assert "waiting" in [name for name, _ in frames_in("une attente interminable.")]


def test_score_tokens_is_score_text() -> None:
    from recap_nlp.sentiment.scorer import _contributions, score_text, score_tokens, tokenize

    for text in ["Ce n'est pas une bonne idée.", "Un vrai coup de cœur, mais trop cher !", "Bof."]:
        tokens = tokenize(text)
        assert score_tokens(tokens) == score_text(text)
        assert score_tokens(tokens, _contributions(tokens)) == score_text(text)
