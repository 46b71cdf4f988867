"""Check the seed corpus's event facts that must hold (issue 14): print each check and its result.

Usage: ``python benchmarks/seed_facts.py RUN_DIR`` (the ``--out`` of ``recap-nlp run corpus``).
The checks: the June 2017 and June 2018 missions are two events with their dates; the 2017
delegation conflict (27 against 28) stays a conflict row with both quotes, either unresolved or
with 27 chosen (the organiser's own account, issue 19) at a confidence below an agreement's; the interview's main event
is the pique-nique, not an event it mentions; no main event is named by a generic noun and a year.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path


def _rows(run: Path, name: str) -> list[dict[str, str]]:
    with open(run / "tables" / f"{name}.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def checks(run: Path) -> dict[str, bool]:
    """Each seed check and whether the run passes it."""
    events = _rows(run, "events")
    conflicts = _rows(run, "conflicts")
    spans = {(e["start_date"], e["end_date"]) for e in events if e["kind"] == "mission"}
    delegation = [
        c for c in conflicts if c["attribute"] == "delegation_size" and "2017" in c["event_id"]
    ]
    mains = [e for e in events if json.loads(e.get("main_in") or "[]")]
    interview = [e for e in mains if "004_28b78c1437c8c470" in json.loads(e["main_in"])]
    generic = re.compile(r"^(?:journée|édition|événement|forum|salon|mission)s? \d{4}$", re.I)
    return {
        "2017 and 2018 missions apart, with their dates": {
            ("2017-06-03", "2017-06-11"),
            ("2018-06-09", "2018-06-17"),
        }
        <= spans,
        "27/28 delegation still a conflict, both quoted": len(delegation) == 1
        and delegation[0]["status"] in ("unresolved", "conflict")
        and (
            delegation[0]["status"] == "unresolved"
            or (delegation[0]["chosen"] == "27" and float(delegation[0]["confidence"]) < 0.8)
        )
        and sorted(json.loads(delegation[0]["values"])) == ["27", "28"]
        and len(json.loads(delegation[0]["quotes"])) == 2,
        "interview's main event is the pique-nique": [e["name"] for e in interview]
        == ["Pique-nique numérique"],
        "no main event named by a generic noun and a year": not any(
            generic.match(e["name"]) for e in mains
        ),
    }


def main(run: Path) -> int:
    results = checks(run)
    for name, ok in results.items():
        print(f"{'OK ' if ok else 'FAIL'} {name}")
    print(f"seed fact checks: {sum(results.values())}/{len(results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
