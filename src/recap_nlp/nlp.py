"""The one place that loads the French spaCy pipeline and runs it over documents."""

from __future__ import annotations

import hashlib
import itertools
import logging
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple, TypeVar

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, MORPH, ORTH, POS, SENT_START, TAG
from spacy.errors import Errors
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token

from recap_nlp import regex_cache
from recap_nlp.entities.components import add_entity_components
from recap_nlp.model import DEFAULT_MODEL, load_model, share_lemma_tables

# spaCy's French data compiles a 1.45-million-character pattern when it is imported: the
# compiled pattern is put in re's cache first (see recap_nlp.regex_cache).
regex_cache.seed()
from spacy.lang.fr.lemmatizer import FrenchLemmatizer  # noqa: E402 - after the seed

log = logging.getLogger(__name__)

# Texts longer than this are parsed in pieces (spaCy's max_length is 1,000,000).
MAX_CHUNK_CHARS = 100_000
# Size of those pieces. spaCy runs a whole batch at once and its memory grows with the
# characters in a batch (about 3 GB per MB of text): 32 pieces of 100,000 characters in one
# batch would need about 15 GB for a 5 MB post.
LONG_TEXT_PIECE_CHARS = 10_000
LONG_TEXT_BATCH = 4  # pieces parsed together: 40,000 characters
T = TypeVar("T")
# Opening quotes and brackets start a sentence's first word, not a list item.
_OPENERS = frozenset("«“‘\"'([{")
# What may end the text before a sentence: final and pausing punctuation, closing quotes.
_SENTENCE_MARKS = frozenset('.!?…:;»”")]')


@Language.component("recap_line_breaks", assigns=["token.is_sent_start"], retokenizes=False)
def line_breaks_start_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break and after a list marker at the start of a line.

    Blog posts put headings, list items and captions on lines of their own without final
    punctuation; left to the model, "Angers\nNotre périple a débuté…" is one sentence.
    The senter (or the parser) keeps boundaries set before it runs.
    """
    line_start = True
    for token in doc[:-1]:
        if "\n" in token.text or token.whitespace_ == "\n":
            doc[token.i + 1].is_sent_start = True
            line_start = True
        elif line_start and not token.is_space:
            if _is_bullet(token.text):
                doc[token.i + 1].is_sent_start = True
            line_start = False
    return doc


def _is_bullet(text: str) -> bool:
    """A list marker ("•", "-", "*", "–", "►"), whose item is read as a sentence of its own.

    Without this, "• Adopter une posture…" starts with a capitalised word in mid-sentence,
    which the entity rules take for a name.
    """
    return len(text) == 1 and text not in _OPENERS and unicodedata.category(text)[0] in "PS"


@Language.component(
    "recap_sentence_marks", requires=["token.is_sent_start"], assigns=["token.is_sent_start"]
)
def sentence_starts_need_a_mark(doc: Doc) -> Doc:
    """Undo a model boundary that no punctuation, symbol or line break announces.

    The senter sometimes cuts before a capitalised name in mid-sentence ("à l'initiative de
    l'association | Réseau Villes Durables."), which hides the name's context from the fact
    rules and makes it look sentence-initial to the entity rules.
    """
    starts = doc.to_array([SENT_START]).ravel().tolist()
    for i in range(1, len(doc)):
        if starts[i] == 1 and not _announced(doc, i):
            doc[i].is_sent_start = False
    return doc


def _announced(doc: Doc, i: int) -> bool:
    previous = doc[i - 1]
    while previous.is_space and previous.i > 0:
        if "\n" in previous.text:
            return True
        previous = doc[previous.i - 1]
    last = previous.text[-1]
    return (
        "\n" in previous.text
        or last in _SENTENCE_MARKS
        or unicodedata.category(last) in {"So", "Sk"}  # emoji close sentences in blog posts
        or _is_bullet(previous.text)
    )


def load_pipeline(model: str = DEFAULT_MODEL, gazetteer: str | None = None) -> Language:
    """Load ``model`` once per process, with the project's entity components added.

    Args:
        model: an installed spaCy package name.
        gazetteer: optional path to a user gazetteer file extending the packaged ones;
            an edited file is read again.
    """
    digest = hashlib.sha256(Path(gazetteer).read_bytes()).hexdigest() if gazetteer else ""
    return _load_pipeline(model, gazetteer, digest)


@cache
def _load_pipeline(model: str, gazetteer: str | None, digest: str) -> Language:
    nlp = _load_with_senter(model)
    memoise_lemmatizer(nlp)
    rules_as_arrays(nlp)
    share_lemma_tables(model, nlp)
    nlp.add_pipe("recap_line_breaks", first=True)
    add_entity_components(nlp, gazetteer=gazetteer)
    log.info("loaded %s with pipes %s", model, nlp.pipe_names)
    return nlp


def _load_with_senter(model: str) -> Language:
    """Load ``model`` with its sentence recogniser in place of the dependency parser.

    No stage reads dependency arcs, only sentence boundaries, and the parser is about a quarter
    of the model's time. The senter's boundaries are also better on blog prose: the parser
    cuts "repartie d’|Angers" and "plein d’|exemples", which the entity rules read as a
    sentence-initial capital. A model without a senter keeps its parser.
    """
    nlp = load_model(model, exclude=["parser"])
    if "senter" not in nlp.component_names:
        return load_model(model)
    nlp.enable_pipe("senter")
    nlp.add_pipe("recap_sentence_marks", after="senter")
    return nlp


class MemoFrenchLemmatizer(FrenchLemmatizer):
    """spaCy's French rule lemmatizer, with its answers memoised and its index in sets.

    The lemma of a token is a function of its text and its part of speech alone (the French
    rules read nothing else), so the answer for each ``(ORTH, POS)`` pair is kept as a lemma
    hash, on every path: the stock component caches only its rule path (not proper nouns,
    numbers and other lookups) and builds a ``Token`` and sets ``lemma_`` for every token. A
    lemma set before (by the attribute ruler) is kept, as spaCy's ``overwrite=False`` does;
    with ``overwrite=True`` spaCy's own loop runs. The rules are spaCy's, line for line, but
    the model's ``lemma_index`` holds lists (66,000 nouns) that spaCy searches with ``in``,
    about 1 ms a word: they are read as sets, which answer ``in`` the same.

    Example: in "Elles déposent les dossiers à Lyon", "déposent" (VERB) gets "déposer" and
    "Lyon" (PROPN) "Lyon", the lemmas the stock component gives, computed once per pair.
    """

    memo: dict[tuple[int, int], int]

    def __call__(self, doc: Doc) -> Doc:
        if self.overwrite or not len(doc):
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        error_handler = self.get_error_handler()
        try:
            return self._lemmatize_doc(doc)
        except Exception as e:
            error_handler(self.name, self, [doc], e)
            return doc

    def _lemmatize_doc(self, doc: Doc) -> Doc:
        memo = self.memo
        add = self.vocab.strings.add
        rows = doc.to_array([ORTH, POS, LEMMA]).tolist()
        lemmas = [lemma for _, _, lemma in rows]
        changed = False
        for i, (orth, pos, lemma) in enumerate(rows):
            if lemma:
                continue  # set before this pipe (overwrite=False)
            value = memo.get((orth, pos))
            if value is None:
                value = memo[orth, pos] = add(self.lemmatize(doc[i])[0])
            lemmas[i] = value
            changed = True
        if changed:
            doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))
        return doc

    def _index(self, univ_pos: str) -> frozenset[str]:
        """The ``lemma_index`` words of a part of speech, as a set (read again if the tables
        are replaced)."""
        sets = self.__dict__.get("_index_sets")
        if sets is None or sets[0] is not self.lookups:
            sets = self._index_sets = (self.lookups, {})
        found = sets[1].get(univ_pos)
        if found is None:
            index_table = self.lookups.get_table("lemma_index", {})
            found = sets[1][univ_pos] = frozenset(index_table.get(univ_pos, {}))
        return found

    def rule_lemmatize(self, token: Token) -> list[str]:
        """``FrenchLemmatizer.rule_lemmatize`` (spaCy 3.8), the index read as a set."""
        cache_key = (token.orth, token.pos)
        if cache_key in self.cache:
            return self.cache[cache_key]
        string = token.text
        univ_pos = token.pos_.lower()
        if univ_pos in ("", "eol", "space"):
            return [string.lower()]
        elif "lemma_rules" not in self.lookups or univ_pos not in _RULE_POS:
            return self.lookup_lemmatize(token)
        exc_table = self.lookups.get_table("lemma_exc", {})
        rules_table = self.lookups.get_table("lemma_rules", {})
        lookup_table = self.lookups.get_table("lemma_lookup", {})
        index = self._index(univ_pos)
        exceptions = exc_table.get(univ_pos, {})
        rules = rules_table.get(univ_pos, [])
        string = string.lower()
        forms: list[str] = []
        # first try lookup in table based on upos
        if string in index:
            forms.append(string)
            self.cache[cache_key] = forms
            return forms
        # then add anything in the exceptions table
        forms.extend(exceptions.get(string, []))
        # if nothing found yet, use the rules
        oov_forms = []
        if not forms:
            for old, new in rules:
                if string.endswith(old):
                    form = string[: len(string) - len(old)] + new
                    if not form:
                        pass
                    elif form in index or not form.isalpha():
                        forms.append(form)
                    else:
                        oov_forms.append(form)
        # if still nothing, add the oov forms from rules
        if not forms:
            forms.extend(oov_forms)
        # use lookups, which fall back to the token itself
        if not forms:
            forms.append(lookup_table.get(string, [string])[0])
        forms = list(dict.fromkeys(forms))
        self.cache[cache_key] = forms
        return forms


# The parts of speech FrenchLemmatizer.rule_lemmatize runs its rules on (the others: lookup).
_RULE_POS = frozenset(
    {"noun", "verb", "adj", "adp", "adv", "aux", "cconj", "det", "pron", "punct", "sconj"}
)


def memoise_lemmatizer(nlp: Language) -> bool:
    """Make the pipeline's French rule lemmatizer a :class:`MemoFrenchLemmatizer`.

    Only spaCy's own ``FrenchLemmatizer`` in rule mode changes class (its tables, name and
    config stay); a model without a lemmatizer, or with another one or another mode, keeps
    spaCy's. Returns whether the lemmatizer was changed.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return False
    pipe = nlp.get_pipe("lemmatizer")
    if type(pipe) is not FrenchLemmatizer or pipe.mode != "rule":
        return False
    pipe.__class__ = MemoFrenchLemmatizer
    pipe.memo = {}
    pipe.lemmatize = pipe.rule_lemmatize  # bound in __init__ to the stock method
    for univ_pos in _RULE_POS:
        pipe._index(univ_pos)  # built here, shared by forked workers
    return True


# What the array form of the attribute ruler reads and sets (spaCy's sets more, on lexemes too).
_RULE_READS = {"POS": POS, "TAG": TAG, "DEP": DEP, "IS_SPACE": IS_SPACE}
_RULE_SETS = (TAG, POS, MORPH, DEP)


class _Rule(NamedTuple):
    """One attribute rule as arrays: its token tests and the attributes it sets."""

    tests: tuple[tuple[int, bool, numpy.ndarray], ...]  # (column, negated, accepted values)
    sets: tuple[tuple[int, int], ...]  # (column, value)


class ArrayAttributeRuler(AttributeRuler):
    """spaCy's attribute ruler, applied with arrays when every rule is one token tested on
    POS, TAG, DEP or IS_SPACE (equal, ``IN``, ``NOT_IN``) that sets TAG, POS, MORPH or DEP.

    That is the French models' ruler: TAG from POS, and the whitespace tokens' POS, TAG and
    MORPH. spaCy runs its ``Matcher`` and sets each match's attributes through a ``Span``, in
    Python, about 8 ms a post; here each rule is a mask over the tokens' original values
    (the ``Matcher`` matches before anything is set), applied in rule order (a later rule
    wins, as spaCy's sort by rule number makes it), and written back with ``Doc.from_array``.
    Rules added later, or put in place of the others (``initialize``, ``clear``: a new
    matcher), are planned again; a ruler with any rule out of that reach runs spaCy's code.

    Example: in "Visite à Lyon", "Lyon" (POS PROPN) gets TAG "PROPN", as spaCy's ruler gives.
    """

    plan: tuple[_Rule, ...] | None
    planned_rules: int
    planned_matcher: object

    def __call__(self, doc: Doc) -> Doc:
        planned = getattr(self, "planned_matcher", None) is self.matcher
        if not planned or self.planned_rules != len(self.attrs):
            self.plan, self.planned_rules = _array_plan(self), len(self.attrs)
            self.planned_matcher = self.matcher
        if self.plan is None or not len(doc):
            return super().__call__(doc)
        error_handler = self.get_error_handler()
        try:
            return _apply_plan(self.plan, doc)
        except Exception as e:
            return error_handler(self.name, self, [doc], e)


def _array_plan(ruler: AttributeRuler) -> tuple[_Rule, ...] | None:
    """Each rule as :class:`_Rule`, or None when a rule is out of the array form's reach."""
    strings = ruler.vocab.strings
    plan = []
    for rule, attrs in enumerate(ruler.attrs):
        if ruler.indices[rule] not in (0, -1) or set(attrs) - set(_RULE_SETS):
            return None
        _, patterns = ruler.matcher.get(str(rule))
        if len(patterns) != 1 or len(patterns[0]) != 1:
            return None
        tests = []
        for key, wanted in patterns[0][0].items():
            if key not in _RULE_READS:
                return None
            column = _RULE_SETS.index(_RULE_READS[key]) if key != "IS_SPACE" else len(_RULE_SETS)
            if isinstance(wanted, dict):
                if len(wanted) != 1 or next(iter(wanted)) not in ("IN", "NOT_IN"):
                    return None
                operator, values = next(iter(wanted.items()))
            elif isinstance(wanted, (str, bool)):
                operator, values = "IN", [wanted]
            else:
                return None
            if key == "IS_SPACE":
                if not all(isinstance(v, bool) for v in values):
                    return None
                ids = sorted({int(v) for v in values})
            elif all(isinstance(v, str) for v in values):
                ids = sorted({strings.add(v) for v in values})  # as the Matcher reads them
            else:
                return None
            tests.append((column, operator == "NOT_IN", numpy.array(ids, dtype=numpy.uint64)))
        sets = tuple((_RULE_SETS.index(attr), value) for attr, value in attrs.items())
        plan.append(_Rule(tuple(tests), sets))
    return tuple(plan)


def _apply_plan(plan: tuple[_Rule, ...], doc: Doc) -> Doc:
    original = doc.to_array([*_RULE_SETS, IS_SPACE])
    values = original[:, : len(_RULE_SETS)].copy()
    for rule in plan:
        matched = numpy.ones(len(doc), dtype=bool)
        for column, negated, ids in rule.tests:
            found = numpy.isin(original[:, column], ids)
            matched &= ~found if negated else found
        for column, value in rule.sets:
            values[matched, column] = value
    changed = [i for i in range(len(_RULE_SETS)) if (values[:, i] != original[:, i]).any()]
    if changed:
        doc.from_array([_RULE_SETS[i] for i in changed], values[:, changed])
    return doc


def rules_as_arrays(nlp: Language) -> bool:
    """Make the pipeline's attribute ruler an :class:`ArrayAttributeRuler` (spaCy's own
    ``AttributeRuler`` only; its patterns, name and config stay). Whether it changed."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    pipe = nlp.get_pipe("attribute_ruler")
    if type(pipe) is not AttributeRuler:
        return False
    pipe.__class__ = ArrayAttributeRuler
    return True


def parse(
    nlp: Language,
    items: Iterable[tuple[str, T]],
    *,
    workers: int = 1,
    batch_size: int = 16,
) -> Iterator[tuple[Doc, T]]:
    """Run ``nlp.pipe`` over ``(text, context)`` pairs, streaming, in ``workers`` processes.

    A text over ``MAX_CHUNK_CHARS`` is parsed apart, in pieces of ``LONG_TEXT_PIECE_CHARS``
    a few at a time (spaCy's memory grows with the characters of a batch, whatever their
    number of documents), and joined back into one ``Doc`` with the same text. Results come
    back in the order of ``items``.
    """
    runs = itertools.groupby(items, key=lambda item: len(item[0]) > MAX_CHUNK_CHARS)
    for long, run in runs:
        if long:
            for text, context in run:
                yield parse_long_text(nlp, text), context
        else:
            yield from nlp.pipe(run, as_tuples=True, n_process=workers, batch_size=batch_size)


def parse_long_text(nlp: Language, text: str) -> Doc:
    """One ``Doc`` for a long text, parsed in pieces with bounded memory.

    The pieces' tensors are dropped (no stage reads them; they would double the joined Doc).
    """
    pieces: list[Doc] = []
    for piece in nlp.pipe(
        split_for_parsing(text, LONG_TEXT_PIECE_CHARS), batch_size=LONG_TEXT_BATCH
    ):
        piece.tensor = piece.tensor[:0]
        pieces.append(piece)
    if len(pieces) == 1:
        return pieces[0]
    return Doc.from_docs(pieces, ensure_whitespace=False, exclude=["tensor"])


def split_for_parsing(text: str, limit: int | None = None) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters that join back into it.

    Cuts fall after a paragraph break when there is one, else after a space.
    """
    limit = limit or MAX_CHUNK_CHARS
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = window.rfind("\n\n") + 2 or window.rfind("\n") + 1 or window.rfind(" ") + 1
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces
