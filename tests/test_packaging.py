"""Every imported package is declared, and a fresh install runs an HTML post."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "recap_nlp"
# Imported only by optional features: module -> (extra, distribution declared there).
OPTIONAL = {"distributed": ("dask", "dask")}


def _declared(extra: str | None = None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return {_normal(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in specs}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_modules() -> set[str]:
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"recap_nlp", "__future__"}


def test_every_imported_package_is_declared() -> None:
    providers = metadata.packages_distributions()
    declared = _declared()
    missing = []
    for module in sorted(_imported_modules()):
        if module in OPTIONAL:
            extra, distribution = OPTIONAL[module]
            assert distribution in _declared(extra), f"{module}: declare it in [{extra}]"
            continue
        distributions = {_normal(d) for d in providers.get(module, [module])}
        if not distributions & declared:
            missing.append(f"{module} (from {', '.join(sorted(distributions))})")
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


HTML_POST = """<!doctype html><html lang="fr"><head><title>Mission à Lyon</title></head>
<body><nav>Accueil | Contact</nav><article><h1>Mission à Lyon</h1>
<p>Du 12 au 14 mars 2019, une délégation de douze entrepreneurs de Sherbrooke a visité Lyon
pour rencontrer des incubateurs. Les échanges ont été concrets et plusieurs partenariats sont
à l’étude avec la Chambre de commerce de Lyon.</p>
<p>La mission s’est terminée par une soirée au Musée des Confluences, où les participants ont
présenté leurs projets devant une centaine d’invités.</p></article></body></html>
"""


def _source_copy(folder: Path) -> Path:
    """What a source distribution holds (pyproject, setup.py, README, ``src/``), in ``folder``.

    pip builds in the folder it installs from (``build/``, ``*.egg-info``): building from a
    copy leaves the working tree as it was.
    """
    folder.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, folder / name)
    # No compiled module either: the install must build the kernel itself.
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".cache", "*.so")
    shutil.copytree(ROOT / "src", folder / "src", ignore=ignore)
    return folder


def _tree_state() -> set[str]:
    """Names at the top of the tree and of ``src/`` (where a build would write)."""
    return {p.name for p in ROOT.iterdir()} | {p.name for p in (ROOT / "src").iterdir()}


@pytest.mark.slow
def test_fresh_install_with_the_venv_pip_reads_an_html_post(tmp_path: Path) -> None:
    """``python3 -m venv`` and its own pip (no upgrade), then the CLI on an HTML post.

    Installs from a copy of the sources (the working tree is never written). Takes a few
    minutes the first time (the wheels come from the index or pip's cache).
    """
    before = _tree_state()
    venv = tmp_path / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"python -m venv cannot create a venv here: {made.stderr.decode()[-200:]}")
    bin_dir = venv / ("Scripts" if sys.platform == "win32" else "bin")
    source = _source_copy(tmp_path / "source")
    install = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(source)],
        capture_output=True,
        text=True,
        timeout=1500,
        cwd=tmp_path,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    assert _tree_state() == before, "the install wrote into the working tree"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "mission.html").write_text(HTML_POST, encoding="utf-8")
    out = tmp_path / "out"
    command = [str(bin_dir / "recap-nlp"), "run", str(corpus), "--out", str(out), "--no-reports"]
    ran = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 documents analysed, 0 skipped" in ran.stdout
    assert "Sherbrooke" in (out / "tables" / "sentences.csv").read_text(encoding="utf-8")
    if shutil.which("cc") or shutil.which("gcc"):  # the optional C kernel was built, and used
        probe = "from recap_nlp.themes import nmf; print(nmf.coordinate_update().__name__)"
        python = str(bin_dir / "python")
        used = subprocess.run([python, "-c", probe], capture_output=True, text=True)
        assert used.stdout.strip() == "update", used.stdout + used.stderr
