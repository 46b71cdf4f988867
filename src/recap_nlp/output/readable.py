"""What people read instead of identifiers: post labels, event names, counts in words.

Shared by the fact sheets, the figures and the terminal so a post or an event has the same
name everywhere; the identifiers stay in tooltips, footnotes and the ``--wide`` tables.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

FIRST_WORDS = 8
TITLE_LIMIT = 70
# Kinds of event that are trips: they are named after who went where.
TRIP_KINDS = ("mission", "voyage", "délégation", "séjour")


def plural(n: int, one: str, many: str | None = None) -> str:
    """``n`` with ``one`` or its plural (``many``, by default ``one`` + "s"); 0 and 1 singular.

    Example: ``plural(1, "mention")`` → ``"1 mention"``; ``plural(3, "billet")`` →
    ``"3 billets"``; ``plural(2, "désaccord")`` → ``"2 désaccords"``.
    """
    return f"{n} {one if abs(n) < 2 else (many or one + 's')}"


def shorten(text: str, limit: int = TITLE_LIMIT) -> str:
    """``text`` on one line, cut at a word boundary with "…" past ``limit`` characters.

    Example: ``shorten("Retour sur notre mission en France", 20)`` → ``"Retour sur notre…"``.
    """
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:–-") + "…"


def _cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def post_labels(
    documents: pd.DataFrame, sentences: pd.DataFrame | None = None, limit: int = TITLE_LIMIT
) -> dict[str, str]:
    """A readable label per post: its title, else its first words and its date.

    Example: a post without a title that starts "Le 27 septembre dernier se déroulait
    l’événement…" and was published on 2021-10-02 → ``"« Le 27 septembre dernier se déroulait
    l’événement… » (2021-10-02)"``; with neither title nor text, its id.
    """
    first = _first_sentences(sentences) if sentences is not None else {}
    labels = {}
    for row in documents.itertuples():
        doc_id, title = str(row.doc_id), _cell(getattr(row, "title", "")).strip()
        if title:
            labels[doc_id] = shorten(title, limit)
            continue
        words = first.get(doc_id, "").split()
        published = _cell(getattr(row, "published", "")).strip()
        if not words:
            labels[doc_id] = f"{doc_id} ({published})" if published else doc_id
            continue
        opening = " ".join(words[:FIRST_WORDS]) + ("…" if len(words) > FIRST_WORDS else "")
        opening = f"« {shorten(opening, max(limit - 14, 32))} »"
        labels[doc_id] = f"{opening} ({published})" if published else opening
    return labels


def _first_sentences(sentences: pd.DataFrame) -> dict[str, str]:
    if sentences.empty:
        return {}
    ordered = sentences.sort_values(["doc_id", "start"])
    first = ordered.drop_duplicates("doc_id")
    return {str(d): _cell(t) for d, t in zip(first["doc_id"], first["text"], strict=True)}


def json_items(cell: object) -> list[str]:
    """The items of a JSON-array cell as text ("" or a non-array → as one item or none)."""
    text = _cell(cell).strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return [text]
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return [text]


def joined(cell: object) -> str:
    """A JSON-array cell shown as a list: ``'["Angers", "Nantes"]'`` → ``"Angers, Nantes"``."""
    return ", ".join(json_items(cell))


@cache
def _countries() -> dict[str, tuple[str, str]]:
    text = resources.files("recap_nlp.data").joinpath("countries_fr.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return {code: (name, preposition) for code, name, preposition in rows}


@cache
def _city_countries() -> dict[str, str]:
    """City name → country code of the most populous city of that name (packaged gazetteer)."""
    text = resources.files("recap_nlp.data").joinpath("entity_places.tsv").read_text("utf-8")
    best: dict[str, tuple[int, str]] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if line.startswith("#") or len(parts) < 4 or parts[1] != "CITY":
            continue
        population = int(parts[3]) if parts[3].isdigit() else 0
        if population >= best.get(parts[0], (-1, ""))[0]:
            best[parts[0]] = (population, parts[2])
    return {name: code for name, (_, code) in best.items()}


def place_phrase(cities: Iterable[str]) -> str:
    """Where a trip went, in French: the country when all cities are in one, else the cities.

    Example: ``["Angers", "Nantes"]`` → ``"en France"``; ``["Montréal"]`` → ``"au Canada"``;
    ``["Ville-Inconnue"]`` → ``"à Ville-Inconnue"``.
    """
    names = [c for c in dict.fromkeys(str(c).strip() for c in cities) if c]
    if not names:
        return ""
    codes = {_city_countries().get(name, "") for name in names}
    if len(codes) == 1 and (code := codes.pop()) in _countries():
        country, preposition = _countries()[code]
        return f"{preposition} {country}"
    if len(names) == 1:
        return f"à {names[0]}"
    return "à " + ", ".join(names[:-1]) + " et " + names[-1]


def event_display_name(event: Mapping[str, Any] | Any) -> str:
    """The name people read for an event row of the ``events`` table.

    The ``display_name`` column when the run has it; for trips, "Mission <organiser> <where>
    <year>" from the columns the data fills; else the generated ``name``.

    Example: a mission of 2017 organised by "Québec numérique" to Angers and Nantes →
    ``"Mission Québec numérique en France 2017"``.
    """
    get = event.get if isinstance(event, Mapping) else lambda k, d="": getattr(event, k, d)
    display = _cell(get("display_name", "")).strip()
    name = _cell(get("name", "")).strip()
    fallback = display or name or _cell(get("event_id", ""))
    kind = _cell(get("kind", "")).strip().lower()
    # A trip's own name ("Mission Montréal 2019") wins; a generated "mission 2017 – X" does not.
    if kind not in TRIP_KINDS or (display and not display.lower().startswith(kind)):
        return fallback
    organiser = _cell(get("organiser", "")).strip()
    where = place_phrase(json_items(get("cities", "")))
    year = _cell(get("start_date", ""))[:4]
    if not (organiser or where):
        return fallback
    parts = [kind.capitalize(), organiser, where, year if re.fullmatch(r"\d{4}", year) else ""]
    return " ".join(p for p in parts if p)


def event_names(events: pd.DataFrame) -> dict[str, str]:
    """Display name per event id (see :func:`event_display_name`)."""
    return {str(row["event_id"]): event_display_name(row) for row in events.to_dict("records")}
