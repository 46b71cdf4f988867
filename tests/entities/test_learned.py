"""The learned entity layer: weights file, relabelling, the user's gazetteer, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recap_nlp.entities.learned import (
    WEIGHTS_FILE,
    Relabeller,
    WeightsError,
    name_features,
    packaged_relabeller,
    read_weights,
    relabel_mentions,
)
from recap_nlp.evaluation.entity_training import CrossValidation, Example, fit, weights_json
from recap_nlp.records import Document, Mention
from tests.conftest import REPO

DATA = REPO / "src" / "recap_nlp" / "data"
BODY = "Le groupe Histoire joue ce soir. Histoire a ouvert. Claire Dumas chante."


def document() -> Document:
    return Document("p", BODY, "p.md", "md", "h", title="Concert du soir")


def mention(text: str, label: str, source: str = "model", nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = BODY.index(text, start + 1)
    return Mention("p", start, start + len(text), text, label, BODY, 0, source)  # type: ignore[arg-type]


def rejecting(enabled: set[str]) -> Relabeller:
    """A layer that calls every name NONE (intercept only)."""
    classes = ("CITY", "EVENT", "NONE", "ORG", "PER")
    return Relabeller(classes, {}, ((),) * 5, (0.0, 0.0, 5.0, 0.0, 0.0), frozenset(enabled))


def test_missing_weights_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.json"
    with pytest.raises(WeightsError, match=r"absent\.json"):
        read_weights(path)


def test_corrupt_weights_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text('{"classes": ["PER"', encoding="utf-8")
    with pytest.raises(WeightsError, match=r"w\.json"):
        read_weights(path)
    path.write_text(
        json.dumps(
            {
                "classes": ["PER"],
                "features": ["a"],
                "coef": [[1, 2]],
                "intercept": [0],
                "enabled": [],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(WeightsError, match="inconsistent"):
        read_weights(path)
    path.write_text(json.dumps({"classes": ["PER"]}), encoding="utf-8")
    with pytest.raises(WeightsError, match="lack"):
        read_weights(path)


def test_packaged_weights_load_and_hold_no_capitalised_name() -> None:
    model = packaged_relabeller()
    raw = json.loads((DATA / WEIGHTS_FILE).read_text(encoding="utf-8"))
    assert set(model.classes) == {"CITY", "EVENT", "NONE", "ORG", "PER"}
    assert all(">" in change for change in model.enabled)
    # the layer learns kinds of names: no feature holds a capitalised word of a training post
    words = [f.split("=", 1)[1] for f in raw["features"] if f.startswith(("word=", "last_lower="))]
    assert all(w == w.lower() for w in words)
    context = [f.split("=", 1)[1] for f in raw["features"] if f.startswith(("prev", "next"))]
    assert all(w.startswith("<") or w == w.lower() for w in context)


def test_enabled_change_rejects_a_name_as_misc() -> None:
    ms = [
        mention("Histoire", "ORG"),
        mention("Histoire", "ORG", nth=1),
        mention("Claire Dumas", "PER"),
    ]
    got = relabel_mentions(document(), ms, rejecting({"ORG>NONE"}))
    assert [m.label for m in got] == ["MISC", "MISC", "PER"]
    assert got[0].source == "learned"


def test_changes_not_enabled_are_not_made() -> None:
    ms = [mention("Histoire", "ORG"), mention("Claire Dumas", "PER")]
    got = relabel_mentions(document(), ms, rejecting({"CITY>NONE"}))
    assert [m.label for m in got] == ["ORG", "PER"]


def test_user_gazetteer_wins_over_the_learned_layer() -> None:
    ms = [mention("Histoire", "ORG", "gazetteer"), mention("Histoire", "ORG", nth=1)]
    got = relabel_mentions(document(), ms, rejecting({"ORG>NONE"}))
    assert got[0].label == "ORG" and got[0].source == "gazetteer"
    assert got[1].label == "MISC"


def test_features_see_context_title_and_common_words() -> None:
    feats = name_features(document(), "histoire", [mention("Histoire", "ORG")])
    assert feats["rule=ORG"] == 1.0
    assert feats["prev1=groupe"] == 1.0
    assert "french_word" in feats
    assert "in_title" not in feats


def test_training_is_deterministic() -> None:
    examples = [
        Example("a", "x", {"rule=ORG": 1.0, "french_word": 1.0}, "NONE"),
        Example("a", "y", {"rule=ORG": 1.0, "camel": 1.0}, "ORG"),
        Example("b", "z", {"rule=ORG": 1.0, "french_word": 1.0}, "NONE"),
        Example("b", "w", {"rule=PER": 1.0, "first_name": 1.0}, "PER"),
        Example("c", "v", {"rule=ORG": 1.0, "camel": 1.0}, "ORG"),
        Example("c", "u", {"rule=PER": 1.0, "first_name": 1.0}, "PER"),
    ]
    cv = CrossValidation({"ALL": 0.5}, {"ALL": 0.6}, [])
    first = weights_json(fit(examples, ["ORG>NONE"]), cv, 3)
    assert first == weights_json(fit(list(examples), ["ORG>NONE"]), cv, 3)
    model = fit(examples, ["ORG>NONE"])
    probs = model.probabilities({"rule=ORG": 1.0, "french_word": 1.0})
    assert max(probs, key=probs.get) == "NONE"


def test_the_main_event_and_editions_are_never_rejected() -> None:
    body = "Bilan du Festival Lumière. Le Défi Vert 2021 a plu. La Nuit Bleue aussi."
    doc = Document("p", body, "p.md", "md", "h", title="Retour sur le Festival Lumière")

    def event(text: str) -> Mention:
        start = body.index(text)
        return Mention("p", start, start + len(text), text, "EVENT", body, 0, "cue")

    ms = [event("Festival Lumière"), event("Défi Vert"), event("Nuit Bleue")]
    got = relabel_mentions(doc, ms, rejecting({"EVENT>NONE"}))
    assert [m.label for m in got] == ["EVENT", "EVENT", "MISC"]
