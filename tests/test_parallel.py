"""Tasks over forked workers: results in task order, the shared state read in the workers."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import pytest

from recap_nlp.parallel import can_fork, fork_map


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
