"""Candidate entity spans found by cues: name heads and tails, acronym definitions, gazetteers.

Each finder reads a spaCy ``Doc`` and returns :class:`Candidate` token ranges; the refiner
component (``components.py``) resolves overlaps and writes ``doc.ents``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.attrs import LOWER, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from recap_nlp.entities.lexicon import Cues, Places, strip_accents
from recap_nlp.french import definite_articles, months, word_set

#: Lower numbers win overlaps: a user's gazetteer, then cue rules, then the model, then lookups.
PRIORITY = {"gazetteer": 0, "cue": 1, "ruler": 1, "acronym": 2, "model": 3, "lookup": 4}

_CONNECTORS = word_set("name_connectors")
_ARTICLES = definite_articles()
_MONTHS = " ".join(months())
_PERIODS = "printemps automne hiver an année mois semaine jour soir matin"
_TIME_WORDS = frozenset(f"{_MONTHS} {_PERIODS}".split())
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&]*[A-Z0-9]$")
_MAX_NAME_TOKENS = 13
#: The hyphens ``is_glued_hyphen`` accepts.
HYPHENS = frozenset({"-", "‐", "‑"})
_HYPHENS = HYPHENS
# words an acronym skips: "CCI" for "Chambre de commerce et d'industrie"
_FUNCTION_WORDS = word_set("acronym_skipped_words")
# a small number closing a university name: "Université Lyon 1", "Paris 8"
_CAMPUS_NUMBER = re.compile(r"^\d{1,2}$")


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


def token_texts(doc: Doc) -> list[str]:
    """Every token's text, in order: ``[t.text for t in doc]`` without a ``Token`` per token.

    A pass over a whole post that reads only the texts costs a third of iterating the ``Doc``.

    Example: for "Salon de Lyon", ``["Salon", "de", "Lyon"]``.
    """
    strings = doc.vocab.strings
    return [strings[key] for key in doc.to_array(ORTH).tolist()]


def tokens_among(doc: Doc, words: frozenset[str], attr: int = ORTH) -> list[int]:
    """The indices, in order, of the tokens whose text (``ORTH``) or lowercase form
    (``LOWER``) is one of ``words``: the few tokens a finder looks at, found without
    iterating the ``Doc``.

    Example: in "la Mairie et la mairie", ``tokens_among(doc, frozenset({"mairie"}), LOWER)``
    is ``[1, 4]`` and with ``ORTH`` it is ``[4]``.
    """
    if not words:
        return []
    found = np.isin(doc.to_array(attr), _string_ids(words))
    return np.flatnonzero(found).tolist()


@lru_cache(maxsize=64)
def _string_ids(words: frozenset[str]) -> np.ndarray:
    """The ids spaCy gives ``words`` (hashes, or its symbols): the same in every vocabulary."""
    return np.fromiter((get_string_id(w) for w in words), dtype=np.uint64, count=len(words))


def is_capitalised(token: Token) -> bool:
    """A word starting with a capital letter or a digit-bearing name ("Web2Day", "TELUQ")."""
    return token.text[:1].isupper()


def is_glued_hyphen(doc: Doc, j: int) -> bool:
    """A hyphen token inside a compound name, spaces on neither side: "Sept-Îles", "Hydro-Québec".

    The French tokenizer splits such names in three tokens; the rules read them as one word.
    """
    if not 0 < j < len(doc) - 1 or doc[j].text not in _HYPHENS:
        return False
    return not doc[j - 1].whitespace_ and not doc[j].whitespace_ and doc[j + 1].text[:1].isalnum()


def word_end(doc: Doc, i: int) -> int:
    """The end of the word starting at ``i``, across glued hyphens: "Rivière-du-Loup" is one."""
    j = i + 1
    while j < len(doc) - 1 and is_glued_hyphen(doc, j):
        j += 2
    return j


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


def extend_name(doc: Doc, start: int, end: int, label: str = "ORG") -> int:
    """The end of a French name grown rightwards from the head ``doc[start:end]``.

    Example:
        "l'École d'ingénieur en informatique et environnement (ESAIP)" grows from "École" to
        "École d'ingénieur en informatique et environnement"; "la Chambre de commerce et
        d'industrie de Lyon (CCI)" from "Chambre" to "Chambre de commerce et d'industrie de Lyon".
    """
    j = end
    capitalised = False  # after a capitalised word, only capitalised words may follow a connector
    while j < len(doc) and j - start < _MAX_NAME_TOKENS:
        tok = doc[j]
        if "\n" in doc[j - 1].whitespace_:
            break
        if is_glued_hyphen(doc, j):
            j += 2
            capitalised = capitalised or is_capitalised(doc[j - 1])
            continue
        if capitalised and _ampersand_joins(doc, j):
            j += 2  # "Arts & Métiers", "Procter & Gamble"
            continue
        if (
            _is_modifier(tok)
            and not (capitalised and _is_verbal(tok) and not _ends_phrase(doc, j))
            and not _heads_clause(doc, j)
        ):
            capitalised = capitalised or is_capitalised(tok)
            j += 1
            continue
        step = _connector_step(doc, j, capitalised)
        if not step:
            break
        if capitalised and not is_capitalised(doc[j + step - 1]) and not _topic(doc, j, label):
            break
        if capitalised and any(_is_connected_name(doc, k) for k in range(start + 1, j)):
            break  # one "de X" after a capitalised name: "Fonds X de Coopération | de la …"
        j += step
        capitalised = capitalised or is_capitalised(doc[j - 1])
    return j


def _ampersand_joins(doc: Doc, j: int) -> bool:
    """An "&" inside a name, a capitalised word after it: "Arts & Métiers"."""
    if j + 1 >= len(doc) or doc[j].text != "&" or "\n" in doc[j].whitespace_:
        return False
    return is_capitalised(doc[j + 1]) and "\n" not in doc[j - 1].whitespace_


def _ends_phrase(doc: Doc, j: int) -> bool:
    """A participle closing its phrase (a comma, a bracket, a line end next) is an adjective:
    "Laboratoire de Chimie appliquée, le 3 mai"."""
    if "\n" in doc[j].whitespace_ or j + 1 == len(doc):
        return True
    return doc[j + 1].text in {",", ")", ";", ".", ":"}


# words after a participle that make it a verb with its complements, not a name's adjective
_CLAUSE_STARTS = word_set("clause_starts")
_DE_FORMS = word_set("de_forms")


def _heads_clause(doc: Doc, j: int) -> bool:
    """A lowercase participle opening a clause: "le Salon régional | organisé par la ville"."""
    tok = doc[j]
    if not tok.is_lower or "Part" not in tok.morph.get("VerbForm"):
        return False
    return j + 1 < len(doc) and doc[j + 1].lower_ in _CLAUSE_STARTS


def _is_verbal(token: Token) -> bool:
    """A verb or participle, which ends a name after its place: "Métropole de Lyon | chargée"."""
    return token.is_lower and (
        token.pos_ in {"VERB", "AUX"} or "Part" in token.morph.get("VerbForm")
    )


def _topic(doc: Doc, j: int, label: str) -> bool:
    """An event's topic after a capitalised name: "Sommet Wallonie-Québec sur l'hydrogène"."""
    return label == "EVENT" and doc[j].lower_ == "sur"


def _is_connected_name(doc: Doc, k: int) -> bool:
    """A connector already followed by a capitalised word inside the name."""
    if doc[k].lower_ not in _CONNECTORS:
        return False
    nxt = doc[k + 2] if doc[k + 1].lower_ in _ARTICLES and k + 2 < len(doc) else doc[k + 1]
    return is_capitalised(nxt)


def _connector_step(doc: Doc, j: int, capitalised: bool = False) -> int:
    """Tokens taken by a connector and the word after it ("de la Coopération"), else 0.

    "et" joins a second lowercase complement before any capitalised word: "Chambre de
    commerce et d'industrie", "Agence de l'environnement et de la maîtrise de l'énergie".
    """
    tok = doc[j]
    if tok.lower_ == "et":
        nxt = doc[j + 1] if j + 1 < len(doc) else None
        if nxt is not None and nxt.is_lower and _is_modifier(nxt):
            return 2
        inner = 0 if capitalised or nxt is None else _connector_step(doc, j + 1)
        if inner and doc[j + inner].is_lower and doc[j + inner].pos_ == "NOUN":
            return 1 + inner
        return 0
    if tok.lower_ not in _CONNECTORS:
        return 0
    k = j + 1
    if k < len(doc) and doc[k].lower_ in _ARTICLES:
        k += 1
    if k < len(doc) and _is_modifier(doc[k]) and doc[k].lower_ not in _TIME_WORDS:
        return word_end(doc, k) - j
    return 0


def _cut_trailing_city(
    doc: Doc, start: int, end: int, head_end: int, cues: Cues, places: Places
) -> int:
    """Drop a final "de X"/"d'X" naming a city when the name is complete without it.

    "Cité de l'objet connecté d'Angers" -> "Cité de l'objet connecté"; "Université de
    Montréal" keeps its city (nothing between the head and "de"), and so does an institution
    type named by its place ("Chambre de commerce de Lyon", see ``place_named_types``).
    """
    for j in range(end - 2, head_end, -1):
        if doc[j + 1 : end].text not in places.cities:
            continue
        if doc[j].lower_ == "à":
            return j  # "Fromagerie Lemaire | à Granby" (``_branch_city`` keeps a network's branch)
        if doc[j].lower_ in {"de", "d'"}:
            return end if _fold_type(doc[start:j].text) in cues.place_named_types else j
    return end


def _end_before_city(doc: Doc, head_end: int, end: int, places: Places) -> int:
    """An event name ends before "à <city>": "Carrefour de l'eau | à Rennes"."""
    for j in range(head_end, end - 1):
        if doc[j].lower_ == "à" and doc[j + 1 : end].text in places.cities:
            return j
    return end


def _branch_city(doc: Doc, end: int, places: Places) -> int:
    """A network named by its territory takes the city of its branch: "Université du Québec |
    à Rimouski", "Délégation Wallonie-Bruxelles | à Québec"."""
    if end + 1 >= len(doc) or doc[end].lower_ != "à" or end < 2:
        return end
    k = end - 1
    while k > 1 and is_glued_hyphen(doc, k - 1):
        k -= 2
    parts = doc[k:end].text.split("-")
    territory = all(places.label(p) for p in parts) and any(p in places.regions for p in parts)
    after = word_end(doc, end + 1)
    return after if territory and doc[end + 1 : after].text in places.cities else end


def _fold_type(text: str) -> str:
    return strip_accents(text.lower().replace("’", "'"))


def _with_campus_number(doc: Doc, end: int) -> int:
    """Keep the number of a numbered university: "Université Claude Bernard Lyon 1"."""
    if end < len(doc) and _CAMPUS_NUMBER.match(doc[end].text) and is_capitalised(doc[end - 1]):
        return end + 1 if "\n" not in doc[end - 1].whitespace_ else end
    return end


def _org_suffix_head(token: Token, cues: Cues) -> bool:
    """A trade noun heading a business name: "Aluminerie Alouette", "Brasserie Dunham"."""
    text = token.text
    return len(text) > 5 and text[0].isupper() and text.lower().endswith(cues.org_head_suffixes)


def head_candidates(doc: Doc, cues: Cues, places: Places) -> Iterator[Candidate]:
    """Names starting with an event or organisation head word: "Semaine numérique de Québec"."""
    texts = token_texts(doc)
    starts = _head_starts(cues.event_heads, cues.org_heads)
    i = 0
    while i < len(doc):
        text = texts[i]
        # Cheap test first: most tokens start no head word and are not a trade noun.
        maybe = text in starts or (len(text) > 5 and text[0].isupper())
        found = _head_at(doc, i, cues) if maybe else None
        if found is None:
            i += 1
            continue
        label, size = found
        end = extend_name(doc, i, i + size, label)
        if label == "ORG":
            end = _cut_trailing_city(doc, i, end, i + size, cues, places)
            end = _branch_city(doc, end, places)
        else:
            end = _with_edition_year(doc, _end_before_city(doc, i + size, end, places))
        while end > i + size and doc[end - 1].lower_ in _CONNECTORS | _ARTICLES:
            end -= 1
        if label == "ORG":
            end = _with_campus_number(doc, end)
        if end > i + size or not (doc[i].is_sent_start or _title_follows(doc, end)):
            yield Candidate(i, end, label, "cue")
        i = end


_EDITION_WORDS = frozenset({"edition", "édition"})
_YEAR_TOKEN = re.compile(r"^(?:19|20)\d\d$")


def _with_edition_year(doc: Doc, end: int) -> int:
    """An event named as an edition keeps its year: "Hackathon Printemps Edition 2022"."""
    if end >= len(doc) or doc[end - 1].lower_ not in _EDITION_WORDS:
        return end
    if "\n" in doc[end - 1].whitespace_ or not _YEAR_TOKEN.match(doc[end].text):
        return end
    return end + 1


def _title_follows(doc: Doc, end: int) -> bool:
    """A quoted title or a colon right after a lone head word: "Conférence « Bien manger »"
    names a talk, not an event called "Conférence"."""
    return end < len(doc) and doc[end].text in {"«", '"', "“", ":"}


@lru_cache(maxsize=4)
def _head_starts(*head_sets: frozenset[str]) -> frozenset[str]:
    """Every head word and every first word (before a space) of a two-word head."""
    starts = set()
    for heads in head_sets:
        for head in heads:
            starts.add(head)
            starts.update(head[:k] for k, char in enumerate(head) if char == " ")
    return frozenset(starts)


def _head_at(doc: Doc, i: int, cues: Cues) -> tuple[str, int] | None:
    """The label and token length of a head word starting at ``i``, or None."""
    for label, heads in (("EVENT", cues.event_heads), ("ORG", cues.org_heads)):
        size = _head_length(doc, i, heads)
        if size:
            return label, size
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    if nxt is not None and is_capitalised(nxt) and _org_suffix_head(doc[i], cues):
        return "ORG", 1
    return None


def tail_candidates(doc: Doc, cues: Cues, places: Places | None = None) -> Iterator[Candidate]:
    """Capitalised names ending with an event or organisation word: "Connected Week".

    A place right after the tail word names the edition and stays in the name: "Franchise Expo
    Paris", "Startup Weekend Québec" (with a preposition it does not: "Connected Week d'Angers").
    """
    tails = {*tokens_among(doc, cues.event_tails), *tokens_among(doc, cues.org_tails)}
    for i in sorted(tails):  # the only tokens with a tail label
        tok = doc[i]
        label = _tail_label(tok, cues)
        if label is None or tok.i == 0 or not is_capitalised(doc[tok.i - 1]):
            continue
        start = tok.i - 1
        while start > 0 and is_capitalised(doc[start - 1]) and not doc[start].is_sent_start:
            start -= 1
        if doc[start].is_sent_start and doc[start].lower_ in _ARTICLES:
            start += 1
        yield Candidate(start, _place_after(doc, tok.i + 1, places), label, "cue")


def _place_after(doc: Doc, end: int, places: Places | None) -> int:
    """``end`` moved past a known place written right after it, on the same line."""
    if places is None or end >= len(doc) or "\n" in doc[end - 1].whitespace_:
        return end
    after = word_end(doc, end)
    return after if places.label(doc[end:after].text) else end


def noun_named_candidates(doc: Doc, nouns: frozenset[str], label: str) -> Iterator[Candidate]:
    """A capitalised name right after a type noun: "le cabinet Lavery", "le salon Cycl'eau".

    A short quoted name counts in any case: "l'évènement « fête du roller »".

    One lowercase adjective may come between ("la jeune pousse liégeoise Hydrogenics") and one
    may end the name ("l'organisme Québec numérique").
    """
    for k in tokens_among(doc, nouns, LOWER):
        tok = doc[k]
        if not tok.is_lower or tok.lower_ not in nouns or "\n" in tok.whitespace_:
            continue
        i = tok.i + 1
        quoted = _quoted_end(doc, i)
        if quoted:
            yield Candidate(i + 1, quoted, label, "cue")  # "l'évènement « fête du roller »"
            continue
        if _is_adjective(doc, i):
            i += 1
        end = _capitalised_run(doc, i)
        if end > i and _is_adjective(doc, end) and "\n" not in doc[end - 1].whitespace_:
            end += 1
        if end > i:
            yield Candidate(i, end, label, "cue")


_OPENING_QUOTES = {"«": "»", '"': '"', "“": "”"}
_MAX_QUOTED = 6


def _quoted_end(doc: Doc, i: int) -> int:
    """The end of a short quoted name opening at ``i`` ("« fête du roller »"), else 0.

    The name is one to six words on one line, without a verb's punctuation inside.
    """
    if i >= len(doc) or doc[i].text not in _OPENING_QUOTES:
        return 0
    closing = _OPENING_QUOTES[doc[i].text]
    for j in range(i + 2, min(len(doc), i + _MAX_QUOTED + 2)):
        if "\n" in doc[j - 1].whitespace_ or doc[j - 1].text in {".", "!", "?", ";"}:
            return 0
        if doc[j].text == closing:
            return j
    return 0


def portfolio_candidates(doc: Doc, heads: frozenset[str]) -> Iterator[Candidate]:
    """Ministries named by their portfolios: "ministère de l'Économie et de l'Innovation du Québec".

    After the head come complements "de/du/des [article] Capitalised [adjectives]", joined by
    a comma or "et", or directly ("... de l'Innovation du Québec").
    """
    for k in tokens_among(doc, heads):
        tok = doc[k]
        end = _complement_end(doc, tok.i + 1)
        while end > tok.i + 1:
            k = end + 1 if end < len(doc) and doc[end].text in {",", "et"} else end
            nxt = _complement_end(doc, k)  # the next portfolio, or the government's territory
            if nxt == k:
                break
            end = nxt
        if end > tok.i + 1:
            yield Candidate(tok.i, end, "ORG", "cue")


def _complement_end(doc: Doc, j: int) -> int:
    """The end of one "de l'Économie"-like complement starting at ``j``, or ``j``."""
    if j >= len(doc) or doc[j].lower_ not in _DE_FORMS:
        return j
    k = j + 1
    if k < len(doc) and doc[k].lower_ in _ARTICLES:
        k += 1
    if k >= len(doc) or not is_capitalised(doc[k]) or "\n" in doc[k - 1].whitespace_:
        return j
    k = word_end(doc, k)
    while k < len(doc) and _is_adjective(doc, k) and "\n" not in doc[k - 1].whitespace_:
        k += 1
    return k


def _is_adjective(doc: Doc, i: int) -> bool:
    return i < len(doc) and doc[i].is_lower and doc[i].pos_ == "ADJ"


def _capitalised_run(doc: Doc, i: int) -> int:
    """The end of the capitalised words from ``i`` (glued hyphens and elisions included)."""
    j = i
    while j < len(doc) and is_capitalised(doc[j]) and not doc[j].is_sent_start:
        j = word_end(doc, j)
        while j < len(doc) and not doc[j - 1].whitespace_ and doc[j - 1].text.endswith("'"):
            j += 1  # "Cycl'eau" is tokenised "Cycl'" + "eau"
        if "\n" in doc[j - 1].whitespace_:
            break
    return j


def _tail_label(token: Token, cues: Cues) -> str | None:
    if token.text in cues.event_tails:
        return "EVENT"
    return "ORG" if token.text in cues.org_tails else None


def token_event_candidates(doc: Doc, cues: Cues) -> Iterator[Candidate]:
    """One-word names ending like an event: "BarCamp", "DevFest"."""
    for i, text in enumerate(token_texts(doc)):
        if len(text) > 4 and text[0].isupper() and text.endswith(cues.event_token_suffixes):
            stem = text[: -max(len(s) for s in cues.event_token_suffixes if text.endswith(s))]
            if stem and stem[-1].isalnum():
                yield Candidate(i, i + 1, "EVENT", "cue")


def acronym_definitions(doc: Doc) -> Iterator[tuple[int, int, int]]:
    """``(long_start, long_end, acronym_index)`` for each "Long Name (ACR)" in ``doc``.

    The long form is found by the Schwartz-Hearst rule: the acronym's letters appear in order
    in the words before the bracket, the first one starting a word.

    Example:
        "au Web à Québec (WAQ)" -> the long form "Web à Québec" and the acronym "WAQ".
    """
    texts = token_texts(doc)
    for i in range(1, len(doc) - 2):
        if texts[i] != "(" or texts[i + 2] != ")" or not is_acronym(texts[i + 1]):
            continue
        tok = doc[i]
        acronym = texts[i + 1]
        limit = min(len(acronym) + 5, 2 * len(acronym) + 1)
        window = max(tok.sent.start, _window_start(doc, tok.i, limit))
        start = long_form_start(doc, window, tok.i, acronym)
        if start is not None:
            yield start, tok.i, tok.i + 1


def _window_start(doc: Doc, end: int, limit: int) -> int:
    """The first token of the ``limit`` content words before ``end`` (function words are free)."""
    count, k = 0, end
    while k > 0 and count < limit:
        k -= 1
        if doc[k].lower_.rstrip("'") not in _FUNCTION_WORDS:
            count += 1
    return k


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
    words = [w for w in re.findall(r"[a-z0-9]+", long) if w not in _FUNCTION_WORDS]
    return len(words) <= len(short) + 3
