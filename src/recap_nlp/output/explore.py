"""Corpus exploration on a finished run: concordances (keyword in context) and keyness.

What analysts coming from IRaMuTeQ, TXM or Voyant look for first. Both read only the run's
tables (``sentences``, ``mentions``, ``entities``, ``documents``, ``events``), so they work on
any output folder without the corpus; every offset points into the post's original text.

Keyness is Dunning's log-likelihood (G², as in Rayson & Garside 2000) of a word's frequency
in the target posts against the rest of the corpus, with the log ratio as effect size.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from recap_nlp.output import readable, store
from recap_nlp.themes.vocabulary import french_stopwords

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# G² above 3.84 is p < 0.05 for one degree of freedom; 6.63 p < 0.01; 10.83 p < 0.001.
LL_THRESHOLD = 3.84
CONCORDANCE_COLUMNS = ("doc_id", "post", "start", "end", "left", "match", "right", "entity")
KEYNESS_COLUMNS = (
    "term",
    "target",
    "reference",
    "target_per_10k",
    "reference_per_10k",
    "log_likelihood",
    "log_ratio",
)


def _texts(sentences: pd.DataFrame) -> dict[str, str]:
    """Each post's text rebuilt from its sentences at their offsets (gaps as spaces)."""
    texts = {}
    for doc_id, group in sentences.groupby("doc_id", sort=False):
        size = int(group["end"].max())
        chars = [" "] * size
        for start, text in zip(group["start"], group["text"], strict=True):
            chars[int(start) : int(start) + len(text)] = list(text)
        texts[str(doc_id)] = "".join(chars)
    return texts


def _pattern(term: str) -> re.Pattern[str]:
    """A case-insensitive whole-word pattern; a final ``*`` matches any ending."""
    stem = term.strip()
    wildcard = stem.endswith("*")
    body = r"\s+".join(re.escape(w) for w in stem.rstrip("*").split())
    ending = r"\w*" if wildcard else r"(?!\w)"
    return re.compile(r"(?<!\w)" + body + ending, re.IGNORECASE)


def concordance_frame(
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    entities: pd.DataFrame,
    documents: pd.DataFrame,
    query: str,
    *,
    width: int = 40,
    post: str | None = None,
) -> pd.DataFrame:
    """Every occurrence of ``query`` with ``width`` characters of context on each side.

    When ``query`` is an entity's canonical name (case aside), every mention of that
    entity is listed, whatever its spelling; otherwise the words are searched in the text
    (a final ``*`` matches any ending: ``numéri*``).

    Example: ``"Québec numérique"`` lists "Québec numérique" and "Québec Numérique" alike.

    Returns:
        One row per occurrence: doc_id, post (its title), start, end (offsets into the
        post's text), left, match, right, entity (the canonical name, or "").
    """
    if post:
        sentences = sentences[sentences["doc_id"] == post]
        mentions = mentions[mentions["doc_id"] == post]
    texts = _texts(sentences)
    labels = readable.post_labels(documents, sentences)
    hits = _entity_hits(mentions, entities, query) or _text_hits(texts, query)
    rows = []
    for doc_id, start, end, entity in sorted(hits):
        text = texts.get(doc_id, "")
        rows.append(
            {
                "doc_id": doc_id,
                "post": labels.get(doc_id, doc_id),
                "start": start,
                "end": end,
                "left": " ".join(text[max(0, start - width) : start].split()),
                "match": " ".join(text[start:end].split()),
                "right": " ".join(text[end : end + width].split()),
                "entity": entity,
            }
        )
    return pd.DataFrame(rows, columns=list(CONCORDANCE_COLUMNS))


def _entity_hits(
    mentions: pd.DataFrame, entities: pd.DataFrame, query: str
) -> list[tuple[str, int, int, str]]:
    wanted = " ".join(query.split()).casefold()
    chosen = entities[entities["canonical"].fillna("").str.casefold() == wanted]
    if chosen.empty:
        return []
    names = dict(zip(chosen["entity_id"], chosen["canonical"], strict=True))
    found = mentions[mentions["entity_id"].isin(names)]
    return [
        (str(d), int(s), int(e), str(names[i]))
        for d, s, e, i in zip(
            found["doc_id"], found["start"], found["end"], found["entity_id"], strict=True
        )
    ]


def _text_hits(texts: dict[str, str], query: str) -> list[tuple[str, int, int, str]]:
    if not query.strip().rstrip("*"):
        return []
    pattern = _pattern(query)
    return [
        (doc_id, m.start(), m.end(), "")
        for doc_id, text in texts.items()
        for m in pattern.finditer(text)
    ]


def concordance(
    out: str | Path, query: str, *, width: int = 40, post: str | None = None
) -> pd.DataFrame:
    """The concordance of ``query`` in the run written to ``out`` (see
    :func:`concordance_frame`).

    Example: ``concordance("outputs", "délégation")`` → one row per "délégation" with its
    left and right context, post title and offset.
    """
    out = Path(out)
    return concordance_frame(
        store.read_table(out, "sentences"),
        store.read_table(out, "mentions").fillna(""),
        store.read_table(out, "entities"),
        store.read_table(out, "documents").fillna(""),
        query,
        width=width,
        post=post,
    )


def words(text: str) -> list[str]:
    """The content words of ``text``, lower-cased (stop words and 1–2 letter words left out).

    Example: ``words("Une délégation de 27 Québécois à Angers")`` →
    ``["délégation", "québécois", "angers"]``.
    """
    stop = french_stopwords()
    tokens = (t.lower() for t in WORD.findall(text))
    return [t for t in tokens if len(t) > 2 and t not in stop]


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Dunning's G² for a word seen ``a`` times in ``c`` target words, ``b`` in ``d`` others.

    Example: ``log_likelihood(10, 10, 1000, 9000)`` → about 20.4 (10 in 1,000 words against
    10 in 9,000: over-represented, p < 0.001).
    """
    total = a + b
    if not total or not c or not d:
        return 0.0
    e1, e2 = c * total / (c + d), d * total / (c + d)
    return 2 * sum(o * math.log(o / e) for o, e in ((a, e1), (b, e2)) if o)


def keyness_frame(
    target: Iterable[str],
    reference: Iterable[str],
    *,
    top: int = 20,
    threshold: float = LL_THRESHOLD,
) -> pd.DataFrame:
    """The terms over-represented in ``target`` against ``reference`` (lists of tokens).

    Only terms more frequent in the target and with G² ≥ ``threshold`` are kept, highest
    G² first (ties: larger log ratio, then alphabetical).
    """
    a_counts, b_counts = Counter(target), Counter(reference)
    c, d = sum(a_counts.values()), sum(b_counts.values())
    rows = []
    for term, a in a_counts.items():
        b = b_counts.get(term, 0)
        if not c or (d and a / c <= b / d):
            continue
        ll = log_likelihood(a, b, c, d)
        if ll < threshold:
            continue
        ratio = math.log2(((a + 0.5) / c) / ((b + 0.5) / max(d, 1)))
        rows.append(
            {
                "term": term,
                "target": a,
                "reference": b,
                "target_per_10k": round(10_000 * a / c, 1),
                "reference_per_10k": round(10_000 * b / d, 1) if d else 0.0,
                "log_likelihood": round(ll, 2),
                "log_ratio": round(ratio, 2),
            }
        )
    rows.sort(key=lambda r: (-r["log_likelihood"], -r["log_ratio"], r["term"]))
    return pd.DataFrame(rows[:top] if top else rows, columns=list(KEYNESS_COLUMNS))


def group_posts(documents: pd.DataFrame, events: pd.DataFrame | None, selector: str) -> list[str]:
    """The posts a ``FIELD=VALUE`` selector names.

    FIELD is a column of the ``documents`` table (``author=Marie``, ``format=md``;
    ``published=2018`` matches every date of 2018) or ``event`` (the posts of an event id).

    Raises:
        ValueError: no ``=``, or an unknown field.
    """
    field, sep, value = selector.partition("=")
    field, value = field.strip(), value.strip()
    if not sep or not field:
        raise ValueError(f"group {selector!r}: write FIELD=VALUE (e.g. published=2018)")
    if field == "event":
        if events is None:
            return []
        rows = events[events["event_id"] == value]
        return sorted({d for cell in rows["doc_ids"] for d in readable.json_items(cell)})
    if field not in documents.columns:
        known = ", ".join(["event", *documents.columns])
        raise ValueError(f"group {selector!r}: unknown field {field!r} (known: {known})")
    column = documents[field].fillna("").astype(str)
    chosen = column.str.startswith(value) if field == "published" else column == value
    return sorted(documents.loc[chosen, "doc_id"].astype(str))


def keyness(
    out: str | Path,
    *,
    post: str | None = None,
    group: str | None = None,
    posts: Sequence[str] | None = None,
    top: int = 20,
    lemmas: bool = False,
) -> pd.DataFrame:
    """The words (or lemmas) specific to a post or group of posts in the run in ``out``.

    Args:
        out: folder of a finished run.
        post: one doc id; or ``group``: a ``FIELD=VALUE`` selector (:func:`group_posts`);
            or ``posts``: doc ids.
        top: number of terms (0: all above the threshold).
        lemmas: count spaCy lemmas instead of word forms (loads the French model).

    Raises:
        ValueError: no target, or a target with no post in the run.

    Example: ``keyness("outputs", group="published=2017")`` → the words of the 2017 posts
    over-represented against the others, with their log-likelihood.
    """
    out = Path(out)
    documents = store.read_table(out, "documents").fillna("")
    if post:
        targets = [post]
    elif group:
        targets = group_posts(documents, store.read_table(out, "events"), group)
    elif posts:
        targets = list(posts)
    else:
        raise ValueError("keyness needs a post, a group (FIELD=VALUE) or posts")
    chosen = set(targets) & set(documents["doc_id"])
    if not chosen:
        raise ValueError(f"no post of the run matches {post or group or posts!r}")
    sentences = store.read_table(out, "sentences")
    tokens = _lemmas if lemmas else words
    inside = sentences["doc_id"].isin(chosen)
    target = [t for text in sentences.loc[inside, "text"] for t in tokens(text)]
    reference = [t for text in sentences.loc[~inside, "text"] for t in tokens(text)]
    return keyness_frame(target, reference, top=top)


def _lemmas(text: str) -> list[str]:
    stop = french_stopwords()
    lemmas = (t.lemma_.lower() for t in _lemmatizer()(text) if t.is_alpha)
    return [t for t in lemmas if len(t) > 2 and t not in stop]


_LEMMATIZER: list[object] = []


def _lemmatizer():  # type: ignore[no-untyped-def]
    if not _LEMMATIZER:
        from recap_nlp.model import DEFAULT_MODEL, load_model

        _LEMMATIZER.append(load_model(DEFAULT_MODEL, exclude=["parser", "ner", "senter"]))
    return _LEMMATIZER[0]
