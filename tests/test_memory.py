"""numpy's huge-page advice is off inside a run and back to what it was after; a user's
``NUMPY_MADVISE_HUGEPAGE`` is left alone."""

from __future__ import annotations

import numpy as np
import pytest

from recap_nlp.memory import ENVIRONMENT_SWITCH, hugepage_advice, ordinary_pages

pytestmark = pytest.mark.skipif(hugepage_advice() is None, reason="numpy has no huge-page switch")


@pytest.fixture(autouse=True)
def _no_user_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENVIRONMENT_SWITCH, raising=False)


@pytest.mark.parametrize("before", [True, False])
def test_advice_off_inside_and_restored_after(before: bool) -> None:
    from recap_nlp.memory import _hugepage_switch

    switch = _hugepage_switch()
    assert switch is not None
    original = switch(before)
    try:
        with ordinary_pages():
            assert hugepage_advice() is False
            assert np.zeros(2_000_000).sum() == 0.0  # 16 MB: allocated the ordinary way
        assert hugepage_advice() is before
    finally:
        switch(original)


def test_restored_when_the_block_fails() -> None:
    before = hugepage_advice()
    with pytest.raises(RuntimeError), ordinary_pages():
        raise RuntimeError("échec dans un billet")
    assert hugepage_advice() is before


def test_a_user_setting_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENVIRONMENT_SWITCH, "1")
    before = hugepage_advice()
    with ordinary_pages():
        assert hugepage_advice() is before


def test_a_dask_partition_runs_with_the_advice_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from recap_nlp.pipeline import engine
    from recap_nlp.pipeline.options import RunOptions

    seen: list[bool | None] = []

    def process_documents(documents: list[object], options: RunOptions) -> list[object]:
        seen.append(hugepage_advice())
        return []

    monkeypatch.setattr(engine, "process_documents", process_documents)
    before = hugepage_advice()
    assert engine.process_partition([], RunOptions()) == []
    assert seen == [False]
    assert hugepage_advice() is before
