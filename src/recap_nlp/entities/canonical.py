"""One canonical entity per real-world thing across the corpus.

Mentions are grouped in four steps, each near-linear (dictionary lookups, blocking):

1. by a folded key: case, accents, apostrophes, hyphens, a leading article and a trailing
   edition year folded away ("la Angers French Tech", "Web à Québec 2014");
2. a short name is resolved to the unique longer name it starts, looked for in the same post
   first, then in the corpus ("Martin" -> "Martin Boivin", "Semaine numérique" -> "Semaine
   numérique de Québec"; a person's first name only in posts recapping the same event, a
   one-word common noun only in its own post; an organisation's own name never: "Zorbex" is not
   "Zorbex Web"); a longer name that only adds a place ("Ruby Day
   Lille") is an edition, not a resolution; two different candidates leave it alone; a surname
   alone is resolved to the unique full name of the same post it ends ("Boyer" -> "Pascal BOYER");
3. aliases stated by the posts join groups: an acronym defined in brackets ("Web à Québec
   (WAQ)") and an apposition ("« Digital SpringBreak », le Web2Day");
4. near spellings join groups (rapidfuzz ratio, blocked by label and first letters).

Each group's label is voted by its mentions (cue rules weigh more than the model; MISC barely
counts); its canonical name is the most complete, most frequent well-formed variant, a
person's surname written in capitals put in mixed case ("Pascal BOYER" -> "Pascal Boyer").
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache, lru_cache

from rapidfuzz import fuzz

from recap_nlp.entities import lexicon
from recap_nlp.entities.learned import is_french_word
from recap_nlp.entities.lexicon import strip_accents
from recap_nlp.entities.spans import is_acronym, letters_match
from recap_nlp.records import Entity, EntityLabel, Mention

_PLACE_LABELS = frozenset({"CITY", "LOC"})
_SOURCE_WEIGHT = {"gazetteer": 5.0, "cue": 3.0, "ruler": 3.0, "acronym": 2.0}
_LABEL_ORDER: tuple[EntityLabel, ...] = ("PER", "ORG", "EVENT", "CITY", "LOC", "MISC")
_ARTICLE = re.compile(r"^(?:l'|d'|le |la |les |the )")
# only a lowercase article: "Les Offices jeunesse internationaux du Québec" keeps its "Les"
_LOWER_ARTICLE = re.compile(r"^(?:l['’]|le |la |les )")
_YEAR = re.compile(r" (?:19|20)\d\d$")
# an edition named as such keeps its year (it is essential): "Hackathon Printemps Edition 2022"
_EDITION_YEAR = re.compile(r"\bedition (?:19|20)\d\d$")
_BRACKET = re.compile(r"^\s*\(\s*$")
# a quoted name then its plain one: "« Digital SpringBreak », le Web2Day"
_APPOSITION = re.compile(r"^\s*[»\"”]\s*,\s*(?:le|la|l['’])\s*$")
_FUZZY_MIN_RATIO = 90.0
_FUZZY_MIN_LENGTH = 8

Key = tuple[str, str]  # (kind, folded name); kind is the label for places, "NAME" otherwise
_PrefixIndex = dict[tuple[str, str], dict[Key, set[str]]]
_SurnameIndex = dict[tuple[str, str], set[Key]]


@lru_cache(maxsize=2**16)
def fold(text: str) -> str:
    """Fold a name for grouping (each distinct name once: a bounded cache).

    Example: ``fold("la Angers French Tech")`` -> ``"angers french tech"``;
    ``fold("Web à Québec 2014")`` -> ``"web a quebec"``.
    """
    # compatibility forms first ("𝙰" -> "A"), so that casefolding sees plain letters
    text = strip_accents(strip_accents(text.replace("’", "'")).casefold())
    text = " ".join(re.sub(r"[-‐‑–—_/]+", " ", text).split())
    text = _ARTICLE.sub("", text)
    if not _EDITION_YEAR.search(text):
        text = _YEAR.sub("", text)
    return text.strip(" .,;:!?\"'")


def canonicalize(
    mentions: list[Mention], main_events: Mapping[str, str] | None = None
) -> tuple[list[Entity], list[Mention]]:
    """Group mentions into entities; return the entities and the mentions with ids filled.

    ``main_events`` maps a post to the key of the event it recaps ("" when unknown): a first
    name alone is resolved to a full name of another post only when both posts recap the same
    event (without it, only within its own post).

    Both lists are sorted (entities by id, mentions by document and offset); ids are stable
    hashes of the label and folded canonical name, so reruns give the same ids.
    """
    ordered = sorted(mentions, key=lambda m: (m.doc_id, m.start, m.end, m.label))
    index, surnames = _prefix_index(ordered), _surname_index(ordered)
    events = main_events or {}
    keys = [_resolve_name(m, k, index, surnames, events) for m, k in _keyed(ordered)]
    keys = _series_of_city_editions(ordered, keys)
    groups = _UnionFind(keys)
    for a, b in _stated_aliases(ordered):
        groups.union(keys[a], keys[b])
    for a_key, b_key in _near_spellings(set(keys)):
        groups.union(a_key, b_key)
    members: dict[Key, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        members[groups.find(key)].append(i)
    return _build(ordered, members)


def _key(mention: Mention) -> Key:
    kind = mention.label if mention.label in _PLACE_LABELS else "NAME"
    return kind, fold(mention.canonical or mention.text)


def _keyed(mentions: list[Mention]) -> Iterable[tuple[Mention, Key]]:
    return ((m, _key(m)) for m in mentions)


def _resolve_name(
    mention: Mention,
    key: Key,
    index: _PrefixIndex,
    surnames: _SurnameIndex,
    events: Mapping[str, str],
) -> Key:
    """The key of the longer name ``mention`` is short for (first words, else surname)."""
    resolved = _resolve_prefix(mention, key, index, events)
    if resolved != key or mention.label != "PER" or mention.canonical or " " in key[1]:
        return resolved
    found = surnames.get((mention.doc_id, key[1]), set())
    return next(iter(found)) if len(found) == 1 else key


def _surname_index(mentions: list[Mention]) -> _SurnameIndex:
    """(post, folded last word) -> keys of the full person names of that post ending with it."""
    index: _SurnameIndex = defaultdict(set)
    for m in mentions:
        kind, name = _key(m)
        words = name.split()
        if m.label == "PER" and not m.canonical and len(words) > 1:
            index[(m.doc_id, words[-1])].add((kind, name))
    return index


def _resolve_prefix(
    mention: Mention, key: Key, index: _PrefixIndex, events: Mapping[str, str]
) -> Key:
    """The key of the unique longer name ``mention`` starts, same post first, else its own key.

    A person's first name is resolved across posts only when the posts using the full name
    recap the same event as the mention's post: "Julien" in a post on one trip is not the
    "Julien Martin" who spoke at another conference.

    Example: "Martin" in a post that also says "Martin Boivin" -> the key of "Martin Boivin".
    """
    if key[0] != "NAME" or mention.canonical:
        return key
    if mention.label == "ORG" and not _common_noun(mention.text):
        return key  # "Zorbex" beside "Zorbex Web": two bodies
    candidates = {
        k: docs
        for k, docs in index.get((mention.label, key[1]), {}).items()
        if k[1][len(key[1]) + 1 :] not in _folded_places()
    }
    same_doc = {k for k, docs in candidates.items() if mention.doc_id in docs}
    if len(same_doc) == 1:
        return next(iter(same_doc))
    if same_doc or len(candidates) != 1:
        return key
    ((found, docs),) = candidates.items()
    if mention.label == "PER" and not _same_event(mention.doc_id, docs, events):
        return key
    if mention.label != "PER" and _common_noun(mention.text):
        return key  # "Université" in one post is not the "Université de X" of another
    return found


def _common_noun(text: str) -> bool:
    """A one-word name that is a French common noun or a cue head: "Conférence", "Forum"."""
    word = " ".join(text.split())
    if " " in word:
        return False
    cues = lexicon.cues()
    return word in cues.event_heads or word in cues.org_heads or is_french_word(word.lower())


@cache
def _folded_places() -> frozenset[str]:
    """Folded city, region and country names: a longer name that only adds one ("Ruby Day
    Lille") names an edition or a branch, not what the short name stands for."""
    places = lexicon.places()
    return frozenset(fold(name) for name in [*places.cities, *places.regions])


def _same_event(doc_id: str, others: set[str], events: Mapping[str, str]) -> bool:
    event = events.get(doc_id, "")
    return bool(event) and all(events.get(other, "") == event for other in others)


def _prefix_index(mentions: list[Mention]) -> _PrefixIndex:
    """(label, folded word prefix) -> {key of a longer name: the posts using it}."""
    index: _PrefixIndex = defaultdict(lambda: defaultdict(set))
    for m in mentions:
        kind, name = _key(m)
        words = name.split()
        if kind != "NAME" or m.canonical:
            continue
        for n in range(1, len(words)):
            index[(m.label, " ".join(words[:n]))][(kind, name)].add(m.doc_id)
    return index


def _series_of_city_editions(mentions: list[Mention], keys: list[Key]) -> list[Key]:
    """An event's city edition joins its series when the corpus names the series as an event.

    The annotation's canonical event name is the series ("Drupal Day" for "Drupal Day Nantes 2019");
    a name found only with its city ("Franchise Expo Paris") keeps it.

    Example: "Ruby Day Lille" in one post and "Ruby Day" in another -> both "ruby day".
    """
    series = {key for m, key in zip(mentions, keys, strict=True) if m.label == "EVENT"}
    result = []
    for m, key in zip(mentions, keys, strict=True):
        base = _city_edition_base(key[1]) if m.label == "EVENT" and key[0] == "NAME" else None
        result.append(("NAME", base) if base and ("NAME", base) in series else key)
    return result


def _city_edition_base(name: str) -> str | None:
    """The folded series name of a folded "<series> <place>", else None."""
    words = name.split()
    for k in range(len(words) - 1, 0, -1):
        if " ".join(words[k:]) in _folded_places() and words[k - 1] not in _PLACE_LINKS:
            return " ".join(words[:k])
    return None


# words that make a place part of an event's name: "Salon du livre de Genève", "Web à Québec"
_PLACE_LINKS = frozenset({"de", "d'", "du", "des", "a", "au", "aux", "en", "of", "in"})


def _stated_aliases(mentions: list[Mention]) -> Iterable[tuple[int, int]]:
    """Index pairs of mentions a post gives as the same thing (acronym, apposition)."""
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        between = _text_between(a, b)
        if between is None:
            continue
        acronym = is_acronym(b.text) and letters_match(b.text, a.text)
        if (acronym and _BRACKET.match(between)) or _APPOSITION.match(between):
            yield i, i + 1


def _text_between(a: Mention, b: Mention) -> str | None:
    """The original text between two mentions of one sentence, else None."""
    if a.doc_id != b.doc_id or a.sentence_start != b.sentence_start or b.start < a.end:
        return None
    return a.sentence[a.end - a.sentence_start : b.start - a.sentence_start]


def _near_spellings(keys: set[Key]) -> Iterable[tuple[Key, Key]]:
    """Pairs of keys spelled nearly alike, compared only within a block of equal prefixes."""
    blocks: dict[tuple[str, str], list[Key]] = defaultdict(list)
    for key in sorted(keys):
        if len(key[1]) >= _FUZZY_MIN_LENGTH:
            blocks[(key[0], key[1][:3])].append(key)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if fuzz.ratio(a[1], b[1]) >= _FUZZY_MIN_RATIO:
                    yield a, b


def _build(
    mentions: list[Mention], members: dict[Key, list[int]]
) -> tuple[list[Entity], list[Mention]]:
    filled = list(mentions)
    entities: dict[str, Entity] = {}
    for indices in members.values():
        group = [mentions[i] for i in indices]
        label = vote_label(group)
        canonical = canonical_name(group)
        if label == "PER":
            canonical = person_case(canonical)
        entity_id = entity_id_for(label, canonical)
        entities[entity_id] = _merged(entities.get(entity_id), entity_id, canonical, label, group)
        for i in indices:
            filled[i] = replace(mentions[i], label=label, canonical=canonical, entity_id=entity_id)
    return sorted(entities.values(), key=lambda e: e.entity_id), filled


def _merged(
    old: Entity | None, entity_id: str, canonical: str, label: EntityLabel, group: list[Mention]
) -> Entity:
    aliases = {m.text for m in group} | set(old.aliases if old else ())
    docs = {m.doc_id for m in group}
    n_mentions = len(group) + (old.n_mentions if old else 0)
    n_docs = len(docs) + (old.n_docs if old else 0)  # only two groups ever share an id
    return Entity(entity_id, canonical, label, tuple(sorted(aliases)), n_mentions, n_docs)


def vote_label(group: list[Mention]) -> EntityLabel:
    """The label most supported by a group's mentions; cue rules outweigh the model.

    Example: "Jolifish" PER (model) once and ORG (cue) twice -> ORG.
    """
    votes: Counter[str] = Counter()
    for m in group:
        weight = _SOURCE_WEIGHT.get(m.source, 1.0)
        votes[m.label] += weight * (0.2 if m.label == "MISC" else 1.0)
    return max(_LABEL_ORDER, key=lambda lab: (votes[lab], -_LABEL_ORDER.index(lab)))


def canonical_name(group: list[Mention]) -> str:
    """The most complete, most frequent well-formed name of a group.

    Expansions beat acronyms, full names beat a first name alone, then frequency, then length.

    Example: {"WAQ" x3, "Web à Québec" x2} -> "Web à Québec"; {"Martin" x2, "Martin Boivin"}
    -> "Martin Boivin".
    """
    given = sorted({m.canonical for m in group if m.canonical})
    if given:
        return given[0]
    surfaces = Counter(_LOWER_ARTICLE.sub("", " ".join(m.text.split())) for m in group)
    by_fold = Counter(fold(m.text) for m in group)
    folds = set(by_fold)

    def rank(surface: str) -> tuple[bool, bool, bool, int, int, int, str]:
        key = fold(surface)
        partial = any(
            f != key and f.startswith(key + " ") and _city_edition_base(f) != key for f in folds
        )
        year = bool(_YEAR.search(" " + surface.split(" ")[-1])) and not _EDITION_YEAR.search(key)
        edition = _city_edition_base(key) in folds  # "Drupal Day Nantes" beside "Drupal Day"
        return (
            not is_acronym(surface),
            not edition,
            not partial and not year,
            by_fold[key],
            surfaces[surface],
            len(surface),
            surface,
        )

    return max(surfaces, key=rank)


def person_case(name: str) -> str:
    """A person's name with words written in capitals put in mixed case.

    Example: ``person_case("Jean-François TREMBLAY")`` -> ``"Jean-François Tremblay"``.
    """
    return " ".join(_mixed_case(word) if _all_caps(word) else word for word in name.split(" "))


def _all_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _mixed_case(word: str) -> str:
    return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))


def entity_id_for(label: str, canonical: str) -> str:
    """A stable id from the label and canonical name: ``"event_1f3c…"``."""
    digest = hashlib.sha1(f"{label}|{fold(canonical)}".encode()).hexdigest()[:10]
    return f"{label.lower()}_{digest}"


class _UnionFind:
    """Disjoint sets of keys; the representative is the smallest key, for determinism."""

    def __init__(self, keys: Iterable[Key]) -> None:
        self.parent: dict[Key, Key] = {k: k for k in keys}

    def find(self, key: Key) -> Key:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: Key, b: Key) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
