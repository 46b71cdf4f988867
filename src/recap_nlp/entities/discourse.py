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

from recap_nlp.entities.learned import fold_key, name_groups
from recap_nlp.records import Document, EntityLabel, Mention

_WEIGHT = {"cue": 3.0, "ruler": 3.0, "acronym": 2.0, "model": 1.0, "lookup": 0.7}
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


def one_sense_per_post(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """The post's mentions with one label per name, the main event labelled EVENT.

    Example: in a post titled "Retour sur MiXiT 2015" that once writes "la conférence MiXiT",
    every "MiXiT" is an EVENT, even where the model said ORG.
    """
    labels = {key: post_label(group) for key, group in name_groups(mentions).items()}
    title = f" {fold_key(_title(doc))} "
    for key, group in name_groups(mentions).items():
        if f" {key} " in title and any(m.label == "EVENT" for m in group):
            labels[key] = "EVENT"
    result = []
    for m in mentions:
        label = labels.get(fold_key(m.text)) if m.source not in {"gazetteer", "cue"} else None
        if label is None or label == m.label:
            result.append(m)
        else:
            result.append(replace(m, label=_label(label)))
    return result


def _label(label: str) -> EntityLabel:
    return label  # type: ignore[return-value]  # one of the mentions' own labels


def main_event_keys(documents: Sequence[Document], mentions: Sequence[Mention]) -> dict[str, str]:
    """Each post's main event as ``"name|year"``, or "" when the post does not say.

    A conservative stand-in for the facts' main event: an EVENT the post names in its title,
    with the year of the title (else of the publication date); posts of one series but of
    different years get different keys.

    Example: "Retour sur le Forum PHP 2018" with an EVENT "Forum PHP" -> "forum php|2018".
    """
    events: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.label == "EVENT":
            events[m.doc_id].add(_YEAR_END.sub("", fold_key(m.text)).strip())
    keys = {}
    for doc in documents:
        title = fold_key(_title(doc))
        named = sorted(e for e in events.get(doc.doc_id, ()) if e and f" {e} " in f" {title} ")
        year = _YEAR.search(title)
        when = year.group(0) if year else doc.published[:4]
        keys[doc.doc_id] = f"{max(named, key=len)}|{when}" if named and when else ""
    return keys


def _title(doc: Document) -> str:
    return doc.title or doc.text[:200].split("\n", 1)[0]


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_YEAR_END = re.compile(r"\s(?:19|20)\d\d$")
