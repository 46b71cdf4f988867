"""The reports drawn in worker processes: the same files as drawn in one process."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest

from recap_nlp.output import reports

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked"
)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.parts[len(folder.parts)] in ("factsheets", "figures")
    }


@needs_fork
def test_reports_in_two_workers_are_the_one_process_reports(seed_run: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for out in (one, two):
        shutil.copytree(seed_run, out)
        shutil.rmtree(out / "factsheets")
        shutil.rmtree(out / "figures")
    written_one = reports.write_reports(one, workers=1)
    written_two = reports.write_reports(two, workers=2)
    assert [p.relative_to(one) for p in written_one] == [p.relative_to(two) for p in written_two]
    files = _files(one)
    assert any(name.startswith("figures/") for name in files)
    assert sum(name.endswith(".html") for name in files) >= 2  # an event sheet and the overview
    assert _files(two) == files


@needs_fork
def test_stale_sheets_are_removed_by_the_workers_run_too(seed_run: Path, tmp_path: Path) -> None:
    out = Path(shutil.copytree(seed_run, tmp_path / "run"))
    (out / "factsheets" / "old-event.md").write_text("left by an earlier run", encoding="utf-8")
    reports.write_reports(out, workers=2)
    assert not (out / "factsheets" / "old-event.md").exists()
    assert (out / "factsheets" / "index.md").exists()


def test_slices_cover_every_event_once_in_order() -> None:
    events = [f"ev-{i}" for i in range(10)]
    parts = reports._slices(events, 4)
    assert [e for part in parts for e in part] == events
    assert len(parts) <= 4 and all(parts)
    assert reports._slices([], 4) == []
