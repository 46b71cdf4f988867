"""Figures of a finished run, as PNG and SVG files people can paste into a report.

The corpus figures (entities, co-occurrence network, sentiment, themes, keyness) are drawn
here, the event timelines in ``event_figures``, with the style and encoders of ``figure_kit``.
Every figure is drawn on a bare ``matplotlib.figure.Figure`` with the Agg canvas (no pyplot,
no global state), with one palette, DejaVu Sans (it has every French accent) and no date in
the file's metadata, so a rerun on the same tables writes the same bytes.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # never open a window, even when imported from a desktop session

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from recap_nlp.output.event_figures import (
    timeline_figure,
)
from recap_nlp.output.figure_kit import (
    ACCENT,
    FIGURES_DIR,
    LABEL_COLOURS,
    MAX_NAMED_ROWS,
    SENTIMENT_COLOURS,
    SERIES_COLOURS,
    _new_figure,
    _short,
    _style,
    figure_formats,
    post_labels,
    write_atomic,
)

log = logging.getLogger(__name__)


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
    # the entities of each sentence, gathered in one pass (a pandas group per sentence costs
    # more than its pairs); a sentence without a post or an offset is left out, as groupby does
    members: dict[tuple[Any, Any], set[str]] = {}
    for doc_id, start, entity_id in zip(
        named["doc_id"], named["sentence_start"], named["entity_id"], strict=True
    ):
        if not (pd.isna(doc_id) or pd.isna(start)):
            members.setdefault((doc_id, start), set()).add(entity_id)
    for key in sorted(members):  # groupby's order
        edges.update(combinations(sorted(members[key]), 2))
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
        if len(posts) > MAX_NAMED_ROWS:
            _unnamed_rows(left, len(posts), "doc_sentiment")
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


def _unnamed_rows(ax: Axes, n_rows: int, table: str) -> None:
    """Rows too many to name: no tick labels, the count and where the names are instead."""
    ax.set_yticks([])
    ax.set_ylabel(f"{n_rows} billets, un par ligne (noms : tables/{table}.csv)")


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
    named = len(table) <= MAX_NAMED_ROWS
    with _style():
        fig = _new_figure(10, 1.6 + 0.45 * min(len(table), MAX_NAMED_ROWS))
        ax = fig.subplots()
        left = np.zeros(len(table))
        rows = np.arange(len(table))
        for i, theme in enumerate(table.columns):
            share = table[theme].to_numpy(dtype=float)
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            label = names.get(int(theme), str(theme))
            if named:
                ax.barh(
                    [labels.get(d, d) for d in table.index],
                    share,
                    left=left,
                    color=colour,
                    label=label,
                )
            else:  # one band per theme, a step per post: the same picture in one shape
                ax.fill_betweenx(
                    rows, left, left + share, step="mid", color=colour, label=label, lw=0
                )
            left += share
        if named:
            ax.set_yticks(rows, [labels.get(d, d) for d in table.index])
        else:
            _unnamed_rows(ax, len(table), "doc_themes")
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
        height = 2.0 + 0.3 * min(len(table), MAX_NAMED_ROWS)
        fig = _new_figure(2.5 + 0.6 * len(table.columns), height)
        ax = fig.subplots()
        image = ax.imshow(table.to_numpy(dtype=float), cmap="Blues", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(
            np.arange(len(table.columns)),
            [names.get(int(t), str(t)) for t in table.columns],
            rotation=40,
            ha="right",
        )
        if len(table) <= MAX_NAMED_ROWS:
            ax.set_yticks(np.arange(len(table)), [labels.get(d, d) for d in table.index])
        else:
            _unnamed_rows(ax, len(table), "doc_themes")
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


def figure_makers(tables: Mapping[str, pd.DataFrame]) -> dict[str, Callable[[], Figure]]:
    """What draws each figure a run's tables (``store.read_tables``) allow, by file stem.

    Nothing is drawn until a maker is called: the reports can draw each figure in a
    different worker process.
    """
    documents = tables["documents"]
    entities = tables["entities"]
    labels = post_labels(documents, tables["sentences"])
    makers: dict[str, Callable[[], Figure]] = {
        "entities": lambda: entities_figure(entities),
        "network": lambda: network_figure(tables["mentions"], entities),
        "timeline": lambda: timeline_figure(tables["events"], documents),
    }
    doc_sent = tables.get("doc_sentiment")
    ent_sent = tables.get("entity_sentiment")
    if doc_sent is not None and ent_sent is not None:
        makers["sentiment"] = lambda: sentiment_figure(doc_sent, ent_sent, labels)
    doc_themes = tables.get("doc_themes")
    themes = tables.get("themes")
    if doc_themes is not None and themes is not None and len(doc_themes):
        makers["themes"] = lambda: themes_figure(doc_themes, themes, labels)
        makers["theme_matrix"] = lambda: theme_matrix_figure(doc_themes, themes, labels)
    return makers


def run_figures(tables: Mapping[str, pd.DataFrame]) -> dict[str, Figure]:
    """Every figure a run's tables (``store.read_tables``) allow, by file stem."""
    return {stem: make() for stem, make in figure_makers(tables).items()}


def encode_figures(tables: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, bytes]]:
    """The figures of a run's ``tables`` encoded, by file stem then format ("png", "svg").

    Each figure is laid out once for both formats (:func:`figure_formats`).
    """
    return {stem: figure_formats(fig) for stem, fig in run_figures(tables).items()}


def write_figures(
    out_dir: Path,
    tables: Mapping[str, pd.DataFrame],
    encoded: Mapping[str, Mapping[str, bytes]] | None = None,
) -> list[Path]:
    """Draw the figures of a run's ``tables`` into ``out_dir/figures/`` as PNG and SVG.

    Args:
        out_dir: folder of a finished run.
        tables: the run's tables by name (``store.read_tables``).
        encoded: :func:`encode_figures`' result when the caller has it (else drawn here).

    Returns:
        The paths written.
    """
    out_dir = Path(out_dir)
    encoded = encoded if encoded is not None else encode_figures(tables)
    written: list[Path] = []
    for stem, formats in encoded.items():
        for fmt, data in formats.items():
            path = out_dir / FIGURES_DIR / f"{stem}.{fmt}"
            write_atomic(path, data)
            written.append(path)
    log.info("wrote %d figure files into %s", len(written), out_dir / FIGURES_DIR)
    return written
