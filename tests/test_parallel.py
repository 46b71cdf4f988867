"""Tasks over forked workers: results in task order, the shared state read in the workers."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recap_nlp.parallel import (
    balanced_slices,
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
