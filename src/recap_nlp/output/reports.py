"""The reports of a run: fact sheets and figures, drawn from its tables read once."""

from __future__ import annotations

from pathlib import Path

from recap_nlp.output import store
from recap_nlp.output.factsheet import write_factsheets
from recap_nlp.output.plots import write_figures


def write_reports(out_dir: Path) -> list[Path]:
    """Fact sheets and figures of the run whose database is in ``out_dir``; the paths written."""
    tables = store.read_tables(out_dir)
    return write_factsheets(out_dir, tables) + write_figures(out_dir, tables)
