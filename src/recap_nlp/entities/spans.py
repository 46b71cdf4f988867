"""Candidate entity spans found by cues: name heads and tails, acronym definitions, gazetteers.

Each finder reads a spaCy ``Doc`` and returns :class:`Candidate` token ranges; the refiner
component (``components.py``) resolves overlaps and writes ``doc.ents``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from recap_nlp.entities.lexicon import Cues, Places

#: Lower numbers win overlaps: a user's gazetteer, then cue rules, then the model, then lookups.
PRIORITY = {"gazetteer": 0, "cue": 1, "ruler": 1, "acronym": 2, "model": 3, "lookup": 4}

_CONNECTORS = frozenset({"de", "du", "des", "d'", "pour", "en", "sur", "à", "aux", "au"})
_ARTICLES = frozenset({"la", "l'", "le", "les"})
_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
_PERIODS = "printemps automne hiver an année mois semaine jour soir matin"
_TIME_WORDS = frozenset(f"{_MONTHS} {_PERIODS}".split())
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&]*[A-Z0-9]$")
_MAX_NAME_TOKENS = 9


@dataclass(frozen=True)
class Candidate:
    """A token range ``[start, end)`` with a label and the recogniser that proposed it.

    ``canonical`` is set only by a user gazetteer pattern with an ``"id"``.
    """

    start: int
    end: int
    label: str
    source: str
    canonical: str = ""

    @property
    def priority(self) -> tuple[int, int]:
        """Sort key: stronger source first, then longer span."""
        return (PRIORITY.get(self.source, 5), self.start - self.end)


def is_capitalised(token: Token) -> bool:
    """A word starting with a capital letter or a digit-bearing name ("Web2Day", "TELUQ")."""
    return token.text[:1].isupper()


def is_acronym(text: str) -> bool:
    """``"WAQ"``, ``"LOJIQ"``, ``"R&D"``: two or more capitals, no lowercase run of 3+."""
    caps = sum(c.isupper() for c in text)
    return 2 <= len(text) <= 10 and caps >= 2 and bool(_ACRONYM.match(text))


def _is_modifier(token: Token) -> bool:
    """A word that can follow a name head: "numérique", "TELUQ", "jeunesse", "Franco-Québécois"."""
    if token.is_punct or token.is_space or "\n" in token.whitespace_:
        return False
    if is_capitalised(token):
        return True
    if not token.is_lower or token.lower_ in _TIME_WORDS:
        return False
    return token.pos_ in {"ADJ", "NOUN"} or "Part" in token.morph.get("VerbForm")


def _head_length(doc: Doc, i: int, heads: frozenset[str]) -> int:
    """How many tokens of a (one- or two-word) head start at ``i``: "Village by" -> 2."""
    if i + 1 < len(doc) and f"{doc[i].text} {doc[i + 1].text}" in heads:
        return 2
    return 1 if doc[i].text in heads else 0


def extend_name(doc: Doc, start: int, end: int) -> int:
    """The end of a French name grown rightwards from the head ``doc[start:end]``.

    Example:
        "l'École d'ingénieur en informatique et environnement (ESAIP)" grows from "École" to
        "École d'ingénieur en informatique et environnement".
    """
    j = end
    capitalised = False  # after a capitalised word, only capitalised words may follow a connector
    while j < len(doc) and j - start < _MAX_NAME_TOKENS:
        tok = doc[j]
        if "\n" in doc[j - 1].whitespace_:
            break
        if _is_modifier(tok):
            capitalised = capitalised or is_capitalised(tok)
            j += 1
            continue
        step = _connector_step(doc, j)
        if not step or (capitalised and not is_capitalised(doc[j + step - 1])):
            break
        if capitalised and any(_is_connected_name(doc, k) for k in range(start + 1, j)):
            break  # one "de X" after a capitalised name: "Fonds X de Coopération | de la …"
        j += step
        capitalised = capitalised or is_capitalised(doc[j - 1])
    return j


def _is_connected_name(doc: Doc, k: int) -> bool:
    """A connector already followed by a capitalised word inside the name."""
    if doc[k].lower_ not in _CONNECTORS:
        return False
    nxt = doc[k + 2] if doc[k + 1].lower_ in _ARTICLES and k + 2 < len(doc) else doc[k + 1]
    return is_capitalised(nxt)


def _connector_step(doc: Doc, j: int) -> int:
    """Tokens taken by a connector and the word after it ("de la Coopération"), else 0."""
    tok = doc[j]
    if tok.lower_ == "et":
        nxt = doc[j + 1] if j + 1 < len(doc) else None
        return 2 if nxt is not None and nxt.is_lower and _is_modifier(nxt) else 0
    if tok.lower_ not in _CONNECTORS:
        return 0
    k = j + 1
    if k < len(doc) and doc[k].lower_ in _ARTICLES:
        k += 1
    if k < len(doc) and _is_modifier(doc[k]) and doc[k].lower_ not in _TIME_WORDS:
        return k + 1 - j
    return 0


def _cut_trailing_city(doc: Doc, start: int, end: int, head_end: int, places: Places) -> int:
    """Drop a final "de X"/"d'X" naming a city when the name is complete without it.

    "Cité de l'objet connecté d'Angers" -> "Cité de l'objet connecté"; "Université de
    Montréal" keeps its city (nothing between the head and "de").
    """
    for j in range(end - 2, head_end, -1):
        if doc[j].lower_ in {"de", "d'"} and doc[j + 1 : end].text in places.cities:
            return j
    return end


def head_candidates(doc: Doc, cues: Cues, places: Places) -> Iterator[Candidate]:
    """Names starting with an event or organisation head word: "Semaine numérique de Québec"."""
    i = 0
    while i < len(doc):
        found = None
        for label, heads in (("EVENT", cues.event_heads), ("ORG", cues.org_heads)):
            size = _head_length(doc, i, heads)
            if size:
                found = (label, size)
                break
        if found is None:
            i += 1
            continue
        label, size = found
        end = extend_name(doc, i, i + size)
        if label == "ORG":
            end = _cut_trailing_city(doc, i, end, i + size, places)
        while end > i + size and doc[end - 1].lower_ in _CONNECTORS | _ARTICLES:
            end -= 1
        if end > i + size or not doc[i].is_sent_start:
            yield Candidate(i, end, label, "cue")
        i = end


def tail_candidates(doc: Doc, cues: Cues) -> Iterator[Candidate]:
    """Capitalised names ending with an event or organisation word: "Connected Week"."""
    for tok in doc:
        label = _tail_label(tok, cues)
        if label is None or tok.i == 0 or not is_capitalised(doc[tok.i - 1]):
            continue
        start = tok.i - 1
        while start > 0 and is_capitalised(doc[start - 1]) and not doc[start].is_sent_start:
            start -= 1
        if doc[start].is_sent_start and doc[start].lower_ in _ARTICLES:
            start += 1
        yield Candidate(start, tok.i + 1, label, "cue")


def _tail_label(token: Token, cues: Cues) -> str | None:
    if token.text in cues.event_tails:
        return "EVENT"
    return "ORG" if token.text in cues.org_tails else None


def token_event_candidates(doc: Doc, cues: Cues) -> Iterator[Candidate]:
    """One-word names ending like an event: "BarCamp", "DevFest"."""
    for tok in doc:
        text = tok.text
        if len(text) > 4 and text[0].isupper() and text.endswith(cues.event_token_suffixes):
            stem = text[: -max(len(s) for s in cues.event_token_suffixes if text.endswith(s))]
            if stem and stem[-1].isalnum():
                yield Candidate(tok.i, tok.i + 1, "EVENT", "cue")


def acronym_definitions(doc: Doc) -> Iterator[tuple[int, int, int]]:
    """``(long_start, long_end, acronym_index)`` for each "Long Name (ACR)" in ``doc``.

    The long form is found by the Schwartz-Hearst rule: the acronym's letters appear in order
    in the words before the bracket, the first one starting a word.

    Example:
        "au Web à Québec (WAQ)" -> the long form "Web à Québec" and the acronym "WAQ".
    """
    for tok in doc[1:-2]:
        if tok.text != "(" or doc[tok.i + 2].text != ")" or not is_acronym(doc[tok.i + 1].text):
            continue
        acronym = doc[tok.i + 1].text
        window = max(tok.sent.start, tok.i - min(len(acronym) + 5, 2 * len(acronym) + 1))
        start = long_form_start(doc, window, tok.i, acronym)
        if start is not None:
            yield start, tok.i, tok.i + 1


def long_form_start(doc: Doc, first: int, end: int, acronym: str) -> int | None:
    """The token where the long form of ``acronym`` ending at ``end`` starts, or None."""
    for start in range(end - 1, first - 1, -1):
        if not is_capitalised(doc[start]):
            continue
        if letters_match(acronym, doc[start:end].text):
            return start
    return None


def letters_match(acronym: str, long_form: str) -> bool:
    """Schwartz-Hearst: ``acronym``'s letters in order in ``long_form``, the first one starting it.

    Example:
        ``letters_match("LOJIQ", "Les Offices jeunesse internationaux du Québec")`` is True;
        ``letters_match("SAT", "Scènes ouvertes")`` is False.
    """
    from recap_nlp.entities.lexicon import strip_accents

    short = [c for c in strip_accents(acronym).lower() if c.isalnum()]
    long = strip_accents(long_form).lower()
    if not short or not long or long[0] != short[0]:
        return False
    pos = 0
    for char in short:
        pos = long.find(char, pos)
        if pos < 0:
            return False
        pos += 1
    words = re.findall(r"[a-z0-9]+", long)
    return len(words) <= len(short) + 3
