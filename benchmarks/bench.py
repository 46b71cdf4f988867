"""`make bench`: pipeline throughput and memory against bare ``nlp.pipe``, same texts, same run.

For each corpus size and worker count it runs, each in a fresh process (so peak memory is
that configuration's own):

(a) bare ``nlp.pipe`` of ``fr_core_news_sm`` with all its components over the texts;
(b) the whole pipeline (``recap_nlp.pipeline.analyse``: normalisation, spaCy with the
    project's components, entities, facts, events, reconciliation, sentiment, themes; then
    writing every table to DuckDB and CSV);

and prints words per second, peak RSS, the ratio b/a and each stage's share of (b)'s time.
No corpus larger than the five seed posts is at hand, so larger corpora replicate the seeds
with distinct ids (and a distinct first line); ``analyse`` is called directly, so duplicate
detection (which would rightly set the copies aside) is bypassed. Results go to
``benchmarks/results.md`` with the machine described::

    .venv/bin/python benchmarks/bench.py           # 5 to 5,000 posts, 1 and 2 workers (~50 min)
    .venv/bin/python benchmarks/bench.py --quick   # 5 and 50 posts, one worker (~2 min)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RATIO_TARGET = 0.9  # pipeline words/s over bare nlp.pipe words/s
MEMORY_TARGET = 1.5  # peak memory at ten times the posts over peak memory before
MEMORY_FROM = 500  # posts: the target compares 5,000 with 500


def corpus_of(size: int) -> list:
    from recap_nlp.pipeline import read_documents

    seeds, _, _ = read_documents(REPO / "corpus")
    documents = []
    for index in range(size):
        seed = seeds[index % len(seeds)]
        copy = index // len(seeds)
        text = seed.text if copy == 0 else f"Copie {copy} du billet.\n{seed.text}"
        doc_id = seed.doc_id if copy == 0 else f"{seed.doc_id}-copie{copy}"
        documents.append(replace(seed, doc_id=doc_id, text=text))
    return documents


def child(mode: str, size: int, workers: int) -> dict:
    documents = corpus_of(size)
    words = sum(len(d.text.split()) for d in documents)
    timings: dict[str, float] = {}
    if mode == "bare":
        import spacy

        nlp = spacy.load("fr_core_news_sm")
        started = time.perf_counter()
        for _ in nlp.pipe((d.text for d in documents), n_process=workers, batch_size=32):
            pass
    else:
        from recap_nlp.nlp import load_pipeline
        from recap_nlp.pipeline import RunOptions, analyse

        load_pipeline()  # loading the model is not throughput, in (a) neither
        spacy_seconds = time_parsing()
        started = time.perf_counter()
        result = analyse(documents, RunOptions(workers=workers))
        timings = result.timings
        timings["write"] = time_writing(result)
        # per_document holds spaCy; split it so each share says where the time goes.
        timings = {"spacy": spacy_seconds[0]} | timings
        timings["per_document"] -= spacy_seconds[0]
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if workers > 1:
        peak_mb += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"words": words, "seconds": elapsed, "peak_mb": peak_mb, "timings": timings}


def time_writing(result) -> float:
    """Seconds to write the run's tables (DuckDB and CSV) into a scratch directory."""
    import tempfile

    from recap_nlp import store
    from recap_nlp.pipeline import result_tables

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        store.write_outputs(Path(scratch), result_tables(result))
    return time.perf_counter() - started


def time_parsing() -> list[float]:
    """Wrap ``pipeline.parse`` to add up the time spent inside spaCy (or waiting on its workers)."""
    from recap_nlp import pipeline

    spent = [0.0]
    real_parse = pipeline.parse

    def parse(*args, **kwargs):
        parsed = iter(real_parse(*args, **kwargs))
        while True:
            started = time.perf_counter()
            item = next(parsed, None)
            spent[0] += time.perf_counter() - started
            if item is None:
                return
            yield item

    pipeline.parse = parse
    return spent


def measure(mode: str, size: int, workers: int) -> dict:
    command = [sys.executable, __file__, "--child", mode, str(size), str(workers)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


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


def report(rows: list[tuple[int, int, dict, dict]]) -> str:
    lines = [
        "| posts | workers | bare words/s | pipeline words/s | ratio b/a | bare peak MB | "
        "pipeline peak MB | pipeline stage shares |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for size, workers, bare, full in rows:
        bare_wps = bare["words"] / bare["seconds"]
        full_wps = full["words"] / full["seconds"]
        total = sum(full["timings"].values()) or 1.0
        shares = ", ".join(f"{k} {v / total:.0%}" for k, v in full["timings"].items())
        lines.append(
            f"| {size} | {workers} | {bare_wps:,.0f} | {full_wps:,.0f} | {full_wps / bare_wps:.2f} "
            f"| {bare['peak_mb']:,.0f} | {full['peak_mb']:,.0f} | {shares} |"
        )
    return "\n".join(lines)


def verdicts(rows: list[tuple[int, int, dict, dict]]) -> str:
    """The issue's two targets, checked on the rows just measured."""
    lines = []
    for size, workers, bare, full in rows:
        ratio = (full["words"] / full["seconds"]) / (bare["words"] / bare["seconds"])
        verdict = "met" if ratio >= RATIO_TARGET else "NOT met"
        lines.append(
            f"- {size} posts, {workers} worker(s): throughput {ratio:.2f}× bare "
            f"(target ≥ {RATIO_TARGET}×: {verdict})"
        )
    peaks = {(size, workers): full["peak_mb"] for size, workers, _, full in rows}
    for (size, workers), peak in sorted(peaks.items()):
        small = peaks.get((size // 10, workers))
        # Below 500 posts the peak is the model and one batch: growth there says nothing.
        if small and size // 10 >= MEMORY_FROM:
            growth = peak / small
            verdict = "met" if growth <= MEMORY_TARGET else "NOT met"
            lines.append(
                f"- peak memory {size} vs {size // 10} posts, {workers} worker(s): "
                f"{growth:.2f}× (target ≤ {MEMORY_TARGET}×: {verdict})"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,50,500,5000")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--quick", action="store_true", help="sizes 5,50 and one worker")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "SIZE", "WORKERS"))
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results.md")
    args = parser.parse_args()
    if args.child:
        mode, size, workers = args.child
        print(json.dumps(child(mode, int(size), int(workers))))
        return 0
    if args.quick:
        args.sizes, args.workers = "5,50", "1"
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        for workers in (int(w) for w in args.workers.split(",")):
            bare, full = measure("bare", size, workers), measure("pipeline", size, workers)
            rows.append((size, workers, bare, full))
            print(report(rows[-1:]).splitlines()[-1], flush=True)
    table = report(rows) + "\n\nTargets:\n\n" + verdicts(rows)
    text = (
        f"# Benchmarks\n\nMachine: {machine()}.\n\nCommand: `make bench` "
        f"(`benchmarks/bench.py --sizes {args.sizes} --workers {args.workers}`). Corpora "
        "above 5 posts replicate the seed posts with distinct ids and first lines "
        "(no larger real corpus is at hand); duplicate detection is bypassed.\n"
        "Stage shares of the pipeline's time: spacy = normalisation and `nlp.pipe` with the "
        "project's components (with 2 workers: time waiting on them); per_document = the "
        "other per-post stages (mentions, sentence sentiment, lemmas); then the "
        "cross-post stages; write = the DuckDB and CSV tables. Peak MB with 2 workers = "
        "parent + largest child.\n\n" + table + "\n"
    )
    args.out.write_text(text, encoding="utf-8")
    print(f"\n{table}\n\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
