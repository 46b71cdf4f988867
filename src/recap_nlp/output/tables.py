"""From a run's records to the tables users read (the documented output schema)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import TypeVar

from recap_nlp.output.store import Table, table_from_records, table_from_rows
from recap_nlp.records import (
    Conflict,
    Copy,
    DocSentiment,
    DocTheme,
    Duplicate,
    Entity,
    EntitySentiment,
    Event,
    FactMention,
    Keyword,
    Mention,
    RunResult,
    Sentence,
    Skipped,
    Source,
    Theme,
    ThemeSentiment,
)

_Positioned = TypeVar("_Positioned", Sentence, Mention, FactMention)

DOCUMENT_COLUMNS = {
    "doc_id": "VARCHAR",
    "title": "VARCHAR",
    "published": "VARCHAR",
    "published_source": "VARCHAR",
    "source_path": "VARCHAR",
    "format": "VARCHAR",
    "encoding": "VARCHAR",
    "language": "VARCHAR",
    "n_chars": "BIGINT",
    "n_sentences": "BIGINT",
    "n_mentions": "BIGINT",
    "content_hash": "VARCHAR",
    "author": "VARCHAR",
    "url": "VARCHAR",
    "warnings": "VARCHAR",
    "lastmod": "VARCHAR",
    "tags": "VARCHAR",
    "categories": "VARCHAR",
    "n_links": "BIGINT",
    "main_event_id": "VARCHAR",
}
LINK_COLUMNS = {
    "doc_id": "VARCHAR",
    "start": "BIGINT",
    "end": "BIGINT",
    "kind": "VARCHAR",
    "text": "VARCHAR",
    "url": "VARCHAR",
}


def build_tables(result: RunResult) -> list[Table]:
    """Every table of a run, rows sorted so reruns give identical files."""
    return list(iter_tables(result))


def iter_tables(result: RunResult) -> Iterator[Table]:
    """The tables of :func:`build_tables`, each built only when the previous one is consumed.

    ``store.write_outputs`` writes each table before the next is built, so a run holds one
    table's rows at a time.
    """
    yield documents_table(result)
    yield links_table(result)
    yield table_from_records("skipped", Skipped, sorted(result.skipped, key=lambda s: s.path))
    yield table_from_records(
        "duplicates", Duplicate, sorted(result.duplicates, key=lambda d: d.doc_id)
    )
    yield table_from_records("sentences", Sentence, _by_position(result.scored))
    yield table_from_records("mentions", Mention, _by_position(result.mentions))
    yield table_from_records("entities", Entity, sorted(result.entities, key=lambda e: e.entity_id))
    yield table_from_records("facts", FactMention, _by_position(result.facts))
    yield table_from_records("events", Event, sorted(result.events, key=lambda e: e.event_id))
    yield from reconciliation_tables(result.conflicts)
    yield copies_table(result.copies)
    yield table_from_records("sources", Source, sorted(result.sources, key=lambda s: s.doc_id))
    yield table_from_records("themes", Theme, result.themes)
    yield table_from_records("doc_themes", DocTheme, result.doc_themes)
    yield table_from_records("keywords", Keyword, result.keywords)
    yield table_from_records("doc_sentiment", DocSentiment, result.doc_sentiment)
    yield table_from_records("entity_sentiment", EntitySentiment, result.entity_sentiment)
    yield table_from_records("theme_sentiment", ThemeSentiment, result.theme_sentiment)


# A genuine disagreement between sources; the other statuses (single, agree, compatible) are
# reconciled values with nothing to dispute.
DISAGREEMENT_STATUSES = ("conflict", "unresolved")


def reconciliation_tables(rows: list[Conflict]) -> tuple[Table, Table]:
    """``reconciled`` (every attribute of every event) and ``conflicts`` (only disagreements).

    Example: the 2017 mission's delegation ("27" in one post, "28" in the other) is in both
    tables; its dates, on which both posts agree, only in ``reconciled``.
    """
    ordered = sorted(rows, key=_conflict_key)
    disputed = [r for r in ordered if r.status in DISAGREEMENT_STATUSES]
    return (
        table_from_records("reconciled", Conflict, ordered),
        table_from_records("conflicts", Conflict, disputed),
    )


def _conflict_key(conflict: Conflict) -> tuple[str, str]:
    return conflict.event_id, conflict.attribute


def copies_table(copies: list[Copy]) -> Table:
    """Passages one post copies or quotes from another (their values count once)."""
    columns = {"doc_id": "doc_a", "copied_from": "doc_b", "passage": "passage"}
    return table_from_records("copies", Copy, sorted(copies), columns)


def documents_table(result: RunResult) -> Table:
    n_sentences = Counter(s.doc_id for s in result.scored)
    n_mentions = Counter(m.doc_id for m in result.mentions)
    main_event = main_events(result.events)
    rows = [
        {
            "doc_id": doc.doc_id,
            "title": doc.title,
            "published": doc.published,
            "published_source": doc.published_source,
            "source_path": doc.source_path,
            "format": doc.format,
            "encoding": doc.encoding,
            "language": doc.language,
            "n_chars": len(doc.text),
            "n_sentences": n_sentences[doc.doc_id],
            "n_mentions": n_mentions[doc.doc_id],
            "content_hash": doc.content_hash,
            "author": doc.author,
            "url": doc.url,
            "warnings": json.dumps(list(doc.warnings), ensure_ascii=False),
            "lastmod": doc.lastmod,
            "tags": json.dumps(list(doc.tags), ensure_ascii=False),
            "categories": json.dumps(list(doc.categories), ensure_ascii=False),
            "n_links": len(doc.links),
            "main_event_id": main_event.get(doc.doc_id, ""),
        }
        for doc in sorted(result.documents, key=lambda d: d.doc_id)
    ]
    return table_from_rows("documents", DOCUMENT_COLUMNS, rows)


def main_events(events: list[Event]) -> dict[str, str]:
    """Each post's main event id (the first by id when a post has several)."""
    found: dict[str, str] = {}
    for event in sorted(events, key=lambda e: e.event_id):
        for doc_id in event.main_in:
            found.setdefault(doc_id, event.event_id)
    return found


def links_table(result: RunResult) -> Table:
    """Link and image targets left out of the analysed text, with the text they carried."""
    rows = [
        {"doc_id": doc.doc_id, "start": link.start, "end": link.end, "kind": link.kind}
        | {"text": link.text, "url": link.url}
        for doc in sorted(result.documents, key=lambda d: d.doc_id)
        for link in sorted(doc.links, key=lambda k: (k.start, k.end, k.url))
    ]
    return table_from_rows("links", LINK_COLUMNS, rows)


def _by_position(records: list[_Positioned]) -> list[_Positioned]:
    return sorted(records, key=lambda r: (r.doc_id, r.start, r.end))
