"""Who speaks in each post: author, publisher, role for each event, and the posts it relies on.

Truth discovery counts *independent* sources, so reconciliation needs to know which posts
share a writer or copy one another. This stage reads it from what the posts themselves say:

- **author**: the metadata (front matter, CSV), else a byline ("Par Jeanne Roy" on one of the
  first or last lines), else a first-person self-identification ("je m'appelle Jeanne Roy");
- **publisher**: the site (the URL's host), else an organisation speaking as "nous" ("Toute
  l'équipe de X vous ...", or the organiser a post written in the organiser's voice names);
- **role** of the post (organiser, participant, press, other) from how it speaks, with the
  sentence that shows it, and its role for each event it states facts about;
- **depends_on**: posts it copies or quotes (the copied-passage detector, directed by a
  quotation or self-reference cue before the passage or by publication dates) and posts it
  names ("dans le billet de X" when X wrote another post of the corpus);
- **same_author_as**: posts by the same writer (equal authors, or a self-reference such as
  "un autre résumé que j'ai publié sur mon blogue" right before a passage copied from it).

Posts linked by one author, a copy or a quotation form one ``group``: they count once.
Cue words are in ``data/source_cues.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlparse

from rapidfuzz import fuzz

from recap_nlp.facts.cues import load_fact_cues
from recap_nlp.french import fold
from recap_nlp.records import Copy, Document, Event, FactMention, Mention, Source, SourceRole

_NAME = r"([A-ZÀ-Ý][\w'’-]*(?:[ -](?:de |du |d'|d’|van |von )?[A-ZÀ-Ý][\w'’-]*){0,3})"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_QUOTE_WINDOW = 300  # characters before a copied passage where a quotation cue counts
_EVIDENCE = 240  # characters of a quote kept as evidence
_HEAD_LINES = 4  # bylines are looked for on the first and last lines
_WE = re.compile(r"(?<!\w)(nous|notre|nos)(?!\w)", re.IGNORECASE)
_I = re.compile(r"(?<!\w)(je|j'|j’|moi|mon|ma|mes)(?!\w)", re.IGNORECASE)


@cache
def load_source_cues() -> dict[str, Any]:
    """The packaged cue tables of ``data/source_cues.toml``, parsed once."""
    text = resources.files("recap_nlp").joinpath("data/source_cues.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({c.replace("’", "'") for c in cues}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def find_cue(text: str, cues: Iterable[str], start: int = 0) -> re.Match[str] | None:
    """The first cue of ``cues`` in ``text`` (case and apostrophe insensitive), as a match.

    Example:
        find_cue("Rectification : nous étions 27.", ["rectification"]).group() -> "rectification"
    """
    return _cue_pattern(tuple(cues)).search(text.lower().replace("’", "'"), start)


def _last_cue(text: str, cues: Iterable[str]) -> re.Match[str] | None:
    """The last cue of ``cues`` in ``text``: the one nearest to what follows it."""
    matches = list(_cue_pattern(tuple(cues)).finditer(text.lower().replace("’", "'")))
    return matches[-1] if matches else None


def _sentence_at(text: str, position: int) -> str:
    """The sentence of ``text`` holding ``position``, trimmed for evidence.

    The sentence break before ``position`` is looked for in a window that doubles until it
    holds one after a non-blank character (then a scan from 0 would find the same break):
    linear in the sentence, not in the text.
    """
    begin, width = 0, 1024
    while True:
        window = max(0, position - width)
        ends = list(_SENTENCE_END.finditer(text, window, position))
        if window == 0 or (ends and text[window : ends[-1].start()].strip()):
            begin = ends[-1].end() if ends else 0
            break
        width *= 2
    found = _SENTENCE_END.search(text, position)
    sentence = text[begin : found.start() if found else len(text)].strip()
    return sentence[:_EVIDENCE]


def fold_name(name: str) -> str:
    """A name compared across posts: no accents, case or punctuation ("Éloïse" -> "eloise")."""
    return " ".join(re.findall(r"\w+", fold(name)))


def post_author(doc: Document, people: Sequence[Mention] = ()) -> tuple[str, str]:
    """The post's author and where it was read ("metadata", or the line that says it).

    Example:
        a post whose second line is "Par Jeanne Roy" -> ("Jeanne Roy", "Par Jeanne Roy")
    """
    cues = load_source_cues()["author"]
    if doc.author and fold_name(doc.author) not in {fold_name(g) for g in cues["generic"]}:
        return doc.author, "metadata"
    lines = [line.strip() for line in doc.text.splitlines() if line.strip()]
    byline = re.compile(r"^(?i:" + "|".join(re.escape(c) for c in cues["byline"]) + r")\s+" + _NAME)
    for line in lines[:_HEAD_LINES] + lines[-_HEAD_LINES:]:
        found = byline.match(line.replace("’", "'")) if len(line) < 80 else None
        if found and _is_name(found.group(1), people):
            return found.group(1).strip(), line
    words = "|".join(re.escape(c.replace("’", "'")) for c in cues["self_identification"])
    self_id = re.compile(r"(?<!\w)(?i:" + words + r")\s+" + _NAME)
    for found in self_id.finditer(doc.text.replace("’", "'")):
        if _is_name(found.group(1), people):
            return found.group(1).strip(), _sentence_at(doc.text, found.start())
    return "", ""


def _is_name(candidate: str, mentions: Sequence[Mention]) -> bool:
    """A person's name: a PER mention of the post inside it, else two capitalised words
    that no place or organisation mention of the post covers.

    Example: "Jeanne Roy" -> True; "Beau Temps" when "Beau" is a place -> False.
    """
    folded = fold_name(candidate)
    if any(m.label == "PER" and fold_name(m.text) in folded for m in mentions if m.text):
        return True
    if any(m.label != "PER" and fold_name(m.text) in folded for m in mentions if m.text.strip()):
        return False
    return len(candidate.split()) >= 2


def post_voice(doc: Document) -> tuple[SourceRole, str]:
    """How the post speaks of itself: organiser, participant, press or other, with the quote.

    Example:
        "Pour en savoir plus, consultez notre bottin de mission." -> ("organiser", that sentence)
    """
    roles, voice = load_fact_cues()["roles"], load_source_cues()["voice"]
    tables: list[tuple[SourceRole, list[str]]] = [
        ("organiser", roles["organiser_voice"] + voice["organiser"]),
        ("participant", roles["participant_voice"] + voice["participant"]),
        ("press", voice["press"]),
    ]
    for role, cues in tables:
        found = find_cue(doc.text, cues)
        if found is not None:
            return role, _sentence_at(doc.text, found.start())
    return "other", ""


def _press_byline(doc: Document, author_evidence: str) -> bool:
    """A byline and no first person in the narrative: a press article."""
    return author_evidence not in ("", "metadata") and not _I.search(doc.text)


def post_publisher(
    doc: Document, mentions: Sequence[Mention], organisers: Sequence[FactMention], role: str
) -> tuple[str, str]:
    """The site or the organisation speaking as "nous" in the post, with the evidence.

    In order: the URL's host; a name after "Toute l'équipe de", "Chez", ... at the start of a
    sentence; an organisation opening one of the first sentences as its subject ("Vélo Cité
    était présent ...") in a post speaking as "nous"; the organiser a post written in the
    organiser's voice names at least twice (not a city).

    Example:
        "Toute l'équipe de Vélo Cité vous donne des nouvelles" -> ("Vélo Cité", that sentence)
    """
    if doc.url.startswith(("http://", "https://")):
        host = urlparse(doc.url).netloc.removeprefix("www.")
        if host:
            return host, doc.url
    orgs = [m for m in mentions if m.label == "ORG"]
    found = _self_presented(doc, orgs) or _opening_subject(doc, orgs)
    if found:
        return found
    cities = {fold_name(m.text) for m in mentions if m.label in ("CITY", "LOC")}
    if role == "organiser" and _WE.search(doc.text):
        for fact in organisers:
            name = fold_name(fact.value)
            if name and name not in cities and fold_name(doc.text).count(name) >= 2:
                return fact.value, fact.sentence[:_EVIDENCE]
    return "", ""


def _self_presented(doc: Document, orgs: Sequence[Mention]) -> tuple[str, str] | None:
    """ "Toute l'équipe de X vous ...", "Chez X, nous ...": X, at the start of a sentence."""
    low = doc.text.lower().replace("’", "'")
    name = re.compile(_NAME)
    for cue in load_source_cues()["publisher"]["self_presentation"]:
        cue = cue.replace("’", "'")
        if cue not in low:
            continue  # cheap test first: the cue is written somewhere in the post
        for found in re.finditer(r"(?:^|(?<=[.!?…]\s)|(?<=\n))" + re.escape(cue) + r"\s*", low):
            org = next((m.text for m in orgs if abs(m.start - found.end()) <= 2), None)
            team = "équipe" in cue or "membres" in cue  # a team's name, even untagged
            named = name.match(doc.text, found.end()) if team else None
            if org or named:
                return org or named.group(1), _sentence_at(doc.text, found.start())  # type: ignore[union-attr]
    return None


def _opening_subject(doc: Document, orgs: Sequence[Mention]) -> tuple[str, str] | None:
    """An organisation followed by its verb in one of the first sentences of a "nous" post."""
    if not _WE.search(doc.text):
        return None
    verbs = load_source_cues()["publisher"]["subject_verbs"]
    head = _SENTENCE_END.split(doc.text.lstrip(), maxsplit=3)[:3]
    limit = doc.text.find(head[-1]) + len(head[-1]) if head else 0
    for org in sorted(orgs, key=lambda m: m.start):
        if org.start >= limit:
            break
        after = doc.text[org.end : org.end + 30].lower().replace("’", "'")
        if re.match(r"\s+(?:" + "|".join(re.escape(v) for v in verbs) + r")(?!\w)", after):
            return org.text, _sentence_at(doc.text, org.start)
    return None


def _copy_direction(
    a: Document, b: Document, passage: str, cues: dict[str, Any]
) -> tuple[str, str, str] | None:
    """(copier, original, evidence) for a passage two posts share, or None when unknown.

    The copier announces the passage (a quotation or self-reference cue just before it);
    otherwise the later-published post copied the earlier one.
    """
    refs = cues["references"]
    for copier, original in ((a, b), (b, a)):
        where = _passage_start(copier.text, passage)
        window = copier.text[max(0, where - _QUOTE_WINDOW) : where]
        found = _last_cue(window, refs["self"] + refs["quotation"] + refs["other"])
        if where >= 0 and found is not None:
            return copier.doc_id, original.doc_id, _sentence_at(window, found.start())
    if a.published and b.published and a.published != b.published:
        later, earlier = (a, b) if a.published > b.published else (b, a)
        return later.doc_id, earlier.doc_id, f"published {later.published} > {earlier.published}"
    return None


def _passage_start(text: str, passage: str) -> int:
    """Where ``passage`` (as written in another post) starts in ``text``, -1 if not found."""
    exact = text.find(passage[:60])
    if exact >= 0:
        return exact
    alignment = fuzz.partial_ratio_alignment(passage, text, score_cutoff=80)
    return alignment.dest_start if alignment is not None else -1


def _is_self_reference(evidence: str) -> bool:
    return find_cue(evidence, load_source_cues()["references"]["self"]) is not None


class _Links:
    """Relations between posts, gathered before the records are built."""

    def __init__(self) -> None:
        self.depends: dict[str, dict[str, None]] = defaultdict(dict)
        self.same_author: dict[str, dict[str, None]] = defaultdict(dict)
        self.relations: dict[str, list[str]] = defaultdict(list)
        self.parent: dict[str, str] = {}

    def union(self, a: str, b: str) -> None:
        roots = sorted({self.find(a), self.find(b)})
        if len(roots) == 2:
            self.parent[roots[1]] = roots[0]  # the smallest doc id names the group

    def find(self, doc_id: str) -> str:
        while self.parent.get(doc_id, doc_id) != doc_id:
            doc_id = self.parent[doc_id]
        return doc_id

    def note(self, doc_id: str, text: str) -> None:
        if text not in self.relations[doc_id]:
            self.relations[doc_id].append(text)


def _link_copies(docs: dict[str, Document], copies: Iterable[Copy], links: _Links) -> None:
    cues = load_source_cues()
    passages: dict[tuple[str, str], list[str]] = defaultdict(list)
    for copy in copies:
        if copy.doc_a in docs and copy.doc_b in docs:
            passages[(copy.doc_a, copy.doc_b)].append(copy.passage)
    for (doc_a, doc_b), shared in sorted(passages.items()):
        links.union(doc_a, doc_b)
        found = (_copy_direction(docs[doc_a], docs[doc_b], p, cues) for p in shared)
        direction = next((d for d in found if d is not None), None)
        if direction is None:
            links.note(doc_a, f"shares a passage with {doc_b}")
            links.note(doc_b, f"shares a passage with {doc_a}")
            continue
        copier, original, evidence = direction
        links.depends[copier][original] = None
        if _is_self_reference(evidence):
            links.same_author[copier][original] = None
            links.same_author[original][copier] = None
            links.note(copier, f"same author as {original}: quotes it as « {evidence} »")
            links.note(original, f"same author as {copier}, which quotes it")
        else:
            links.note(copier, f"copies a passage of {original} (« {evidence} »)")
            links.note(original, f"copied by {copier}")


def _link_authors(authors: dict[str, str], links: _Links) -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    for doc_id, author in sorted(authors.items()):
        if author:
            by_name[fold_name(author)].append(doc_id)
    for doc_ids in by_name.values():
        for doc_id in doc_ids[1:]:
            links.union(doc_ids[0], doc_id)
        for doc_id in doc_ids:
            for other in doc_ids:
                if other != doc_id:
                    links.same_author[doc_id][other] = None
                    links.note(doc_id, f"same author as {other} ({authors[doc_id]})")


def _link_references(docs: dict[str, Document], authors: dict[str, str], links: _Links) -> None:
    """ "dans le billet de X": a dependence when X wrote another post, else a note."""
    cues = load_source_cues()["references"]["other"]
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(c.replace("’", "'")) for c in cues) + r")\s*" + _NAME
    )
    by_author = defaultdict(list)
    for doc_id, author in authors.items():
        for part in re.split(r"\s*[,;&]\s*|\s+et\s+", author):
            if part:
                by_author[fold_name(part)].append(doc_id)
    for doc_id, doc in sorted(docs.items()):
        found_all = list(pattern.finditer(doc.text.replace("’", "'")))
        names = {fold_name(f.group(1)) for f in found_all}
        for found in found_all:
            name = found.group(1)
            if any(other.startswith(fold_name(name) + " ") for other in names):
                continue  # "Mathieu" when the post also says "Mathieu Laferrière"
            targets = _authors_named(name, by_author, doc_id)
            evidence = _sentence_at(doc.text, found.start())
            for target in targets:
                links.depends[doc_id][target] = None
                links.union(doc_id, target)
                links.note(doc_id, f"refers to {target} by {name} (« {evidence} »)")
            if not targets:
                links.note(doc_id, f"refers to a post by {name}, not in the corpus")


def _authors_named(name: str, by_author: dict[str, list[str]], doc_id: str) -> list[str]:
    """Posts whose author is ``name``, or whose author's first name it is ("Mathieu")."""
    folded = fold_name(name)
    found = by_author.get(folded, [])
    if not found and " " not in folded:
        keys = [key for key in by_author if key.split()[:1] == [folded]]
        found = by_author[keys[0]] if len(keys) == 1 else []  # one writer of that first name
    return sorted(d for d in set(found) if d != doc_id)


def _main_event(facts: Sequence[FactMention]) -> str:
    counts = Counter(f.event_id for f in facts if f.event_id)
    if not counts:
        return ""
    return min(counts, key=lambda e: (-counts[e], min(f.start for f in facts if f.event_id == e)))


def _event_roles(
    facts: Sequence[FactMention], role: SourceRole, publisher: str, organisers: dict[str, set[str]]
) -> tuple[str, ...]:
    """The post's role for each event it states facts about ("event_id=role")."""
    main = _main_event(facts)
    roles = []
    for event_id in sorted({f.event_id for f in facts if f.event_id}):
        if publisher and fold_name(publisher) in organisers.get(event_id, set()):
            event_role = "organiser"
        elif role == "organiser":
            event_role = "organiser" if event_id == main else "participant"
        else:
            event_role = role
        roles.append(f"{event_id}={event_role}")
    return tuple(roles)


def _organisers(events: Sequence[Event], facts: Sequence[FactMention]) -> dict[str, set[str]]:
    names: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.organiser:
            names[event.event_id].add(fold_name(event.organiser))
    for fact in facts:
        if fact.attribute == "organiser" and fact.event_id:
            names[fact.event_id].add(fold_name(fact.value))
    return names


def describe_sources(
    docs: Sequence[Document],
    facts: Sequence[FactMention] = (),
    events: Sequence[Event] = (),
    copies: Iterable[Copy] = (),
    mentions: Sequence[Mention] = (),
) -> list[Source]:
    """One ``Source`` per post, sorted by doc id.

    Example:
        post A: "Je conclus avec un extrait d'un autre résumé que j'ai publié sur mon blogue :
        « ... »" holding a paragraph of post B -> A.depends_on == (B,), A.same_author_as == (B,),
        A.group == B.group
    """
    by_id = {d.doc_id: d for d in sorted(docs, key=lambda d: d.doc_id)}
    facts_by_doc: dict[str, list[FactMention]] = defaultdict(list)
    for fact in facts:
        facts_by_doc[fact.doc_id].append(fact)
    mentions_by_doc: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        mentions_by_doc[mention.doc_id].append(mention)
    authors = {d: post_author(doc, mentions_by_doc[d]) for d, doc in by_id.items()}
    links = _Links()
    _link_copies(by_id, copies, links)
    _link_authors({d: a for d, (a, _) in authors.items()}, links)
    _link_references(by_id, {d: a for d, (a, _) in authors.items()}, links)
    organisers = _organisers(events, facts)
    return [
        _source(doc, authors[d], facts_by_doc[d], mentions_by_doc[d], organisers, links)
        for d, doc in by_id.items()
    ]


def _source(
    doc: Document,
    author: tuple[str, str],
    facts: list[FactMention],
    mentions: list[Mention],
    organisers: dict[str, set[str]],
    links: _Links,
) -> Source:
    role, role_evidence = post_voice(doc)
    if role == "other" and _press_byline(doc, author[1]):
        role, role_evidence = "press", author[1]
    own_organisers = [f for f in facts if f.attribute == "organiser"]
    publisher, publisher_evidence = post_publisher(doc, mentions, own_organisers, role)
    return Source(
        doc_id=doc.doc_id,
        author=author[0],
        author_evidence=author[1],
        publisher=publisher,
        publisher_evidence=publisher_evidence,
        role=role,
        role_evidence=role_evidence,
        event_roles=_event_roles(facts, role, publisher, organisers),
        depends_on=tuple(sorted(links.depends.get(doc.doc_id, {}))),
        same_author_as=tuple(sorted(links.same_author.get(doc.doc_id, {}))),
        relations=tuple(links.relations.get(doc.doc_id, ())),
        group=links.find(doc.doc_id),
    )


def event_role(source: Source, event_id: str) -> str:
    """The post's role for one event ("organiser", "participant", ...), its own role otherwise.

    Example:
        Source(role="organiser", event_roles=("web2day-2017=participant",)), "web2day-2017"
        -> "participant"
    """
    prefix = f"{event_id}="
    found = next((r for r in source.event_roles if r.startswith(prefix)), None)
    return found[len(prefix) :] if found else source.role
