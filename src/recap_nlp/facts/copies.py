"""Passages two posts share: one copied or quoted the other (fuzzy-matched, near-linear).

A value stated inside such a passage is one statement, not two; ``sources`` also uses the
pairs to tie the posts together (one author quoting an earlier post, or a copy).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from itertools import combinations

from rapidfuzz import fuzz

from recap_nlp.french import fold
from recap_nlp.records import Copy, Document, FactMention

_MIN_PASSAGE = 80  # characters: shorter sentences repeat by chance ("Merci à tous !")
_COPY_SCORE = 90.0
_MAX_SHINGLE_PASSAGES = 50
_PASSAGE_SPLIT = re.compile(r"(?<=[.!?…])\s+|\n+|[«»“”]")


def _passages(text: str) -> list[str]:
    return [p.strip() for p in _PASSAGE_SPLIT.split(text) if len(p.strip()) >= _MIN_PASSAGE]


def _shingles(passage: str) -> set[str]:
    words = re.findall(r"\w+", fold(passage))
    return {" ".join(words[i : i + 4]) for i in range(max(0, len(words) - 3))}


def copied_passages(docs: list[Document]) -> list[Copy]:
    """Passages of at least 80 characters that two posts share (one copied or quoted the other).

    Identical passages (up to case, accents and punctuation) are grouped by fingerprint, and
    each later post is paired with the first one only, so N copies give N - 1 pairs, not N².
    Then one passage per group is compared with the others that share word 4-grams (so only
    likely pairs are compared); a pair is kept when rapidfuzz's ``partial_ratio`` is at least 90.

    Returns:
        ``Copy(doc_a, doc_b, passage as written in doc_a)``, doc_a < doc_b, sorted.

    Example:
        two posts both holding "On revient nécessairement grandi de ce genre d'expérience.
        Découverte d'une autre culture, ..." -> one ``Copy`` per shared passage
    """
    items = [(d.doc_id, p) for d in sorted(docs, key=lambda d: d.doc_id) for p in _passages(d.text)]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, (_, passage) in enumerate(items):
        groups[_fingerprint(passage)].append(i)
    found = {pair for members in groups.values() for pair in _identical_pairs(items, members)}
    firsts = [members[0] for members in groups.values()]
    found.update(_near_pairs(items, firsts))
    return sorted(found)


def _fingerprint(passage: str) -> str:
    return " ".join(re.findall(r"\w+", fold(passage).lower()))


def _identical_pairs(items: list[tuple[str, str]], members: list[int]) -> set[Copy]:
    first_doc, passage = items[members[0]]
    return {Copy(first_doc, items[i][0], passage) for i in members[1:] if items[i][0] != first_doc}


def _near_pairs(items: list[tuple[str, str]], candidates: list[int]) -> set[Copy]:
    index: dict[str, set[int]] = defaultdict(set)
    for i in candidates:
        for shingle in _shingles(items[i][1]):
            index[shingle].add(i)
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    for members in index.values():
        # A 4-gram in one post only pairs nothing; one in very many passages is a set phrase.
        # (Most 4-grams are in one passage: the length alone says so.)
        if (
            len(members) < 2
            or len(members) > _MAX_SHINGLE_PASSAGES
            or len({items[i][0] for i in members}) < 2
        ):
            continue
        for i, j in combinations(sorted(members), 2):
            if items[i][0] != items[j][0]:
                pairs[(i, j)] += 1
    return {
        Copy(items[i][0], items[j][0], items[i][1])
        for (i, j), shared in pairs.items()
        if shared >= 2 and _similar(items[i][1], items[j][1])
    }


def _similar(a: str, b: str) -> bool:
    """rapidfuzz's ``partial_ratio`` of the two is at least 90.

    With the threshold given as ``score_cutoff`` rapidfuzz gives up on an alignment as soon as
    it cannot reach it (a third faster over a corpus's candidate pairs); the answer is the same.
    """
    return fuzz.partial_ratio(a, b, score_cutoff=_COPY_SCORE) >= _COPY_SCORE


def copies_by_doc(copies: list[Copy]) -> dict[str, list[tuple[str, str]]]:
    """Each post's copied passages as (first post, passage), once each, in the order of ``copies``.

    A passage copied by N posts appears once per post, not N times for the first one.
    """
    by_doc: dict[str, dict[tuple[str, str], None]] = defaultdict(dict)
    for copy in copies:
        by_doc[copy.doc_a][(copy.doc_a, copy.passage)] = None
        by_doc[copy.doc_b][(copy.doc_a, copy.passage)] = None
    return {doc_id: list(found) for doc_id, found in by_doc.items()}


def passage_source(fact: FactMention, copies: dict[str, list[tuple[str, str]]]) -> str:
    """The post a fact counts for, or one shared key when it sits in a copied passage."""
    if not fact.sentence:
        return fact.doc_id
    passages = copies.get(fact.doc_id, ())
    # Exact containment first: cheap, and the usual case for a copied passage.
    exact = (p for p in passages if fact.sentence in p[1] or p[1] in fact.sentence)
    fuzzy = (p for p in passages if _similar(fact.sentence, p[1]))
    found = next(exact, None) or next(fuzzy, None)
    if found is None:
        return fact.doc_id
    doc_a, passage = found
    return f"copy:{doc_a}:{hashlib.sha1(passage.encode()).hexdigest()[:8]}"
