"""numpy's huge-page advice is off inside a run and back to what it was after; a user's
``NUMPY_MADVISE_HUGEPAGE`` is left alone."""

from __future__ import annotations

import numpy as np
import pytest

from recap_nlp.memory import ENVIRONMENT_SWITCH, ValuePool, hugepage_advice, ordinary_pages
from recap_nlp.records import Mention, Sentence

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


def _sentence(start: str, polarity: str, p_neutral: float = 1.0) -> Sentence:
    # int() and float() of text: distinct objects, as pickle gives them
    return Sentence("d1", int(start), 900, "Texte.", float(polarity), "neutral", 0.0, p_neutral)


def test_equal_values_become_one_object_and_keep_their_value() -> None:
    first, second = _sentence("412", "0.1234"), _sentence("412", "0.1234")
    assert first.start is not second.start and first.polarity is not second.polarity
    pool = ValuePool()
    pool.share([first, second], ("start", "end", "polarity", "label"))
    assert second.start is first.start and second.start == 412
    assert second.polarity is first.polarity and second.polarity == 0.1234
    assert second == _sentence("412", "0.1234")  # the records are equal to what they were


def test_values_of_other_types_or_signs_are_not_merged() -> None:
    # 1 == 1.0 == True and -0.0 == 0.0: each kept as it was
    pool = ValuePool()
    as_float = _sentence("1", "-0.0", p_neutral=1.0)
    as_int = Mention("d1", 1, 5, "Lyon", "CITY", "À Lyon.", 0, "model")
    pool.share([as_float], ("polarity", "p_neutral"))
    pool.share([as_int], ("start",))
    assert type(as_int.start) is int and as_int.start == 1
    assert repr(as_float.polarity) == "-0.0"
    zero = _sentence("1", "0.0")
    pool.share([zero], ("polarity",))
    assert repr(zero.polarity) == "0.0"
    flag = Mention("d1", True, 5, "Lyon", "CITY", "À Lyon.", 0, "model")  # type: ignore[arg-type]
    pool.share([flag], ("start",))
    assert flag.start is True
