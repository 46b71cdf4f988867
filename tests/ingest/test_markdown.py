"""Markdown rendered to analysable text: markup blanked, offsets those of the source file."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from recap_nlp.ingest.corpus import read_file
from recap_nlp.ingest.normalize import normalize
from recap_nlp.ingest.readers import read_markdown
from recap_nlp.ingest.readers.markdown import Rendered, render_markdown
from recap_nlp.pipeline.per_document import process_document
from recap_nlp.records import Document, Skipped
from tests.conftest import REPO

# ../shared/realdev beside the repository; RECAP_REALDEV points elsewhere (a git worktree).
REALDEV = Path(os.environ.get("RECAP_REALDEV", REPO.parent / "shared" / "realdev"))

POST = """---
title: "Retour sur la Fête du code 2019"
date: 2019-10-14
tags: [conférence, web]
categories: Événements
author:
  name: Camille Martin
---
{% include toc.html %}

# La Fête du code à Nantes

La conférence a réuni 600 personnes à [Nantes](https://fr.wikipedia.org/wiki/Nantes) \
les 10 et 11 octobre. [Julie Bernard](https://twitter.com/julie_b) a ouvert la journée.

![IMGP5377.jpg](/images/IMGP5377.jpg)

{{< youtube dQw4w9WgXcQ >}}

- Atelier animé par **Marc Petit**
- Table ronde avec *Sophie Leroy*

```bash
npm install --save fete-du-code
```

| Heure | Salle |
|-------|-------|
| 9h00 | Amphi Turing |

Le code `console.log(x)` reste hors du texte analysé.<!-- commentaire caché -->

Une note de bas de page[^1].

[^1]: Merci à l'équipe de Rennes.
"""


def _render(source: str) -> Rendered:
    return render_markdown(source)


def _lines(text: str | Rendered) -> list[str]:
    """The non-blank lines of an analysed text as the model reads them (normalised)."""
    if isinstance(text, Rendered):
        text = normalize(text.text, text.joined).text
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _post_text() -> str:
    fields = read_markdown(POST)
    return normalize(fields["text"], fields["joined"]).text


def test_rendered_text_has_the_source_length_and_its_characters() -> None:
    rendered = render_markdown(POST)
    assert len(rendered.text) == len(POST)
    for i, char in enumerate(rendered.text):
        assert char.isspace() or char == ";" or char == POST[i], (i, char, POST[i])


def test_link_text_kept_targets_dropped_and_recorded() -> None:
    rendered = render_markdown(POST)
    assert "Julie Bernard" in rendered.text
    assert "twitter" not in rendered.text and "](" not in rendered.text
    link = next(link for link in rendered.links if link.text == "Julie Bernard")
    assert link.url == "https://twitter.com/julie_b"
    assert POST[link.start : link.end] == "[Julie Bernard](https://twitter.com/julie_b)"


@pytest.mark.parametrize(
    "gone",
    [
        "IMGP5377",
        "youtube",
        "dQw4w9WgXcQ",
        "toc.html",
        "npm install",
        "console.log",
        "commentaire",
        "**",
        "`",
        "[^1]",
        "# La",
        "|",
        "title:",
        "Camille",
    ],
)
def test_markup_code_templates_and_front_matter_blanked(gone: str) -> None:
    assert gone not in _post_text().replace("\n", "")


def test_headings_items_rows_and_footnotes_are_lines_of_their_own() -> None:
    lines = _lines(_post_text())
    assert "La Fête du code à Nantes" in lines
    assert "Atelier animé par Marc Petit" in lines
    assert "Table ronde avec Sophie Leroy" in lines
    assert "9h00 ; Amphi Turing" in lines
    assert "Merci à l'équipe de Rennes." in lines


def test_soft_line_breaks_join_a_paragraph() -> None:
    text = _render("Une phrase coupée\nen deux lignes par l'éditeur.\n")
    assert _lines(text) == ["Une phrase coupée en deux lignes par l'éditeur."]


def test_escapes_and_entities_render_in_place() -> None:
    text = _render("Prix \\*réduit\\* &amp; gratuit pour les &eacute;tudiants.\n")
    assert _lines(text) == ["Prix *réduit* & gratuit pour les étudiants."]


def test_raw_html_is_stripped_to_its_text() -> None:
    source = (
        '<div class="x">\n<p>Rendez-vous à <b>Lyon</b> le 3 mars.</p>\n<h2>Programme</h2>\n</div>\n'
    )
    lines = _lines(_render(source))
    assert lines == ["Rendez-vous à Lyon le 3 mars.", "Programme"]


def test_bare_url_blanked_and_kept_as_link() -> None:
    rendered = render_markdown("Les vidéos sont sur https://exemple.fr/videos. Bonne séance !\n")
    assert _lines(rendered) == ["Les vidéos sont sur . Bonne séance !"]
    assert [link.url for link in rendered.links] == ["https://exemple.fr/videos"]


def test_captions_kept_as_sentences_file_names_dropped() -> None:
    text = _render(
        "Avant.\n![La salle comble pendant la plénière](salle.jpg)\n![DSC0042.JPG](a.jpg)\n"
    )
    lines = _lines(text)
    assert lines == ["Avant.", "La salle comble pendant la plénière"]


def test_unclosed_fence_reads_the_rest_as_text_with_a_warning() -> None:
    rendered = render_markdown("Début du billet.\n\n```\nLa suite du récit à Brest.\n")
    assert "La suite du récit à Brest." in rendered.text
    assert any("unclosed code fence at line 3" in w for w in rendered.warnings)


def test_indented_prose_is_not_taken_for_code() -> None:
    source = (
        "Intro.\n\n    Nous avons ensuite rejoint la gare de Quimper pour le retour en train.\n"
    )
    assert "gare de Quimper" in _render(source).text


def test_mostly_html_markdown_is_read_with_a_warning() -> None:
    source = (
        "<div><table><tr><td>Salon du livre à Genève, belle affluence.</td></tr></table></div>\n"
    )
    rendered = render_markdown(source)
    assert "Salon du livre à Genève" in rendered.text
    assert any("mostly raw HTML" in w for w in rendered.warnings)


_WORDS = st.sampled_from(["Lyon", "atelier", "Marie", "conférence", "été", "très", "bien", "2019"])
_PHRASE = st.lists(_WORDS, min_size=1, max_size=4).map(" ".join)
_INLINE = st.one_of(
    _PHRASE,
    _PHRASE.map(lambda p: f"**{p}**"),
    _PHRASE.map(lambda p: f"*{p}*"),
    _PHRASE.map(lambda p: f"[{p}](https://exemple.fr/{len(p)}?a=b_(c))"),
    _PHRASE.map(lambda p: f"![{p}](photo_{len(p)}.jpg)"),
    st.just("`code_inline()`"),
    st.just("{{< tweet 12345 >}}"),
    st.just("{% include note.html %}"),
    st.just("<span>"),
)
_LINE = st.lists(_INLINE, min_size=1, max_size=5).map(" ".join)
_BLOCK = st.one_of(
    _LINE,
    _LINE.map(lambda t: f"## {t}"),
    _LINE.map(lambda t: f"- {t}"),
    _LINE.map(lambda t: f"> {t}"),
    _LINE.map(lambda t: f"1. {t}\n2. {t}"),
    st.just("```\nx = 1\n```"),
    _LINE.map(lambda t: f"| {t} | b |\n|---|---|\n| c | {t} |"),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=6).map("\n\n".join))
def test_generated_markdown_keeps_offsets_and_drops_markup(source: str) -> None:
    rendered = render_markdown(source)
    text = rendered.text
    assert len(text) == len(source)
    for i, char in enumerate(text):
        assert char.isspace() or char == ";" or char == source[i]
    assert not re.search(r"https?:|\]\(|\*|`|\{\{|\{%|\.jpg|code_inline|<span", text)
    normalized = normalize(text, rendered.joined)
    for match in re.finditer(r"\w+", normalized.text):
        start, end = normalized.to_original(match.start(), match.end())
        assert source[start:end] == match.group()
    without_images = re.sub(r"!\[[^\]]*\]", "", source)
    for word in re.findall(
        r"(?<![\w/_.])(?:Lyon|atelier|Marie|conférence)(?![\w.])", without_images
    ):
        assert word in text


def test_no_markup_or_url_in_entities_of_a_post(tmp_path: Path, nlp: Language) -> None:
    path = tmp_path / "2019-10-14-fete-du-code.md"
    path.write_text(POST, encoding="utf-8")
    (doc,) = read_file(path)
    assert isinstance(doc, Document)
    normalized = normalize(doc.text, doc.joined)
    mentions = process_document(doc, nlp(normalized.text), normalized).mentions
    texts = [m.text for m in mentions]
    assert any("Julie Bernard" in t for t in texts), texts
    for mention in mentions:
        assert POST[mention.start : mention.end] == doc.text[mention.start : mention.end] or (
            " " in doc.text[mention.start : mention.end]
        )
        assert not re.search(r"https?|\]\(|\.jpg|IMGP|\{|\*|`|youtube", mention.text), mention


def _realdev_markdown() -> list[Path]:
    posts = REALDEV / "posts"
    return sorted(posts.glob("*.md")) if posts.is_dir() else []


@pytest.mark.skipif(not _realdev_markdown(), reason="../shared/realdev is not there")
def test_realdev_posts_leave_no_markup_in_the_analysed_text() -> None:
    leftovers = re.compile(
        r"\]\(|\{\{<|\{\{|\{%|https?://|!\[|\*\*|<[a-zA-Z/][^>]*>|\w\.(?:jpe?g|png|gif)\b", re.I
    )
    for path in _realdev_markdown():
        (doc,) = read_file(path)
        assert isinstance(doc, Document), doc
        source = path.read_text(encoding="utf-8")
        assert len(doc.text) == len(source), path.name
        found = leftovers.findall(doc.text)
        assert not found, (path.name, found[:5])
        assert not re.search(r"^\s*#{1,6}\s", doc.text, re.M), path.name


def test_binary_file_named_md_is_skipped_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (skip,) = read_file(path)
    assert isinstance(skip, Skipped) and "binary" in skip.reason


def test_markdown_with_only_code_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "code.md"
    path.write_text(
        "---\ntitle: Notes\n---\n```\nimport os\nos.listdir('.')\n```\n", encoding="utf-8"
    )
    (skip,) = read_file(path)
    assert isinstance(skip, Skipped) and "text" in skip.reason
