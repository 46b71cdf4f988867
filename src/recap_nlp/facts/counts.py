"""Count facts: how many people or things an event had, tied to the noun they count."""

from __future__ import annotations

import re

from recap_nlp.facts.fact_context import (
    FactContext,
    contains_word,
    cues,
    hint_with_fallback,
    new_fact,
)
from recap_nlp.facts.quantities import Quantity, find_quantities
from recap_nlp.records import FactMention, SentenceSpan

_WORD = re.compile(r"[\w’'-]+")
# Words that may stand between a number and its noun: "27 nouveaux participants".
_FILLERS = {
    "de",
    "d'",
    "d’",
    "des",
    "nouveaux",
    "nouvelles",
    "autres",
    "jeunes",
    "fiers",
    "nos",
    "vos",
    "leurs",
    "ses",
}
# "deux personnes (par chambre)", "40 kg par personne": a count per unit, not a headcount.
_PER_UNIT = re.compile(r"\s*\(?\s*par\s+\w+", re.IGNORECASE)
# "Toute l'équipe d'X : Anne, Marc, Léa et Paul": a team given by its members' names.
_NAMED_TEAM = re.compile(
    r"\b(?:équipe|délégation|groupe|troupe)\b[^:.!?\n]{0,60}:\s*"
    r"(?P<names>(?:[A-ZÉÈ][\w’'-]+\s*,\s*){2,}[A-ZÉÈ][\w’'-]+\s+et\s+[A-ZÉÈ][\w’'-]+)"
)
# "une délégation de 12 entreprises", "délégation forte d'une cinquantaine de ..."
_DELEGATION_OF = re.compile(
    r"\bdélégations?\s+(?:(?:composée|forte|formée|constituée)\s+)?(?:de|d['’])\s*"
    r"(?:plus\s+d['’e]\s*|près\s+d['’e]\s*|environ\s+)?$",
    re.IGNORECASE,
)
_TEAM = re.compile(
    r"équipe[^()]{0,80}\((?:composée?|formée?|constituée?)\s+(?P<members>[^()]*)\)", re.I
)
_NAMED_MEMBER = re.compile(
    r"(?:^|,|\bet)\s*d(?:e\s+|['’])(?P<who>moi-même|nous-mêmes|[A-ZÉÈ][\w’'-]+\s+[A-ZÉÈ][\w’'-]+)"
)


def counted_noun(text: str, end: int) -> tuple[str, int]:
    """The noun a number counts (first word after it that is not a filler) and its end.

    Example:
        "une délégation de 27 Québécois" (end after "27") -> ("québécois", 30)
    """
    for match in _WORD.finditer(text, end, min(len(text), end + 80)):
        word = match.group().lower()
        bare = re.split(r"['’]", word)[-1]
        if word in _FILLERS or not bare:
            continue
        return bare, match.end()
    return "", end


def count_attribute(noun: str, sentence: str, before: str = "") -> str:
    """Attribute counted by ``noun`` (participants, exhibitors...), "" when not a headcount.

    People become a ``delegation_size`` when the sentence speaks of a delegation or of
    taking part in a trip ("ont pris part à l'aventure"); visitors and spectators never do
    (they are the event's audience). Any headcount right after "délégation de" (``before``
    is the text before the number) is the delegation's size, even in companies.

    Example:
        ("entreprises", "notre délégation de 12 entreprises ...", "notre délégation de ")
        -> "delegation_size"
    """
    table = cues()["counts"]
    attribute = table["nouns"].get(noun, "")
    if not attribute and noun in table["demonyms"]:
        attribute = "participants"
    if attribute and _DELEGATION_OF.search(before):
        return "delegation_size"
    if (
        attribute == "participants"
        and noun not in table["audience_nouns"]
        and any(contains_word(sentence, cue) >= 0 for cue in table["delegation_cues"])
    ):
        return "delegation_size"
    return attribute


def _hint_options(attribute: str, noun: str) -> dict[str, bool]:
    """How a count picks its event: a delegation's size its trip, an audience its event."""
    audience = attribute in {"exhibitors", "speakers"} or (
        attribute == "participants" and noun in cues()["counts"]["audience_nouns"]
    )
    return {"prefer_trip": attribute == "delegation_size", "skip_trip": audience}


def team_size(ctx: FactContext, sentence: SentenceSpan) -> tuple[int, str]:
    """Size of a team listed on top of a count: "Outre l'équipe de X (composée de moi-même,
    de A, de B)" -> (3, "moi-même + 2 personnes nommées"). (0, "") when none is added."""
    match = _TEAM.search(sentence.text)
    table = cues()["counts"]
    if match is None or not any(
        contains_word(sentence.text[: match.start()], cue) >= 0 for cue in table["additive_cues"]
    ):
        return 0, ""
    members = match.group("members")
    selves = sum(1 for word in table["self_words"] if contains_word(members, word) >= 0)
    named_by_pattern = sum(
        1 for m in _NAMED_MEMBER.finditer(members) if m.group("who") not in table["self_words"]
    )
    start = sentence.start + match.start("members")
    named_by_model = len(ctx.mentions_in(start, start + len(members), "PER"))
    named = max(named_by_pattern, named_by_model)
    selves = min(selves, 1)
    parts = (["moi-même"] if selves else []) + ([f"{named} personnes nommées"] if named else [])
    return selves + named, " + ".join(parts)


def _count_fact(
    ctx: FactContext, index: int, quantity: Quantity, attribute: str, noun: tuple[str, int]
) -> FactMention:
    sentence = ctx.sentences[index]
    noun_end = noun[1]
    added, who = team_size(ctx, sentence) if attribute == "delegation_size" else (0, "")
    low = quantity.value_min + added
    high = "" if quantity.value_max is None else str(quantity.value_max + added)
    note = sentence.text[quantity.start : noun_end]
    if added:
        note += f" + équipe de {added} ({who})"
    precision = "approximate" if quantity.approximate else "exact"
    start = sentence.start + quantity.start
    return new_fact(
        ctx,
        attribute,
        (start, sentence.start + quantity.end),
        (str(quantity.value + added), str(low), high),
        precision,
        "count_grammar",
        hint_with_fallback(ctx, index, **_hint_options(attribute, noun[0])),
        note,
    )


def count_facts(ctx: FactContext) -> list[FactMention]:
    """Headcounts and counts of exhibitors or companies, each tied to its noun.

    Example:
        "une délégation de 27 Québécois a participé à une mission" -> delegation_size 27
        ("une dizaine de jours" and "150 000 habitants" count no one and give nothing)
    """
    facts = []
    for index, sentence in enumerate(ctx.sentences):
        for quantity in find_quantities(sentence.text):
            noun, noun_end = counted_noun(sentence.text, quantity.end)
            before = sentence.text[max(0, quantity.start - 40) : quantity.start]
            attribute = count_attribute(noun, sentence.text, before)
            if attribute and _PER_UNIT.match(sentence.text, noun_end):
                continue
            if attribute:
                facts.append(_count_fact(ctx, index, quantity, attribute, (noun, noun_end)))
        facts.extend(named_team_facts(ctx, index))
    return facts + attendee_list_facts(ctx)


# An entry of an attendee list: a short line opening on a capital ("Anne B.<br/>", "- Marc").
_ENTRY = re.compile(r"^\s*(?:[-*•]\s+)?(?P<name>[A-ZÉÈÀÂÎÔ][^\n]{0,40}?)\s*(?:<br\s*/?>)?\s*$")
_MIN_ENTRIES = 3
_MAX_NAME_WORDS = 4


def _intro_lines(ctx: FactContext) -> list[re.Match[str]]:
    table = cues()["counts"]
    intros = "|".join(re.escape(w) for w in table["attendee_list_intros"])
    nouns = "|".join(re.escape(w) for w in table["attendee_list_nouns"])
    pattern = rf"^[^\n]*\b(?:{intros})\b[^\n]{{0,30}}?\b(?:{nouns})(?![\w.])[^\n]*$"
    return list(re.finditer(pattern, ctx.doc.text, re.IGNORECASE | re.MULTILINE))


def _list_entries(text: str) -> int:
    """Entries of a list below its intro: bullet lines, else paragraphs opening on a name."""
    # A paragraph break is an empty line; a long blank line is markup the reader blanked out
    # (a link line under a name), inside the entry.
    blocks = re.split(r"\n[ \t]{0,3}\n", text.strip("\n"))
    lines = [line for line in blocks[0].splitlines() if line.strip()] if blocks else []
    if len(lines) > 1 and all(re.match(r"\s*[-*•]\s", line) for line in lines):
        blocks = lines
    count = 0
    for block in blocks:
        first = next((line for line in block.splitlines() if line.strip()), "")
        entry = _ENTRY.match(first)
        if not entry or len(entry.group("name").split()) > _MAX_NAME_WORDS:
            break
        count += 1
    return count


def attendee_list_facts(ctx: FactContext) -> list[FactMention]:
    """An attendee list ("Voici les présents :" then one entry a person) is a minimum headcount.

    Example:
        "Voici les présents :\n\nAnne<br/>\nsite\n\nMarc<br/>\n...\n\nLéa" -> participants
        3 (at least)
    """
    facts = []
    for intro in _intro_lines(ctx):
        count = _list_entries(ctx.doc.text[intro.end() :])
        if count < _MIN_ENTRIES:
            continue
        index = ctx.sentence_index(intro.start())
        facts.append(
            new_fact(
                ctx,
                "participants",
                (intro.start(), intro.end()),
                (str(count), str(count), ""),
                "exact",
                "attendee_list",
                hint_with_fallback(ctx, index),
                f"{count} entrées listées (au moins)",
            )
        )
    return facts


def named_team_facts(ctx: FactContext, index: int) -> list[FactMention]:
    """A team listed by name is counted: its size is a ``delegation_size``.

    Example:
        "Toute l'équipe du club : Anne, Marc, Léa et Paul vous salue" -> delegation_size 4
    """
    sentence = ctx.sentences[index]
    found = []
    for match in _NAMED_TEAM.finditer(sentence.text):
        names = re.split(r"\s*,\s*|\s+et\s+", match.group("names").strip())
        start = sentence.start + match.start("names")
        value = str(len(names))
        found.append(
            new_fact(
                ctx,
                "delegation_size",
                (start, sentence.start + match.end("names")),
                (value, value, value),
                "exact",
                "team_names",
                hint_with_fallback(ctx, index, prefer_trip=True),
                f"{value} noms listés",
            )
        )
    return found
