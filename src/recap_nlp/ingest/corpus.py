"""Reading a corpus: folders or globs of .txt, .md, .rst, .html and .jsonl posts.

Errors are values here: a file that cannot be read becomes a ``Skipped`` record naming the
file and the reason, and the rest of the corpus is still read.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import json
import logging
import os
import re
import stat
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from recap_nlp.ingest.docids import unique_ids
from recap_nlp.ingest.encodings import UndecodableError, decode_bytes
from recap_nlp.ingest.language import guess_language
from recap_nlp.ingest.readers import read_markdown, read_rst, read_text_post, with_path_date
from recap_nlp.ingest.readers.htmlmeta import html_metadata
from recap_nlp.records import Document, Skipped

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".rst": "rst",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
}
METADATA_FILE = "metadata.csv"
METADATA_FIELDS = ("title", "published", "author", "url", "language")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# A 5 MB post takes minutes to parse with the small model; bigger files are usually dumps.
DEFAULT_MAX_BYTES = 5_000_000
# Posts shorter than this (after stripping) carry no usable text.
_MIN_CHARS = 20


@dataclass(frozen=True)
class ReadResult:
    documents: list[Document]
    skipped: list[Skipped]
    tracebacks: list[str] = field(default_factory=list)  # unexpected reader errors


def find_files(source: str | Path) -> list[Path]:
    """The post files under a folder (recursively, hidden files left out) or matching a glob."""
    path = Path(source)
    if path.is_dir():
        return sorted(_walk(path))
    if path.is_file():
        return [path]
    return sorted(Path(p) for p in glob.glob(str(source), recursive=True) if Path(p).is_file())


def _walk(folder: Path) -> Iterator[Path]:
    # os.walk does not follow symlinked folders, so a symlink loop cannot trap it.
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and name != METADATA_FILE:
                yield Path(root) / name


def read_corpus(source: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read every post under ``source``; unreadable files come back as ``Skipped``.

    A ``metadata.csv`` beside the posts (columns ``doc_id`` plus any of title, published,
    author, url, language) comes first: its values replace what the files say.
    """
    metadata = read_metadata(Path(source) / METADATA_FILE) if Path(source).is_dir() else {}
    documents: list[Document] = []
    skipped: list[Skipped] = []
    tracebacks: list[str] = []
    for path in find_files(source):
        for item in read_file_safely(path, max_bytes, tracebacks):
            if isinstance(item, Skipped):
                log.warning("skipped %s: %s", item.path, item.reason)
                skipped.append(item)
            else:
                documents.append(_with_metadata(item, metadata.get(item.doc_id, {})))
    root = Path(source) if Path(source).is_dir() else None
    return ReadResult(unique_ids(documents, root), skipped, tracebacks)


def read_file_safely(path: Path, max_bytes: int, tracebacks: list[str]) -> list[Document | Skipped]:
    """``read_file`` for regular files only; a reader's unexpected exception skips the file.

    A FIFO, socket or device would block the run or read forever: skipped with its kind.
    The traceback of an unexpected exception is appended to ``tracebacks`` (for run.log).
    """
    kind = special_file_kind(path)
    if kind:
        return [Skipped(str(path), f"not a regular file ({kind})")]
    try:
        return read_file(path, max_bytes)
    except Exception as error:  # one file's bug (or a missing module) must not stop the run
        tracebacks.append(f"{path}:\n{''.join(traceback.format_exception(error))}")
        return [
            Skipped(str(path), f"unexpected error in the reader: {type(error).__name__}: {error}")
        ]


def special_file_kind(path: Path) -> str:
    """ "FIFO", "socket", "device"... for a path that is not a regular file, else ""."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return ""  # read_file names the error
    if stat.S_ISREG(mode):
        return ""
    kinds = (
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISDIR, "folder"),
    )
    return next((name for test, name in kinds if test(mode)), "special file")


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """The rows of a corpus metadata CSV, keyed by doc_id."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["doc_id"]: {k: (v or "").strip() for k, v in row.items()} for row in rows}


def _with_metadata(doc: Document, meta: dict[str, str]) -> Document:
    """``metadata.csv`` first: its values replace what the file says (README, precedence)."""
    updates = {key: meta[key] for key in METADATA_FIELDS if meta.get(key)}
    updates = {key: value for key, value in updates.items() if value != getattr(doc, key)}
    if "published" in updates:
        updates["published_source"] = "metadata"
    return replace(doc, **updates) if updates else doc


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Document | Skipped]:
    """Read one file into documents (one, or one per line for JSON Lines) or skips."""
    kind = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        return [Skipped(str(path), f"unsupported file type '{path.suffix or '(none)'}'")]
    try:
        size = path.stat().st_size
        if size > max_bytes and kind != "jsonl":
            return [Skipped(str(path), _too_large(size, max_bytes))]
        data = path.read_bytes()
    except OSError as error:
        return [Skipped(str(path), f"unreadable file: {error.strerror or error}")]
    try:
        decoded = decode_bytes(data)
    except UndecodableError as error:
        return [Skipped(str(path), str(error))]
    warnings = (decoded.warning,) if decoded.warning else ()
    if kind == "jsonl":
        return _read_jsonl(path, decoded.text, decoded.encoding)
    reader = {"txt": read_text_post, "md": read_markdown, "rst": read_rst, "html": _read_html}[kind]
    try:
        fields = reader(decoded.text)
        fields = with_path_date(fields, path)
    except ValueError as error:
        return [Skipped(str(path), str(error))]
    return [_build_document(path.stem, path, kind, decoded.encoding, warnings, fields)]


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"file too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB; "
        "raise [run] max_file_mb in a --config file to analyse it)"
    )


def _read_html(html: str) -> dict[str, Any]:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False
    )
    text = _without_boilerplate(extracted.text if extracted is not None else "")
    if not text.strip():
        raise ValueError("HTML page has no main text (only navigation, scripts or banners)")
    declared = html_metadata(html)
    meta = {
        "title": extracted.title or declared.get("title"),
        "author": extracted.author or declared.get("author"),
        "url": extracted.url,
        "published": declared.get("published") or extracted.date,
    }
    fields: dict[str, Any] = _metadata_fields(meta)
    if fields.get("published"):
        fields["published_source"] = "html"
    return {**fields, "text": text}


@cache
def _boilerplate_patterns() -> list[re.Pattern[str]]:
    lines = resources.files("recap_nlp.data").joinpath("html_boilerplate.txt").read_text("utf-8")
    return [
        re.compile(line, re.IGNORECASE)
        for line in lines.splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _without_boilerplate(text: str) -> str:
    """Drop the consent-banner lines trafilatura keeps when a page has nothing else."""
    kept = [
        line
        for line in text.splitlines()
        if len(line) >= 400 or not any(p.search(line) for p in _boilerplate_patterns())
    ]
    return "\n".join(kept)


def _read_jsonl(path: Path, text: str, encoding: str) -> list[Document | Skipped]:
    items: list[Document | Skipped] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            items.append(Skipped(where, f"malformed JSON line: {error.msg}"))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            items.append(Skipped(where, "JSON line needs an object with a string 'text' field"))
            continue
        doc_id = str(record.get("id") or f"{path.stem}-{number}")
        fields = {**_metadata_fields(record), "text": record["text"]}
        items.append(_build_document(doc_id, Path(where), "jsonl", encoding, (), fields))
    return items


def _metadata_fields(meta: dict[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for key in ("title", "author", "url"):
        if isinstance(meta.get(key), str | int | float):
            fields[key] = str(meta[key]).strip()
    if not fields.get("author") and _author_field(meta):
        fields["author"] = _author_field(meta)
    published = meta.get("published", meta.get("date"))
    if published is not None and _ISO_DATE.match(str(published)):
        fields["published"] = str(published)[:10]
    return fields


def _author_field(meta: dict[str, Any]) -> str:
    """An author given as a mapping ({name: ...}), a list, or under another usual key.

    Example: ``{"author": {"display_name": "Jeanne Roy"}}`` -> "Jeanne Roy";
    ``{"author_username": "jroy"}`` -> "jroy"; ``{"authors": ["A", "B"]}`` -> "A, B".
    """
    for key in ("author", "authors", "auteur", "author_username", "author_name"):
        value = meta.get(key)
        if isinstance(value, dict):
            value = value.get("name") or value.get("display_name") or value.get("username")
        if isinstance(value, list):
            names = [v.get("name", "") if isinstance(v, dict) else v for v in value]
            value = ", ".join(str(n).strip() for n in names if str(n).strip())
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value).strip()
    return ""


def _build_document(
    doc_id: str,
    path: Path,
    kind: str,
    encoding: str,
    warnings: tuple[str, ...],
    fields: dict[str, Any],
) -> Document | Skipped:
    text: str = fields["text"]
    if len(text.strip()) < _MIN_CHARS:
        reason = "empty file" if not text.strip() else "too little text to analyse"
        if kind in ("md", "rst") and text and not text.strip():
            reason = "no text left once markup, code, templates and front matter are dropped"
        return Skipped(str(path), reason, doc_id)
    language = guess_language(text)
    if language.language not in ("fr", "unknown"):
        return Skipped(str(path), f"not French (looks like '{language.language}')", doc_id)
    if fields.get("warning"):
        warnings = (*warnings, fields["warning"])
    warnings = (*warnings, *fields.get("warnings", ()))
    published = fields.get("published", "")
    source = fields.get("published_source") or ("metadata" if published else "")
    return Document(
        doc_id=doc_id,
        text=text,
        source_path=str(path),
        format=kind,  # type: ignore[arg-type]
        content_hash=content_hash(text),
        encoding=encoding,
        title=fields.get("title", ""),
        published=published,
        published_source=source,
        author=fields.get("author", ""),
        url=fields.get("url", ""),
        warnings=warnings,
        lastmod=fields.get("lastmod", ""),
        tags=tuple(fields.get("tags", ())),
        categories=tuple(fields.get("categories", ())),
        slug=fields.get("slug", ""),
        draft=bool(fields.get("draft", False)),
        links=tuple(fields.get("links", ())),
        joined=tuple(fields.get("joined", ())),
    )


def content_hash(text: str) -> str:
    """SHA-256 of the text with whitespace collapsed, so re-saved copies hash alike."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
