"""Self-training of the sentiment classifier: the unlabelled pool and how folds use it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.model_selection import GroupKFold

import recap_nlp.evaluation.sentiment_training as training
from recap_nlp.evaluation.sentiment_training import (
    Example,
    Pool,
    cross_validate,
    fit,
    load_examples,
    logits_for,
    self_train,
)
from recap_nlp.evaluation.sentiment_unlabelled import (
    SELF_TRAIN_THRESHOLD,
    Unlabelled,
    match_key,
    outside,
    unlabelled_sentences,
)
from recap_nlp.sentiment.classifier import CLASSES
from recap_nlp.sentiment.features import sentence_features

# Written for this test: two short posts, one sentence of which is "labelled".
POST_A = (
    "Le festival a ouvert ses portes vendredi soir sur la grande place.\n\n"
    "Une soirée magnifique, merci à toute l'équipe des bénévoles !\n\n"
    "Trop bien.\n"
)
POST_B = (
    "Il a fallu attendre deux heures debout dans le froid pour entrer.\n\n"
    "Le festival a ouvert ses portes vendredi soir sur la grande place.\n"
)


def test_match_key_ignores_markdown_case_and_spacing() -> None:
    assert match_key("Une **belle**  soirée !") == match_key("une belle soirée")
    assert match_key("[La salle](http://x) était pleine.") != match_key("La salle était vide.")


def test_unlabelled_sentences_leave_out_labelled_short_and_repeated(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(POST_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(POST_B, encoding="utf-8")
    labelled = ["Il a fallu attendre deux heures debout dans le froid pour entrer."]
    found = unlabelled_sentences([(tmp_path, "t:"), (tmp_path / "none", "x:")], labelled)
    texts = [u.text for u in found]
    assert "Une soirée magnifique, merci à toute l'équipe des bénévoles !" in texts
    assert not [t for t in texts if "attendre deux heures" in t]  # labelled
    assert "Trop bien." not in texts  # under MIN_WORDS words
    assert sum("vendredi soir" in t for t in texts) == 1  # the repeated sentence once
    assert {u.group for u in found} <= {"t:a", "t:b"}


def test_outside_keeps_only_posts_of_other_folds() -> None:
    pool = [Unlabelled("x y z w", "rd:p1"), Unlabelled("a b c d", "rd:p2")]
    assert outside(pool, {"rd:p1"}) == [1]
    assert outside(pool, set()) == [0, 1]


def _small() -> list[Example]:
    examples = load_examples(None)
    return [e for e in examples if e.origin == "project"][::2] + [
        e for e in examples if e.origin == "own"
    ][::3]


POOL_TEXTS = [
    "Une soirée magnifique, merci à toute l'équipe, on a adoré !",
    "Quarante minutes de queue pour un café tiède, quelle déception.",
    "La salle se trouve au deuxième étage du bâtiment.",
    "Le programme de samedi sera publié la semaine prochaine.",
]


def test_self_training_adds_only_confident_sentences_with_the_model_label() -> None:
    examples = _small()
    feats = [sentence_features(e.text) for e in examples]
    labels = [e.label for e in examples]
    fitted = fit(feats, labels, 0.3)
    pool = Pool.of([Unlabelled(t, "own:pool") for t in POOL_TEXTS])
    refit, added, pseudo = self_train(fitted, feats, labels, 0.3, None, pool, [0, 1, 2, 3])
    scores = logits_for(fitted, list(pool.feats))
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    confident = [i for i in range(4) if p[i].max() >= SELF_TRAIN_THRESHOLD]
    assert added == confident and added, p
    assert pseudo == [CLASSES[int(np.argmax(p[i]))] for i in added]
    assert set(pseudo) >= {"positive", "negative"}  # the two clear sentences were added
    assert refit is not fitted
    # nothing to add: the fit comes back as it was
    assert self_train(fitted, feats, labels, 0.3, None, pool, [])[0] is fitted


def test_cross_validation_never_self_trains_on_posts_of_the_scored_fold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    examples = _small()
    groups = sorted({e.group for e in examples if e.origin == "project"})
    pool = Pool.of([Unlabelled(t, g) for t, g in zip(POOL_TEXTS, groups[:4], strict=True)])
    used: list[set[str]] = []
    real_self_train = training.self_train

    def spy(fitted, feats, labels, c, dense, pool_, idx):  # type: ignore[no-untyped-def]
        used.append({pool_.items[i].group for i in idx})
        return real_self_train(fitted, feats, labels, c, dense, pool_, idx)

    monkeypatch.setattr(training, "self_train", spy)
    report = cross_validate(examples, c=0.3, pool=pool)
    assert report.rows and len(used) == training.OUTER_FOLDS
    real = [e for e in examples if e.origin != "own"]
    folds = GroupKFold(training.OUTER_FOLDS).split(real, groups=[e.group for e in real])
    for pool_groups, (_, test) in zip(used, folds, strict=True):
        assert not pool_groups & {real[i].group for i in test}
    # every pool post is used by the folds that do not score it
    assert set().union(*used) == set(groups[:4])
