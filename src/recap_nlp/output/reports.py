"""The reports of a run: fact sheets and figures, drawn from its tables read once.

With several workers the figures and the event sheets are drawn in forked worker processes
(each figure a task, the events in slices), the overview last in this process since it embeds
two of the figures: the same files as drawn in one process, in less time when cores are free.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recap_nlp.output import store
from recap_nlp.parallel import can_fork, fork_map

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

# Slices of events per worker: enough that a slow slice does not leave the others idle.
SLICES_PER_WORKER = 4


def write_reports(out_dir: Path, workers: int = 1) -> list[Path]:
    """Fact sheets and figures of the run whose database is in ``out_dir``; the paths written.

    The figures are drawn once: the overview sheet embeds the PNGs written to ``figures/``.
    With ``workers`` > 1 (and processes that can fork), they and the event sheets are drawn
    in that many worker processes. matplotlib and Jinja are imported here, not with the
    module: a run without reports never loads them (about half a second of start-up).
    """
    from recap_nlp.output.factsheet import write_factsheets
    from recap_nlp.output.plots import encode_figures, write_figures

    tables = store.read_tables(out_dir)
    if workers > 1 and can_fork():
        return _write_in_workers(Path(out_dir), tables, workers)
    figures = encode_figures(tables)
    pngs = {stem: formats["png"] for stem, formats in figures.items()}
    return write_factsheets(out_dir, tables, figures=pngs) + write_figures(out_dir, tables, figures)


def _write_in_workers(
    out_dir: Path, frames: Mapping[str, pd.DataFrame], workers: int
) -> list[Path]:
    from recap_nlp.output import factsheet
    from recap_nlp.output.plots import figure_makers, write_figures

    labels = factsheet.load_labels("fr")
    tables = factsheet.run_tables(frames)
    event_ids = factsheet.sheet_event_ids(tables)
    target = out_dir / factsheet.FACTSHEETS_DIR
    stems = list(figure_makers(frames))
    tasks: list[tuple[str, Any]] = [("figure", stem) for stem in stems]
    tasks += [("sheets", part) for part in _slices(event_ids, workers * SLICES_PER_WORKER)]
    shared = {"frames": frames, "tables": tables, "labels": labels, "target": target}
    figures: dict[str, dict[str, bytes]] = {}
    sheets: list[Path] = []
    for kind, value in fork_map(_run_task, tasks, workers, shared):
        if kind == "figure":
            figures[value[0]] = value[1]
        else:
            sheets += value
    figures = {stem: figures[stem] for stem in stems}  # in the one-process order
    pngs = {stem: formats["png"] for stem, formats in figures.items()}
    written = factsheet.write_index_sheets(target, tables, labels, ("html", "md"), pngs, sheets)
    log.info("reports drawn in %d worker processes", min(workers, len(tasks)))
    return written + write_figures(out_dir, frames, figures)


def _slices(items: Sequence[str], n: int) -> list[list[str]]:
    """``items`` in at most ``n`` consecutive slices of near-equal length (none empty)."""
    size = max(1, -(-len(items) // max(n, 1)))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _run_task(shared: Mapping[str, Any], task: tuple[str, Any]) -> tuple[str, Any]:
    """One worker task: a figure encoded (by stem), or the sheets of a slice of events."""
    from recap_nlp.output import factsheet
    from recap_nlp.output.figure_kit import figure_formats
    from recap_nlp.output.plots import figure_makers

    kind, value = task
    if kind == "figure":
        fig = figure_makers(shared["frames"])[value]()
        return kind, (value, figure_formats(fig))
    paths = factsheet.write_event_sheets(
        shared["target"], shared["tables"], value, shared["labels"]
    )
    return kind, paths
