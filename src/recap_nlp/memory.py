"""How the run's arrays get their memory: numpy's large arrays on ordinary pages while it runs.

NumPy asks Linux for transparent huge pages (``madvise(MADV_HUGEPAGE)``) for every array of
4 MiB or more. The model's layers and the theme fits allocate and free such arrays thousands
of times, and each new one is handed fresh huge pages that the kernel zeroes 2 MiB at a time:
on the two-core machine the benchmarks run on, bare ``nlp.pipe`` over 50 posts spent 5 to 8
of its 22 to 27 s in the kernel zeroing pages (``perf``: ``clear_page_erms``, 29 % of its
samples), against under 1 s with the advice off, for about 1 s more of user time (the huge
pages' cheaper address translation). No result depends on it.

``NUMPY_MADVISE_HUGEPAGE`` set in the environment is numpy's own switch and is left as it is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

ENVIRONMENT_SWITCH = "NUMPY_MADVISE_HUGEPAGE"


@contextmanager
def ordinary_pages() -> Iterator[None]:
    """Turn numpy's huge-page advice off inside the block, then back to what it was.

    A no-op where numpy has no such switch (not Linux, or a numpy without it) and when the
    user set ``NUMPY_MADVISE_HUGEPAGE``. Forked workers inherit the setting.
    """
    switch = _hugepage_switch()
    if switch is None or ENVIRONMENT_SWITCH in os.environ:
        yield
        return
    previous = switch(False)
    try:
        yield
    finally:
        switch(previous)


def _hugepage_switch() -> Callable[[bool], bool] | None:
    """numpy's ``_set_madvise_hugepage`` (it returns the previous setting), where it exists."""
    try:
        from numpy._core import multiarray  # numpy 2
    except ImportError:  # pragma: no cover - numpy 1.26
        from numpy.core import multiarray  # type: ignore[no-redef]
    return getattr(multiarray, "_set_madvise_hugepage", None)


def hugepage_advice() -> bool | None:
    """Whether numpy currently advises huge pages (None where it has no such switch)."""
    switch = _hugepage_switch()
    if switch is None:
        return None
    current = switch(True)  # numpy 1.26 has no getter: read by setting, then put back
    switch(current)
    return current


class ValuePool:
    """One object per distinct small value, for records that would each hold their own copy.

    Pickle shares no int or float between records (each unpickled ``start`` is a new 28-byte
    object) and spaCy hands out a new string for every label: a post's sentences, scores and
    mentions carry about 400 offsets, 200 rounded probabilities and 100 labels, and across a
    corpus almost every one of those values repeats (offsets stay under a few thousand,
    probabilities have four decimals). :meth:`share` makes records that hold equal values hold
    the same object: no value changes, only which object holds it.

    Example:
        ``pool.share(mentions, ("start", "end", "label"))``: two mentions starting at 412
        then point at one ``412``.
    """

    def __init__(self) -> None:
        # One table per type: 1 == 1.0 == True, and -0.0 == 0.0 (zeros are kept as they are).
        self._tables: dict[type, dict[object, object]] = {int: {}, float: {}, str: {}}

    def share(self, records: Iterable[object], fields: tuple[str, ...]) -> None:
        """Point each of ``fields`` of each record at the pool's object of equal value.

        The records are frozen dataclasses just built or unpickled, not yet seen by anyone
        else; a field holding another type (a bool, ``None``) is left as it is.
        """
        tables = self._tables
        for record in records:
            for name in fields:
                value = getattr(record, name)
                table = tables.get(type(value))
                if table is None or (type(value) is float and (not value or value != value)):
                    continue  # zeros keep their sign, NaN equals nothing
                shared = table.setdefault(value, value)
                if shared is not value:
                    object.__setattr__(record, name, shared)  # same value, one object
