"""Score a run's facts, events and conflicts against the hand-made ``expected.jsonl``.

Usage: ``python tests/gold/dev_facts/score.py OUT_DIR [--verbose]`` where OUT_DIR is the
``--out`` folder of ``recap-nlp run tests/gold/dev_facts/posts``.

A fact is *found* when a row of ``facts.csv`` of the same post and attribute has the expected
value (dates: both bounds; counts: value, and bounds/precision when given; names: the same
name up to case, accents and articles). It is *well placed* when its event is the event of
most found facts with the same expected event label, and no other label shares that event.
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _norm(text: str) -> str:
    bare = unicodedata.normalize("NFD", text.lower().replace("’", "'"))
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    words = [
        w for w in bare.replace("'", " ").split() if w not in {"la", "le", "les", "l", "de", "du"}
    ]
    return " ".join(words)


def _matches(exp: dict[str, str], row: dict[str, str]) -> bool:
    if row["doc_id"] != exp["doc"] or row["attribute"] != exp["attribute"]:
        return False
    if exp["attribute"] == "date":
        return (row["value_min"], row["value_max"]) == (exp["value_min"], exp["value_max"])
    if exp["attribute"] in {"city", "organiser", "sponsor", "event_name"}:
        return _norm(exp["value"]) == _norm(row["value"])
    keys = [k for k in ("value", "value_min", "value_max", "precision") if k in exp]
    return all(row[k] == exp[k] for k in keys)


def _read(out: Path, name: str) -> list[dict[str, str]]:
    with (out / "tables" / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def score(out: Path, verbose: bool = False) -> dict[str, tuple[int, int]]:
    """Counts (right, total) for facts found, facts well placed, absences and conflicts."""
    expected = [json.loads(line) for line in (HERE / "expected.jsonl").read_text().splitlines()]
    facts = _read(out, "facts")
    # Every reconciled attribute (the "conflicts" table of runs made before the split).
    reconciled = "reconciled" if (out / "tables" / "reconciled.csv").exists() else "conflicts"
    conflicts = _read(out, reconciled)
    fact_rows = [e for e in expected if e.get("kind", "fact") == "fact" and not e.get("absent")]
    found = {i: [r for r in facts if _matches(e, r)] for i, e in enumerate(fact_rows)}
    votes: dict[str, Counter[str]] = {}
    for i, exp in enumerate(fact_rows):
        for row in found[i][:1]:
            votes.setdefault(exp["event"], Counter())[row["event_id"]] += 1
    anchor = {label: c.most_common(1)[0][0] for label, c in votes.items()}
    shared = Counter(anchor.values())
    placed = 0
    for i, exp in enumerate(fact_rows):
        ok_event = bool(found[i]) and found[i][0]["event_id"] == anchor.get(exp["event"])
        ok_event = ok_event and shared[anchor[exp["event"]]] == 1
        placed += ok_event
        if verbose:
            mark = "OK " if ok_event else ("val" if found[i] else "-- ")
            where = found[i][0]["event_id"] if found[i] else ""
            shown = exp.get("value") or f"{exp.get('value_min')}..{exp.get('value_max')}"
            print(
                f"{mark} {exp['doc']:30} {exp['attribute']:16} {shown:28} {exp['event']:26} {where}"
            )
    absent = [e for e in expected if e.get("absent")]
    absent_ok = sum(not any(_matches(e, r) for r in facts) for e in absent)
    conflict_ok = 0
    wanted = [e for e in expected if e.get("kind") == "conflict"]
    for exp in wanted:
        event_id = anchor.get(exp["event"], "?")
        rows = [
            r for r in conflicts if r["event_id"] == event_id and r["attribute"] == exp["attribute"]
        ]
        got = (rows[0]["status"], rows[0]["chosen"]) if rows else ("missing", "")
        # A count is shown with its bounds ("47 (38–62)"): its first token is the value.
        ok = got[0] == exp["status"] and exp["chosen"] in {got[1], got[1].split(" ")[0]}
        conflict_ok += ok
        if verbose:
            print(f"{'OK ' if ok else '-- '} conflict {exp['event']} {exp['attribute']}: got {got}")
    return {
        "facts found": (sum(bool(v) for v in found.values()), len(fact_rows)),
        "facts in the right event": (placed, len(fact_rows)),
        "spurious facts avoided": (absent_ok, len(absent)),
        "conflict rows right": (conflict_ok, len(wanted)),
    }


if __name__ == "__main__":
    results = score(Path(sys.argv[1]), verbose="--verbose" in sys.argv)
    for name, (right, total) in results.items():
        print(f"{name}: {right}/{total}")
