"""Front matter of static-site posts: YAML (``---``), TOML (``+++``) and JSON (``{ … }``).

YAML is read with ``safe_load`` only, so a tag asking for a Python object is an error, never
executed. A front matter that does not parse is a warning: the post is still read, without
its metadata.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import yaml

_YAML = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL
)
_TOML = re.compile(r"\A(?:\ufeff)?\+\+\+[ \t]*\r?\n(.*?\r?\n)?\+\+\+[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_UNCLOSED = re.compile(r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*\r?\n")


@dataclass(frozen=True)
class FrontMatter:
    """The metadata block at the head of a post and where the body starts."""

    meta: dict[str, Any] = field(default_factory=dict)
    end: int = 0  # offset of the first body character (0 when there is no front matter)
    kind: str = ""  # "yaml", "toml", "json" or ""
    warning: str = ""


def read_front_matter(text: str) -> FrontMatter:
    """The front matter of ``text``, if it has one.

    Example:
        ``"---\\ntitle: Retour sur Sud Web\\n---\\nTexte"`` gives
        ``FrontMatter({"title": "Retour sur Sud Web"}, end=30, kind="yaml")``.
    """
    for pattern, kind in ((_YAML, "yaml"), (_TOML, "toml")):
        match = pattern.match(text)
        if match:
            return _parsed(match.group(1) or "", match.end(), kind)
    if text.lstrip("\ufeff").startswith("{"):
        return _json_front_matter(text)
    unclosed = _UNCLOSED.match(text)
    if unclosed and _looks_like_fields(text[unclosed.end() :]):
        return FrontMatter(warning=f"front matter opened by '{unclosed.group(1)}' is never closed")
    return FrontMatter()


def _looks_like_fields(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return bool(re.match(r"[A-Za-z_][\w-]*\s*[:=]", first))


def _parsed(block: str, end: int, kind: str) -> FrontMatter:
    try:
        meta = _yaml(block) if kind == "yaml" else tomllib.loads(block)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as error:
        return FrontMatter(end=end, kind=kind, warning=_describe(error, kind))
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return FrontMatter(
            end=end, kind=kind, warning=f"{kind.upper()} front matter is not a mapping, ignored"
        )
    return FrontMatter({str(k).lower(): v for k, v in meta.items()}, end, kind)


def _yaml(block: str) -> Any:
    return yaml.safe_load(block)


def _describe(error: Exception, kind: str) -> str:
    if isinstance(error, yaml.constructor.ConstructorError):
        tag = getattr(error, "problem", "") or "unknown tag"
        return f"unsafe or unknown tag in YAML front matter ({tag}), front matter ignored"
    mark = getattr(error, "problem_mark", None)
    where = f" (line {mark.line + 2})" if mark is not None else ""
    if kind == "toml":
        where = f" ({error})"
    return f"broken {kind.upper()} front matter{where}, ignored"


def _json_front_matter(text: str) -> FrontMatter:
    start = len(text) - len(text.lstrip("\ufeff"))
    try:
        meta, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError as error:
        if text[start:].lstrip("{").lstrip().startswith('"'):
            return FrontMatter(warning=f"broken JSON front matter ({error.msg}), ignored")
        return FrontMatter()
    if not isinstance(meta, dict):
        return FrontMatter()
    return FrontMatter({str(k).lower(): v for k, v in meta.items()}, end, "json")
