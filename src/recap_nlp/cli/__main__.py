"""``python -m recap_nlp.cli``: the ``recap-nlp`` command."""

from recap_nlp.cli.main import app

app()
