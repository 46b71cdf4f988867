"""Reconciliation: compare what several posts say about one event, and choose with a stated rule.

For each event and attribute the values of all posts are grouped (same value, or same name
up to spelling) and compared: *agree* (one value), *compatible* (an approximate count that
contains an exact one, a month that contains a day) or in conflict. The policy, in order:

1. all agree or are compatible -> the most specific value;
2. a strict majority of independent sources -> that value;
3. a source speaking as the organiser over sources speaking as participants -> its value;
4. otherwise "unresolved": nothing is chosen and every value is shown.

Sources are posts, except that a value stated inside a passage one post copied from another
counts once. A single source is never certain (confidence at most 0.5).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz

from recap_nlp.dates import has_cue, load_fact_cues, strip_accents
from recap_nlp.records import Conflict, Document, Event, FactMention

_SET_ATTRIBUTES = frozenset({"city", "sponsor", "event_name", "main_event"})
_NAME_ATTRIBUTES = frozenset({"organiser"})
_MIN_PASSAGE = 80  # characters: shorter sentences repeat by chance ("Merci à tous !")
_COPY_SCORE = 90.0
_MAX_SHINGLE_PASSAGES = 50
_NAME_SCORE = 90.0
_PASSAGE_SPLIT = re.compile(r"(?<=[.!?…])\s+|\n+|[«»“”]")


@dataclass(frozen=True)
class _Observation:
    """One fact with the independent source it counts for."""

    fact: FactMention
    source: str


def _passages(text: str) -> list[str]:
    return [p.strip() for p in _PASSAGE_SPLIT.split(text) if len(p.strip()) >= _MIN_PASSAGE]


def _shingles(passage: str) -> set[str]:
    words = re.findall(r"\w+", strip_accents(passage))
    return {" ".join(words[i : i + 4]) for i in range(max(0, len(words) - 3))}


def copied_passages(docs: list[Document]) -> list[tuple[str, str, str]]:
    """Passages of at least 80 characters that two posts share (one copied or quoted the other).

    Identical passages (up to case, accents and punctuation) are grouped by fingerprint, and
    each later post is paired with the first one only, so N copies give N - 1 pairs, not N².
    Then one passage per group is compared with the others that share word 4-grams (so only
    likely pairs are compared); a pair is kept when rapidfuzz's ``partial_ratio`` is at least 90.

    Returns:
        (doc_a, doc_b, passage as written in doc_a), doc_a < doc_b, sorted.

    Example:
        two posts both holding "On revient nécessairement grandi de ce genre d'expérience.
        Découverte d'une autre culture, ..." -> one tuple per shared passage
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
    return " ".join(re.findall(r"\w+", strip_accents(passage).lower()))


def _identical_pairs(items: list[tuple[str, str]], members: list[int]) -> set[tuple[str, str, str]]:
    first_doc, passage = items[members[0]]
    return {(first_doc, items[i][0], passage) for i in members[1:] if items[i][0] != first_doc}


def _near_pairs(items: list[tuple[str, str]], candidates: list[int]) -> set[tuple[str, str, str]]:
    index: dict[str, set[int]] = defaultdict(set)
    for i in candidates:
        for shingle in _shingles(items[i][1]):
            index[shingle].add(i)
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    for members in index.values():
        # A 4-gram in one post only pairs nothing; one in very many passages is a set phrase.
        if len(members) > _MAX_SHINGLE_PASSAGES or len({items[i][0] for i in members}) < 2:
            continue
        for i, j in combinations(sorted(members), 2):
            if items[i][0] != items[j][0]:
                pairs[(i, j)] += 1
    return {
        (items[i][0], items[j][0], items[i][1])
        for (i, j), shared in pairs.items()
        if shared >= 2 and fuzz.partial_ratio(items[i][1], items[j][1]) >= _COPY_SCORE
    }


def source_role(doc: Document) -> str:
    """ "organiser", "participant" or "unknown", from how the post speaks of itself.

    Example:
        "J'étais fière d'être à la tête d'une organisation qui rendait cette aventure possible"
        -> "organiser"
    """
    roles = load_fact_cues()["roles"]
    if has_cue(doc.text, roles["organiser_voice"]):
        return "organiser"
    if has_cue(doc.text, roles["participant_voice"]):
        return "participant"
    return "unknown"


def _copies_by_doc(copies: list[tuple[str, str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Each post's copied passages as (first post, passage), once each, in the order of ``copies``.

    A passage copied by N posts appears once per post, not N times for the first one.
    """
    by_doc: dict[str, dict[tuple[str, str], None]] = defaultdict(dict)
    for doc_a, doc_b, passage in copies:
        by_doc[doc_a][(doc_a, passage)] = None
        by_doc[doc_b][(doc_a, passage)] = None
    return {doc_id: list(found) for doc_id, found in by_doc.items()}


def _source_of(fact: FactMention, copies: dict[str, list[tuple[str, str]]]) -> str:
    """The post a fact counts for, or one shared key when it sits in a copied passage."""
    if not fact.sentence:
        return fact.doc_id
    passages = copies.get(fact.doc_id, ())
    # Exact containment first: cheap, and the usual case for a copied passage.
    exact = (p for p in passages if fact.sentence in p[1] or p[1] in fact.sentence)
    fuzzy = (p for p in passages if fuzz.partial_ratio(fact.sentence, p[1]) >= _COPY_SCORE)
    found = next(exact, None) or next(fuzzy, None)
    if found is None:
        return fact.doc_id
    doc_a, passage = found
    return f"copy:{doc_a}:{hashlib.sha1(passage.encode()).hexdigest()[:8]}"


def _bounds(fact: FactMention) -> tuple[str, str] | tuple[float, float]:
    """Comparable interval of a date ("2017-06" covers the month) or a count."""
    if fact.attribute == "date":
        return (fact.value_min + "-00-00")[:10], (fact.value_max + "-99-99")[:10]
    low = float(fact.value_min or fact.value)
    high = float(fact.value_max) if fact.value_max else float("inf")
    return low, high


def _contains(outer: FactMention, inner: FactMention) -> bool:
    (o0, o1), (i0, i1) = _bounds(outer), _bounds(inner)
    return o0 <= i0 and i1 <= o1  # type: ignore[operator]


def _name_key(fact: FactMention) -> str:
    return re.sub(r"\W+", " ", strip_accents(fact.value)).strip()


def value_key(fact: FactMention) -> str:
    """Identity of a value: names up to accents and case, dates and counts with their bounds."""
    if fact.attribute in _NAME_ATTRIBUTES | _SET_ATTRIBUTES:
        return _name_key(fact)
    return f"{fact.value}|{fact.value_min}|{fact.value_max}"


def compatible(a: FactMention, b: FactMention) -> bool:
    """Two values that can both be true: equal, one containing the other, or overlapping guesses.

    Example:
        "près d'une vingtaine" (15..20) and "18" -> True; "27" and "28" -> False;
        "le 5 novembre" and "du 4 au 9 novembre" -> True; "du 3 au 9" and "du 4 au 9" -> False
    """
    if value_key(a) == value_key(b):
        return True
    if a.attribute in _NAME_ATTRIBUTES:
        return fuzz.token_set_ratio(_name_key(a), _name_key(b)) >= _NAME_SCORE
    if _two_day_ranges(a, b):
        return False  # "du 3 au 9" and "du 4 au 9 novembre" both claim the whole event
    if _contains(a, b) or _contains(b, a):
        return True
    if a.precision == b.precision == "approximate":
        (a0, a1), (b0, b1) = _bounds(a), _bounds(b)
        return a0 <= b1 and b0 <= a1  # type: ignore[operator]
    return False


def _two_day_ranges(a: FactMention, b: FactMention) -> bool:
    """Both are day-precise ranges: each states the event's first and last day."""
    return a.attribute == "date" and all(
        f.precision == "day" and f.value_max and f.value_max != f.value_min for f in (a, b)
    )


def _width(fact: FactMention) -> float:
    if fact.attribute in _NAME_ATTRIBUTES | _SET_ATTRIBUTES:
        return 0.0  # a name has no range
    low, high = _bounds(fact)
    if isinstance(low, str):
        return float(len({low, high}))  # a day is narrower than a range
    return float(high) - float(low)  # type: ignore[arg-type]


def _specificity(fact: FactMention) -> tuple[int, float]:
    """Smaller is more specific: exact day before month, exact count before a range."""
    rank = {"day": 0, "exact": 0, "name": 0, "month": 1, "approximate": 1, "year": 2}
    return rank.get(fact.precision, 3), _width(fact)


def _display(fact: FactMention) -> str:
    """A value as shown to a reader: "25 (20–25)" for a range, "2017-06-03..2017-06-11"."""
    if fact.attribute == "date" and fact.value_max and fact.value_max != fact.value_min:
        return f"{fact.value_min}..{fact.value_max}"
    if fact.precision == "approximate":
        return f"{fact.value} ({fact.value_min}–{fact.value_max or '…'})"
    return fact.value


def _confidence(n_sources: int, base: float, step: float = 0.1, cap: float = 0.95) -> float:
    """Grows with independent sources; a single source stays at most 0.5."""
    if n_sources <= 1:
        return min(base, 0.5)
    return round(min(cap, base + step * (n_sources - 1)), 2)


@dataclass(frozen=True)
class _Decision:
    chosen: str
    status: str
    confidence: float
    reason: str


def _groups(observations: list[_Observation]) -> dict[str, list[_Observation]]:
    groups: dict[str, list[_Observation]] = defaultdict(list)
    for obs in observations:
        key = next((k for k, g in groups.items() if _same_value(g[0].fact, obs.fact)), None)
        groups[key or value_key(obs.fact)].append(obs)
    return groups


def _same_value(a: FactMention, b: FactMention) -> bool:
    if a.attribute in _NAME_ATTRIBUTES:
        return compatible(a, b)
    return value_key(a) == value_key(b)


def _most_specific(groups: dict[str, list[_Observation]]) -> FactMention:
    def rank(key: str) -> tuple[tuple[int, float], int, str]:
        group = groups[key]
        return _specificity(group[0].fact), -len({o.source for o in group}), key

    return groups[min(groups, key=rank)][0].fact


def _agreeing(groups: dict[str, list[_Observation]], n: int) -> _Decision | None:
    """Rule 1: one value, or values all compatible -> the most specific one."""
    facts = [g[0].fact for g in groups.values()]
    if len(groups) == 1:
        status = "single" if n == 1 else "agree"
        reason = "single source" if n == 1 else f"all {n} sources agree"
        base = 0.5 if facts[0].precision != "approximate" else 0.4
        return _Decision(_display(facts[0]), status, _confidence(n, base + 0.2), reason)
    if all(compatible(a, b) for a, b in combinations(facts, 2)):
        best = _most_specific(groups)
        reason = f"{n} sources compatible: most specific value chosen"
        return _Decision(_display(best), "compatible", _confidence(n, 0.55), reason)
    return None


def _sharpest(groups: dict[str, list[_Observation]]) -> dict[str, tuple[str, FactMention]]:
    """Each source's most specific statement (key and fact): what it really claims.

    A post saying "début novembre" and "du 4 au 9 novembre" claims the 4-9, so it does not
    back another post's "du 3 au 9" through its vaguer month.
    """
    best: dict[str, tuple[str, FactMention]] = {}
    for key, group in groups.items():
        for obs in group:
            held = best.get(obs.source)
            if held is None or _specificity(obs.fact) < _specificity(held[1]):
                best[obs.source] = (key, obs.fact)
    return best


def _by_majority(groups: dict[str, list[_Observation]], n: int) -> _Decision | None:
    """Rule 2: a value backed by a strict majority of independent sources.

    Candidates are the values some source claims as its most specific one; a source backs
    a candidate when its own most specific value is compatible with it.
    """
    claims = _sharpest(groups)
    candidates = sorted({key for key, _ in claims.values()})
    support = {
        key: sum(compatible(groups[key][0].fact, fact) for _, fact in claims.values())
        for key in candidates
    }
    best = max(support.values())
    winners = [k for k, v in support.items() if v == best]
    if best * 2 <= n or not _one_reading(groups, winners):
        return None
    # "plus de 165 000" and "165 000" back each other: the most specific of them is chosen.
    fact = _most_specific({k: groups[k] for k in winners})
    reason = f"majority of independent sources ({best} of {n})"
    return _Decision(_display(fact), "conflict", round(0.4 + 0.4 * best / n, 2), reason)


def _one_reading(groups: dict[str, list[_Observation]], winners: list[str]) -> bool:
    """One winner, or tied winners compatible with each other (one value said two ways)."""
    facts = [groups[k][0].fact for k in winners]
    return all(compatible(a, b) for a, b in combinations(facts, 2))


def _by_role(groups: dict[str, list[_Observation]], roles: dict[str, str]) -> _Decision | None:
    """Rule 3: the only value stated by a post written by the organiser."""
    claims = _sharpest(groups)  # the organiser's most specific value, not its vaguer ones
    backed = sorted({key for key, fact in claims.values() if roles.get(fact.doc_id) == "organiser"})
    if len(backed) != 1:
        return None
    fact = groups[backed[0]][0].fact
    reason = "source role: the organiser's post over participants'"
    return _Decision(_display(fact), "conflict", 0.5, reason)


def _decide_values(observations: list[_Observation], roles: dict[str, str]) -> _Decision:
    groups = _groups(observations)
    n = len({o.source for o in observations})
    rules: list[Callable[[], _Decision | None]] = [
        lambda: _agreeing(groups, n),
        lambda: _by_majority(groups, n),
        lambda: _by_role(groups, roles),
    ]
    for rule in rules:
        decision = rule()
        if decision is not None:
            return decision
    reason = f"unresolved: {len(groups)} values from {n} sources, no majority, no organiser source"
    return _Decision("", "unresolved", 0.0, reason)


def _decide_set(observations: list[_Observation]) -> _Decision:
    """Set-valued attributes (cities, sponsors, named events): the union, never a conflict."""
    by_source: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for obs in observations:
        by_source[obs.source].add(value_key(obs.fact))
        names.setdefault(value_key(obs.fact), obs.fact.value)
    n = len(by_source)
    chosen = "; ".join(sorted(names.values()))
    if n == 1:
        return _Decision(chosen, "single", 0.5, "single source")
    if len({frozenset(v) for v in by_source.values()}) == 1:
        return _Decision(chosen, "agree", _confidence(n, 0.7), f"all {n} sources name the same")
    reason = f"set-valued: union of what {n} sources name"
    return _Decision(chosen, "compatible", _confidence(n, 0.5), reason)


def _conflict_for(
    event_id: str, attribute: str, facts: list[FactMention], context: _Context
) -> Conflict:
    facts = sorted(facts, key=lambda f: (f.doc_id, f.start, f.fact_id))
    observations = [_Observation(f, _source_of(f, context.copies)) for f in facts]
    if attribute in _SET_ATTRIBUTES:
        decision = _decide_set(observations)
    else:
        decision = _decide_values(observations, context.roles)
    copied = len({o.source for o in observations}) < len({f.doc_id for f in facts})
    reason = decision.reason + ("; a copied passage counted once" if copied else "")
    return Conflict(
        event_id=event_id,
        attribute=attribute,
        values=tuple(_display(f) for f in facts),
        doc_ids=tuple(f.doc_id for f in facts),
        quotes=tuple(f.sentence for f in facts),
        chosen=decision.chosen,
        status=decision.status,  # type: ignore[arg-type]
        confidence=decision.confidence,
        reason=reason,
        fact_ids=tuple(f.fact_id for f in facts),
    )


@dataclass(frozen=True)
class _Context:
    copies: dict[str, list[tuple[str, str]]]  # by doc id
    roles: dict[str, str]


def reconcile(
    events: list[Event],
    facts: list[FactMention],
    docs: list[Document],
    copies: list[tuple[str, str, str]] | None = None,
) -> list[Conflict]:
    """Reconcile every attribute of every event across posts (one record each, sorted).

    Example:
        "une délégation de 27 Québécois" (post A) vs "une délégation de 28 Québécois" (post B)
        -> Conflict(status="unresolved", values=("27", "28"), chosen="", quotes=both sentences)

    ``copies`` are the passages shared between posts (``copied_passages(docs)`` when not given).
    """
    if copies is None:
        copies = copied_passages(docs)
    context = _Context(_copies_by_doc(copies), {d.doc_id: source_role(d) for d in docs})
    known = {e.event_id for e in events}
    grouped: dict[tuple[str, str], list[FactMention]] = defaultdict(list)
    for fact in facts:
        if fact.event_id in known:
            grouped[(fact.event_id, fact.attribute)].append(fact)
    return [
        _conflict_for(event_id, attribute, grouped[(event_id, attribute)], context)
        for event_id, attribute in sorted(grouped)
    ]
