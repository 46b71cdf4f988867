"""A run's tables indexed once for the fact sheets: each sheet reads only its own rows.

A sheet used to filter whole DataFrames (the documents, the sources, the events) and group
the rows of its posts with pandas, so writing one sheet per event cost time in proportion to
the corpus: quadratic over a run. Here every table a sheet reads is walked once, its rows
kept per post (or per event) as plain tuples, and the sheets aggregate those in Python. The
sums follow pandas' own rule (compensated, in row order) and the rankings go through the same
pandas sort, so a sheet shows exactly what the DataFrame version showed, ties included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from recap_nlp.output.figure_kit import json_list


@dataclass(frozen=True)
class PostNames:
    """Replaces post ids in a text by the posts' readable labels, in the labels' order.

    The same result as ``for doc_id, label in posts.items(): if doc_id in text: text =
    text.replace(doc_id, label)``, without testing every post of the corpus against every text:
    only the ids that occur in the text are looked up (by their lengths), the first in the
    labels' order replaced, then the next one after it that occurs in the new text.

    Example: ``PostNames.of({"p1": "« Retour de Nantes »"}).replace("selon p1")`` →
    ``"selon « Retour de Nantes »"``.
    """

    labels: Mapping[str, str]
    order: Mapping[str, int]
    ids: tuple[str, ...]
    lengths: tuple[int, ...]

    @classmethod
    def of(cls, labels: Mapping[str, str] | None) -> PostNames:
        """The replacer for ``labels`` (post id → label; None or empty: nothing replaced)."""
        labels = dict(labels or {})
        ids = tuple(labels)
        return cls(
            labels, {d: i for i, d in enumerate(ids)}, ids, tuple(sorted(set(map(len, ids))))
        )

    def replace(self, text: str) -> str:
        """``text`` with every post id it holds replaced by the post's label."""
        last = -1
        while (found := self._first_after(text, last)) is not None:
            text = text.replace(self.ids[found], self.labels[self.ids[found]])
            last = found
        return text

    def _first_after(self, text: str, last: int) -> int | None:
        """The smallest position in the labels' order, past ``last``, of an id in ``text``."""
        best: int | None = None
        for size in self.lengths:
            for start in range(len(text) - size + 1):
                position = self.order.get(text[start : start + size])
                if position is not None and position > last and (best is None or position < best):
                    best = position
        return best


def records(frame: pd.DataFrame) -> list[Any]:
    """The rows of ``frame`` as the named tuples ``itertuples`` gives."""
    return list(frame.itertuples())


def records_by(frame: pd.DataFrame, key: str) -> dict[str, list[Any]]:
    """The rows of ``frame`` (named tuples) per value of column ``key``, in table order."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in frame.itertuples():
        grouped[str(getattr(row, key))].append(row)
    return dict(grouped)


def first_by(frame: pd.DataFrame, key: str) -> dict[str, Any]:
    """The first row (a named tuple) of ``frame`` per value of column ``key``."""
    first: dict[str, Any] = {}
    for row in frame.itertuples():
        first.setdefault(str(getattr(row, key)), row)
    return first


def pairs_by_doc(frame: pd.DataFrame, key: str, value: str) -> dict[str, list[tuple[Any, Any]]]:
    """``(key, value)`` cells of ``frame`` per post (column ``doc_id``), in table order.

    Example: the keywords table → ``{"p1": [("numérique", 0.08), ("nantes", 0.05)]}``.
    """
    grouped: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
    for doc_id, k, v in zip(frame["doc_id"], frame[key], frame[value], strict=True):
        grouped[str(doc_id)].append((k, v))
    return dict(grouped)


def of_posts(index: Mapping[str, Sequence[Any]], doc_ids: Iterable[str]) -> list[Any]:
    """The items of these posts (each once, in the order given), as one list."""
    return [item for d in dict.fromkeys(doc_ids) for item in index.get(d, ())]


def group_sums(pairs: Iterable[tuple[Hashable, float]]) -> pd.Series:
    """``groupby(key).sum()`` of ``(key, value)`` pairs in order: the keys sorted.

    The sum is pandas' own, on the rows in the order the sheet met them, so its rounding (and
    the ties it makes) are those of the DataFrame version.

    Example: ``[("numérique", 0.3), ("nantes", 0.1), ("numérique", 0.2)]`` →
    ``nantes 0.1, numérique 0.5``.
    """
    rows = list(pairs)
    frame = pd.DataFrame(
        {"key": [k for k, _ in rows], "value": np.array([v for _, v in rows], dtype=np.float64)}
    )
    return frame.groupby("key")["value"].sum()


def top_sums(
    pairs: Iterable[tuple[Hashable, float]], n: int, divisor: int | None = None
) -> list[tuple[Any, float]]:
    """``largest(group_sums(pairs) / divisor, n)`` (no division without ``divisor``).

    A sheet's keys mostly come from one or two posts: when no key has more than two values,
    all values are finite and not zero, and the keys are all text or all integers, the sums
    are taken in Python and ranked with the NumPy sort pandas uses, without building a frame
    per sheet. pandas' compensated sum of one or two values is ``a`` or ``a + b``, the same
    floats as here (zeros are left to pandas: the sign it gives a zero sum depends on its
    path); the keys are sorted as ``groupby`` sorts them, and descending ties are ranked as
    ``sort_values`` ranks them (its quicksort on the reversed values). Anything else goes
    through pandas.

    Example: ``top_sums([("numérique", 0.3), ("nantes", 0.1), ("numérique", 0.2)], 1)`` →
    ``[("numérique", 0.5)]``.
    """
    rows = list(pairs)
    sums = _small_sums(rows)
    if sums is None:
        values = group_sums(rows)
        return largest(values / divisor if divisor is not None else values, n)
    keys = sorted(sums)
    totals = np.array([sums[k] for k in keys], dtype=np.float64)
    if divisor is not None:
        totals = totals / divisor
    if not np.isfinite(totals).all():
        values = group_sums(rows)
        return largest(values / divisor if divisor is not None else values, n)
    # pandas' nargsort, descending: argsort of the reversed values, reversed back
    positions = np.arange(len(totals))[::-1]
    ranked = positions[totals[::-1].argsort(kind="quicksort")][::-1]
    return [(keys[i], float(totals[i])) for i in ranked[:n]]


def _small_sums(rows: list[tuple[Hashable, float]]) -> dict[Any, float] | None:
    """Per key the sum of its one or two values, or None when ``top_sums`` must fall back on
    pandas (a key with three values or more, a zero, missing or infinite value, keys that
    are not all text or all integers)."""
    sums: dict[Any, float] = {}
    seen: dict[Any, int] = {}
    kinds = set()
    for key, value in rows:
        number = float(value)
        if number == 0.0 or not np.isfinite(number) or isinstance(key, bool | np.bool_):
            return None
        if isinstance(key, str):
            kinds.add(str)
        elif isinstance(key, int | np.integer):
            kinds.add(int)
        else:
            return None
        count = seen.get(key, 0) + 1
        if count > 2 or len(kinds) > 1:
            return None
        seen[key] = count
        sums[key] = number if count == 1 else sums[key] + number
    return sums


def largest(values: pd.Series, n: int) -> list[tuple[Any, float]]:
    """The ``n`` largest values with their keys, as ``sort_values(ascending=False)`` ranks them."""
    return list(values.sort_values(ascending=False).head(n).items())


def doc_rows(mentions: pd.DataFrame, optional: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    """Per table, per post: the rows the sheets aggregate (see ``content.RunTables``)."""
    named = mentions[mentions["entity_id"] != ""]
    names = [c or t for c, t in zip(named["canonical"], named["text"], strict=True)]
    per_post: dict[str, list[tuple[str, str, str]]] = {}
    by_doc: dict[str, Any] = {"mentions": per_post}
    for doc_id, label, entity_id, name in zip(
        named["doc_id"], named["label"], named["entity_id"], names, strict=True
    ):
        per_post.setdefault(str(doc_id), []).append((label, entity_id, name))
    if "doc_sentiment" in optional:
        by_doc["doc_sentiment"] = records_by(optional["doc_sentiment"], "doc_id")
    if "doc_themes" in optional:
        by_doc["doc_themes"] = pairs_by_doc(optional["doc_themes"], "theme_id", "share")
    if "keywords" in optional:
        by_doc["keywords"] = pairs_by_doc(optional["keywords"], "keyword", "score")
    return by_doc


def source_rows(sources: pd.DataFrame | None) -> dict[str, list[Any]]:
    """The sources table's rows (missing cells as "") per post."""
    if sources is None or sources.empty:
        return {}
    return records_by(sources.fillna(""), "doc_id")


def theme_info(themes: pd.DataFrame | None) -> dict[Any, tuple[str, list[Any]]]:
    """Each theme's label and top terms, by theme id (the first row of an id, as ``.at``)."""
    if themes is None:
        return {}
    info: dict[Any, tuple[str, list[Any]]] = {}
    for theme_id, label, terms in zip(
        themes["theme_id"], themes["label"], themes["top_terms"], strict=True
    ):
        info.setdefault(theme_id, (str(label), json_list(terms)))
    return info
