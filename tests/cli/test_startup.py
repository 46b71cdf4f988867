"""Start-up: the command line does not load what a run without reports never uses."""

from __future__ import annotations

import subprocess
import sys


def test_cli_import_leaves_matplotlib_for_the_reports() -> None:
    """Importing the CLI (what every command pays) loads no figure or fact-sheet module."""
    code = (
        "import sys, recap_nlp.cli.main, recap_nlp.pipeline.runner\n"
        "print(','.join(m for m in ('matplotlib', 'recap_nlp.output.plots', "
        "'recap_nlp.output.factsheet') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert loaded == ""
