"""The ``factsheet`` command, and the line saying where a run's reports are."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from recap_nlp.cli.common import (
    OutOption,
    console,
    fail,
)
from recap_nlp.output import store


class SheetFormat(StrEnum):
    html = "html"
    md = "md"


class SheetLang(StrEnum):
    fr = "fr"
    en = "en"


def factsheet_command(
    out: OutOption = Path("outputs"),
    event: Annotated[
        str | None, typer.Option("--event", help="Only this event id (see recap-nlp events).")
    ] = None,
    sheet_format: Annotated[
        SheetFormat | None, typer.Option("--format", "-f", help="html or md (default: both).")
    ] = None,
    lang: Annotated[SheetLang, typer.Option("--lang", help="Labels: fr or en.")] = SheetLang.fr,
    figures: Annotated[
        bool, typer.Option("--figures/--no-figures", help="Also draw the figures.")
    ] = True,
) -> None:
    """Write a fact sheet per event and a corpus overview into OUT/factsheets/."""
    # Imported here: the other commands (a run without reports) never load matplotlib.
    from recap_nlp.output.factsheet import UnknownEventError, write_factsheets
    from recap_nlp.output.plots import write_figures

    if not (out / store.DATABASE_NAME).exists():
        fail(f"no run in {out}: run `recap-nlp run` first")
    formats = (sheet_format.value,) if sheet_format else ("html", "md")
    try:
        with store.output_lock(out):  # a run cannot swap the tables away meanwhile
            tables = store.read_tables(out)
            paths = write_factsheets(out, tables, lang=lang.value, formats=formats, event_id=event)
            if figures:
                paths += write_figures(out, tables)
    except UnknownEventError:
        fail(f"no event {event!r} in {out} (see `recap-nlp events --out {out}`)")
    except (store.OutputLockedError, store.OutputFolderError) as error:
        fail(str(error))
    for path in paths:
        console.print(escape(str(path)))


def print_reports(out: Path) -> None:
    """Where the fact sheets and figures of the run just written are (swapped in with it)."""
    sheets = sorted((out / "factsheets").glob("*.*"))
    drawn = sorted((out / "figures").glob("*.*"))
    console.print(
        f"fact sheets: {escape(str(out / 'factsheets'))} ({len(sheets)} files), "
        f"figures: {escape(str(out / 'figures'))} ({len(drawn)} files)"
    )
