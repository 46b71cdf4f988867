"""Front matter in YAML, TOML and JSON, metadata fields, and dates from file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from recap_nlp.ingest.corpus import read_file
from recap_nlp.ingest.readers.frontmatter import read_front_matter
from recap_nlp.ingest.readers.postmeta import date_from_path, metadata_fields
from recap_nlp.records import Document

BODY = "Nous étions à Lyon pour deux jours de conférences sur le web et l'accessibilité.\n"
YAML = """---
title: "Retour sur Sud Web"
date: 2019-05-17 09:30:00
lastmod: 2019-05-20
authors: [Camille Martin, Paul Durand]
tags: [conférence, accessibilité]
categories: Événements, Web
lang: fr
slug: retour-sud-web
draft: false
---
"""
TOML = """+++
title = "Retour sur Sud Web"
date = 2019-05-17T09:30:00+02:00
tags = ["conférence", "accessibilité"]
[author]
name = "Camille Martin"
+++
"""
JSON = """{
  "title": "Retour sur Sud Web",
  "pubDate": "17/05/2019",
  "tags": ["conférence", "accessibilité"],
  "author": "Camille Martin"
}
"""


@pytest.mark.parametrize(("head", "kind"), [(YAML, "yaml"), (TOML, "toml"), (JSON, "json")])
def test_front_matter_kinds_give_the_same_fields(tmp_path: Path, head: str, kind: str) -> None:
    assert read_front_matter(head + BODY).kind == kind
    path = tmp_path / "billet.md"
    path.write_text(head + BODY, encoding="utf-8")
    (doc,) = read_file(path)
    assert isinstance(doc, Document)
    assert (doc.title, doc.published, doc.published_source) == (
        "Retour sur Sud Web",
        "2019-05-17",
        "front_matter",
    )
    assert doc.tags == ("conférence", "accessibilité")
    assert "Camille Martin" in doc.author
    assert doc.text.index("Nous étions") == len(head)
    assert "title" not in doc.text and "+++" not in doc.text


def test_yaml_fields_lists_and_dates() -> None:
    fields = metadata_fields(read_front_matter(YAML + BODY).meta)
    assert fields["author"] == "Camille Martin, Paul Durand"
    assert fields["categories"] == ("Événements", "Web")
    assert (fields["lastmod"], fields["slug"], fields["draft"], fields["lang"]) == (
        "2019-05-20",
        "retour-sud-web",
        False,
        "fr",
    )


def test_unsafe_yaml_tag_is_refused_not_run(tmp_path: Path) -> None:
    head = "---\ntitle: !!python/object/apply:os.system ['touch pwned']\n---\n"
    path = tmp_path / "piege.md"
    path.write_text(head + BODY, encoding="utf-8")
    (doc,) = read_file(path)
    assert isinstance(doc, Document) and doc.title == ""
    assert any("unsafe or unknown tag" in w for w in doc.warnings)
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


@pytest.mark.parametrize(
    ("head", "problem"),
    [
        ("---\ntitle: [non fermé\n---\n", "broken YAML front matter"),
        ('+++\ntitle = "non fermé\n+++\n', "broken TOML front matter"),
        ('{"title": "non fermé",\n', "broken JSON front matter"),
        ("---\ntitle: Jamais fermé\n", "never closed"),
        ("---\ndate: 31/02/2019\n---\n", "impossible date '31/02/2019'"),
    ],
)
def test_broken_front_matter_is_a_warning(tmp_path: Path, head: str, problem: str) -> None:
    path = tmp_path / "casse.md"
    path.write_text(head + BODY, encoding="utf-8")
    (doc,) = read_file(path)
    assert isinstance(doc, Document)
    assert any(problem in w for w in doc.warnings), doc.warnings
    assert "Lyon" in doc.text


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("_posts/2018-11-06-retour-sur-sudweb.md", "2018-11-06"),
        ("content/posts/2019-05-17-bilan/index.md", "2019-05-17"),
        ("content/2019/retour-sur-sudweb/index.md", "2019"),
        ("blog/2021/bilan-du-salon.md", "2021"),
        ("blog/bilan-du-salon.md", ""),
        ("_posts/2018-02-31-date-impossible.md", ""),
    ],
)
def test_dates_from_file_names(path: str, expected: str) -> None:
    assert date_from_path(Path(path)) == expected


def test_file_name_date_used_only_without_a_front_matter_date(tmp_path: Path) -> None:
    folder = tmp_path / "_posts"
    folder.mkdir()
    (folder / "2018-11-06-sans-date.md").write_text(
        "---\ntitle: Sans date\n---\n" + BODY, encoding="utf-8"
    )
    (folder / "2018-11-06-avec-date.md").write_text(
        "---\ndate: 2018-11-08\n---\n" + BODY, encoding="utf-8"
    )
    (without,) = read_file(folder / "2018-11-06-sans-date.md")
    (with_date,) = read_file(folder / "2018-11-06-avec-date.md")
    assert isinstance(without, Document) and isinstance(with_date, Document)
    assert (without.published, without.published_source) == ("2018-11-06", "file_name")
    assert (with_date.published, with_date.published_source) == ("2018-11-08", "front_matter")
