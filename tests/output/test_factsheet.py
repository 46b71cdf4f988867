"""Fact sheets: the seed corpus's missions, escaping of hostile post text, labels, formats."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from recap_nlp.output import factsheet, store
from recap_nlp.pipeline.runner import result_tables
from recap_nlp.records import Conflict, DocTheme, Document, Entity, Event, Mention, RunResult, Theme
from recap_nlp.sentiment import DocSentiment

HOSTILE = "<script>alert('x')</script>"


def _mission_sheet(out: Path, year: str, fmt: str = "html") -> str:
    """The sheet of the seed corpus's mission in ``year``, found from the events table."""
    events = store.read_table(out, "events")
    chosen = events[(events["kind"] == "mission") & events["start_date"].str.startswith(year)]
    assert len(chosen) == 1, chosen
    stem = factsheet.sheet_stem(chosen["event_id"].iloc[0])
    return (out / "factsheets" / f"{stem}.{fmt}").read_text(encoding="utf-8")


def _conflict_boxes(html: str) -> list[str]:
    return re.findall(r'<section class="conflict" role="alert">.*?</section>', html, re.S)


@pytest.mark.slow
def test_2017_sheet_warns_about_27_and_28_with_both_quotes(seed_run: Path) -> None:
    html = _mission_sheet(seed_run, "2017")
    boxes = [b for b in _conflict_boxes(html) if "délégation" in b]
    assert len(boxes) == 1
    box = boxes[0]
    assert "une délégation de 27 Québécois" in box
    assert "une délégation de 28 Québécois" in box
    assert "<strong>27</strong>" in box and "<strong>28</strong>" in box
    # Chosen by the organiser's own account, and the sheet says who said what.
    # Posts are named by title (or first words), their ids only in the link tooltips.
    assert "parole de l’organisateur (« Du 3 au 11 juin, une… »)" in box
    assert "Qui dit quoi" in box
    assert re.search(
        r'title="001_\w+">« Du 3 au 11 juin, une… »</a>]</span> : organisateur, Québec numérique',
        box,
    )
    assert re.search(r'title="002_\w+">Keep calm and feel digital</a>]</span> : participant', box)
    assert "same author as Keep calm and feel digital" in box
    assert "un autre résumé que j’ai publié" in box
    assert "repose sur : 2 posts, 1 independent source" in box


@pytest.mark.slow
def test_2017_markdown_sheet_has_the_same_warning(seed_run: Path) -> None:
    md = _mission_sheet(seed_run, "2017", "md")
    assert "⚠" in md
    assert "délégation de 27 Québécois" in md and "délégation de 28 Québécois" in md
    assert "Qui dit quoi" in md and "organiser's post, later" in md
    assert re.search(r"^> - « Du 3 au 11 juin, une… » : organisateur, Québec numérique", md, re.M)
    assert re.search(r"^> - Keep calm and feel digital : participant", md, re.M)  # a line a post


@pytest.mark.slow
def test_2018_sheet_has_no_warning(seed_run: Path) -> None:
    html = _mission_sheet(seed_run, "2018")
    assert _conflict_boxes(html) == []
    assert 'role="alert"' not in html
    assert "Aucune contradiction" in html
    assert "du 9 au 17 juin 2018" in html


@pytest.mark.slow
def test_every_event_worth_a_sheet_has_one_and_the_overview_links_them(seed_run: Path) -> None:
    from recap_nlp.output.factsheet.content import worth_a_sheet

    tables = factsheet.run_tables(store.read_tables(seed_run))
    index = (seed_run / "factsheets" / "index.html").read_text(encoding="utf-8")
    with_sheet = 0
    for event_id in tables.events["event_id"]:
        stem = factsheet.sheet_stem(event_id)
        expected = worth_a_sheet(tables, event_id)
        with_sheet += expected
        assert (seed_run / "factsheets" / f"{stem}.html").exists() == expected, event_id
        assert (seed_run / "factsheets" / f"{stem}.md").exists() == expected, event_id
        assert (f'href="{stem}.html"' in index) == expected, event_id
    assert with_sheet >= 4  # the two missions, the Semaine numérique, the SCENIC day at least
    assert not list((seed_run / "factsheets").glob(".*")), "temporary files left behind"


@pytest.mark.slow
def test_every_fact_cites_its_posts(seed_run: Path) -> None:
    tables = factsheet.run_tables(store.read_tables(seed_run))
    labels = factsheet.load_labels("fr")
    for event_id in tables.events["event_id"]:
        context = factsheet.event_context(tables, event_id, labels)
        assert all(f["doc_ids"] for f in context["facts"])
        assert all(set(f["doc_ids"]) <= set(context["doc_ids"]) for f in context["facts"])
        assert all(p["doc_ids"] for p in context["people"] + context["organisations"])


@pytest.mark.slow
def test_html_is_self_contained_and_printable(seed_run: Path) -> None:
    html = _mission_sheet(seed_run, "2017")
    assert '<meta name="viewport"' in html
    assert "@page" in html and "@media print" in html
    assert 'src="data:image/svg+xml;base64,' in html  # the event's timeline, drawn as SVG
    assert not re.search(r'(src|href)="(https?:)?//', html), "external resource"
    assert "<script" not in html


# A tiny hand-made run: every text field a post controls carries markup.
def _hostile_result() -> RunResult:
    doc = Document(
        doc_id="p1",
        text=f"Texte {HOSTILE}",
        source_path="p1.txt",
        format="txt",
        content_hash="h",
        title=f"Titre {HOSTILE}",
        published="2019-05-02",
        url="javascript:alert(1)",
    )
    quote = f"Une délégation de 12 personnes {HOSTILE}"
    return RunResult(
        documents=[doc],
        mentions=[Mention("p1", 0, 5, "Alice", "PER", quote, 0, "model", HOSTILE, "per_1")],
        entities=[Entity("per_1", HOSTILE, "PER", (HOSTILE,), 1, 1)],
        events=[
            Event(
                "ev-1",
                f"Mission {HOSTILE}",
                "mission",
                "2019-04-01",
                "2019-04-03",
                ("Lyon",),
                "",
                ("p1",),
                2,
            )
        ],
        conflicts=[
            Conflict(
                "ev-1",
                "delegation_size",
                ("12", "13"),
                ("p1", "p1"),
                (quote, quote),
                "",
                "unresolved",
                0.0,
                f"why {HOSTILE}",
            ),
        ],
        doc_sentiment=[
            DocSentiment("p1", 0.5, "positive", "positive", 0.6, 0.4, 0.0, 1, 1, 0, (quote,), ())
        ],
    )


THEME_TABLES = ("themes", "doc_themes", "keywords")


def _write_hostile_run(out: Path, *, with_themes: bool = False) -> Path:
    """The hand-made run; its themes tables are left out (as in runs made before themes
    existed) unless ``with_themes``, where they hold one theme."""
    tables = [t for t in result_tables(_hostile_result()) if t.name not in THEME_TABLES]
    if with_themes:
        tables += [
            store.table_from_records(
                "themes",
                Theme,
                [Theme(0, "numérique", ("numérique", "innovation"), (0.6, 0.4), ("Une phrase.",))],
            ),
            store.table_from_records("doc_themes", DocTheme, [DocTheme("p1", 0, 0.8)]),
        ]
    store.write_outputs(out, tables)
    return out


@pytest.fixture()
def hostile_run(tmp_path: Path) -> Path:
    return _write_hostile_run(tmp_path / "run")


def test_post_text_with_script_is_shown_as_text(hostile_run: Path) -> None:
    factsheet.write_factsheets(hostile_run, store.read_tables(hostile_run))
    for name in ("ev-1.html", "index.html"):
        html = (hostile_run / "factsheets" / name).read_text(encoding="utf-8")
        assert "<script" not in html
        assert "&lt;script&gt;" in html
        assert "javascript:" not in html  # a post's URL is linked only when http(s)


def test_markdown_sheet_escapes_markup(hostile_run: Path) -> None:
    factsheet.write_factsheets(hostile_run, store.read_tables(hostile_run), formats=("md",))
    md = (hostile_run / "factsheets" / "ev-1.md").read_text(encoding="utf-8")
    assert "<script" not in md
    assert "&lt;script&gt;" in md


def test_unresolved_conflict_is_flagged_with_both_values(hostile_run: Path) -> None:
    factsheet.write_factsheets(hostile_run, store.read_tables(hostile_run), formats=("html",))
    html = (hostile_run / "factsheets" / "ev-1.html").read_text(encoding="utf-8")
    (box,) = _conflict_boxes(html)
    assert "<strong>12</strong>" in box and "<strong>13</strong>" in box
    assert "non résolu" in box


def test_english_labels(hostile_run: Path) -> None:
    factsheet.write_factsheets(
        hostile_run, store.read_tables(hostile_run), lang="en", formats=("html", "md")
    )
    html = (hostile_run / "factsheets" / "ev-1.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "The sources disagree" in html and "Delegation size" in html
    assert "unresolved" in html
    assert "Les sources ne s’accordent pas" not in html
    assert "1–3 April 2019" in html
    md = (hostile_run / "factsheets" / "index.md").read_text(encoding="utf-8")
    assert "Corpus overview" in md


@pytest.mark.slow
def test_themes_section_only_when_themes_exist(tmp_path: Path) -> None:
    empty = tmp_path / "empty"  # the run's own (empty) themes tables: no section either
    store.write_outputs(empty, result_tables(_hostile_result()))
    factsheet.write_factsheets(empty, store.read_tables(empty), formats=("html",))
    assert "Thèmes" not in (empty / "factsheets" / "ev-1.html").read_text(encoding="utf-8")
    without = _write_hostile_run(tmp_path / "a")
    factsheet.write_factsheets(without, store.read_tables(without), formats=("html",))
    assert "Thèmes" not in (without / "factsheets" / "ev-1.html").read_text(encoding="utf-8")
    with_themes = _write_hostile_run(tmp_path / "b", with_themes=True)
    factsheet.write_factsheets(with_themes, store.read_tables(with_themes), formats=("html",))
    html = (with_themes / "factsheets" / "ev-1.html").read_text(encoding="utf-8")
    assert "Thèmes" in html and "numérique" in html and "80 %" in html


def test_single_event_and_bad_arguments(hostile_run: Path) -> None:
    written = factsheet.write_factsheets(
        hostile_run, store.read_tables(hostile_run), event_id="ev-1", formats=("md",)
    )
    assert sorted(p.name for p in written) == ["ev-1.md", "index.md"]
    with pytest.raises(factsheet.UnknownEventError):
        factsheet.write_factsheets(hostile_run, store.read_tables(hostile_run), event_id="nope")
    with pytest.raises(ValueError, match="language"):
        factsheet.write_factsheets(hostile_run, store.read_tables(hostile_run), lang="de")
    with pytest.raises(ValueError, match="format"):
        factsheet.write_factsheets(hostile_run, store.read_tables(hostile_run), formats=("pdf",))


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("2017-06-03..2017-06-11", "fr", "du 3 au 11 juin 2017"),
        ("2017-06-30..2017-07-02", "fr", "du 30 juin 2017 au 2 juillet 2017"),
        ("2018-11", "fr", "novembre 2018"),
        ("2021-09-27", "fr", "27 septembre 2021"),
        ("2018", "fr", "2018"),
        ("2018-08-15", "fr", "15 août 2018"),
        ("2017-06-03..2017-06-11", "en", "3–11 June 2017"),
        ("2018-11", "en", "November 2018"),
        ("vers 2018", "fr", "vers 2018"),
        ("", "fr", ""),
    ],
)
def test_format_date(value: str, lang: str, expected: str) -> None:
    assert factsheet.format_date(value, factsheet.load_labels(lang)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>Québec</b>", "&lt;b&gt;Québec&lt;/b&gt;"),
        ("*très* bien", "\\*très\\* bien"),
        ("[lien](javascript:x)", "\\[lien\\](javascript:x)"),
        ("001_69ef9b9c", "001_69ef9b9c"),
        ("_souligné_", "\\_souligné\\_"),
        ("a | b\nc", "a \\| b c"),
        ("R&D", "R&amp;D"),
    ],
)
def test_markdown_text(text: str, expected: str) -> None:
    assert factsheet.markdown_text(text) == expected


@pytest.mark.parametrize(
    ("event_id", "expected"),
    [
        ("mission-2017-06-03-angers-nantes", "mission-2017-06-03-angers-nantes"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("a b/c", "a_b_c"),
    ],
)
def test_sheet_stem_is_a_plain_file_name(event_id: str, expected: str) -> None:
    assert factsheet.sheet_stem(event_id) == expected


@pytest.mark.parametrize(
    ("reason", "lang", "expected"),
    [
        ("all 2 sources agree", "fr", "les 2 sources concordent"),
        (
            "organiser's own account (p1); posts by one author counted once",
            "fr",
            "parole de l’organisateur (p1) ; les billets d’un même auteur ne comptent qu’une fois",
        ),
        (
            "unresolved: 2 values from 2 sources, no majority, no organiser source",
            "fr",
            "2 valeurs différentes dans 2 sources, sans majorité ni billet de l’organisateur",
        ),
        (
            "majority of independent sources (2 of 3); a copied passage counted once",
            "fr",
            "majorité des sources indépendantes (2 sur 3) ; "
            "un passage recopié n’est compté qu’une fois",
        ),
        ("a reason nobody wrote a rule for", "fr", "a reason nobody wrote a rule for"),
        ("all 2 sources agree", "en", "all 2 sources agree"),
    ],
)
def test_translate_reason(reason: str, lang: str, expected: str) -> None:
    assert factsheet.translate_reason(reason, factsheet.load_labels(lang)) == expected


def test_post_tone_names_the_criticisms_it_hides() -> None:
    from types import SimpleNamespace

    from recap_nlp.output.factsheet.content import _tone
    from recap_nlp.output.factsheet.text import load_labels

    row = SimpleNamespace(label="positive", n_positive=9, n_negative=4)
    assert _tone(row, load_labels("fr")) == "positive, avec 4 critiques"
    assert _tone(row, load_labels("en")) == "positive, with 4 criticisms"
    calm = SimpleNamespace(label="negative", n_positive=0, n_negative=3)
    assert _tone(calm, load_labels("en")) == "negative"


def _section_items(md: str, heading: str) -> list[str]:
    """The items of the first list after ``## heading``, as markdown-it parses them."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(md)
    starts = [
        i
        for i, t in enumerate(tokens)
        if t.type == "inline" and t.content == heading and tokens[i - 1].tag == "h2"
    ]
    assert starts, heading
    items, depth = [], 0
    for token in tokens[starts[0] + 2 :]:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif (
            token.type in ("bullet_list_close", "ordered_list_close")
            or token.type == "heading_open"
        ):
            break
        elif token.type == "inline" and depth:
            items.append(token.content)
    return items


@pytest.mark.slow
def test_markdown_sheets_render_as_lists(seed_run: Path) -> None:
    md = _mission_sheet(seed_run, "2017", "md")
    context = factsheet.event_context(
        factsheet.run_tables(store.read_tables(seed_run)),
        store.read_table(seed_run, "events")
        .query("start_date.str.startswith('2017')")["event_id"]
        .iloc[0],
        factsheet.load_labels("fr"),
    )
    people = _section_items(md, "Personnes citées")
    assert len(people) == len(context["people"]) >= 5  # one item per person, none glued
    assert all(item.count(" mention") == 1 for item in people)
    organisations = _section_items(md, "Organisations citées")
    assert len(organisations) == len(context["organisations"])
    assert len(_section_items(md, "Billets sources")) == 2
    index = (seed_run / "factsheets" / "index.md").read_text(encoding="utf-8")
    assert len(_section_items(index, "Entités les plus citées")) == 4  # PER, ORG, CITY, EVENT


@pytest.mark.slow
def test_sheets_speak_french_plurals_and_name_posts_by_title(seed_run: Path) -> None:
    sheets = sorted((seed_run / "factsheets").glob("*.*"))
    doc_ids = set(store.read_table(seed_run, "documents")["doc_id"])
    for path in sheets:
        text = path.read_text(encoding="utf-8")
        assert "(s)" not in text, path.name
    md = _mission_sheet(seed_run, "2017", "md")
    assert "(1 mention)" in md and "(3 mentions)" in md and "2 billets." in md
    assert "# Mission Québec numérique en France 2017" in md
    # The post without a title is cited by its first words; ids only in the sources list.
    assert "« Du 3 au 11 juin, une délégation" in md
    assert "Keep calm and feel digital" in md
    body, _, sources = md.partition("## Billets sources")
    assert not any(d in body for d in doc_ids)
    assert all(d in sources for d in ("001_69ef9b9c2667ea03", "002_d5d32f04412ff4de"))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.titles: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open = True
            self.texts.append("")
            self.titles.append(dict(attrs).get("title") or "")

    def handle_endtag(self, tag: str) -> None:
        self._open = self._open and tag != "a"

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[-1] += data


@pytest.mark.slow
def test_no_post_id_is_the_visible_text_of_a_link(seed_run: Path) -> None:
    doc_ids = set(store.read_table(seed_run, "documents")["doc_id"])
    for path in sorted((seed_run / "factsheets").glob("*.html")):
        links = _Links()
        links.feed(path.read_text(encoding="utf-8"))
        assert links.texts, path.name
        assert not {t.strip() for t in links.texts} & doc_ids, path.name
        if path.name != "index.html":
            assert set(links.titles) & doc_ids, path.name  # the id stays in the tooltip


@pytest.mark.slow
def test_overview_counts_the_four_labels_and_says_what_is_apart(seed_run: Path) -> None:
    entities = store.read_table(seed_run, "entities")
    n_counted = int(entities["label"].isin(["PER", "CITY", "ORG", "EVENT"]).sum())
    n_loc = int((entities["label"] == "LOC").sum())
    md = (seed_run / "factsheets" / "index.md").read_text(encoding="utf-8")
    assert f"{n_counted} entités" in md
    assert "personnes, villes, organisations et événements" in md
    assert f"{n_loc} lieux (LOC)" in md


def _with_name_only_event(out: Path) -> Path:
    hostile = _hostile_result()
    only_named = Event("ev-2", "Salon cité", "salon", "", "", (), "", ("p1",), 1)
    name = Conflict(
        "ev-2",
        "event_name",
        ("Salon",),
        ("p1",),
        ("Le Salon.",),
        "Salon",
        "single",
        0.5,
        "single source",
    )
    result = replace(
        hostile, events=[*hostile.events, only_named], conflicts=[*hostile.conflicts, name]
    )
    store.write_outputs(out, result_tables(result))
    return out


@pytest.mark.slow
def test_events_named_only_in_passing_get_no_sheet(tmp_path: Path) -> None:
    out = _with_name_only_event(tmp_path / "run")
    (out / "factsheets").mkdir()
    (out / "factsheets" / "ev-2.md").write_text("left by an earlier run")
    written = {p.name for p in factsheet.write_factsheets(out, store.read_tables(out))}
    assert {"ev-1.html", "ev-1.md", "index.html", "index.md"} == written
    assert not (out / "factsheets" / "ev-2.md").exists()
    index = (out / "factsheets" / "index.md").read_text(encoding="utf-8")
    assert "Salon cité (pas de fiche" in index and "(ev-2.md)" not in index
    # Asked for by id, it is written all the same.
    assert (out / "factsheets" / "ev-2.md") in factsheet.write_factsheets(
        out, store.read_tables(out), event_id="ev-2", formats=("md",)
    )


@pytest.mark.slow
def test_templates_compile_once_per_process(hostile_run: Path, monkeypatch) -> None:
    import jinja2

    factsheet.write_factsheets(hostile_run, store.read_tables(hostile_run))
    compiled = []
    original = jinja2.Environment.compile

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.append(args[1] if len(args) > 1 else kwargs.get("name"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    factsheet.write_factsheets(hostile_run, store.read_tables(hostile_run))
    assert compiled == []


@pytest.mark.parametrize(
    ("n", "lang", "expected"),
    [
        (0, "fr", "0 billet"),
        (1, "fr", "1 billet"),
        (2, "fr", "2 billets"),
        (0, "en", "0 posts"),
        (1, "en", "1 post"),
    ],
)
def test_count_uses_each_language_plural_rule(n: int, lang: str, expected: str) -> None:
    labels = factsheet.load_labels(lang)
    assert factsheet.count(n, labels["posts_counted"], labels) == expected
