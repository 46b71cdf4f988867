"""recap_nlp: facts people can trust from French blog recaps.

The public API in two calls::

    import recap_nlp
    result = recap_nlp.run("corpus", "outputs")   # every record of the run, also stored
    tables = recap_nlp.load("outputs")            # {table name: pandas DataFrame}

and two for exploring it: ``recap_nlp.concordance("outputs", "délégation")`` (keyword in
context) and ``recap_nlp.keyness("outputs", group="published=2017")`` (specific words).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from recap_nlp.version import __version__

if TYPE_CHECKING:
    import pandas as pd

    from recap_nlp.records import RunResult

__all__ = ["__version__", "concordance", "keyness", "load", "run"]


def run(source: str | Path, out: str | Path, **options: Any) -> RunResult:
    """Run the whole pipeline on ``source`` and write the outputs into ``out``.

    Keyword options are those of :class:`recap_nlp.pipeline.options.RunOptions` (workers,
    n_themes, ...).
    """
    from recap_nlp.pipeline.options import RunOptions
    from recap_nlp.pipeline.runner import run as run_pipeline

    return run_pipeline(source, out, RunOptions(**options))


def load(out: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of a finished run, read from its DuckDB database."""
    from recap_nlp.output import store

    out_dir = Path(out)
    return {name: store.read_table(out_dir, name) for name in store.list_tables(out_dir)}


def concordance(out: str | Path, query: str, **options: Any) -> pd.DataFrame:
    """Every occurrence of a word or entity in the run in ``out``, in context.

    Options: ``width`` (characters each side, 40), ``post`` (one doc id). See
    :func:`recap_nlp.output.explore.concordance_frame`.
    """
    from recap_nlp.output.explore import concordance as run_concordance

    return run_concordance(out, query, **options)


def keyness(out: str | Path, **options: Any) -> pd.DataFrame:
    """The words over-represented in a post (``post=``) or group (``group="FIELD=VALUE"``).

    See :func:`recap_nlp.output.explore.keyness` (log-likelihood, log ratio, counts).
    """
    from recap_nlp.output.explore import keyness as run_keyness

    return run_keyness(out, **options)
