"""Fact extraction: dates, counts, places, organisers, sponsors and named events of a post.

Every fact carries its quote (the sentence), its offsets in ``Document.text`` and an
``event_hint`` (the trip word, named event or event word of its sentence) that
:mod:`recap_nlp.facts.events` uses to group facts into events.
"""

from __future__ import annotations

from recap_nlp.facts.actors import city_facts, event_name_facts, organiser_facts, sponsor_facts
from recap_nlp.facts.counts import count_facts
from recap_nlp.facts.fact_context import make_context
from recap_nlp.facts.main_event import main_event_facts
from recap_nlp.facts.when import date_facts
from recap_nlp.records import Document, FactMention, Mention, SentenceSpan

__all__ = ["extract_facts"]


def extract_facts(
    doc: Document, sentences: list[SentenceSpan], mentions: list[Mention]
) -> list[FactMention]:
    """Extract the facts of one post, sorted by offset then attribute.

    Args:
        doc: the post (facts point into ``doc.text``).
        sentences: its sentence spans (a rough punctuation split is used when empty).
        mentions: its entity mentions (CITY, ORG, EVENT, PER are used).

    Example:
        "Du 3 au 11 juin, une délégation de 27 Québécois a participé à une mission en France."
        -> date 2017-06-03..2017-06-11 (with a 2017 publication date), delegation_size 27
    """
    ctx = make_context(doc, sentences, mentions)
    main = main_event_facts(ctx)
    head = next((f for f in main if f.attribute == "main_event"), None)
    year = int(head.value_max) if head is not None and head.value_max else None
    series = head.value_min if head is not None else ""
    names = [*organiser_facts(ctx), *sponsor_facts(ctx)]
    facts = [
        *main,
        *date_facts(ctx, year, series),
        *count_facts(ctx),
        *names,
        *city_facts(ctx, names),
        *event_name_facts(ctx),
    ]
    unique = {fact.fact_id: fact for fact in facts}
    return sorted(unique.values(), key=lambda f: (f.start, f.attribute, f.fact_id))
