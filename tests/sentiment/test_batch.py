"""A post's sentences classified together give what each classified alone gives.

Also the frame screen's word tries: they match exactly the words they replace.
"""

from __future__ import annotations

import math
import re
from itertools import product

from hypothesis import given
from hypothesis import strategies as st

from recap_nlp.records import Document, SentenceSpan
from recap_nlp.sentiment import classify, classify_all, score_sentences
from recap_nlp.sentiment.features import (
    SPARSE_PREFIXES,
    _trie,
    frame_screen,
    frames_in,
    load_frames,
    sentence_features,
    word_tries,
)
from recap_nlp.sentiment.lexicon import normalise

# Written for these tests, one of each kind the features treat apart.
SENTENCES = [
    "Quel coup de cœur, cette soirée !",
    "Deux heures de queue pour entrer, mais pas déçus du tout.",
    "Malgré la pluie, une ambiance formidable sur les quais.",
    "Le café n'était pas bon et le son était pourri…",
    "Bien que le programme soit chargé, nous avons tout vu.",
    "**Bravo** aux _bénévoles_ 😍",
    "Rendez-vous le 12 mars à 9 h, salle B.",
    "Vous souffrez de la chaleur ?",
    "Œuvre magnifique, fin d'été réussie",
    "Ｌｅ ｍｕｓéｅ était top.",  # full-width letters
    "",
    "!!!",
]


def test_classify_all_equals_classify_one_by_one() -> None:
    batch = classify_all(SENTENCES)
    single = [classify(text) for text in SENTENCES]
    assert batch == single  # floats compared with ==: bit for bit
    assert {c.label for c in batch} == {"positive", "neutral", "negative"}
    assert classify_all([]) == []


def test_score_sentences_classifies_each_span_in_order() -> None:
    text = " ".join(SENTENCES[:4])
    doc = Document("d", text, "d.txt", "txt", "h")
    spans, start = [], 0
    for sentence in SENTENCES[:4]:
        spans.append(SentenceSpan("d", start, start + len(sentence), sentence))
        start += len(sentence) + 1
    scored = score_sentences(doc, spans)
    assert [(s.start, s.text) for s in scored] == [(s.start, s.text) for s in spans]
    for row, span in zip(scored, spans, strict=True):
        alone = classify(span.text)
        assert (row.p_positive, row.p_neutral, row.p_negative) == (
            alone.p_positive,
            alone.p_neutral,
            alone.p_negative,
        )
        assert row.label == alone.label and row.drivers == "; ".join(alone.drivers)


def test_sparse_block_has_unit_length() -> None:
    for text in SENTENCES:
        sparse = [v for k, v in sentence_features(text).items() if k.startswith(SPARSE_PREFIXES)]
        if sparse:
            assert len(set(sparse)) == 1  # indicators, scaled alike
            assert sparse[0] == round(1.0 / math.sqrt(len(sparse)), 6)
            assert abs(math.sqrt(sum(v * v for v in sparse)) - 1.0) < 1e-4


@given(st.sets(st.text(alphabet="ab' -é", min_size=0, max_size=3), min_size=1, max_size=8))
def test_trie_matches_exactly_its_words(words: set[str]) -> None:
    pattern = re.compile("(?:" + _trie(sorted(words))[0] + ")")
    for n in range(4):
        for letters in product("ab' -é", repeat=n):
            candidate = "".join(letters)
            assert (pattern.fullmatch(candidate) is not None) == (candidate in words), candidate


def _starts(pattern: str, text: str) -> list[int]:
    compiled = re.compile(pattern)
    return [i for i in range(len(text) + 1) if compiled.match(text, i)]


def test_word_tries_keep_where_matches_start() -> None:
    patterns = [
        r"\b(?:file|files|queue|queues) d'attente\b",
        r"(?<!nos )\b(?:attente|attentes)\b(?! (?:du public|des clients))",
        r"\b(?:trop|très)? ?ch(?:er|ers|ère)\b",
        r"[(?:a|b)]x",  # inside a class: characters, left alone
        r"\(?:file|queue\)",  # an escaped bracket: no group, left alone
        r"\b(?:pas|plus) (?:de|d')",
    ]
    text = normalise(
        "La file d'attente, puis des files d'attente ; nos attentes, l'attente du public, "
        "une attente folle, trop cher, très chère, chers amis, (a)x bx (file|queue) "
        "plus de places, pas d'eau."
    )
    for pattern in patterns:
        assert _starts(word_tries(pattern), text) == _starts(pattern, text), pattern
    assert word_tries(r"[(?:a|b)]x") == r"[(?:a|b)]x"
    assert word_tries(r"\(?:file|queue\)") == r"\(?:file|queue\)"


def test_screen_with_tries_agrees_with_the_frames() -> None:
    screen = frame_screen()
    assert screen is not None
    for text in map(normalise, SENTENCES):
        found = [(f.name, m.start()) for f in load_frames() for m in f.pattern.finditer(text)]
        if found and "*" not in text and "_" not in text:
            assert screen.search(text) is not None
        assert frames_in(text) == found or "*" in text or "_" in text
