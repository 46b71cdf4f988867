"""The ``recap-nlp`` command: thin commands over the public API, printed with rich.

Each group of commands lives in its own module (``run``, ``browse``, ``evaluate``,
``reports``, ``explore``); this module registers them on the one ``app`` in the order
``recap-nlp --help`` lists them.

Exit codes: 0 all went well, 1 some inputs were skipped, 2 usage error (bad option,
missing corpus, output folder in use).
"""

from __future__ import annotations

from recap_nlp.cli import browse, evaluate, explore, reports
from recap_nlp.cli import run as run_commands
from recap_nlp.cli.common import app

__all__ = ["app"]

app.command("run")(run_commands.run_command)
app.command()(run_commands.info)
app.command()(browse.entities)
app.command()(browse.facts)
app.command()(browse.events)
app.command()(browse.conflicts)
app.command("themes")(browse.themes_command)
app.command()(browse.sentiment)
app.command()(evaluate.evaluate)
app.command("factsheet")(reports.factsheet_command)
app.command()(explore.concordance)
app.command()(explore.keyness)
