"""Exact and near-duplicate posts, found in near-linear time (MinHash with banding).

A repost under another name would otherwise count its facts twice and fake agreement
between sources, so duplicates are reported and left out, never processed twice.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict

import numpy as np

from recap_nlp.records import Document, Duplicate

_WORD = re.compile(r"\w+")
_SHINGLE = 5
_N_HASHES = 64
_BANDS = 16  # 16 bands of 4 rows: pairs above ~0.6 Jaccard almost always share a band
_NEAR_THRESHOLD = 0.8
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20170603)
_A = _rng.integers(1, _PRIME, _N_HASHES, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, _N_HASHES, dtype=np.uint64)


def split_duplicates(docs: list[Document]) -> tuple[list[Document], list[Duplicate]]:
    """Keep the first of each group of identical or nearly identical posts.

    Documents are taken in doc_id order, so the kept one does not depend on file order.

    Example:
        Two files holding "Du 3 au 11 juin, une délégation de 27 Québécois…" once with
        straight and once with curly apostrophes: the second is reported as a near duplicate.
    """
    kept: list[Document] = []
    duplicates: list[Duplicate] = []
    by_hash: dict[str, str] = {}
    # Sorted uint32 arrays, not sets of ints: about 14 times less memory per kept post.
    shingles: dict[str, np.ndarray] = {}
    buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
    for doc in sorted(docs, key=lambda d: d.doc_id):
        if doc.content_hash in by_hash:
            duplicates.append(Duplicate(doc.doc_id, by_hash[doc.content_hash], "exact", 1.0))
            continue
        doc_shingles = _shingles(doc.text)
        keys = _band_keys(doc_shingles)
        match = _best_near_match(doc_shingles, keys, buckets, shingles)
        if match is not None:
            duplicates.append(Duplicate(doc.doc_id, match[0], "near", round(match[1], 3)))
            continue
        by_hash[doc.content_hash] = doc.doc_id
        shingles[doc.doc_id] = doc_shingles
        for key in keys:
            buckets[key].append(doc.doc_id)
        kept.append(doc)
    return kept, duplicates


def _shingles(text: str) -> np.ndarray:
    """The distinct CRC-32 hashes of the text's 5-word windows, sorted."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    if len(words) < _SHINGLE:
        hashes = [zlib.crc32(" ".join(words).encode())]
    else:
        hashes = [
            zlib.crc32(" ".join(words[i : i + _SHINGLE]).encode())
            for i in range(len(words) - _SHINGLE + 1)
        ]
    return np.unique(np.array(hashes, dtype=np.uint32))


def _band_keys(shingles: np.ndarray) -> list[tuple[int, bytes]]:
    values = shingles.astype(np.uint64)
    signature = ((np.outer(_A, values) + _B[:, None]) % _PRIME).min(axis=1)
    rows = _N_HASHES // _BANDS
    return [(band, signature[band * rows : (band + 1) * rows].tobytes()) for band in range(_BANDS)]


def _best_near_match(
    doc_shingles: np.ndarray,
    keys: list[tuple[int, bytes]],
    buckets: dict[tuple[int, bytes], list[str]],
    shingles: dict[str, np.ndarray],
) -> tuple[str, float] | None:
    candidates = sorted({doc_id for key in keys for doc_id in buckets.get(key, ())})
    best: tuple[str, float] | None = None
    for doc_id in candidates:
        similarity = _jaccard(doc_shingles, shingles[doc_id])
        if similarity >= _NEAR_THRESHOLD and (best is None or similarity > best[1]):
            best = (doc_id, similarity)
    return best


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted arrays of distinct hashes."""
    common = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - common
    return common / union if union else 1.0
