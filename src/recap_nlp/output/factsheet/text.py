"""Text on the sheets: labels per language, dates spelled out, reasons translated, escaping."""

from __future__ import annotations

import hashlib
import re
import tomllib
from importlib import resources
from typing import Any

# "_" inside a word (doc ids, snake_case) is not emphasis in CommonMark: left as is.
_MD_SPECIAL = re.compile(r"([\\`*\[\]#|]|(?<!\w)_|_(?!\w))")
_UNSAFE_IN_NAME = re.compile(r"[^\w.-]")
# File systems allow 255 bytes per name: a longer stem is cut and given a short hash.
_MAX_STEM_BYTES = 120


def sheet_stem(event_id: str) -> str:
    """A file name for an event id: no path separators, no leading dot, at most 120 bytes.

    A longer id is cut and ends with 8 hex digits of its SHA-1, so two long ids that share
    their start still get two files. Example: ``"salon-du-livre-2018"`` stays as it is.
    """
    stem = _UNSAFE_IN_NAME.sub("_", str(event_id)).lstrip(".") or "event"
    if len(stem.encode("utf-8")) <= _MAX_STEM_BYTES:
        return stem
    digest = hashlib.sha1(str(event_id).encode("utf-8")).hexdigest()[:8]
    cut = stem.encode("utf-8")[: _MAX_STEM_BYTES - 9].decode("utf-8", errors="ignore")
    return f"{cut.rstrip('._-')}-{digest}"


def load_labels(lang: str) -> dict[str, Any]:
    """The sheet's labels in ``lang`` ("fr" or "en"), from ``templates/labels_<lang>.toml``."""
    if lang not in ("fr", "en"):
        raise ValueError(f"unsupported language {lang!r}: use 'fr' or 'en'")
    text = (
        resources.files("recap_nlp.output.factsheet")
        .joinpath(f"templates/labels_{lang}.toml")
        .read_text("utf-8")
    )
    return tomllib.loads(text)


def format_date(value: str, labels: dict[str, Any]) -> str:
    """A readable date or date range from ISO text.

    Example: ``"2017-06-03..2017-06-11"`` → ``"du 3 au 11 juin 2017"`` with French labels;
    ``"2018-11"`` → ``"novembre 2018"``.
    """
    dates = labels["date_format"]
    start, _, end = str(value).partition("..")
    a, b = _date_parts(start), _date_parts(end or start)
    if a is None or b is None:
        return str(value)
    if a == b:
        return _one_date(a, dates)
    if len(a) == len(b) == 3 and a[:2] == b[:2]:
        month = dates["months"][a[1] - 1]
        return dates["same_month"].format(day1=a[2], day2=b[2], month=month, year=a[0])
    return dates["range"].format(start=_one_date(a, dates), end=_one_date(b, dates))


def _date_parts(text: str) -> tuple[int, ...] | None:
    parts = text.strip().split("-")
    if not text.strip() or not all(p.isdigit() for p in parts) or len(parts) > 3:
        return None
    return tuple(int(p) for p in parts)


def _one_date(parts: tuple[int, ...], dates: dict[str, Any]) -> str:
    if len(parts) == 1:
        return str(parts[0])
    month = dates["months"][parts[1] - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return dates["day"].format(day=parts[2], month=month, year=parts[0])


def display_value(attribute: str, value: str, labels: dict[str, Any]) -> str:
    """A chosen value as shown on a sheet: dates spelled out, lists joined with commas."""
    if attribute == "date":
        return format_date(value, labels)
    return ", ".join(v.strip() for v in str(value).split(";") if v.strip())


def translate_reason(reason: str, labels: dict[str, Any]) -> str:
    """The reconciliation's reason in the sheet's language (unknown parts kept as they are).

    Example: ``"all 2 sources agree"`` → ``"les 2 sources concordent"`` with French labels.
    """
    parts = []
    for part in str(reason).split("; "):
        for rule in labels.get("reasons", []):
            match = re.fullmatch(rule["pattern"], part.strip())
            if match:
                part = rule["text"].format(*match.groups())
                break
        parts.append(part)
    return " ; ".join(parts) if labels["lang"] == "fr" else "; ".join(parts)


def markdown_text(value: object) -> str:
    """Text safe inside Markdown: no markup, no raw HTML, one line.

    Example: ``"<script>*Québec*</script>"`` → ``"&lt;script&gt;\\*Québec\\*&lt;/script&gt;"``.
    """
    if value is None:
        return ""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\s+", " ", _MD_SPECIAL.sub(r"\\\1", text))
