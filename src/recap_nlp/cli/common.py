"""What every ``recap-nlp`` command shares: the app, the consoles, options and printing.

Exit codes: 0 all went well, 1 some inputs were skipped, 2 usage error (bad option,
missing corpus, output folder in use).
"""

from __future__ import annotations

import json
import logging
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape

from recap_nlp.cli import terminal

app = typer.Typer(
    help="Facts people can trust from French blog recaps.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE = 0, 1, 2


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


OutOption = Annotated[Path, typer.Option("--out", "-o", help="Output folder of a run.")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table, csv or json.")]
LimitOption = Annotated[int, typer.Option("--limit", "-n", help="Rows to print (0: all).")]
WideOption = Annotated[
    bool, typer.Option("--wide", help="Every column of the table (default: the key ones).")
]


def fail(message: str) -> NoReturn:
    """Print a usage error (text from files is escaped, never read as markup) and exit 2."""
    errors.print(f"[red]error:[/] {escape(message)}")
    raise typer.Exit(EXIT_USAGE)


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each stage.")] = False,
) -> None:
    """Read French recap posts and turn them into entities, facts, themes and sentiment."""
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, format="%(message)s")
    _fit_terminal()


def _fit_terminal() -> None:
    """Follow ``COLUMNS`` when it is set (rich reads it only once, at start-up)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        console.width = int(columns)


def print_frame(frame: object, output: OutputFormat, limit: int = 0) -> None:
    """Print a pandas DataFrame as CSV, JSON or (every column) a wrapped rich table."""
    assert isinstance(frame, pd.DataFrame)
    if limit:
        frame = frame.head(limit)
    if output is OutputFormat.csv:
        console.print(frame.to_csv(index=False), end="", markup=False, highlight=False)
    elif output is OutputFormat.json:
        rows = json.loads(frame.to_json(orient="records", force_ascii=False))
        console.print_json(json.dumps(rows, ensure_ascii=False))
    else:
        console.print(terminal.render(terminal.wide_view(frame)))
