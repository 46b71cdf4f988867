"""The fact stages' cue tables (``data/fact_cues.toml``): words that announce dates, counts,
roles, events and trips, read once per process for every fact module."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_fact_cues() -> dict[str, Any]:
    """Return the packaged cue tables (``data/fact_cues.toml``), parsed once."""
    text = resources.files("recap_nlp.data").joinpath("fact_cues.toml").read_text("utf-8")
    return tomllib.loads(text)
