"""What each sheet shows, read from a run's tables: every value with the doc ids behind it."""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from recap_nlp.output import event_figures, figure_kit, plots, readable
from recap_nlp.output.factsheet import lookup
from recap_nlp.output.factsheet.text import display_value, format_date, sheet_stem, translate_reason
from recap_nlp.output.figure_kit import json_list
from recap_nlp.records import COUNTED_LABELS

WARNING_STATUSES = ("conflict", "unresolved")
ATTRIBUTE_ORDER = ("date", "city", "organiser", "sponsor", "delegation_size", "participants")
OPTIONAL_TABLES = ("doc_sentiment", "themes", "doc_themes", "keywords", "sources")


class UnknownEventError(KeyError):
    """The event id asked for is not in the run's events table."""


@dataclass(frozen=True)
class RunTables:
    """The tables a sheet reads; the optional ones are None when the run did not make them.

    ``reconciled`` holds every reconciled attribute of every event (the ``conflicts`` table
    of runs made before the split). ``post_labels``/``post_short`` name each post as people
    read it (title, else first words and date). The other fields index the tables once
    (:mod:`~recap_nlp.output.factsheet.lookup`), so a sheet reads only its own rows:
    ``by_doc`` holds, per table then per post, the rows a sheet aggregates (mentions as
    ``(label, entity_id, name)``, keywords as ``(keyword, score)``, theme shares as
    ``(theme_id, share)``, tone rows as named tuples); ``by_event`` the reconciled rows of
    each event; ``event_rows``, ``document_rows`` and ``source_rows`` the row of each event,
    post and source; ``theme_info`` each theme's label and top terms.
    """

    documents: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame
    reconciled: pd.DataFrame
    entities: pd.DataFrame
    n_sentences: int
    n_facts: int
    doc_sentiment: pd.DataFrame | None = None
    themes: pd.DataFrame | None = None
    doc_themes: pd.DataFrame | None = None
    keywords: pd.DataFrame | None = None
    post_labels: dict[str, str] = field(default_factory=dict)
    post_short: dict[str, str] = field(default_factory=dict)
    by_doc: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    by_event: dict[str, list[Any]] = field(default_factory=dict)
    sources: pd.DataFrame | None = None
    event_rows: dict[str, Any] = field(default_factory=dict)
    document_rows: dict[str, Any] = field(default_factory=dict)
    source_rows: dict[str, list[Any]] = field(default_factory=dict)
    published: dict[str, str] = field(default_factory=dict)
    theme_info: dict[Any, tuple[str, list[Any]]] = field(default_factory=dict)
    post_names: lookup.PostNames = field(default_factory=lambda: lookup.PostNames.of({}))


def run_tables(frames: Mapping[str, pd.DataFrame]) -> RunTables:
    """What the sheets read, from a run's tables by name (the themes tables may be missing).

    ``frames`` is ``store.read_tables(out_dir)``, or any mapping with the same tables.
    """
    optional = {n: frames[n] for n in OPTIONAL_TABLES if n in frames}
    documents = frames["documents"].fillna("")
    sentences = frames["sentences"]
    mentions = frames["mentions"].fillna("")
    reconciled = frames["reconciled" if "reconciled" in frames else "conflicts"].fillna("")
    events = frames["events"].astype(object).fillna("")
    post_short = readable.post_labels(documents, sentences, limit=40)
    return RunTables(
        documents=documents,
        mentions=mentions,
        events=events,
        reconciled=reconciled,
        entities=frames["entities"].fillna(""),
        n_sentences=len(sentences),
        n_facts=len(frames["facts"]),
        post_labels=readable.post_labels(documents, sentences, limit=90),
        post_short=post_short,
        by_doc=lookup.doc_rows(mentions, optional),
        by_event=lookup.records_by(reconciled, "event_id"),
        event_rows=lookup.first_by(events, "event_id"),
        document_rows=lookup.first_by(documents, "doc_id"),
        source_rows=lookup.source_rows(optional.get("sources")),
        published=dict(zip(documents["doc_id"], documents["published"], strict=True)),
        theme_info=lookup.theme_info(optional.get("themes")),
        post_names=lookup.PostNames.of(post_short),
        **optional,
    )


def _rows(tables: RunTables, name: str, doc_ids: Iterable[str]) -> list[Any]:
    """The indexed rows of table ``name`` for these posts (no full scan)."""
    return lookup.of_posts(tables.by_doc.get(name, {}), doc_ids)


def worth_a_sheet(tables: RunTables, event_id: str) -> bool:
    """An event gets a sheet when a post gives at least one fact beyond its name.

    Example: an event only named in passing ("la Connected Week") has an ``event_name`` row
    and nothing else: no sheet; a mission with its dates or its delegation has one.
    """
    return any(r.attribute != "event_name" for r in tables.by_event.get(event_id, ()))


def _posts(tables: RunTables, doc_ids: Sequence[str], labels: dict[str, Any]) -> list[dict]:
    rows = [tables.document_rows[d] for d in sorted(set(doc_ids)) if d in tables.document_rows]
    return [
        {
            "doc_id": str(r.doc_id),
            "title": tables.post_labels.get(str(r.doc_id), "") or labels["untitled"],
            "published": format_date(str(r.published), labels) if r.published else "",
            "published_iso": str(r.published),
            "url": str(r.url) if str(r.url).startswith(("https://", "http://")) else "",
        }
        for r in rows
    ]


def _fact_rows(rows: Sequence[Any], labels: dict[str, Any]) -> list[dict[str, Any]]:
    order = {a: i for i, a in enumerate(ATTRIBUTE_ORDER)}
    ranked = sorted(rows, key=lambda r: (order.get(r.attribute, 99), r.attribute))
    facts = []
    for r in ranked:
        unresolved = r.status in WARNING_STATUSES and not r.chosen
        facts.append(
            {
                "attribute": r.attribute,
                "label": labels["attributes"].get(r.attribute, r.attribute.replace("_", " ")),
                "value": labels["unresolved"] if unresolved else _display(r, labels),
                "status": r.status,
                "status_label": labels["statuses"].get(r.status, r.status),
                "confidence": round(100 * float(r.confidence or 0)),
                "doc_ids": sorted(set(json_list(r.doc_ids))),
                "warning": r.status in WARNING_STATUSES,
            }
        )
    return facts


def _display(row: Any, labels: dict[str, Any]) -> str:
    return display_value(row.attribute, row.chosen, labels)


def _warning(row: Any, labels: dict[str, Any], tables: RunTables) -> dict[str, Any]:
    seen: set[tuple[str, str, str]] = set()
    sources = []
    for value, doc_id, quote in zip(
        json_list(row.values), json_list(row.doc_ids), json_list(row.quotes), strict=False
    ):
        key = (str(value), str(doc_id), str(quote))
        if key not in seen:
            seen.add(key)
            shown = display_value(row.attribute, str(value), labels)
            sources.append({"value": shown, "doc_id": doc_id, "quote": quote})
    return {
        "event_id": row.event_id,
        "label": labels["attributes"].get(row.attribute, row.attribute.replace("_", " ")),
        "sources": sources,
        "chosen": _display(row, labels) if row.chosen else "",
        "reason": tables.post_names.replace(translate_reason(row.reason, labels)),
        "confidence": round(100 * float(row.confidence or 0)),
        "basis": str(getattr(row, "basis", "") or ""),
        "who": [
            p | {"relations": [tables.post_names.replace(r) for r in p["relations"]]}
            for p in _who(tables, row, labels)
        ],
    }


def _who(tables: RunTables, row: Any, labels: dict[str, Any]) -> list[dict[str, Any]]:
    """For each post behind a contested value: its role, author, publisher and relations."""
    doc_ids = sorted(set(json_list(row.doc_ids)))
    who = []
    for r in sorted(lookup.of_posts(tables.source_rows, doc_ids), key=lambda r: r.doc_id):
        role = next(
            (
                e.split("=", 1)[1]
                for e in json_list(r.event_roles)
                if e.startswith(f"{row.event_id}=")
            ),
            str(r.role),
        )
        related = [
            t for t in json_list(r.relations) if any(d in t for d in doc_ids if d != r.doc_id)
        ]
        who.append(
            {
                "doc_id": str(r.doc_id),
                "role": labels.get("source_roles", {}).get(role, role),
                "author": str(r.author),
                "publisher": str(r.publisher),
                "evidence": str(r.role_evidence),
                "relations": related,
            }
        )
    return who


def _people(tables: RunTables, doc_ids: Sequence[str], label: str) -> list[dict[str, Any]]:
    """The entities of ``label`` these posts name, the most mentioned first (20 at most).

    Each is named as its first mention in the posts' order is (canonical name, else text).
    """
    found: dict[str, tuple[str, list[int], set[str]]] = {}
    mentions = tables.by_doc.get("mentions", {})
    for doc_id in dict.fromkeys(doc_ids):
        for mention_label, entity_id, name in mentions.get(doc_id, ()):
            if mention_label == label:
                entry = found.setdefault(entity_id, (name, [0], set()))
                entry[1][0] += 1
                entry[2].add(doc_id)
    people = [
        {"name": name, "n": n[0], "doc_ids": sorted(docs), "entity_id": entity_id}
        for entity_id, (name, n, docs) in sorted(found.items())
    ]
    return sorted(people, key=lambda p: (-p["n"], p["name"].lower()))[:20]


def _tone(row: Any, labels: dict[str, Any]) -> str:
    """The post's label with what goes the other way: "positive, avec 4 critiques"."""
    label = labels["sentiment_labels"].get(row.label, row.label)
    words = labels.get("sentiment_against", {})
    if not words:
        return label
    n_pos, n_neg = int(getattr(row, "n_positive", 0)), int(getattr(row, "n_negative", 0))

    def count(n: int, one: str) -> str:
        return f"{n} {words[one + 's'] if n > 1 else words[one]}"

    parts = []
    if row.label != "positive" and n_pos:
        parts.append(count(n_pos, "praise"))
    if row.label != "negative" and n_neg:
        parts.append(count(n_neg, "criticism"))
    if not parts:
        return label
    joined = (" " + words["and"] + " ").join(parts)
    return f"{label}, {words['with']} {joined}"


def _sentiment(
    tables: RunTables, doc_ids: Sequence[str], labels: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    if tables.doc_sentiment is None:
        return [], []
    rows, quotes = [], []
    for r in sorted(_rows(tables, "doc_sentiment", doc_ids), key=lambda r: r.doc_id):
        rows.append(
            {
                "doc_id": r.doc_id,
                "label": _tone(r, labels),
                "raw_label": r.label,
                "polarity": f"{float(r.polarity):+.2f}",
            }
        )
        for column in ("top_positive", "top_negative"):
            for quote in json_list(getattr(r, column, ""))[:1]:
                quotes.append({"doc_id": r.doc_id, "quote": quote, "kind": column})
    quotes.sort(key=lambda q: (q["kind"] != "top_positive", q["doc_id"]))
    return rows, quotes[:2]


def _themes(tables: RunTables, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
    if tables.themes is None or tables.doc_themes is None:
        return []
    index = tables.by_doc.get("doc_themes", {})
    shares = [
        (d, theme_id, share) for d in dict.fromkeys(doc_ids) for theme_id, share in index.get(d, ())
    ]
    if not shares:
        return []
    n_docs = max(len(set(doc_ids)), 1)
    means = lookup.top_sums(((theme_id, share) for _, theme_id, share in shares), 3, n_docs)
    themes = []
    for theme_id, share in means:
        if theme_id not in tables.theme_info or share <= 0:
            continue
        label, terms = tables.theme_info[theme_id]
        cited = sorted({d for d, t, s in shares if t == theme_id and s > 0})
        themes.append(
            {
                "label": label,
                "terms": [str(t) for t in terms][:6],
                "share": round(100 * float(share)),
                "doc_ids": cited,
            }
        )
    return themes


def _keywords(tables: RunTables, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
    if tables.keywords is None:
        return []
    index = tables.by_doc.get("keywords", {})
    rows: list[tuple[str, str, float]] = [
        (d, k, s) for d in dict.fromkeys(doc_ids) for k, s in index.get(d, ())
    ]
    docs: dict[str, set[str]] = {}
    for doc_id, keyword, _ in rows:
        docs.setdefault(keyword, set()).add(doc_id)
    if not rows:
        return []
    best = lookup.top_sums(((keyword, score) for _, keyword, score in rows), 10)
    return [{"keyword": k, "doc_ids": sorted(docs[k])} for k, _ in best]


def _timeline_uri(event: Any, posts: Iterable[dict[str, Any]], tables: RunTables) -> str:
    published = tables.published
    svg = event_figures.event_timeline_svg(
        str(event.start_date),
        str(event.end_date),
        [
            (tables.post_short.get(p["doc_id"], p["doc_id"]), str(published.get(p["doc_id"], "")))
            for p in posts
        ],
    )
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def event_context(tables: RunTables, event_id: str, labels: dict[str, Any]) -> dict[str, Any]:
    """Everything an event sheet shows, each value with the doc ids behind it."""
    event = tables.event_rows.get(event_id)
    if event is None:
        raise UnknownEventError(f"no event {event_id!r} in this run")
    doc_ids = sorted(json_list(event.doc_ids))
    rows = tables.by_event.get(event_id, [])
    posts = _posts(tables, doc_ids, labels)
    sentiment, quotes = _sentiment(tables, doc_ids, labels)
    return {
        "event": {
            "event_id": event_id,
            "name": readable.event_display_name(event),
            "kind": event.kind,
            "dates": format_date(_event_dates(event), labels) if event.start_date else "",
            "places": json_list(event.cities),
            "organiser": event.organiser,
        },
        "doc_ids": doc_ids,
        "facts": _fact_rows(rows, labels),
        "warnings": [_warning(r, labels, tables) for r in rows if r.status in WARNING_STATUSES],
        "people": _people(tables, doc_ids, "PER"),
        "organisations": _people(tables, doc_ids, "ORG"),
        "sentiment": sentiment,
        "quotes": quotes,
        "themes": _themes(tables, doc_ids),
        "keywords": _keywords(tables, doc_ids),
        "posts": posts,
        "timeline": _timeline_uri(event, posts, tables),
        "P": tables.post_short,
    }


def _event_dates(event: Any) -> str:
    if event.end_date and event.end_date != event.start_date:
        return f"{event.start_date}..{event.end_date}"
    return str(event.start_date)


def index_context(
    tables: RunTables,
    labels: dict[str, Any],
    fmt: str,
    figures: Mapping[str, bytes] | None = None,
) -> dict[str, Any]:
    """The corpus overview: counts, events, every disagreement, top entities, tone, themes.

    ``figures``: PNG bytes of the overview's figures already drawn, by stem (else drawn here).
    """
    reconciled = tables.reconciled
    disputed = reconciled[reconciled["status"].isin(WARNING_STATUSES)]
    n_warnings = Counter(disputed["event_id"])
    names = readable.event_names(tables.events)
    events = []
    # Posts' main events first, then events mentioned in passing; dated ones in time order.
    ordered = sorted(
        tables.events.itertuples(),
        key=lambda e: (
            not json_list(getattr(e, "main_in", "[]") or "[]"),
            not e.start_date,
            e.start_date,
            e.event_id,
        ),
    )
    for e in ordered:
        events.append(
            {
                "event_id": e.event_id,
                "name": names[str(e.event_id)],
                "kind": e.kind,
                "dates": format_date(_event_dates(e), labels) if e.start_date else "",
                "places": json_list(e.cities),
                "doc_ids": sorted(json_list(e.doc_ids)),
                "n_warnings": n_warnings[e.event_id],
                "file": f"{sheet_stem(e.event_id)}.{fmt}"
                if worth_a_sheet(tables, e.event_id)
                else "",
            }
        )
    warnings = [
        _warning(r, labels, tables) | {"event_name": names.get(r.event_id, r.event_id)}
        for r in disputed.itertuples()
    ]
    all_docs = sorted(tables.documents["doc_id"])
    sentiment, _ = _sentiment(tables, all_docs, labels)
    counted = tables.entities["label"].isin(COUNTED_LABELS)
    return {
        "counts": {
            "n_posts": len(all_docs),
            "n_sentences": tables.n_sentences,
            "n_entities": int(counted.sum()),
            "n_events": len(events),
            "n_facts": tables.n_facts,
        },
        "entities_apart": {
            str(k): int(v)
            for k, v in tables.entities[~counted].groupby("label").size().sort_index().items()
        },
        "events": events,
        "warnings": warnings,
        "top_entities": _top_entities(tables, labels),
        "sentiment": sentiment,
        "themes": _themes(tables, all_docs),
        "posts": _posts(tables, all_docs, labels),
        "figures": _index_figures(tables, figures or {}) if fmt == "html" else [],
        "P": tables.post_short,
    }


def _top_entities(tables: RunTables, labels: dict[str, Any]) -> list[dict[str, Any]]:
    groups = []
    for label in ("PER", "ORG", "CITY", "EVENT"):
        frame = tables.entities[tables.entities["label"] == label]
        best = frame.sort_values(["n_mentions", "canonical"], ascending=[False, True]).head(8)
        items = [{"name": r.canonical, "n": int(r.n_mentions)} for r in best.itertuples()]
        if items:
            groups.append({"label": labels["entity_labels"].get(label, label), "entries": items})
    return groups


def _index_figures(tables: RunTables, drawn: Mapping[str, bytes]) -> list[dict[str, str]]:
    """The overview's figures as PNG data URIs: those in ``drawn`` reused, the others drawn."""
    draw = {
        "timeline": lambda: event_figures.timeline_figure(tables.events, tables.documents),
        "entities": lambda: plots.entities_figure(tables.entities),
    }
    return [
        {"name": name, "uri": _data_uri(drawn.get(name) or figure_kit.figure_bytes(make(), "png"))}
        for name, make in draw.items()
    ]
