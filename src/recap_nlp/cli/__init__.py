"""The ``recap-nlp`` command (``recap_nlp.cli:app``, also ``python -m recap_nlp.cli``)."""

from recap_nlp.cli.main import app

__all__ = ["app"]
