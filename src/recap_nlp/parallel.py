"""Tasks mapped over forked worker processes that share one read-only state.

Forking copies the parent's memory: a large state (a matrix, a run's tables, the loaded spaCy
pipeline and every table it read) set before the pool starts reaches every worker without being
pickled or loaded again, and only the tasks and their results cross between processes. Used by
the per-post stages, the facts of each post, the choice of the number of themes and the reports;
:func:`call_aside` runs one call in a forked process while the caller goes on (the themes of a
run with several workers, beside its facts).
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# What a worker reads: set by the pool's initializer (inherited, not pickled, when forking).
_SHARED: dict[str, Any] = {}
SLICES_PER_WORKER = 4  # several tasks per worker so a slow one does not idle the others


def can_fork() -> bool:
    """Whether this platform starts processes by forking (Linux, not Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(
    function: Callable[[Mapping[str, Any], T], R],
    tasks: Sequence[T],
    workers: int,
    shared: Mapping[str, Any],
    *,
    cost: Callable[[T], float] | None = None,
) -> list[R]:
    """``[function(shared, task) for task in tasks]``, in up to ``workers`` forked processes.

    Results come back in the order of ``tasks``; tasks are handed out one at a time, so a slow
    one does not hold back the others. With one worker, one task or no fork, it runs here.
    ``function`` must be a module-level function (workers find it by name).

    Example:
        ``fork_map(_square_of, [1, 2, 3], 2, {"offset": 0})`` -> ``[1, 4, 9]`` when
        ``_square_of(shared, n)`` returns ``n * n + shared["offset"]``.
    """
    return list(fork_imap(function, tasks, workers, shared, cost=cost))


def fork_imap(
    function: Callable[[Mapping[str, Any], T], R],
    tasks: Sequence[T],
    workers: int,
    shared: Mapping[str, Any],
    *,
    cost: Callable[[T], float] | None = None,
    spawn_fallback: bool = False,
) -> Iterator[R]:
    """``fork_map`` streamed: each result as soon as it and those of earlier tasks are done.

    Args:
        function: module-level ``function(shared, task)``.
        tasks: what to compute, in the order results are yielded.
        workers: processes at most (one: everything runs here).
        shared: read-only state every call sees (copied by the fork, never pickled).
        cost: an estimate of a task's work; the costliest tasks are handed out first (the
            results still come back in the order of ``tasks``), so no worker is left with a
            long task at the end while the others idle.
        spawn_fallback: where processes cannot fork, start them fresh (``shared`` is pickled
            once per worker) instead of running every task here.

    Example:
        ``list(fork_imap(_square_of, [1, 2, 3], 2, {"offset": 0}, cost=float))`` ->
        ``[1, 4, 9]`` (3 is handed out first).
    """
    method = "fork" if can_fork() else ("spawn" if spawn_fallback else "")
    if workers <= 1 or len(tasks) <= 1 or not method:
        yield from (function(shared, task) for task in tasks)
        return
    order = dispatch_order(tasks, cost)
    context = multiprocessing.get_context(method)
    done: dict[int, R] = {}
    following = 0
    with context.Pool(
        min(workers, len(tasks)), initializer=_set_shared, initargs=(function, dict(shared))
    ) as pool:
        indexed = ((i, tasks[i]) for i in order)
        for index, result in pool.imap_unordered(_call_shared, indexed, chunksize=1):
            done[index] = result
            while following in done:
                yield done.pop(following)
                following += 1


def dispatch_order(tasks: Sequence[T], cost: Callable[[T], float] | None = None) -> list[int]:
    """The indices of ``tasks``, costliest first (ties, or no ``cost``: in their order).

    Example:
        ``dispatch_order(["ab", "abcd", "c"], len)`` -> ``[1, 0, 2]``.
    """
    order = list(range(len(tasks)))
    if cost is not None:
        order.sort(key=lambda i: -cost(tasks[i]))  # a stable sort keeps ties in order
    return order


def balanced_slices(
    items: Sequence[T], workers: int, cost: Callable[[T], float], per_worker: int = 0
) -> list[list[T]]:
    """Consecutive slices of ``items`` of about equal total ``cost``, ``per_worker`` per worker.

    One slice with one worker; the items are never reordered.

    Example:
        ``balanced_slices([6, 1, 1, 1, 1, 1, 1], 1, float, per_worker=2)`` -> ``[[6], [1] * 6]``
        (with one worker: ``[[6, 1, 1, 1, 1, 1, 1]]`` unless ``per_worker`` asks for more).
    """
    n_slices = max(1, min(len(items), workers * (per_worker or SLICES_PER_WORKER)))
    if workers <= 1 and not per_worker:
        n_slices = 1
    if n_slices == 1:
        return [list(items)] if items else []
    costs = [max(float(cost(item)), 1.0) for item in items]
    share = sum(costs) / n_slices
    slices: list[list[T]] = [[]]
    spent = 0.0
    for item, item_cost in zip(items, costs, strict=True):
        if slices[-1] and spent + item_cost / 2 > share * len(slices):
            slices.append([])
        slices[-1].append(item)
        spent += item_cost
    return slices


def _set_shared(function: Callable[..., Any], shared: Mapping[str, Any]) -> None:
    _SHARED.clear()
    _SHARED.update(shared, _function=function)


def _call_shared(indexed: tuple[int, Any]) -> tuple[int, Any]:
    index, task = indexed
    state = dict(_SHARED)
    function = state.pop("_function")
    return index, function(state, task)


class RemoteTraceback(Exception):
    """The traceback of an error raised in a forked process, as the cause of that error here."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class Aside(Generic[R]):
    """``function(shared)``, computed in a forked process started at once, or here when asked.

    Use it as a context manager: leaving the block before :meth:`result` ends the process.
    Made by :func:`call_aside`.
    """

    def __init__(
        self, function: Callable[[Mapping[str, Any]], R], shared: Mapping[str, Any], fork: bool
    ) -> None:
        self._function = function
        self._shared = shared
        self._process: Any = None
        self._receiver: Connection | None = None
        if fork and can_fork():
            context = multiprocessing.get_context("fork")
            receiver, sender = context.Pipe(duplex=False)
            # Not a daemon: the call may start worker processes of its own (fork_map).
            self._process = context.Process(
                target=_send_result, args=(sender, function, shared), daemon=False
            )
            self._process.start()
            sender.close()
            self._receiver = receiver

    @property
    def forked(self) -> bool:
        """Whether the call runs in a process of its own."""
        return self._process is not None

    def result(self) -> R:
        """The call's value (waiting for its process), or the error it raised, raised here."""
        if self._process is None or self._receiver is None:
            return self._function(self._shared)
        try:
            status, value = self._receiver.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(
                f"the process computing {getattr(self._function, '__name__', 'a call')} ended "
                f"without a result (exit code {self._process.exitcode})"
            ) from None
        finally:
            self._receiver.close()
            self._receiver = None
        self._process.join()
        self._process = None
        if status == "error":
            error, trace = value
            error.__cause__ = RemoteTraceback(trace)
            raise error
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """End the process if it is still running (nothing happens for a call run here)."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None
        if self._receiver is not None:
            self._receiver.close()
            self._receiver = None

    def __enter__(self) -> Aside[R]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.cancel()


def call_aside(
    function: Callable[[Mapping[str, Any]], R], shared: Mapping[str, Any], *, fork: bool
) -> Aside[R]:
    """``function(shared)`` in a forked process while the caller goes on (with ``fork``).

    Without ``fork``, or where processes cannot fork, nothing starts: the call runs here when
    :meth:`Aside.result` is asked, so the order of the work is the caller's. ``shared`` reaches
    the process by the fork (never pickled); the value and an error come back pickled.

    Example:
        ``with call_aside(_total, {"values": [1, 2]}, fork=True) as aside: ...`` then
        ``aside.result()`` -> 3 when ``_total(shared)`` returns ``sum(shared["values"])``.
    """
    return Aside(function, shared, fork)


def _send_result(
    sender: Connection, function: Callable[[Mapping[str, Any]], Any], shared: Mapping[str, Any]
) -> None:
    try:
        message: tuple[str, Any] = ("ok", function(shared))
    except BaseException as error:  # every error goes back to the caller
        message = ("error", (error, traceback.format_exc()))
    try:
        sender.send(message)
    except Exception:  # a value or an error that does not pickle
        trace = traceback.format_exc()
        sender.send(("error", (RuntimeError(f"the result could not be sent back: {trace}"), trace)))
    finally:
        sender.close()
