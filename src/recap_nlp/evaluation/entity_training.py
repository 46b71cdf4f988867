"""Training and cross-validating the learned layer (``make train``, ``recap-nlp evaluate``).

The training set is the rules' output on annotated posts: every distinct name of a post the
model or the rules found, with the label its gold gives it (the entity whose canonical name or
alias it matches; NONE when it matches none; names the gold calls optional are left out). A
multinomial logistic regression (scikit-learn, fixed solver, no randomness) learns them; the
weights are written as JSON.

Cross-validation is grouped by post: the posts, sorted by id, are cut into blocks of
``FOLD_SIZE`` (posts of one blog series sit side by side, so most leave together) and each
block is relabelled by a model trained on the others. Which rule labels the layer may change
(``enabled``) is chosen inside each training set by an inner cross-validation, so the outer
figure never scores a post that helped choose anything.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from recap_nlp.entities.canonical import canonicalize
from recap_nlp.entities.discourse import main_event_keys
from recap_nlp.entities.learned import (
    NONE,
    Relabeller,
    apply_changes,
    name_features,
    name_groups,
    predictions,
    transition,
)
from recap_nlp.evaluation.documents import (
    DocGold,
    doc_gold_from_mentions,
    fold_doc_name,
    load_doc_gold,
    score_documents,
)
from recap_nlp.evaluation.mentions import load_gold
from recap_nlp.ingest.normalize import normalize
from recap_nlp.nlp import DEFAULT_MODEL, load_pipeline, parse
from recap_nlp.pipeline.per_document import rule_mentions, sentence_spans
from recap_nlp.pipeline.runner import read_documents
from recap_nlp.records import Document, Mention

FOLD_SIZE = 4
MIN_FEATURE_COUNT = 2
C = 0.5
CLASSES = ("CITY", "EVENT", NONE, "ORG", "PER")
CANDIDATE_LABELS = ("PER", "CITY", "ORG", "EVENT", "LOC", "MISC")


@dataclass(frozen=True)
class Example:
    """One name of one post: its features and its gold class."""

    doc_id: str
    key: str
    features: dict[str, float]
    target: str


@dataclass(frozen=True)
class CrossValidation:
    """Document-level F1 (overall and per label) of the rules and of rules + learned layer."""

    rules: dict[str, float]
    learned: dict[str, float]
    enabled_per_fold: list[list[str]]


def gold_class(group: Sequence[Mention], gold: DocGold) -> str | None:
    """The gold label of a name, NONE when the gold has no such entity, None when optional."""
    names = {fold_doc_name(m.text) for m in group}
    for label, aliases in gold.entities:
        if names & aliases:
            return label
    return None if names & gold.optional else NONE


def examples_of(
    documents: Sequence[Document], mentions: dict[str, list[Mention]], gold: Sequence[DocGold]
) -> list[Example]:
    """The training examples of annotated posts (posts without gold are skipped)."""
    by_id = {g.doc_id: g for g in gold}
    found = []
    for doc in documents:
        if doc.doc_id not in by_id:
            continue
        for key, group in sorted(name_groups(mentions.get(doc.doc_id, [])).items()):
            target = gold_class(group, by_id[doc.doc_id])
            if target is not None:
                found.append(Example(doc.doc_id, key, name_features(doc, key, group), target))
    return found


def fit(examples: Sequence[Example], enabled: Sequence[str]) -> Relabeller:
    """A relabeller trained on ``examples`` (deterministic: lbfgs, no shuffling)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = defaultdict(int)
    for ex in examples:
        for name in ex.features:
            counts[name] += 1
    features = sorted(name for name, n in counts.items() if n >= MIN_FEATURE_COUNT)
    index = {name: j for j, name in enumerate(features)}
    x = np.zeros((len(examples), len(features)))
    for i, ex in enumerate(examples):
        for name, value in ex.features.items():
            if name in index:
                x[i, index[name]] = value
    y = [ex.target for ex in examples]
    model = LogisticRegression(C=C, max_iter=5000)
    model.fit(x, y)
    classes = tuple(str(c) for c in model.classes_)
    coef = tuple(tuple(float(round(v, 6)) for v in row) for row in model.coef_)
    intercept = tuple(float(round(v, 6)) for v in model.intercept_)
    return Relabeller(classes, index, coef, intercept, frozenset(enabled))


def folds(doc_ids: Sequence[str], size: int = FOLD_SIZE) -> list[list[str]]:
    """Blocks of ``size`` consecutive post ids (sorted): the held-out sets."""
    ordered = sorted(doc_ids)
    return [ordered[k : k + size] for k in range(0, len(ordered), size)]


Scorer = Callable[[list[Mention]], dict[str, float]]


def scorer_for(gold: Sequence[DocGold], documents: Mapping[str, Document]) -> Scorer:
    """Document-level F1 per label (and ALL) of mentions, after canonical names are chosen."""

    def score(mentions: list[Mention]) -> dict[str, float]:
        docs = [documents[d] for d in sorted({m.doc_id for m in mentions})]
        _, named = canonicalize(mentions, main_event_keys(docs, mentions))
        return {label: c.f1 for label, c in score_documents(named, gold).items()}

    return score


Changes = dict[str, dict[str, tuple[str, str]]]


def _changes(
    documents: dict[str, Document],
    mentions: dict[str, list[Mention]],
    doc_ids: Sequence[str],
    model: Relabeller,
) -> Changes:
    return {d: predictions(documents[d], mentions[d], model) for d in doc_ids}


def _applied(
    mentions: dict[str, list[Mention]], changes: Changes, enabled: frozenset[str]
) -> list[Mention]:
    return [m for d, found in changes.items() for m in apply_changes(mentions[d], found, enabled)]


def _all_changes(model: Relabeller) -> Relabeller:
    every = {transition(a, b) for a in CANDIDATE_LABELS for b in model.classes}
    return Relabeller(model.classes, model.features, model.coef, model.intercept, frozenset(every))


def choose_enabled(
    documents: dict[str, Document],
    mentions: dict[str, list[Mention]],
    examples: Sequence[Example],
    gold: Sequence[DocGold],
    extra: frozenset[str] = frozenset(),
) -> list[str]:
    """The changes of label where the layer beats the rules, by cross-validation over these posts.

    Each change ("ORG>NONE", "ORG>EVENT", ...) is tried alone on held-out posts; it is enabled
    when it raises the overall document F1 without lowering any label's F1 by more than a point.
    Posts in ``extra`` are always trained on and never scored.
    """
    doc_ids = sorted({ex.doc_id for ex in examples} - extra)
    changes: Changes = {}
    for held in folds(doc_ids):
        train = [ex for ex in examples if ex.doc_id not in held]
        if len({ex.target for ex in train}) > 1:
            changes.update(_changes(documents, mentions, held, _all_changes(fit(train, ()))))
    score = scorer_for([g for g in gold if g.doc_id in set(doc_ids)], documents)
    plain = {d: mentions[d] for d in doc_ids}
    rules = score([m for d in doc_ids for m in mentions[d]])
    seen = sorted({transition(*c) for found in changes.values() for c in found.values()})
    enabled = []
    for change in seen:
        if change.split(">")[0] == change.split(">")[1]:
            continue
        got = score(_applied(plain, changes, frozenset({change})))
        drops = any(got[label] < rules[label] - 0.01 for label in rules)
        if got["ALL"] > rules["ALL"] + 0.001 and not drops:
            enabled.append(change)
    return enabled


def cross_validate(
    documents: Sequence[Document],
    mentions: dict[str, list[Mention]],
    gold: Sequence[DocGold],
    extra: frozenset[str] = frozenset(),
) -> CrossValidation:
    """Rules alone and rules + learned layer on held-out posts (nested choice of ``enabled``).

    Posts in ``extra`` (the project's own sets) are in every training set and never scored.
    """
    docs = {d.doc_id: d for d in documents}
    examples = examples_of(documents, mentions, gold)
    doc_ids = sorted(({g.doc_id for g in gold} & set(docs)) - extra)
    predicted: list[Mention] = []
    chosen = []
    for held in folds(doc_ids):
        train = [ex for ex in examples if ex.doc_id not in held]
        enabled = choose_enabled(docs, mentions, train, gold, extra)
        chosen.append(enabled)
        model = fit(train, enabled)
        predicted.extend(_applied(mentions, _changes(docs, mentions, held, model), model.enabled))
    score = scorer_for([g for g in gold if g.doc_id in set(doc_ids)], docs)
    rules = score([m for d in doc_ids for m in mentions.get(d, [])])
    return CrossValidation(rules, score(predicted), chosen)


def train(
    documents: Sequence[Document],
    mentions: dict[str, list[Mention]],
    gold: Sequence[DocGold],
    extra: frozenset[str] = frozenset(),
) -> tuple[Relabeller, CrossValidation]:
    """The final relabeller (all posts) and the cross-validated figures that justify it."""
    docs = {d.doc_id: d for d in documents}
    examples = examples_of(documents, mentions, gold)
    cv = cross_validate(documents, mentions, gold, extra)
    enabled = choose_enabled(docs, mentions, examples, gold, extra)
    return fit(examples, enabled), cv


def weights_json(model: Relabeller, cv: CrossValidation, n_posts: int) -> str:
    """The weights file's text (sorted, rounded: the same training gives the same bytes)."""
    features = sorted(model.features, key=model.features.__getitem__)
    payload = {
        "about": "recap_nlp learned entity layer: multinomial logistic regression over names",
        "classes": list(model.classes),
        "enabled": sorted(model.enabled),
        "trained_on_posts": n_posts,
        "cross_validation": {
            "rules": {k: round(v, 4) for k, v in cv.rules.items()},
            "rules_and_learned": {k: round(v, 4) for k, v in cv.learned.items()},
            "enabled_per_fold": cv.enabled_per_fold,
        },
        "features": features,
        "intercept": list(model.intercept),
        "coef": [list(row) for row in model.coef],
    }
    return json.dumps(payload, ensure_ascii=False, indent=0) + "\n"


def rule_mentions_of(documents: Sequence[Document]) -> dict[str, list[Mention]]:
    """The rules' mentions of each post (the pipeline's per-document stages, no learned layer)."""
    nlp = load_pipeline(DEFAULT_MODEL, None)
    prepared = ((n.text, (doc, n)) for doc in documents for n in [normalize(doc.text)])
    found: dict[str, list[Mention]] = {}
    for sdoc, (doc, normalized) in parse(nlp, prepared, workers=1, batch_size=16):
        sentences, _ = sentence_spans(doc, sdoc, normalized)
        found[doc.doc_id] = rule_mentions(doc, sdoc, normalized, sentences)
    return found


@dataclass(frozen=True)
class TrainingSet:
    """Annotated posts with the rules' mentions; ``extra`` are the project's own posts."""

    documents: list[Document]
    mentions: dict[str, list[Mention]]
    gold: list[DocGold]
    extra: frozenset[str]


#: the project's own annotated sets, always trained on and never scored by the cross-validation
OWN_SETS = (
    (Path("corpus"), Path("tests/gold/entities.jsonl")),
    (Path("tests/gold/dev/posts"), Path("tests/gold/dev/entities.jsonl")),
)


def training_set(
    corpus: Path, gold_path: Path, own: Sequence[tuple[Path, Path]] = OWN_SETS
) -> TrainingSet:
    """Read the real annotated set and the project's own sets, and run the rules over them."""
    gold = load_doc_gold(gold_path)
    documents, _, _ = read_documents(corpus)
    documents = [d for d in documents if d.doc_id in {g.doc_id for g in gold}]
    extra: set[str] = set()
    for own_corpus, own_gold in own:
        if not own_corpus.is_dir() or not own_gold.is_file():
            continue
        more = doc_gold_from_mentions(load_gold(own_gold))
        docs, _, _ = read_documents(own_corpus)
        ids = {g.doc_id for g in more} - {g.doc_id for g in gold}
        documents += [d for d in docs if d.doc_id in ids]
        gold += [g for g in more if g.doc_id in ids]
        extra |= ids
    return TrainingSet(documents, rule_mentions_of(documents), gold, frozenset(extra))


def main(argv: Sequence[str] | None = None) -> int:
    """``make train``: ``python -m recap_nlp.evaluation.entity_training CORPUS GOLD WEIGHTS``.

    CORPUS and GOLD are the real annotated set (cross-validated); the project's own sets
    (``OWN_SETS``, from the working directory) are added to every training set.
    """
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 3:
        print("usage: python -m recap_nlp.evaluation.entity_training CORPUS GOLD.json WEIGHTS.json")
        return 2
    corpus, gold_path, out = Path(args[0]), Path(args[1]), Path(args[2])
    if not corpus.is_dir() or not gold_path.is_file():
        print(f"no annotated corpus at {corpus} / {gold_path}: nothing trained")
        return 1
    data = training_set(corpus, gold_path)
    model, cv = train(data.documents, data.mentions, data.gold, data.extra)
    out.write_text(weights_json(model, cv, len(data.documents)), encoding="utf-8")
    print(f"trained on {len(data.documents)} posts ({len(data.extra)} of the project's own)")
    print(f"changes enabled: {sorted(model.enabled)}")
    print(format_cross_validation(cv))
    print(f"weights: {out}")
    return 0


def format_cross_validation(cv: CrossValidation) -> str:
    """Two rows of document F1 per label: the rules, and the rules with the learned layer."""
    labels = list(cv.rules)
    lines = [
        "cross-validated document F1 on held-out posts: " + " ".join(f"{k:>6}" for k in labels)
    ]
    for name, row in (("rules alone", cv.rules), ("rules + learned layer", cv.learned)):
        lines.append(f"  {name:<44} " + " ".join(f"{row[k]:>6.3f}" for k in labels))
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
