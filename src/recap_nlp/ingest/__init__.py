"""Ingest: from files on disk to ``Document`` records.

Corpus walking and skips (``corpus``), bytes to text (``encodings``), readers per format
(``readers/``), document ids (``docids``), the language check (``language``), duplicates
(``dedup``) and the clean-up for the model with its offset map (``normalize``).
"""
