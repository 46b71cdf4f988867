"""Date facts: the dates of events told in a post, with how their year was found."""

from __future__ import annotations

import datetime as dt
import logging

from recap_nlp.dates import DateMention, find_dates, find_publication_date
from recap_nlp.facts.context import FactContext, event_hint, new_fact
from recap_nlp.records import FactMention

logger = logging.getLogger(__name__)

_YEAR_NOTES = {
    "explicit": "year written",
    "publication": "year from the publication date",
    "nearby": "year from a year named nearby",
    "edition": "year from the post's event",
    "none": "year unknown",
}


def publication_date(ctx: FactContext) -> tuple[dt.date | None, DateMention | None]:
    """The post's date (metadata first, then its date line) and the date line if any."""
    line = find_publication_date(ctx.doc.text)
    if ctx.doc.published:
        try:
            return dt.date.fromisoformat(ctx.doc.published[:10]), line
        except ValueError:
            logger.warning("bad published date %r in %s", ctx.doc.published, ctx.doc.doc_id)
    if line is None:
        return None, None
    return dt.date.fromisoformat(line.start_date), line


def date_note(mention: DateMention) -> str:
    """How the year was found: "year from a year named nearby (avril 2018 (future))"."""
    note = _YEAR_NOTES[mention.year_source]
    return f"{note} ({mention.anchor})" if mention.anchor else note


def date_facts(ctx: FactContext, edition_year: int | None = None) -> list[FactMention]:
    """Dates found in sentences naming an event, leaving out the post's own date line.

    Example:
        "Du 3 au 11 juin, une délégation ... a participé à une mission" published 2017-06-26
        -> value "2017-06-03", value_max "2017-06-11", precision "day", hint "mission"
    """
    published, line = publication_date(ctx)
    facts = []
    for mention in find_dates(ctx.doc.text, published, edition_year):
        if line is not None and mention.start == line.start:
            continue
        sentence = ctx.sentences[ctx.sentence_index(mention.start)]
        hint = event_hint(ctx, sentence)
        if not hint:
            continue
        values = (mention.start_date, mention.start_date, mention.end_date)
        facts.append(
            new_fact(
                ctx,
                "date",
                (mention.start, mention.end),
                values,
                mention.precision,
                "date_grammar",
                hint,
                date_note(mention),
            )
        )
    return facts
