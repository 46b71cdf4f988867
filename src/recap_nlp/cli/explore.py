"""The exploration commands, ``concordance`` and ``keyness`` (``cli.main`` registers them)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from recap_nlp.cli import terminal
from recap_nlp.cli.common import (
    FormatOption,
    LimitOption,
    OutOption,
    OutputFormat,
    console,
    fail,
    print_frame,
)
from recap_nlp.output import explore, store
from recap_nlp.output.readable import plural, shorten


def _need_run(out: Path) -> None:
    if not (out / store.DATABASE_NAME).exists():
        fail(f"no run in {out}; run `recap-nlp run` first")


def concordance(
    query: Annotated[str, typer.Argument(help="A word (numéri* for any ending) or an entity.")],
    out: OutOption = Path("outputs"),
    width: Annotated[int, typer.Option(min=5, help="Characters of context each side.")] = 40,
    post: Annotated[str | None, typer.Option(help="Only this post (doc id).")] = None,
    output: FormatOption = OutputFormat.table,
    limit: LimitOption = 0,
) -> None:
    """Every occurrence of QUERY with its left and right context, post and offset.

    An entity's canonical name lists all its mentions, whatever their spelling.
    """
    _need_run(out)
    frame = explore.concordance(out, query, width=width, post=post)
    if limit:
        frame = frame.head(limit)
    if output is not OutputFormat.table:
        print_frame(frame, output)
        return
    if frame.empty:
        console.print(f"no occurrence of {escape(query)!s}")
        return
    entity = frame["entity"].iloc[0]
    what = f"entity {entity} (every spelling)" if entity else "text"
    console.print(
        f"{plural(len(frame), 'occurrence')} of {escape(query)} ({escape(what)})", soft_wrap=False
    )
    longest = int(frame["match"].str.len().max())
    side = max(8, min(width, (console.width - longest - 30) // 2))
    table = Table(box=None, pad_edge=False, show_header=True)
    table.add_column("post", no_wrap=True, overflow="ellipsis", max_width=18)
    table.add_column("offset", justify="right", no_wrap=True)
    table.add_column("left", justify="right", no_wrap=True)
    table.add_column("match", no_wrap=True)
    table.add_column("right", no_wrap=True)
    for row in frame.itertuples():
        left = row.left[-side:]
        right = row.right[:side]
        table.add_row(
            escape(shorten(row.post, 18)),
            str(row.start),
            escape(left),
            f"[bold]{escape(row.match)}[/]",
            escape(right),
        )
    console.print(table)


def keyness(
    out: OutOption = Path("outputs"),
    post: Annotated[str | None, typer.Option(help="The post to characterise (doc id).")] = None,
    group: Annotated[
        str | None,
        typer.Option(help="Posts FIELD=VALUE: published=2018, author=..., event=EVENT_ID."),
    ] = None,
    top: Annotated[int, typer.Option(min=0, help="Terms to show (0: all significant).")] = 20,
    lemmas: Annotated[bool, typer.Option(help="Lemmas instead of word forms.")] = False,
    output: FormatOption = OutputFormat.table,
    figure: Annotated[
        bool, typer.Option("--figure/--no-figure", help="Also draw OUT/figures/keyness-*.png.")
    ] = True,
) -> None:
    """Words over-represented in a post or group of posts against the rest (log-likelihood)."""
    _need_run(out)
    if bool(post) == bool(group):
        fail("give either --post ID or --group FIELD=VALUE")
    try:
        frame = explore.keyness(out, post=post, group=group, top=top, lemmas=lemmas)
    except ValueError as error:
        fail(str(error))
    target = post or str(group)
    if output is not OutputFormat.table:
        print_frame(frame, output)
    else:
        console.print(
            f"{plural(len(frame), 'term')} specific to {escape(target)} "
            "(G² ≥ 3.84: p < 0.05; counts and rates per 10,000 words, target vs the rest)",
            soft_wrap=False,
        )
        console.print(terminal.render(terminal.keyness_view(frame)))
    if figure:
        path = _write_keyness_figure(out, frame, target)
        if output is OutputFormat.table:
            console.print(f"figure: {escape(str(path))}", soft_wrap=False)


def _write_keyness_figure(out: Path, frame, target: str) -> Path:  # type: ignore[no-untyped-def]
    # Imported here: the other commands never load matplotlib.
    from recap_nlp.output import figure_kit, plots
    from recap_nlp.output.factsheet import sheet_stem

    path = out / figure_kit.FIGURES_DIR / f"keyness-{sheet_stem(target)}.png"
    figure_kit.write_atomic(
        path, figure_kit.figure_bytes(plots.keyness_figure(frame, target), "png")
    )
    return path
