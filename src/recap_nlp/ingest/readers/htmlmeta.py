"""Metadata a blog page states about itself: JSON-LD, Open Graph ``article:*``, ``<time>``.

These come before what trafilatura guesses (it may take a date from the text): JSON-LD
``datePublished``, then ``article:published_time``, then the first ``<time datetime>``.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from recap_nlp.ingest.readers.postmeta import author_name

_JSON_LD = re.compile(
    r"<script[^>]*type=[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.S | re.I
)
_META = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TIME = re.compile(r"<time\b[^>]*\bdatetime\s*=\s*[\"']([^\"']+)[\"']", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S | re.I)


def html_metadata(page: str) -> dict[str, Any]:
    """Title, publication date and author a page declares (raw values, "" when absent).

    Example:
        ``<meta property="article:published_time" content="2019-05-17T10:00:00+02:00">``
        gives ``{"published": "2019-05-17T10:00:00+02:00", ...}``.
    """
    found: dict[str, Any] = {}

    def offer(key: str, value: Any) -> None:
        if value and isinstance(value, str) and not found.get(key):
            found[key] = value.strip()

    for item in _json_ld_items(page):
        offer("published", item.get("datePublished"))
        offer("author", author_name(item.get("author")))
        offer("title", item.get("headline"))
    metas = [_attributes(tag) for tag in _META.findall(page)]
    for meta in metas:
        key = (meta.get("property") or meta.get("name") or "").lower()
        value = meta.get("content", "")
        if key == "article:published_time":
            offer("published", value)
        elif key in ("author", "article:author") and not value.startswith("http"):
            offer("author", value)
        elif key == "og:title":
            offer("title", value)
    if time := _TIME.search(page):
        offer("published", time.group(1))
    if title := _TITLE.search(page):
        offer("title", html.unescape(" ".join(title.group(1).split())))
    return found


def _json_ld_items(page: str) -> list[Any]:
    items: list[Any] = []
    for block in _JSON_LD.findall(page):
        try:
            data = json.loads(block)
        except json.JSONDecodeError:
            continue
        graph = data.get("@graph") if isinstance(data, dict) else None
        items.extend(
            graph if isinstance(graph, list) else data if isinstance(data, list) else [data]
        )
    return [item for item in items if isinstance(item, dict) and "datePublished" in item] + [
        item for item in items if isinstance(item, dict) and "datePublished" not in item
    ]


def _attributes(tag: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR.finditer(tag)
    }
