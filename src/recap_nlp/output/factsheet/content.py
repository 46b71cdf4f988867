"""What each sheet shows, read from a run's tables: every value with the doc ids behind it."""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from recap_nlp.output import plots, readable
from recap_nlp.output.factsheet.text import display_value, format_date, sheet_stem, translate_reason
from recap_nlp.output.plots import json_list
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
    read it (title, else first words and date); ``by_doc``/``by_event`` index the large
    tables once so each sheet reads only its rows.
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
    by_doc: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict)
    by_event: dict[str, pd.DataFrame] = field(default_factory=dict)
    sources: pd.DataFrame | None = None


def run_tables(frames: Mapping[str, pd.DataFrame]) -> RunTables:
    """What the sheets read, from a run's tables by name (the themes tables may be missing).

    ``frames`` is ``store.read_tables(out_dir)``, or any mapping with the same tables.
    """
    optional = {n: frames[n] for n in OPTIONAL_TABLES if n in frames}
    documents = frames["documents"].fillna("")
    sentences = frames["sentences"]
    mentions = frames["mentions"].fillna("")
    reconciled = frames["reconciled" if "reconciled" in frames else "conflicts"].fillna("")
    by_doc = {"mentions": _groups(mentions, "doc_id")}
    for name in ("doc_sentiment", "doc_themes", "keywords"):
        if name in optional:
            by_doc[name] = _groups(optional[name], "doc_id")
    return RunTables(
        documents=documents,
        mentions=mentions,
        events=frames["events"].astype(object).fillna(""),
        reconciled=reconciled,
        entities=frames["entities"].fillna(""),
        n_sentences=len(sentences),
        n_facts=len(frames["facts"]),
        post_labels=readable.post_labels(documents, sentences, limit=90),
        post_short=readable.post_labels(documents, sentences, limit=40),
        by_doc=by_doc,
        by_event=_groups(reconciled, "event_id"),
        **optional,
    )


def _groups(frame: pd.DataFrame, key: str) -> dict[str, pd.DataFrame]:
    return {str(k): g for k, g in frame.groupby(key, sort=False)}


def _rows(tables: RunTables, name: str, doc_ids: Iterable[str]) -> pd.DataFrame:
    """The rows of table ``name`` for these posts, read from the index (no full scan)."""
    groups = tables.by_doc.get(name, {})
    parts = [groups[d] for d in dict.fromkeys(doc_ids) if d in groups]
    if parts:
        return pd.concat(parts)
    frame = getattr(tables, name)
    return frame.iloc[0:0]


def worth_a_sheet(tables: RunTables, event_id: str) -> bool:
    """An event gets a sheet when a post gives at least one fact beyond its name.

    Example: an event only named in passing ("la Connected Week") has an ``event_name`` row
    and nothing else: no sheet; a mission with its dates or its delegation has one.
    """
    rows = tables.by_event.get(event_id)
    return rows is not None and bool((rows["attribute"] != "event_name").any())


def _posts(tables: RunTables, doc_ids: Sequence[str], labels: dict[str, Any]) -> list[dict]:
    wanted = set(doc_ids)
    rows = tables.documents[tables.documents["doc_id"].isin(wanted)].sort_values("doc_id")
    return [
        {
            "doc_id": str(r.doc_id),
            "title": tables.post_labels.get(str(r.doc_id), "") or labels["untitled"],
            "published": format_date(str(r.published), labels) if r.published else "",
            "published_iso": str(r.published),
            "url": str(r.url) if str(r.url).startswith(("https://", "http://")) else "",
        }
        for r in rows.itertuples()
    ]


def _fact_rows(rows: pd.DataFrame, labels: dict[str, Any]) -> list[dict[str, Any]]:
    order = {a: i for i, a in enumerate(ATTRIBUTE_ORDER)}
    ranked = sorted(rows.itertuples(), key=lambda r: (order.get(r.attribute, 99), r.attribute))
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


def _warning(
    row: Any,
    labels: dict[str, Any],
    sources_table: pd.DataFrame | None = None,
    posts: dict[str, str] | None = None,
) -> dict[str, Any]:
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
        "reason": _named_posts(translate_reason(row.reason, labels), posts),
        "confidence": round(100 * float(row.confidence or 0)),
        "basis": str(getattr(row, "basis", "") or ""),
        "who": [
            p | {"relations": [_named_posts(r, posts) for r in p["relations"]]}
            for p in _who(sources_table, row, labels)
        ],
    }


def _named_posts(text: str, posts: dict[str, str] | None) -> str:
    """Post ids in a reason or relation replaced by the posts' readable labels (« title »)."""
    for doc_id, label in (posts or {}).items():
        if doc_id in text:
            text = text.replace(doc_id, label)
    return text


def _who(sources: pd.DataFrame | None, row: Any, labels: dict[str, Any]) -> list[dict[str, Any]]:
    """For each post behind a contested value: its role, author, publisher and relations."""
    if sources is None or sources.empty:
        return []
    doc_ids = sorted(set(json_list(row.doc_ids)))
    frame = sources[sources["doc_id"].isin(doc_ids)].fillna("").sort_values("doc_id")
    who = []
    for r in frame.itertuples():
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
    m = _rows(tables, "mentions", doc_ids)
    chosen = m[(m["label"] == label) & (m["entity_id"] != "")]
    people = []
    for entity_id, group in chosen.groupby("entity_id"):
        name = group["canonical"].iloc[0] or group["text"].iloc[0]
        people.append(
            {
                "name": name,
                "n": len(group),
                "doc_ids": sorted(set(group["doc_id"])),
                "entity_id": entity_id,
            }
        )
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
    frame = _rows(tables, "doc_sentiment", doc_ids)
    rows, quotes = [], []
    for r in frame.sort_values("doc_id").itertuples():
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
    shares = _rows(tables, "doc_themes", doc_ids)
    if shares.empty:
        return []
    mean = shares.groupby("theme_id")["share"].sum() / max(len(set(doc_ids)), 1)
    info = tables.themes.set_index("theme_id")
    themes = []
    for theme_id, share in mean.sort_values(ascending=False).head(3).items():
        if theme_id not in info.index or share <= 0:
            continue
        cited = sorted(
            set(shares[(shares["theme_id"] == theme_id) & (shares["share"] > 0)]["doc_id"])
        )
        themes.append(
            {
                "label": str(info.at[theme_id, "label"]),
                "terms": [str(t) for t in json_list(info.at[theme_id, "top_terms"])][:6],
                "share": round(100 * float(share)),
                "doc_ids": cited,
            }
        )
    return themes


def _keywords(tables: RunTables, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
    if tables.keywords is None:
        return []
    frame = _rows(tables, "keywords", doc_ids)
    grouped = frame.groupby("keyword").agg(score=("score", "sum"), docs=("doc_id", set))
    best = grouped.sort_values("score", ascending=False).head(10)
    return [
        {"keyword": k, "doc_ids": sorted(r.docs)}
        for k, r in zip(best.index, best.itertuples(), strict=True)
    ]


def _timeline_uri(event: Any, posts: Iterable[dict[str, Any]], tables: RunTables) -> str:
    published = dict(zip(tables.documents["doc_id"], tables.documents["published"], strict=True))
    svg = plots.event_timeline_svg(
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
    matches = tables.events[tables.events["event_id"] == event_id]
    if matches.empty:
        raise UnknownEventError(f"no event {event_id!r} in this run")
    event = next(matches.itertuples())
    doc_ids = sorted(json_list(event.doc_ids))
    rows = tables.by_event.get(event_id, tables.reconciled.iloc[0:0])
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
        "warnings": [
            _warning(r, labels, tables.sources, tables.post_short)
            for r in rows.itertuples()
            if r.status in WARNING_STATUSES
        ],
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


def index_context(tables: RunTables, labels: dict[str, Any], fmt: str) -> dict[str, Any]:
    """The corpus overview: counts, events, every disagreement, top entities, tone, themes."""
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
        _warning(r, labels, tables.sources, tables.post_short)
        | {"event_name": names.get(r.event_id, r.event_id)}
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
        "figures": _index_figures(tables) if fmt == "html" else [],
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


def _index_figures(tables: RunTables) -> list[dict[str, str]]:
    timeline = plots.timeline_figure(tables.events, tables.documents)
    entities = plots.entities_figure(tables.entities)
    return [
        {"name": "timeline", "uri": _data_uri(plots.figure_bytes(timeline, "png"))},
        {"name": "entities", "uri": _data_uri(plots.figure_bytes(entities, "png"))},
    ]
