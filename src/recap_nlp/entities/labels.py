"""Label decisions for entity spans: filters, type refinement by cues, gazetteers and context.

The statistical model knows PER, LOC, ORG and MISC; the project wants PER, CITY, ORG, EVENT
(plus LOC and MISC), and the small French model makes typical mistakes on recap posts
(sentence-initial verbs as places, first names as places, companies as people). Each function
here takes a token range of a ``Doc`` and answers a label, or None to drop the span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from recap_nlp.entities import terms
from recap_nlp.entities.lexicon import Cues, Places, strip_accents
from recap_nlp.entities.spans import is_acronym, is_capitalised, is_glued_hyphen

_CONTEXT_WINDOW = 6
# Canadian postcode halves ("G1N 4L8") and French/Belgian postcodes are not names
_POSTCODE = re.compile(r"^(?:[A-Z]\d[A-Z](?: ?\d[A-Z]\d)?|[A-Z] ?\d{4,5})$")
_PRONOUN_FRAGMENTS = frozenset({"j'", "d'", "l'", "c'", "qu'", "n'", "s'", "m'", "t'"})
_EDGE_WORDS = frozenset(
    {
        "le",
        "la",
        "les",
        "l'",
        "d'",
        "de",
        "du",
        "des",
        "un",
        "une",
        "c'",
        "ce",
        "cet",
        "cette",
        "ces",
    }
)


@dataclass(frozen=True)
class Lexicon:
    """Everything the label rules look up, loaded once by the component's factory."""

    cues: Cues
    places: Places
    first_names: frozenset[str]


def trim(doc: Doc, start: int, end: int, titles: frozenset[str] = frozenset()) -> tuple[int, int]:
    """Shrink a span past articles, punctuation, spaces and courtesy titles at its edges.

    Example: "la Angers French Tech" -> "Angers French Tech"; "Pique-nique c'" -> "Pique-nique";
    "Mme Marchand" -> "Marchand" (with ``titles`` from the cue file).
    """
    while start < end and (_edge_token(doc, start) or _title_before_name(doc, start, end, titles)):
        start += 1
    while end > start and (_edge_token(doc, end - 1) or _trailing_verb(doc, start, end)):
        end -= 1
    return start, end


def _trailing_verb(doc: Doc, start: int, end: int) -> bool:
    """A lowercase verb or participle glued after a name: "Salon africain | placé sous"."""
    tok = doc[end - 1]
    return end - start > 1 and tok.is_lower and tok.pos_ in {"VERB", "AUX"}


def _title_before_name(doc: Doc, i: int, end: int, titles: frozenset[str]) -> bool:
    """A courtesy title followed by a capitalised word of the span: "M. Leclerc"."""
    if i + 1 >= end or doc[i].text not in titles:
        return False
    return is_capitalised(doc[i + 1])


def _edge_token(doc: Doc, i: int) -> bool:
    tok = doc[i]
    if tok.is_space or tok.is_punct or not tok.text.strip():
        return True
    return tok.lower_ in _EDGE_WORDS and (tok.is_lower or tok.is_sent_start)


def is_noise(span: Span, lex: Lexicon) -> bool:
    """Spans that are not names: "Voilà", "J'", "🙂", "impression 3D", "Chose certaine".

    Example: the model's LOC "Revenons" (in "Revenons au programme") is noise.
    """
    text = span.text
    first = span[0]
    if not any(c.isalpha() for c in text) or len(text) < 2 or text.islower():
        return True
    if first.lower_ in _PRONOUN_FRAGMENTS or text in lex.cues.generic_terms:
        return True
    if _POSTCODE.match(text):
        return True
    if first.lower_ in lex.cues.leading_words and not _is_known(span.text, lex):
        return True
    return _capital_only_from_sentence_start(span, lex)


def _capital_only_from_sentence_start(span: Span, lex: Lexicon) -> bool:
    """A span whose only capital is the sentence's first letter and that no list knows."""
    first = span[0]
    if not first.is_sent_start or any(is_capitalised(t) for t in span[1:]):
        return False
    if _is_known(first.text, lex) or is_acronym(first.text) or _has_inner_capital(first.text):
        return False
    return first.pos_ not in {"PROPN"} or len(span) > 1 or first.lower_ in lex.cues.leading_words


def _is_known(text: str, lex: Lexicon) -> bool:
    return text in lex.first_names or lex.places.label(text) is not None


def _has_inner_capital(text: str) -> bool:
    """CamelCase or digits inside a word: "WeForge", "GameCash", "Web2day" (not "Saint-Roch")."""
    return any(
        (b.isupper() and a.islower()) or (b.isdigit() and a.isalpha()) for a, b in pairwise(text)
    )


def place_label(doc: Doc, start: int, end: int, lex: Lexicon) -> str | None:
    """CITY or LOC for a known place, by gazetteer and the preposition before it.

    Example: "à Québec" -> CITY, "au Québec" -> LOC, "dans Saint-Roch" -> LOC (a district).
    """
    text = doc[start:end].text
    known = lex.places.label(text)
    if known is None:
        return None
    before = doc[start - 1].lower_ if start > 0 else ""
    if known == "CITY" and text in lex.places.regions and before in _REGION_ARTICLES:
        return "LOC"
    if known == "CITY" and before == "dans":
        return "LOC"
    return known


_REGION_ARTICLES = frozenset({"au", "du", "le", "aux"})


def context_label(doc: Doc, start: int, end: int, lex: Lexicon) -> str | None:
    """ORG or EVENT from the words around a name, or None.

    Example: "l'événement numérique Web2day" -> EVENT; "les bureaux de Spektrum" -> ORG.
    """
    sent = doc[start].sent
    before = doc[max(sent.start, start - _CONTEXT_WINDOW) : start]
    after = doc[end : min(sent.end, end + _CONTEXT_WINDOW)]
    lowers_before = {t.lower_ for t in before}
    if lowers_before & lex.cues.org_context and _org_word_close(before, lex):
        return "ORG"
    if _organiser_of_event(doc, start, lex):
        return "ORG"
    # a capitalised "Festival" heads another name; only plain words are context
    words = {t.lower_ for t in [*before, *after] if t.is_lower or t.is_sent_start}
    return "EVENT" if words & lex.cues.event_context else None


_TITLE_WORDS = frozenset({"intitulé", "intitulée", "intitulés", "intitulées", "titré", "titrée"})
_EDITION_WORDS = frozenset({"édition", "éditions", "anniversaire"})


def _organiser_of_event(doc: Doc, start: int, lex: Lexicon) -> bool:
    """A name right after "<event noun> de": its organiser, "le congrès de Projet Avenir".

    "l'édition 2015 du X" names the event itself, so edition words are left out.
    """
    if start < 2 or doc[start - 1].lower_ not in {"de", "d'", "d’", "du"}:
        return False
    noun = doc[start - 2]
    return noun.is_lower and noun.lower_ in lex.cues.event_context - _EDITION_WORDS


def _org_word_close(before: Span, lex: Lexicon) -> bool:
    """The organisation word is at most three words before the name ("bureaux de X")."""
    return any(t.lower_ in lex.cues.org_context for t in before[-3:])


def model_label(doc: Doc, start: int, end: int, label: str, lex: Lexicon) -> str | None:
    """The project label for a model entity ``doc[start:end]`` labelled ``label``, or None.

    Example: the model's LOC "Astrid" -> PER, LOC "Nantes" -> CITY, PER "WeForge" -> ORG;
    ORG "PHP" -> MISC (a technology, see ``not_a_name_kind``).
    """
    found = _model_label(doc, start, end, label, lex)
    if found == "PER" and is_holiday(doc, start, end, lex):
        return None  # "cadeaux de Noël": the day, not a person
    if found == "PER" and terms.is_technical(doc[start:end].text, lex.cues.technical_terms):
        return "MISC"  # "les Design Patterns"
    if found == "PER" and _member_of(doc, start, end, lex):
        return "ORG"  # "l'équipe d'Inno'Sud"
    if found not in {"ORG", "EVENT"}:
        return found
    kind = not_a_name_kind(doc[start:end], lex)
    if kind is None or (found == "EVENT" and kind != "technical"):
        return found
    return "PER" if kind == "person" else "MISC"


def _model_label(doc: Doc, start: int, end: int, label: str, lex: Lexicon) -> str | None:
    span = doc[start:end]
    text = span.text
    place = place_label(doc, start, end, lex)
    before = doc[start - 1].lower_ if start > 0 else ""
    if _after_possessive(doc, start, lex) and label != "PER":
        return "MISC"
    if place is None and len(span) == 1 and _has_inner_capital(text) and not is_acronym(text):
        return "ORG"
    if span[0].lower_ in lex.cues.street_words and len(span) > 1:
        return "LOC"
    if place is None and beside_role_noun(doc, start, end, lex):
        return "PER"
    if before in lex.cues.event_nouns_before:
        return "EVENT"
    if label == "PER":
        return _person_label(span, place, before, lex)
    if place is not None:
        return place
    if _place_then_qualifier(span, lex) or _compound_on_place(span, lex):
        return "ORG"
    if (len(span) == 1 and text in lex.first_names) or _first_name_led(span, lex):
        return "PER"
    return _other_label(doc, start, end, label, lex)


def _member_of(doc: Doc, start: int, end: int, lex: Lexicon) -> bool:
    """One word after "organisation noun + de": "l'équipe d'Inno'Sud", "la société de X"."""
    if start < 2 or doc[start - 1].lower_ not in {"de", "d'", "du"}:
        return False
    if is_first_name(doc[start].text, lex) or len(_words_of(doc, start, end)) != 1:
        return False
    return doc[start - 2].lower_ in lex.cues.org_nouns_before


def _words_of(doc: Doc, start: int, end: int) -> list[str]:
    return doc[start:end].text.replace("’", "'").split()


def beside_role_noun(doc: Doc, start: int, end: int, lex: Lexicon) -> bool:
    """A capitalised name next to a kinship or role noun is a person's.

    Before it: "son frère Gwenvaël"; after it, with an article or a bracket: "Mirela Tanaka,
    la chanteuse du groupe", "Paloma Colombe (dj chez Nova)".
    """
    if not all(
        is_capitalised(t) or t.is_punct or is_glued_hyphen(doc, t.i) for t in doc[start:end]
    ):
        return False
    roles = lex.cues.role_nouns
    if start > 0 and doc[start - 1].lower_ in roles and doc[start - 1].is_lower:
        return True
    if start > 0 and doc[start - 1].text in lex.cues.stage_prefixes:
        return True  # "DJ Zorn"
    k = end + 1 if end < len(doc) and doc[end].text == "," else end
    if k + 1 < len(doc) and doc[k].lower_ in {"le", "la", "l'", "("}:
        return doc[k + 1].lower_ in roles and not is_capitalised(doc[k + 1])
    return False


def not_a_name_kind(span: Span, lex: Lexicon) -> str | None:
    """Why a model ORG/MISC/LOC span is no organisation, or None; ``"person"`` after "M.".

    Example: "PHP" -> "technical", "Guitare" -> "common word", "VP Opération" -> "job",
    "M. [Bayrou]" -> "person". An organisation word close before the name keeps it
    ("chez Orange").
    """
    cues, doc = lex.cues, span.doc
    if span.start > 0 and doc[span.start - 1].text in cues.person_titles:
        return "person" if all(is_capitalised(t) for t in span) else None
    if terms.is_technical(span.text, cues.technical_terms):
        return "technical"
    if span[0].text in cues.job_words:
        return "job"
    if span[0].text in cues.org_heads or span[-1].text in cues.org_tails:
        return None
    if terms.is_phrase(span):
        return "phrase"
    if terms.is_heading_capitals(span, cues.english_words):
        return "heading"
    if _is_known(span.text, lex) or span[0].text in lex.first_names:
        return None
    if context_label(doc, span.start, span.end, lex) == "ORG":
        return None
    if terms.is_common_word(span, cues.english_words):
        return "common word"
    if terms.is_topic(span) and not any(_is_known(t.text, lex) for t in span):
        return "topic"
    return None


def _first_name_led(span: Span, lex: Lexicon) -> bool:
    """A known first name then capitalised words: "Marie-Ève Gagné", "Kevin St-Onge"."""
    if len(span) < 2 or not is_first_name(span[0].text, lex) or lex.places.label(span.text):
        return False
    return all(
        is_capitalised(t) or is_glued_hyphen(span.doc, t.i) or _after_elision(t) for t in span[1:]
    )


def _after_elision(token: Token) -> bool:
    """A word glued to an elided particle of a surname: "Dell'|orto", "D'|amico"."""
    before = token.nbor(-1)
    return not before.whitespace_ and before.text[-1:] in {"'", "’"} and before.text[:1].isupper()


def is_first_name(text: str, lex: Lexicon) -> bool:
    """A known first name, or a compound of one: "Marie-Ève", "Jean-François"."""
    return text in lex.first_names or text.split("-")[0] in lex.first_names


def _compound_on_place(span: Span, lex: Lexicon) -> bool:
    """One hyphenated word built on a place names an organisation: "Hydro-Québec".

    Compounds of two places ("Wallonie-Bruxelles") and place names themselves are not.
    """
    parts = span.text.split("-")
    if len(span) != 3 or len(parts) != 2 or not is_glued_hyphen(span.doc, span[1].i):
        return False
    left, right = (lex.places.label(part) for part in parts)
    return right is not None and left is None and parts[0] not in lex.first_names


def _place_then_qualifier(span: Span, lex: Lexicon) -> bool:
    """A place followed by a qualifier names an organisation: "Montréal International"."""
    if len(span) < 2 or lex.places.label(span[0].text) is None:
        return False
    return all(is_capitalised(t) or t.pos_ == "ADJ" for t in span[1:])


def _after_possessive(doc: Doc, start: int, lex: Lexicon) -> bool:
    """A possessive before the name, maybe past an adjective: "sa fameuse LoveBox" (a product)."""
    for tok in reversed(doc[max(0, start - 2) : start]):
        if tok.lower_ in lex.cues.possessives:
            return True
        if tok.pos_ != "ADJ":
            return False
    return False


def _person_label(span: Span, place: str | None, before: str, lex: Lexicon) -> str | None:
    first_name = is_first_name(span[0].text, lex)
    if not first_name and place is None and _ends_with_place(span, lex):
        return "ORG"  # "Robotix Lyon", "Écotech Québec": a company named after its city
    if not first_name and len(span) > 1 and span[0].pos_ == "NOUN" and not span[0].is_sent_start:
        return "ORG"  # a common noun leads the name: "Café Rivière", "Investissement Québec"
    if len(span) > 1 and all(is_capitalised(t) or t.is_punct for t in span):
        return "PER"
    if first_name:
        return "PER"
    if place is not None:
        return place
    if len(span) == 1 and before in {"de", "d'", "chez"}:
        return "ORG"
    return None if span[0].is_sent_start else "PER"


def _ends_with_place(span: Span, lex: Lexicon) -> bool:
    """The last word of a several-word span is a region or a large city: "Investissement Québec".

    Small places are left out: many surnames are village names ("Erlé Alberton").
    """
    if len(span) < 2:
        return False
    k = len(span) - 1
    while k > 1 and is_glued_hyphen(span.doc, span[k - 1].i):
        k -= 2
    place = span[k:].text
    if k == 0 or lex.places.label(place) is None:
        return False
    return lex.places.cities.get(place, lex.cues.min_population) >= lex.cues.min_population


def _other_label(doc: Doc, start: int, end: int, label: str, lex: Lexicon) -> str:
    text = doc[start:end].text
    if label == "LOC":
        before = doc[start - 1].lower_ if start > 0 else ""
        if len(text.split()) == 1 and text.lower().endswith(lex.cues.demonym_suffixes):
            return "MISC"
        if before == "à":
            return "CITY"
        if context_label(doc, start, end, lex) == "ORG" or _named_like_a_body(doc, start, end):
            return "ORG"
        return "LOC"
    if is_acronym(text) and end - start == 1:
        return "ORG"
    if start > 0 and doc[start - 1].lower_ in _TITLE_WORDS:
        return "MISC"  # "une conférence intitulée Osez la lenteur ...": a talk title
    found = context_label(doc, start, end, lex)
    if found is not None:
        return found
    if label == "MISC" and _event_shaped(doc[start:end], lex):
        return "EVENT"
    return "ORG" if label == "ORG" else "MISC"


# first words of places and venues: "Villa Médicis", "Parc Expo", "St Laurent", "Vieux-Port"
_VENUE_WORDS = frozenset(
    {"villa", "parc", "place", "salle", "palais", "stade", "st", "ste", "saint", "sainte"}
    | {"mont", "port", "vieux", "vieille", "jardin", "jardins", "château", "église", "gare"}
    | {"aéroport", "pont", "lac", "plage", "quartier", "cap", "baie", "col", "mer", "forêt"}
    | {"rue", "avenue", "boulevard", "quai", "domaine", "espace", "halle", "hall", "cité"}
)


def _named_like_a_body(doc: Doc, start: int, end: int) -> bool:
    """A place the model guessed that reads as a group's name: "Prairie Commune", "Ciel Ouvert".

    Two or three capitalised words (small words allowed inside: "Île Sans Fil"), no digit, not
    at the start of a line or sentence, and not led by a venue or place word: no gazetteer
    knows them as places, and names of that shape are mostly companies and associations.
    """
    span = doc[start:end]
    words = span.text.split()
    if not 2 <= len(words) <= 4 or span[0].is_sent_start or any(c.isdigit() for c in span.text):
        return False
    if not all(w[:1].isupper() for w in words) or "-" in span.text or span.text.isupper():
        return False
    first = words[0].lower().replace("’", "'")
    if first in {"de", "du", "des", "le", "la", "les", "un", "une", "notre", "votre", "mon", "ma"}:
        return False
    return first not in _VENUE_WORDS and not first.startswith(("l'", "d'"))


def _event_shaped(span: Span, lex: Lexicon) -> bool:
    """A name led by an event word or ending with one, maybe before a city and a year.

    Example: "Hackathon Édition d'hiver", "Salon africain", "Startup Day Lyon" (not the
    venue "Lyon Expo").
    """
    if len(span) > 1 and span[0].text in lex.cues.event_heads:
        return True
    k = len(span)
    while k > 1 and (span[k - 1].like_num or lex.places.label(span[k - 1].text) == "CITY"):
        k -= 1
    if lex.places.label(span[0].text) is not None:
        return False  # a place then "Expo": a venue ("Paris Expo")
    return k > 1 and span[k - 1].text in lex.cues.event_tails


def is_holiday(doc: Doc, start: int, end: int, lex: Lexicon) -> bool:
    """A one-word holiday name after a preposition or a wish: "à Noël", "joyeuses Pâques".

    Example: "la liste de cadeaux de Noël" -> True; "Noël Mamère a parlé" -> False.
    """
    if end != start + 1 or start == 0:
        return False
    if strip_accents(doc[start].text.lower()) not in lex.cues.holidays:
        return False
    return doc[start - 1].lower_.replace("’", "'") in lex.cues.holiday_words_before


def first_name_at(doc: Doc, i: int, lex: Lexicon) -> int:
    """The end of a person name starting with a known first name at ``i``, or ``i``.

    A first name alone counts unless it starts a sentence (where many are ordinary words);
    capitalised words after it are taken as the surname: "Céline Delval", "Pierre-Luc Lachance".
    """
    tok = doc[i]
    if tok.text not in lex.first_names or lex.places.label(tok.text) is not None:
        return i
    end = i + 1
    if is_holiday(doc, i, end, lex) and (end == len(doc) or not _surname_token(doc, end, lex)):
        return i
    while end < len(doc) and _surname_token(doc, end, lex):
        end += 1
    followed_by_list = end < len(doc) and doc[end].text in {",", "et"}
    if tok.is_sent_start and end == i + 1 and not followed_by_list:
        return i
    return end


def _surname_token(doc: Doc, j: int, lex: Lexicon) -> bool:
    tok = doc[j]
    if "\n" in doc[j - 1].whitespace_ or not is_capitalised(tok) or is_acronym(tok.text):
        return False
    # many surnames are place names ("Sophie Tremblay"), so a place is allowed here
    return tok.text not in lex.cues.org_heads and tok.text not in lex.cues.event_heads
