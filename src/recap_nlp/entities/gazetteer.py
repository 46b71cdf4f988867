"""User gazetteers (``--gazetteer FILE``): extra names the recogniser must know.

Two formats, chosen by the file's extension:

* ``.tsv`` / ``.txt``: one name a line, ``name<TAB>label[<TAB>canonical]``; blank lines and lines
  starting with ``#`` are skipped. Example: ``UQAM<TAB>ORG<TAB>Université du Québec à Montréal``.
* ``.jsonl``: one spaCy ruler pattern a line, ``{"label": "EVENT", "pattern": "Startupfest",
  "id": "Startupfest"}``; ``pattern`` is a phrase or a list of token patterns and ``id``, when
  present, is the canonical name.

Either way the result is a list of span-ruler patterns whose ``"id"`` is the canonical name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, get_args

from recap_nlp.ingest.normalize import normalized_text
from recap_nlp.records import EntityLabel

LABELS: frozenset[str] = frozenset(get_args(EntityLabel))


class GazetteerError(ValueError):
    """A user gazetteer (or one of its lines) cannot be used; the message names file and line.

    ``lineno`` is 0 when the whole file is at fault (unreadable, binary, not UTF-8).
    """

    def __init__(self, path: str | Path, lineno: int, reason: str) -> None:
        where = f"{path}:{lineno}" if lineno else f"gazetteer {path}"
        super().__init__(f"{where}: {reason}")
        self.path = str(path)
        self.lineno = lineno
        self.reason = reason


def load_user_gazetteer(path: str | Path) -> list[dict[str, Any]]:
    """Read and validate a user gazetteer; return span-ruler patterns.

    Example:
        A line ``Festival d'été<TAB>EVENT`` gives
        ``{"label": "EVENT", "pattern": "Festival d'été", "id": "Festival d'été"}``.

    Raises:
        GazetteerError: the file cannot be read, is binary or not UTF-8; a line holds a NUL
            or control character, has a wrong number of fields, an unknown label, an empty
            name, or (JSONL) is not a JSON object with a label and a pattern.
    """
    path = Path(path)
    parse = _parse_jsonl if path.suffix.lower() == ".jsonl" else _parse_tsv
    patterns = []
    for lineno, line in enumerate(gazetteer_text(path).split("\n"), start=1):
        line = line.removesuffix("\r")
        if line.strip() and not line.lstrip().startswith("#"):
            _check_characters(line, path, lineno)
            pattern = parse(line, path, lineno)
            for text in (pattern["pattern"], pattern["id"]):  # JSON escapes decoded
                if isinstance(text, str):
                    _check_characters(text, path, lineno)
            patterns.append(pattern)
    return patterns


def gazetteer_text(path: Path) -> str:
    """The text of a gazetteer file (UTF-8, a BOM allowed), or a ``GazetteerError`` why not."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise GazetteerError(path, 0, f"unreadable file ({error.strerror or error})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if b"\x00" in data[:4096]:
            raise GazetteerError(path, 0, "binary file, expected UTF-8 text") from None
        lineno = data.count(b"\n", 0, error.start) + 1
        raise GazetteerError(
            path, lineno, f"not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8"
        ) from None


def _check_characters(line: str, path: Path, lineno: int) -> None:
    """Names hold no NUL or other control character (a tab only as the TSV separator).

    Example: ``"Lyon\\x00\\tCITY"`` is refused: ``NUL character (U+0000) in column 5``.
    """
    found = _CONTROL.search(line)  # one regex per line: a character loop took 8 s for 100,000
    if found:
        char, column = found.group(), found.start() + 1
        name = "NUL character" if char == "\x00" else "control character"
        raise GazetteerError(path, lineno, f"{name} (U+{ord(char):04X}) in column {column}")


# Unicode categories Cc (C0 and C1 controls, DEL) and Cs (surrogates), tab excepted.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


def _parse_tsv(line: str, path: Path, lineno: int) -> dict[str, Any]:
    fields = [f.strip() for f in line.split("\t")]
    if len(fields) not in (2, 3):
        raise GazetteerError(
            path, lineno, f"expected 2 or 3 tab-separated fields, got {len(fields)}"
        )
    name, label = fields[0], fields[1]
    canonical = fields[2] if len(fields) == 3 and fields[2] else name
    if not name:
        raise GazetteerError(path, lineno, "empty name")
    _check_label(label, path, lineno)
    return {"label": label, "pattern": _normalise(name), "id": canonical}


def _parse_jsonl(line: str, path: Path, lineno: int) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise GazetteerError(path, lineno, f"not valid JSON ({err.msg})") from err
    if not isinstance(obj, dict) or "label" not in obj or "pattern" not in obj:
        raise GazetteerError(path, lineno, "expected an object with 'label' and 'pattern'")
    _check_label(obj["label"], path, lineno)
    pattern = obj["pattern"]
    if isinstance(pattern, str):
        if not pattern.strip():
            raise GazetteerError(path, lineno, "empty pattern")
        pattern = _normalise(pattern)
    elif not (isinstance(pattern, list) and pattern and all(isinstance(p, dict) for p in pattern)):
        raise GazetteerError(path, lineno, "'pattern' must be a phrase or a list of token dicts")
    canonical = obj.get("id") or (pattern if isinstance(pattern, str) else "")
    if not canonical:
        raise GazetteerError(path, lineno, "a token pattern needs an 'id' (its canonical name)")
    return {"label": obj["label"], "pattern": pattern, "id": str(canonical)}


def _check_label(label: object, path: Path, lineno: int) -> None:
    if label not in LABELS:
        raise GazetteerError(path, lineno, f"unknown label {label!r} (use one of {sorted(LABELS)})")


def _normalise(name: str) -> str:
    """Phrases are matched on normalised text, so apostrophes are normalised the same way."""
    return normalized_text(name)
