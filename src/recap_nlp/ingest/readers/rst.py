"""reStructuredText posts (Pelican, Sphinx blogs) read with docutils, markup blanked in place.

docutils gives a document tree but no character offsets, so the text of the tree is aligned
back to the source word by word, in order, each word searched a short way ahead of the last
one; a word not found there is left out (counted), never placed elsewhere. Field lists at the
top (``:date:``, ``:author:``, ``:tags:``) are metadata. ``include`` and ``raw`` directives are
disabled: reading a post never reads another file.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

from recap_nlp.ingest.readers.markdown import Rendered
from recap_nlp.ingest.readers.masking import FILLER, Mask
from recap_nlp.records import Link

_SKIPPED_NODES = frozenset(
    [
        "literal_block",
        "literal",
        "comment",
        "raw",
        "system_message",
        "docinfo",
        "target",
        "substitution_definition",
        "footnote_reference",
        "citation_reference",
        "label",
        "problematic",
        "doctest_block",
        "math",
        "math_block",
        "field_list",
        "option_list_item",
        "pending",
    ]
)
_BLOCK_NODES = frozenset(
    [
        "paragraph",
        "title",
        "subtitle",
        "list_item",
        "term",
        "definition",
        "line",
        "rubric",
        "caption",
        "entry",
    ]
)
# Hyperlink targets and bare addresses, hidden from the word search so a word never lands there.
_TARGETS = re.compile(r"<[^<>\n]+>(?=`)|https?://[^\s`>]+|^\.\. _[^\n]*$", re.M)
_LOOKAHEAD = 400


def render_rst(source: str) -> tuple[Rendered, dict[str, Any]]:
    """The analysed text of a reStructuredText post and its field-list metadata.

    Example:
        ``"Retour\\n======\\n\\n:date: 2019-11-02\\n\\nÀ **Bordeaux**."`` keeps "Retour" and
        "À Bordeaux." in place and gives ``{"title": "Retour", "date": "2019-11-02"}``.
    """
    from docutils.core import publish_doctree  # imported here: only .rst posts need it

    warnings_stream = io.StringIO()
    tree = publish_doctree(
        source,
        settings_overrides={
            "report_level": 5,
            "halt_level": 5,
            "file_insertion_enabled": False,
            "raw_enabled": False,
            "warning_stream": warnings_stream,
            "input_encoding": "unicode",
        },
    )
    search = _TARGETS.sub(lambda m: FILLER * len(m.group()), source.replace("\r", " "))
    mask = Mask(search)
    dropped: Counter[str] = Counter()
    _align(tree, mask, dropped)
    meta = _docinfo(tree)
    if tree.get("title"):
        meta.setdefault("title", str(tree["title"]))
    errors = [_describe(m) for m in tree.findall(_is_error)]
    warnings = (f"reStructuredText errors: {'; '.join(errors[:3])}",) if errors else ()
    links = _links(tree, source)
    dropped["link targets"] = len(links)
    dropped["code blocks"] = sum(1 for _ in tree.findall(_is_code))
    rendered = Rendered(mask.text(), links, dict(dropped), warnings, mask.joined_ranges())
    return rendered, meta


def _is_error(node: Any) -> bool:
    return node.tagname == "system_message" and node.get("level", 0) >= 3


def _has_uri(node: Any) -> bool:
    return node.tagname == "reference" and "refuri" in node.attributes


def _links(tree: Any, source: str) -> tuple[Link, ...]:
    """The references with a target, placed at their text's first occurrence in order."""
    links, cursor = [], 0
    for node in tree.findall(_has_uri):
        text = node.astext()
        start = source.find(text, cursor) if text else -1
        if start < 0:
            start, end = cursor, cursor
        else:
            end = start + len(text)
            cursor = end
        links.append(Link(str(node["refuri"]), text, start, end, "link"))
    return tuple(links)


def _is_code(node: Any) -> bool:
    return node.tagname in ("literal_block", "doctest_block")


def _describe(message: Any) -> str:
    text = message.children[0].astext() if message.children else message.astext()
    return f"line {message.get('line', '?')}: {' '.join(text.split())}"


def _align(tree: Any, mask: Mask, dropped: Counter[str]) -> None:
    """Keep, in source order, every word of the tree's text found a short way ahead."""
    cursor = 0
    previous_end, previous_block = -1, None
    for text, block in _text_runs(tree):
        for word in re.finditer(r"\S+", text):
            position = mask.source.find(word.group(), cursor, cursor + _LOOKAHEAD)
            if position < 0:
                dropped["unaligned words"] += 1
                continue
            end = position + len(word.group())
            mask.keep(position, end)
            if block is previous_block and previous_end >= 0:
                _join_gap(mask, previous_end, position)
            previous_end, previous_block, cursor = end, block, end


def _join_gap(mask: Mask, start: int, end: int) -> None:
    """Between two words of one block: a line break is a space; markup alone is joined."""
    gap = mask.source[start:end]
    if not gap.strip():
        for i in range(start, end):
            if mask.source[i] == "\n":
                mask.put(i, " ")
    elif not any(c.isspace() for c in gap):
        mask.join_inline(start, end)
    else:
        for i in range(start, end):
            if mask.source[i] == "\n":
                mask.put(i, " ")


def _text_runs(node: Any, block: Any = None) -> list[tuple[str, Any]]:
    runs: list[tuple[str, Any]] = []
    for child in node.children:
        name = child.tagname
        if name == "#text":
            runs.append((child.astext(), block))
        elif name not in _SKIPPED_NODES:
            runs.extend(_text_runs(child, child if name in _BLOCK_NODES else block))
    return runs


def _docinfo(tree: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for info in tree.findall(lambda n: n.tagname == "docinfo"):
        for field in info.children:
            if field.tagname == "field" and len(field.children) == 2:
                meta[field.children[0].astext().strip().lower()] = field.children[1].astext()
            elif field.tagname == "authors":
                meta["authors"] = [a.astext() for a in field.children]
            else:
                meta[field.tagname] = field.astext()
    return meta
