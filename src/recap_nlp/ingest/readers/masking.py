"""Analysable text as a mask over the source file: same length, markup blanked.

The readers of marked-up posts (Markdown, reStructuredText) do not build a shorter text with a
map back to the file: they blank what is not text. Character ``i`` of the analysed text is
character ``i`` of the source file or a blank standing for markup, so every offset found in
the analysed text is an offset in the original file, with no map to keep in sync. Blanks are
spaces (collapsed by ``normalize``) or line breaks where the source has one or where a block
ends, so headings, list items and table rows stay sentences of their own.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from recap_nlp.records import Link

# Stands for a character blanked before parsing (template tags, footnote marks): the Markdown
# parser reads it as text, so no indentation or block structure changes, and the mask turns
# it into a space.
FILLER = "\ue000"

_URL = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>\"'\]\)]+", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|pre|code|svg)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|<![A-Za-z][^>]*>|<\?.*?\?>",
    re.DOTALL | re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "blockquote",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "figure",
        "figcaption",
        "dt",
        "dd",
        "hr",
        "nav",
    ]
)
_TAG_NAME = re.compile(r"</?([A-Za-z][\w:-]*)")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MD_IN_HTML = re.compile(
    r"(!?)\[([^\[\]\n]*)\]\(([^()\s]*(?:\([^()\s]*\))?[^()\s]*)(?:\s+\"[^\"]*\")?\)"
    r"|^[ \t]*#{1,6}[ \t]|\*\*|__|(?<![\w*])\*(?=\w)|(?<=\w)\*(?![\w*])|^[ \t]*[*+-][ \t]",
    re.MULTILINE,
)


@dataclass
class Mask:
    """The analysed text being built over a source text of the same length.

    Every position starts blank (a space, or the source's line break); readers keep source
    characters and put separators at blank positions.
    """

    source: str
    chars: list[str] = field(init=False)
    links: list[Link] = field(default_factory=list)
    joined: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.chars = ["\n" if c == "\n" else " " for c in self.source]

    def keep(self, start: int, end: int) -> None:
        """Keep the source characters of ``[start, end)`` (template fillers stay blank)."""
        for i in range(max(0, start), min(end, len(self.source))):
            char = self.source[i]
            self.chars[i] = " " if char == FILLER or char == "\r" else char

    def put(self, position: int, char: str) -> None:
        """Put one character (a separator, a decoded entity) at a blank position."""
        if 0 <= position < len(self.chars):
            self.chars[position] = char

    def blank(self, start: int, end: int, keep_breaks: bool = True) -> None:
        """Blank ``[start, end)`` again (line breaks kept unless told)."""
        for i in range(max(0, start), min(end, len(self.source))):
            self.chars[i] = "\n" if keep_breaks and self.source[i] == "\n" else " "

    def join_inline(self, start: int, end: int) -> None:
        """Mark the inline markup between ``start`` and ``end`` as joined.

        A joined blank is a space in the analysed text but is deleted when the text is
        normalised for the model, so "**Marc** Petit," reads "Marc Petit," there.
        """
        source, chars = self.source, self.chars
        for i in range(max(0, start), min(end, len(source))):
            if chars[i] == " " and not source[i].isspace() and source[i] != FILLER:
                self.joined.add(i)

    def put_decoded(self, start: int, end: int, decoded: str) -> None:
        """A decoded entity or escape at the end of ``[start, end)``, its padding joined."""
        decoded = decoded[: end - start]
        first = end - len(decoded)
        self.blank(start, end)
        self.joined.update(range(start, first))
        for k, char in enumerate(decoded):
            self.chars[first + k] = char

    def joined_ranges(self) -> tuple[tuple[int, int], ...]:
        """The joined positions as sorted ``(start, end)`` ranges."""
        ranges: list[tuple[int, int]] = []
        for i in sorted(self.joined):
            if ranges and ranges[-1][1] == i:
                ranges[-1] = (ranges[-1][0], i + 1)
            else:
                ranges.append((i, i + 1))
        return tuple(ranges)

    def text(self) -> str:
        return "".join(self.chars)

    def keep_text_run(self, start: int, end: int) -> None:
        """Keep a run of prose, with its bare URLs blanked and recorded as links."""
        self.keep(start, end)
        for match in _URL.finditer(self.source, start, end):
            url_end = match.end()
            while url_end > match.start() and self.source[url_end - 1] in ".,;:!?":
                url_end -= 1
            self.blank(match.start(), url_end)
            self.links.append(
                Link(self.source[match.start() : url_end], "", match.start(), url_end, "url")
            )


def blank_filler(text: str, start: int, end: int) -> str:
    """``text`` with ``[start, end)`` replaced by fillers (line breaks kept)."""
    middle = "".join("\n" if c == "\n" else FILLER for c in text[start:end])
    return text[:start] + middle + text[end:]


def blank_lines_of_filler(text: str) -> str:
    """Lines made only of fillers and spaces become blank lines (they were template tags)."""
    return re.sub(
        rf"^[ \t#>*+=-]*{FILLER}[ \t{FILLER}]*$",
        lambda m: " " * len(m.group()),
        text,
        flags=re.MULTILINE,
    )


def keep_html_text(mask: Mask, start: int, end: int) -> int:
    """Keep the text of the raw HTML in ``[start, end)``: tags, comments and scripts blanked.

    Block-level tags become line breaks, entities are decoded in place, and Markdown links
    left inside the HTML (CommonMark does not parse them there) keep their text only.

    Example:
        ``<p>Rendez-vous à <b>Lyon</b> !</p>`` keeps "Rendez-vous à Lyon !" at its offsets.

    Returns:
        The number of tags blanked.
    """
    cursor, n_tags = start, 0
    source = mask.source
    for match in _HTML_TAG.finditer(source, start, end):
        _keep_html_run(mask, cursor, match.start())
        n_tags += 1
        name = _TAG_NAME.match(match.group())
        if name and name.group(1).lower() in _BLOCK_TAGS:
            mask.put(match.start(), "\n")
        _record_html_link(mask, match)
        cursor = match.end()
    _keep_html_run(mask, cursor, end)
    return n_tags


_HREF = re.compile(r"""\b(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def _record_html_link(mask: Mask, match: re.Match[str]) -> None:
    tag = match.group()
    if not re.match(r"<(a|img)\b", tag, re.IGNORECASE):
        return
    href = _HREF.search(tag)
    if href:
        alt = _ALT.search(tag)
        kind = "image" if tag[1:4].lower() == "img" else "link"
        text = alt.group(1) if alt else ""
        mask.links.append(Link(href.group(1), text, match.start(), match.end(), kind))


def _keep_html_run(mask: Mask, start: int, end: int) -> None:
    if end <= start:
        return
    mask.keep_text_run(start, end)
    source = mask.source
    for i in range(start, end):
        if source[i] == "\n":
            mask.put(i, " ")  # a line break in HTML is a space, blocks come from the tags
    for entity in _ENTITY.finditer(source, start, end):
        mask.put_decoded(entity.start(), entity.end(), html.unescape(entity.group()))
    for markdown in _MD_IN_HTML.finditer(source, start, end):
        mask.blank(markdown.start(), markdown.end())
        if markdown.group(2) is not None:
            if not markdown.group(1):
                mask.keep(markdown.start(2), markdown.end(2))
            kind = "image" if markdown.group(1) else "link"
            link = Link(
                markdown.group(3), markdown.group(2), markdown.start(), markdown.end(), kind
            )
            mask.links.append(link)
