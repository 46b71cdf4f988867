"""The noun-before-word tests give what the single regex search gave, on made-up texts."""

from __future__ import annotations

import random
import re

from recap_nlp.facts.noun_context import noun_before_quote, noun_before_word

NOUNS = ("festival", "fête", "rencontre", "journée", "fest", "salon du livre")


def _search_word(text: str, word: str, nouns: tuple[str, ...]) -> bool:
    alternation = "|".join(re.escape(n) for n in nouns)
    pattern = rf"\b(?i:{alternation})\s+(?:de\s+|du\s+)?{re.escape(word)}\b"
    return re.search(pattern, text) is not None


def _search_quote(text: str, quoted: str, nouns: tuple[str, ...]) -> bool:
    alternation = "|".join(re.escape(n) for n in nouns)
    return re.search(rf"(?:{alternation})\s*{quoted}", text, re.I) is not None


def _quoted(series: str) -> str:
    return rf"[«\"“]\s*{re.escape(series)}\s*[»\"”]"


def test_word_cases_checked_by_hand() -> None:
    assert noun_before_word("Le festival Zinzolin revient.", "Zinzolin", NOUNS)
    assert noun_before_word("La FÊTE du  Zinzolin", "Zinzolin", NOUNS)
    assert noun_before_word("une rencontre de\nZinzolin", "Zinzolin", NOUNS)
    # the word as written only, and whole: no lowercase form, no longer word
    assert not noun_before_word("le festival zinzolin", "Zinzolin", NOUNS)
    assert not noun_before_word("le festival Zinzolines", "Zinzolin", NOUNS)
    # the noun whole too (a word boundary before it), and next to the word
    assert not noun_before_word("le superfestival Zinzolin", "Zinzolin", NOUNS)
    assert not noun_before_word("le festival des Zinzolin", "Zinzolin", NOUNS)
    assert not noun_before_word("le festivalZinzolin", "Zinzolin", NOUNS)
    # "de" only as written, between spaces
    assert not noun_before_word("le festival De Zinzolin", "Zinzolin", NOUNS)
    assert noun_before_word("le salon du livre de Zinzolin", "Zinzolin", NOUNS)


def test_quote_cases_checked_by_hand() -> None:
    quoted = _quoted("roulez en ville")
    assert noun_before_quote("l'évènement la fête « Roulez en ville »", quoted, NOUNS)
    assert noun_before_quote("une journée\u00a0“roulez en ville”", quoted, NOUNS)
    assert noun_before_quote('le fest"roulez en ville"', quoted, NOUNS)
    assert not noun_before_quote("le thème « roulez en ville »", quoted, NOUNS)
    assert not noun_before_quote("la fête, « roulez en ville »", quoted, NOUNS)


def test_same_answers_as_the_regex_on_random_texts() -> None:
    rng = random.Random(17)
    pieces = [
        "festival",
        "Festival",
        "FÊTE",
        "fête",
        "rencontre",
        "fest",
        "salon du livre",
        "de",
        "du",
        "De",
        "des",
        "Zinzolin",
        "zinzolin",
        "Zinzolins",
        "Zin",
        "«",
        "»",
        '"',
        "“",
        "”",
        "roulez en ville",
        "super",
        "-",
        "'",
        ",",
        "_",
        "",
    ]
    spaces = ["", " ", "  ", "\n", "\u00a0", "\t"]
    words = ["Zinzolin", "Zin", "Zinzolin-", "L'Zin", "Festival", "de"]
    quotes = [_quoted("roulez en ville"), _quoted("Zinzolin"), _quoted("zin")]
    named = 0
    for _ in range(4000):
        text = "".join(rng.choice(pieces) + rng.choice(spaces) for _ in range(rng.randint(1, 9)))
        word = rng.choice(words)
        expected = _search_word(text, word, NOUNS)
        assert noun_before_word(text, word, NOUNS) == expected, (text, word)
        named += expected
        quoted = rng.choice(quotes)
        assert noun_before_quote(text, quoted, NOUNS) == _search_quote(text, quoted, NOUNS), (
            text,
            quoted,
        )
    assert named > 30  # both answers were met


def test_same_answers_as_the_regex_on_random_quotations() -> None:
    rng = random.Random(18)
    parts = [
        ["", "la ", "super", "l'", "x-"],
        ["fête", "FÊTE", "fest", "festival", "thème", "salon du livre", ""],
        ["", " ", "\n ", ",", "\u00a0"],
        ["«", '"', "“", "»", ""],
        ["", " ", "  "],
        ["roulez en ville", "Roulez en ville", "roulez  en ville", "zin", "Zinzolin"],
        ["", " "],
        ["»", '"', "”", "«", ""],
        ["", " !", "s"],
    ]
    quotes = [_quoted("roulez en ville"), _quoted("Zinzolin"), _quoted("zin")]
    agreed = 0
    for _ in range(3000):
        text = "".join(rng.choice(part) for part in parts) * rng.randint(1, 2)
        quoted = rng.choice(quotes)
        expected = _search_quote(text, quoted, NOUNS)
        assert noun_before_quote(text, quoted, NOUNS) == expected, (text, quoted)
        agreed += expected
    assert agreed > 100  # both answers were met


def test_nouns_ending_in_a_space_fall_back_to_the_search() -> None:
    nouns = ("fête ", "salon")
    for text in ("la fête  Zinzolin", "la fête Zinzolin", "le salon Zinzolin", "Zinzolin"):
        assert noun_before_word(text, "Zinzolin", nouns) == _search_word(text, "Zinzolin", nouns)
