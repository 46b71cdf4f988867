"""Figures of a finished run, as PNG and SVG files people can paste into a report.

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
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # never open a window, even when imported from a desktop session

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
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


def entities_figure(entities: pd.DataFrame, top: int = 15) -> Figure:
    """Bars of entities per type, and of the most mentioned entities coloured by type."""
    with _style():
        fig = _new_figure(10, 4.8)
        left, right = fig.subplots(1, 2, width_ratios=(1, 2))
        counts = entities.groupby("label").size().sort_values(ascending=False)
        colours = [LABEL_COLOURS.get(str(label), "#999999") for label in counts.index]
        left.bar([str(x) for x in counts.index], counts.to_numpy(), color=colours)
        left.set_title("Entités distinctes par type")
        left.set_ylabel("entités")
        best = entities.sort_values(["n_mentions", "canonical"], ascending=[False, True]).head(top)
        best = best.iloc[::-1]
        _hbars(
            right,
            [
                f"{_short(c, 30)} ({lab})"
                for c, lab in zip(best["canonical"], best["label"], strict=True)
            ],
            best["n_mentions"].astype(int).to_numpy(),
            [LABEL_COLOURS.get(str(label), "#999999") for label in best["label"]],
        )
        right.set_title(f"Les {len(best)} entités les plus mentionnées (couleur = type)")
        right.set_xlabel("mentions dans le corpus")
        _label_legend(right, best["label"])
    return fig


def _hbars(ax: Axes, names: Sequence[str], values: Any, colours: Sequence[str]) -> None:
    """Horizontal bars at numeric positions: two entities with the same name stay two bars."""
    positions = np.arange(len(names))
    ax.barh(positions, values, color=list(colours))
    ax.set_yticks(positions, list(names))


def _label_legend(ax: Axes, labels: Iterable[object]) -> None:
    from matplotlib.patches import Patch

    present = sorted({str(label) for label in labels})
    handles = [Patch(color=LABEL_COLOURS.get(label, "#999999"), label=label) for label in present]
    if handles:
        ax.legend(handles=handles, loc="lower right", frameon=False, fontsize=8)


def cooccurrence_edges(mentions: pd.DataFrame) -> Counter[tuple[str, str]]:
    """How many sentences mention each pair of distinct entities together."""
    edges: Counter[tuple[str, str]] = Counter()
    named = mentions[mentions["entity_id"].fillna("") != ""]
    for _, group in named.groupby(["doc_id", "sentence_start"]):
        ids = sorted(set(group["entity_id"]))
        edges.update(combinations(ids, 2))
    return edges


def circular_layout(n: int) -> np.ndarray:
    """``n`` points evenly spaced on the unit circle, the first one at the top."""
    angles = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    return np.column_stack([np.cos(angles), np.sin(angles)])


def network_figure(mentions: pd.DataFrame, entities: pd.DataFrame, top: int = 24) -> Figure:
    """Entities mentioned in the same sentence, on a circle grouped by type."""
    edges = cooccurrence_edges(mentions)
    degree: Counter[str] = Counter()
    for (a, b), weight in edges.items():
        degree[a] += weight
        degree[b] += weight
    info = entities.set_index("entity_id")
    chosen = sorted(degree, key=lambda e: (-degree[e], e))[:top]
    chosen.sort(key=lambda e: (str(info.at[e, "label"]), str(info.at[e, "canonical"]).lower()))
    with _style():
        fig = _new_figure(9, 7)
        ax = fig.subplots()
        ax.set_title(f"Entités citées dans une même phrase ({len(chosen)} plus connectées)")
        ax.set_axis_off()
        ax.set_aspect("equal")
        if not chosen:
            ax.text(0.5, 0.5, "aucune paire d’entités", ha="center", transform=ax.transAxes)
            return fig
        _draw_network(ax, chosen, edges, info)
        _label_legend(ax, info.loc[chosen, "label"])
    return fig


def _draw_network(
    ax: Axes, nodes: Sequence[str], edges: Mapping[tuple[str, str], int], info: pd.DataFrame
) -> None:
    position = dict(zip(nodes, circular_layout(len(nodes)), strict=True))
    heaviest = max((w for (a, b), w in edges.items() if a in position and b in position), default=1)
    for (a, b), weight in sorted(edges.items()):
        if a in position and b in position:
            (x0, y0), (x1, y1) = position[a], position[b]
            ax.plot(
                [x0, x1],
                [y0, y1],
                color="#555555",
                alpha=0.25 + 0.5 * weight / heaviest,
                linewidth=0.5 + 3 * weight / heaviest,
                zorder=1,
            )
    for node in nodes:
        x, y = position[node]
        size = 40 + 25 * float(info.at[node, "n_mentions"])
        colour = LABEL_COLOURS.get(str(info.at[node, "label"]), "#999999")
        ax.scatter([x], [y], s=min(size, 600), color=colour, edgecolor="white", zorder=2)
        ax.text(
            1.12 * x,
            1.12 * y,
            _short(str(info.at[node, "canonical"]), 26),
            ha="left" if x >= 0 else "right",
            va="center",
            fontsize=8,
        )
    ax.set_xlim(-1.75, 1.75)
    ax.set_ylim(-1.2, 1.2)


def timeline_figure(events: pd.DataFrame, documents: pd.DataFrame) -> Figure:
    """Dated events as bars (label: number of source posts) and posts' publication dates."""
    rows = _dated_events(events)
    with _style():
        fig = _new_figure(10, 1.4 + 0.45 * (len(rows) + 1))
        ax = fig.subplots()
        ax.set_title("Événements datés et nombre de billets qui en parlent")
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


def sentiment_figure(
    doc_sentiment: pd.DataFrame,
    entity_sentiment: pd.DataFrame,
    labels: Mapping[str, str],
    top: int = 15,
) -> Figure:
    """Polarity of each post, and of the entities with the most scored sentences."""
    with _style():
        fig = _new_figure(11, 5.2)
        fig.suptitle(
            "Tonalité des billets et des entités (de −1 négatif à +1 positif)", fontweight="bold"
        )
        left, right = fig.subplots(1, 2)
        posts = doc_sentiment.sort_values("doc_id", ascending=False)
        _polarity_bars(left, [labels.get(d, d) for d in posts["doc_id"]], posts)
        left.set_title("Par billet")
        best = entity_sentiment.sort_values(["n_sentences", "entity"], ascending=[False, True])
        best = best.head(top).iloc[::-1]
        names = [
            f"{_short(e, 26)} ({lab}, {n})"
            for e, lab, n in zip(
                best["entity"], best["entity_label"], best["n_sentences"], strict=True
            )
        ]
        _polarity_bars(right, names, best)
        right.set_title(f"Autour des {len(best)} entités les plus citées")
        right.set_xlabel("polarité moyenne (entre parenthèses : type, nombre de phrases)")
    return fig


def _polarity_bars(ax: Axes, names: Sequence[str], frame: pd.DataFrame) -> None:
    values = frame["polarity"].astype(float).to_numpy()
    colours = [SENTIMENT_COLOURS.get(str(label), "#999999") for label in frame["label"]]
    _hbars(ax, names, values, colours)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlim(-1, 1)


def themes_figure(
    doc_themes: pd.DataFrame, themes: pd.DataFrame, labels: Mapping[str, str]
) -> Figure:
    """Stacked bars: the share of each theme in each post."""
    names = {int(r.theme_id): _short(f"{r.theme_id}: {r.label}", 40) for r in themes.itertuples()}
    table = doc_themes.pivot_table(
        index="doc_id", columns="theme_id", values="share", aggfunc="sum", fill_value=0.0
    ).sort_index(ascending=False)
    with _style():
        fig = _new_figure(10, 1.6 + 0.45 * len(table))
        ax = fig.subplots()
        left = np.zeros(len(table))
        for i, theme in enumerate(table.columns):
            share = table[theme].to_numpy(dtype=float)
            ax.barh(
                [labels.get(d, d) for d in table.index],
                share,
                left=left,
                color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                label=names.get(int(theme), str(theme)),
            )
            left += share
        ax.set_yticks(np.arange(len(table)), [labels.get(d, d) for d in table.index])
        ax.set_title("Part de chaque thème dans chaque billet")
        ax.set_xlabel("part du billet")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2, frameon=False)
    return fig


def theme_matrix_figure(
    doc_themes: pd.DataFrame, themes: pd.DataFrame, labels: Mapping[str, str]
) -> Figure:
    """Heat map of the theme–post matrix: each post's share of each theme, posts by main theme."""
    table = doc_themes.pivot_table(
        index="doc_id", columns="theme_id", values="share", aggfunc="sum", fill_value=0.0
    )
    order = sorted(table.index, key=lambda d: (int(table.loc[d].to_numpy().argmax()), d))
    table = table.loc[order]
    names = {int(r.theme_id): _short(f"{r.theme_id}: {r.label}", 30) for r in themes.itertuples()}
    with _style():
        fig = _new_figure(2.5 + 0.6 * len(table.columns), 2.0 + 0.3 * len(table))
        ax = fig.subplots()
        image = ax.imshow(table.to_numpy(dtype=float), cmap="Blues", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(
            np.arange(len(table.columns)),
            [names.get(int(t), str(t)) for t in table.columns],
            rotation=40,
            ha="right",
        )
        ax.set_yticks(np.arange(len(table)), [labels.get(d, d) for d in table.index])
        ax.set_title("Matrice thèmes × billets (part de chaque thème)")
        fig.colorbar(image, ax=ax, fraction=0.03)
    return fig


def keyness_figure(frame: pd.DataFrame, title: str, top: int = 20) -> Figure:
    """Bars of the log-likelihood of the most specific terms (label: target/reference counts)."""
    best = frame.head(top).iloc[::-1]
    with _style():
        fig = _new_figure(8, 1.2 + 0.28 * max(len(best), 1))
        ax = fig.subplots()
        ax.set_title(_short(f"Mots spécifiques : {title}", 80))
        if best.empty:
            ax.text(0.5, 0.5, "aucun mot significatif", ha="center", transform=ax.transAxes)
            ax.set_axis_off()
            return fig
        names = [
            f"{t} ({a}/{b})"
            for t, a, b in zip(best["term"], best["target"], best["reference"], strict=True)
        ]
        _hbars(ax, names, best["log_likelihood"].astype(float).to_numpy(), [ACCENT] * len(best))
        ax.axvline(3.84, color="#D55E00", linewidth=0.8, linestyle="--")
        ax.set_xlabel(
            "log-vraisemblance G² (tirets : p = 0,05) — entre parenthèses : "
            "occurrences dans la cible / dans le reste"
        )
    return fig


def run_figures(tables: Mapping[str, pd.DataFrame]) -> dict[str, Figure]:
    """Every figure a run's tables (``store.read_tables``) allow, by file stem."""
    documents = tables["documents"]
    entities = tables["entities"]
    labels = post_labels(documents, tables["sentences"])
    figures = {
        "entities": entities_figure(entities),
        "network": network_figure(tables["mentions"], entities),
        "timeline": timeline_figure(tables["events"], documents),
    }
    doc_sent = tables.get("doc_sentiment")
    ent_sent = tables.get("entity_sentiment")
    if doc_sent is not None and ent_sent is not None:
        figures["sentiment"] = sentiment_figure(doc_sent, ent_sent, labels)
    doc_themes = tables.get("doc_themes")
    themes = tables.get("themes")
    if doc_themes is not None and themes is not None and len(doc_themes):
        figures["themes"] = themes_figure(doc_themes, themes, labels)
        figures["theme_matrix"] = theme_matrix_figure(doc_themes, themes, labels)
    return figures


def write_figures(out_dir: Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    """Draw the figures of a run's ``tables`` into ``out_dir/figures/`` as PNG and SVG.

    Returns:
        The paths written.
    """
    out_dir = Path(out_dir)
    written: list[Path] = []
    for stem, fig in run_figures(tables).items():
        for fmt in ("png", "svg"):
            path = out_dir / FIGURES_DIR / f"{stem}.{fmt}"
            write_atomic(path, figure_bytes(fig, fmt))
            written.append(path)
    log.info("wrote %d figure files into %s", len(written), out_dir / FIGURES_DIR)
    return written
