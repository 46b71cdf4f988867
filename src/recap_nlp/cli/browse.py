"""The commands that read the last run: ``entities``, ``facts``, ``events``, ``conflicts``,
``themes`` (which can refit) and ``sentiment``."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.markup import escape
from rich.padding import Padding

from recap_nlp.cli import terminal
from recap_nlp.cli.common import (
    FormatOption,
    LimitOption,
    OutOption,
    OutputFormat,
    WideOption,
    console,
    errors,
    fail,
    print_frame,
)
from recap_nlp.cli.run import corpus_exists
from recap_nlp.output import readable, store
from recap_nlp.pipeline.config import load_config
from recap_nlp.pipeline.options import RunOptions
from recap_nlp.pipeline.runner import run
from recap_nlp.records import COUNTED_LABELS


def show(
    frame: pd.DataFrame,
    output: OutputFormat,
    wide: bool,
    view: Callable[[pd.DataFrame], terminal.View],
    limit: int = 0,
) -> None:
    """CSV/JSON of every column, or the readable table (``--wide``: every column)."""
    if limit:
        frame = frame.head(limit)
    if output is not OutputFormat.table or wide:
        print_frame(frame, output)
    elif frame.empty:
        console.print("(no rows)")
    else:
        console.print(terminal.render(view(frame)))


def _read_or_exit(out: Path, name: str) -> object:
    if not (out / store.DATABASE_NAME).exists():
        fail(f"no run in {out}; run `recap-nlp run` first")
    return store.read_table(out, name)


def entities(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    label: Annotated[
        str | None, typer.Option(help="Only this label (PER, CITY, ORG, EVENT, LOC, MISC).")
    ] = None,
    limit: LimitOption = 0,
    wide: WideOption = False,
) -> None:
    """Canonical entities of the last run, most mentioned first (LOC and MISC apart)."""
    frame = _frame_or_exit(out, "entities")
    if label:
        frame = frame[frame["label"] == label.upper()]
    frame = frame.assign(_apart=~frame["label"].isin(COUNTED_LABELS))
    frame = frame.sort_values(["_apart", "n_mentions", "canonical"], ascending=[True, False, True])
    show(frame.drop(columns="_apart"), output, wide, terminal.entities_view, limit)


def facts(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    event: Annotated[str | None, typer.Option(help="Only facts of this event id.")] = None,
    attribute: Annotated[str | None, typer.Option(help="Only this attribute.")] = None,
    limit: LimitOption = 0,
    wide: WideOption = False,
) -> None:
    """Facts found in each post, with the event they belong to and their quote."""
    frame = _frame_or_exit(out, "facts")
    if event:
        frame = frame[frame["event_id"] == event]
    if attribute:
        frame = frame[frame["attribute"] == attribute]
    columns = [
        "event_id",
        "attribute",
        "value",
        "value_min",
        "value_max",
        "precision",
        "doc_id",
        "start",
        "end",
        "sentence",
        "extractor",
        "note",
    ]
    frame = frame.sort_values(["event_id", "attribute", "doc_id", "start"])[columns]
    events, posts = _frame_or_exit(out, "events"), _post_labels(out, limit=40)
    if output is not OutputFormat.table or wide:
        print_frame(frame, output, limit)
        return
    if frame.empty:
        console.print("(no facts)")
    for heading, view in terminal.facts_views(frame.head(limit or None), events, posts):
        console.print(heading, soft_wrap=False)
        console.print(terminal.render(view))


def events(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    wide: WideOption = False,
) -> None:
    """Real-world events grouped across posts (ids for --event under each name)."""
    frame = _frame_or_exit(out, "events")
    show(frame, output, wide, lambda f: terminal.events_view(f, console.width))


def conflicts(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    all_rows: Annotated[
        bool, typer.Option("--all", help="Every reconciled attribute, also where sources agree.")
    ] = False,
    wide: WideOption = False,
) -> None:
    """Attributes where posts disagree, every source quoted, and the value chosen and why."""
    frame = _frame_or_exit(out, "reconciled" if all_rows else "conflicts")
    if output is not OutputFormat.table or wide:
        print_frame(frame, output)
        return
    if frame.empty:
        console.print("No conflicting values between sources.")
    names = readable.event_names(_frame_or_exit(out, "events"))
    posts = _post_labels(out)
    for row in frame.itertuples():
        _print_conflict(row, names, posts)


def _print_conflict(row: object, names: dict[str, str], posts: dict[str, str]) -> None:
    get = row.__getattribute__
    chosen = get("chosen") or "none (unresolved)"
    event_id = get("event_id")
    console.print(
        f"[bold]{escape(names.get(event_id, event_id))}[/] [dim]({escape(event_id)})[/] · "
        f"{escape(get('attribute'))} · [yellow]{get('status')}[/] · chosen: {escape(chosen)} "
        f"(confidence {get('confidence'):.2f})",
        soft_wrap=False,
    )
    _indented(f"reason: {escape(get('reason'))}", 2)
    if getattr(row, "basis", ""):
        _indented(f"rests on: {escape(str(get('basis')))}", 2)
    values, docs, quotes = (json.loads(get(k)) for k in ("values", "doc_ids", "quotes"))
    for value, doc_id, quote in zip(values, docs, quotes, strict=False):
        _indented(f"- {escape(value)} · {_post_cell(doc_id, posts)}", 2)
        _indented(f"« {escape(quote)} »", 4)


def _post_cell(doc_id: str, posts: dict[str, str]) -> str:
    label = posts.get(doc_id, doc_id)
    return escape(doc_id) if label == doc_id else f"{escape(label)} [dim]({escape(doc_id)})[/]"


def _indented(text: str, indent: int) -> None:
    """Print rich markup wrapped at word boundaries, every line indented."""
    console.print(Padding(text, (0, 0, 0, indent)), soft_wrap=False)


def _post_labels(out: Path, limit: int = 50) -> dict[str, str]:
    """Post labels (title, else first words and date) of the run in ``out``."""
    return readable.post_labels(
        _frame_or_exit(out, "documents"), _frame_or_exit(out, "sentences"), limit=limit
    )


def _frame_or_exit(out: Path, name: str) -> pd.DataFrame:
    frame = _read_or_exit(out, name)
    assert isinstance(frame, pd.DataFrame)
    return frame


class ThemeMethod(StrEnum):
    nmf = "nmf"
    lda = "lda"


def themes_command(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    keywords: Annotated[
        bool, typer.Option("--keywords", help="Keywords per post instead.")
    ] = False,
    k: Annotated[
        int | None, typer.Option("--k", min=1, help="Refit with K themes (reruns CORPUS, cached).")
    ] = None,
    method: Annotated[
        ThemeMethod | None, typer.Option("--method", help="Refit with nmf or lda.")
    ] = None,
    corpus: Annotated[Path, typer.Option(help="Corpus of the run, for --k/--method.")] = Path(
        "corpus"
    ),
    wide: WideOption = False,
) -> None:
    """Themes with their top terms, representative sentences and posts, share in each post."""
    if k is not None or method is not None:
        _refit_themes(corpus, out, k, method)
    if keywords:
        frame, posts = _frame_or_exit(out, "keywords"), _post_labels(out)
        show(frame, output, wide, lambda f: terminal.keywords_view(f, posts))
        return
    frame = _frame_or_exit(out, "themes")
    shares = _frame_or_exit(out, "doc_themes")
    if output is not OutputFormat.table or wide:
        print_frame(frame, output)
        return
    posts = _post_labels(out, limit=40)
    for row in frame.itertuples():
        console.print(f"[bold]theme {row.theme_id}[/]: {escape(row.label)}")
        terms = ", ".join(json.loads(row.top_terms))
        _indented(f"terms: {escape(terms)}", 2)
        for sentence in json.loads(row.representative_sentences):
            _indented(f"« {escape(sentence)} »", 2)
        if "representative_posts" in frame.columns:
            _indented(f"posts: {escape(', '.join(json.loads(row.representative_posts)))}", 2)
        mine = shares[shares["theme_id"] == row.theme_id].sort_values("share", ascending=False)
        line = terminal.share_line(list(mine.doc_id), list(mine.share), posts)
        _indented(f"share: {escape(line)}", 2)


def _refit_themes(corpus: Path, out: Path, k: int | None, method: ThemeMethod | None) -> None:
    """Run CORPUS again into OUT with other theme settings (unchanged posts come from the cache)."""
    if not corpus_exists(corpus):
        fail(f"no such corpus: {corpus}")
    options = RunOptions.from_settings(
        load_config(None), n_themes=k, theme_method=method.value if method else None
    )
    try:
        result = run(corpus, out, options)
    except store.OutputLockedError as error:
        fail(str(error))
    for note in result.notes:
        errors.print(f"[dim]{escape(note)}[/]")


def sentiment(
    out: OutOption = Path("outputs"),
    output: FormatOption = OutputFormat.table,
    by_entity: Annotated[
        bool, typer.Option("--entities", help="Rank entities instead of posts.")
    ] = False,
    limit: LimitOption = 0,
    wide: WideOption = False,
) -> None:
    """Posts (or entities) ranked by sentiment, with the sentences that drive each score."""
    if by_entity:
        frame = _frame_or_exit(out, "entity_sentiment")
        frame = frame[frame["entity_label"].isin(COUNTED_LABELS)]
        frame = frame.sort_values(["polarity", "entity"], ascending=[False, True])
        show(frame, output, wide, terminal.entity_sentiment_view, limit)
        return
    frame = _frame_or_exit(out, "doc_sentiment").sort_values("polarity", ascending=False)
    posts = _post_labels(out, limit=60)
    show(frame, output, wide, lambda f: terminal.doc_sentiment_view(f, posts), limit)
