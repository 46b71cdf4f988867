"""The project's spaCy components for entities, added after the statistical NER.

Two pipes follow ``ner``:

* ``recap_entity_patterns``: spaCy's ``span_ruler`` loaded with ``data/entity_patterns.jsonl``
  (and a user gazetteer when given); it writes ``doc.spans["recap_rules"]`` and leaves
  ``doc.ents`` alone, so the refiner can weigh its matches against the model's;
* ``recap_entity_refiner``: trims and filters the model's entities, relabels them with cue
  words, gazetteers and context, adds the names the model missed (event and organisation
  heads, acronym definitions, known cities and first names) and writes ``doc.ents`` with the
  project's labels. Each entity's recogniser is kept in ``ent.kb_id_`` and a user gazetteer's
  canonical name in ``ent.id_``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from typing import Any

from spacy.attrs import LOWER, SPACY
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from recap_nlp.entities import lexicon
from recap_nlp.entities.bylines import (
    affiliations_after,
    dash_parts,
    site_names,
    split_affiliations,
    without_job_words,
    without_talk_titles,
)
from recap_nlp.entities.gazetteer import load_user_gazetteer
from recap_nlp.entities.labels import (
    Lexicon,
    context_label,
    first_name_at,
    is_noise,
    model_label,
    not_a_name_kind,
    place_label,
    trim,
)
from recap_nlp.entities.learned import is_french_word
from recap_nlp.entities.lexicon import Places
from recap_nlp.entities.persons import (
    lone_words_as_orgs,
    model_parts,
    name_parts,
    person_references,
)
from recap_nlp.entities.spans import (
    Candidate,
    acronym_definitions,
    head_candidates,
    is_acronym,
    is_capitalised,
    is_glued_hyphen,
    noun_named_candidates,
    portfolio_candidates,
    tail_candidates,
    token_event_candidates,
    token_texts,
    tokens_among,
    word_end,
)
from recap_nlp.entities.terms import _folded_lemmas, is_description
from recap_nlp.french import articles

log = logging.getLogger(__name__)

# articles, alone or merged with a preposition ("du" = "de le")
_ARTICLE_FORMS = articles()
RULES_KEY = "recap_rules"
PATTERNS_PIPE = "recap_entity_patterns"
REFINER_PIPE = "recap_entity_refiner"
_MAX_PLACE_TOKENS = 6


def add_entity_components(nlp: Language, gazetteer: str | None = None) -> None:
    """Add the pattern ruler and the refiner after ``ner``; load a user gazetteer if given.

    Raises:
        GazetteerError: the user gazetteer has a bad line (nothing is added then).
    """
    user_patterns = load_user_gazetteer(gazetteer) if gazetteer else []
    ruler = nlp.add_pipe(
        "span_ruler",
        name=PATTERNS_PIPE,
        after="ner",
        config={"spans_key": RULES_KEY, "annotate_ents": False, "overwrite": True},
    )
    # Phrase patterns match on ORTH, which only the tokenizer sets: without this, spaCy runs
    # every pipe before the ruler on each pattern (100,000 names: 108 s instead of seconds).
    with nlp.select_pipes(disable=nlp.pipe_names):
        add_ruler_patterns(nlp, ruler, [*lexicon.ruler_patterns(), *user_patterns])
    nlp.add_pipe(REFINER_PIPE, after=PATTERNS_PIPE)


def add_ruler_patterns(nlp: Language, ruler: Any, patterns: list[dict[str, Any]]) -> None:
    """``ruler.add_patterns`` with the phrase patterns tokenised apart from the pipeline.

    ``SpanRuler.add_patterns`` tokenises each phrase with the pipeline's vocabulary, which
    computes some twenty lexical attributes for every new word and for every pattern key
    (100,000 names: three quarters of the build). Phrases match on ORTH, a hash of the text
    that needs none of them: they are tokenised by a copy of the tokenizer over a bare
    vocabulary, and the keys' entries (never a token of a text) get no attributes. The
    pipeline's vocabulary keeps its words' attributes, so parses do not change. Token
    patterns, and phrase patterns on another attribute, take spaCy's own way.
    """
    phrases = [p for p in patterns if isinstance(p["pattern"], str)]
    tokenizer = nlp.tokenizer
    if ruler.phrase_matcher_attr not in (None, "ORTH") or type(tokenizer) is not Tokenizer:
        ruler.add_patterns(patterns)
        return
    ruler.add_patterns([p for p in patterns if not isinstance(p["pattern"], str)])
    bare = Tokenizer(
        Vocab(),
        rules=tokenizer.rules,
        prefix_search=tokenizer.prefix_search,
        suffix_search=tokenizer.suffix_search,
        infix_finditer=tokenizer.infix_finditer,
        token_match=tokenizer.token_match,
        url_match=tokenizer.url_match,
        faster_heuristics=tokenizer.faster_heuristics,
    )
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {}  # for the keys' entries only (restored below)
    try:
        for entry, doc in zip(phrases, bare.pipe(p["pattern"] for p in phrases), strict=True):
            label = repr((entry["label"], entry.get("id", "")))
            key = nlp.vocab.strings.as_int(label)
            ruler._match_label_id_map[key] = {"label": entry["label"], "id": entry.get("id", "")}
            ruler._patterns.append(entry)
            ruler.phrase_matcher.add(label, [[token.orth for token in doc]])  # ORTH ids
    finally:
        nlp.vocab.lex_attr_getters = getters


@Language.factory(
    REFINER_PIPE,
    requires=["doc.ents", "token.pos", "token.is_sent_start", "doc.spans"],
    assigns=["doc.ents", "token.ent_type", "token.ent_kb_id", "token.ent_id"],
    default_config={"min_city_population": None},
)
def make_entity_refiner(nlp: Language, name: str, min_city_population: int | None) -> EntityRefiner:
    """Build the refiner; the data files are read here, once."""
    del nlp, name
    return EntityRefiner(min_city_population)


class EntityRefiner:
    """Refines the model's entities into the project's labels (see the module docstring)."""

    def __init__(self, min_city_population: int | None = None) -> None:
        cues = lexicon.cues()
        self.lex = Lexicon(cues, lexicon.places(), lexicon.first_names())
        self.min_population = min_city_population or cues.min_population
        _folded_lemmas()  # read now, once, not in each worker forked from this process

    def __call__(self, doc: Doc) -> Doc:
        candidates = [*self.model_candidates(doc), *self.rule_candidates(doc)]
        accepted = resolve(candidates)
        accepted = with_acronym_repeats(doc, self.with_acronyms(doc, accepted))
        accepted = resolve([*accepted, *self.lookup_candidates(doc, accepted)])
        parts = name_parts(doc, accepted, self.lex)
        accepted = person_references(doc, accepted, parts, self.lex)
        accepted = lone_words_as_orgs(doc, accepted, parts, self.lex)
        accepted = split_affiliations(doc, accepted, self.lex)
        accepted = without_talk_titles(doc, affiliations_after(doc, accepted, self.lex))
        accepted = self.with_named_places(doc, with_enumerations(doc, accepted, self.lex))
        accepted = with_city_named_orgs(doc, accepted, self.lex)
        doc.ents = [
            Span(doc, c.start, c.end, label=c.label, kb_id=c.source, span_id=c.canonical)
            for c in accepted
        ]
        return doc

    def model_candidates(self, doc: Doc) -> Iterable[Candidate]:
        """The model's entities, trimmed, split, filtered and relabelled."""
        titles = self.lex.cues.person_titles
        for ent in doc.ents:
            start, end = trim(doc, ent.start, ent.end, titles)
            end = _before_bracket(doc, start, end)
            end = self._end_before_place(doc, start, end)
            start, end = trim(doc, start, end, titles)
            for piece_start, piece_end in dash_parts(doc, start, end):
                yield from self._model_pieces(doc, piece_start, piece_end, ent.label_)

    def _model_pieces(self, doc: Doc, start: int, end: int, label: str) -> Iterable[Candidate]:
        start, end = trim(doc, start, end, self.lex.cues.person_titles)
        if _job_then_employer(doc, start, end, self.lex):
            start, label = start + 2, "ORG"  # "Directeur d'Arborea": the employer is named
        if label == "PER":
            end = without_job_words(doc, start, end, self.lex)
        if end == start + 1 and doc[start].text in self.lex.first_names:
            end = max(end, first_name_at(doc, start, self.lex))  # "– Sophie | Garnier –"
        if start >= end:
            return
        for part_start, part_end in model_parts(doc, start, end, self.lex):
            found = self._model_candidate(doc, part_start, part_end, label)
            if found is not None:
                yield found

    def _model_candidate(self, doc: Doc, start: int, end: int, label: str) -> Candidate | None:
        start, end = trim(doc, start, end, self.lex.cues.person_titles)
        if (
            start > 0
            and doc[start - 1].is_lower
            and doc[start - 1].lower_ in self.lex.cues.street_words
        ):
            start -= 1  # the street keeps its generic word: "rue Victor-Hugo" is a place
        if start >= end or is_noise(doc[start:end], self.lex):
            return None
        found = model_label(doc, start, end, label, self.lex)
        if found == "PER" and start > 0 and doc[start - 1].text in self.lex.cues.stage_prefixes:
            start -= 1  # a stage name keeps its prefix: "DJ Snake"
        return Candidate(start, end, found, "model") if found is not None else None

    def _end_before_place(self, doc: Doc, start: int, end: int) -> int:
        """Cut "Martin de Québec", "FabLab de Trois-Rivières" before "de" + a known place.

        The place is a name of its own; names that really end with one ("Semaine numérique
        de Québec") come from the cue rules, which win over the model.
        """
        for j in range(start + 1, end - 1):
            if doc[j].lower_ in {"de", "d'"} and self.lex.places.label(doc[j + 1 : end].text):
                return j
            region = doc[j].lower_ in self.lex.cues.region_prepositions
            if region and doc[j].is_lower and self.lex.places.label(doc[j + 1 : end].text):
                return j  # "Mission économique wallonne | au Canada"
        return end

    def rule_candidates(self, doc: Doc) -> Iterable[Candidate]:
        """Pattern matches (``doc.spans``) and cue-word names."""
        for span in doc.spans.get(RULES_KEY, []):
            source = "gazetteer" if span.id_ else "ruler"
            if source == "ruler" and _street_number_at(doc, span.end - 1, self.lex):
                continue  # "Bistrot Lumière 1850, avenue du Port": an address, not an edition
            start = span.start
            while source == "ruler" and start > 1 and is_glued_hyphen(doc, start - 1):
                start -= 2  # the whole compound: "Mix-IT 2015", not "IT 2015"
            yield Candidate(start, span.end, span.label_, source, span.id_)
        cues, places = self.lex.cues, self.lex.places
        yield from (
            c
            for c in head_candidates(doc, cues, places)
            if c.label != "EVENT" or not is_description(doc[c.start : c.end])
        )
        yield from (
            c
            for c in tail_candidates(doc, cues, places)
            if c.label != "EVENT" or not is_description(doc[c.start : c.end])
        )
        yield from token_event_candidates(doc, cues)
        yield from portfolio_candidates(doc, cues.portfolio_heads)
        yield from noun_named_candidates(doc, cues.org_nouns_before, "ORG")
        yield from noun_named_candidates(doc, cues.event_nouns_before, "EVENT")
        yield from site_names(doc, set())
        yield from self._employer_candidates(doc)
        yield from _city_hall_candidates(doc, places)

    def _employer_candidates(self, doc: Doc) -> Iterable[Candidate]:
        """A name after "chez" that is no person's and no place: "chez Zorbex"."""
        for c in noun_named_candidates(doc, _AT_EMPLOYER, "ORG"):
            first = doc[c.start].text
            if first in self.lex.first_names or self.lex.places.label(doc[c.start : c.end].text):
                continue
            if first.split("-")[0] in self.lex.first_names:
                continue
            yield c

    def with_acronyms(self, doc: Doc, accepted: list[Candidate]) -> list[Candidate]:
        """Add "Long Name (ACR)" pairs: both spans, with one label."""
        kept = list(accepted)
        for long_start, long_end, acr in acronym_definitions(doc):
            before = next((c for c in kept if c.end == long_end and c.start <= long_start), None)
            if before is None:
                inside = [c for c in kept if long_start <= c.start and c.end <= long_end]
                if any(c.start < long_end and c.end > long_start for c in kept if c not in inside):
                    continue
                label = self._long_form_label(doc, long_start, long_end, inside)
                kept = [c for c in kept if c not in inside]
                before = Candidate(long_start, long_end, label, "acronym")
                kept.append(before)
            kept = [c for c in kept if not (c.start <= acr < c.end)]
            label = before.label if before.label in {"ORG", "EVENT"} else "ORG"
            kept.append(Candidate(acr, acr + 1, label, "acronym"))
        return sorted(kept, key=lambda c: c.start)

    def _long_form_label(self, doc: Doc, start: int, end: int, inside: list[Candidate]) -> str:
        found = context_label(doc, start, end, self.lex)
        if found is not None:
            return found
        named = [c.label for c in inside if c.label in {"ORG", "EVENT"}]
        return named[0] if named else "ORG"

    def lookup_candidates(self, doc: Doc, accepted: list[Candidate]) -> Iterable[Candidate]:
        """Known places and first names the model missed."""
        covered = {i for c in accepted for i in range(c.start, c.end)}
        texts = token_texts(doc)
        spaces = [" " if space else "" for space in doc.to_array(SPACY).tolist()]
        i = 0
        while i < len(doc):
            if i in covered or not texts[i][:1].isupper():  # is_capitalised(doc[i])
                i += 1
                continue
            found = self._place_at(doc, i, covered, texts, spaces) or self._person_at(
                doc, i, covered
            )
            if found is None:
                i += 1
                continue
            yield found
            i = found.end

    def _place_at(
        self, doc: Doc, i: int, covered: set[int], texts: list[str], spaces: list[str]
    ) -> Candidate | None:
        """The longest known place from ``i``; ``texts`` and ``spaces`` are the tokens' texts
        and trailing spaces, which spell each range's text without making a ``Span``."""
        for end in range(min(len(doc), i + _MAX_PLACE_TOKENS), i, -1):
            if covered & set(range(i, end)):
                continue
            text = "".join(texts[k] + spaces[k] for k in range(i, end - 1)) + texts[end - 1]
            if self.lex.places.label(text) is None:
                continue  # place_label's answer (doc[i:end].text is this text)
            label = place_label(doc, i, end, self.lex)
            if label is not None and self._place_context_ok(doc, i, end, label):
                return Candidate(i, end, label, "lookup")
        return None

    def _place_context_ok(self, doc: Doc, start: int, end: int, label: str) -> bool:
        if label != "CITY":
            return True
        before = doc[start - 1].lower_ if start > 0 else ""
        if before in self.lex.cues.city_prepositions:
            return True
        population = self.lex.places.cities.get(doc[start:end].text, 0)
        return population >= self.min_population and not doc[start].is_sent_start

    def _person_at(self, doc: Doc, i: int, covered: set[int]) -> Candidate | None:
        end = first_name_at(doc, i, self.lex)
        while end > i and covered & set(range(i, end)):
            end -= 1
        return Candidate(i, end, "PER", "lookup") if end > i else None

    def with_named_places(self, doc: Doc, accepted: list[Candidate]) -> list[Candidate]:
        """A place name with an adjective or a noun names an organisation.

        "Québec numérique" (a place then an adjective), "Investissement Québec" (a capitalised
        common noun then a place, as in "Tourisme Montréal").
        """
        starts = {c.start for c in accepted}
        ends = {c.end for c in accepted}
        result = []
        for c in accepted:
            if c.label in {"CITY", "LOC"} and self._adjective_after(doc, c, starts):
                c = Candidate(c.start, c.end + 1, "ORG", "cue")
            elif c.label in {"CITY", "LOC"} and _noun_before(doc, c, ends):
                c = Candidate(c.start - 1, c.end, "ORG", "cue")
            result.append(c)
        return result

    def _adjective_after(self, doc: Doc, c: Candidate, starts: set[int]) -> bool:
        if c.end >= len(doc) or c.end in starts or "\n" in doc[c.end - 1].whitespace_:
            return False
        nxt = doc[c.end]
        before = doc[c.start - 1].lower_ if c.start > 0 else ""
        if before in {"le", "la", "l'", "un", "une", "au", "du"}:
            return False
        if nxt.lower_ in self.lex.cues.place_adjectives or nxt.is_punct:
            return False
        return nxt.pos_ == "ADJ" or (nxt.is_title and nxt.pos_ == "PROPN")


_AT_EMPLOYER = frozenset({"chez"})
# words before "<city> à <city>" that make it a route: "de Nantes à Cordoue", "relier Nancy à Metz"
_ROUTE_WORDS = frozenset({"de", "d'", "depuis", "entre", "relier", "rallier", "joindre"})
_CITY_HALLS = frozenset({"mairie", "préfecture", "municipalité", "sous-préfecture"})


def _city_hall_candidates(doc: Doc, places: Places) -> Iterable[Candidate]:
    """A lowercase "mairie de <city>" is the city's administration: "la mairie de Lyon"."""
    for k in tokens_among(doc, _CITY_HALLS, LOWER):
        tok = doc[k]
        if not tok.is_lower or tok.lower_ not in _CITY_HALLS or tok.i + 2 >= len(doc):
            continue
        if doc[tok.i + 1].lower_ not in {"de", "d'"}:
            continue
        end = word_end(doc, tok.i + 2)
        if doc[tok.i + 2 : end].text in places.cities:
            yield Candidate(tok.i, end, "ORG", "cue")


def with_city_named_orgs(doc: Doc, accepted: list[Candidate], lex: Lexicon) -> list[Candidate]:
    """A "<city> à <Word>" names a local association: "Tours à Vélo", "Nancy à Pied".

    The city must be a known one and the word capitalised and no place ("Web à Québec" is the
    other way round: a name, then its city).
    """
    result = list(accepted)
    for c in accepted:
        k = c.end
        if c.label != "CITY" or k + 1 >= len(doc) or doc[k].lower_ != "à":
            continue
        if "\n" in doc[k - 1].whitespace_ or "\n" in doc[k].whitespace_:
            continue
        end = word_end(doc, k + 1)
        word = doc[k + 1 : end].text
        if not is_capitalised(doc[k + 1]) or lex.places.label(word) or is_acronym(word):
            continue
        if any(o.start < end and o.end > k + 1 and o.label not in {"MISC", "CITY"} for o in result):
            continue  # the word is a name of its own (a city only by its "à", or unknown)
        if c.start > 0 and doc[c.start - 1].lower_ in _ROUTE_WORDS:
            continue
        result = [o for o in result if o is not c and not (o.start < end and o.end > k)]
        result.append(Candidate(c.start, end, "ORG", "cue"))
    return sorted(result, key=lambda c: c.start)


def _noun_before(doc: Doc, c: Candidate, ends: set[int]) -> bool:
    """A capitalised common noun, alone, right before the place: "avec Investissement Québec".

    Such names take no article; with one, the noun describes a relation between places ("la
    Coopération France – Québec").
    """
    if c.start < 2 or c.start in ends:
        return False
    noun, before = doc[c.start - 1], doc[c.start - 2]
    if noun.is_sent_start or not is_capitalised(noun) or noun.pos_ != "NOUN":
        return False
    return noun.whitespace_ == " " and before.is_lower and before.lower_ not in _ARTICLE_FORMS


def _street_number_at(doc: Doc, i: int, lex: Lexicon) -> bool:
    """A number followed by a street word (maybe after a comma): "2035, rue ...", "12 avenue"."""
    if not doc[i].like_num:
        return False
    j = i + 2 if i + 1 < len(doc) and doc[i + 1].text == "," else i + 1
    return j < len(doc) and doc[j].lower_.rstrip(".") in lex.cues.street_words


def _job_then_employer(doc: Doc, start: int, end: int, lex: Lexicon) -> bool:
    """A model span "job word + de + Name": "Directeur d'Arborea", "CEO de Brindle"."""
    if end - start < 3 or doc[start + 1].lower_ not in {"de", "d'", "du", "chez"}:
        return False
    jobs = lex.cues.job_words
    job = doc[start].text in jobs or doc[start].lower_ in jobs
    return job and is_capitalised(doc[start + 2])


def _before_bracket(doc: Doc, start: int, end: int) -> int:
    """Stop a span at an opening bracket: "Web à Québec (WAQ)" holds two names."""
    for j in range(start + 1, end):
        if doc[j].text in {"(", "["}:
            return j
    return end


def with_acronym_repeats(doc: Doc, accepted: list[Candidate]) -> list[Candidate]:
    """Every other use of an acronym defined in brackets takes its label: "à la CCI".

    Example: after "l'Agence wallonne à l'exportation (AWEX)", "de l'AWEX" is an ORG even where
    the model saw nothing.
    """
    defined = {
        doc[c.start].text: c.label
        for c in accepted
        if c.source == "acronym" and c.end == c.start + 1 and c.label in {"ORG", "EVENT"}
    }
    if not defined:
        return accepted
    by_start = {c.start: c for c in accepted}
    covered = {i for c in accepted for i in range(c.start, c.end)}
    kept = list(accepted)
    for tok in doc:
        label = defined.get(tok.text)
        if label is None:
            continue
        old = by_start.get(tok.i)
        if old is not None and old.end == tok.i + 1 and old.source != "acronym":
            kept.remove(old)
        elif tok.i in covered:
            continue
        kept.append(Candidate(tok.i, tok.i + 1, label, "acronym"))
    return sorted(kept, key=lambda c: c.start)


def resolve(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep non-overlapping candidates, stronger sources and longer spans first."""
    taken: set[int] = set()
    kept = []
    for c in sorted(
        set(candidates), key=lambda c: (c.priority, c.start, c.label, c.source, c.canonical)
    ):
        span = set(range(c.start, c.end))
        if c.end > c.start and not span & taken:
            kept.append(c)
            taken |= span
    return sorted(kept, key=lambda c: c.start)


def with_enumerations(doc: Doc, accepted: list[Candidate], lex: Lexicon) -> list[Candidate]:
    """Names in a list of people or cities take the list's label.

    Example: "bonjour Magalie, Medhi, Valentin" makes "Medhi" a person; "(Saint-Camille,
    Rouyn-Noranda et Rivière-du-Loup)" makes "Saint-Camille" a city; in "(Zorbex, Quintal, Arvo
    Club)" with two firms, the unknown "Quintal" is one too.
    """
    result = list(accepted)
    for run in _runs(doc, result):
        labels = Counter(result[k].label for k in run)
        label, count = labels.most_common(1)[0]
        needed = 1 if label == "ORG" else 2  # "Essel et Silor": one firm makes a list of firms
        if label not in {"PER", "CITY", "ORG"} or count < needed or 2 * count < len(run):
            continue
        for k in run:
            c = result[k]
            if label == "ORG" and not _unknown_name_in_org_list(doc, c, lex):
                continue
            if _relabelled_in_list(doc, c, label, lex):
                result[k] = Candidate(c.start, c.end, label, c.source)
    return result


def _unknown_name_in_org_list(doc: Doc, c: Candidate, lex: Lexicon) -> bool:
    """A model LOC/MISC in a list of organisations that is no place, common word or technology."""
    span = doc[c.start : c.end]
    if c.source != "model" or c.label not in {"LOC", "MISC"} or span[0].is_sent_start:
        return False
    if is_french_word(span.text.lower()) or not is_capitalised(span[0]):
        return False
    return not_a_name_kind(span, lex) is None


def _relabelled_in_list(doc: Doc, c: Candidate, label: str, lex: Lexicon) -> bool:
    """A doubtful label in a list: a place-less LOC/MISC, or a one-word ORG only the model saw."""
    if lex.places.label(doc[c.start : c.end].text) is not None:
        return False
    if c.label in {"LOC", "MISC"}:
        return True
    return c.label == "ORG" and c.source == "model" and label == "PER" and c.end == c.start + 1


def _runs(doc: Doc, spans: list[Candidate]) -> Iterable[list[int]]:
    """Index runs of spans separated only by a comma or "et"."""
    run: list[int] = []
    for k, c in enumerate(spans):
        if run and not _listed(doc, spans[run[-1]], c):
            if len(run) > 1:
                yield run
            run = []
        run.append(k)
    if len(run) > 1:
        yield run


def _listed(doc: Doc, left: Candidate, right: Candidate) -> bool:
    """Only a comma or "et" between two names."""
    between = doc[left.end : right.start]
    return len(between) == 1 and between[0].text in {",", "et"}
