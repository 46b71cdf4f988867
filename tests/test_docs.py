"""The README is part of the product: its schema and commands are checked against the code."""

from __future__ import annotations

import re

from typer.main import get_command

from recap_nlp.cli.main import app
from recap_nlp.output.tables import build_tables
from recap_nlp.records import RunResult
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _documented_tables() -> dict[str, list[str]]:
    section = README.split("## Output tables", 1)[1].split("\n## ", 1)[0]
    tables: dict[str, list[str]] = {}
    for block in section.split("\n### ")[1:]:
        name = block.splitlines()[0].strip()
        rows = re.findall(r"^\| ([a-z_]+) \|", block, flags=re.MULTILINE)
        tables[name] = [r for r in rows if r != "column"]
    return tables


def test_readme_starts_with_the_two_setup_commands() -> None:
    first_block = README.split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line]
    assert commands == ["make run", "make test"]


def test_readme_schema_matches_the_tables_written() -> None:
    written = {t.name: list(t.columns) for t in build_tables(RunResult())}
    assert _documented_tables() == written


def test_readme_mentions_every_command() -> None:
    for name in get_command(app).commands:  # type: ignore[attr-defined]
        assert f"recap-nlp {name}" in README, name
