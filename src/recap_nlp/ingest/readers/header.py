"""The head of a plain-text post: a title line, a date line and a byline.

Posts copied out of a blog as text keep the page's head: the title on the first line, then a
date ("2019-03-14 09:30", "lundi 26 juin 2017", "29 juin 2018 | 22:13", "Publié le 3 mars
2020 à 10h") and often "Par Camille Martin". The lines stay in the analysed text (offsets
unchanged); they fill ``title``, ``published`` and ``author``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from recap_nlp.ingest.readers.postmeta import parse_meta_date

_HEAD_LINES = 5  # non-blank lines looked at
_MAX_TITLE = 160
_WEEKDAY = (
    r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
)
_MONTH_WORD = r"[A-Za-zÀ-ÿ]{3,10}\.?"
_TIME = r"(?:(?:à|a|-|–|\||,|@)?\s*\d{1,2}\s*(?:[:h]\s*\d{2}|h)(?::\d{2})?)"
_DATE = (
    rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:[T ]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?"
    rf"|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}"
    rf"|(?:{_WEEKDAY},?\s+)?\d{{1,2}}(?:er)?\s+{_MONTH_WORD}\s+\d{{4}}"
    rf"|{_MONTH_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
_DATE_LINE = re.compile(
    rf"^\s*(?:(?:publié|posté|mis en ligne|écrit|rédigé)e?\s+(?:le\s+)?)?(?:le\s+)?"
    rf"(?P<date>{_DATE})\s*,?\s*{_TIME}?\s*(?:\|\s*)?(?:par\s+(?P<by>[^|\n]{{2,60}}))?\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\s*(?i:par|by|auteur\s*:|autrice\s*:|écrit par)\s+"
    r"(?P<name>[A-ZÀ-Ý][\w'’.-]*(?:[ -](?:[A-ZÀ-Ý][\w'’.-]*|de|du|des|d'|van|von)){0,4})"
    r"\s*(?:[,|–-]\s*(?P<rest>.*))?$",
)
_NOT_A_TITLE_END = re.compile(r"[.:;,]\s*$")


@dataclass(frozen=True)
class Header:
    """What the head of a text post says, with the offsets of its lines."""

    title: str = ""
    title_span: tuple[int, int] = (0, 0)
    published: str = ""
    date_line: str = ""
    author: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _head_lines(text: str) -> list[tuple[int, int, str]]:
    lines = []
    for match in re.finditer(r"[^\n]*\S[^\n]*", text):
        lines.append((match.start(), match.end(), match.group().strip()))
        if len(lines) == _HEAD_LINES:
            break
    return lines


def read_header(text: str, today: dt.date | None = None) -> Header:
    """The title, date and author lines at the top of a plain-text post.

    Example:
        ``"Retour sur le Salon du livre\\nlundi 26 juin 2017\\nPar Camille Martin\\n\\nTexte"``
        gives ``Header(title="Retour sur le Salon du livre", published="2017-06-26",
        author="Camille Martin")``.
    """
    today = today or dt.date.today()
    lines = _head_lines(text)
    found: dict[str, object] = {}
    warnings: list[str] = []
    for index, (start, _end, line) in enumerate(lines):
        if "published" not in found and "date_line" not in found:
            date = _DATE_LINE.match(line)
            if date:
                _read_date(date, line, today, found, warnings)
                if date.group("by"):
                    found.setdefault("author", date.group("by").strip())
                continue
        byline = _BYLINE.match(line)
        rest = (byline.group("rest") or "") if byline else ""
        date = _DATE_LINE.match(rest) if rest else None
        if byline and "author" not in found and len(line) < 80 and (not rest or date):
            found["author"] = byline.group("name").strip()
            if date and "date_line" not in found:
                _read_date(date, rest, today, found, warnings)
            continue
        if "title" not in found and _title_place(index, found) and _is_title(line, lines[index:]):
            found["title"], found["title_span"] = line, (start, start + len(line))
    return Header(
        title=str(found.get("title", "")),
        title_span=found.get("title_span", (0, 0)),  # type: ignore[arg-type]
        published=str(found.get("published", "")),
        date_line=str(found.get("date_line", "")),
        author=str(found.get("author", "")),
        warnings=tuple(warnings),
    )


def _read_date(
    date: re.Match[str], line: str, today: dt.date, found: dict[str, object], warnings: list[str]
) -> None:
    found["date_line"] = line
    iso, problem = parse_meta_date(date.group("date"))
    if problem:
        warnings.append(f"date line '{line}': {problem}, not used")
    elif iso > (today + dt.timedelta(days=1)).isoformat():
        warnings.append(f"date line '{line}' is in the future ({iso}), not used")
    else:
        found["published"] = iso


def _title_place(index: int, found: dict[str, object]) -> bool:
    """The first line, or the line after a date line that opens the post."""
    return index == 0 or (index == 1 and "date_line" in found)


def _is_title(line: str, lines: list[tuple[int, int, str]]) -> bool:
    """A line of two words or more, short, not ending as a sentence does (unless a date follows)."""
    if len(line) > _MAX_TITLE or _DATE_LINE.match(line) or len(line.split()) < 2:
        return False
    followed_by_date = len(lines) > 1 and bool(
        _DATE_LINE.match(lines[1][2]) or _BYLINE.match(lines[1][2])
    )
    return followed_by_date or (not _NOT_A_TITLE_END.search(line) and len(line.split()) <= 20)


def title_repeated(text: str, header: Header) -> bool:
    """Whether the title line is repeated as the body's first line (then it is blanked)."""
    if not header.title:
        return False
    rest = text[header.title_span[1] :].lstrip()
    for _ in range(3):  # the date and author lines may sit between them
        first, _, rest_after = rest.partition("\n")
        if first.strip() == header.title:
            return True
        if not (_DATE_LINE.match(first) or _BYLINE.match(first)):
            return False
        rest = rest_after.lstrip()
    return False
