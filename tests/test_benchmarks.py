"""``make bench`` rewrites only its own block of ``benchmarks/results.md``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _bench() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))  # bench.py imports its helper module from beside it
    try:
        spec = importlib.util.spec_from_file_location("bench", BENCHMARKS / "bench.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


def test_the_generated_block_is_replaced_and_the_notes_after_it_kept() -> None:
    bench = _bench()
    notes = "## Paired timings\n\nkept\n"
    previous = f"{bench.BEGIN}\n# Benchmarks\n\nold table\n{bench.END}\n\n{notes}"
    updated = bench.with_latest(previous, "# Benchmarks\n\nnew table\n")
    assert "new table" in updated and "old table" not in updated
    assert updated.endswith(notes)
    assert updated.count(bench.BEGIN) == 1 and updated.count(bench.END) == 1
    assert bench.with_latest(updated, "# Benchmarks\n\nnew table\n") == updated  # stable


def test_a_file_without_the_block_gets_it_on_top_and_keeps_its_text() -> None:
    bench = _bench()
    updated = bench.with_latest("## Notes written by hand\n", "# Benchmarks\n\ntable\n")
    assert updated.startswith(bench.BEGIN + "\n# Benchmarks")
    assert updated.endswith("## Notes written by hand\n")
    assert bench.with_latest("", "# Benchmarks\n").endswith(bench.END + "\n")


def test_the_shipped_results_hold_one_generated_block_on_top() -> None:
    bench = _bench()
    text = (BENCHMARKS / "results.md").read_text(encoding="utf-8")
    assert text.startswith(bench.BEGIN)
    assert text.count(bench.END) == 1
