"""Title, date and author lines of plain-text posts, and the metadata an HTML page declares."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from recap_nlp.ingest.corpus import read_file
from recap_nlp.ingest.readers.header import read_header
from recap_nlp.ingest.readers.htmlmeta import html_metadata
from recap_nlp.records import Document

TODAY = dt.date(2026, 1, 15)
BODY = (
    "\n\nNous étions plus de 300 à Nantes pour cette journée consacrée au numérique responsable.\n"
)


@pytest.mark.parametrize(
    ("head", "title", "published", "author"),
    [
        (
            "Retour sur la Journée du libre\n2019-03-14 09:30",
            "Retour sur la Journée du libre",
            "2019-03-14",
            "",
        ),
        (
            "Retour sur la Journée du libre\n2021-11-02",
            "Retour sur la Journée du libre",
            "2021-11-02",
            "",
        ),
        (
            "Bilan du salon de l'agriculture\nlundi 26 juin 2017",
            "Bilan du salon de l'agriculture",
            "2017-06-26",
            "",
        ),
        (
            "Bilan du salon de l'agriculture\n29 juin 2018 | 22:13",
            "Bilan du salon de l'agriculture",
            "2018-06-29",
            "",
        ),
        (
            "Notre mission à Dakar\nPublié le 3 mars 2020 à 10h15",
            "Notre mission à Dakar",
            "2020-03-03",
            "",
        ),
        (
            "Notre mission à Dakar\nPar Camille Martin\n1er avril 2022",
            "Notre mission à Dakar",
            "2022-04-01",
            "Camille Martin",
        ),
        (
            "Notre mission à Dakar\nPar Jean-Luc de Villiers, 12 juillet 2018",
            "Notre mission à Dakar",
            "2018-07-12",
            "Jean-Luc de Villiers",
        ),
        (
            "12/05/2019\nLe festival des Vieilles Pierres",
            "Le festival des Vieilles Pierres",
            "2019-05-12",
            "",
        ),
        (
            "Festival : les concerts du samedi\n05 December 2021",
            "Festival : les concerts du samedi",
            "2021-12-05",
            "",
        ),
    ],
)
def test_head_lines_give_title_date_and_author(
    head: str, title: str, published: str, author: str
) -> None:
    header = read_header(head + BODY, today=TODAY)
    assert (header.title, header.published, header.author) == (title, published, author)
    assert header.warnings == ()


def test_a_post_without_head_lines_has_no_title_or_date() -> None:
    header = read_header(BODY.strip() + "\nLa suite du récit, le 12 mars, à Brest.", today=TODAY)
    assert (header.title, header.published, header.author) == ("", "", "")


def test_a_prose_line_starting_with_par_is_not_a_byline() -> None:
    header = read_header("Notre séjour\nPar Internet, nous avions réservé la salle.\n", today=TODAY)
    assert header.author == ""


@pytest.mark.parametrize(
    ("line", "problem"),
    [("31 février 2018", "impossible date"), ("2031-05-04", "in the future")],
)
def test_bad_date_lines_are_warnings_not_dates(line: str, problem: str) -> None:
    header = read_header(f"Retour sur la fête\n{line}{BODY}", today=TODAY)
    assert header.published == ""
    assert (
        len(header.warnings) == 1 and problem in header.warnings[0] and line in header.warnings[0]
    )


def test_text_post_fields_and_exact_offsets(tmp_path: Path) -> None:
    text = "Retour sur la Journée du libre\n2019-03-14 09:30\nPar Camille Martin" + BODY
    path = tmp_path / "journee.txt"
    path.write_text(text, encoding="utf-8")
    (doc,) = read_file(path)
    assert isinstance(doc, Document)
    assert (doc.title, doc.published, doc.published_source, doc.author) == (
        "Retour sur la Journée du libre",
        "2019-03-14",
        "text",
        "Camille Martin",
    )
    assert doc.text == text  # the title is not repeated: kept as the first sentence


def test_a_repeated_title_line_is_blanked_in_place(tmp_path: Path) -> None:
    text = "Retour sur la Journée du libre\n2019-03-14\n\nRetour sur la Journée du libre" + BODY
    path = tmp_path / "double.txt"
    path.write_text(text, encoding="utf-8")
    (doc,) = read_file(path)
    assert isinstance(doc, Document)
    assert len(doc.text) == len(text) and doc.text.count("Retour sur la Journée du libre") == 1
    assert doc.text[doc.text.index("Retour") :] == text[text.index("Retour", 5) :]


def test_front_matter_disagreeing_with_the_date_line_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "billet.md"
    path.write_text(
        "---\ntitle: Retour\ndate: 2019-03-15\n---\n14 mars 2019\n" + BODY, encoding="utf-8"
    )
    (doc,) = read_file(path)
    assert isinstance(doc, Document)
    assert (doc.published, doc.published_source) == ("2019-03-15", "front_matter")
    assert any("disagrees with the date line '14 mars 2019'" in w for w in doc.warnings)


def test_metadata_csv_comes_first(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Retour sur la fête\n2019-03-14" + BODY, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(
        "doc_id,title,published\na,,2019-03-20\n", encoding="utf-8"
    )
    from recap_nlp.ingest.corpus import read_corpus

    (doc,) = read_corpus(tmp_path).documents
    assert (doc.published, doc.published_source, doc.title) == (
        "2019-03-20",
        "metadata",
        "Retour sur la fête",
    )


PAGE = """<html><head><title>Le blogue | Retour sur Sud Web</title>
<meta property="article:published_time" content="2019-05-17T10:00:00+02:00">
<script type="application/ld+json">{"@type": "BlogPosting", "headline": "Retour sur Sud Web",
 "datePublished": "2019-05-18", "author": {"@type": "Person", "name": "Camille Martin"}}</script>
</head><body><nav>Accueil</nav><main><article><h1>Retour sur Sud Web</h1>
<p>Nous étions à Nîmes pour la conférence, une très belle édition avec 300 personnes.</p>
<h2>Premier jour</h2><p>La première journée a commencé par une keynote passionnante.</p>
</article></main></body></html>"""


def test_html_declared_metadata_json_ld_first() -> None:
    meta = html_metadata(PAGE)
    assert (meta["published"], meta["author"], meta["title"]) == (
        "2019-05-18",
        "Camille Martin",
        "Retour sur Sud Web",
    )
    without_ld = html_metadata(PAGE.replace('"datePublished": "2019-05-18",', ""))
    assert without_ld["published"].startswith("2019-05-17")
    assert (
        html_metadata('<p><time datetime="2020-02-01">1er février</time></p>')["published"]
        == "2020-02-01"
    )


def test_html_page_headings_are_lines_of_their_own(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    (doc,) = read_file(path)
    assert isinstance(doc, Document)
    assert (doc.published, doc.published_source, doc.author) == (
        "2019-05-18",
        "html",
        "Camille Martin",
    )
    assert "Premier jour" in doc.text.splitlines()
