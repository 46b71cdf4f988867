"""Name facts: organiser, sponsors, cities visited and named events of a post."""

from __future__ import annotations

import bisect
import re

from recap_nlp.entities.lexicon import places
from recap_nlp.facts.dates import find_dates
from recap_nlp.facts.fact_context import (
    FactContext,
    contains_word,
    cues,
    event_hint,
    hint_with_fallback,
    mention_name,
    new_fact,
)
from recap_nlp.french import alternation
from recap_nlp.records import FactMention, Mention

_ARTICLE = re.compile(
    rf"^(?:(?:{alternation('actor_leading_articles')})\s+"
    rf"|(?:{alternation('actor_leading_elisions')})['’]\s*)",
    re.I,
)
_NAME_END = re.compile(r"[,.;:!?\n]|\s(?:avec|pour|afin|qui|dont|grâce|en\s+partenariat)\s")
_SPLIT = re.compile(
    r"(?<=\))\s*et\s+|\s+et\s+(?:de\s+|du\s+|des\s+|d['’])?(?=[A-ZÉÈÀ])"
    r"|,\s*(?:de\s+|du\s+|des\s+|d['’])?(?=[A-ZÉÈÀ])"
)


# A sponsor list ends at a sentence mark, a relative clause, or a comma not followed by
# another name ("avec l'appui de la CCI X, cette mission a ..." ends before "cette").
_SPONSOR_END = re.compile(
    r"[.;!?\n]|\s(?:afin|qui|dont)\s"
    r"|,\s*(?!(?:et\s+)?(?:de\s+la\s+|de\s+l['’]|de\s+|du\s+|des\s+|d['’]|l['’]|la\s+|le\s+|les\s+)?[A-ZÉÈÀÂÎÔ])"
)


def _clean_name(raw: str) -> str:
    """Strip leading articles and trailing punctuation: "du Fond X " -> "Fond X"."""
    name = raw.strip()
    for _ in range(2):  # "de Les Offices" -> "Offices"
        name = _ARTICLE.sub("", name)
    return name.strip(" \u00a0–-").rstrip(".,;:!? ")


# "l'association Réseau X", "la société Y": a common noun before the proper name.
_LEADING_NOUNS = re.compile(r"^(?:[a-zàâçéèêëîïôûùüÿœ’'-]+\s+){1,2}(?=[A-ZÉÈÀÂÎÔ])")


def _name_at(ctx: FactContext, start: int, end: int) -> str:
    """The ORG mention starting at [start, end) (canonical), else the cleaned text span.

    A mention covering less than half of the span ("CCI" in "la CCI Bretagne Ouest") is a
    fragment: the span is kept.

    Example:
        "de l'association Réseau Villes Durables" -> "Réseau Villes Durables"
    """
    cleaned = _clean_name(ctx.doc.text[start:end])
    if cleaned[:1].islower():
        cleaned = _LEADING_NOUNS.sub("", cleaned)
    for mention in ctx.mentions_starting(start, start + 9):
        inside = mention.end <= end
        if mention.label == "ORG" and inside and 2 * len(mention.text) >= len(cleaned):
            return mention_name(mention)
    return cleaned


def organiser_facts(ctx: FactContext) -> list[FactMention]:
    """Organisers named by "organisée par X", "portée par X", "à l'initiative de X".

    Example:
        "La mission ... était portée par Québec numérique, avec le soutien" -> "Québec numérique"
    """
    roles = cues()["roles"]
    verbs = "|".join(re.escape(v) for v in roles["organiser_verbs"])
    phrases = "|".join(re.escape(p).replace("'", "['’]") for p in roles["organiser_phrases"])
    pattern = re.compile(rf"(?:\b(?:{verbs})\s+par|(?<!\w)(?:{phrases}))\s+", re.I)
    facts = []
    for index, sentence in enumerate(ctx.sentences):
        for match in pattern.finditer(sentence.text):
            start = sentence.start + match.end()
            stop = _NAME_END.search(ctx.doc.text, start)
            limit = _true_sentence_end(ctx, index)
            end = min(stop.start() if stop else len(ctx.doc.text), start + 80, limit)
            name = _name_at(ctx, start, end)
            if name[:1].isupper():
                facts.append(_name_fact(ctx, index, "organiser", (start, end), name, match))
    return facts


def _true_sentence_end(ctx: FactContext, index: int) -> int:
    """End of the sentence, or of the next one when the model split inside a line with no
    sentence mark ("à l'initiative de l'association | Réseau Villes Durables.")."""
    sentence = ctx.sentences[index]
    if index + 1 >= len(ctx.sentences) or sentence.text.rstrip()[-1:] in {".", "!", "?", "…", ":"}:
        return sentence.end
    following = ctx.sentences[index + 1]
    gap = ctx.doc.text[sentence.end : following.start]
    return following.end if "\n" not in gap and "\n" not in sentence.text[-1:] else sentence.end


def _name_fact(
    ctx: FactContext,
    index: int,
    attribute: str,
    span: tuple[int, int],
    name: str,
    match: re.Match[str],
) -> FactMention:
    note = match.group().strip()
    return new_fact(
        ctx,
        attribute,
        span,
        (name, "", ""),
        "name",
        f"{attribute}_pattern",
        hint_with_fallback(ctx, index),
        note,
    )


def _sponsor_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split "du A (X)et Les B" into the spans of A (X) and Les B."""
    spans = []
    cursor = start
    for sep in _SPLIT.finditer(text, start, end):
        spans.append((cursor, sep.start()))
        cursor = sep.end()
    spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def sponsor_facts(ctx: FactContext) -> list[FactMention]:
    """Sponsors and partners: "avec le soutien financier du A et de B", "en partenariat avec C".

    Example:
        "avec le soutien du Fonds X et de Les Offices jeunesse" -> "Fonds X", "Les Offices jeunesse"
    """
    phrases = sorted(cues()["roles"]["sponsor_cues"], key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace("'", "['’]") for p in phrases)
    pattern = re.compile(rf"(?:{alternation})\s*", re.I)
    facts = []
    for index, sentence in enumerate(ctx.sentences):
        for match in pattern.finditer(sentence.text):
            start = sentence.start + match.end()
            stop = _SPONSOR_END.search(ctx.doc.text[start : sentence.end])
            end = start + stop.start() if stop else sentence.end
            for s, e in _sponsor_items(ctx.doc.text, start, end):
                name = _name_at(ctx, s, e)
                if name[:1].isupper():
                    facts.append(_name_fact(ctx, index, "sponsor", (s, e), name, match))
    return facts


def _name_spans(ctx: FactContext, names: list[FactMention]) -> tuple[list[int], list[int]]:
    """Starts of ORG/EVENT mentions and of ``names``, sorted, with the furthest end so far."""
    spans = sorted(
        [(m.start, m.end) for m in ctx.mentions if m.label in {"ORG", "EVENT"}]
        + [(f.start, f.end) for f in names]
    )
    reach, furthest = [], -1
    for _, end in spans:
        furthest = max(furthest, end)
        reach.append(furthest)
    return [start for start, _ in spans], reach


def _inside_name(mention: Mention, spans: tuple[list[int], list[int]]) -> bool:
    """True for a city inside an organisation, event or sponsor name ("du Québec (LOJIQ)").

    ``spans`` comes from ``_name_spans``: a span starting at or before the city that reaches
    its end holds it.
    """
    starts, reach = spans
    before = bisect.bisect_right(starts, mention.start)
    return before > 0 and reach[before - 1] >= mention.end


def _landmark(mention: Mention, ctx: FactContext) -> bool:
    """True for a city used to locate another place ("au sud-ouest de Paris")."""
    before = ctx.doc.text[max(0, mention.start - 30) : mention.start].lower().replace("’", "'")
    before = before.rstrip()
    return any(before.endswith(cue.replace("’", "'")) for cue in cues()["places"]["relative_cues"])


def _is_heading(ctx: FactContext, index: int) -> bool:
    """A short line of its own (a section title such as "Nantes") followed by text."""
    return len(ctx.sentences[index].text.split()) <= 4 and index + 1 < len(ctx.sentences)


def _travel_context(ctx: FactContext, index: int) -> bool:
    """The sentence (or, for a heading line, the next one) speaks of travel or an event."""
    travel = cues()["places"]["travel_cues"]
    sentence = ctx.sentences[index].text
    if _is_heading(ctx, index):
        sentence = ctx.sentences[index + 1].text
    return any(contains_word(sentence, cue) >= 0 for cue in travel)


_AT_PLACE = re.compile(r"(?:^|\s)à\s+$")


def _event_place(mention: Mention, ctx: FactContext, index: int) -> bool:
    """A city right after "à" in a sentence dating an event is where that event took place.

    Example:
        "lors du forum du 27 septembre dernier à Brest" -> True
        "les délégations françaises à Québec" (no date) -> False
    """
    before = ctx.doc.text[max(0, mention.start - 4) : mention.start]
    sentence = ctx.sentences[index]
    if not _AT_PLACE.search(before) or not event_hint(ctx, sentence):
        return False
    return bool(find_dates(sentence.text))


def _city_hint(ctx: FactContext, index: int) -> str:
    """The hint of a city's sentence, or of the text under it when it is a heading."""
    if _is_heading(ctx, index):
        return event_hint(ctx, ctx.sentences[index + 1]) or hint_with_fallback(ctx, index)
    return hint_with_fallback(ctx, index)


# The smallest gazetteer town taken as the city of its old quarter ("le Vieux-Nice").
_MIN_QUARTER_CITY = 20_000


def quarter_city(mention: Mention, ctx: FactContext) -> str:
    """The city whose old quarter a CITY mention names after an article, else "".

    Example:
        "nous avons arpenté le Vieux-Lyon" -> "Lyon"
        "nous avons dormi à Vieille-Toulouse" (a commune, no article) -> ""
    """
    table = cues()["places"]
    name = mention_name(mention)
    prefix = next((p for p in table["old_quarter_prefixes"] if name.startswith(p)), "")
    city = name[len(prefix) :]
    if not prefix or places().cities.get(city, 0) < _MIN_QUARTER_CITY:
        return ""
    before = ctx.doc.text[max(0, mention.start - 12) : mention.start].lower().rstrip()
    words = before.replace("’", "'").split()
    articles = table["old_quarter_articles"]
    return city if any(" ".join(words[-len(a.split()) :]) == a for a in articles) else ""


def venue_city(mention: Mention) -> str:
    """The town closing a venue organisation's name ("Campus de l'École X Lille"), else "".

    Example:
        "Université de Nantes" -> "Nantes"; "Salle Pleyel" -> ""
    """
    name = mention_name(mention)
    folded = name.lower().replace("’", "'")
    if not any(folded.startswith(noun) for noun in cues()["main"]["venue_nouns"]):
        return ""
    last = re.split(r"[\s'’]+", name.strip())[-1]
    return last if places().cities.get(last, 0) >= _MIN_QUARTER_CITY else ""


def _venue_city_facts(
    ctx: FactContext, mentions: list[Mention], seen: set[str]
) -> list[FactMention]:
    """Towns of venues (ORG mentions, organisers left out) in a sentence of travel or
    hosting, once per town."""
    facts = []
    for mention in mentions:
        city = venue_city(mention) if mention.label == "ORG" else ""
        index = ctx.sentence_index(mention.start)
        if not city or city in seen or not _travel_context(ctx, index):
            continue
        seen.add(city)
        facts.append(
            new_fact(
                ctx,
                "city",
                (mention.start, mention.end),
                (city, "", ""),
                "name",
                "city_cue",
                _city_hint(ctx, index),
                f"lieu visité ({mention_name(mention)})",
            )
        )
    return facts


def city_facts(ctx: FactContext, names: list[FactMention]) -> list[FactMention]:
    """Places visited: CITY mentions in a sentence with a travel or visit cue, once per city.

    Cities inside ``names`` (organiser and sponsor facts), inside ORG/EVENT mentions or used
    as landmarks are left out.

    Example:
        "Voilà dix jours que je ... résumé de notre séjour à Angers et Nantes." -> Angers, Nantes
    """
    seen: set[str] = set()
    facts = []
    spans = _name_spans(ctx, names)
    for mention in ctx.mentions:
        name = mention_name(mention)
        if mention.label != "CITY" or name in seen or _inside_name(mention, spans):
            continue
        index = ctx.sentence_index(mention.start)
        if not _landmark(mention, ctx) and (
            _travel_context(ctx, index) or _event_place(mention, ctx, index)
        ):
            seen.add(name)
            city = quarter_city(mention, ctx)
            note = f"lieu visité ({name})" if city else "lieu visité"
            facts.append(
                new_fact(
                    ctx,
                    "city",
                    (mention.start, mention.end),
                    (city or name, "", ""),
                    "name",
                    "city_cue",
                    _city_hint(ctx, index),
                    note,
                )
            )
    named = [m for m in ctx.mentions if not any(f.start <= m.start < f.end for f in names)]
    return facts + _venue_city_facts(ctx, named, seen | {f.value for f in facts})


def event_name_facts(ctx: FactContext) -> list[FactMention]:
    """Named events (EVENT mentions), once per name and post.

    Example:
        "participation au Web2Day" -> event_name "Web2Day"
    """
    seen: set[str] = set()
    facts = []
    for mention in ctx.mentions:
        name = mention_name(mention)
        if mention.label != "EVENT" or name in seen:
            continue
        seen.add(name)
        sentence = ctx.sentences[ctx.sentence_index(mention.start)]
        hint = event_hint(ctx, sentence) or name
        facts.append(
            new_fact(
                ctx,
                "event_name",
                (mention.start, mention.end),
                (name, "", ""),
                "name",
                "event_mention",
                hint,
                "événement nommé",
            )
        )
    return facts
