"""The package's shape, checked from its source with ``ast``: imports run one way, no cycle.

Every import counts, at module level or inside a function (a lazy import cannot hide a
cycle), under ``TYPE_CHECKING`` too. The layers, top to bottom::

    cli -> evaluation -> pipeline -> output -> nlp -> stages -> records, french, model, version,
    parallel, memory, regex_cache

(the stages: ingest, entities, facts, themes, sentiment; a layer may skip those below it). A
stage never imports ``nlp``, ``output``, ``pipeline``, ``evaluation`` or ``cli``, and never
writes a file; ``output`` never imports ``pipeline``, ``evaluation`` or ``cli``.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "src" / "recap_nlp"
STAGES = ("ingest", "entities", "facts", "themes", "sentiment")
BASE = ("records", "french", "model", "version", "parallel", "memory", "regex_cache")
# What each part may not import (a part is a top-level module or package of recap_nlp).
FORBIDDEN = {
    **{stage: {"nlp", "output", "pipeline", "evaluation", "cli"} for stage in STAGES},
    **{base: {"output", "pipeline", "evaluation", "cli", "nlp", *STAGES} for base in BASE},
    "nlp": {"output", "pipeline", "evaluation", "cli"},
    "output": {"pipeline", "evaluation", "cli"},
    "pipeline": {"evaluation", "cli"},
    "evaluation": {"cli"},
}
# Calls that write or remove files (methods of paths and arrays, functions of os and shutil).
WRITING_METHODS = {"write_text", "write_bytes", "mkdir", "unlink", "touch", "to_csv", "to_disk"}
WRITING_FUNCTIONS = {"replace", "rename", "remove", "makedirs", "rmtree", "copyfile", "copytree"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
# Compiled modules (their C source in the package, built by setup.py): they import no module of
# the package, so they are leaves of the graph.
EXTENSIONS = {module_name(p): p for p in sorted(PACKAGE.rglob("*.c"))}


def imported_modules(name: str, path: Path) -> set[str]:
    """The recap_nlp modules ``name`` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            targets = [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            # "pkg.module.name" -> "pkg.module"
            while target and target not in MODULES and target not in EXTENSIONS:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


GRAPH = {name: imported_modules(name, path) for name, path in MODULES.items()}
GRAPH.update({name: set() for name in EXTENSIONS})


def part(module: str) -> str:
    """The top-level module or package of recap_nlp a module belongs to."""
    return module.split(".")[1] if "." in module else ""


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_the_imports() -> None:
    """The checks below are only as good as the graph: spot-check known edges."""
    assert "recap_nlp.pipeline.runner" in GRAPH["recap_nlp.cli.run"]
    assert "recap_nlp.records" in GRAPH["recap_nlp.facts.events"]
    assert "recap_nlp.output.store" in GRAPH["recap_nlp"]  # an import inside a function
    # an import of a compiled module, not of its package
    assert "recap_nlp.themes._cd_kernel" in GRAPH["recap_nlp.themes.nmf"]
    assert "recap_nlp.themes" not in GRAPH["recap_nlp.themes.nmf"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle() -> None:
    assert cycles(GRAPH) == []


def _forbidden_imports() -> Iterator[str]:
    for module, imported in sorted(GRAPH.items()):
        banned = FORBIDDEN.get(part(module), set())
        for target in sorted(imported):
            if part(target) in banned:
                yield f"{module} -> {target}"


def test_imports_run_one_way() -> None:
    assert list(_forbidden_imports()) == []


def test_every_part_is_placed_in_a_layer() -> None:
    """A new top-level module or package has to be given its place above."""
    parts = {part(m) for m in MODULES} - {""}
    placed = set(FORBIDDEN) | {"cli", "data"}
    assert parts <= placed, parts - placed


def _writing_calls(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
        writes = name in WRITING_METHODS or name.startswith("savez") or name == "dump"
        if writes or (owner in {"os", "shutil"} and name in WRITING_FUNCTIONS):
            yield f"{path.relative_to(REPO)}:{node.lineno} {name}()"
        if name == "open" and any(
            isinstance(arg, ast.Constant)
            and isinstance(arg.value, str)
            and set(arg.value) & set("wax")
            for arg in [*node.args, *(k.value for k in node.keywords if k.arg == "mode")]
        ):
            yield f"{path.relative_to(REPO)}:{node.lineno} open(..., write)"


def test_the_write_check_sees_writes() -> None:
    """The store writes files (and the trainers write weights): the check must see them."""
    assert any("mkdir()" in call for call in _writing_calls(PACKAGE / "output" / "store.py"))
    training = PACKAGE / "evaluation" / "sentiment_training.py"
    assert any("savez" in call for call in _writing_calls(training))


@pytest.mark.parametrize("stage", [*STAGES, "nlp", *BASE])
def test_stages_write_no_file(stage: str) -> None:
    paths = [p for name, p in MODULES.items() if part(name) == stage]
    assert paths
    assert [call for path in paths for call in _writing_calls(path)] == []


def test_version_module_imports_nothing_and_matches_the_project() -> None:
    tree = ast.parse((PACKAGE / "version.py").read_text(encoding="utf-8"))
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    namespace: dict[str, str] = {}
    exec(compile(tree, "version.py", "exec"), namespace)  # a literal assignment, nothing else
    assert namespace["__version__"] == project["version"]
