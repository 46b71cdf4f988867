"""Readers of marked-up posts: front matter, Markdown, reStructuredText, plain-text headers.

Each reader returns the fields of a ``Document`` as a dict (``text`` is the analysed text,
same length as the file for Markdown and reStructuredText) plus ``warnings``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from recap_nlp.ingest.readers.frontmatter import read_front_matter
from recap_nlp.ingest.readers.header import read_header, title_repeated
from recap_nlp.ingest.readers.markdown import render_markdown
from recap_nlp.ingest.readers.postmeta import date_from_path, metadata_fields

__all__ = ["dropped_summary", "read_markdown", "read_rst", "read_text_post", "with_path_date"]


def read_rst(text: str) -> dict[str, Any]:
    """The fields of a reStructuredText post: its title and field list, the text in place.

    Example:
        ``"Retour sur PyCon FR\n===================\n\n:date: 2019-11-02\n\nÀ Bordeaux."``
        gives title "Retour sur PyCon FR", published "2019-11-02" (source ``rst``).
    """
    from docutils import ApplicationError
    from docutils.utils import SystemMessage

    from recap_nlp.ingest.readers.rst import render_rst

    try:
        rendered, meta = render_rst(text)
    except (ApplicationError, SystemMessage) as error:  # docutils gave up on the markup
        reason = " ".join(str(error).split())[:200]
        return {"text": text, "warnings": [f"docutils could not parse it ({reason}), read as text"]}
    fields: dict[str, Any] = {"warnings": []}
    if meta:
        fields.update(metadata_fields(meta, where="field list"))
        if fields.get("published"):
            fields["published_source"] = "rst"
    fields["text"], fields["links"], fields["joined"] = (
        rendered.text,
        rendered.links,
        rendered.joined,
    )
    fields["warnings"] = [*fields["warnings"], *rendered.warnings]
    _check_date_line(fields, rendered.text)
    if summary := dropped_summary(rendered.dropped):
        fields["warnings"].append(summary)
    return fields


def read_text_post(text: str) -> dict[str, Any]:
    """The fields of a plain-text post: its title, date and author lines, the text unchanged.

    The title line is blanked (same length) only when the body repeats it.

    Example:
        ``"Transmusicales 2021\n05 décembre 2021\nPar Camille Martin\n\n32 000 spectateurs…"``
        gives title "Transmusicales 2021", published "2021-12-05", author "Camille Martin".
    """
    header = read_header(text)
    fields: dict[str, Any] = {"text": text, "warnings": list(header.warnings)}
    if header.title:
        fields["title"] = header.title
        if title_repeated(text, header):
            start, end = header.title_span
            fields["text"] = text[:start] + " " * (end - start) + text[end:]
    if header.published:
        fields["published"], fields["published_source"] = header.published, "text"
    if header.author:
        fields["author"] = header.author
    return fields


def _check_date_line(fields: dict[str, Any], text: str) -> None:
    """Compare the metadata date with a date line at the top of the body; fill it if missing."""
    header = read_header(text)
    fields["warnings"].extend(header.warnings)
    if not header.published:
        return
    if not fields.get("published"):
        fields["published"], fields["published_source"] = header.published, "text"
    elif fields["published"] != header.published:
        fields["warnings"].append(
            f"metadata date {fields['published']} disagrees with the date line "
            f"'{header.date_line}' ({header.published}); metadata kept"
        )


def read_markdown(text: str) -> dict[str, Any]:
    """The fields of a Markdown post: front matter metadata and the rendered text.

    Example:
        ``"---\\ntitle: Retour sur Sud Web\\n---\\n## Jour 1\\nÀ [Nîmes](https://…)."`` gives
        title "Retour sur Sud Web" and a text where only "Jour 1" and "À Nîmes." remain.
    """
    front = read_front_matter(text)
    fields: dict[str, Any] = {"warnings": []}
    if front.warning:
        fields["warnings"].append(front.warning)
    if front.meta:
        fields.update(metadata_fields(front.meta))
        if fields.get("published"):
            fields["published_source"] = "front_matter"
    rendered = render_markdown(text, front.end)
    fields["text"] = rendered.text
    fields["links"] = rendered.links
    fields["joined"] = rendered.joined
    fields["warnings"] = [*fields["warnings"], *rendered.warnings]
    _check_date_line(fields, rendered.text)
    _check_date_line(fields, rendered.text)
    if summary := dropped_summary(rendered.dropped):
        fields["warnings"].append(summary)
    return fields


def dropped_summary(dropped: dict[str, int]) -> str:
    """What the rendering left out, as one warning ("dropped 12 link targets, 3 code blocks")."""
    parts = [f"{n} {what}" for what, n in sorted(dropped.items(), key=lambda kv: -kv[1]) if n]
    return "dropped " + ", ".join(parts) if parts else ""


def with_path_date(fields: dict[str, Any], path: Path) -> dict[str, Any]:
    """Fill ``published`` from the file name or folder when the post's metadata has none.

    Example:
        ``2018-11-06-retour-sur-sudweb.md`` with no ``date`` field gives "2018-11-06".
    """
    if fields.get("published"):
        return fields
    found = date_from_path(path)
    if len(found) == 10:  # a year folder alone is no publication date
        return {**fields, "published": found, "published_source": "file_name"}
    return fields
