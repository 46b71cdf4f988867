from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recap_nlp.ingest.corpus import read_corpus, read_file
from recap_nlp.records import Document, Skipped

FRENCH = (
    "Du 3 au 11 juin, une délégation de 27 Québécois a participé à une mission en France. "
    "Au programme : visite de l’écosystème numérique d’Angers et participation au Web2Day."
)


def _only_document(items: list[Document | Skipped]) -> Document:
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


def _only_skip(items: list[Document | Skipped]) -> Skipped:
    assert len(items) == 1 and isinstance(items[0], Skipped), items
    return items[0]


def test_plain_text_keeps_the_text_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "mission.txt"
    path.write_text(FRENCH, encoding="utf-8")
    doc = _only_document(read_file(path))
    assert doc.doc_id == "mission"
    assert doc.text == FRENCH
    assert doc.format == "txt"
    assert len(doc.content_hash) == 64


def test_markdown_front_matter_gives_metadata(tmp_path: Path) -> None:
    path = tmp_path / "billet.md"
    path.write_text(
        f"---\ntitle: Retour de mission\npublished: 2017-06-26\nauthor: Anne\n---\n{FRENCH}\n",
        encoding="utf-8",
    )
    doc = _only_document(read_file(path))
    assert (doc.title, doc.published, doc.author) == ("Retour de mission", "2017-06-26", "Anne")
    assert doc.published_source == "front_matter"
    start = doc.text.index("Du 3 au 11 juin")
    assert path.read_text(encoding="utf-8").index("Du 3 au 11 juin") == start
    assert not doc.text[:start].strip()  # the front matter is blanked, offsets unchanged


@pytest.mark.parametrize(
    ("author_lines", "expected"),
    [
        ("author:\n  name: Jeanne Roy, Paul Martin\n", "Jeanne Roy, Paul Martin"),
        ("author:\n  display_name: Jeanne Roy\n", "Jeanne Roy"),
        ("author_username: jroy\nco_authors: [pmartin]\n", "jroy"),
        ("authors: [Jeanne Roy, Paul Martin]\n", "Jeanne Roy, Paul Martin"),
    ],
)
def test_front_matter_author_as_mapping_list_or_username(
    tmp_path: Path, author_lines: str, expected: str
) -> None:
    path = tmp_path / "billet.md"
    path.write_text(f"---\ntitle: Retour\n{author_lines}---\n{FRENCH}\n", encoding="utf-8")
    assert _only_document(read_file(path)).author == expected


def test_broken_front_matter_is_a_warning_not_a_skip(tmp_path: Path) -> None:
    path = tmp_path / "casse.md"
    path.write_text(f"---\ntitle: [non fermé\n---\n{FRENCH}\n", encoding="utf-8")
    doc = _only_document(read_file(path))
    assert doc.warnings and "front matter" in doc.warnings[0]
    assert doc.text.lstrip().startswith("Du 3 au 11 juin")


def test_html_main_text_without_navigation_or_scripts(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Blogue</title><script>var tracker = 1;</script></head><body>"
        "<nav><a href='/'>Accueil</a> | <a href='/blog'>Blogue</a></nav>"
        f"<article><h1>Retour de mission</h1><p>{FRENCH}</p><p>{FRENCH}</p></article>"
        "<footer>Tous droits réservés</footer></body></html>",
        encoding="utf-8",
    )
    doc = _only_document(read_file(path))
    assert "Web2Day" in doc.text
    assert "tracker" not in doc.text and "Accueil" not in doc.text


def test_html_without_body_text_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "vide.html"
    path.write_text("<html><head><script>alert(1)</script></head><body></body></html>")
    assert "no main text" in _only_skip(read_file(path)).reason


def test_jsonl_bad_line_is_skipped_and_good_lines_kept(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    lines = [
        json.dumps({"id": "a", "text": FRENCH, "title": "A", "published": "2018-06-29"}),
        "{pas du json",
        json.dumps({"id": "b", "text": 42}),
        json.dumps({"text": FRENCH + " Encore."}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = read_file(path)
    docs = [i for i in items if isinstance(i, Document)]
    skips = [i for i in items if isinstance(i, Skipped)]
    assert [d.doc_id for d in docs] == ["a", "posts-4"]
    assert docs[0].published == "2018-06-29"
    assert [s.path for s in skips] == [f"{path}:2", f"{path}:3"]
    assert "malformed JSON" in skips[0].reason and "'text'" in skips[1].reason


def test_windows_1252_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "ancien.txt"
    path.write_bytes(FRENCH.encode("cp1252"))
    doc = _only_document(read_file(path))
    assert doc.encoding == "windows-1252"
    assert "l’écosystème" in doc.text


def test_bad_inputs_are_skipped_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "vide.txt").write_text("")
    (tmp_path / "blancs.txt").write_text("   \n\t \n")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (tmp_path / "english.txt").write_text(
        "This is an English post about the conference we attended last year, and it was "
        "great: the talks were good and the people we met were very friendly."
    )
    (tmp_path / "absent.txt").symlink_to(tmp_path / "nowhere.txt")
    reasons = {Path(s.path).name: s.reason for s in read_corpus(tmp_path).skipped}
    assert reasons["vide.txt"] == "empty file"
    assert reasons["blancs.txt"] == "empty file"
    assert "PNG" in reasons["image.txt"]
    assert "not French" in reasons["english.txt"]
    assert "unreadable" in reasons["absent.txt"]


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "post.txt").write_text(FRENCH)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [d.doc_id for d in read_corpus(tmp_path).documents] == ["post"]


def test_seed_corpus_reads_with_metadata(corpus_copy: Path) -> None:
    result = read_corpus(corpus_copy)
    assert not result.skipped
    by_id = {d.doc_id: d for d in result.documents}
    assert len(by_id) == 5
    assert by_id["002_d5d32f04412ff4de"].title == "Keep calm and feel digital"
    assert by_id["000_171b2742bfdc9f5e"].published == "2018-06-29"
    original = (corpus_copy / "001_69ef9b9c2667ea03.txt").read_text(encoding="utf-8")
    assert by_id["001_69ef9b9c2667ea03"].text == original


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".md", ".html", ".jsonl"]))
def test_random_bytes_never_crash_ingestion(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"aleatoire{suffix}"
    path.write_bytes(data)
    for item in read_file(path):
        assert isinstance(item, Document | Skipped)
        if isinstance(item, Skipped):
            assert item.reason
