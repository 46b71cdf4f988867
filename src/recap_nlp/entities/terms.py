"""Names the model calls organisations that are not: technologies, common words, headings, phrases.

Real recap posts (conference write-ups above all) are full of capitalised words that are no
organisation: languages and software ("PHP", "PostgreSQL", "React.js"), design-pattern words
("Adapter", "Design Patterns"), French or English common words capitalised at the head of a
list item or in a title ("Guitare", "Histoire", "They"), headings written in capitals
("DEUXIÈME POSITION"), job titles ("VP Opération Canada", "Directrice") and pieces of
sentences ("Futur of Kotlin Oui je sais"). Each test here is a kind of such a span; the
recogniser keeps them as MISC (not counted as an entity) unless an organisation cue is close.
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Span

from recap_nlp.entities.learned import _french_lexicon, is_french_word
from recap_nlp.entities.lexicon import strip_accents
from recap_nlp.french import fold, word_set
from recap_nlp.model import DEFAULT_MODEL, lemma_tables

_CONNECTORS = word_set("term_connectors")
_FUNCTION_END = word_set("term_function_ends")
_PHRASE_POS = frozenset({"VERB", "AUX", "PRON"})
_CONTENT_POS = frozenset({"NOUN", "ADV"})


def is_technical(text: str, technical_terms: frozenset[str]) -> bool:
    """A language, database, framework, protocol or method: "PHP", "React.js", "NoSQL".

    Example: ``is_technical("Design Patterns", terms)`` is True; "Google" is not listed.
    """
    lowered = " ".join(text.lower().split())
    return lowered in technical_terms or (lowered.endswith(".js") and " " not in lowered)


def is_french_lemma(word: str) -> bool:
    """A common French word, accents optional: "guitare", "deuxieme" (for "DEUXIEME")."""
    return is_french_word(word) or strip_accents(word) in _folded_lemmas()


@cache
def _folded_lemmas() -> frozenset[str]:
    """The lemmas, folded as :func:`strip_accents` does (without its cache: 95,000 words
    would push a run's names out of it)."""
    lemmas, _forms = _french_lexicon()
    return frozenset(fold(w, lower=False, compatibility=True) for w in lemmas)


def is_heading_capitals(span: Span, english_words: frozenset[str] = frozenset()) -> bool:
    """Words of a heading written in capitals: "DEUXIÈME POSITION", "VIDEO" (not "AFUP").

    Every word of the span is in capitals, four letters or more, and a French word once
    lowercased (or a common English word: "INCOMING"); acronyms such as "SNCF" or "UNESCO"
    are not words.
    """
    words = [t for t in span if t.is_alpha]
    if not words or len(words) != len(span):
        return False
    return all(
        t.is_upper and len(t) >= 4 and (t.lower_ in english_words or is_french_lemma(t.lower_))
        for t in words
    )


def is_common_word(span: Span, english_words: frozenset[str]) -> bool:
    """One capitalised common word: "Guitare", "Histoire", "Investir", "They", "December".

    Only words written with a capital and lowercase letters (not "PHP", not "WeForge").
    """
    if len(span) != 1:
        return False
    tok = span[0]
    text = tok.text
    if len(text) < 4 or not text[0].isupper() or not text[1:].islower() or not tok.is_alpha:
        return False
    return tok.lower_ in english_words or is_french_lemma(tok.lower_)


def is_phrase(span: Span) -> bool:
    """A piece of sentence rather than a name: "Futur of Kotlin Oui je sais", "Beyond the".

    A verb or pronoun in lowercase, a last word that is a function word, or two lowercase
    content words ("l'Atelier du futur dans le cadre du ...").
    """
    if len(span) < 2:
        return False
    if span[-1].lower_ in _FUNCTION_END:
        return True
    lower = [t for t in span if t.is_lower and t.lower_ not in _CONNECTORS and not t.is_punct]
    if any(t.pos_ in _PHRASE_POS for t in lower):
        return True
    return sum(t.pos_ in _CONTENT_POS for t in lower) >= 2


def is_adjective(word: str) -> bool:
    """A French adjective by the model's tables, any gender or number: "artificielle"."""
    lemmas = _adjectives()
    forms = {word, word.removesuffix("s"), word.removesuffix("s").removesuffix("e")}
    if word.endswith("elle") or word.endswith("elles"):
        forms.add(word[: word.rindex("elle")] + "el")
    return any(f in lemmas for f in forms)


@cache
def _adjectives() -> frozenset[str]:
    lookups = lemma_tables(DEFAULT_MODEL)
    return frozenset(lookups.get_table("lemma_index").get("adj", ()))


def is_topic(span: Span) -> bool:
    """A capitalised noun and adjective naming a subject: "Intelligence Artificielle".

    "Programmation Asynchrone", "Assemblée générale": a common noun then an adjective (two
    words); names of businesses made of two nouns ("Café Rivière") are left alone.
    """
    if len(span) != 2 or not all(t.is_alpha for t in span):
        return False
    noun, adjective = span[0].lower_, span[1].lower_
    return is_french_lemma(noun) and not is_adjective(noun) and is_adjective(adjective)


_DESCRIPTION_WORDS = frozenset(
    {"sur", "pour", "et", "avec", "entre", "autour", "passive", "passif"}
)
_DEMONSTRATIVES = frozenset({"ce", "cet", "cette", "ces"})


def is_description(span: Span) -> bool:
    """An event word heading a description, not a name: "Exposition sur les usages du vélo".

    The words after the head are all lowercase and one of them starts a description ("sur",
    "pour", "et", "avec"); or the head stands alone at the start of a line ("Conférence :");
    or a demonstrative points back to it ("Ce Forum"). "Fête de la musique" stays a name.
    """
    doc = span.doc
    if span.start > 0 and doc[span.start - 1].lower_ in _DEMONSTRATIVES:
        return True
    if span[0].lower_ in _DEMONSTRATIVES:
        return True
    tail = [t for t in span[1:] if not t.is_punct]
    if not tail:
        return span[0].is_sent_start
    if any(t.is_title or t.is_upper or t.like_num for t in tail):
        return False
    return any(t.lower_ in _DESCRIPTION_WORDS for t in tail)
