"""Document-level entity scoring against the ``../shared/realdev/gold.json`` format.

The gold lists, per post, each distinct entity with its type, canonical name and aliases (and
names that are neither hits nor errors, ``optional``); the scoring is the one of the set's own
``score_entities.py``, so the figures here and there agree.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from recap_nlp.evaluation.mentions import ALL, Counts, GoldFormatError, MentionLike
from recap_nlp.french import alternation
from recap_nlp.records import COUNTED_LABELS


@dataclass(frozen=True)
class DocGold:
    """The document-level gold of one post (the ``../shared/realdev/gold.json`` format).

    ``entities`` holds ``(label, folded names)`` pairs, one per real-world entity; names matching
    ``optional`` are neither hits nor errors.
    """

    doc_id: str
    entities: tuple[tuple[str, frozenset[str]], ...]
    optional: frozenset[str]


_DOC_ARTICLE = re.compile(rf"^({alternation('doc_scorer_articles')})\s*")


def fold_doc_name(name: str) -> str:
    """Fold a name the way the document-level gold scorer does.

    Example:
        >>> fold_doc_name("Le Forum PHP – Paris")
        'forum php paris'
    """
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").lower()
    text = _DOC_ARTICLE.sub("", text.strip())
    text = re.sub(r"[\s\-–—_]+", " ", text)
    return re.sub(r"[^\w' ]", "", text).strip()


def load_doc_gold(path: Path) -> list[DocGold]:
    """Read a document-level gold file ``{"docs": {DOC_ID: {"entities": [...], ...}}}``.

    Raises:
        GoldFormatError: the file is not such a JSON object, or an entity lacks its type,
            canonical name or aliases.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise GoldFormatError(f"{path}: not valid JSON ({err.msg})") from err
    if not isinstance(raw, dict) or not isinstance(raw.get("docs"), dict):
        raise GoldFormatError(f"{path}: expected an object with a 'docs' object")
    golds = []
    for doc_id, doc in sorted(raw["docs"].items()):
        entities = []
        for k, ent in enumerate(doc.get("entities", [])):
            try:
                names = {fold_doc_name(ent["canonical"])} | {
                    fold_doc_name(a) for a in ent["aliases"]
                }
                entities.append((str(ent["type"]), frozenset(names)))
            except (KeyError, TypeError) as err:
                raise GoldFormatError(f"{path}: {doc_id} entity {k}: missing {err}") from err
        optional = frozenset(fold_doc_name(o) for o in doc.get("optional", []))
        golds.append(DocGold(doc_id, tuple(entities), optional))
    return golds


def doc_gold_from_mentions(gold: Sequence[MentionLike]) -> list[DocGold]:
    """Document-level gold from mention-level gold (``tests/gold/*.jsonl``).

    Each (label, canonical) is one entity known by its canonical name and every surface of its
    mentions; names the gold labels LOC or MISC become optional (not counted either way).

    Example: two mentions "WAQ" and "Web à Québec" with canonical "Web à Québec" give one EVENT.
    """
    names: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(lambda: defaultdict(set))
    for g in gold:
        entity = (g.label, fold_doc_name(g.canonical or g.text))
        names[g.doc_id][entity] |= {entity[1], fold_doc_name(g.text)}
    golds = []
    for doc_id, entities in sorted(names.items()):
        counted = tuple(
            (label, frozenset(ns))
            for (label, _), ns in sorted(entities.items())
            if label in COUNTED_LABELS
        )
        optional = {
            n for (label, _), ns in entities.items() if label not in COUNTED_LABELS for n in ns
        }
        golds.append(DocGold(doc_id, counted, frozenset(optional)))
    return golds


def score_documents(
    predicted: Sequence[MentionLike],
    gold: Sequence[DocGold],
    labels: Sequence[str] = COUNTED_LABELS,
) -> dict[str, Counts]:
    """Document-level counts per label (and ``"ALL"``) against a document-level gold.

    A prediction (post, label, name) is keyed by its folded canonical name, else its text; it is
    a hit when it equals a name of a gold entity of that label in that post; several predictions
    of one gold entity count once; predictions matching an optional name are ignored.

    Example:
        Predicting ``EVENT "Forum PHP 2018"`` where the gold has EVENT "Forum PHP" with the alias
        "Forum PHP 2018" is one true positive.
    """
    keys: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for p in predicted:
        if p.label in labels:
            keys[p.doc_id].add((p.label, fold_doc_name(p.canonical or p.text)))
    cells = {label: Counts(0, 0, 0, 0) for label in labels}
    for g in gold:
        found = [False] * len(g.entities)
        spurious: dict[str, int] = defaultdict(int)
        for label, name in keys.get(g.doc_id, set()):
            hits = [i for i, (t, ns) in enumerate(g.entities) if t == label and name in ns]
            for i in hits:
                found[i] = True
            if not hits and name not in g.optional:
                spurious[label] += 1
        for label in labels:
            tp = sum(f for f, (t, _) in zip(found, g.entities, strict=True) if t == label)
            n_gold = sum(t == label for t, _ in g.entities)
            cells[label] += Counts(tp, tp, tp + spurious[label], n_gold)
    cells[ALL] = sum(cells.values(), Counts(0, 0, 0, 0))
    return cells


def format_document_scores(cells: Mapping[str, Counts]) -> str:
    """Render document-level counts as a fixed-width table, one row per label."""
    header = f"{'label':<6} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"
    lines = [header, "-" * len(header)]
    for label, c in cells.items():
        fp, fn = c.n_pred - c.matched_pred, c.n_gold - c.matched_gold
        lines.append(
            f"{label:<6} {c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f} "
            f"{c.matched_pred:>5} {fp:>5} {fn:>5}"
        )
    return "\n".join(lines)
