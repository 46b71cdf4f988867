"""The ``recap-nlp`` command (``recap_nlp.cli:app``, also ``python -m recap_nlp.cli``)."""

import gc

# Importing the command loads spaCy, scikit-learn, pandas and matplotlib: hundreds of
# thousands of long-lived objects that Python's default thresholds make the collector scan
# again and again. Collected less often while they load; the caller's settings come back.
_SAVED_THRESHOLD = gc.get_threshold()
gc.set_threshold(max(_SAVED_THRESHOLD[0], 50_000), *_SAVED_THRESHOLD[1:])
try:
    from recap_nlp.cli.main import app
finally:
    gc.set_threshold(*_SAVED_THRESHOLD)

__all__ = ["app"]
