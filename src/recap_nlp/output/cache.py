"""A content-hash cache of per-document results, so a rerun parses only new or changed posts.

Entries are JSON (never pickle: a cache folder is data, and loading it must not run code),
one file per post under ``<out>/.cache/<key[:2]>/<key>.json``, written atomically. The key
covers the post's text and everything that shapes its results: the package version, the
spaCy model and its version, the packaged data files and a user gazetteer.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import tempfile
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from recap_nlp.records import Document, DocumentResult, Mention, Sentence, SentenceSpan
from recap_nlp.version import __version__

log = logging.getLogger(__name__)

CACHE_DIR = ".cache"


@cache
def _data_digest() -> str:
    digest = hashlib.sha256()
    for entry in sorted(resources.files("recap_nlp.data").iterdir(), key=lambda p: p.name):
        if entry.is_file():
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()


def cache_version(model: str, gazetteer: str | None) -> str:
    """What every entry depends on besides the post itself."""
    try:
        model_version = metadata.version(model.replace("_", "-"))
    except metadata.PackageNotFoundError:
        model_version = "unknown"
    user = hashlib.sha256(Path(gazetteer).read_bytes()).hexdigest() if gazetteer else ""
    return f"{__version__}|{model}|{model_version}|{_data_digest()}|{user}"


def entry_key(doc: Document, version: str) -> str:
    """Key of a post's entry: its id and text (offsets and ids are stored), and the version."""
    return hashlib.sha256(f"{version}|{doc.doc_id}|{doc.text}".encode()).hexdigest()


class DocumentCache:
    """Per-document results stored as JSON files under ``folder``."""

    def __init__(self, folder: Path, version: str) -> None:
        self.folder = folder
        self.version = version

    def _path(self, doc: Document) -> Path:
        key = entry_key(doc, self.version)
        return self.folder / key[:2] / f"{key}.json"

    def get(self, doc: Document) -> dict[str, Any] | None:
        """The stored results of ``doc``, or None (absent, unreadable or malformed entry)."""
        path = self._path(doc)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return {
                "sentences": [SentenceSpan(**r) for r in raw["sentences"]],
                "mentions": [Mention(**r) for r in raw["mentions"]],
                "scored": [Sentence(**r) for r in raw["scored"]],
                "lemmas": [str(x) for x in raw["lemmas"]],
            }
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("ignoring unreadable cache entry %s: %s", path, error)
            return None

    def put(self, doc: Document, results: DocumentResult) -> None:
        """Store ``doc``'s per-document results, atomically."""
        path = self._path(doc)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "sentences": [dataclasses.asdict(r) for r in results.sentences],
            "mentions": [dataclasses.asdict(r) for r in results.mentions],
            "scored": [dataclasses.asdict(r) for r in results.scored],
            "lemmas": list(results.lemmas),
        }
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(payload, stream, ensure_ascii=False)
        os.replace(temporary, path)
