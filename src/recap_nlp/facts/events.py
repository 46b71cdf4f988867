"""Event resolution: group fact mentions of several posts into real-world events.

Two steps. Inside a post, each dated event hint ("mission" on 3–11 June, "Semaine numérique"
in April 2018) opens a *local event*; the other facts join the local event of their hint, or
the post's main one (its first dated event) when their hint has no date. Across posts, local
events are compared only when they share a blocking key (event word, named event, city,
organiser), never when their years differ or their dates do not overlap, and they are
merged by complete link: every pair inside a merged event must be compatible, so no chain
A~B~C can join A and C.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property

from recap_nlp.facts.cues import load_fact_cues
from recap_nlp.facts.dates import find_publication_date
from recap_nlp.facts.editions import split_main
from recap_nlp.facts.series import blocking_keys, same_series, series_key
from recap_nlp.french import fold
from recap_nlp.records import Document, Event, FactMention

_NAME_ATTRIBUTES = ("city", "organiser", "event_name")


@dataclass(frozen=True)
class LocalEvent:
    """An event as told by one post: its hint, dates and the facts attached to it."""

    doc_id: str
    key: str
    first: str  # ISO start of the dates (day, month or year)
    last: str  # ISO end
    year: int | None
    facts: tuple[FactMention, ...]
    series: str = ""  # the written series of a named edition ("Forum X")
    main: bool = False  # the post's main event (else mentioned in passing)

    @cached_property
    def keys(self) -> frozenset[str]:
        """Blocking keys: hint words, named events, cities and organiser of its facts; a named
        series also blocks under its folded key, short form and acronym."""
        if self.series:
            return frozenset(blocking_keys(self.series))
        found = {self.key} | {norm(f.event_hint) for f in self.facts if f.event_hint}
        found |= {norm(f.value) for f in self.facts if f.attribute in _NAME_ATTRIBUTES}
        return frozenset(k for k in found if k)


def norm(text: str) -> str:
    """Lowercase, accent-free, single-spaced ("Web2day " -> "web2day")."""
    return re.sub(r"\s+", " ", fold(text)).strip()


def slug(text: str) -> str:
    """A URL-safe id part ("Semaine numérique" -> "semaine-numerique")."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _interval(first: str, last: str) -> tuple[str, str]:
    """Comparable bounds of ISO prefixes: "2017-06" -> ("2017-06-00", "2017-06-99")."""
    return (first + "-00-00")[:10], (last + "-99-99")[:10]


def _year(fact: FactMention) -> int | None:
    return int(fact.value_min[:4]) if re.match(r"\d{4}", fact.value_min) else None


def _open_locals(dates: list[FactMention]) -> list[list[FactMention]]:
    """Group a post's date facts: same hint and overlapping dates tell the same event.

    Only groups with the same hint and year are compared (a year-less date never merges).
    """
    groups: list[list[FactMention]] = []
    by_key: dict[tuple[str | int, ...], list[int]] = defaultdict(list)
    for fact in sorted(dates, key=lambda f: f.start):
        year = _year(fact)
        key = (norm(fact.event_hint), year if year is not None else -1)
        if year is None:
            # A year-less date told again in the same post, for the same event word, is the
            # same event ("entre le 2 et le 5 octobre" twice); the year stays unknown.
            key = (*key, fact.value_min, fact.value_max)
        home = next((i for i in by_key[key] if _same_local(groups[i][0], fact)), None)
        if home is None:
            by_key[key].append(len(groups))
            groups.append([fact])
        else:
            groups[home].append(fact)
    return groups


def _same_local(head: FactMention, fact: FactMention) -> bool:
    if _year(fact) is None:
        return True  # the bucket key already holds the exact year-less dates
    return _dates_overlap(head, fact)


def _dates_overlap(a: FactMention, b: FactMention) -> bool:
    a0, a1 = _interval(a.value_min, a.value_max)
    b0, b1 = _interval(b.value_min, b.value_max)
    return _year(a) is not None and _year(a) == _year(b) and a0 <= b1 and b0 <= a1


def _attach(facts: list[FactMention], groups: list[list[FactMention]]) -> None:
    """Add each non-date fact to a local event: among groups whose first fact has its hint,
    the one holding the nearest fact so far, else the main (first) group."""
    near: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for index, group in enumerate(groups):
        near[norm(group[0].event_hint)].extend((f.start, index) for f in group)
    for positions in near.values():
        positions.sort()
    for fact in facts:
        positions = near.get(norm(fact.event_hint))
        if not positions:
            groups[0].append(fact)
            continue
        at = bisect.bisect_left(positions, (fact.start, -1))
        around = positions[max(at - 1, 0) : at + 1]
        home = min(around, key=lambda p: (abs(p[0] - fact.start), p[1]))[1]
        groups[home].append(fact)
        bisect.insort(positions, (fact.start, home))


def local_events(doc_facts: list[FactMention], published: str = "") -> list[LocalEvent]:
    """Split one post's facts into the events it tells.

    A post whose title or opening names its event (a ``main_event`` fact) gives that event
    every fact told of it (hint of its series, a generic event word or none; dates of its
    year, and for a recap not after the post); the others are events mentioned in passing,
    and counts said of last year go to the previous edition. Otherwise the first dated event
    is the main one.

    Example:
        "Du 3 au 11 juin ... mission" + "en avril 2018, à l'occasion de la Semaine numérique"
        -> a "mission" local event (June) and a "Semaine numérique" one (April 2018)
    """
    main = next((f for f in doc_facts if f.attribute == "main_event"), None)
    if main is not None:
        own, editions, rest = split_main(main, doc_facts, published, _generic_keys())
        found = [_main_local(main, own, published)]
        found += [_edition_local(main, year, editions[year]) for year in sorted(editions)]
        return found + (_unnamed_locals(rest, main=False) if rest else [])
    return _unnamed_locals(doc_facts, main=True)


@cache
def _generic_keys() -> frozenset[str]:
    return frozenset(norm(w) for w in load_fact_cues()["events"]["words"])


def _main_local(main: FactMention, own: list[FactMention], published: str) -> LocalEvent:
    """The post's main event: its series, year (written, else of its dates, else for a recap
    the post's), and the span of its dates."""
    dates = [f for f in own if f.attribute == "date" and _year(f) is not None]
    year = int(main.value_max) if main.value_max else None
    if year is None and dates:
        year = _year(min(dates, key=lambda f: f.start))  # the first told: title, opening
    if year is None and main.post_kind == "recap" and re.match(r"\d{4}", published):
        year = int(published[:4])
    dated = [f for f in dates if _year(f) == year]
    dated = _sharpest_dates(dated)
    first = min((f.value_min for f in dated), default=str(year or ""))
    last = max((f.value_max for f in dated), default=str(year or ""))
    facts = tuple(sorted(own, key=lambda f: f.start))
    key = series_key(main.value_min)
    return LocalEvent(main.doc_id, key, first, last, year, facts, main.value_min, True)


def _sharpest_dates(dates: list[FactMention]) -> list[FactMention]:
    """The dates of the finest precision told: "le vendredi 13" is sharper than "juillet",
    "du 11 au 14 juin 2025" than "l'an prochain"."""
    for precision in ("day", "month"):
        found = [f for f in dates if f.precision == precision]
        if found:
            return found
    return dates


def _edition_local(main: FactMention, year: int, facts: list[FactMention]) -> LocalEvent:
    """Another edition of the post's series, with only what the post states of it
    ("l'année dernière c'était 52 000", "En 2018 (40e édition)")."""
    dates = _sharpest_dates([f for f in facts if f.attribute == "date"])
    first = min((f.value_min for f in dates), default=str(year))
    last = max((f.value_max for f in dates), default=str(year))
    ordered = tuple(sorted(facts, key=lambda f: f.start))
    key = series_key(main.value_min)
    return LocalEvent(main.doc_id, key, first, last, year, ordered, main.value_min)


def _unnamed_locals(doc_facts: list[FactMention], main: bool) -> list[LocalEvent]:
    """The first-dated-event rule (posts that do not name their event, and passing events)."""
    dates = [f for f in doc_facts if f.attribute == "date"]
    groups = _open_locals(dates)
    if not groups:
        return [dataclasses.replace(_undated_local(doc_facts), main=main)]
    others = [f for f in doc_facts if f.attribute != "date"]
    stray: list[FactMention] = []
    if not any(is_trip(group[0].event_hint) for group in groups):
        # The post dates only the event a trip visited (a salon): the trip's own facts
        # (delegation size, its organiser) stay apart instead of joining that event.
        stray = [f for f in others if is_trip(f.event_hint)]
        others = [f for f in others if not is_trip(f.event_hint)]
    _attach(others, groups)
    found = [_local_from(group) for group in groups]
    if main:
        found[0] = dataclasses.replace(found[0], main=True)
    return [*found, _undated_local(stray)] if stray else found


def is_trip(hint: str) -> bool:
    """True for a trip word ("mission", "délégation"): the trip itself, not an event it visits."""
    return norm(hint) in _trip_keys()


@cache
def _trip_keys() -> frozenset[str]:
    return frozenset(norm(w) for w in load_fact_cues()["events"]["trip_words"])


def _undated_local(facts: list[FactMention]) -> LocalEvent:
    """A local event without a date (never merged across posts), keyed by its first hint."""
    ordered = sorted(facts, key=lambda f: f.start)
    hint = next((f.event_hint for f in ordered if f.event_hint), "")
    return LocalEvent(facts[0].doc_id, norm(hint), "", "", None, tuple(ordered))


def _local_from(group: list[FactMention]) -> LocalEvent:
    dates = [f for f in group if f.attribute == "date"]
    first = min(f.value_min for f in dates)
    last = max(f.value_max for f in dates)
    facts = tuple(sorted(group, key=lambda f: f.start))
    return LocalEvent(
        group[0].doc_id, norm(dates[0].event_hint), first, last, _year(dates[0]), facts
    )


def compatible(a: LocalEvent, b: LocalEvent) -> bool:
    """Two posts' local events may be one event: same kind, same year, overlapping dates.

    Undated local events are never merged: without a date, two editions look alike. A trip
    ("mission") never merges with a non-trip event ("salon") it may share keys with.
    """
    if a.doc_id == b.doc_id or a.year is None or a.year != b.year:
        return False
    if a.series and b.series:
        if not same_series(a.series, b.series):
            return False
        return _overlap(a, b)
    if a.series or b.series:
        return False  # a named edition and an unnamed event are told apart
    if is_trip(a.key) != is_trip(b.key):
        return False  # a delegation's trip and the salon it visits are two events
    if not (a.key == b.key or a.key in b.keys or b.key in a.keys):
        return False
    return _overlap(a, b)


def _overlap(a: LocalEvent, b: LocalEvent) -> bool:
    a0, a1 = _interval(a.first, a.last)
    b0, b1 = _interval(b.first, b.last)
    return a0 <= b1 and b0 <= a1


def _candidate_pairs(items: list[LocalEvent]) -> list[tuple[int, int, int]]:
    """Pairs sharing a blocking key, with the number of keys shared (best first).

    Inside a block (key and year) only pairs whose dates overlap are counted: items are
    sorted by start and each one is paired with the following ones that start before it ends.
    """
    index: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        if item.year is None:
            continue  # never merged (see compatible), so never compared
        for key in item.keys:
            # Only events of the same year can merge: the year is part of the blocking key.
            index[(key, item.year)].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    intervals = [_interval(item.first, item.last) for item in items]
    for members in index.values():
        by_start = sorted(members, key=lambda i: intervals[i])
        for position, i in enumerate(by_start):
            for j in by_start[position + 1 :]:
                if intervals[j][0] > intervals[i][1]:
                    break
                shared[(min(i, j), max(i, j))] += 1
    pairs = [(i, j, n) for (i, j), n in shared.items() if compatible(items[i], items[j])]
    return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))


def complete_link(items: list[LocalEvent]) -> list[list[int]]:
    """Cluster local events; two clusters merge only if all their cross pairs are compatible.

    Local events told alike by several posts (same hint, keys, year and dates) are pairwise
    compatible, so each such group enters as one: a story repeated by a thousand posts costs
    one comparison, not half a million.
    """
    groups, posts = _alike_groups(items)
    stand_ins = [items[group[0]] for group in groups]

    def fits(a: int, b: int) -> bool:
        return not posts[a] & posts[b] and compatible(stand_ins[a], stand_ins[b])

    cluster_of = list(range(len(groups)))
    members: dict[int, list[int]] = {g: [g] for g in range(len(groups))}
    for g, h, _ in _candidate_pairs(stand_ins):
        cg, ch = cluster_of[g], cluster_of[h]
        if cg != ch and all(fits(a, b) for a in members[cg] for b in members[ch]):
            members[cg].extend(members.pop(ch))
            for k in members[cg]:
                cluster_of[k] = cg
    clusters = [[i for g in cluster for i in groups[g]] for cluster in members.values()]
    return sorted(sorted(cluster) for cluster in clusters)


def _alike_groups(items: list[LocalEvent]) -> tuple[list[list[int]], list[set[str]]]:
    """Dated local events with the same hint, keys and dates, one per post, in item order,
    and the posts of each group.

    An item joins the first group of its signature that does not hold its post yet.
    """
    groups: list[list[int]] = []
    posts: list[set[str]] = []
    by_signature: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        candidates = by_signature[(item.key, item.keys, item.year, item.first, item.last)]
        free = (g for g in candidates if item.doc_id not in posts[g])
        g = next(free, None) if item.year is not None else None
        if g is None:
            g = len(groups)
            candidates.append(g)
            groups.append([])
            posts.append(set())
        groups[g].append(i)
        posts[g].add(item.doc_id)
    return groups, posts


def _most_common(values: Iterable[str]) -> str:
    counts = Counter(v for v in values if v)
    if not counts:
        return ""
    return min(counts, key=lambda v: (-counts[v], v))


def _event_dates(facts: list[FactMention]) -> tuple[str, str]:
    """The dates told by most posts; ties go to the most specific, then the earliest."""
    dates = [f for f in facts if f.attribute == "date"]
    if not dates:
        return "", ""
    votes = Counter((f.value_min, f.value_max) for f in dates)
    best = min(votes, key=lambda v: (-votes[v], -len(v[0]), v))
    return best


def _kind_and_name(group: list[LocalEvent], start: str, cities: tuple[str, ...]) -> tuple[str, str]:
    """Kind (event word, or "événement" for a named event) and a readable name."""
    hints = [
        f.event_hint for local in group for f in local.facts if norm(f.event_hint) == local.key
    ]
    label = _most_common(hints) or "événement"
    generic = {norm(w) for w in load_fact_cues()["events"]["words"]}
    if norm(label) not in generic:
        return "événement", f"{label} {start[:4]}".strip()
    place = ", ".join(cities)
    return label.lower(), " ".join(
        p for p in (label.lower(), start[:4], "–" if place else "", place) if p
    )


def _make_event(group: list[LocalEvent]) -> tuple[Event, list[FactMention]]:
    if any(local.series for local in group):
        return _named_event(group)
    facts = [f for local in group for f in local.facts]
    start, end = _event_dates(facts)
    cities = tuple(sorted({f.value for f in facts if f.attribute == "city"}))
    kind, name = _kind_and_name(group, start, cities)
    key = _most_common(local.key for local in group) or "event"
    parts = [key, start or "undated", *cities[:3]]
    if not start:
        parts.append(_digest(facts))
    event = Event(
        event_id=slug("-".join(parts)),
        name=name,
        kind=kind,
        start_date=start,
        end_date=end,
        cities=cities,
        organiser=_most_common(f.value for f in facts if f.attribute == "organiser"),
        doc_ids=tuple(sorted({local.doc_id for local in group})),
        n_facts=len(facts),
        display_name=name,
        **_roles(group),
    )
    return event, facts


def _digest(facts: list[FactMention]) -> str:
    return hashlib.sha1("|".join(sorted(f.fact_id for f in facts)).encode()).hexdigest()[:8]


def _roles(group: list[LocalEvent]) -> dict[str, tuple[str, ...]]:
    main = {local.doc_id for local in group if local.main}
    others = {local.doc_id for local in group} - main
    return {"main_in": tuple(sorted(main)), "mentioned_in": tuple(sorted(others))}


def _named_event(group: list[LocalEvent]) -> tuple[Event, list[FactMention]]:
    """An edition of a named series: the name most posts write, their dates (each post's span,
    the most told one), the town its name or its posts' openings give, else its places."""
    facts = [f for local in group for f in local.facts]
    mains = [f for f in facts if f.attribute == "main_event"]
    series = _most_common(f.value_min for f in mains) or group[0].series
    name = _most_common(f.value for f in mains) or series
    written = [f.value for f in facts if f.attribute == "event_name"]
    name = next((w for w in written if series_key(w) == series_key(name)), name)  # its capitals
    series = next((w for w in written if series_key(w) == series_key(series)), series)
    year = next((local.year for local in group if local.year is not None), None)
    told = [local for local in group if local.main] or group
    spans = Counter((local.first, local.last) for local in told if len(local.first) > 4)
    start, end = min(spans, key=lambda v: (-spans[v], -len(v[0]), v)) if spans else ("", "")
    strong = {f.value for f in facts if f.attribute == "city" and f.extractor.startswith("main_")}
    cities = tuple(sorted(strong or {f.value for f in facts if f.attribute == "city"}))
    numbers = [f.value for f in facts if f.attribute == "edition_number"]
    display = f"{series} {year}" if year else series
    noun = next(
        (w for w in load_fact_cues()["events"]["words"] if norm(series).startswith(norm(w))), ""
    )
    parts = [series_key(series), str(year or "undated"), start]
    if year is None:
        parts.append(_digest(facts))
    event = Event(
        event_id=slug("-".join(p for p in parts if p)),
        name=name,
        kind=noun or "événement",
        start_date=start,
        end_date=end,
        cities=cities,
        organiser=_most_common(f.value for f in facts if f.attribute == "organiser"),
        doc_ids=tuple(sorted({local.doc_id for local in group})),
        n_facts=len(facts),
        series=series,
        edition_year=year,
        edition_number=int(_most_common(numbers)) if numbers else None,
        display_name=display,
        **_roles(group),
    )
    return event, facts


def _unique_ids(
    events: list[tuple[Event, list[FactMention]]],
) -> list[tuple[Event, list[FactMention]]]:
    """Suffix repeated event ids ("-2", "-3") in a stable order."""
    seen: Counter[str] = Counter()
    out = []
    for event, facts in sorted(events, key=lambda e: (e[0].event_id, e[0].doc_ids)):
        seen[event.event_id] += 1
        if seen[event.event_id] > 1:
            event = dataclasses.replace(event, event_id=f"{event.event_id}-{seen[event.event_id]}")
        out.append((event, facts))
    return out


def _published(doc: Document) -> str:
    """The post's date: its metadata, else its date line."""
    if doc.published:
        return doc.published
    line = find_publication_date(doc.text)
    return line.start_date if line else ""


def resolve_events(
    facts: list[FactMention], docs: list[Document]
) -> tuple[list[Event], list[FactMention]]:
    """Group facts of all posts into events; return events and facts with ``event_id`` set.

    Example:
        two posts telling "Du 3 au 11 juin" (2017) a "mission" to Angers -> one Event
        "mission-2017-06-03-angers-nantes"; a 2018 mission to the same cities stays apart.
    """
    by_doc: dict[str, list[FactMention]] = defaultdict(list)
    for fact in facts:
        by_doc[fact.doc_id].append(fact)
    order = [d.doc_id for d in docs] + sorted(set(by_doc) - {d.doc_id for d in docs})
    named = {f.doc_id for f in facts if f.attribute == "main_event"}
    published = {d.doc_id: _published(d) for d in docs if d.doc_id in named}
    items = [
        local
        for doc_id in order
        if doc_id in by_doc
        for local in local_events(by_doc[doc_id], published.get(doc_id, ""))
    ]
    built = _unique_ids([_make_event([items[i] for i in group]) for group in complete_link(items)])
    events = sorted((event for event, _ in built), key=lambda e: e.event_id)
    stamped = [
        dataclasses.replace(fact, event_id=event.event_id)
        for event, group in built
        for fact in group
    ]
    return events, sorted(stamped, key=lambda f: (f.doc_id, f.start, f.attribute, f.fact_id))
