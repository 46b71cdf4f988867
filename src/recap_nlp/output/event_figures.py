"""The event figures: the corpus timeline of dated events and the per-event SVG timeline
of a fact sheet."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")  # never open a window, even when imported from a desktop session

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from recap_nlp.output import readable
from recap_nlp.output.figure_kit import (
    ACCENT,
    MAX_NAMED_ROWS,
    _new_figure,
    _short,
    _style,
    json_list,
    parse_partial_date,
)

log = logging.getLogger(__name__)


def timeline_figure(events: pd.DataFrame, documents: pd.DataFrame) -> Figure:
    """Dated events as bars (label: number of source posts) and posts' publication dates."""
    rows = _dated_events(events)
    title = "Événements datés et nombre de billets qui en parlent"
    if len(rows) > MAX_NAMED_ROWS:
        title += f" ({MAX_NAMED_ROWS} sur {len(rows)} : ceux des plus de billets)"
        kept = sorted(rows, key=lambda r: (-r[3], r[1], r[0]))[:MAX_NAMED_ROWS]
        rows = sorted(kept, key=lambda r: (r[1], r[0]))
    with _style():
        fig = _new_figure(10, 1.4 + 0.45 * (len(rows) + 1))
        ax = fig.subplots()
        ax.set_title(title)
        for y, (_, start, end, n_docs) in enumerate(rows):
            width = max((end - start).days + 1, 3)
            ax.barh(y, width, left=mdates.date2num(start), height=0.5, color=ACCENT)
            ax.text(
                mdates.date2num(start) + width + 8,
                y,
                readable.plural(n_docs, "billet"),
                va="center",
                fontsize=8,
            )
        published = [parse_partial_date(p) for p in documents["published"].fillna("")]
        dots = [mdates.date2num(d) for d in published if d is not None]
        ax.scatter(dots, [len(rows)] * len(dots), marker="|", s=200, color="#D55E00")
        ax.set_yticks(range(len(rows) + 1), [_short(r[0], 34) for r in rows] + ["billets publiés"])
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))
        ax.grid(axis="x", alpha=0.3)
    return fig


def _dated_events(events: pd.DataFrame) -> list[tuple[str, date, date, int]]:
    rows = []
    for row in events.itertuples():
        start = parse_partial_date(row.start_date)
        end = parse_partial_date(row.end_date or row.start_date, end=True)
        if start is not None and end is not None:
            name = readable.event_display_name(row)
            rows.append((name, start, end, len(json_list(row.doc_ids))))
    return sorted(rows, key=lambda r: (r[1], r[0]))


def event_timeline_svg(
    start_date: str, end_date: str, posts: Sequence[tuple[str, str]], width: int = 640
) -> str | None:
    """A small vector strip: the event's dates and the publication date of each source post.

    Written as SVG text directly (no matplotlib): a sheet per event costs microseconds, and
    the same inputs give the same bytes.

    Args:
        start_date: ISO start ("2017-06-03", "2018-11" or "").
        end_date: ISO end, "" when it is the start.
        posts: (label, ISO publication date) of each source post; labels are escaped.
        width: of the drawing, in pixels.

    Returns:
        SVG text, or None when neither the event nor any post is dated.
    """
    start = parse_partial_date(start_date)
    end = parse_partial_date(end_date or start_date, end=True)
    dated = [(label, d) for label, p in posts if (d := parse_partial_date(p)) is not None]
    if start is None and not dated:
        return None
    days = [d for d in (start, end) if d is not None] + [d for _, d in dated]
    low, high = min(days) - timedelta(days=3), max(days) + timedelta(days=3)
    span = max((high - low).days, 1)
    left, right = 230, width - 20

    def x(day: date) -> float:
        return round(left + (right - left) * (day - low).days / span, 1)

    row, top = 18, 12
    height = top + row * (len(dated) + 1) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    if start is not None and end is not None:
        x0, x1 = x(start), max(x(end + timedelta(days=1)), x(start) + 4)
        parts.append(
            f'<rect x="{x0}" y="{top}" width="{round(x1 - x0, 1)}" height="{row - 6}" '
            f'fill="{ACCENT}"/>'
        )
    for i, (label, day) in enumerate(dated, start=1):
        y = top + row * i + 6
        cx = x(day)
        parts.append(
            f'<path d="M{cx - 5},{y - 5} L{cx + 5},{y - 5} L{cx},{y + 4} Z" fill="#D55E00"/>'
        )
        parts.append(
            f'<text x="{left - 8}" y="{y + 3}" text-anchor="end">{_xml(_short(label, 34))}</text>'
        )
    axis = top + row * (len(dated) + 1) + 4
    parts.append(f'<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="#333333"/>')
    for tick in _ticks(low, high):
        parts.append(
            f'<text x="{x(tick)}" y="{axis + 16}" text-anchor="middle" fill="#333333">'
            f"{tick.strftime('%d/%m/%Y')}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _ticks(low: date, high: date, n: int = 3) -> list[date]:
    """``n`` evenly spaced dates inside [low, high] (both ends kept off the edge)."""
    span = (high - low).days
    if span < 6:
        return [low + timedelta(days=span // 2)]
    return [low + timedelta(days=round(span * (i + 0.5) / n)) for i in range(n)]


def _xml(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
