"""`make bench`: the whole run against bare ``nlp.pipe``, as whole processes, same texts, same run.

For each corpus size it writes a real-shaped corpus (``benchmarks/realshaped.py``: distinct
posts of about 1,000 words made of real French recap sentences, fixed seed), then times, each
as a fresh process and for each worker count:

(a) bare ``nlp.pipe`` of ``fr_core_news_sm`` with all its components over the same texts, read
    from the same files (``benchmarks/bare_pipe.py``);
(b) ``recap-nlp run CORPUS --out OUT --no-cache`` with its reports (fact sheets, figures);
(c) the same with ``--no-reports``;

and prints words per second, the peak memory of the largest process, the ratios b/a and c/a,
the speed-up of two workers over one, and each stage's share of (b). A last line runs the
replicated-seed corpus of the earlier benchmark (the five seeds copied with distinct ids) at
200 posts, labelled as such. Results go to ``benchmarks/results.md`` with the machine::

    .venv/bin/python benchmarks/bench.py            # 50, 200, 1,000 and 5,000 posts (~3 h)
    .venv/bin/python benchmarks/bench.py --quick    # 50 and 200 posts (~15 min)
    .venv/bin/python benchmarks/bench.py --sizes 200 --workers 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import realshaped  # noqa: E402 - the benchmark's own helper module, beside this file

TARGET_WITH_REPORTS = 1.0  # whole run with reports over bare nlp.pipe, one worker
TARGET_WITHOUT_REPORTS = 1.2
TARGET_TWO_WORKERS = 1.6  # two workers' throughput over one worker's
MEMORY_TARGET = 1.5  # peak at 5,000 posts over peak at 500 (or the nearest smaller size)


def measure(command: list[str], timings: Path | None = None) -> dict:
    """Wall seconds and peak RSS (largest process) of ``command``, run in a fresh child."""
    wrapper = [sys.executable, __file__, "--measure", json.dumps(command)]
    env = dict(os.environ)
    if timings is not None:
        env["RECAP_BENCH_TIMINGS"] = str(timings)
    output = subprocess.run(wrapper, check=True, capture_output=True, text=True, env=env).stdout
    measured = json.loads(output.strip().splitlines()[-1])
    if timings is not None and timings.exists():
        measured["timings"] = json.loads(timings.read_text(encoding="utf-8"))
    return measured


def run_measured(command: list[str]) -> dict:
    """In the wrapper process: run ``command``, time it, read its children's peak memory."""
    started = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if finished.returncode not in (0, 1):
        raise SystemExit(f"{command[:3]} failed ({finished.returncode}): {finished.stderr[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the command and its workers: steadier than wall time on shared cores.
    cpu = usage.ru_utime + usage.ru_stime
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "cpu_seconds": cpu}


def configurations(corpus: Path, out: Path, workers: int) -> dict[str, list[str]]:
    python = sys.executable
    run = [python, str(HERE / "timed_run.py"), str(corpus), "--out", str(out), "--no-cache"]
    run += ["--workers", str(workers)]
    return {
        "bare": [python, str(HERE / "bare_pipe.py"), str(corpus), "--workers", str(workers)],
        "reports": run,
        "no_reports": [*run, "--no-reports"],
    }


def measure_size(corpus: Path, words: int, workers: int, scratch: Path) -> dict:
    row: dict = {"words": words, "workers": workers}
    for name, command in configurations(corpus, scratch / f"out_{workers}", workers).items():
        timings = scratch / f"timings_{name}_{workers}.json" if name == "reports" else None
        row[name] = measure(command, timings)
    return row


def words_per_second(row: dict, name: str) -> float:
    return row["words"] / row[name]["seconds"]


def cpu_ratio(row: dict, name: str) -> float:
    """Bare CPU seconds over the run's: the ratio of words per CPU second."""
    return row["bare"].get("cpu_seconds", 0.0) / (row[name].get("cpu_seconds") or 1.0)


def report(rows: list[dict]) -> str:
    lines = [
        "| corpus | posts | workers | bare words/s | run words/s (reports) | ratio | "
        "run words/s (no reports) | ratio | bare peak MB | run peak MB | "
        "CPU ratio (reports / no reports) | stage shares (with reports) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        bare = words_per_second(row, "bare")
        full, lean = words_per_second(row, "reports"), words_per_second(row, "no_reports")
        timings = row["reports"].get("timings", {})
        total = sum(timings.values()) or 1.0
        shares = ", ".join(f"{k} {v / total:.0%}" for k, v in timings.items())
        lines.append(
            f"| {row['corpus']} | {row['size']} | {row['workers']} | {bare:,.0f} | {full:,.0f} "
            f"| {full / bare:.2f} | {lean:,.0f} | {lean / bare:.2f} | "
            f"{row['bare']['peak_mb']:,.0f} | {row['reports']['peak_mb']:,.0f} | "
            f"{cpu_ratio(row, 'reports'):.2f} / {cpu_ratio(row, 'no_reports'):.2f} | {shares} |"
        )
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> str:
    """The speed issue's targets, checked on the rows just measured (real-shaped corpus only)."""
    real = [r for r in rows if r["corpus"] == "real-shaped"]
    lines = []
    for row in (r for r in real if r["workers"] == 1):
        bare = words_per_second(row, "bare")
        for name, target in (
            ("reports", TARGET_WITH_REPORTS),
            ("no_reports", TARGET_WITHOUT_REPORTS),
        ):
            ratio = words_per_second(row, name) / bare
            verdict = "met" if ratio >= target else "NOT met"
            label = "with reports" if name == "reports" else "without reports"
            lines.append(
                f"- {row['size']} posts, 1 worker, {label}: {ratio:.2f}× bare "
                f"(target ≥ {target}×: {verdict})"
            )
    by_key = {(r["size"], r["workers"]): r for r in real}
    for (size, workers), row in sorted(by_key.items()):
        one = by_key.get((size, 1))
        if workers == 2 and one:
            speedup = words_per_second(row, "reports") / words_per_second(one, "reports")
            verdict = "met" if speedup >= TARGET_TWO_WORKERS else "NOT met"
            lines.append(
                f"- {size} posts, 2 workers over 1 (with reports): {speedup:.2f}× "
                f"(target ≥ {TARGET_TWO_WORKERS}×: {verdict})"
            )
    sizes = sorted({r["size"] for r in real})
    if len(sizes) > 1 and sizes[-1] >= 10 * sizes[0]:
        small = max(s for s in sizes if s <= sizes[-1] // 5)
        for workers in (1, 2):
            big, base = by_key.get((sizes[-1], workers)), by_key.get((small, workers))
            if big and base:
                growth = big["reports"]["peak_mb"] / base["reports"]["peak_mb"]
                verdict = "met" if growth <= MEMORY_TARGET else "NOT met"
                lines.append(
                    f"- peak memory {sizes[-1]} vs {small} posts, {workers} worker(s): "
                    f"{growth:.2f}× (target ≤ {MEMORY_TARGET}×: {verdict})"
                )
    return "\n".join(lines)


def replicated_seeds(size: int, folder: Path) -> int:
    """The earlier benchmark's corpus: the seed posts copied with distinct ids and first lines."""
    seeds = sorted(p for p in (REPO / "corpus").iterdir() if p.suffix in {".txt", ".md"})
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for index in range(size):
        seed = seeds[index % len(seeds)]
        text = f"Copie {index // len(seeds)} du billet.\n" + seed.read_text(encoding="utf-8")
        words += len(text.split())
        (folder / f"{seed.stem}-copie{index}{seed.suffix}").write_text(text, encoding="utf-8")
    return words


def checkout() -> str:
    """The commit measured, and whether the working tree differs from it (git, when there)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "commit unknown (no git)"
    if not commit:
        return "commit unknown (not a git checkout)"
    return f"commit {commit}" + (" with uncommitted changes" if changed else "")


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import spacy

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, Python "
        f"{platform.python_version()}, spaCy {spacy.__version__}, fr_core_news_sm; "
        f"load average at the end {load} (the cores are shared, so figures are noisy)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,1000,5000")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--quick", action="store_true", help="sizes 50 and 200")
    parser.add_argument("--no-replicated", action="store_true", help="skip the replicated line")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(run_measured(json.loads(args.measure))))
        return 0
    if args.quick:
        args.sizes = "50,200"
    sizes = [int(s) for s in args.sizes.split(",")]
    workers_list = [int(w) for w in args.workers.split(",")]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    pool = realshaped.sentence_pool(realshaped.sources())
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="recap-bench-") as tmp:
        scratch = Path(tmp)
        for size in sizes:
            corpus = scratch / f"real_{size}"
            words = realshaped.write_corpus(size, corpus, pool)
            for workers in workers_list:
                row = measure_size(corpus, words, workers, scratch)
                rows.append({"corpus": "real-shaped", "size": size} | row)
                print(report(rows[-1:]).splitlines()[-1], flush=True)
        if not args.no_replicated:
            size = 200
            corpus = scratch / "replicated"
            words = replicated_seeds(size, corpus)
            row = measure_size(corpus, words, 1, scratch)
            rows.append({"corpus": "replicated seeds", "size": size} | row)
            print(report(rows[-1:]).splitlines()[-1], flush=True)
    table = report(rows) + "\n\nTargets:\n\n" + verdicts(rows)
    ended = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = (
        f"# Benchmarks\n\nMachine: {machine()}.\n\nMeasured: {started} to {ended}, "
        f"{checkout()}.\n\nCommand: `make bench` "
        f"(`benchmarks/bench.py --sizes {args.sizes} --workers {args.workers}`).\n\n"
        f"Corpus: real-shaped ({realshaped.describe()}); every post distinct, so duplicate "
        "detection sets nothing aside. The *replicated seeds* line is the earlier benchmark's "
        "corpus (the five seed posts copied with distinct ids), kept for comparison only.\n\n"
        "Each figure is one whole process, started fresh: bare = `nlp.pipe` of "
        "`fr_core_news_sm` with all its components over the same files; run = `recap-nlp run "
        "--no-cache` (model loading included in both). Ratio = run words/s over bare words/s. "
        "Peak MB = the largest single process. CPU ratio = bare CPU seconds (user + sys, workers "
        "included) over the run's: steadier than wall time when other jobs share the cores. "
        "Stage shares of the run with reports: read = "
        "ingest and duplicate detection; spacy = `nlp.pipe` with the project's components "
        "(with 2 workers: time waiting on them); per_document = the other per-post stages; "
        "then the cross-post stages (with 2 workers the themes are fitted beside the facts: "
        "their share is the time left waiting on them once the facts are done); write = "
        "tables, database, fact sheets and figures.\n\n" + table + "\n"
    )
    previous = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    args.out.write_text(with_latest(previous, text), encoding="utf-8")
    print(f"\n{table}\n\nwritten to {args.out}")
    return 0


BEGIN = "<!-- make bench: begin (written by benchmarks/bench.py; edit outside this block) -->"
END = "<!-- make bench: end -->"


def with_latest(previous: str, latest: str) -> str:
    """``previous`` (the results file) with its generated block replaced by ``latest``.

    Only the block between ``BEGIN`` and ``END`` is the benchmark's: the sections written by
    hand after it (paired timings, what was tried) stay. A file without the block gets it on
    top, its old text kept below.

    Example:
        ``with_latest(f"{BEGIN}\\nold\\n{END}\\n\\n## Notes", "new")`` keeps "## Notes" and
        puts "new" in place of "old".
    """
    block = f"{BEGIN}\n{latest.rstrip()}\n{END}\n"
    start, end = previous.find(BEGIN), previous.find(END)
    if start == -1 or end < start:
        return block + ("\n" + previous if previous.strip() else "")
    rest = previous[end + len(END) :].lstrip("\n")
    return previous[:start] + block + ("\n" + rest if rest else "")


if __name__ == "__main__":
    raise SystemExit(main())
