"""`make stress`: the seed corpus mixed with every kind of bad input.

Prints how many files were processed, warned, skipped or set aside as duplicates, and
checks that the seed posts' mentions, facts and conflicts are the same as on the clean corpus::

    .venv/bin/python benchmarks/stress.py
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # for tests.data.bad_corpus, the single definition of the cases

from tests.data.bad_corpus import build_bad_corpus  # noqa: E402

from recap_nlp.pipeline import RunResult, run  # noqa: E402
from recap_nlp.tables import build_tables  # noqa: E402

SEED_TABLES = ("mentions", "facts", "sentences")


def main() -> int:
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="recap-stress-") as tmp:
        work = Path(tmp)
        shutil.copytree(REPO / "corpus", work / "clean")
        shutil.copytree(REPO / "corpus", work / "mixed")
        cases = build_bad_corpus(work / "mixed" / "bad")
        clean = run(work / "clean", work / "out-clean")
        mixed = run(work / "mixed", work / "out-mixed")
    print_outcomes(mixed, len(cases))
    unchanged = seed_rows(clean) == seed_rows(mixed, keep={d.doc_id for d in clean.documents})
    print(f"seed posts' results unchanged: {'yes' if unchanged else 'NO'}")
    return 0 if unchanged else 1


def print_outcomes(result: RunResult, n_cases: int) -> None:
    warned = [d for d in result.documents if d.warnings]
    print(f"bad-input cases: {n_cases}")
    print(f"{'outcome':<12}{'files':>6}")
    print(f"{'processed':<12}{len(result.documents) - len(warned):>6}")
    print(f"{'warned':<12}{len(warned):>6}")
    print(f"{'skipped':<12}{len(result.skipped):>6}")
    print(f"{'duplicates':<12}{len(result.duplicates):>6}")
    for skip in result.skipped:
        print(f"  skipped  {Path(skip.path).name}: {skip.reason}")
    for doc in warned:
        print(f"  warned   {Path(doc.source_path).name}: {'; '.join(doc.warnings)}")


def seed_rows(result: RunResult, keep: set[str] | None = None) -> dict[str, list[dict]]:
    tables = {t.name: t.rows for t in build_tables(result) if t.name in SEED_TABLES}
    if keep is None:
        return tables
    return {name: [r for r in rows if r["doc_id"] in keep] for name, rows in tables.items()}


if __name__ == "__main__":
    raise SystemExit(main())
