"""The pipeline: settings, the engines that run per-document stages, the stages in order.

``config`` (packaged defaults and a user file), ``engine`` (local processes or Dask) and
``runner`` (the run: per-document stages, then cross-post stages, then the outputs).
"""
