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
from collections.abc import Callable, Iterator
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
