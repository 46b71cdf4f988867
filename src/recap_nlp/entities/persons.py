"""Person rules that need the whole post: model spans split into names, later references.

Recap posts name a person in full once ("Pascal BOYER", "Julie Paquette") and then by surname
("Boyer et ses collègues", "M. Poitras") or first name ("Julie, comment est né le forum?"),
often at the start of a sentence, where the small model misses them or calls them places.
The model also glues a place or a job word to a name ("de Baie-Comeau Nathalie Gagnon",
"ministre de l'Économie Luc Verhaegen") and joins two names with "et" ("Villeurbanne et
Vénissieux"). The functions here work on token ranges and candidates, like ``spans.py``.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span

from recap_nlp.entities.labels import Lexicon, beside_role_noun, is_first_name, not_a_name_kind
from recap_nlp.entities.spans import (
    HYPHENS,
    Candidate,
    is_capitalised,
    is_glued_hyphen,
    token_texts,
    word_end,
)

#: lowercase particles inside a surname: "Anne-Laure de Villiers", "Ludwig van Beethoven"
_PARTICLES = frozenset({"de", "du", "des", "d'", "van", "von", "der", "den", "di", "da", "le"})


def model_parts(doc: Doc, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """The names inside one model span, as token ranges.

    Example: "Villeurbanne et Vénissieux" -> two ranges; "Baie-Comeau Nathalie Gagnon" ->
    "Baie-Comeau" and "Nathalie Gagnon"; "Économie Luc Verhaegen" -> "Luc Verhaegen";
    "Mission Côte-Nord" (a sentence-initial noun then a region) -> "Côte-Nord".
    """
    parts = _split_on_et(doc, start, end, lex)
    if parts is not None:
        return parts
    if doc[start].lower_ in lex.cues.street_words:
        return [(start, end)]  # "rue Frank-Carrel" is a street, whatever it is named after
    k = _person_start(doc, start, end, lex)
    if k is not None:
        before = [(start, k)] if lex.places.label(doc[start:k].text) else []
        return [*before, (k, end)]
    if _common_noun_then_place(doc, start, end, lex):
        return [(start + 1, end)]
    return [(start, end)]


def _split_on_et(doc: Doc, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]] | None:
    """Two names joined by "et" (or "&"), each a known place or led by a first name, else None."""
    cuts = [j for j in range(start + 1, end - 1) if doc[j].lower_ in {"et", "&", "and"}]
    if len(cuts) != 1:
        return None
    j = cuts[0]
    parts = [(start, j), (j + 1, end)]
    if all(_known_name(doc, a, b, lex) for a, b in parts):
        return parts
    return None


def _known_name(doc: Doc, start: int, end: int, lex: Lexicon) -> bool:
    """A known place, or a first name then capitalised words ("Anne-Laure de Villiers")."""
    if lex.places.label(doc[start:end].text) is not None:
        return True
    if not is_first_name(doc[start].text, lex):
        return False
    inner = [j for j in range(start + 1, end - 1) if doc[j].lower_ in _PARTICLES]
    rest = [j for j in range(start + 1, end) if j not in inner]
    return all(is_capitalised(doc[j]) or is_glued_hyphen(doc, j) for j in rest)


def _person_start(doc: Doc, start: int, end: int, lex: Lexicon) -> int | None:
    """Where a first name and surname start after a place or a common word, else None."""
    for k in range(start + 1, end - 1):
        if is_glued_hyphen(doc, k - 1) or not is_first_name(doc[k].text, lex):
            continue
        if is_first_name(doc[k - 1].text, lex) or not _all_capitalised(doc, k + 1, end):
            continue  # "Jean Marc Dupont": a double first name, not a prefix
        prefix = doc[start:k]
        if lex.places.label(prefix.text) or any(t.is_lower for t in prefix):
            return k
        if prefix[0].pos_ == "NOUN":
            return k
    return None


def _common_noun_then_place(doc: Doc, start: int, end: int, lex: Lexicon) -> bool:
    first = doc[start]
    if end - start < 2 or not first.is_sent_start or first.pos_ != "NOUN":
        return False
    if is_first_name(first.text, lex):
        return False  # the tagger calls a sentence-initial first name a noun: "Sophie Tremblay"
    return lex.places.label(doc[start + 1 : end].text) is not None


def _all_capitalised(doc: Doc, start: int, end: int) -> bool:
    return all(is_capitalised(doc[j]) or is_glued_hyphen(doc, j) for j in range(start, end))


def name_parts(doc: Doc, accepted: Iterable[Candidate], lex: Lexicon) -> frozenset[str]:
    """Casefolded first names and surnames of the full person names found in a post.

    Example: "Pascal BOYER" and "Julie Paquette" give {"pascal", "boyer", "julie", "paquette"}.
    """
    parts: set[str] = set()
    for c in accepted:
        if c.label != "PER":
            continue
        words = _words(doc, c.start, c.end)
        if len(words) < 2:
            continue
        if is_first_name(words[0], lex):
            parts.add(words[0].casefold())
        parts.add(words[-1].casefold())
    return frozenset(p for p in parts if len(p) > 2)


def _words(doc: Doc, start: int, end: int) -> list[str]:
    words, i = [], start
    while i < end:
        j = min(word_end(doc, i), end)
        words.append(doc[i:j].text)
        i = j
    return words


def person_references(
    doc: Doc, accepted: list[Candidate], parts: frozenset[str], lex: Lexicon
) -> list[Candidate]:
    """``accepted`` with later references to the post's people labelled PER.

    A one-word name equal to a first name or surname of a full name of the post is that person
    ("Boyer et ses collègues", "Yves a convaincu"), whether the model missed it or called it a
    place; a place after its preposition ("à Laval") stays a place.
    """
    result = [_as_reference(doc, c, parts, lex) for c in accepted]
    if not parts:  # no full name in the post: no later reference to look for
        return sorted(result, key=lambda c: c.start)
    covered = {i for c in result for i in range(c.start, c.end)}
    texts = token_texts(doc)  # the words' ends and capitals read from the texts
    last = len(doc) - 1
    i = 0
    while i < len(doc):
        j = i + 1  # word_end(doc, i), testing only hyphens for a glued one
        while j < last and texts[j] in HYPHENS and is_glued_hyphen(doc, j):
            j += 2
        if (
            texts[i][:1].isupper()  # is_capitalised(doc[i])
            and not covered & set(range(i, j))
            and _reference_at(doc, i, j, parts, lex)
        ):
            result.append(Candidate(i, j, "PER", "lookup"))
        i = j
    return sorted(result, key=lambda c: c.start)


def _reference_at(doc: Doc, i: int, j: int, parts: frozenset[str], lex: Lexicon) -> bool:
    if not is_capitalised(doc[i]) or doc[i:j].text.casefold() not in parts:
        return False
    return not _after_place_preposition(doc, i, j, lex)


def _as_reference(doc: Doc, c: Candidate, parts: frozenset[str], lex: Lexicon) -> Candidate:
    if c.label == "PER" or c.source not in {"model", "lookup"}:
        return c
    if len(_words(doc, c.start, c.end)) != 1 or doc[c.start : c.end].text.casefold() not in parts:
        return c
    if _after_place_preposition(doc, c.start, c.end, lex):
        return c
    return Candidate(c.start, c.end, "PER", c.source)


def _after_place_preposition(doc: Doc, start: int, end: int, lex: Lexicon) -> bool:
    if lex.places.label(doc[start:end].text) is None or start == 0:
        return False
    before = doc[start - 1].lower_
    return before in lex.cues.city_prepositions or before in lex.cues.region_prepositions


def lone_words_as_orgs(
    doc: Doc, accepted: list[Candidate], parts: frozenset[str], lex: Lexicon
) -> list[Candidate]:
    """A lone unknown word the model calls a person is an organisation.

    People are introduced by their full name or called by a known first name; a single word
    that is neither, nor a part of a name of the post, is a company or a brand ("l'équipe
    Hydrelis", "Bpifrance"). A word in brackets after a person is that person's affiliation:
    "Valérie Tremblay (Mila)".
    """
    result = []
    for k, c in enumerate(accepted):
        lone = c.label == "PER" and c.source == "model" and _lone_unknown(doc, c, parts, lex)
        member = c.label in {"PER", "MISC"} and k > 0 and _affiliation(doc, accepted[k - 1], c, lex)
        label = "ORG" if lone or member else c.label
        if lone and not member:
            label = _lone_word_label(doc[c.start : c.end], lex)
        elif member and not_a_name_kind(doc[c.start : c.end], lex) in {"job", "technical"}:
            label = "MISC"  # "Julie Martin (VP Ventes)": her job, not her employer
        result.append(Candidate(c.start, c.end, label, c.source) if label != c.label else c)
    return result


def _lone_word_label(span: Span, lex: Lexicon) -> str:
    """ORG for a lone unknown word, MISC when it is a common word or a technology ("Hackers")."""
    kind = not_a_name_kind(span, lex)
    if kind is None:
        return "ORG"
    return "PER" if kind == "person" else "MISC"


def _lone_unknown(doc: Doc, c: Candidate, parts: frozenset[str], lex: Lexicon) -> bool:
    words = _words(doc, c.start, c.end)
    if len(words) != 1 or is_first_name(words[0], lex) or words[0].casefold() in parts:
        return False
    if beside_role_noun(doc, c.start, c.end, lex):
        return False  # "son frère Gwenvaël"
    return lex.places.label(words[0]) is None


def _affiliation(doc: Doc, person: Candidate, c: Candidate, lex: Lexicon) -> bool:
    """``c`` alone in brackets right after the person ``person``: "Jean Petit (Veolia)"."""
    if person.label != "PER" or c.start != person.end + 1 or c.end >= len(doc):
        return False
    if doc[person.end].text != "(" or doc[c.end].text != ")":
        return False
    return lex.places.label(doc[c.start : c.end].text) is None
