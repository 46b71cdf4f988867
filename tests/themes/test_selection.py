"""Choosing K: scikit-learn's scores, and the same ones from restarts in worker processes."""

from __future__ import annotations

import multiprocessing
import warnings

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score

from recap_nlp.themes import choose_k
from recap_nlp.themes.selection import SELECTION_MAX_ITER, fit_model, fit_weights


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


def _sklearn_labels(matrix: csr_matrix, k: int, seed: int) -> np.ndarray:
    model = NMF(n_components=k, random_state=seed, init="nndsvda", max_iter=SELECTION_MAX_ITER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit_transform(matrix).argmax(axis=1)


def test_scores_are_those_of_scikit_learns_fits() -> None:
    # The rule spelt out with NMF itself: a reference fit per K, then ten restarts, each on
    # 80 % of the posts drawn with seed + r; the mean and standard error of their agreement.
    matrix = _three_subjects(3)
    k, scores = choose_k(matrix.copy(), 5, "nmf", 0)
    for candidate in range(2, 6):
        reference = _sklearn_labels(matrix, candidate, 0)
        runs = []
        for restart in range(10):
            rng = np.random.default_rng(restart)
            rows = np.sort(rng.choice(30, 24, replace=False))
            labels = _sklearn_labels(matrix[rows], candidate, restart)
            runs.append(adjusted_rand_score(reference[rows], labels))
        spread = float(np.std(runs, ddof=1) / np.sqrt(10))
        assert scores[candidate] == (round(float(np.mean(runs)), 4), round(spread, 4))
    assert k == 3


@pytest.mark.parametrize("k", [2, 4])
def test_weights_for_the_choice_are_the_fits_weights(k: int) -> None:
    matrix = _three_subjects(5)
    for max_iter in (1, 7, SELECTION_MAX_ITER):
        expected = fit_model(matrix.copy(), k, "nmf", 2, max_iter)[0]
        assert np.array_equal(fit_weights(matrix.copy(), k, "nmf", 2, max_iter), expected)
