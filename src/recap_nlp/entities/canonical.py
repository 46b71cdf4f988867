"""One canonical entity per real-world thing across the corpus."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import replace

from recap_nlp.records import Entity, Mention


def fold(text: str) -> str:
    """Fold case, accents and apostrophes: "Québec Numérique" -> "quebec numerique"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def canonicalize(mentions: list[Mention]) -> tuple[list[Entity], list[Mention]]:
    """Group mentions into entities; return the entities and the mentions with ids filled."""
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for mention in mentions:
        groups[(mention.label, fold(mention.text))].append(mention)
    entities: list[Entity] = []
    resolved: dict[tuple[str, str], Entity] = {}
    for key, members in sorted(groups.items()):
        canonical = max(sorted({m.text for m in members}), key=lambda t: sum(m.text == t for m in members))
        entity_id = entity_id_for(key[0], canonical)
        entity = Entity(entity_id, canonical, key[0], tuple(sorted({m.text for m in members})),  # type: ignore[arg-type]
                        len(members), len({m.doc_id for m in members}))
        resolved[key] = entity
        entities.append(entity)
    filled = [replace(m, canonical=resolved[(m.label, fold(m.text))].canonical,
                      entity_id=resolved[(m.label, fold(m.text))].entity_id) for m in mentions]
    return sorted(entities, key=lambda e: e.entity_id), filled


def entity_id_for(label: str, canonical: str) -> str:
    """A stable id from the label and canonical name."""
    digest = hashlib.sha1(f"{label}|{fold(canonical)}".encode()).hexdigest()[:10]
    return f"{label.lower()}_{digest}"
