"""Reconciliation: compare what several posts say about one event, and choose with a stated rule.

For each event and attribute the values of all posts are grouped (same value, or same name
up to spelling) and compared: *agree* (one value), *compatible* (an approximate count that
contains an exact one, a month that contains a day) or in conflict. The policy, in order:

1. all agree or are compatible -> the most specific value;
2. a strict majority of independent sources -> that value;
3. the organiser's own account (a post whose role for the event is organiser) -> its value;
4. a later correction ("en fait", "rectification", "27, et non 28") -> the corrected value;
5. the same writer's later post, when every value comes from one author -> its value;
6. precision: one exact figure against approximate ones ("une vingtaine") -> the exact one;
7. otherwise "unresolved": nothing is chosen and every value is shown.

Independent sources are the ``group`` of ``sources.describe_sources``: posts by one author,
or copying or quoting one another, count once. A single source is never certain (confidence
at most 0.5); a value chosen by rules 3-6 stays a conflict, with a confidence under 0.6 and a
``basis`` saying what it rests on ("2 posts, 1 independent source: organiser's post, later").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz

from recap_nlp.facts.copies import copied_passages, copies_by_doc, passage_source
from recap_nlp.facts.sources import (
    describe_sources,
    event_role,
    find_cue,
    load_source_cues,
    post_voice,
)
from recap_nlp.french import fold
from recap_nlp.records import Conflict, Copy, Document, Event, FactMention, Source

_SET_ATTRIBUTES = frozenset({"city", "sponsor", "event_name", "main_event"})
_NAME_ATTRIBUTES = frozenset({"organiser"})
_NAME_SCORE = 90.0


@dataclass(frozen=True)
class _Observation:
    """One fact with the independent source it counts for."""

    fact: FactMention
    source: str


def source_role(doc: Document) -> str:
    """ "organiser", "participant" or "unknown", from how the post speaks of itself.

    Example:
        "J'étais fière d'être à la tête d'une organisation qui rendait cette aventure possible"
        -> "organiser"
    """
    role = post_voice(doc)[0]
    return role if role in ("organiser", "participant") else "unknown"


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
    return re.sub(r"\W+", " ", fold(fact.value)).strip()


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


def _agreeing(groups: dict[str, list[_Observation]], n: int, n_posts: int) -> _Decision | None:
    """Rule 1: one value, or values all compatible -> the most specific one.

    Several posts of one independent source agree, but count as one (confidence <= 0.5).
    """
    facts = [g[0].fact for g in groups.values()]
    if len(groups) == 1:
        status = "single" if n_posts == 1 else "agree"
        reason = "single source" if n_posts == 1 else f"all {n} sources agree"
        if n == 1 < n_posts:
            reason = f"all {n_posts} posts agree, 1 independent source"
        base = 0.5 if facts[0].precision != "approximate" else 0.4
        return _Decision(_display(facts[0]), status, _confidence(n, base + 0.2), reason)
    if all(compatible(a, b) for a, b in combinations(facts, 2)):
        best = _most_specific(groups)
        reason = f"{n} sources compatible: most specific value chosen"
        return _Decision(_display(best), "compatible", _confidence(n, 0.55), reason)
    return None


def _sharpest(
    groups: dict[str, list[_Observation]], by_post: bool = False
) -> dict[str, tuple[str, FactMention]]:
    """Each source's (or post's) most specific statement (key and fact): what it really claims.

    A post saying "début novembre" and "du 4 au 9 novembre" claims the 4-9, so it does not
    back another post's "du 3 au 9" through its vaguer month. A source whose posts claim
    values that cannot both be true (27 and 28) claims nothing: it does not vote.
    """
    best: dict[str, tuple[str, FactMention]] = {}
    split: set[str] = set()
    for key, group in groups.items():
        for obs in group:
            who = obs.fact.doc_id if by_post else obs.source
            held = best.get(who)
            if held is not None and not compatible(held[1], obs.fact):
                split.add(who)
            if held is None or _specificity(obs.fact) < _specificity(held[1]):
                best[who] = (key, obs.fact)
    return {who: claim for who, claim in best.items() if by_post or who not in split}


def _by_majority(groups: dict[str, list[_Observation]], n: int) -> _Decision | None:
    """Rule 2: a value backed by a strict majority of independent sources.

    Candidates are the values some source claims as its most specific one; a source backs
    a candidate when its own most specific value is compatible with it.
    """
    claims = _sharpest(groups)
    if not claims:
        return None
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


@dataclass(frozen=True)
class _Context:
    copies: dict[str, list[tuple[str, str]]]  # by doc id
    sources: dict[str, Source]
    docs: dict[str, Document]
    event_id: str = ""

    def role(self, doc_id: str) -> str:
        source = self.sources.get(doc_id)
        return event_role(source, self.event_id) if source else "other"

    def later(self, a: str, b: str) -> bool:
        """Post ``a`` was written after post ``b`` (dates, or ``a`` quotes ``b``)."""
        doc_a, doc_b = self.docs.get(a), self.docs.get(b)
        if doc_a and doc_b and doc_a.published and doc_b.published:
            return doc_a.published > doc_b.published
        source = self.sources.get(a)
        return source is not None and b in source.depends_on

    def one_author(self, doc_ids: set[str]) -> bool:
        first = min(doc_ids)
        same = set(self.sources[first].same_author_as) if first in self.sources else set()
        return doc_ids - {first} <= same


def _posts_of(group: list[_Observation]) -> set[str]:
    return {o.fact.doc_id for o in group}


def _signals(key: str, groups: dict[str, list[_Observation]], context: _Context) -> list[str]:
    """What backs one value beside its count: the organiser's post, a later post, a correction."""
    mine = _posts_of(groups[key])
    others = set().union(*(_posts_of(g) for k, g in groups.items() if k != key)) - mine
    signals = []
    if any(context.role(d) == "organiser" for d in mine):
        signals.append("organiser's post")
    if others and all(any(context.later(m, o) for m in mine) for o in others):
        signals.append("later")
    if any(_correction(o.fact, context) == "corrects" for o in groups[key]):
        signals.append("correction")
    return signals


def _rule_decision(
    key: str, groups: dict[str, list[_Observation]], context: _Context, reason: str
) -> _Decision:
    """A value chosen by a rule over a conflict: still a conflict, confidence under 0.6."""
    signals = _signals(key, groups, context)
    bonus = {"organiser's post": 0.1, "later": 0.05, "correction": 0.05}
    confidence = 0.35 + sum(bonus[s] for s in signals)
    fact = _most_specific({key: groups[key]})
    return _Decision(_display(fact), "conflict", round(min(confidence, 0.55), 2), reason)


def _by_role(groups: dict[str, list[_Observation]], context: _Context) -> _Decision | None:
    """Rule 3: the only value stated by a post whose role for the event is organiser."""
    claims = _sharpest(groups, by_post=True)  # the organiser's most specific value
    backed = sorted(
        {key for key, fact in claims.values() if context.role(fact.doc_id) == "organiser"}
    )
    if len(backed) != 1 or len(claims) < 2:
        return None
    posts = sorted(d for d in _posts_of(groups[backed[0]]) if context.role(d) == "organiser")
    reason = f"organiser's own account ({', '.join(posts)})"
    return _rule_decision(backed[0], groups, context, reason)


def _correction(fact: FactMention, context: _Context) -> str:
    """ "corrects" when the value follows "en fait"/"rectification" or precedes "et non";
    "withdrawn" when it follows "et non"; "" otherwise.

    Example: "Nous étions 27, et non 28." -> 27 "corrects", 28 "withdrawn".
    """
    doc = context.docs.get(fact.doc_id)
    if doc is None or not fact.sentence:
        return ""
    cues = load_source_cues()["corrections"]
    begin = doc.text.find(fact.sentence[:40], max(0, fact.start - len(fact.sentence)))
    if not 0 <= begin <= fact.start:
        return ""
    before, after = doc.text[begin : fact.start], doc.text[fact.end : fact.end + 25]
    lead = find_cue(after, cues["before"])
    if lead is not None and not after[: lead.start()].strip(" ,;()–-"):
        return "corrects"
    cue = find_cue(before[-40:], cues["before"])
    if cue is not None:
        return "withdrawn"
    return "corrects" if find_cue(before, cues["after"]) is not None else ""


def _by_correction(groups: dict[str, list[_Observation]], context: _Context) -> _Decision | None:
    """Rule 4: the only value stated as a correction, by a post not written before the others."""
    marks = {key: {_correction(o.fact, context) for o in g} for key, g in groups.items()}
    backed = [k for k, m in marks.items() if "corrects" in m]
    if len(backed) != 1:
        return None
    mine = _posts_of(groups[backed[0]])
    others = set().union(*(_posts_of(g) for k, g in groups.items() if k != backed[0])) - mine
    if any(context.later(o, m) for o in others for m in mine):
        return None  # the correction was itself corrected, or is older than the other value
    posts = ", ".join(sorted(mine))
    return _rule_decision(backed[0], groups, context, f"later correction ({posts})")


def _by_later_post(groups: dict[str, list[_Observation]], context: _Context) -> _Decision | None:
    """Rule 5: every value from one author: the value of that author's latest post."""
    posts = set().union(*(_posts_of(g) for g in groups.values()))
    if len(posts) < 2 or not context.one_author(posts):
        return None
    latest = [p for p in posts if all(context.later(p, o) for o in posts - {p})]
    claims = _sharpest(groups, by_post=True)
    if len(latest) != 1 or latest[0] not in claims:
        return None
    reason = f"the same author's later post ({latest[0]})"
    return _rule_decision(claims[latest[0]][0], groups, context, reason)


def _by_precision(groups: dict[str, list[_Observation]], context: _Context) -> _Decision | None:
    """Rule 6: one exact figure against approximate ones ("une vingtaine") -> the exact one."""
    exact = [k for k, g in groups.items() if g[0].fact.precision in ("exact", "day")]
    if len(exact) != 1 or any(
        g[0].fact.precision not in ("approximate", "month", "year")
        for k, g in groups.items()
        if k != exact[0]
    ):
        return None
    reason = "precision: an exact value over approximate ones"
    return _rule_decision(exact[0], groups, context, reason)


def _decide_values(observations: list[_Observation], context: _Context) -> _Decision:
    groups = _groups(observations)
    n = len({o.source for o in observations})
    n_posts = len({o.fact.doc_id for o in observations})
    rules: list[Callable[[], _Decision | None]] = [
        lambda: _agreeing(groups, n, n_posts),
        lambda: _by_majority(groups, n),
        lambda: _by_role(groups, context),
        lambda: _by_correction(groups, context),
        lambda: _by_later_post(groups, context),
        lambda: _by_precision(groups, context),
    ]
    for rule in rules:
        decision = rule()
        if decision is not None:
            return decision
    if n_posts == 1:
        return _Decision("", "unresolved", 0.0, f"unresolved: {len(groups)} values in one post")
    counted = f"{n} sources" if n_posts == n else f"{n_posts} posts ({n} independent)"
    reason = f"unresolved: {len(groups)} values from {counted}, no majority, no organiser source"
    return _Decision("", "unresolved", 0.0, reason)


def _decide_set(observations: list[_Observation]) -> _Decision:
    """Set-valued attributes (cities, sponsors, named events): the union, never a conflict."""
    by_source: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for obs in observations:
        by_source[obs.source].add(value_key(obs.fact))
        names.setdefault(value_key(obs.fact), obs.fact.value)
    n = len(by_source)
    n_posts = len({o.fact.doc_id for o in observations})
    chosen = "; ".join(sorted(names.values()))
    if n_posts == 1:
        return _Decision(chosen, "single", 0.5, "single source")
    if n == 1:
        return _Decision(chosen, "agree", 0.5, f"all {n_posts} posts agree, 1 independent source")
    if len({frozenset(v) for v in by_source.values()}) == 1:
        return _Decision(chosen, "agree", _confidence(n, 0.7), f"all {n} sources name the same")
    reason = f"set-valued: union of what {n} sources name"
    return _Decision(chosen, "compatible", _confidence(n, 0.5), reason)


def _source_of(fact: FactMention, context: _Context) -> str:
    """The independent source a fact counts for: its post's group of related posts."""
    source = context.sources.get(fact.doc_id)
    if source is not None and source.group:
        return f"group:{source.group}"
    return passage_source(fact, context.copies)


def _merged(observations: list[_Observation], context: _Context) -> list[str]:
    """Why several posts counted as one source ("posts by one author counted once")."""
    posts_of: dict[str, set[str]] = defaultdict(set)
    for obs in observations:
        posts_of[obs.source].add(obs.fact.doc_id)
    notes = []
    for posts in (p for p in posts_of.values() if len(p) > 1):
        one_author = context.one_author(posts)
        notes.append("posts by one author counted once" if one_author else "")
        notes.append("" if one_author else "a copied passage counted once")
    return sorted({note for note in notes if note})


def _basis(observations: list[_Observation], decision: _Decision, context: _Context) -> str:
    """What a confidence rests on: "2 posts, 1 independent source: organiser's post, later"."""
    n_posts = len({o.fact.doc_id for o in observations})
    n = len({o.source for o in observations})
    text = f"{n_posts} post{'s' * (n_posts > 1)}, {n} independent source{'s' * (n > 1)}"
    merged = _merged(observations, context)
    if merged:
        text += " (" + "; ".join(merged) + ")"
    groups = _groups(observations)
    chosen = [k for k, g in groups.items() if _display(g[0].fact) == decision.chosen]
    if decision.status != "conflict" or not chosen:
        return text
    signals = _signals(chosen[0], groups, context)
    return text + (": " + ", ".join(signals) if signals else "")


def _conflict_for(
    event_id: str, attribute: str, facts: list[FactMention], context: _Context
) -> Conflict:
    facts = sorted(facts, key=lambda f: (f.doc_id, f.start, f.fact_id))
    context = _Context(context.copies, context.sources, context.docs, event_id)
    observations = [_Observation(f, _source_of(f, context)) for f in facts]
    if attribute in _SET_ATTRIBUTES:
        decision = _decide_set(observations)
    else:
        decision = _decide_values(observations, context)
    reason = "; ".join([decision.reason, *_merged(observations, context)])
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
        basis=_basis(observations, decision, context),
    )


def reconcile(
    events: list[Event],
    facts: list[FactMention],
    docs: list[Document],
    copies: list[Copy] | None = None,
    sources: list[Source] | None = None,
) -> list[Conflict]:
    """Reconcile every attribute of every event across posts (one record each, sorted).

    Example:
        "une délégation de 27 Québécois" (post A) vs "une délégation de 28 Québécois" (post B)
        -> Conflict(status="unresolved", values=("27", "28"), chosen="", quotes=both sentences)
        when A and B are independent; when A is B's author's later post, written as the
        organiser -> chosen="27", reason "organiser's own account (A)", confidence 0.5.

    ``copies`` are the passages shared between posts (``copied_passages(docs)`` when not given);
    ``sources`` who wrote each post (``describe_sources`` over the same records when not given).
    """
    if copies is None:
        copies = copied_passages(docs)
    if sources is None:
        sources = describe_sources(docs, facts, events, copies)
    context = _Context(
        copies_by_doc(copies), {s.doc_id: s for s in sources}, {d.doc_id: d for d in docs}
    )
    known = {e.event_id for e in events}
    grouped: dict[tuple[str, str], list[FactMention]] = defaultdict(list)
    for fact in facts:
        if fact.event_id in known:
            grouped[(fact.event_id, fact.attribute)].append(fact)
    return [
        _conflict_for(event_id, attribute, grouped[(event_id, attribute)], context)
        for event_id, attribute in sorted(grouped)
    ]
