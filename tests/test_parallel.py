"""Tasks over forked workers: results in task order, the shared state read in the workers;
one call aside in a forked process."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recap_nlp.parallel import (
    RemoteTraceback,
    balanced_slices,
    call_aside,
    can_fork,
    dispatch_order,
    fork_imap,
    fork_map,
)


def _scaled(shared: Mapping[str, Any], task: int) -> tuple[int, int]:
    return task * shared["factor"], os.getpid()


def test_one_worker_runs_here_in_order() -> None:
    results = fork_map(_scaled, [3, 1, 2], 1, {"factor": 10})
    assert [value for value, _ in results] == [30, 10, 20]
    assert {pid for _, pid in results} == {os.getpid()}


@pytest.mark.skipif(not can_fork(), reason="this platform does not fork")
def test_two_workers_fork_and_keep_the_order() -> None:
    tasks = list(range(12))
    results = fork_map(_scaled, tasks, 2, {"factor": 3})
    assert [value for value, _ in results] == [3 * t for t in tasks]
    assert os.getpid() not in {pid for _, pid in results}


def test_no_task_gives_nothing() -> None:
    assert fork_map(_scaled, [], 2, {"factor": 1}) == []


def test_costliest_tasks_are_handed_out_first() -> None:
    assert dispatch_order(["ab", "abcd", "c", "xy"], len) == [1, 0, 3, 2]
    assert dispatch_order(["ab", "abcd", "c"]) == [0, 1, 2]


@pytest.mark.skipif(not can_fork(), reason="this platform does not fork")
def test_costliest_first_still_gives_results_in_task_order() -> None:
    tasks = [1, 5, 2, 9, 3, 3, 7]
    streamed = fork_imap(_scaled, tasks, 2, {"factor": 2}, cost=float)
    assert [value for value, _ in streamed] == [2 * t for t in tasks]


@given(st.lists(st.integers(0, 50), max_size=60), st.integers(1, 4), st.integers(0, 5))
def test_balanced_slices_keep_every_item_once_in_order(
    costs: list[int], workers: int, per_worker: int
) -> None:
    slices = balanced_slices(costs, workers, float, per_worker=per_worker)
    assert [c for part in slices for c in part] == costs
    assert all(slices)
    assert len(slices) <= max(1, workers * (per_worker or 4))
    if workers == 1 and not per_worker:
        assert len(slices) <= 1


def test_balanced_slices_cut_by_cost_not_by_count() -> None:
    # One long post then many short ones: the long one gets a slice of its own.
    slices = balanced_slices([40, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2, float, per_worker=1)
    assert slices == [[40], [1] * 10]


def _pid_and_total(shared: Mapping[str, Any]) -> tuple[int, int]:
    return os.getpid(), sum(shared["values"])


def _failing(shared: Mapping[str, Any]) -> int:
    raise ValueError(f"no theme in {shared['name']}")


def _dying(shared: Mapping[str, Any]) -> int:
    os._exit(3)


def _waiting(shared: Mapping[str, Any]) -> int:
    shared["started"].write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(120)
    return 0


def _with_workers(shared: Mapping[str, Any]) -> list[tuple[int, int]]:
    return fork_map(_scaled, [1, 2, 3], 2, {"factor": 10})


def test_a_call_aside_without_fork_runs_here_when_asked() -> None:
    calls: list[str] = []

    def record(shared: Mapping[str, Any]) -> int:
        calls.append("ran")
        return shared["n"]

    aside = call_aside(record, {"n": 4}, fork=False)
    assert not aside.forked and calls == []  # nothing ran yet: the caller's order is kept
    assert aside.result() == 4 and calls == ["ran"]


@pytest.mark.skipif(not can_fork(), reason="this platform does not fork")
def test_a_call_aside_runs_in_another_process() -> None:
    with call_aside(_pid_and_total, {"values": [1, 2, 3]}, fork=True) as aside:
        assert aside.forked
        pid, total = aside.result()
    assert total == 6
    assert pid != os.getpid()


@pytest.mark.skipif(not can_fork(), reason="this platform does not fork")
def test_an_error_aside_is_raised_here_with_its_traceback() -> None:
    aside = call_aside(_failing, {"name": "Pau"}, fork=True)
    with aside, pytest.raises(ValueError, match="no theme in Pau") as raised:
        aside.result()
    assert isinstance(raised.value.__cause__, RemoteTraceback)
    assert "_failing" in str(raised.value.__cause__)


@pytest.mark.skipif(not can_fork(), reason="this platform does not fork")
def test_a_process_aside_that_dies_says_so() -> None:
    aside = call_aside(_dying, {}, fork=True)
    with aside, pytest.raises(RuntimeError, match=r"_dying ended without a result \(exit code 3\)"):
        aside.result()


@pytest.mark.skipif(not can_fork(), reason="this platform does not fork")
def test_leaving_the_block_ends_the_process_aside(tmp_path: Path) -> None:
    started = tmp_path / "started"
    with call_aside(_waiting, {"started": started}, fork=True):
        while not started.exists():
            time.sleep(0.01)
        pid = int(started.read_text(encoding="utf-8"))
    with pytest.raises(ProcessLookupError):  # terminated and reaped, not left running
        os.kill(pid, 0)


@pytest.mark.skipif(not can_fork(), reason="this platform does not fork")
def test_a_call_aside_may_start_workers_of_its_own() -> None:
    with call_aside(_with_workers, {}, fork=True) as aside:
        results = aside.result()
    assert [value for value, _ in results] == [10, 20, 30]
    assert os.getpid() not in {pid for _, pid in results}
