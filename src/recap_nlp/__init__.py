"""recap_nlp: facts people can trust from French blog recaps."""

__version__ = "0.1.0"
