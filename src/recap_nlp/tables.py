"""From a run's records to the tables users read (the documented output schema)."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, TypeVar

from recap_nlp.records import (
    Conflict,
    DocTheme,
    Duplicate,
    Entity,
    Event,
    FactMention,
    Keyword,
    Mention,
    Sentence,
    Skipped,
    Source,
    Theme,
)
from recap_nlp.sentiment import DocSentiment, EntitySentiment
from recap_nlp.store import Table, table_from_records, table_from_rows

if TYPE_CHECKING:
    from recap_nlp.pipeline import RunResult

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
}


def build_tables(result: RunResult) -> list[Table]:
    """Every table of a run, rows sorted so reruns give identical files."""
    return [
        documents_table(result),
        table_from_records("skipped", Skipped, sorted(result.skipped, key=lambda s: s.path)),
        table_from_records(
            "duplicates", Duplicate, sorted(result.duplicates, key=lambda d: d.doc_id)
        ),
        table_from_records("sentences", Sentence, _by_position(result.scored)),
        table_from_records("mentions", Mention, _by_position(result.mentions)),
        table_from_records("entities", Entity, sorted(result.entities, key=lambda e: e.entity_id)),
        table_from_records("facts", FactMention, _by_position(result.facts)),
        table_from_records("events", Event, sorted(result.events, key=lambda e: e.event_id)),
        table_from_records("conflicts", Conflict, sorted(result.conflicts, key=_conflict_key)),
        copies_table(result.copies),
        table_from_records("sources", Source, sorted(result.sources, key=lambda s: s.doc_id)),
        table_from_records("themes", Theme, result.themes),
        table_from_records("doc_themes", DocTheme, result.doc_themes),
        table_from_records("keywords", Keyword, result.keywords),
        table_from_records("doc_sentiment", DocSentiment, result.doc_sentiment),
        table_from_records("entity_sentiment", EntitySentiment, result.entity_sentiment),
    ]


def _conflict_key(conflict: Conflict) -> tuple[str, str]:
    return conflict.event_id, conflict.attribute


def copies_table(copies: list[tuple[str, str, str]]) -> Table:
    """Passages one post copies or quotes from another (their values count once)."""
    columns = {"doc_id": "VARCHAR", "copied_from": "VARCHAR", "passage": "VARCHAR"}
    rows = [{"doc_id": a, "copied_from": b, "passage": passage} for a, b, passage in sorted(copies)]
    return table_from_rows("copies", columns, rows)


def documents_table(result: RunResult) -> Table:
    n_sentences = Counter(s.doc_id for s in result.scored)
    n_mentions = Counter(m.doc_id for m in result.mentions)
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
        }
        for doc in sorted(result.documents, key=lambda d: d.doc_id)
    ]
    return table_from_rows("documents", DOCUMENT_COLUMNS, rows)


def _by_position(records: list[_Positioned]) -> list[_Positioned]:
    return sorted(records, key=lambda r: (r.doc_id, r.start, r.end))
