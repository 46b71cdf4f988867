"""spaCy's French token pattern comes precompiled: the same engine code as ``re`` makes, the
same matches, used by spaCy's import and its tokenizer, and nothing seeded when it would not
fit."""

from __future__ import annotations

import re
import subprocess
import sys
from re import _compiler  # type: ignore[attr-defined]

import pytest

from recap_nlp import regex_cache

STORED = regex_cache._read()
STORED_FOR = (STORED["engine"], STORED["spacy"])
fits_this_python = pytest.mark.skipif(
    (regex_cache.engine_tag(), regex_cache.spacy_version()) != STORED_FOR,
    reason=f"stored for {STORED_FOR} (make regex-cache writes it for this Python and spaCy)",
)

WORDS = [
    "après-midi",
    "Après-Midi",
    "au-delà",
    "entr'abat",
    "porte-à-faux",
    "Saint-Étienne",
    "rick-rolled",
    "yo-yos",
    "zig-zag",
    "faux-vampire",
    "saut-de-ski",
    "pet-en-l'air",
    "grand'mère",
    "anti-inflammatoire",
    "Paris",
    "2017-2018",
    "e-mail",
    "c'est-à-dire",
    "",
]


@pytest.mark.slow  # compiles spaCy's pattern: 3.7 s
@fits_this_python
def test_the_stored_code_is_what_re_compiles_for_spacys_pattern() -> None:
    assert regex_cache.main(["--check"]) == 0


@pytest.mark.slow  # compiles spaCy's pattern: 3.7 s
@fits_this_python
def test_the_seeded_pattern_matches_like_a_fresh_compile() -> None:
    assert regex_cache.seed()
    seeded = regex_cache._SEEDED[0]
    fresh = _compiler.compile(seeded.pattern, 0)  # past re's cache
    assert (seeded.flags, seeded.groups, seeded.groupindex) == (
        fresh.flags,
        fresh.groups,
        fresh.groupindex,
    )
    for word in WORDS:
        for text in (word, word.upper(), word + " suite"):
            found, expected = seeded.match(text), fresh.match(text)
            assert (found and found.span()) == (expected and expected.span()), text


@pytest.mark.slow  # a fresh process loads the pipeline
@fits_this_python
def test_spacy_and_its_tokenizer_use_the_seeded_pattern() -> None:
    script = (
        "from recap_nlp import regex_cache\n"
        "from recap_nlp.nlp import load_pipeline\n"
        "import spacy.lang.fr.tokenizer_exceptions as te\n"
        "nlp = load_pipeline()\n"
        "seeded = regex_cache._SEEDED[0]\n"
        "print(te.TOKEN_MATCH.__self__ is seeded, nlp.tokenizer.token_match.__self__ is seeded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "True"]


def test_no_seed_for_another_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regex_cache, "_SEEDED", [])
    monkeypatch.setattr(regex_cache, "engine_tag", lambda: "cpython-9.9-sre0-4")
    before = dict(re._cache)  # type: ignore[attr-defined]
    assert regex_cache.seed() is False
    assert regex_cache._SEEDED == []
    assert re._cache == before  # type: ignore[attr-defined]


def test_no_seed_without_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> dict[str, object]:
        raise FileNotFoundError("fr_token_match.json.gz")

    monkeypatch.setattr(regex_cache, "_SEEDED", [])
    monkeypatch.setattr(regex_cache, "_read", missing)
    assert regex_cache.seed() is False


def test_code_the_engine_rejects_is_not_seeded(monkeypatch: pytest.MonkeyPatch) -> None:
    stored = regex_cache.compile_like_re("a+b")
    stored["code"] = [999_999]  # not engine code
    monkeypatch.setattr(regex_cache, "_SEEDED", [])
    monkeypatch.setattr(regex_cache, "_read", lambda: stored)
    assert regex_cache.seed() is False


def test_a_small_pattern_round_trips_through_the_stored_form(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pattern = r"(?i)^(?P<mot>[a-zé]+)-(?:là|ci)$"
    monkeypatch.setattr(regex_cache, "_SEEDED", [])
    monkeypatch.setattr(regex_cache, "_read", lambda: regex_cache.compile_like_re(pattern))
    assert regex_cache.seed()
    compiled = regex_cache._SEEDED[0]
    assert re.compile(pattern) is compiled  # found in re's cache
    match = compiled.match("Celle-LÀ")
    assert match is not None and match.group("mot") == "Celle"
    assert compiled.match("celle-bas") is None
