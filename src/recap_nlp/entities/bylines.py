"""Names in talk lists and bylines: a person, the company after them, the title before them.

Recap posts list talks as "Titre – Prénom Nom (Société)", "Prénom Nom, de Société", "Prénom
Nom – Société" or "Prénom Nom Société", and introduce people with their job ("Claire Dumas VP
ventes", "Paul Girard, CEO de Brindle"). The small model glues the person and the company into
one PER, calls the company a person or a place, and takes the talk title for an organisation.
The functions here work on the refiner's candidates (token ranges of a ``Doc``), like
``persons.py``.
"""

from __future__ import annotations

import re
from itertools import pairwise

from spacy.tokens import Doc

from recap_nlp.entities.labels import Lexicon, is_first_name
from recap_nlp.entities.spans import (
    Candidate,
    is_acronym,
    is_capitalised,
    is_glued_hyphen,
    token_texts,
)
from recap_nlp.french import word_set

_DASHES = frozenset({"-", "–", "—", "|"})
_PARTICLES = word_set("name_particles")
_LINKS = frozenset({"de", "d'", "chez", "@"})
_BYLINE_WORDS = frozenset({"par", "avec", "by", "and", "et"})
_SITE = re.compile(r"^[a-z0-9][\w-]*\.(?:fr|com|org|net|io|ca|be|ch|eu|info|co|tv)$", re.I)


def is_spaced_dash(doc: Doc, i: int) -> bool:
    """A dash with spaces around it, which separates parts of a line: "Titre – Nom"."""
    tok = doc[i]
    if tok.text not in _DASHES or i == 0:
        return False
    return bool(doc[i - 1].whitespace_) and bool(tok.whitespace_)


def dash_parts(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """A model span cut at its spaced dashes: "front – Sophie" -> "front", "Sophie"."""
    parts, k = [], start
    for j in range(start, end):
        if is_spaced_dash(doc, j):
            parts.append((k, j))
            k = j + 1
    parts.append((k, end))
    return [(a, b) for a, b in parts if b > a]


def without_job_words(doc: Doc, start: int, end: int, lex: Lexicon) -> int:
    """The end of a person's name before glued job or lowercase words: "Claire Dumas | VP"."""
    jobs = lex.cues.job_words
    while end - start > 1 and (doc[end - 1].text in jobs or _trailing_word(doc, end - 1)):
        end -= 1
    return end


def _trailing_word(doc: Doc, j: int) -> bool:
    tok = doc[j]
    return tok.is_alpha and tok.is_lower and tok.lower_ not in _PARTICLES


def split_affiliations(doc: Doc, accepted: list[Candidate], lex: Lexicon) -> list[Candidate]:
    """Split "Prénom Nom Société" into a person and an organisation.

    The tail after the surname is an organisation when the post names it as one elsewhere,
    when it is written like a company (an acronym, capitals inside a word, a digit), or when it
    is one word that is not a first name in a byline (after "par", a dash, at a line start).

    Example: "par Hugo Sarrazin Datadog" -> PER "Hugo Sarrazin", ORG "Datadog".
    """
    orgs = {doc[c.start : c.end].text for c in accepted if c.label == "ORG"}
    result = []
    for c in accepted:
        cut = _person_end(doc, c, lex) if c.label == "PER" else c.end
        tail = doc[cut : c.end].text
        byline = _in_byline(doc, c.start) and " " not in tail and not is_first_name(tail, lex)
        if cut < c.end and (tail in orgs or _company_like(tail) or byline):
            result.append(Candidate(c.start, cut, "PER", c.source))
            result.append(Candidate(cut, c.end, "ORG", "cue"))
        else:
            result.append(c)
    return result


def _person_end(doc: Doc, c: Candidate, lex: Lexicon) -> int:
    """Where "first name [particles] surname" ends inside a PER candidate (or its end)."""
    if c.end - c.start < 3 or not is_first_name(doc[c.start].text, lex):
        return c.end
    j = c.start + 1
    while j < c.end and is_glued_hyphen(doc, j):
        j += 2
    if j < c.end and is_first_name(doc[j].text, lex) and not is_acronym(doc[j].text):
        j += 1  # a double first name: "Jean Marc Jones"
    while j < c.end and doc[j].lower_ in _PARTICLES:
        j += 1
    if j >= c.end or not is_capitalised(doc[j]):
        return c.end
    j += 1
    while j < c.end and is_glued_hyphen(doc, j):
        j += 2
    return j


def _in_byline(doc: Doc, i: int) -> bool:
    """A name after "par"/"avec", after a spaced dash, or opening a line: a speaker's byline."""
    if i == 0 or _opens_line(doc, i):
        return True
    before = doc[i - 1]
    return before.lower_ in _BYLINE_WORDS or is_spaced_dash(doc, i - 1) or before.text == "("


def _company_like(text: str) -> bool:
    if not text or " " in text.strip():
        return False
    inner = any(a.islower() and b.isupper() for a, b in pairwise(text))
    return is_acronym(text) or inner or any(ch.isdigit() for ch in text)


def affiliations_after(doc: Doc, accepted: list[Candidate], lex: Lexicon) -> list[Candidate]:
    """The name right after a person and a dash, "de", "chez" or a job word is their employer.

    Example: "Sophie Garnier – Alan", "Marc Lefebvre, de Doctolib", "Paul Girard, CEO de
    Brindle": "Alan", "Doctolib" and "Brindle" are organisations, whatever the model said.
    """
    result = list(accepted)
    for k in range(1, len(result)):
        person, c = result[k - 1], result[k]
        if person.label != "PER" or c.label == "ORG" or c.source == "gazetteer":
            continue
        if lex.places.label(doc[c.start : c.end].text) is not None:
            continue
        if _employer_gap(doc, person.end, c.start, lex) and _company_shaped(doc, c, lex):
            result[k] = Candidate(c.start, c.end, "ORG", "cue")
    return result


def _employer_gap(doc: Doc, end: int, start: int, lex: Lexicon) -> bool:
    """The words between a person and a name announce an employer: "–", ", de", "CEO chez"."""
    gap = [t for t in doc[end:start] if t.text != ","]
    if len(gap) > 4 or any("\n" in t.whitespace_ for t in doc[end - 1 : start]):
        return False
    if len(gap) == 1 and is_spaced_dash(doc, gap[0].i):
        return True
    if not gap or gap[-1].lower_ not in _LINKS:
        return False
    words = gap[:-1]
    return all(t.text in lex.cues.job_words or t.is_lower for t in words) and (
        not words or any(t.text in lex.cues.job_words for t in words) or doc[end].text == ","
    )


def _company_shaped(doc: Doc, c: Candidate, lex: Lexicon) -> bool:
    """One or two capitalised words, not a person led by a first name (a co-speaker)."""
    words = [t for t in doc[c.start : c.end] if not t.is_punct]
    if not words or len(words) > 3 or not is_capitalised(words[0]):
        return False
    return len(words) == 1 or not is_first_name(words[0].text, lex)


def without_talk_titles(doc: Doc, accepted: list[Candidate]) -> list[Candidate]:
    """Drop names that open a line "Titre – Prénom Nom": the talk's title is not an entity.

    Example: "- Concevoir des API robustes – Julie Morel (Qonto)": whatever the model found at
    the start of the title goes; Julie Morel and Qonto stay.
    """
    dropped = set()
    for k, c in enumerate(accepted):
        if c.label == "PER" or not _opens_line(doc, c.start):
            continue
        later = accepted[k + 1 :]
        for j in range(c.end, min(len(doc), c.end + 25)):
            if "\n" in doc[j - 1].whitespace_:
                break
            if is_spaced_dash(doc, j) and any(p.label == "PER" and p.start == j + 1 for p in later):
                dropped.add(k)
                break
    return [c for k, c in enumerate(accepted) if k not in dropped]


def _opens_line(doc: Doc, i: int) -> bool:
    """The first word of a line, past list markers and heading signs."""
    k = i
    while k > 0 and "\n" not in doc[k - 1].whitespace_ and "\n" not in doc[k - 1].text:
        k -= 1
        if not (doc[k].is_punct or doc[k].text in {"#", "##", "###", "*", "•"}):
            return False
    return True


def site_names(doc: Doc, covered: set[int]) -> list[Candidate]:
    """Web sites named by their domain, outside links: "sur lesjoiesducode.fr" is an ORG."""
    found = []
    texts = token_texts(doc)
    for i, text in enumerate(texts):
        if i in covered or not _SITE.match(text) or doc[i].like_email:
            continue
        before = texts[i - 1] if i > 0 else ""
        after = texts[i + 1] if i + 1 < len(doc) else ""
        if before.endswith(("/", "@", ".", ":")) or after.startswith(("/", "@")):
            continue
        found.append(Candidate(i, i + 1, "ORG", "cue"))
    return found
