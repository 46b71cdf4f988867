"""The reports of a run: fact sheets and figures, drawn from its tables read once."""

from __future__ import annotations

from pathlib import Path

from recap_nlp.output import store


def write_reports(out_dir: Path) -> list[Path]:
    """Fact sheets and figures of the run whose database is in ``out_dir``; the paths written.

    The figures are drawn once: the overview sheet embeds the PNGs written to ``figures/``.
    matplotlib and Jinja are imported here, not with the module: a run without reports
    never loads them (about half a second of start-up).
    """
    from recap_nlp.output.factsheet import write_factsheets
    from recap_nlp.output.plots import encode_figures, write_figures

    tables = store.read_tables(out_dir)
    figures = encode_figures(tables)
    pngs = {stem: formats["png"] for stem, formats in figures.items()}
    return write_factsheets(out_dir, tables, figures=pngs) + write_figures(out_dir, tables, figures)
