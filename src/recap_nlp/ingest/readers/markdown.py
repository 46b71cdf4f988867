"""Markdown posts rendered to analysable text, parsed by markdown-it-py (CommonMark + tables).

Rendering is a mask over the file (see ``masking``): text runs of the parsed document are
found in the source and kept in place; link and image targets, code, emphasis marks, heading
and list markers, raw HTML tags, template tags (Liquid, Hugo, Jinja) and footnote marks are
blanked. Link targets are kept aside as ``Link`` records.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from recap_nlp.ingest.readers.masking import (
    Mask,
    blank_filler,
    blank_lines_of_filler,
    keep_html_text,
)
from recap_nlp.records import Link

# Template tags whose content is code or a comment: the whole block goes.
_TEMPLATE_BLOCKS = re.compile(
    r"\{%-?\s*(highlight|raw|comment|capture)\b.*?%\}.*?\{%-?\s*end\1\s*-?%\}"
    r"|\{\{<\s*(highlight|code|gist|rawhtml)\b.*?>\}\}.*?\{\{<\s*/\2\s*>\}\}"
    r"|\{#.*?#\}",
    re.DOTALL,
)
_TEMPLATE_TAGS = re.compile(
    r"\{\{<.*?>\}\}|\{\{%.*?%\}\}|\{%.*?%\}|\{\{.*?\}\}|\{:[^}\n]*\}", re.DOTALL
)
_FOOTNOTE_MARK = re.compile(r"^[ ]{0,3}\[\^[^\]\s]+\]:|\[\^[^\]\s]+\]", re.MULTILINE)
_FILE_NAME = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|heic|mp4|pdf)\b", re.IGNORECASE)
_MIN_ALT_WORDS = 3
_MAX_FENCE_REPAIRS = 20


@dataclass(frozen=True)
class Rendered:
    """The analysed text of a marked-up post (same length as the source) and what it dropped."""

    text: str
    links: tuple[Link, ...]
    dropped: dict[str, int]
    warnings: tuple[str, ...] = ()
    joined: tuple[tuple[int, int], ...] = ()  # blanks deleted for the model (inline markup)


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    parser.disable("text_join")  # keeps escapes and entities apart, so they align
    return parser


def render_markdown(source: str, body_start: int = 0) -> Rendered:
    """The analysable text of a Markdown post, character ``i`` standing for source ``i``.

    Args:
        source: the whole file text (front matter included).
        body_start: where the body begins (the front matter before it is blanked).

    Example:
        ``"Merci à [Anne Dupont](https://exemple.fr/anne) !"`` gives
        ``"Merci à  Anne Dupont                           !"`` and one link.
    """
    dropped: Counter[str] = Counter()
    warnings: list[str] = []
    work = _premasked(
        source.replace("\r\n", " \n").replace("\r", "\n").replace("\0", " "), body_start, dropped
    )
    for _ in range(_MAX_FENCE_REPAIRS):
        tokens, env = _parse(work)
        unclosed = _unclosed_fence(tokens, work)
        if unclosed is None:
            break
        line, start, end = unclosed
        warnings.append(f"unclosed code fence at line {line + 1}, what follows it read as text")
        work = blank_filler(work, start, end)
    mask = Mask(work)
    _render_tokens(mask, tokens, _line_starts(work), dropped)
    _record_references(mask, env, dropped)
    html_share = dropped.pop("_html_chars", 0) / max(1, len(work) - body_start)
    if html_share > 0.5:
        warnings.append(f"mostly raw HTML ({html_share:.0%} of the body), its text kept")
    return Rendered(
        mask.text(), tuple(mask.links), dict(dropped), tuple(warnings), mask.joined_ranges()
    )


def _parse(work: str) -> tuple[list[Token], dict]:
    env: dict = {}
    return _parser().parse(work, env), env


def _premasked(text: str, body_start: int, dropped: Counter[str]) -> str:
    """Front matter, template tags and footnote marks replaced by fillers, same length."""
    work = blank_filler(text, 0, body_start)
    for pattern, what in ((_TEMPLATE_BLOCKS, "template blocks"), (_TEMPLATE_TAGS, "template tags")):
        for match in reversed(list(pattern.finditer(work, body_start))):
            work = blank_filler(work, match.start(), match.end())
            dropped[what] += 1
    for match in reversed(list(_FOOTNOTE_MARK.finditer(work, body_start))):
        work = blank_filler(work, match.start(), match.end())
    return blank_lines_of_filler(work)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    starts.append(len(text))
    return starts


def _unclosed_fence(tokens: list[Token], work: str) -> tuple[int, int, int] | None:
    """The first code fence never closed: (line, start and end of its opening line)."""
    lines = work.split("\n")
    starts = _line_starts(work)
    for token in tokens:
        if token.type != "fence" or token.map is None:
            continue
        first, last = token.map
        closing = lines[last - 1].lstrip(" \t>").strip() if last - 1 > first else ""
        if not (closing.startswith(token.markup[:3]) and set(closing) <= set(token.markup[0])):
            return first, starts[first], starts[first] + len(lines[first])
    return None


def _render_tokens(
    mask: Mask, tokens: list[Token], starts: list[int], dropped: Counter[str]
) -> None:
    cursor = 0
    in_row, cell_end = False, -1
    for token in tokens:
        if token.type == "code_block" and token.map and _is_prose(token.content):
            _keep_indented_prose(mask, starts[token.map[0]], starts[token.map[1]])
            dropped["indented paragraphs read as text"] += 1
        elif token.type in ("fence", "code_block"):
            dropped["code blocks"] += 1
        elif token.type == "html_block" and token.map:
            start, end = starts[token.map[0]], starts[min(token.map[1], len(starts) - 1)]
            dropped["HTML tags"] += keep_html_text(mask, start, end)
            dropped["_html_chars"] += end - start
        elif token.type == "inline" and token.map:
            cursor = max(cursor, starts[token.map[0]])
            region_end = starts[min(token.map[1], len(starts) - 1)]
            if in_row and cell_end >= 0:
                _put_cell_separator(mask, cell_end, region_end)
            cursor = _render_inline(mask, token.children or [], cursor, region_end, dropped)
            cell_end = cursor if in_row else -1
        elif token.type in ("tr_open", "tr_close"):
            in_row, cell_end = token.type == "tr_open", -1


_CODE_CHARS = re.compile(
    r"[{}();=<>$\\|]|^\s*(?:def|class|import|function|var|let|const|return)\b", re.M
)


def _is_prose(content: str) -> bool:
    """An indented block that is French prose, not code (some blogs indent paragraphs)."""
    letters = sum(c.isalpha() or c.isspace() for c in content)
    return len(content) > 40 and letters / len(content) > 0.9 and not _CODE_CHARS.search(content)


def _keep_indented_prose(mask: Mask, start: int, end: int) -> None:
    mask.keep_text_run(start, end)
    for i in range(start, end - 1):
        if mask.source[i] == "\n" and mask.source[i + 1] not in "\n":
            mask.put(i, " ")


def _put_cell_separator(mask: Mask, after: int, region_end: int) -> None:
    pipe = mask.source.find("|", after, region_end)
    if pipe >= 0:
        mask.put(pipe, ";")


def _render_inline(
    mask: Mask, children: list[Token], cursor: int, end: int, dropped: Counter[str]
) -> int:
    """Keep the text of one inline run; returns the cursor after it."""
    source = mask.source
    links: list[tuple[str, int, int]] = []  # open links: href, text start, kept-text start
    skip_text = 0
    first_kept, last_kept = -1, -1
    for child in children:
        kind = child.type
        if kind == "text" and child.content:
            pos = source.find(child.content, cursor, end)
            if pos < 0:
                dropped["unaligned text runs"] += 1
                continue
            if not skip_text:
                mask.keep_text_run(pos, pos + len(child.content))
                first_kept = pos if first_kept < 0 else first_kept
                last_kept = pos + len(child.content)
            cursor = pos + len(child.content)
        elif kind == "text_special":
            pos = source.find(child.markup, cursor, end)
            if pos >= 0:
                if not skip_text:
                    mask.put_decoded(pos, pos + len(child.markup), child.content)
                first_kept = pos if first_kept < 0 else first_kept
                last_kept = pos + len(child.markup)
                cursor = pos + len(child.markup)
        elif kind in ("softbreak", "hardbreak"):
            pos = source.find("\n", cursor, end)
            if pos >= 0:
                mask.put(pos, " " if kind == "softbreak" else "\n")
                cursor = pos + 1
        elif kind == "code_inline":
            cursor = _past_code(source, child, cursor, end)
            dropped["inline code"] += 1
        elif kind == "html_inline":
            pos = source.find(child.content, cursor, end)
            if pos >= 0:
                if re.match(r"<(br|p|/p|div|/div|li)\b", child.content, re.IGNORECASE):
                    mask.put(pos, "\n")
                cursor = pos + len(child.content)
            dropped["HTML tags"] += 1
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            autolink = child.markup in ("autolink", "linkify")
            skip_text += autolink
            opening = source.find("<" if autolink else "[", cursor, end)
            links.append((href, opening if opening >= 0 else cursor, int(autolink)))
        elif kind == "link_close" and links:
            href, start, autolink = links.pop()
            text = "".join(mask.chars[start:cursor]) if not autolink else ""
            skip_text -= autolink
            cursor = (
                _past_target(source, cursor, end)
                if not autolink
                else _past_char(source, ">", cursor, end)
            )
            mask.links.append(Link(href, " ".join(text.split()), start, cursor, "link"))
            dropped["link targets"] += 1
        elif kind == "image":
            cursor = _render_image(mask, child, cursor, end, dropped)
    if first_kept >= 0:
        mask.join_inline(first_kept, last_kept)
    return cursor


def _render_image(mask: Mask, image: Token, cursor: int, end: int, dropped: Counter[str]) -> int:
    source = mask.source
    start = source.find("![", cursor, end)
    if start < 0:
        return cursor
    alt = image.content.strip()
    inner = start + 2
    keep = len(alt.split()) >= _MIN_ALT_WORDS and not _FILE_NAME.search(alt)
    for child in image.children or []:
        if child.type == "text" and child.content:
            pos = source.find(child.content, inner, end)
            if pos >= 0:
                if keep:
                    mask.keep_text_run(pos, pos + len(child.content))
                inner = pos + len(child.content)
    after = _past_target(source, inner, end)
    if keep:  # the caption stands as a sentence of its own
        mask.put(start, "\n")
        mask.put(after - 1, "\n")
    else:
        dropped["images"] += 1
    mask.links.append(Link(str(image.attrs.get("src", "")), alt, start, after, "image"))
    return after


def _past_code(source: str, token: Token, cursor: int, end: int) -> int:
    opening = source.find(token.markup, cursor, end)
    if opening < 0:
        return cursor
    closing = source.find(
        token.markup, opening + len(token.markup) + max(0, len(token.content) - 2), end
    )
    return closing + len(token.markup) if closing >= 0 else opening + len(token.markup)


def _past_char(source: str, char: str, cursor: int, end: int) -> int:
    pos = source.find(char, cursor, end)
    return pos + 1 if pos >= 0 else cursor


def _past_target(source: str, cursor: int, end: int) -> int:
    """The offset after a link's ``](target "title")``, ``][ref]`` or ``]``."""
    close = source.find("]", cursor, end)
    if close < 0:
        return cursor
    after = close + 1
    if source.startswith("(", after):
        depth, i, angle = 0, after, False
        while i < end:
            char = source[i]
            if char == "\\":
                i += 2
                continue
            if char == "<":
                angle = True
            elif char == ">":
                angle = False
            elif char == "(" and not angle:
                depth += 1
            elif char == ")" and not angle:
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return after
    if source.startswith("[", after):
        return _past_char(source, "]", after, end)
    return after


def _record_references(mask: Mask, env: dict, dropped: Counter[str]) -> None:
    starts = _line_starts(mask.source)
    for label, reference in sorted(env.get("references", {}).items()):
        first, last = reference.get("map") or (0, 0)
        start, end = starts[first], starts[min(last, len(starts) - 1)]
        mask.links.append(Link(str(reference.get("href", "")), label, start, end, "reference"))
        dropped["link targets"] += 1
