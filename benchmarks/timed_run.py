"""``recap-nlp run`` exactly as the console script runs it, plus where the time went.

The benchmark times this process from outside (wall time, peak memory). Inside, it wraps two
public functions of the pipeline without changing what they do: ``per_document.parse`` (time spent
in spaCy, or waiting on its worker processes) and ``pipeline.analyse`` (the stage timings it
records). The wall seconds per stage are written as JSON to the file named by
``RECAP_BENCH_TIMINGS``, and the CPU seconds per stage (this process and the worker processes
it waited for) beside it, with ``.cpu.json`` in place of ``.json``:

    RECAP_BENCH_TIMINGS=/tmp/t.json python benchmarks/timed_run.py CORPUS --out OUT --no-cache
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from recap_nlp.cli.main import app
from recap_nlp.pipeline import per_document
from recap_nlp.pipeline import runner as pipeline

STARTED = time.perf_counter()
SPENT = {"spacy": 0.0}
STAGES: dict[str, float] = {}
CPU_STAGES: dict[str, float] = {}


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _timed_parse(real: Any) -> Any:
    def parse(*args: Any, **kwargs: Any) -> Any:
        parsed = iter(real(*args, **kwargs))
        while True:
            started = time.perf_counter()
            item = next(parsed, None)
            SPENT["spacy"] += time.perf_counter() - started
            if item is None:
                return
            yield item

    return parse


def _timed_analyse(real: Any) -> Any:
    def analyse(*args: Any, **kwargs: Any) -> Any:
        started, cpu = time.perf_counter(), _cpu()
        result = real(*args, **kwargs)
        STAGES.update(result.timings)
        STAGES["analyse"] = time.perf_counter() - started
        STAGES["analyse_started"] = started - STARTED
        CPU_STAGES.update(getattr(result, "cpu_timings", {}))
        CPU_STAGES["read"] = cpu
        CPU_STAGES["write"] = -_cpu()
        return result

    return analyse


def shares() -> dict[str, float]:
    """Seconds per stage; ``read`` before analysis, ``write`` = tables and reports after it."""
    total = time.perf_counter() - STARTED
    analyse = STAGES.pop("analyse", 0.0)
    read = STAGES.pop("analyse_started", 0.0)
    stages = {"read": read, "spacy": SPENT["spacy"]} | STAGES
    stages["per_document"] = max(0.0, stages.get("per_document", 0.0) - SPENT["spacy"])
    stages["write"] = max(0.0, total - read - analyse)
    return stages


def cpu_shares() -> dict[str, float]:
    """CPU seconds per stage, workers included; ``write`` as in ``shares``."""
    stages = dict(CPU_STAGES)
    stages["write"] = _cpu() + stages.get("write", 0.0)
    stages["total"] = _cpu()
    return stages


def main() -> int:
    per_document.parse = _timed_parse(per_document.parse)
    pipeline.analyse = _timed_analyse(pipeline.analyse)
    code = 0
    try:
        returned = app(["run", *sys.argv[1:]], standalone_mode=False)
        code = returned if isinstance(returned, int) else 0
    except SystemExit as stop:  # typer.Exit becomes SystemExit outside standalone mode
        code = int(stop.code or 0)
    except Exception as error:  # reported as a failed run, with its class
        print(f"run failed: {type(error).__name__}: {error}", file=sys.stderr)
        code = 3
    target = os.environ.get("RECAP_BENCH_TIMINGS")
    if target:
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(shares(), handle)
        with open(target.removesuffix(".json") + ".cpu.json", "w", encoding="utf-8") as handle:
            json.dump(cpu_shares(), handle)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
