"""Tables that fit the terminal: the key columns of each table, lists joined, text wrapped.

Each ``*_view`` function turns a stored table into a :class:`View`: display strings only,
the columns a reader needs first (``wide`` keeps them all), the identifiers kept but dimmed.
:func:`render` draws a view as a rich table whose text columns wrap at word boundaries and
whose short columns (labels, numbers, dates) are never cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from rich import box
from rich.markup import escape
from rich.table import Table

from recap_nlp.output.readable import event_names, joined, json_items, shorten

# Below this width the event table folds places and id into the event's cell.
WIDE_TERMINAL = 120
# Columns of JSON arrays in the stored tables, shown as "a, b, c".
LIST_COLUMNS = frozenset(
    {
        "aliases",
        "cities",
        "doc_ids",
        "values",
        "quotes",
        "fact_ids",
        "top_terms",
        "weights",
        "representative_sentences",
        "top_positive",
        "top_negative",
        "sentences",
        "warnings",
    }
)


@dataclass(frozen=True)
class View:
    """Rows of display text (rich markup, post text escaped) and how each column behaves.

    ``wrap`` names the text columns (they share the width left by the others, in the given
    ratios); every other column keeps its content on one line.
    """

    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    wrap: dict[str, int] = field(default_factory=dict)
    right: frozenset[str] = frozenset()
    max_width: dict[str, int] = field(default_factory=dict)


def render(view: View) -> Table:
    """A rich table for ``view``: light borders, text columns wrapped, short columns whole."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False, show_edge=False)
    for column in view.columns:
        if column in view.wrap:
            table.add_column(
                column,
                ratio=view.wrap[column],
                overflow="fold",
                min_width=8,
                max_width=view.max_width.get(column),
            )
        else:
            justify = "right" if column in view.right else "left"
            table.add_column(column, no_wrap=True, overflow="ellipsis", justify=justify)
    for row in view.rows:
        table.add_row(*row)
    return table


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value)


def wide_view(frame: pd.DataFrame) -> View:
    """Every column, lists joined with ", ", every column allowed to wrap."""
    columns = tuple(str(c) for c in frame.columns)
    rows = [
        tuple(
            escape(joined(v) if c in LIST_COLUMNS else _text(v))
            for c, v in zip(columns, values, strict=True)
        )
        for values in frame.itertuples(index=False)
    ]
    return View(columns, rows, wrap=dict.fromkeys(columns, 1))


def _dates(start: object, end: object) -> str:
    start, end = _text(start), _text(end)
    if not start:
        return "undated"
    return start if not end or end == start else f"{start} → {end}"


def events_view(events: pd.DataFrame, width: int) -> View:
    """Events: display name, kind, dates, places, number of posts; the id dimmed.

    Under :data:`WIDE_TERMINAL` columns the places and the id go under the name.
    """
    names = event_names(events)
    rows = []
    compact = width < WIDE_TERMINAL
    if "main_in" in events.columns:  # the posts' main events first, then those in passing
        events = events.assign(_passing=events["main_in"].fillna("[]").isin(["", "[]"]))
        ordered = events.sort_values(["_passing", "start_date", "event_id"])
    else:
        ordered = events.sort_values(["start_date", "event_id"])
    for e in ordered.itertuples():
        name, places = escape(names[str(e.event_id)]), escape(joined(e.cities))
        posts = str(len(json_items(e.doc_ids)))
        dates = _dates(e.start_date, e.end_date).replace(" → ", "\n→ ")
        if compact:
            cell = name + (f"\n{places}" if places else "") + f"\n[dim]{escape(e.event_id)}[/]"
            rows.append((cell, escape(str(e.kind)), dates, posts))
        else:
            rows.append(
                (name, f"[dim]{escape(e.event_id)}[/]", escape(str(e.kind)), dates, places, posts)
            )
    if compact:
        return View(
            ("event", "kind", "dates", "posts"), rows, wrap={"event": 1}, right=frozenset({"posts"})
        )
    columns = ("event", "id", "kind", "dates", "places", "posts")
    return View(columns, rows, wrap={"event": 2, "places": 1}, right=frozenset({"posts"}))


def facts_views(
    facts: pd.DataFrame, events: pd.DataFrame, posts: dict[str, str]
) -> list[tuple[str, View]]:
    """Facts grouped by event: a heading per event (name and dimmed id), then a table of
    attribute, value, and the quote with its post and offset under it.

    ``posts`` maps doc ids to the labels people read
    (:func:`recap_nlp.output.readable.post_labels`).
    """
    names = event_names(events)
    groups = []
    for event_id, group in facts.groupby("event_id", sort=True, dropna=False):
        event_id = _text(event_id)
        heading = f"[bold]{escape(names.get(event_id, event_id or 'no event'))}[/]"
        if event_id:
            heading += f" [dim]({escape(event_id)})[/]"
        rows = [_fact_row(f, posts) for f in group.itertuples()]
        view = View(("attribute", "value", "source"), rows, wrap={"value": 1, "source": 4})
        groups.append((heading, view))
    return groups


def _fact_row(fact: Any, posts: dict[str, str]) -> tuple[str, str, str]:
    value = _text(fact.value)
    bounds = (_text(fact.value_min), _text(fact.value_max))
    if all(bounds) and bounds != (value, value):
        value += f" ({bounds[0]}–{bounds[1]})"
    doc_id = _text(fact.doc_id)
    source = (
        f"« {escape(_text(fact.sentence))} »\n"
        f"[dim]{_post_and_id(doc_id, posts)} @ {_text(fact.start)}[/]"
    )
    return escape(_text(fact.attribute)), escape(value), source


def _post_and_id(doc_id: str, posts: dict[str, str]) -> str:
    label = posts.get(doc_id, doc_id)
    return escape(doc_id) if label == doc_id else f"{escape(label)} · {escape(doc_id)}"


def entities_view(entities: pd.DataFrame) -> View:
    """Entities: name, label, mentions, posts, other spellings."""
    rows = []
    for e in entities.itertuples():
        aliases = [a for a in json_items(e.aliases) if a != e.canonical]
        rows.append(
            (
                escape(_text(e.canonical)),
                _text(e.label),
                _text(e.n_mentions),
                _text(e.n_docs),
                escape(", ".join(aliases)),
            )
        )
    columns = ("entity", "label", "mentions", "posts", "also written")
    return View(
        columns, rows, wrap={"entity": 2, "also written": 2}, right=frozenset({"mentions", "posts"})
    )


def doc_sentiment_view(frame: pd.DataFrame, posts: dict[str, str]) -> View:
    """Posts by tone: post, label, polarity, sentences, the sentence that drives it most."""
    rows = []
    for r in frame.itertuples():
        driver = json_items(r.top_positive if float(r.polarity) >= 0 else r.top_negative)
        doc_id = _text(r.doc_id)
        rows.append(
            (
                f"{escape(posts.get(doc_id, doc_id))}\n[dim]{escape(doc_id)}[/]",
                _text(r.label),
                f"{float(r.polarity):+.2f}",
                _text(r.n_sentences),
                escape(shorten(driver[0], 120)) if driver else "",
            )
        )
    columns = ("post", "tone", "polarity", "sentences", "strongest sentence")
    return View(
        columns,
        rows,
        wrap={"post": 2, "strongest sentence": 3},
        right=frozenset({"polarity", "sentences"}),
    )


def entity_sentiment_view(frame: pd.DataFrame) -> View:
    """Entities by tone: entity, label, polarity, scored sentences, posts."""
    rows = [
        (
            escape(_text(r.entity)),
            _text(r.entity_label),
            _text(r.label),
            f"{float(r.polarity):+.2f}",
            _text(r.n_sentences),
            str(len(json_items(r.doc_ids))),
        )
        for r in frame.itertuples()
    ]
    columns = ("entity", "type", "tone", "polarity", "sentences", "posts")
    return View(
        columns, rows, wrap={"entity": 1}, right=frozenset({"polarity", "sentences", "posts"})
    )


def keywords_view(frame: pd.DataFrame, posts: dict[str, str]) -> View:
    """Keywords per post: post, rank, keyword, score."""
    rows = [
        (
            escape(posts.get(_text(r.doc_id), _text(r.doc_id))),
            _text(r.rank),
            escape(_text(r.keyword)),
            f"{float(r.score):.3f}",
        )
        for r in frame.itertuples()
    ]
    return View(
        ("post", "rank", "keyword", "score"),
        rows,
        wrap={"post": 2, "keyword": 1},
        right=frozenset({"rank", "score"}),
    )


def share_line(doc_ids: Sequence[str], shares: Sequence[float], labels: dict[str, str]) -> str:
    """A theme's share in each post, posts by their labels: "« Titre » 42 %, …"."""
    return ", ".join(f"{labels.get(d, d)} {s:.0%}" for d, s in zip(doc_ids, shares, strict=True))


def keyness_view(frame: pd.DataFrame) -> View:
    """Specific terms: term, counts and rates in the target and the rest, G², log ratio."""
    rows = [
        (
            escape(_text(r.term)),
            f"{r.target} / {r.reference}",
            f"{r.target_per_10k:.1f} / {r.reference_per_10k:.1f}",
            f"{r.log_likelihood:.2f}",
            f"{r.log_ratio:+.2f}",
        )
        for r in frame.itertuples()
    ]
    columns = ("term", "count", "per 10k", "G²", "log ratio")
    return View(columns, rows, wrap={"term": 1}, right=frozenset(columns[1:]))
