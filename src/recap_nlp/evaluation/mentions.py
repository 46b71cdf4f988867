"""Scoring entity mentions against the hand-made gold annotations.

Three views of the same predictions, per label and micro-averaged over labels:

* ``exact``: a predicted mention is right when a gold mention of the same document has the same
  ``start``, ``end`` and label (the CoNLL convention);
* ``overlap``: lenient, a predicted mention is right when its span overlaps a gold mention of the
  same label. Precision counts the predictions that overlap some gold mention, recall the gold
  mentions overlapped by some prediction, so one long prediction covering two gold mentions
  is one true positive for precision and two for recall;
* ``document``: compares the *set* of distinct entities per document, which is what a reader of a
  fact sheet sees. See :func:`score_mentions` for how entities are keyed and matched.

Only documents that appear in the gold file are scored, and only the requested labels (LOC and MISC
are annotated in the gold file but not scored by default).
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, get_args

from recap_nlp.french import alternation
from recap_nlp.records import COUNTED_LABELS, EntityLabel, Mention

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)

VALID_LABELS: frozenset[str] = frozenset(get_args(EntityLabel))
LEVELS: tuple[str, ...] = ("exact", "overlap", "document")
ALL = "ALL"

#: How the bare ``fr_core_news_sm`` labels are mapped for the baseline. Generous on purpose: the
#: model has no CITY or EVENT label, so every LOC is taken as a CITY and every MISC as an EVENT,
#: which gives the bare model its best chance on the counted labels.
BARE_LABEL_MAP: Mapping[str, EntityLabel] = {
    "PER": "PER",
    "LOC": "CITY",
    "ORG": "ORG",
    "MISC": "EVENT",
}

_GOLD_FIELDS: Mapping[str, type] = {
    "doc_id": str,
    "start": int,
    "end": int,
    "text": str,
    "label": str,
    "canonical": str,
}
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—_/]+")
_LEADING_ARTICLE = re.compile(
    rf"^(?:(?:{alternation('mention_scorer_elisions')})'\s*"
    rf"|(?:{alternation('mention_scorer_articles')})\s+)"
)
# parentheses are kept: "Québec (province)" is a name, not a quotation
_EDGE_PUNCT = re.compile(r"^[\s«»\"'.,;:!?]+|[\s«»\"'.,;:!?]+$")


class GoldFormatError(ValueError):
    """A line of a gold file cannot be read; the message names the file and the line."""


class MentionLike(Protocol):
    """Anything scored as a mention: :class:`~recap_nlp.records.Mention`, :class:`GoldMention`."""

    @property
    def doc_id(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def canonical(self) -> str: ...


@dataclass(frozen=True)
class GoldMention:
    """One hand-annotated entity mention; offsets index the original file text."""

    doc_id: str
    start: int
    end: int
    text: str
    label: EntityLabel
    canonical: str


@dataclass(frozen=True)
class Counts:
    """Matches for one (level, label) cell.

    ``matched_pred`` and ``matched_gold`` differ only for the lenient overlap level.
    """

    matched_pred: int
    matched_gold: int
    n_pred: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.matched_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.matched_pred + other.matched_pred,
            self.matched_gold + other.matched_gold,
            self.n_pred + other.n_pred,
            self.n_gold + other.n_gold,
        )


@dataclass(frozen=True)
class EntityScores:
    """Counts per level and label; the label ``"ALL"`` holds the micro-average."""

    labels: tuple[str, ...]
    doc_ids: tuple[str, ...]
    cells: Mapping[tuple[str, str], Counts]

    def get(self, level: str, label: str = ALL) -> Counts:
        """Return the counts of one cell, e.g. ``scores.get("document", "PER")``."""
        return self.cells[(level, label)]


# --------------------------------------------------------------------------- gold file


def load_gold(path: Path) -> list[GoldMention]:
    """Read a gold JSONL file (one mention per line, blank lines allowed).

    Raises:
        GoldFormatError: a line is not a JSON object with the six fields of the right types,
            its label is unknown, its span is empty, or ``text`` does not fit ``end - start``.
    """
    mentions = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            mentions.append(_parse_gold_line(line, f"{path}:{lineno}"))
    logger.debug("read %d gold mentions from %s", len(mentions), path)
    return mentions


def _parse_gold_line(line: str, where: str) -> GoldMention:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise GoldFormatError(f"{where}: not valid JSON ({err.msg})") from err
    if not isinstance(obj, dict):
        raise GoldFormatError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    for name, kind in _GOLD_FIELDS.items():
        value = obj.get(name)
        # bool is an int subclass; a boolean offset is a mistake, not a number
        if not isinstance(value, kind) or isinstance(value, bool):
            raise GoldFormatError(f"{where}: field {name!r} must be {kind.__name__}, got {value!r}")
    if obj["label"] not in VALID_LABELS:
        raise GoldFormatError(f"{where}: unknown label {obj['label']!r}")
    if not 0 <= obj["start"] < obj["end"] or obj["end"] - obj["start"] != len(obj["text"]):
        raise GoldFormatError(f"{where}: span {obj['start']}-{obj['end']} does not fit the text")
    return GoldMention(**{name: obj[name] for name in _GOLD_FIELDS})


def validate_gold(gold: Sequence[GoldMention], texts: Mapping[str, str]) -> list[str]:
    """List the problems of a gold set against the document texts (empty when all is well).

    Checks that each document exists, that each ``text`` equals the slice of the document, and
    that no two mentions of a document overlap.
    """
    problems = []
    by_doc: dict[str, list[GoldMention]] = defaultdict(list)
    for g in gold:
        by_doc[g.doc_id].append(g)
    for doc_id, mentions in sorted(by_doc.items()):
        if doc_id not in texts:
            problems.append(f"{doc_id}: no such document")
            continue
        for g in mentions:
            found = texts[doc_id][g.start : g.end]
            if found != g.text:
                problems.append(f"{doc_id}:{g.start}-{g.end}: text {g.text!r} != slice {found!r}")
        ordered = sorted(mentions, key=lambda m: (m.start, m.end))
        for a, b in pairwise(ordered):
            if b.start < a.end:
                problems.append(f"{doc_id}: {a.text!r}@{a.start} overlaps {b.text!r}@{b.start}")
    return problems


# --------------------------------------------------------------------------- scoring


def fold_name(name: str) -> str:
    """Fold a name for document-level comparison.

    Lowercases, strips accents, unifies apostrophes, hyphens, slashes and spaces, and drops one
    leading article or elided preposition (``l'``, ``d'``, ``le``, ``la``, ``les``, ``the``).

    Example:
        >>> fold_name("La Cité de l’Objet connecté")
        "cite de l'objet connecte"
    """
    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _SEPARATORS.sub(" ", text).strip()
    text = _EDGE_PUNCT.sub("", _LEADING_ARTICLE.sub("", text))
    return text


def score_mentions(
    predicted: Sequence[MentionLike],
    gold: Sequence[GoldMention],
    labels: Sequence[str] = COUNTED_LABELS,
) -> EntityScores:
    """Score predicted mentions against gold mentions at the three levels.

    Predictions for documents absent from ``gold`` and mentions whose label is not in ``labels``
    are ignored; repeated predictions of one (document, span, label) count once.

    Document level: each gold entity of a document is the group of its gold mentions sharing a
    label and a canonical name; it is known by its folded canonical and by the folded surface of
    each of its mentions in that document. A prediction is keyed by its folded ``canonical`` when
    it has one, else by its folded surface text. Each distinct predicted key of a (document, label)
    is matched to the gold entity it names; keys naming the same gold entity count once (so "WAQ"
    and "Web à Québec" predicted in one post are one true positive), and keys naming no gold
    entity are false positives.

    Example:
        A prediction ``Mention(text="WAQ", label="EVENT", canonical="")`` in a post whose gold has
        "Web à Québec (WAQ)" with canonical "Web à Québec" is a true positive at every level.
    """
    doc_ids = tuple(sorted({g.doc_id for g in gold}))
    kept = set(doc_ids)
    preds = _dedupe([p for p in predicted if p.doc_id in kept and p.label in labels])
    golds = [g for g in gold if g.label in labels]
    cells: dict[tuple[str, str], Counts] = {}
    for label in labels:
        p_lab = [p for p in preds if p.label == label]
        g_lab = [g for g in golds if g.label == label]
        cells[("exact", label)] = _exact_counts(p_lab, g_lab)
        cells[("overlap", label)] = _overlap_counts(p_lab, g_lab)
        cells[("document", label)] = _document_counts(p_lab, g_lab)
    for level in LEVELS:
        cells[(level, ALL)] = sum((cells[(level, lab)] for lab in labels), Counts(0, 0, 0, 0))
    return EntityScores(labels=tuple(labels), doc_ids=doc_ids, cells=cells)


def _dedupe(mentions: Iterable[MentionLike]) -> list[MentionLike]:
    """Keep one prediction per (doc, span, label): two recognisers agreeing is not two hits."""
    seen: dict[tuple[str, int, int, str], MentionLike] = {}
    for m in mentions:
        seen.setdefault((m.doc_id, m.start, m.end, m.label), m)
    return list(seen.values())


def _exact_counts(preds: Sequence[MentionLike], golds: Sequence[MentionLike]) -> Counts:
    gold_keys = {(g.doc_id, g.start, g.end) for g in golds}
    hits = sum((p.doc_id, p.start, p.end) in gold_keys for p in preds)
    return Counts(hits, hits, len(preds), len(golds))


def _overlap_counts(preds: Sequence[MentionLike], golds: Sequence[MentionLike]) -> Counts:
    # grouped by document so the pairwise test stays cheap on a large gold set
    gold_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    pred_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for g in golds:
        gold_spans[g.doc_id].append((g.start, g.end))
    for p in preds:
        pred_spans[p.doc_id].append((p.start, p.end))

    def hits(spans: Sequence[MentionLike], others: Mapping[str, list[tuple[int, int]]]) -> int:
        return sum(any(m.start < e and s < m.end for s, e in others[m.doc_id]) for m in spans)

    return Counts(hits(preds, gold_spans), hits(golds, pred_spans), len(preds), len(golds))


def _document_counts(preds: Sequence[MentionLike], golds: Sequence[MentionLike]) -> Counts:
    total = Counts(0, 0, 0, 0)
    for doc_id in sorted({g.doc_id for g in golds} | {p.doc_id for p in preds}):
        aliases = _gold_entity_aliases([g for g in golds if g.doc_id == doc_id])
        keys = {_prediction_key(p) for p in preds if p.doc_id == doc_id}
        total += _match_keys(keys, aliases)
    return total


def _gold_entity_aliases(golds: Sequence[MentionLike]) -> dict[str, set[str]]:
    """Map each gold entity (its folded canonical) to every folded name it goes by."""
    aliases: dict[str, set[str]] = defaultdict(set)
    for g in golds:
        entity = fold_name(g.canonical or g.text)
        aliases[entity].update({entity, fold_name(g.text)})
    return aliases


def _prediction_key(mention: MentionLike) -> str:
    return fold_name(mention.canonical or mention.text)


def _match_keys(keys: set[str], aliases: Mapping[str, set[str]]) -> Counts:
    matched: set[str] = set()
    unmatched = 0
    for key in keys:
        entity = key if key in aliases else _entity_with_alias(key, aliases)
        if entity is None:
            unmatched += 1
        else:
            matched.add(entity)
    return Counts(len(matched), len(matched), len(matched) + unmatched, len(aliases))


def _entity_with_alias(key: str, aliases: Mapping[str, set[str]]) -> str | None:
    # sorted so that a key naming two gold entities always picks the same one
    return next((e for e in sorted(aliases) if key in aliases[e]), None)


# --------------------------------------------------------------------------- reporting


def scores_to_rows(scores: EntityScores) -> list[dict[str, Any]]:
    """Flatten scores into rows (level, label, precision, recall, f1, counts) for CSV or JSON."""
    rows = []
    for level in LEVELS:
        for label in (*scores.labels, ALL):
            c = scores.get(level, label)
            rows.append(
                {
                    "level": level,
                    "label": label,
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                    "matched_pred": c.matched_pred,
                    "matched_gold": c.matched_gold,
                    "n_pred": c.n_pred,
                    "n_gold": c.n_gold,
                }
            )
    return rows


def format_scores(scores: EntityScores) -> str:
    """Render scores as a fixed-width text table, one row per (level, label)."""
    header = f"{'level':<9} {'label':<6} {'P':>6} {'R':>6} {'F1':>6} {'tp(p)':>6} "
    header += f"{'tp(g)':>6} {'pred':>5} {'gold':>5}"
    lines = [f"{len(scores.doc_ids)} documents scored", header, "-" * len(header)]
    for row in scores_to_rows(scores):
        lines.append(
            f"{row['level']:<9} {row['label']:<6} {row['precision']:>6.3f} {row['recall']:>6.3f} "
            f"{row['f1']:>6.3f} {row['matched_pred']:>6} {row['matched_gold']:>6} "
            f"{row['n_pred']:>5} {row['n_gold']:>5}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- baseline


def bare_model_mentions(texts: Mapping[str, str], nlp: Language) -> list[Mention]:
    """Mentions of the bare spaCy model on the original texts, labels mapped by BARE_LABEL_MAP.

    The baseline the project's recognisers must beat. Entities whose label has no mapping are
    dropped; ``source`` is ``"model"`` and ``canonical`` is empty.

    Example:
        ``{"d": "Martin Boivin a visité Angers."}`` gives ``PER "Martin Boivin"`` and, with the
        generous mapping, ``CITY "Angers"`` (the model says LOC).
    """
    mentions = []
    doc_ids = list(texts)
    for doc_id, sdoc in zip(doc_ids, nlp.pipe(texts[d] for d in doc_ids), strict=True):
        for ent in sdoc.ents:
            label = BARE_LABEL_MAP.get(ent.label_)
            if label is None:
                continue
            sent = ent.sent if sdoc.has_annotation("SENT_START") else sdoc[:]
            mentions.append(
                Mention(
                    doc_id=doc_id,
                    start=ent.start_char,
                    end=ent.end_char,
                    text=ent.text,
                    label=label,
                    sentence=sent.text,
                    sentence_start=sent.start_char,
                    source="model",
                )
            )
    return mentions
