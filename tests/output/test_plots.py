"""Figures: written as PNG and SVG, decodable, identical on rerun; layout and graph helpers."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from recap_nlp.output import event_figures, figure_kit, plots, store


@pytest.mark.slow
def test_write_figures_png_and_svg_decodable(seed_run_copy: Path) -> None:
    written = plots.write_figures(seed_run_copy, store.read_tables(seed_run_copy))
    stems = {p.stem for p in written}
    assert {"entities", "network", "timeline", "sentiment"} <= stems
    has_themes = "doc_themes" in store.list_tables(seed_run_copy)
    assert ("themes" in stems) == has_themes  # drawn exactly when the run made themes
    assert ("theme_matrix" in stems) == has_themes
    for stem in stems:
        png = seed_run_copy / "figures" / f"{stem}.png"
        with Image.open(png) as image:
            image.load()
            assert image.width > 300 and image.height > 100
        root = ET.parse(seed_run_copy / "figures" / f"{stem}.svg").getroot()
        assert root.tag.endswith("svg")
    assert not list((seed_run_copy / "figures").glob(".*")), "temporary files left behind"


@pytest.mark.slow
def test_rerun_writes_identical_files(seed_run_copy: Path) -> None:
    first = {
        p: p.read_bytes()
        for p in plots.write_figures(seed_run_copy, store.read_tables(seed_run_copy))
    }
    second = {
        p: p.read_bytes()
        for p in plots.write_figures(seed_run_copy, store.read_tables(seed_run_copy))
    }
    assert first == second


@pytest.mark.slow
def test_french_accents_are_drawn_with_dejavu(seed_run_copy: Path) -> None:
    plots.write_figures(seed_run_copy, store.read_tables(seed_run_copy))
    svg = (seed_run_copy / "figures" / "entities.svg").read_text(encoding="utf-8")
    assert "<!-- Entités distinctes par type -->" in svg  # the text each glyph path draws
    assert 'id="DejaVuSans-' in svg  # glyphs drawn from DejaVu Sans, which has every accent
    assert "<dc:date>" not in svg


def _mentions(rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["doc_id", "sentence_start", "entity_id"])


def test_cooccurrence_counts_sentences_not_mentions() -> None:
    mentions = _mentions(
        [
            ("d1", 0, "a"),
            ("d1", 0, "b"),
            ("d1", 0, "b"),  # the same entity twice in a sentence: still one pair
            ("d1", 10, "a"),
            ("d1", 10, "b"),
            ("d1", 10, "c"),
            ("d2", 0, "c"),  # alone in its sentence: no pair
            ("d2", 5, ""),  # a mention without an entity is ignored
        ]
    )
    edges = plots.cooccurrence_edges(mentions)
    assert edges == {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1}


@given(st.integers(min_value=1, max_value=60))
def test_circular_layout_on_unit_circle(n: int) -> None:
    points = plots.circular_layout(n)
    assert points.shape == (n, 2)
    assert np.allclose(np.hypot(points[:, 0], points[:, 1]), 1.0)
    assert np.allclose(points[0], [0.0, 1.0])
    assert len({(round(x, 6), round(y, 6)) for x, y in points}) == n


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2017-06-03", False, date(2017, 6, 3)),
        ("2018-11", False, date(2018, 11, 1)),
        ("2018-11", True, date(2018, 11, 30)),
        ("2020-02", True, date(2020, 2, 29)),
        ("2018-12", True, date(2018, 12, 31)),
        ("", False, None),
        ("--09-27", False, None),  # year unknown: not on the timeline
        ("", False, None),
    ],
)
def test_parse_partial_date(text: str, end: bool, expected: date | None) -> None:
    assert figure_kit.parse_partial_date(text, end=end) == expected


def test_themes_figure_and_event_strip() -> None:
    themes = pd.DataFrame({"theme_id": [0, 1], "label": ["numérique", "santé"]})
    doc_themes = pd.DataFrame(
        {"doc_id": ["d1", "d1", "d2"], "theme_id": [0, 1, 0], "share": [0.7, 0.3, 1.0]}
    )
    fig = plots.themes_figure(doc_themes, themes, {"d1": "Billet un", "d2": "Billet deux"})
    with Image.open(io.BytesIO(figure_kit.figure_bytes(fig, "png"))) as image:
        assert image.width > 300


def test_event_strip_is_a_small_valid_svg_placing_the_posts_after_the_event() -> None:
    import xml.etree.ElementTree as ET

    posts = [("Retour <sur> la mission", "2017-06-26"), ("Sans date", "")]
    strip = event_figures.event_timeline_svg("2017-06-03", "2017-06-11", posts)
    assert strip is not None
    root = ET.fromstring(strip)  # well-formed: the post label's "<" is escaped
    ns = "{http://www.w3.org/2000/svg}"
    bar = [r for r in root.iter(f"{ns}rect") if r.get("fill") == figure_kit.ACCENT]
    (marker,) = root.iter(f"{ns}path")
    assert len(bar) == 1
    event_end = float(bar[0].get("x")) + float(bar[0].get("width"))
    assert float(marker.get("d").split()[2].split(",")[0][1:]) > event_end  # tip after the bar
    assert any(t.text == "Retour <sur> la mission" for t in root.iter(f"{ns}text"))
    assert (
        event_figures.event_timeline_svg("2017-06-03", "2017-06-11", posts) == strip
    )  # same bytes
    assert event_figures.event_timeline_svg("", "", [("d1", "")]) is None


def test_write_atomic_replaces_and_leaves_a_readable_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "f.svg"
    figure_kit.write_atomic(target, b"old")
    figure_kit.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o044  # readable by group or others (not mkstemp's 0600)
    assert [p.name for p in target.parent.iterdir()] == ["f.svg"]


def _many_posts(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    doc_ids = [f"billet-{i:04d}" for i in range(n)]
    doc_themes = pd.DataFrame(
        {
            "doc_id": [d for d in doc_ids for _ in range(2)],
            "theme_id": [0, 1] * n,
            "share": [s for i in range(n) for s in (i % 5 / 4, 1 - i % 5 / 4)],
        }
    )
    themes = pd.DataFrame({"theme_id": [0, 1], "label": ["numérique", "santé"]})
    return doc_themes, themes


def test_per_post_figures_stop_growing_past_the_named_rows() -> None:
    cap = plots.MAX_NAMED_ROWS
    small, themes = _many_posts(cap)
    large, _ = _many_posts(4 * cap)
    for draw in (plots.themes_figure, plots.theme_matrix_figure):
        named, unnamed = draw(small, themes, {}), draw(large, themes, {})
        assert unnamed.get_size_inches()[1] == named.get_size_inches()[1]
        assert len(named.axes[0].get_yticklabels()) == cap
        assert unnamed.axes[0].get_yticklabels() == []
        assert str(4 * cap) in unnamed.axes[0].get_ylabel()
        with Image.open(io.BytesIO(plots.figure_formats(unnamed, ("png",))["png"])) as image:
            assert image.height < 120 * (2 + 0.45 * cap)


def test_timeline_keeps_the_events_with_the_most_posts() -> None:
    n = plots.MAX_NAMED_ROWS + 5
    events = pd.DataFrame(
        {
            "event_id": [f"ev-{i}" for i in range(n)],
            "name": [f"Salon numéro {i}" for i in range(n)],
            "display_name": [f"Salon numéro {i}" for i in range(n)],
            "start_date": [f"2018-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)],
            "end_date": [""] * n,
            # the first five events have one source post, the others two
            "doc_ids": ['["a"]' if i < 5 else '["a", "b"]' for i in range(n)],
        }
    )
    documents = pd.DataFrame({"doc_id": ["a", "b"], "published": ["2018-06-01", ""]})
    fig = event_figures.timeline_figure(events, documents)
    shown = [t.get_text() for t in fig.axes[0].get_yticklabels()][:-1]  # last: publications
    assert len(shown) == plots.MAX_NAMED_ROWS
    assert not any(name in shown for name in (f"Salon numéro {i}" for i in range(5)))


def test_figure_formats_keep_one_agg_canvas_and_the_png_bytes() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    themes = pd.DataFrame({"theme_id": [0, 1], "label": ["numérique", "santé"]})
    doc_themes = pd.DataFrame(
        {"doc_id": ["d1", "d1", "d2"], "theme_id": [0, 1, 0], "share": [0.7, 0.3, 1.0]}
    )
    labels = {"d1": "Billet un", "d2": "Billet deux"}
    drawn = plots.themes_figure(doc_themes, themes, labels)
    assert not isinstance(drawn.canvas, FigureCanvasAgg)
    encoded = figure_kit.figure_formats(drawn)
    # the canvas (and its renderer) stays with the figure, for the layout, box and PNG
    assert isinstance(drawn.canvas, FigureCanvasAgg)
    again = figure_kit.figure_formats(plots.themes_figure(doc_themes, themes, labels))
    assert encoded == again
    alone = figure_kit.figure_bytes(plots.themes_figure(doc_themes, themes, labels), "png")
    assert encoded["png"] == alone
