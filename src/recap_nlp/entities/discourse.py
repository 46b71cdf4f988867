"""One sense per discourse: a name keeps one label throughout a post.

The model and the rules label each mention from its own sentence, so a conference is an ORG in
one paragraph and an EVENT in the next. Within a post, the mentions of one name (folded) take
the label most supported by the recognisers, cue rules weighing more than the model; a mention
whose own cue says otherwise ("l'association X" beside "la conférence X") keeps its label.
The post's main event, a name of the title the post also calls an event, is EVENT wherever it
is named.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from recap_nlp.entities import lexicon
from recap_nlp.entities.event_names import (
    emphasised_events,
    festival_events,
    title_mentions,
    without_talk_slots,
    year_named_events,
)
from recap_nlp.entities.learned import fold_key, is_french_word, name_groups
from recap_nlp.french import word_set
from recap_nlp.records import Document, EntityLabel, Mention, SentenceSpan

_WEIGHT = {
    "cue": 3.0,
    "ruler": 3.0,
    "link": 3.0,
    "title": 3.0,
    "acronym": 2.0,
    "model": 1.0,
    "lookup": 0.7,
}
_COUNTED = frozenset({"PER", "CITY", "ORG", "EVENT"})


def post_label(group: list[Mention]) -> str:
    """The label a post gives one name, by cue-weighted votes of its mentions.

    Example: "MiXiT" seen as EVENT by a cue rule once and ORG by the model twice -> EVENT.
    """
    votes: Counter[str] = Counter()
    for m in group:
        weight = _WEIGHT.get(m.source, 1.0)
        votes[m.label] += weight if m.label in _COUNTED else 0.2 * weight
    return min(votes, key=lambda label: (-votes[label], label))


def one_sense_per_post(
    doc: Document, mentions: list[Mention], sentences: Sequence[SentenceSpan] = ()
) -> list[Mention]:
    """The post's mentions with one label per name, the main event labelled EVENT.

    The main event is a name the title writes before a year ("Retour sur le Salon Numérix 2019") or
    that the post calls an event somewhere; it is EVENT wherever the post names it, even where
    no recogniser saw it.

    Example: in a post titled "Retour sur MiXiT 2015" that once writes "la conférence MiXiT",
    every "MiXiT" is an EVENT, even where the model said ORG.
    """
    title = _title(doc)
    names = title_events(title)
    events = {fold_key(name) for name in names}
    mentions = [*mentions, *_unseen_occurrences(doc, mentions, sentences, names)]
    taken = [(m.start, m.end) for m in mentions]
    mentions += emphasised_events(doc, sentences, taken)
    mentions += year_named_events(doc, sentences, taken)
    mentions += festival_events(doc, sentences, taken)
    mentions += title_mentions(doc, title, names, mentions)
    mentions = without_talk_slots(mentions)
    labels = {key: post_label(group) for key, group in name_groups(mentions).items()}
    folded_title = f" {fold_key(title)} "
    for key, group in name_groups(mentions).items():
        named = f" {key} " in folded_title and any(m.label == "EVENT" for m in group)
        if named or _YEAR_END.sub("", key) in events:
            labels[key] = "EVENT"
    labels.update(dict.fromkeys(clipped_event_names(doc, mentions, labels), "EVENT"))
    result = []
    for m in mentions:
        label = labels.get(fold_key(m.text))
        if m.source == "gazetteer" or (m.source == "cue" and label != "EVENT"):
            label = None
        if label is None or label == m.label:
            result.append(m)
        else:
            result.append(replace(m, label=_label(label)))
    return sorted(result, key=lambda m: (m.start, m.end))


_MIN_CLIPPED = 4
_CLIPPED_AFTER = frozenset({"les", "la", "le", "l'", "des", "du", "au", "aux"})


def clipped_event_names(
    doc: Document, mentions: Sequence[Mention], labels: dict[str, str]
) -> list[str]:
    """One-word names a post uses as the clipped form of one of its one-word events.

    French cuts a festival's name short and keeps its article: "les Francos" for "les
    Francofolies", "les Eurocks" for "les Eurockéennes". A capitalised word the rules call ORG
    or MISC, after an article, whose letters (a plural "s" aside) start a one-word EVENT of the
    same post at least three letters longer, is that event.

    Example: with "Francofolies" an EVENT, "les Francos" (MISC) -> ``["francos"]``.
    """
    events = [k for k, label in labels.items() if label == "EVENT" and " " not in k]
    found = []
    for key, group in name_groups(mentions).items():
        if " " in key or labels.get(key) not in {"ORG", "MISC"}:
            continue
        stem = key[:-1] if key.endswith("s") else key
        if len(stem) < _MIN_CLIPPED:
            continue
        if not any(e.startswith(stem) and len(e) >= len(stem) + 3 for e in events):
            continue
        if any(m.text[:1].isupper() and _after_article(doc.text, m.start) for m in group):
            found.append(key)
    return found


def _after_article(text: str, start: int) -> bool:
    before = text[max(0, start - 5) : start].replace("’", "'").lower()
    words = before.split()
    return bool(words) and (words[-1] in _CLIPPED_AFTER or before.endswith("l'"))


_OPENERS = frozenset(
    {"retour", "retours", "bilan", "compte", "récap", "recap", "résumé", "souvenirs", "notes"}
)
_TITLE_CONNECTORS = word_set("title_connectors")


def title_events(title: str) -> list[str]:
    """Names a title writes right before a year: the edition a post recaps.

    A trailing city is left out ("Salon Numérix Paris 2019" names the Salon Numérix).

    Example: ``title_events("Retour sur le Salon Numérix 2019")`` -> ``["Salon Numérix"]``;
    ``title_events("Roulez en ville 2019 à Dole")`` -> ``["Roulez en ville"]``.
    """
    words = title.replace("’", "'").split()
    found = []
    for k, word in enumerate(words):
        if not _YEAR_WORD.match(word.strip("(),.:;!?")) or k == 0:
            continue
        start = _run_start(words, k)
        name = words[start:k]
        while len(name) > 1 and lexicon.places().label(name[-1]) == "CITY":
            name = name[:-1]
        if name and name[0].lower() not in _OPENERS and _capitalised(name[0]):
            found.append(" ".join(name))
        elif not name and _lowercase_name(words, k):
            found.append(words[k - 1])  # "Retour sur les eurocks 2019"
    return found


_TITLE_ARTICLES = frozenset({"le", "la", "les", "du", "des", "au", "aux"})


def _lowercase_name(words: list[str], k: int) -> bool:
    """An unknown lowercase word after an article, before the year ``words[k]``."""
    if k < 2 or words[k - 2].lower() not in _TITLE_ARTICLES:
        return False
    word = words[k - 1]
    return len(word) > 2 and word.isalpha() and word.islower() and not is_french_word(word)


def _run_start(words: list[str], end: int) -> int:
    """The first word of the name ending before ``words[end]``: capitalised words, and
    "connector + word" after a capitalised word ("Roulez en ville")."""
    j = end
    while j > 0:
        word = words[j - 1]
        if _capitalised(word) and word.lower() not in _OPENERS:
            j -= 1
        else:
            step = _connected_word(words, j)
            if not step:
                break
            j -= step
    return j


def _connected_word(words: list[str], j: int) -> int:
    """How many words "connector(s) + word" end at ``j`` after a capitalised word, else 0."""
    k = j - 1
    while k > 0 and words[k - 1].lower() in _TITLE_CONNECTORS and j - k < 3:
        k -= 1
    return j - k if k < j - 1 and k > 0 and _capitalised(words[k - 1]) else 0


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or (word[:1].isdigit() and any(c.isalpha() for c in word))


def _unseen_occurrences(
    doc: Document, mentions: list[Mention], sentences: Sequence[SentenceSpan], names: list[str]
) -> list[Mention]:
    """Occurrences of the title's event names that no recogniser found, as EVENT mentions."""
    taken = [(m.start, m.end) for m in mentions]
    found = []
    for name in names:
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.IGNORECASE)
        for match in pattern.finditer(doc.text):
            start, end = match.span()
            if not _written_as_name(doc.text, start, match.group(0), name):
                continue
            if any(a < end and start < b for a, b in taken):
                continue
            sentence = next((s for s in sentences if s.start <= start < s.end), None)
            if sentence is None:
                continue
            found.append(
                Mention(
                    doc.doc_id,
                    start,
                    end,
                    match.group(0),
                    "EVENT",
                    sentence.text,
                    sentence.start,
                    "title",
                )
            )
            taken.append((start, end))
    return found


def _written_as_name(text: str, start: int, found: str, name: str) -> bool:
    """A capitalised occurrence, or one of a lowercase name after an article ("des trans")."""
    if found[:1].isupper():
        return True
    before = text[max(0, start - 5) : start].split()
    return name.islower() and bool(before) and before[-1].lower() in _TITLE_ARTICLES


def _label(label: str) -> EntityLabel:
    return label  # type: ignore[return-value]  # one of the mentions' own labels


def main_event_keys(documents: Sequence[Document], mentions: Sequence[Mention]) -> dict[str, str]:
    """Each post's main event as ``"name|year"``, or "" when the post does not say.

    A conservative stand-in for the facts' main event: the name its title writes before a year
    (see :func:`title_events`), else an EVENT the post names in its title, with the year of
    the title (else of the publication date); posts of one series but of different years get
    different keys.

    Example: "Retour sur le Salon Numérix 2019" with an EVENT "Salon Numérix"
    -> "salon numerix|2019".
    """
    events: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.label == "EVENT":
            events[m.doc_id].add(_YEAR_END.sub("", fold_key(m.text)).strip())
    keys = {}
    for doc in documents:
        title = fold_key(_title(doc))
        named = sorted(e for e in events.get(doc.doc_id, ()) if e and f" {e} " in f" {title} ")
        named = [fold_key(e) for e in title_events(_title(doc))] or named
        year = _YEAR.search(title)
        when = year.group(0) if year else doc.published[:4]
        keys[doc.doc_id] = f"{max(named, key=len)}|{when}" if named and when else ""
    return keys


def _title(doc: Document) -> str:
    return doc.title or doc.text[:200].split("\n", 1)[0]


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_YEAR_WORD = re.compile(r"^(?:19|20)\d\d$")
_YEAR_END = re.compile(r"\s(?:19|20)\d\d$")
