"""Units, stop words and the term matrices shared by themes and keywords."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer

# Letters only, three or more: drops the lemma debris of elisions and numbers ("l", "qu", "27").
TOKEN_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"
# A term in more than this share of the sentences is the corpus's boilerplate, not a theme.
UNIT_MAX_DF = 0.5
# A term in at least this share of the posts is boilerplate too, once there are enough posts
# for "nearly all" to mean something: on five posts, a word shared by all is their subject.
POST_MAX_DF = 0.9
MIN_POSTS_FOR_POST_DF = 10
# A run of digits, spaces and phone punctuation: a phone number when it holds 9+ digits.
PHONE_PATTERN = re.compile(r"\+?\(?\d[\d\s().-]{7,}\d")
MIN_PHONE_DIGITS = 9
# Surface forms for labels are looked up in this many sentences at most per term.
SURFACE_SAMPLE = 200


@dataclass(frozen=True)
class ThemeUnit:
    """A sentence (or paragraph) to model: its text and the lemmas of its content words."""

    doc_id: str
    start: int
    end: int
    text: str
    lemmas: str


def _data_words(name: str) -> frozenset[str]:
    text = resources.files("recap_nlp.data").joinpath(name).read_text("utf-8")
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


@cache
def french_stopwords() -> frozenset[str]:
    """The packaged French stop words (``data/stopwords_fr.txt``: spaCy's list plus additions)."""
    return _data_words("stopwords_fr.txt")


@cache
def markup_words() -> frozenset[str]:
    """Markup words (``data/themes_markup.txt``: "div", "iframe", "gallery", "https", ...)."""
    return _data_words("themes_markup.txt")


# Markup left in a text: tags, shortcodes, attribute="value", URLs, link targets, image files.
MARKUP_SPAN = re.compile(
    r"<[^<>\n]*>|\{\{.*?\}\}|\{%.*?%\}|\b\w+=(?:\"[^\"]*\"|'[^']*')"
    r"|https?://\S+|www\.\S+|\]\([^)\s]*\)|@\w+|\S+\.(?:jpe?g|png|gif|svg|webp)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{3,}")


def markup_only_words(text: str) -> frozenset[str]:
    """The words of a text that occur only inside markup (tags, shortcodes, URLs, handles).

    Example:
        ``markup_only_words('Voir [Léa Marchand](https://mastodon.social/@leamarch) à Lyon')`` ->
        ``{"https", "mastodon", "social", "leamarch"}``: "Léa", "Marchand" and "Lyon" are prose.
    """
    inside = {w.lower() for m in MARKUP_SPAN.finditer(text) for w in _WORD.findall(m.group(0))}
    if not inside:
        return frozenset()
    outside = {w.lower() for w in _WORD.findall(MARKUP_SPAN.sub(" ", text))}
    return frozenset(inside - outside)


def clean_lemmas(unit: ThemeUnit) -> list[str]:
    """A unit's lemmas without markup words, in order.

    Example:
        The lemmas "gallery expo" of the shortcode line "{{< gallery dir=expo >}}" give
        ``[]``; "exposition vélo ville" stays as it is.
    """
    drop = markup_words() | markup_only_words(unit.text)
    return [lemma for lemma in unit.lemmas.split() if lemma not in drop]


@cache
def boilerplate_words() -> frozenset[str]:
    """Web page chrome words (``data/themes_boilerplate.txt``: "téléphone", "courriel", ...)."""
    return _data_words("themes_boilerplate.txt")


def vectorizer_stopwords(extra: Iterable[str] = ()) -> list[str]:
    """Stop words cut the way the vectoriser cuts text.

    Example:
        "quelqu'un" in the list yields "quelqu" (the tokenizer's pieces), so scikit-learn does
        not warn that the stop words disagree with its tokenization.
    """
    words = french_stopwords() | boilerplate_words() | {w.lower() for w in extra}
    return sorted({token for word in words for token in re.findall(TOKEN_PATTERN, word)})


def has_phone_number(text: str) -> bool:
    """Whether a text holds a phone number (a contact block, not a sentence about a theme).

    Example:
        ``has_phone_number("Téléphone +32 (0)10 45 85 14")`` -> True;
        ``has_phone_number("un budget de 1 000 000 $")`` -> False (seven digits).
    """
    return any(
        sum(char.isdigit() for char in match.group(0)) >= MIN_PHONE_DIGITS
        for match in PHONE_PATTERN.finditer(text)
    )


def content_units(units: Iterable[ThemeUnit]) -> list[ThemeUnit]:
    """Units with lemmas, each lemma string kept once, contact lines left out.

    A sentence whose lemmas repeat one seen before is a template (footer, repeated heading
    such as "Localisez-nous via Google Maps"), and one with a phone number is a contact
    block: modelling them would make a theme of the page chrome.
    """
    seen: set[str] = set()
    kept = []
    for unit in units:
        key = " ".join(unit.lemmas.split())
        if key and key not in seen and not has_phone_number(unit.text):
            seen.add(key)
            kept.append(unit)
    return kept


def unit_counts(
    units: Sequence[ThemeUnit],
    stopwords: list[str],
    *,
    ngram_range: tuple[int, int] = (1, 1),
    min_df: int = 1,
    max_df: float = 1.0,
) -> tuple[csr_matrix, np.ndarray]:
    """Term counts per unit (sparse) and the terms; ValueError when no term is left."""
    vectorizer = CountVectorizer(
        stop_words=stopwords,
        token_pattern=TOKEN_PATTERN,
        ngram_range=ngram_range,
        min_df=min_df,
        max_df=max_df,
        dtype=np.float64,
    )
    matrix = vectorizer.fit_transform([unit.lemmas for unit in units])
    return matrix.tocsr(), vectorizer.get_feature_names_out()


def post_index(units: Sequence[ThemeUnit]) -> tuple[list[str], csr_matrix]:
    """The sorted post ids and a posts × units 0/1 matrix that sums unit rows into posts."""
    doc_ids = sorted({unit.doc_id for unit in units})
    row_of = {doc_id: i for i, doc_id in enumerate(doc_ids)}
    rows = np.array([row_of[unit.doc_id] for unit in units], dtype=np.int64)
    columns = np.arange(len(units))
    data = np.ones(len(units))
    return doc_ids, csr_matrix((data, (rows, columns)), shape=(len(doc_ids), len(units)))


def post_boilerplate(counts: csr_matrix, posts: csr_matrix) -> np.ndarray:
    """A mask of the terms found in nearly all posts (only with enough posts to tell)."""
    n_posts = posts.shape[0]
    if n_posts < MIN_POSTS_FOR_POST_DF:
        return np.zeros(counts.shape[1], dtype=bool)
    presence = (posts @ (counts > 0).astype(np.float64)) > 0
    share = np.asarray(presence.sum(axis=0)).ravel() / n_posts
    return share >= POST_MAX_DF


def surface_form(term: str, texts: Iterable[str]) -> str:
    """The most frequent written form of a lemma in the texts, or the lemma itself.

    Example:
        ``surface_form("québec", ["Mission au Québec", "Québec numérique"])`` -> ``"Québec"``;
        ``surface_form("ami", ["nos amis"])`` -> ``"ami"`` (no exact form, the lemma stays).
    """
    pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
    forms = Counter(match.group(0) for text in texts for match in pattern.finditer(text))
    if not forms:
        return term
    # Most frequent first; on a tie, the lowercase form, then alphabetical, for stable labels.
    return min(forms, key=lambda form: (-forms[form], form != term, form))


def term_surfaces(
    terms: Sequence[str], counts: csr_matrix, vocabulary: np.ndarray, units: Sequence[ThemeUnit]
) -> list[str]:
    """The written form of each term, looked up in the units that contain it."""
    column_of = {str(term): i for i, term in enumerate(vocabulary)}
    by_column = counts.tocsc()
    surfaces = []
    for term in terms:
        column = column_of[term]
        rows = by_column.indices[by_column.indptr[column] : by_column.indptr[column + 1]]
        texts = (units[row].text for row in sorted(rows)[:SURFACE_SAMPLE])
        surfaces.append(surface_form(term, texts))
    return surfaces
