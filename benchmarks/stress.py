"""`make stress`: the seed corpus mixed with every kind of bad input, then the hard cases.

Prints a table of every case with its expected and actual outcome, checks that the seed
posts' mentions, facts and sentences are the same as on the clean corpus, then measures the
cases that need time or memory (output folder errors, formula cells, clashing ids, a
100,000-line gazetteer, huge posts of 1 and 5 MB: peak memory and speed)::

    .venv/bin/python benchmarks/stress.py [--quick]   # --quick: no 5 MB post
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # for tests.data.bad_corpus, the single definition of the cases

from tests.data.bad_corpus import FRENCH, VARIANTS, Case, build_bad_corpus  # noqa: E402

from recap_nlp.output import store  # noqa: E402
from recap_nlp.output.tables import build_tables  # noqa: E402
from recap_nlp.pipeline.runner import run  # noqa: E402
from recap_nlp.records import RunResult  # noqa: E402

SEED_TABLES = ("mentions", "facts", "sentences")
HUGE_SIZES_MB = (1.0, 5.0)


def main() -> int:
    logging.basicConfig(level=logging.ERROR)
    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory(prefix="recap-stress-") as tmp:
        work = Path(tmp)
        shutil.copytree(REPO / "corpus", work / "clean")
        shutil.copytree(REPO / "corpus", work / "mixed")
        cases = build_bad_corpus(work / "mixed" / "bad")
        clean = run(work / "clean", work / "out-clean")
        mixed = run(work / "mixed", work / "out-mixed")
        ok = print_cases(mixed, cases)
        unchanged = seed_rows(clean) == seed_rows(mixed, keep={d.doc_id for d in clean.documents})
        print(f"seed posts' results unchanged: {'yes' if unchanged else 'NO'}\n")
        rows = hard_cases(work, sizes=HUGE_SIZES_MB[:1] if quick else HUGE_SIZES_MB)
    print(f"{'hard case':<44}{'outcome'}")
    for name, outcome in rows:
        print(f"{name:<44}{outcome}")
    return 0 if unchanged and ok else 1


def actual_outcome(result: RunResult, case: Case) -> tuple[str, str]:
    """What the run did with one case: outcome and the reason or warning."""
    skips = {Path(s.path).name: s.reason for s in result.skipped}
    if case.name in skips:
        return "skipped", skips[case.name]
    if Path(case.name).stem in {d.doc_id for d in result.duplicates}:
        return "duplicate", ""
    for doc in result.documents:
        if Path(doc.source_path).name == case.name:
            return ("warned", "; ".join(doc.warnings)) if doc.warnings else ("processed", "")
    return "missing", ""


def print_cases(result: RunResult, cases: list[Case]) -> bool:
    print(f"{'case':<28}{'expected':<11}{'outcome':<11}reason / warning")
    all_ok = True
    for case in cases:
        outcome, reason = actual_outcome(result, case)
        ok = outcome == case.outcome and case.reason in reason
        all_ok &= ok
        mark = "" if ok else "  <-- UNEXPECTED"
        print(f"{case.name:<28}{case.outcome:<11}{outcome:<11}{reason[:70]}{mark}")
    print(
        f"{len(result.documents)} processed ({sum(bool(d.warnings) for d in result.documents)}"
        f" warned), {len(result.skipped)} skipped, {len(result.duplicates)} duplicates"
    )
    return all_ok


def seed_rows(result: RunResult, keep: set[str] | None = None) -> dict[str, list[dict]]:
    tables = {t.name: t.rows for t in build_tables(result) if t.name in SEED_TABLES}
    if keep is None:
        return tables
    return {name: [r for r in rows if r["doc_id"] in keep] for name, rows in tables.items()}


def hard_cases(work: Path, sizes: tuple[float, ...]) -> list[tuple[str, str]]:
    rows = output_folder_cases(work)
    rows.append(("CSV cell '=HYPERLINK(...)'", formula_cell(work)))
    rows.append(("ids: a/post.txt, b/post.txt, JSON id 'post'", clashing_ids(work)))
    rows.append(("gazetteer of 100,000 lines", gazetteer_build(work)))
    rows.extend((f"one post of {size:g} MB", huge_post(work, size)) for size in sizes)
    return rows


def _cli(args: list[str]) -> tuple[int, str]:
    from typer.testing import CliRunner

    from recap_nlp.cli.main import app

    result = CliRunner().invoke(app, args)
    return result.exit_code, " ".join(result.output.split())


def output_folder_cases(work: Path) -> list[tuple[str, str]]:
    corpus = work / "small"
    corpus.mkdir()
    (corpus / "rimouski.txt").write_text(FRENCH * 2, encoding="utf-8")
    a_file = work / "sortie.txt"
    a_file.write_text("x")
    rows = []
    for name, out in (("--out is a file", a_file), ("--out cannot be created", a_file / "o")):
        code, text = _cli(["run", str(corpus), "--out", str(out), "--no-reports"])
        rows.append((name, f"exit {code}: {text[:90]}"))
    out = work / "out-small"
    _cli(["run", str(corpus), "--out", str(out), "--no-reports"])
    before = (out / "tables" / "sentences.csv").read_bytes()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with mock.patch.object(store.pd.DataFrame, "to_csv", full):
        code, text = _cli(["run", str(corpus), "--out", str(out), "--no-reports", "--no-cache"])
    intact = (out / "tables" / "sentences.csv").read_bytes() == before
    rows.append(("disk full while writing", f"exit {code}, previous intact: {intact}"))
    return rows


def formula_cell(work: Path) -> str:
    table = store.table_from_rows("t", {"title": "VARCHAR"}, [{"title": '=HYPERLINK("x")'}])
    store.write_outputs(work / "out-formula", [table])
    cell = (work / "out-formula" / "tables" / "t.csv").read_text().splitlines()[1]
    raw = store.read_table(work / "out-formula", "t")["title"][0]
    return f"CSV {cell}, DuckDB {raw}"


def clashing_ids(work: Path) -> str:
    from recap_nlp.ingest.corpus import read_corpus

    root = work / "clash"
    for folder, text in (("a", VARIANTS[0]), ("b", VARIANTS[1])):
        (root / folder).mkdir(parents=True)
        (root / folder / "post.txt").write_text(text, encoding="utf-8")
    line = json.dumps({"id": "post", "text": VARIANTS[2]})
    (root / "lignes.jsonl").write_text(line, encoding="utf-8")
    read = read_corpus(root)
    ids = sorted(d.doc_id for d in read.documents)
    return f"ids {', '.join(ids)}; {sum(len(d.warnings) for d in read.documents)} warnings"


def gazetteer_build(work: Path) -> str:
    from recap_nlp.entities.components import add_entity_components
    from recap_nlp.nlp import _load_with_senter

    path = work / "gazetteer.tsv"
    words = ("Atelier", "Maison", "Collectif", "Studio", "Fondation", "Groupe", "Agence")
    lines = (f"{words[i % len(words)]} {i:06d} du Nord\tORG\n" for i in range(100_000))
    path.write_text("".join(lines), encoding="utf-8")
    nlp = _load_with_senter("fr_core_news_sm")
    started = time.perf_counter()
    add_entity_components(nlp, str(path))
    return f"built in {time.perf_counter() - started:.1f} s (target < 15 s; was 108 s)"


def huge_post(work: Path, size_mb: float) -> str:
    """Analyse one post of ``size_mb`` MB in a fresh process: seconds, peak memory, speed."""
    path = work / f"huge_{size_mb:g}.txt"
    texts = [*VARIANTS, FRENCH]
    parts, n = [], 0
    while sum(map(len, parts)) < size_mb * 1e6:
        parts.append(texts[n % len(texts)].replace("\n", f" (paragraphe {n}).\n\n"))
        n += 1
    path.write_text("".join(parts), encoding="utf-8")
    code = (
        "import resource, sys, time; from pathlib import Path\n"
        "from recap_nlp.ingest.corpus import read_file\n"
        "from recap_nlp.pipeline.options import RunOptions\n"
        "from recap_nlp.pipeline.runner import analyse\n"
        "docs = read_file(Path(sys.argv[1]), max_bytes=10**9); t = time.perf_counter()\n"
        "analyse(docs, RunOptions(use_cache=False))\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return f"FAILED: {done.stderr.strip().splitlines()[-1]}"
    seconds, peak_kb = done.stdout.split()[-2:]
    chars = path.stat().st_size
    peak = int(peak_kb) / 1e6
    return f"{float(seconds):.0f} s, {chars / float(seconds) / 1e3:.0f} kB/s, peak {peak:.2f} GB"


if __name__ == "__main__":
    raise SystemExit(main())
