"""Each post's main event: the event its title or opening paragraph says it recaps.

The title is read first ("Retour sur le Forum X 2019 (Lyon)", "Festival Y : la 15e édition",
"Grand froid pour Z" when the text calls Z a "rencontre"), then the opening paragraph
("La trentième édition du Salon ... qui s'est tenue à ...", "à l'occasion du premier
pique-nique numérique"). A generic noun with a date or a place ("l'édition 1", "notre
mission en France") is not a name. The main event gives three kinds of fact: ``main_event``
(the name as written, its series in ``value_min`` and edition year in ``value_max``),
``edition_number`` and ``city`` (from the name, "à X" beside it, a venue "de X", a city
adjective, a town hall organising it). The kind of post is in ``post_kind``.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from typing import NamedTuple

from recap_nlp.entities.lexicon import places
from recap_nlp.facts.cues import load_fact_cues
from recap_nlp.facts.fact_context import FactContext, contains_word, new_fact
from recap_nlp.facts.noun_context import noun_before_quote, noun_before_word
from recap_nlp.facts.series import EventName, ordinal_value, parse_event_name, series_key
from recap_nlp.french import fold
from recap_nlp.records import FactMention

_SEGMENTS = re.compile(r"\s+[:|–—-]\s+|\s*[!?]\s*|\s*:\s+|,\s+(?=[a-zàâçéèêëîïôûù])")
_CAP = r"[A-ZÉÈÀÂÎÔÇ0-9]"
_OPENING_CHARS = 900
_MIN_CITY_POPULATION = 20_000
_WORD = r"[\w’'-]+"
_POSSESSIVES = {
    "notre",
    "nos",
    "mon",
    "ma",
    "mes",
    "votre",
    "vos",
    "leur",
    "leurs",
    "son",
    "sa",
    "ses",
}


@cache
def _cues() -> dict:
    return load_fact_cues()["main"]


@cache
def _nouns() -> tuple[str, ...]:
    words = {*_cues()["name_nouns"], *load_fact_cues()["events"]["words"]}
    return tuple(sorted(words, key=len, reverse=True))


@cache
def _noun_alternation() -> str:
    """The event nouns as one regular-expression alternation, longest first."""
    return "|".join(re.escape(n) for n in _nouns())


@cache
def _noun_start() -> re.Pattern[str]:
    # The alternatives are tried in order, each with the look-ahead: the first noun that
    # starts the text as a whole word wins, as testing the nouns one by one did.
    return re.compile(rf"(?:{_noun_alternation()})(?![\w-])")


def _noun_at_start(text: str) -> str:
    """The event noun a text starts with ("Congrès de X" -> "congrès"), or ""."""
    found = _noun_start().match(text.lower())
    return found.group() if found else ""


def post_title(ctx: FactContext) -> tuple[str, int]:
    """The post's title and its offset in the text (-1 when the title is not in the text).

    A ``.txt`` post without a title field opens with its title line when a date line follows.
    """
    title = ctx.doc.title.strip()
    if not title and ctx.doc.format == "txt":
        lines = [m for m in re.finditer(r"[^\n]*\S[^\n]*", ctx.doc.text[:600])]
        dated = len(lines) >= 2 and re.search(r"\d{4}|\d{1,2}\s+\w+\s+\d{4}", lines[1].group())
        if dated and len(lines[0].group().split()) <= 15:
            return lines[0].group().strip(), lines[0].start()
    if not title:
        return "", -1
    return title, ctx.doc.text.find(title, 0, 800)


def _strip_prefix(segment: str) -> tuple[str, bool]:
    low = segment.lower().replace("’", "'")
    for prefix in sorted(_cues()["recap_prefixes"], key=len, reverse=True):
        p = prefix.replace("’", "'")
        if low.startswith(p + " ") or low == p:
            return segment[len(p) :].strip(), True
    return segment, False


def _is_generic(name: EventName) -> bool:
    """A noun with only a date, a number, a place or a possessive is not a name."""
    words = re.findall(_WORD, name.written)
    if words and words[0].lower() in _POSSESSIVES:
        return True
    series = re.sub(r"\b\d+\b", " ", name.series).strip()
    rest = series
    noun = _noun_at_start(_drop_article(rest))
    if noun:
        rest = _drop_article(rest)[len(noun) :].strip()
    rest = re.sub(r"^(?:de|du|des|d['’])\s*", "", rest)
    if not rest:
        return True
    return bool(noun) and bool(re.fullmatch(r"(?:en|à|au|aux)\s+.*", rest))


def _unnamed_trip(name: EventName) -> bool:
    """ "Mission économique en Guadeloupe": a trip word with no proper name is not a name
    (trips are told apart by their dates and places)."""
    noun = _noun_at_start(name.series)
    if noun not in load_fact_cues()["events"]["trip_words"]:
        return False
    rest = re.sub(r"\b(?:en|à|au|aux)\s+\S+.*$", "", name.series[len(noun) :])
    return not re.search(_CAP, rest)


def _trip_told_instead(ctx: FactContext, name: EventName, title_end: int) -> bool:
    """A title naming an event only by a common noun ("Une semaine sous les tropiques") in a
    post whose opening tells a trip: the trip is the post's event."""
    noun = _noun_at_start(name.series)
    if name.year is not None or not noun or re.search(_CAP, name.series[len(noun) :]):
        return False
    _, text = _opening(ctx, title_end)
    trips = load_fact_cues()["events"]["trip_words"]
    return any(contains_word(text[:400], word) >= 0 for word in trips)


def _drop_article(text: str) -> str:
    return re.sub(r"^(?:(?:les|le|la|un|une|des)\s+|l['’]\s*)", "", text.strip(), flags=re.I)


def _cities(ctx: FactContext) -> set[str]:
    known = {m.canonical or m.text for m in ctx.mentions if m.label == "CITY"}
    known |= {m.text for m in ctx.mentions if m.label == "CITY"}
    return known


def _is_city(word: str, ctx_cities: set[str]) -> bool:
    return word in ctx_cities or places().cities.get(word, 0) >= _MIN_CITY_POPULATION


class _CityCheck(set[str]):
    """Membership test over the post's cities and the gazetteer's larger towns."""

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and _is_city(word, set(self))


def _title_candidate(ctx: FactContext, title: str) -> EventName | None:
    """The event a title names, or None."""
    cities = _CityCheck(_cities(ctx))
    tag = re.match(r"^\s*\[[^\]]*\]\s*", title)
    body = title[tag.end() :] if tag else title
    segments = [s.strip() for s in _SEGMENTS.split(body) if s and s.strip()]
    for index, segment in enumerate(segments):
        text, prefixed = _strip_prefix(segment)
        if not text or _is_part(text):
            continue
        candidate = _candidate_from(ctx, text, prefixed, cities)
        later = [_edition_number_in(other) for other in segments[index + 1 :]]
        if (
            candidate is None
            and any(later)
            and re.fullmatch(rf"(?:{_CAP}[\w’'-]*\s*){{1,4}}", text)
        ):
            candidate = parse_event_name(text, cities)  # "Festival : la 15e édition"
        if candidate is None:
            continue
        for other in segments[index + 1 :]:
            number = _edition_number_in(other)
            if number and candidate.number is None:
                candidate = dataclasses.replace(candidate, number=number)
        return candidate
    return _proper_in_title(ctx, body, cities)


def _is_part(text: str) -> bool:
    first = text.split()[0].lower()
    return first in _cues()["part_words"]


def _candidate_from(
    ctx: FactContext, text: str, prefixed: bool, cities: set[str]
) -> EventName | None:
    """A title segment is an event when a recap phrase, a year, an event noun or the text's
    quotes mark it, or when it is one capitalised word the text calls an event."""
    bare = _drop_article(text)
    name = _with_town_series(parse_event_name(bare, cities))
    if _is_generic(name) or _unnamed_trip(name):
        return None
    if (
        prefixed
        or name.year is not None
        or _noun_at_start(bare)
        or _quoted_in_text(ctx, name.series)
    ):
        return name
    if re.fullmatch(rf"{_CAP}[\w’'-]*", text) and _named_in_text(ctx, text):
        return name
    return None


def _with_town_series(name: EventName) -> EventName:
    """ "Vélorution estivale à Pau" is an edition of the "Vélorution de Pau": a noun with only
    lowercase qualifiers (not "de ...") and a town takes the town as its series."""
    noun = _noun_at_start(name.series)
    rest = name.series[len(noun) :].strip() if noun else ""
    if not (noun and rest and name.city) or re.match(r"(?:de|du|des|d['’])\b", rest):
        return name
    if re.search(_CAP, rest) or noun in load_fact_cues()["events"]["trip_words"]:
        return name
    return dataclasses.replace(name, series=f"{name.series[: len(noun)]} de {name.city}")


def _quoted_in_text(ctx: FactContext, series: str) -> bool:
    """The text calls the series an event: "l'évènement « roulez en ville »"."""
    quoted = rf"[«\"“]\s*{re.escape(series)}\s*[»\"”]"
    if not re.search(quoted, ctx.doc.text, re.I):
        return False  # cheap test first: the series quoted somewhere
    return noun_before_quote(ctx.doc.text, quoted, _nouns())


def _named_in_text(ctx: FactContext, word: str) -> bool:
    """The text names ``word`` as an event: an EVENT mention, or an event noun before it."""
    if any(m.label == "EVENT" and (m.canonical or m.text) == word for m in ctx.mentions):
        return True
    # as re.search(rf"\b(?i:{nouns})\s+(?:de\s+|du\s+)?{re.escape(word)}\b", text)
    return noun_before_word(ctx.doc.text, word, _nouns())


def _proper_in_title(ctx: FactContext, title: str, cities: set[str]) -> EventName | None:
    """A capitalised word of the title that the text calls an event ("Grand froid pour Z")."""
    for match in re.finditer(rf"(?<!^)\b{_CAP}[\w’'-]{{2,}}", title.strip()):
        word = match.group()
        if word in cities or not _named_in_text(ctx, word):
            continue
        return parse_event_name(title[match.start() :].strip(), cities)
    return None


def _edition_number_in(text: str) -> int | None:
    """ "les 43èmes rugissants" -> 43, "la 15e édition" -> 15; None for other ordinals."""
    found = re.search(
        r"\b(?:les?|la|l['’])\s*(\d{1,3})\s*(?:e|è|ème|eme|èmes|emes|es)\b", text, re.I
    )
    return int(found.group(1)) if found else None


_EDITION_OF = re.compile(
    r"(?P<det>\b(?:la|l['’]|cette|une|sa|notre|ma|son)\s*)?(?P<ord>\w+)?\s*édition\s+(?:(?P<year>(?:19|20)\d{2})\s+)?"
    r"(?:du|de\s+la|de\s+l['’]|des|de|d['’])\s*(?P<name>[^\n.,;:!?(]{2,90})",
    re.I,
)
_NAME_STOP = re.compile(
    r"\s(?:qui|que|où|dont|a|ont|s['’]est|se|était|avait|avec|pour|organisée?s?|à|au|en)\s|[\]\[]"
)
# A lookahead, so that "l'occasion du premier ..." still tries "du premier ...".
_ORDINAL_NOUN = re.compile(
    r"(?=\b(?P<det>le|la|l['’]|du|au|à\s+la)\s*(?P<ord>\w+)\s+(?P<rest>[\w’'-]+(?:\s+[\w’'-]+)?))",
    re.I,
)


_PARAGRAPH_WORDS = 15


def _opening(ctx: FactContext, title_end: int) -> tuple[int, str]:
    """The opening: from the first paragraph of at least 15 words (page furniture such as an
    address block before it is skipped)."""
    start = max(title_end, 0)
    for line in re.finditer(r"[^\n]+", ctx.doc.text[start : start + 5000]):
        if len(line.group().split()) >= _PARAGRAPH_WORDS:
            start += line.start()
            break
    return start, ctx.doc.text[start : start + _OPENING_CHARS]


def _opening_candidate(ctx: FactContext, title_end: int) -> tuple[EventName, int] | None:
    """The event the opening paragraph recaps: "la trentième édition du X", "l'édition 2015 du X",
    "à l'occasion du premier pique-nique numérique", or its first EVENT mention."""
    cities = _CityCheck(_cities(ctx))
    base, text = _opening(ctx, title_end)
    if any(contains_word(text[:300], w) >= 0 for w in load_fact_cues()["events"]["trip_words"]):
        return None  # a trip's post: the trip is its event, not a stop it names
    for match in _EDITION_OF.finditer(text):
        if (match.group("det") or "").strip().lower() in _POSSESSIVES:
            continue
        at = base + match.start("name")
        raw = _name_span(ctx, at, match.group("name"))
        if not raw or not re.match(_CAP, raw):
            continue
        name = parse_event_name(raw, cities)
        number = ordinal_value(match.group("ord") or "")
        year = int(match.group("year")) if match.group("year") else name.year
        return dataclasses.replace(name, number=number or name.number, year=year), at
    for match in _ORDINAL_NOUN.finditer(text):
        number = ordinal_value(match.group("ord"))
        noun = _noun_at_start(match.group("rest"))
        if number and noun and noun not in load_fact_cues()["events"]["trip_words"]:
            written = match.group("rest").strip()
            return dataclasses.replace(
                parse_event_name(written, cities), number=number
            ), base + match.start("rest")
    for mention in ctx.mentions:
        if mention.label != "EVENT" or not base <= mention.start < base + _OPENING_CHARS:
            continue
        sentence = ctx.sentences[ctx.sentence_index(mention.start)].text if ctx.sentences else ""
        told = [*load_fact_cues()["events"]["words"], *load_fact_cues()["places"]["travel_cues"]]
        if any(contains_word(sentence, cue) >= 0 for cue in told):
            written = mention.text
            year = re.match(r"\s+(?:19|20)\d{2}\b", ctx.doc.text[mention.end : mention.end + 6])
            written += year.group() if year and not re.search(r"\d{4}", written) else ""
            return parse_event_name(written, cities), mention.start
    return None


def _name_span(ctx: FactContext, at: int, raw: str) -> str:
    """The EVENT mention starting at ``at`` (its text), else ``raw`` cut at a verb or link."""
    for mention in ctx.mentions:
        if mention.label == "EVENT" and abs(mention.start - at) <= 2:
            return mention.text
    raw = raw.lstrip(" *_[")
    stop = _NAME_STOP.search(" " + raw + " ")
    return (raw[: max(stop.start() - 1, 0)] if stop else raw).strip(" *_[]")


def _find_series(text: str, series: str, start: int = 0) -> int:
    """Offset of the first mention of the series in the text (spelling-tolerant), or -1."""
    key = series_key(series)
    if len(key) < 3:
        return -1
    pattern = r"[\s\-]?".join(re.escape(c) for c in key)
    found = re.search(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])", fold(text)[start:])
    return start + found.start() if found else -1


def _post_kind(ctx: FactContext, title: str, name: EventName, at: int) -> str:
    low = title.lower()
    if any(cue in low for cue in _cues()["interview_cues"]):
        return "interview"
    noun = _noun_at_start(name.series)
    if noun in load_fact_cues()["events"]["trip_words"]:
        return "trip"
    sentence = (
        ctx.sentences[ctx.sentence_index(max(at, 0))].text if ctx.sentences and at >= 0 else ""
    )
    window = f"{title} {sentence}"
    if any(contains_word(window, cue) >= 0 for cue in _cues()["announcement_cues"]):
        return "announcement"
    return "recap"


def main_event_facts(ctx: FactContext) -> list[FactMention]:
    """The main event of a post as facts (name, edition number, city), or [] when none is named.

    Example:
        title "Retour sur le Forum Machin 2019 (Lyon)" -> main_event "Forum Machin 2019"
        (series "Forum Machin", year "2019") and city "Lyon" (from the title)
    """
    title, title_at = post_title(ctx)
    title_end = title_at + len(title) if title_at >= 0 else 0
    found = _title_candidate(ctx, title) if title else None
    if found is not None and _trip_told_instead(ctx, found, title_end):
        return []
    source = "title"
    at = title_at
    if found is None:
        opening = _opening_candidate(ctx, title_end)
        if opening is None:
            return []
        found, at = opening
        source = "opening"
    first_in_text = _find_series(ctx.doc.text, found.series, title_end)
    anchor = at if source == "opening" or first_in_text < 0 else first_in_text
    if found.number is None and anchor >= 0:
        found = _number_near(ctx, found, anchor)
    kind = _post_kind(ctx, title, found, anchor)
    span = (at, at + len(found.written)) if at >= 0 else (0, 0)
    origin = _Origin(source, found, kind, title)
    values = (found.written, found.series, str(found.year or ""))
    facts = [_fact(ctx, "main_event", span, values, origin)]
    if found.number:
        facts.append(_fact(ctx, "edition_number", span, (str(found.number), "", ""), origin))
    facts += _main_cities(ctx, span, anchor, origin._replace(source="name_city"))
    return facts


def _number_near(ctx: FactContext, name: EventName, at: int) -> EventName:
    """An edition ordinal just before the series' first mention ("la 15e édition du X", "33e X")."""
    before = ctx.doc.text[max(0, at - 40) : at]
    found = re.search(
        r"(?:\b(?P<det>\w+)\s+)?(?P<ord>\w+)\s+(?:édition\s+(?:du|de\s+la|des|de|d['’])\s*)?$",
        before,
        re.I,
    )
    if not found or (found.group("det") or "").lower() in _POSSESSIVES:
        return name
    number = ordinal_value(found.group("ord"))
    return dataclasses.replace(name, number=number) if number else name


class _Origin(NamedTuple):
    """Where a main event was read (title or opening), what it is, the kind of post."""

    source: str
    name: EventName
    kind: str
    title: str


def _fact(
    ctx: FactContext,
    attribute: str,
    span: tuple[int, int],
    values: tuple[str, str, str],
    origin: _Origin,
    note: str = "",
) -> FactMention:
    """A main-event fact; one read from a title absent from the text quotes the title."""
    fact = new_fact(
        ctx,
        attribute,
        span,
        values,
        "name",
        f"main_{origin.source}",
        origin.name.series,
        note or f"from the {origin.source}",
    )
    if span == (0, 0):
        fact = dataclasses.replace(
            fact, sentence=origin.title, fact_id=f"{ctx.doc.doc_id}:{attribute}:title"
        )
    return dataclasses.replace(fact, post_kind=origin.kind)


def _main_cities(
    ctx: FactContext, span: tuple[int, int], anchor: int, origin: _Origin
) -> list[FactMention]:
    """The main event's city: from its name, else beside its mention (a venue, an adjective,
    a town hall)."""
    name = origin.name
    found: list[tuple[str, str]] = []
    city = _full_city(ctx, name)
    if city:
        found.append((city, "city in the event's name"))
    if not found:
        found = _cities_beside(ctx, name, anchor)
    out = []
    for index, (city, note) in enumerate(dict(found).items()):
        fact = _fact(ctx, "city", span, (city, "", ""), origin, note)
        out.append(dataclasses.replace(fact, fact_id=f"{fact.fact_id}:{index}"))
    return out


def _full_city(ctx: FactContext, name: EventName) -> str:
    """The town a name holds, written in full when the post also writes it in full
    ("Sainté 2005" in a post naming Saint-Étienne)."""
    words = [name.city] if name.city else re.findall(rf"{_CAP}[\w’'-]{{3,}}", name.series)
    for word in words:
        longer = sorted(
            {m.canonical or m.text for m in ctx.mentions if m.label == "CITY"} - {word},
            key=len,
        )
        full = next(
            (c for c in longer if c.startswith(word) and c[len(word) : len(word) + 1].isalpha()),
            "",
        )
        if full and (name.city or len(word) >= 4):
            return full
    return name.city


_HELD = re.compile(
    r"s['’]est\s+(?:tenue?s?|déroulée?s?)|se\s+(?:tenait|déroulait|déroule|tient)|a\s+eu\s+lieu"
    r"|accueill\w*|se\s+déplace|rendu\w*\s+à",
    re.I,
)


def _tells_the_event(ctx: FactContext, name: EventName, at: int, anchor: int) -> bool:
    """A town's sentence speaks of the main event: it is the sentence naming it, it writes its
    series, or it says where an event is held ("s'est tenu", "se déroule", "accueillait")."""
    if not ctx.sentences:
        return True
    sentence = ctx.sentences[ctx.sentence_index(at)]
    if sentence.start <= anchor < sentence.end or _find_series(sentence.text, name.series) >= 0:
        return True
    return bool(_HELD.search(sentence.text))


def _other_event_before(ctx: FactContext, name: EventName, at: int) -> bool:
    """The nearest event named before ``at`` in its sentence is another event than ``name``."""
    if not ctx.sentences:
        return False
    start = ctx.sentences[ctx.sentence_index(at)].start
    named = [m for m in ctx.mentions if m.label == "EVENT" and start <= m.start < at]
    if not named:
        return False
    nearest = max(named, key=lambda m: m.start)
    key, other = series_key(name.series), series_key(nearest.canonical or nearest.text)
    return bool(other) and key not in other and other not in key


def _cities_beside(ctx: FactContext, name: EventName, anchor: int) -> list[tuple[str, str]]:
    base = max(anchor, 0)
    window_start = ctx.sentences[ctx.sentence_index(base)].start if ctx.sentences else base
    opening_end = _OPENING_CHARS
    text = ctx.doc.text[:opening_end] + "\n" + ctx.doc.text[window_start : base + 600]
    found = []
    for mention in ctx.mentions:
        inside = window_start <= mention.start < base + 600 or mention.start < opening_end
        if mention.label != "CITY" or not inside:
            continue
        if not _tells_the_event(ctx, name, mention.start, base):
            continue
        if _other_event_before(ctx, name, mention.start):
            continue  # "... annonce des Journées Y, qui auront lieu à Lille": Y's town
        before = ctx.doc.text[max(0, mention.start - 60) : mention.start].lower().replace("’", "'")
        if re.search(r"(?:^|\s)(?:à|en)\s+$", before[-4:]) or re.search(r"(?:^|\s)à\s+$", before):
            found.append((mention.canonical or mention.text, "« à X » beside the event"))
        elif any(
            before.endswith(b.replace("’", "'")) or before.endswith(b + " ")
            for b in _cues()["town_bodies"]
        ):
            found.append((mention.canonical or mention.text, "the town hall organising it"))
        elif any(
            re.search(re.escape(v) + r"\s+(?:\S+\s+){0,3}(?:de|d')\s*$", before)
            for v in _cues()["venue_nouns"]
        ):
            found.append((mention.canonical or mention.text, "the venue's town"))
    for adjective, city, pattern in _adjective_patterns():
        # the adjective alone first (a quick scan): the pattern, which tries its nouns at every
        # position, can only match where the adjective is written
        if _adjective_alone(adjective).search(text) and pattern.search(text):
            found.append((city, f"« {adjective} » beside the event"))
    return found


@cache
def _adjective_alone(adjective: str) -> re.Pattern[str]:
    """The adjective as ``_adjective_patterns`` writes it, with the same flag (a part of it)."""
    return re.compile(adjective, re.I)


@cache
def _adjective_patterns() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """Per city adjective ("nantais"): its city and the pattern of an event noun before it.

    Compiled once: built for every adjective of every candidate, they cost more than the
    search (a long alternation of nouns joined and looked up again each time).
    """
    nouns = _noun_alternation()
    return tuple(
        (
            adjective,
            city,
            re.compile(
                rf"(?<![^\W_])(?:{nouns})s?\b(?:\s+[\w’'-]+){{0,3}}\s+{adjective}"
                r"(?:e|es|s|ne|nes)?\b",
                re.I,
            ),
        )
        for adjective, city in _cues()["city_adjectives"].items()
    )
