"""Scoring against gold: entity mentions span by span (``mentions``), and per document
(``documents``, the ``../shared/realdev/gold.json`` format)."""
