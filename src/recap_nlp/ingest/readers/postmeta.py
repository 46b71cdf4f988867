"""Post metadata from front matter, field lists and file names, as the fields of ``Document``.

Precedence of the publication date (README, "Metadata precedence"): ``metadata.csv``, then the
post's own metadata (front matter, HTML metadata, reStructuredText fields), then a date line
in the text, then the file name (``2018-11-06-slug.md``) or its folder (``2019/slug/index.md``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from recap_nlp.french import fold, months

_DATE_KEYS = (
    "date",
    "published",
    "pubdate",
    "pubdatetime",
    "publishdate",
    "published_at",
    "created",
)
_LASTMOD_KEYS = ("lastmod", "updated", "modified", "last_modified", "update")
_AUTHOR_KEYS = ("author", "authors", "auteur", "auteurs", "author_name", "author_username")
# Month names (folded), then the abbreviations and English names of dates in file metadata.
_MONTHS = {
    **{fold(name): number for number, name in enumerate(months(), start=1)},
    **dict.fromkeys(("janv", "jan", "january"), 1),
    **dict.fromkeys(("fevr", "fev", "feb", "february"), 2),
    **dict.fromkeys(("mar", "march"), 3),
    **dict.fromkeys(("avr", "apr", "april"), 4),
    **dict.fromkeys(("may",), 5),
    **dict.fromkeys(("jun", "june"), 6),
    **dict.fromkeys(("juil", "jul", "july"), 7),
    **dict.fromkeys(("aug", "august"), 8),
    **dict.fromkeys(("sept", "sep", "september"), 9),
    **dict.fromkeys(("oct", "october"), 10),
    **dict.fromkeys(("nov", "november"), 11),
    **dict.fromkeys(("dec", "december"), 12),
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_WORDS = re.compile(r"(\d{1,2})(?:er)?\s+([^\W\d_]+)\.?,?\s+(\d{4})")
_WORDS_EN = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_FILE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[-_].*)?$")
_YEAR_FOLDER = re.compile(r"^(19|20)\d{2}$")


def parse_meta_date(value: Any) -> tuple[str, str]:
    """An ISO date from a metadata value, and a problem when it cannot be one.

    Example:
        ``"26 juin 2017"`` gives ``("2017-06-26", "")``; ``"31 février 2018"`` gives
        ``("", "impossible date '31 février 2018'")``.
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), ""
    if isinstance(value, dt.date):
        return value.isoformat(), ""
    if not isinstance(value, str | int) or not str(value).strip():
        return "", ""
    text = str(value).strip()
    parts = _date_parts(text)
    if parts is None:
        return "", f"unreadable date '{text}'"
    try:
        return dt.date(*parts).isoformat(), ""
    except ValueError:
        return "", f"impossible date '{text}'"


def _date_parts(text: str) -> tuple[int, int, int] | None:
    if match := _ISO.match(text):
        return int(match[1]), int(match[2]), int(match[3])
    if match := _NUMERIC.match(text):
        return int(match[3]), int(match[2]), int(match[1])
    folded = fold(text, compatibility=True)
    if (match := _WORDS.search(folded)) and match[2] in _MONTHS:
        return int(match[3]), _MONTHS[match[2]], int(match[1])
    if (match := _WORDS_EN.search(folded)) and match[1] in _MONTHS:
        return int(match[3]), _MONTHS[match[1]], int(match[2])
    return None


def date_from_path(path: Path) -> str:
    """The date a static-site file name or folder gives, "" when none.

    Example:
        ``_posts/2018-11-06-retour-sur-sudweb.md`` gives "2018-11-06"; a Hugo bundle
        ``2019/retour-sur-sudweb/index.md`` gives "2019" (a year only).
    """
    names = [path.stem] + ([path.parent.name] if path.stem in ("index", "_index") else [])
    for name in names:
        if match := _FILE_DATE.match(name):
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
            except ValueError:
                return ""
    for folder in path.parents[: 3 if path.stem in ("index", "_index") else 2]:
        if _YEAR_FOLDER.match(folder.name):
            return folder.name
    return ""


def text_list(value: Any) -> tuple[str, ...]:
    """Tags or categories as a tuple of names: a YAML list, or a comma-separated string.

    Example:
        ``"conférence, Lyon"`` gives ``("conférence", "Lyon")``.
    """
    if value is None or isinstance(value, bool):
        return ()
    if isinstance(value, str | int | float):
        items = str(value).split(",") if "," in str(value) else str(value).split()
    elif isinstance(value, list | tuple):
        items = [
            str(v) for v in value if isinstance(v, str | int | float) and not isinstance(v, bool)
        ]
    else:
        return ()
    return tuple(dict.fromkeys(item.strip() for item in items if item.strip()))


def author_name(value: Any) -> str:
    """An author as text: a string, a list of names, or mappings with a ``name``."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return author_name(value.get("name") or value.get("display_name") or value.get("nom") or "")
    if isinstance(value, list | tuple):
        return ", ".join(n for n in (author_name(v) for v in value) if n)
    return ""


def _first(meta: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if meta.get(key) not in (None, ""):
            return meta[key]
    return None


def metadata_fields(meta: dict[str, Any], where: str = "front matter") -> dict[str, Any]:
    """The ``Document`` fields a metadata mapping gives, with ``warnings`` for bad values.

    Example:
        ``{"title": "Retour sur Sud Web", "date": "2019-05-17", "tags": ["web"]}`` gives
        ``{"title": "Retour sur Sud Web", "published": "2019-05-17", "tags": ("web",), ...}``.
    """
    meta = {str(k).lower(): v for k, v in meta.items()}
    fields: dict[str, Any] = {"warnings": []}
    for key in ("title", "url", "slug"):
        if isinstance(meta.get(key), str | int | float) and not isinstance(meta.get(key), bool):
            fields[key] = str(meta[key]).strip()
    if author := author_name(_first(meta, _AUTHOR_KEYS)):
        fields["author"] = author
    for key, keys in (("published", _DATE_KEYS), ("lastmod", _LASTMOD_KEYS)):
        value = _first(meta, keys)
        iso, problem = parse_meta_date(value)
        if iso:
            fields[key] = iso
        elif problem:
            fields["warnings"].append(f"{where}: {problem}, ignored")
    fields["tags"] = text_list(meta.get("tags", meta.get("tag")))
    fields["categories"] = text_list(meta.get("categories", meta.get("category")))
    lang = meta.get("lang", meta.get("language"))
    if isinstance(lang, str) and lang.strip():
        fields["lang"] = lang.strip().lower()
    if isinstance(meta.get("draft"), bool):
        fields["draft"] = meta["draft"]
    return fields
