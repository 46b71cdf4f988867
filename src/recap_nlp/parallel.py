"""Tasks mapped over forked worker processes that share one read-only state.

Forking copies the parent's memory: a large state (a matrix, a run's tables) set before the
pool starts reaches every worker without being pickled, and only the tasks and their results
cross between processes. Used by the choice of the number of themes and by the reports.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# What a forked worker reads: set in the parent just before its pool starts (fork copies it).
_SHARED: dict[str, Any] = {}


def can_fork() -> bool:
    """Whether this platform starts processes by forking (Linux, not Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(
    function: Callable[[Mapping[str, Any], T], R],
    tasks: Sequence[T],
    workers: int,
    shared: Mapping[str, Any],
) -> list[R]:
    """``[function(shared, task) for task in tasks]``, in up to ``workers`` forked processes.

    Results come back in the order of ``tasks``; tasks are handed out one at a time, so a slow
    one does not hold back the others. With one worker, one task or no fork, it runs here.
    ``function`` must be a module-level function (workers find it by name).

    Example:
        ``fork_map(_square_of, [1, 2, 3], 2, {"offset": 0})`` -> ``[1, 4, 9]`` when
        ``_square_of(shared, n)`` returns ``n * n + shared["offset"]``.
    """
    if workers <= 1 or len(tasks) <= 1 or not can_fork():
        return [function(shared, task) for task in tasks]
    _SHARED.update(shared, _function=function)
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(tasks))) as pool:
            return pool.map(_call_shared, tasks, chunksize=1)
    finally:
        _SHARED.clear()


def _call_shared(task: Any) -> Any:
    state = dict(_SHARED)
    function = state.pop("_function")
    return function(state, task)
