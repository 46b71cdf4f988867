"""Choosing K: the restarts fitted in worker processes give the same scores and choice."""

from __future__ import annotations

import multiprocessing

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from recap_nlp.themes import choose_k


def _three_subjects(seed: int = 7) -> csr_matrix:
    """30 "posts" over three blocks of 12 terms each, with a little noise elsewhere."""
    rng = np.random.default_rng(seed)
    rows = []
    for subject in range(3):
        for _ in range(10):
            row = rng.random(36) * 0.05
            row[subject * 12 : (subject + 1) * 12] += rng.random(12)
            rows.append(row)
    return csr_matrix(np.array(rows))


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked"
)
def test_restarts_in_workers_give_the_same_scores_and_k() -> None:
    matrix = _three_subjects()
    alone = choose_k(matrix, 6, "nmf", 0)
    assert choose_k(matrix, 6, "nmf", 0, workers=2) == alone
    k, scores = alone
    assert k >= 2 and k in scores and scores[k] is not None
    assert list(scores) == sorted(scores)  # every K scanned, in order


def test_three_blocks_of_terms_are_found_stable() -> None:
    k, scores = choose_k(_three_subjects(), 6, "nmf", 0)
    assert scores[3] is not None and scores[3][0] > 0.9  # the three subjects come back
    assert k >= 3
