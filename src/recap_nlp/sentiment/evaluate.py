"""Score the classifier, the lexicon scorer and the lexicon-only baseline on a labelled set.

Two gold formats are read:

- TSV with the columns ``text label source split`` (split is ``dev`` for the rows rules were
  tuned on and ``test`` for the held-out rows), as ``tests/gold/sentiment.tsv``;
- JSON Lines with ``{"id", "text", "label", "doc_id", "hard"}`` per line, as
  ``../shared/realdev/sentiment.jsonl``; the splits are then ``hard`` and ``plain``.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from recap_nlp.records import SentimentLabel
from recap_nlp.sentiment.classifier import classify, load_model, text_digest
from recap_nlp.sentiment.scorer import Polarity, score_text, score_text_lexicon_only

LABELS: tuple[SentimentLabel, ...] = ("positive", "neutral", "negative")
SCORERS: dict[str, Callable[[str], Polarity]] = {
    "full": score_text,
    "lexicon_only": score_text_lexicon_only,
}
SPLITS = ("all", "dev", "test")
JSONL_SPLITS = ("all", "hard", "plain")


class SentimentGoldError(ValueError):
    """The gold file is malformed (missing column, unknown label or split)."""


@dataclass(frozen=True)
class GoldSentence:
    text: str
    label: SentimentLabel
    source: str
    split: str


@dataclass(frozen=True)
class ClassScores:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class SplitScores:
    """One scorer on one split: accuracy, macro-F1, per-class scores, confusion counts."""

    scorer: str
    split: str
    n: int
    accuracy: float
    macro_f1: float
    per_class: tuple[ClassScores, ...]
    confusion: tuple[tuple[str, str, int], ...]  # (gold, predicted, count)


@dataclass(frozen=True)
class SentimentScores:
    """Every (scorer, split) pair measured on one gold file."""

    path: str
    rows: tuple[SplitScores, ...]
    n_seen: int = 0  # sentences of the file the shipped classifier was trained on

    def get(self, scorer: str, split: str = "all") -> SplitScores:
        """The scores of ``scorer`` ("classifier", "full", "lexicon_only") on ``split``."""
        for row in self.rows:
            if row.scorer == scorer and row.split == split:
                return row
        raise KeyError((scorer, split))


def load_sentiment_gold(path: Path) -> list[GoldSentence]:
    """Read a gold TSV or JSONL (by suffix); raise :class:`SentimentGoldError` on a bad row."""
    if path.suffix == ".jsonl":
        return _load_jsonl(path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = []
        for n, row in enumerate(reader, start=2):
            if row.get("label") not in LABELS or row.get("split") not in ("dev", "test"):
                raise SentimentGoldError(f"{path}:{n}: bad label or split in {row!r}")
            rows.append(GoldSentence(row["text"], row["label"], row["source"], row["split"]))  # type: ignore[arg-type]
    return rows


def _load_jsonl(path: Path) -> list[GoldSentence]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text, label, doc_id = item["text"], item["label"], item["doc_id"]
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise SentimentGoldError(f"{path}:{n}: not a sentiment item ({error})") from error
        if label not in LABELS or not isinstance(text, str) or not text.strip():
            raise SentimentGoldError(f"{path}:{n}: bad label or empty text in {line[:80]!r}")
        split = "hard" if item.get("hard") else "plain"
        rows.append(GoldSentence(text, label, str(doc_id), split))
    return rows


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _class_scores(pairs: Sequence[tuple[str, str]], label: str) -> ClassScores:
    tp = sum(1 for g, p in pairs if g == label and p == label)
    n_pred = sum(1 for _, p in pairs if p == label)
    n_gold = sum(1 for g, _ in pairs if g == label)
    precision, recall = _ratio(tp, n_pred), _ratio(tp, n_gold)
    f1 = _ratio(2 * tp, n_pred + n_gold)
    return ClassScores(label, round(precision, 4), round(recall, 4), round(f1, 4), n_gold)


def split_scores(scorer: str, split: str, pairs: Sequence[tuple[str, str]]) -> SplitScores:
    """Accuracy, macro-F1 and confusion for (gold, predicted) label pairs."""
    per_class = tuple(_class_scores(pairs, label) for label in LABELS)
    counts = Counter(pairs)
    confusion = tuple((g, p, counts[(g, p)]) for g in LABELS for p in LABELS)
    accuracy = _ratio(sum(1 for g, p in pairs if g == p), len(pairs))
    macro = sum(c.f1 for c in per_class) / len(per_class)
    return SplitScores(
        scorer, split, len(pairs), round(accuracy, 4), round(macro, 4), per_class, confusion
    )


def _classifier_label(text: str) -> Polarity:
    result = classify(text)
    return Polarity(result.polarity, result.label, result.drivers)


def evaluate_sentiment(path: Path) -> SentimentScores:
    """Score the classifier, the lexicon scorer and the lexicon-only baseline, per split.

    ``n_seen`` counts the sentences the shipped classifier was trained on: on those its
    figure is an in-sample one (cross-validated figures come from ``make eval``).

    Example:
        >>> evaluate_sentiment(Path("tests/gold/sentiment.tsv")).get("full", "test").macro_f1
        0.7...
    """
    gold = load_sentiment_gold(path)
    splits = JSONL_SPLITS if path.suffix == ".jsonl" else SPLITS
    scorers = {"classifier": _classifier_label, **SCORERS}
    rows = []
    for name, scorer in scorers.items():
        predicted = [scorer(g.text).label for g in gold]
        for split in splits:
            pairs = [
                (g.label, p)
                for g, p in zip(gold, predicted, strict=True)
                if split in ("all", g.split)
            ]
            rows.append(split_scores(name, split, pairs))
    seen = set(load_model().meta.get("trained_on", ()))
    n_seen = sum(1 for g in gold if text_digest(g.text) in seen)
    return SentimentScores(str(path), tuple(rows), n_seen)


def format_split_scores(row: SplitScores) -> str:
    classes = "  ".join(
        f"{c.label[:3]} P={c.precision:.2f} R={c.recall:.2f} F1={c.f1:.2f}" for c in row.per_class
    )
    return (
        f"{row.scorer:<17}{row.split:<8}{row.n:>5}  acc={row.accuracy:.3f}  "
        f"macroF1={row.macro_f1:.3f}  {classes}"
    )


def format_confusion(row: SplitScores) -> list[str]:
    lines = [f"confusion ({row.scorer}, {row.split}): rows gold, columns predicted"]
    lines.append(" " * 10 + "".join(f"{p:>10}" for p in LABELS))
    for g in LABELS:
        cells = "".join(f"{c:>10}" for gg, _, c in row.confusion if gg == g)
        lines.append(f"{g:<10}{cells}")
    return lines


def format_sentiment_scores(scores: SentimentScores) -> str:
    """A plain-text table of every scorer and split, then the classifier's confusion."""
    lines = [f"sentiment gold: {scores.path}"]
    lines += [format_split_scores(row) for row in scores.rows]
    lines += format_confusion(scores.get("classifier", "all"))
    n = scores.get("classifier", "all").n
    if scores.n_seen:
        lines.append(
            f"note: {scores.n_seen} of {n} sentences were in the classifier's training data, so"
            " its figure here is in-sample; `make eval` prints grouped cross-validated figures"
        )
    else:
        lines.append(f"none of the {n} sentences was in the classifier's training data")
    return "\n".join(lines)
