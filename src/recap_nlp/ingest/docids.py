"""Unique, stable document ids: two posts never share one, whatever their folders.

A post's id is its file stem (``corpus/a/post.txt`` -> ``post``) or its JSON Lines ``id``.
When ids clash, files take their path relative to the corpus root without the extension
(``a/post`` and ``b/post``); JSON Lines ids that still clash get a suffix (``visite-2``), in
corpus order. Each renamed post carries a warning naming the other source.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from recap_nlp.records import Document

log = logging.getLogger(__name__)


def unique_ids(documents: Sequence[Document], root: Path | None = None) -> list[Document]:
    """The documents with ids made unique (unchanged when no two share one).

    Args:
        documents: the posts, in corpus order.
        root: the corpus folder; None takes the folder the files have in common.

    Example: ``a/bilan.txt`` and ``b/bilan.txt`` -> ids ``a/bilan`` and ``b/bilan``, each
    with the warning ``id 'bilan' is also the id of b/bilan.txt; this post is 'a/bilan'``.
    """
    root = root if root is not None else _common_root(documents)
    renamed = _files_by_relative_path(documents, root)
    return _suffixed(renamed)


def _clashes(documents: Sequence[Document]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = defaultdict(list)
    for index, doc in enumerate(documents):
        positions[doc.doc_id].append(index)
    return {doc_id: found for doc_id, found in positions.items() if len(found) > 1}


def _files_by_relative_path(documents: Sequence[Document], root: Path) -> list[Document]:
    result = list(documents)
    for positions in _clashes(documents).values():
        for index in positions:
            doc = documents[index]
            if doc.format == "jsonl":
                continue
            others = [documents[i].source_path for i in positions if i != index]
            result[index] = _renamed(doc, relative_id(doc.source_path, root), others)
    return result


def _suffixed(documents: list[Document]) -> list[Document]:
    taken = {doc.doc_id for doc in documents}
    result = list(documents)
    for doc_id, positions in _clashes(documents).items():
        for rank, index in enumerate(positions[1:], start=2):
            new_id = f"{doc_id}-{rank}"
            while new_id in taken:
                new_id += "-bis"
            taken.add(new_id)
            first = documents[positions[0]].source_path
            result[index] = _renamed(documents[index], new_id, [first])
    return result


def _renamed(doc: Document, new_id: str, others: list[str]) -> Document:
    warning = f"id '{doc.doc_id}' is also the id of {', '.join(others)}; this post is '{new_id}'"
    log.warning("%s: %s", doc.source_path, warning)
    return replace(doc, doc_id=new_id, warnings=(*doc.warnings, warning))


def relative_id(source_path: str, root: Path) -> str:
    """The path of a post relative to ``root``, without extension, with ``/`` separators.

    Example: ``relative_id("corpus/2018/juin/bilan.md", Path("corpus"))`` -> ``"2018/juin/bilan"``.
    """
    path = Path(source_path)
    try:
        relative = path.relative_to(root)
    except ValueError:
        relative = path
    return relative.with_suffix("").as_posix()


def _common_root(documents: Sequence[Document]) -> Path:
    folders = [str(Path(_file_of(doc)).parent) for doc in documents]
    return Path(os.path.commonpath(folders)) if folders else Path(".")


def _file_of(doc: Document) -> str:
    if doc.format == "jsonl":
        return doc.source_path.rsplit(":", 1)[0]
    return doc.source_path
