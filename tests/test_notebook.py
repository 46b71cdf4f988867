"""The research notebook: committed without outputs, and runs top to bottom on the seed corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

from tests.conftest import REPO

NOTEBOOK = REPO / "notebooks" / "explore_corpus.ipynb"
KERNEL = "recap-nlp-test"


def test_notebook_is_committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


def test_notebook_uses_only_the_public_api() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    source = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "recap_nlp." not in source.replace("from recap_nlp.", "")  # no private attributes
    assert "._" not in source


@pytest.fixture()
def kernel_in_this_venv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernel spec that starts this interpreter, first on the Jupyter path.

    A user-wide ``python3`` spec could point at another Python without recap_nlp.
    """
    pytest.importorskip("ipykernel", reason="ipykernel is not installed in this environment")
    spec_dir = tmp_path / "jupyter" / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "recap-nlp (test)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return KERNEL


@pytest.mark.slow
def test_notebook_runs_top_to_bottom(
    corpus_copy: Path, tmp_path: Path, kernel_in_this_venv: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbclient import NotebookClient

    out = tmp_path / "out"
    monkeypatch.setenv("RECAP_CORPUS", str(corpus_copy))
    monkeypatch.setenv("RECAP_OUT", str(out))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name=kernel_in_this_venv,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    assert (out / "recap.duckdb").exists()
    assert list((out / "figures").glob("*.png"))
    assert (out / "factsheets" / "index.html").exists()
    printed = "\n".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.get("output_type") == "stream"
    )
    assert "label agreement with the baseline" in printed
