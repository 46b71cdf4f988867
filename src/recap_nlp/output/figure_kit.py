"""What every figure shares: the palette and style, byte-stable encoding, atomic writes
and the cell parsers (``plots`` and ``event_figures`` draw with it).

Every figure is drawn on a bare ``matplotlib.figure.Figure`` with the Agg canvas (no pyplot,
no global state), with one palette, DejaVu Sans (it has every French accent) and no date in
the file's metadata, so a rerun on the same tables writes the same bytes.
"""

from __future__ import annotations

import io
import json
import logging
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # never open a window, even when imported from a desktop session

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from recap_nlp.output import readable

log = logging.getLogger(__name__)

FIGURES_DIR = "figures"
# Okabe-Ito: distinguishable with the common colour-vision deficiencies and in greyscale.
LABEL_COLOURS: dict[str, str] = {
    "PER": "#0072B2",
    "ORG": "#E69F00",
    "CITY": "#009E73",
    "EVENT": "#CC79A7",
    "LOC": "#56B4E9",
    "MISC": "#999999",
}
SENTIMENT_COLOURS: dict[str, str] = {
    "positive": "#009E73",
    "neutral": "#999999",
    "negative": "#D55E00",
}
ACCENT = "#0072B2"
# The same Okabe-Ito colours, in order, for series without a fixed meaning (themes).
SERIES_COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#999999",
)
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "recap-nlp",  # fixed ids inside the SVG: identical reruns
    "svg.fonttype": "path",
    "savefig.dpi": 120,
}
# Figures with a row per post or per event name each row up to this many; past it the
# per-post figures keep every post in a fixed height without names (they would overlap, and a
# figure one row per post high outgrows what a PNG can hold: 2^16 pixels at about 5,000 posts),
# and the timeline keeps the events most posts speak of.
MAX_NAMED_ROWS = 60
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": "recap-nlp"},
    "svg": {"Date": None, "Creator": "recap-nlp"},
}


@contextmanager
def _style() -> Iterator[None]:
    with matplotlib.rc_context(STYLE):
        yield


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure encoded as ``png`` or ``svg``, without a creation date."""
    buffer = io.BytesIO()
    with _style():
        fig.savefig(
            buffer, format=fmt, metadata=_METADATA[fmt], bbox_inches="tight", pad_inches=0.15
        )
    return buffer.getvalue()


def figure_formats(fig: Figure, formats: Sequence[str] = ("png", "svg")) -> dict[str, bytes]:
    """The figure in several formats from one layout: the same bytes per format as
    :func:`figure_bytes` for PNG; the SVG is laid out at the PNG's resolution.

    ``figure_bytes`` lays the figure out (constrained layout, then the tight box) again for
    every format, which on a figure of many labelled rows costs as much as drawing it. Here
    the layout and the box are computed once, at ``savefig.dpi``, then frozen; an SVG laid
    out at 72 dpi instead places its elements a fraction of a point apart.
    """
    with _style():
        if not isinstance(fig.canvas, FigureCanvasAgg):
            # The Agg canvas kept on the figure keeps its renderer: the layout pass, the tight
            # box and the PNG reuse it instead of a new canvas (and a new pixel buffer) each.
            FigureCanvasAgg(fig)
        fig.set_dpi(matplotlib.rcParams["savefig.dpi"])
        fig.draw_without_rendering()
        box = fig.get_tightbbox().padded(0.15)
        fig.set_layout_engine("none")
        encoded = {}
        for fmt in formats:
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt], bbox_inches=box)
            encoded[fmt] = buffer.getvalue()
    return encoded


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    The temporary name is random (not ``mkstemp``, whose 0600 mode would make the outputs
    unreadable to others): the file gets the usual umask-based permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(temp, "xb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def json_list(cell: object) -> list[Any]:
    """A JSON-array cell as a list ("" or missing → [])."""
    if not isinstance(cell, str) or not cell.strip():
        return []
    value = json.loads(cell)
    return value if isinstance(value, list) else [value]


def parse_partial_date(text: str, *, end: bool = False) -> date | None:
    """An ISO date that may stop at the month or year; ``end`` takes the period's last day.

    Example: ``parse_partial_date("2018-11", end=True)`` → ``date(2018, 11, 30)``; a date
    without a year (ISO "--09-27") cannot be placed on a timeline and gives None.
    """
    if str(text or "").startswith("--"):
        return None
    parts = [int(p) for p in str(text or "").split("-") if p.isdigit()]
    if not parts:
        return None
    if len(parts) >= 3:
        return date(parts[0], parts[1], parts[2])
    if len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        if not end:
            return first
        return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)


def _new_figure(width: float, height: float) -> Figure:
    with _style():
        return Figure(figsize=(width, height), layout="constrained")


def _short(text: str, limit: int = 38) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def post_labels(documents: pd.DataFrame, sentences: pd.DataFrame | None = None) -> dict[str, str]:
    """A short readable label per post: its title, else its first words and date, else its id."""
    return readable.post_labels(documents, sentences, limit=38)
