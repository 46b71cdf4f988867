"""Fact sheets people can forward: one per event and a corpus overview, in HTML and Markdown.

Each sheet is built from the tables of a finished run and nothing else; every value on it
cites the posts it comes from. HTML is rendered with autoescape on (post text is never marked
safe) and is self-contained: inline CSS, images as data URIs, a Content-Security-Policy that
forbids scripts, print rules for A4 and a layout that fits a phone.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from recap_nlp.output.factsheet.content import (
    RunTables,
    UnknownEventError,
    event_context,
    index_context,
    run_tables,
    worth_a_sheet,
)
from recap_nlp.output.factsheet.text import (
    display_value,
    format_date,
    load_labels,
    markdown_text,
    sheet_stem,
    translate_reason,
)
from recap_nlp.output.figure_kit import write_atomic
from recap_nlp.version import __version__

__all__ = [
    "FACTSHEETS_DIR",
    "RunTables",
    "UnknownEventError",
    "count",
    "display_value",
    "event_context",
    "format_date",
    "index_context",
    "load_labels",
    "markdown_text",
    "render_event",
    "render_index",
    "run_tables",
    "sheet_event_ids",
    "sheet_stem",
    "translate_reason",
    "worth_a_sheet",
    "write_event_sheets",
    "write_factsheets",
    "write_index_sheets",
]

log = logging.getLogger(__name__)

FACTSHEETS_DIR = "factsheets"


@cache
def _environment(fmt: str) -> jinja2.Environment:
    """One Jinja environment per format for the whole process: each template compiles once."""
    loader = jinja2.PackageLoader("recap_nlp.output.factsheet", "templates")
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
    env.globals["count"] = count
    env.filters["posts"] = _post_names
    return env


@jinja2.pass_context
def _post_names(context: Any, doc_ids: Sequence[str]) -> str:
    """Posts by the names people read (the context's ``P``), joined with ", "."""
    names = context.get("P", {})
    return ", ".join(names.get(d, d) for d in doc_ids)


def _template(fmt: str, kind: str) -> jinja2.Template:
    return _environment(fmt).get_template(f"{kind}.{fmt}.j2")


def count(n: int, forms: Sequence[str], labels: dict[str, Any] | None = None) -> str:
    """``n`` with the singular or plural of ``forms`` ([one, many]), as the language wants.

    French puts 0 and 1 in the singular ("0 billet", "1 mention", "2 mentions"); English only 1
    (pass its labels: "0 posts").
    """
    n = int(n)
    zero_plural = bool(labels and labels.get("zero_is_plural"))
    singular = n == 1 or (n == 0 and not zero_plural)
    return f"{n} {forms[0] if singular else forms[1]}"


def _common(labels: dict[str, Any], n_docs: int) -> dict[str, Any]:
    return {
        "L": labels,
        "lang": labels["lang"],
        "footer": labels["footer"].format(
            version=__version__, posts=count(n_docs, labels["posts_counted"], labels)
        ),
    }


def render_event(
    tables: RunTables,
    event_id: str,
    fmt: str,
    labels: dict[str, Any],
    context: dict[str, Any] | None = None,
) -> str:
    """One event's sheet as HTML or Markdown text.

    ``context`` is :func:`event_context`'s result when the caller has it already (it does
    not depend on the format, so one context serves both sheets of an event).
    """
    context = context if context is not None else event_context(tables, event_id, labels)
    return _template(fmt, "event").render(**context, **_common(labels, len(context["doc_ids"])))


def render_index(
    tables: RunTables,
    fmt: str,
    labels: dict[str, Any],
    figures: Mapping[str, bytes] | None = None,
) -> str:
    """The corpus overview as HTML or Markdown text (figures inline in HTML only).

    ``figures`` holds the PNG bytes of the overview's figures when they are drawn already
    (by file stem, as :func:`recap_nlp.output.plots.encode_figures` gives them).
    """
    context = index_context(tables, labels, fmt, figures)
    common = _common(labels, context["counts"]["n_posts"])
    return _template(fmt, "index").render(**context, **common)


def write_factsheets(
    out_dir: Path,
    frames: Mapping[str, pd.DataFrame],
    *,
    lang: str = "fr",
    formats: Sequence[str] = ("html", "md"),
    event_id: str | None = None,
    figures: Mapping[str, bytes] | None = None,
) -> list[Path]:
    """Write one sheet per event and the overview into ``out_dir/factsheets/``.

    Only events with a fact beyond their name get a sheet (:func:`worth_a_sheet`); the
    overview lists them all. Sheets left from an earlier run for events that no longer get
    one are removed, so every file in the folder belongs to this run.

    Args:
        out_dir: folder of a finished run; the sheets go into its ``factsheets/``.
        frames: the run's tables by name (``store.read_tables(out_dir)``).
        lang: "fr" (default) or "en" labels.
        formats: any of "html" and "md".
        event_id: write only this event's sheet (and the overview), worth one or not.
        figures: PNG bytes of the overview's figures by stem ("timeline", "entities") when
            the caller has drawn them already; missing ones are drawn here.

    Raises:
        UnknownEventError: ``event_id`` is not in the run.
        ValueError: an unsupported language or format.

    Returns:
        The paths written, sorted.
    """
    out_dir = Path(out_dir)
    labels = load_labels(lang)
    tables = run_tables(frames)
    event_ids = sheet_event_ids(tables) if event_id is None else [event_id]
    target = out_dir / FACTSHEETS_DIR
    for fmt in formats:
        if fmt not in ("html", "md"):
            raise ValueError(f"unsupported format {fmt!r}: use 'html' or 'md'")
    written = write_event_sheets(target, tables, event_ids, labels, formats)
    return write_index_sheets(target, tables, labels, formats, figures, written, event_id is None)


def sheet_event_ids(tables: RunTables) -> list[str]:
    """The events that get a sheet, sorted (:func:`worth_a_sheet`)."""
    return [e for e in sorted(tables.events["event_id"]) if worth_a_sheet(tables, e)]


def write_event_sheets(
    target: Path,
    tables: RunTables,
    event_ids: Sequence[str],
    labels: dict[str, Any],
    formats: Sequence[str] = ("html", "md"),
) -> list[Path]:
    """Write the sheets of ``event_ids`` into the folder ``target``; the paths written.

    Each event's context is built once for all formats. Writing disjoint lists of events in
    several processes gives the same files as writing them all in one.
    """
    written = []
    for eid in event_ids:
        context = event_context(tables, eid, labels)  # once for both formats
        for fmt in formats:
            path = target / f"{sheet_stem(eid)}.{fmt}"
            write_atomic(path, render_event(tables, eid, fmt, labels, context).encode("utf-8"))
            written.append(path)
    return written


def write_index_sheets(
    target: Path,
    tables: RunTables,
    labels: dict[str, Any],
    formats: Sequence[str],
    figures: Mapping[str, bytes] | None,
    event_sheets: Sequence[Path],
    remove_stale: bool = True,
) -> list[Path]:
    """Write the overview in each format once the event sheets are written; all paths sorted.

    With ``remove_stale``, sheets of ``target`` that are neither the overview nor one of
    ``event_sheets`` (left by an earlier run) are removed.
    """
    written = list(event_sheets)
    for fmt in formats:
        path = target / f"index.{fmt}"
        write_atomic(path, render_index(tables, fmt, labels, figures).encode("utf-8"))
        written.append(path)
        if remove_stale:
            _remove_stale(target, fmt, {p.name for p in written if p.suffix == f".{fmt}"})
    log.info("wrote %d fact sheets into %s", len(written), target)
    return sorted(written)


def _remove_stale(target: Path, fmt: str, keep: set[str]) -> None:
    for path in target.glob(f"*.{fmt}"):
        if path.name not in keep:
            path.unlink(missing_ok=True)
