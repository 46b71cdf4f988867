"""The pipeline: a run's settings, the per-document stage, the engines, the stages in order.

``options`` (``RunOptions``) and ``config`` (packaged defaults and a user file),
``per_document`` (one post through spaCy and the per-document stages), ``engine`` (local
processes or Dask) and ``runner`` (per-document stages, then cross-post stages, then output).
"""
