"""Date facts: the dates of events told in a post, with how their year was found."""

from __future__ import annotations

import datetime as dt
import logging

from recap_nlp.facts.dates import DateMention, find_dates, find_publication_date
from recap_nlp.facts.fact_context import FactContext, event_hint, new_fact
from recap_nlp.facts.relative import relative_dates
from recap_nlp.records import FactMention, SentenceSpan

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


# Where a post tells its own event's dates without naming it: its opening, its headings.
_OPENING_CHARS = 1200
_HEADING_WORDS = 8


def _main_hint(ctx: FactContext, sentence: SentenceSpan, at: int, main_series: str) -> str:
    """The main event's series for a date in the opening or in a heading line, else ""."""
    if not main_series:
        return ""
    line_start = ctx.doc.text.rfind("\n", 0, at) + 1
    line_end = ctx.doc.text.find("\n", at)
    line = ctx.doc.text[line_start : line_end if line_end >= 0 else len(ctx.doc.text)]
    heading = len(line.strip(" #*_>-").split()) <= _HEADING_WORDS
    return main_series if at < _OPENING_CHARS or heading else ""


def date_facts(
    ctx: FactContext, edition_year: int | None = None, main_series: str = ""
) -> list[FactMention]:
    """Dates found in sentences naming an event, leaving out the post's own date line.

    Example:
        "Du 3 au 11 juin, une délégation ... a participé à une mission" published 2017-06-26
        -> value "2017-06-03", value_max "2017-06-11", precision "day", hint "mission"
    """
    published, line = publication_date(ctx)
    facts = []
    found = find_dates(ctx.doc.text, published, edition_year)
    spans = [(m.start, m.end) for m in found]
    found += [
        m
        for m in relative_dates(ctx.doc.text, published)
        if not any(m.start < e and s < m.end for s, e in spans)
        and (main_series or m.precision == "day")  # "l'an dernier" only of a named event
    ]
    for mention in sorted(found, key=lambda m: m.start):
        if line is not None and mention.start == line.start:
            continue
        sentence = ctx.sentences[ctx.sentence_index(mention.start)]
        hint = event_hint(ctx, sentence)
        if not hint and mention.precision != "year":
            hint = _main_hint(ctx, sentence, mention.start, main_series)
        if not hint and not (main_series and mention.precision == "day"):
            continue  # a day in a post about a named event may be one of its days
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
