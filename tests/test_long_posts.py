"""Per-post lookups that were quadratic in post length: bisected ones give the naive answers.

A 2 MB post spent most of its fact and sentiment time rescanning the whole post (or every
mention) for each mention; each bisected replacement is checked against the naive scan it
replaced, on random inputs.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from recap_nlp.facts import dates, sources
from recap_nlp.facts.actors import _inside_name, _name_spans
from recap_nlp.facts.fact_context import make_context
from recap_nlp.records import Document, FactMention, Mention, Sentence
from recap_nlp.sentiment.aggregate import _index, _overlapping

spans = st.tuples(st.integers(0, 200), st.integers(0, 40)).map(lambda p: (p[0], p[0] + p[1]))


def _mention(start: int, end: int, label: str = "CITY") -> Mention:
    return Mention("d", start, end, "x" * (end - start), label, "", 0, "model")  # type: ignore[arg-type]


def _sentence(start: int, end: int) -> Sentence:
    return Sentence("d", start, end, "", 0.0, "neutral")


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, max_size=30), spans)
def test_overlapping_sentences_are_the_naive_ones(sentences: list, mention: tuple) -> None:
    items = sorted((_sentence(s, e) for s, e in sentences), key=lambda s: (s.start, s.end))
    m = _mention(*mention)
    naive = [s for s in items if s.start < m.end and s.end > m.start]
    assert _overlapping(_index(items), m) == naive


def _naive_sentence_at(text: str, position: int) -> str:
    pattern = sources._SENTENCE_END
    starts = [0] + [m.end() for m in pattern.finditer(text, 0, position)]
    found = pattern.search(text, position)
    return text[starts[-1] : found.start() if found else len(text)].strip()[: sources._EVIDENCE]


pieces = st.sampled_from(["Lyon", "a", ". ", "! ", "\n", "\n\n", "  ", "… ", " ", "é"])


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=400), st.integers(0, 2000))
def test_sentence_at_is_the_scan_from_the_start(parts: list[str], where: int) -> None:
    text = "".join(parts) + "x" * 1500 + ". " + "".join(parts)  # windows of 1,024 are crossed
    position = where % (len(text) + 1)
    assert sources._sentence_at(text, position) == _naive_sentence_at(text, position)


def test_sentence_at_a_long_way_into_the_post() -> None:
    text = "Premier billet. " + "Une phrase assez longue sur Lyon. " * 30_000
    position = len(text) - 10
    assert sources._sentence_at(text, position) == "Une phrase assez longue sur Lyon."
    assert sources._sentence_at("Une phrase" + " " * 5000 + "suite", 5012) == (
        _naive_sentence_at("Une phrase" + " " * 5000 + "suite", 5012)
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, max_size=20), st.lists(spans, max_size=5), spans)
def test_inside_name_is_the_naive_check(orgs: list, names: list, city: tuple) -> None:
    mentions = [_mention(s, e, "ORG") for s, e in orgs] + [_mention(*city)]
    ctx = make_context(Document("d", "x" * 300, "p", "txt", ""), [], mentions)
    facts = [FactMention("f", "d", "sponsor", "n", "", "", "name", s, e, "", "") for s, e in names]
    m = _mention(*city)
    naive = any(
        s <= m.start and m.end <= e
        for s, e in [(o.start, o.end) for o in ctx.mentions if o.label == "ORG"]
        + [(f.start, f.end) for f in facts]
    )
    assert _inside_name(m, _name_spans(ctx, facts)) == naive


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, max_size=30), spans, st.sampled_from(["PER", "ORG"]))
def test_mentions_in_is_the_naive_filter(found: list, window: tuple, label: str) -> None:
    mentions = [_mention(s, e, "PER" if i % 2 else "ORG") for i, (s, e) in enumerate(found)]
    ctx = make_context(Document("d", "x" * 300, "p", "txt", ""), [], mentions)
    start, end = window
    naive = [m for m in ctx.mentions if m.label == label and start <= m.start < end]
    assert ctx.mentions_in(start, end, label) == naive


def _naive_raw_mentions(text: str) -> list:
    taken: list[tuple[int, int]] = []
    found = []
    for pattern, at_date in dates._patterns():
        for match in pattern.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append(dates._raw_from_match(match, at_date))
    return sorted(found, key=lambda r: r.start)


date_bits = st.sampled_from(
    ["le 12 mars 2019", "du 3 au 5 juin", "en 2018", "avril", " et ", ", ", "12", " 2020 ", "mai"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(date_bits, max_size=25))
def test_date_matches_keep_the_first_pattern_on_overlaps(parts: list[str]) -> None:
    text = " ".join(parts)
    assert dates._raw_mentions(text) == _naive_raw_mentions(text)


def test_a_long_text_of_dates_is_read_whole() -> None:
    text = " ".join(f"le {d % 28 + 1} mars {2000 + d % 20}" for d in range(3000))
    found = dates._raw_mentions(text)
    assert len(found) == 3000
    assert [m.start for m in found] == [
        m.start() + 3 for m in re.finditer(r"le \d", text)
    ]  # "le" is context
