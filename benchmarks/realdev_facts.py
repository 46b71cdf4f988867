"""Print the real-post fact checks of a run beside the baseline (the pipeline before issue 14).

Usage: ``python benchmarks/realdev_facts.py REALDEV_DIR RUN_DIR`` where REALDEV_DIR holds
``gold.json`` and ``score_facts.py`` (``../shared/realdev``) and RUN_DIR is the ``--out`` of
``recap-nlp run REALDEV_DIR/posts``. Says so and exits 0 when REALDEV_DIR is missing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Measured at commit 335b4e2 (before issue 14) with the same scorer: 12/45 checks right.
BASELINE = {
    "event found": "7/24",
    "edition year": "3/7",
    "dates": "1/4",
    "city": "1/4",
    "attendance": "0/2",
    "merged across posts": "0/4",
    "kept apart (years)": "0/0",
    "ALL": "12/45 (27%)",
}


def main(realdev: Path, run: Path) -> int:
    """Score ``run`` with the realdev scorer and print each check with its baseline."""
    if not (realdev / "gold.json").exists():
        print(f"{realdev} is missing: real-post fact checks skipped")
        return 0
    scorer = realdev / "score_facts.py"
    out = subprocess.run(
        [sys.executable, str(scorer), str(realdev / "gold.json"), str(run), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    scores = json.loads(out.stdout)
    print(f"{'check':<22} {'recap_nlp':>12} {'baseline':>12}")
    for check, value in scores.items():
        share = f" ({value['share']:.0%})" if "share" in value else ""
        got = f"{value['hits']}/{value['total']}{share}"
        print(f"{check:<22} {got:>12} {BASELINE.get(check, '-'):>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
