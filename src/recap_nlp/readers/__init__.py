"""Readers of marked-up posts: front matter, Markdown, reStructuredText, plain-text headers.

Each reader returns the fields of a ``Document`` as a dict (``text`` is the analysed text,
same length as the file for Markdown and reStructuredText) plus ``warnings``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from recap_nlp.readers.frontmatter import read_front_matter
from recap_nlp.readers.markdown import render_markdown
from recap_nlp.readers.postmeta import date_from_path, metadata_fields

__all__ = ["dropped_summary", "read_markdown", "with_path_date"]


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
    if len(found) == 10:
        return {**fields, "published": found, "published_source": "file_name"}
    if found:
        return {**fields, "year_from_path": found}
    return fields
