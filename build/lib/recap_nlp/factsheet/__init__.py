"""Fact sheets people can forward: one per event and a corpus overview, in HTML and Markdown.

Each sheet is built from the tables of a finished run and nothing else; every value on it
cites the posts it comes from. HTML is rendered with autoescape on (post text is never marked
safe) and is self-contained: inline CSS, images as data URIs, a Content-Security-Policy that
forbids scripts, print rules for A4 and a layout that fits a phone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from recap_nlp import __version__
from recap_nlp.factsheet.context import (
    RunTables,
    UnknownEventError,
    event_context,
    index_context,
    read_run,
)
from recap_nlp.factsheet.text import (
    display_value,
    format_date,
    load_labels,
    markdown_text,
    sheet_stem,
    translate_reason,
)
from recap_nlp.plots import write_atomic

__all__ = [
    "FACTSHEETS_DIR",
    "RunTables",
    "UnknownEventError",
    "display_value",
    "event_context",
    "format_date",
    "index_context",
    "load_labels",
    "markdown_text",
    "read_run",
    "render_event",
    "render_index",
    "sheet_stem",
    "translate_reason",
    "write_factsheets",
]

log = logging.getLogger(__name__)

FACTSHEETS_DIR = "factsheets"


def _environment(fmt: str) -> jinja2.Environment:
    loader = jinja2.PackageLoader("recap_nlp", "templates")
    if fmt == "html":
        env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    else:
        # Every printed expression goes through markdown_text: post text can never add markup.
        env = jinja2.Environment(
            loader=loader,
            autoescape=False,
            finalize=markdown_text,
            undefined=jinja2.StrictUndefined,
        )
    env.trim_blocks = True
    env.lstrip_blocks = True
    return env


def _common(labels: dict[str, Any], n_docs: int) -> dict[str, Any]:
    return {
        "L": labels,
        "lang": labels["lang"],
        "footer": labels["footer"].format(version=__version__, n_docs=n_docs),
    }


def render_event(tables: RunTables, event_id: str, fmt: str, labels: dict[str, Any]) -> str:
    """One event's sheet as HTML or Markdown text."""
    context = event_context(tables, event_id, labels)
    template = _environment(fmt).get_template(f"event.{fmt}.j2")
    return template.render(**context, **_common(labels, len(context["doc_ids"])))


def render_index(tables: RunTables, fmt: str, labels: dict[str, Any]) -> str:
    """The corpus overview as HTML or Markdown text (figures inline in HTML only)."""
    context = index_context(tables, labels, fmt)
    template = _environment(fmt).get_template(f"index.{fmt}.j2")
    return template.render(**context, **_common(labels, context["counts"]["n_posts"]))


def write_factsheets(
    out_dir: Path,
    *,
    lang: str = "fr",
    formats: Sequence[str] = ("html", "md"),
    event_id: str | None = None,
) -> list[Path]:
    """Write one sheet per event and the overview into ``out_dir/factsheets/``.

    Args:
        out_dir: folder of a finished run (holds ``recap.duckdb``).
        lang: "fr" (default) or "en" labels.
        formats: any of "html" and "md".
        event_id: write only this event's sheet (and the overview).

    Raises:
        UnknownEventError: ``event_id`` is not in the run.
        ValueError: an unsupported language or format.

    Returns:
        The paths written, sorted.
    """
    out_dir = Path(out_dir)
    labels = load_labels(lang)
    tables = read_run(out_dir)
    event_ids = sorted(tables.events["event_id"]) if event_id is None else [event_id]
    target = out_dir / FACTSHEETS_DIR
    written = []
    for fmt in formats:
        if fmt not in ("html", "md"):
            raise ValueError(f"unsupported format {fmt!r}: use 'html' or 'md'")
        for eid in event_ids:
            path = target / f"{sheet_stem(eid)}.{fmt}"
            write_atomic(path, render_event(tables, eid, fmt, labels).encode("utf-8"))
            written.append(path)
        path = target / f"index.{fmt}"
        write_atomic(path, render_index(tables, fmt, labels).encode("utf-8"))
        written.append(path)
    log.info("wrote %d fact sheets into %s", len(written), target)
    return sorted(written)
