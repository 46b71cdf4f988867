"""Is this post in French? A function-word vote, cheap enough to run on every file."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_WORD = re.compile(r"[a-zà-öø-ÿœæ]+", re.IGNORECASE)
# Below this many function words the vote is noise: short posts are given the benefit of the doubt.
_MIN_MARKERS = 8


@dataclass(frozen=True)
class LanguageGuess:
    language: str  # "fr", "en" or "unknown"
    french_share: float
    n_markers: int


@cache
def _markers() -> dict[str, frozenset[str]]:
    raw = json.loads(
        resources.files("recap_nlp.data").joinpath("language_markers.json").read_text()
    )
    return {lang: frozenset(words) for lang, words in raw.items() if not lang.startswith("_")}


def guess_language(text: str, sample_chars: int = 20_000) -> LanguageGuess:
    """Guess whether a text is French from its function words.

    Example:
        >>> guess_language("Nous sommes partis à la découverte de Nantes.").language
        'fr'
    """
    markers = _markers()
    counts = {"fr": 0, "en": 0}
    for word in _WORD.findall(text[:sample_chars].lower()):
        for lang in counts:
            if word in markers[lang]:
                counts[lang] += 1
    total = counts["fr"] + counts["en"]
    share = counts["fr"] / total if total else 0.0
    if total < _MIN_MARKERS:
        return LanguageGuess("unknown", share, total)
    return LanguageGuess("fr" if share >= 0.5 else "en", share, total)
