"""What each sheet shows, read from a run's tables: every value with the doc ids behind it."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from recap_nlp import plots, store
from recap_nlp.factsheet.text import display_value, format_date, sheet_stem, translate_reason
from recap_nlp.plots import json_list

WARNING_STATUSES = ("conflict", "unresolved")
ATTRIBUTE_ORDER = ("date", "city", "organiser", "sponsor", "delegation_size", "participants")
OPTIONAL_TABLES = ("doc_sentiment", "themes", "doc_themes", "keywords", "sources")


class UnknownEventError(KeyError):
    """The event id asked for is not in the run's events table."""


@dataclass(frozen=True)
class RunTables:
    """The tables a sheet reads; the optional ones are None when the run did not make them."""

    documents: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame
    conflicts: pd.DataFrame
    entities: pd.DataFrame
    n_sentences: int
    n_facts: int
    doc_sentiment: pd.DataFrame | None = None
    themes: pd.DataFrame | None = None
    doc_themes: pd.DataFrame | None = None
    keywords: pd.DataFrame | None = None
    sources: pd.DataFrame | None = None


def read_run(out_dir: Path) -> RunTables:
    """Read the tables of the run in ``out_dir`` (the themes tables may be missing)."""
    present = set(store.list_tables(out_dir))
    optional = {n: store.read_table(out_dir, n) for n in OPTIONAL_TABLES if n in present}
    return RunTables(
        documents=store.read_table(out_dir, "documents").fillna(""),
        mentions=store.read_table(out_dir, "mentions").fillna(""),
        events=store.read_table(out_dir, "events").fillna(""),
        conflicts=store.read_table(out_dir, "conflicts").fillna(""),
        entities=store.read_table(out_dir, "entities").fillna(""),
        n_sentences=len(store.read_table(out_dir, "sentences")),
        n_facts=len(store.read_table(out_dir, "facts")),
        **optional,
    )


def _titles(tables: RunTables) -> dict[str, str]:
    return {str(r.doc_id): str(r.title).strip() for r in tables.documents.itertuples()}


def _posts(tables: RunTables, doc_ids: Sequence[str], labels: dict[str, Any]) -> list[dict]:
    rows = tables.documents[tables.documents["doc_id"].isin(doc_ids)].sort_values("doc_id")
    return [
        {
            "doc_id": str(r.doc_id),
            "title": str(r.title).strip() or labels["untitled"],
            "published": format_date(str(r.published), labels) if r.published else "",
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
    titles: dict[str, str],
    labels: dict[str, Any],
    sources_table: pd.DataFrame | None = None,
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
            sources.append(
                {"value": shown, "doc_id": doc_id, "title": titles.get(doc_id, ""), "quote": quote}
            )
    return {
        "event_id": row.event_id,
        "label": labels["attributes"].get(row.attribute, row.attribute.replace("_", " ")),
        "sources": sources,
        "chosen": _display(row, labels) if row.chosen else "",
        "reason": translate_reason(row.reason, labels),
        "confidence": round(100 * float(row.confidence or 0)),
        "basis": str(getattr(row, "basis", "") or ""),
        "who": _who(sources_table, row, labels),
    }


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
    m = tables.mentions
    chosen = m[m["doc_id"].isin(doc_ids) & (m["label"] == label) & (m["entity_id"] != "")]
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


def _sentiment(
    tables: RunTables, doc_ids: Sequence[str], labels: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    if tables.doc_sentiment is None:
        return [], []
    frame = tables.doc_sentiment[tables.doc_sentiment["doc_id"].isin(doc_ids)]
    rows, quotes = [], []
    for r in frame.sort_values("doc_id").itertuples():
        rows.append(
            {
                "doc_id": r.doc_id,
                "label": labels["sentiment_labels"].get(r.label, r.label),
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
    shares = tables.doc_themes[tables.doc_themes["doc_id"].isin(doc_ids)]
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
    frame = tables.keywords[tables.keywords["doc_id"].isin(doc_ids)]
    grouped = frame.groupby("keyword").agg(score=("score", "sum"), docs=("doc_id", set))
    best = grouped.sort_values("score", ascending=False).head(10)
    return [
        {"keyword": k, "doc_ids": sorted(r.docs)}
        for k, r in zip(best.index, best.itertuples(), strict=True)
    ]


def _timeline_uri(event: Any, posts: Iterable[dict[str, Any]], tables: RunTables) -> str:
    published = dict(zip(tables.documents["doc_id"], tables.documents["published"], strict=True))
    png = plots.event_timeline_png(
        str(event.start_date),
        str(event.end_date),
        [(p["doc_id"], str(published.get(p["doc_id"], ""))) for p in posts],
    )
    return _data_uri(png) if png else ""


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def event_context(tables: RunTables, event_id: str, labels: dict[str, Any]) -> dict[str, Any]:
    """Everything an event sheet shows, each value with the doc ids behind it."""
    matches = tables.events[tables.events["event_id"] == event_id]
    if matches.empty:
        raise UnknownEventError(f"no event {event_id!r} in this run")
    event = next(matches.itertuples())
    doc_ids = sorted(json_list(event.doc_ids))
    rows = tables.conflicts[tables.conflicts["event_id"] == event_id]
    titles = _titles(tables)
    posts = _posts(tables, doc_ids, labels)
    sentiment, quotes = _sentiment(tables, doc_ids, labels)
    return {
        "event": {
            "event_id": event_id,
            "name": event.name,
            "kind": event.kind,
            "dates": format_date(_event_dates(event), labels) if event.start_date else "",
            "places": json_list(event.cities),
            "organiser": event.organiser,
        },
        "doc_ids": doc_ids,
        "facts": _fact_rows(rows, labels),
        "warnings": [
            _warning(r, titles, labels, tables.sources)
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
    }


def _event_dates(event: Any) -> str:
    if event.end_date and event.end_date != event.start_date:
        return f"{event.start_date}..{event.end_date}"
    return str(event.start_date)


def index_context(tables: RunTables, labels: dict[str, Any], fmt: str) -> dict[str, Any]:
    """The corpus overview: counts, events, every disagreement, top entities, tone, themes."""
    titles = _titles(tables)
    conflicts = tables.conflicts
    events = []
    # Dated events in time order, undated ones after them.
    ordered = sorted(
        tables.events.itertuples(), key=lambda e: (not e.start_date, e.start_date, e.event_id)
    )
    for e in ordered:
        n_warn = int(
            (
                (conflicts["event_id"] == e.event_id) & conflicts["status"].isin(WARNING_STATUSES)
            ).sum()
        )
        events.append(
            {
                "event_id": e.event_id,
                "name": e.name,
                "kind": e.kind,
                "dates": format_date(_event_dates(e), labels) if e.start_date else "",
                "places": json_list(e.cities),
                "doc_ids": sorted(json_list(e.doc_ids)),
                "n_warnings": n_warn,
                "file": f"{sheet_stem(e.event_id)}.{fmt}",
            }
        )
    names = dict(zip(tables.events["event_id"], tables.events["name"], strict=True))
    warnings = [
        _warning(r, titles, labels, tables.sources)
        | {"event_name": names.get(r.event_id, r.event_id)}
        for r in conflicts[conflicts["status"].isin(WARNING_STATUSES)].itertuples()
    ]
    all_docs = sorted(tables.documents["doc_id"])
    sentiment, _ = _sentiment(tables, all_docs, labels)
    return {
        "counts": {
            "n_posts": len(all_docs),
            "n_sentences": tables.n_sentences,
            "n_entities": len(tables.entities),
            "n_events": len(events),
            "n_facts": tables.n_facts,
        },
        "events": events,
        "warnings": warnings,
        "top_entities": _top_entities(tables, labels),
        "sentiment": sentiment,
        "themes": _themes(tables, all_docs),
        "posts": _posts(tables, all_docs, labels),
        "figures": _index_figures(tables) if fmt == "html" else [],
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
