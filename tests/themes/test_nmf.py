"""The cheaper NMF fit, its vectorised update and the agreement score give scikit-learn's
results bit for bit."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from sklearn.decomposition import NMF
from sklearn.decomposition._cdnmf_fast import _update_cdnmf_fast
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score

from recap_nlp.themes import nmf
from recap_nlp.themes.nmf import adjusted_rand, nmf_fit, nmf_weights


def _posts(n_rows: int, n_terms: int, seed: int) -> csr_matrix:
    """A sparse non-negative "TF-IDF" of a few subjects, its column indices unsorted in rows."""
    rng = np.random.default_rng(seed)
    dense = rng.random((n_rows, n_terms)) * (rng.random((n_rows, n_terms)) < 0.15)
    for row in range(n_rows):  # each post leans on one of four blocks of terms
        block = row % 4
        dense[row, block * n_terms // 4 : (block + 1) * n_terms // 4] *= 3
    matrix = csr_matrix(dense)
    for row in range(n_rows):  # the order a TF-IDF transformer may leave them in
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        order = rng.permutation(end - start) + start
        matrix.indices[start:end] = matrix.indices[order]
        matrix.data[start:end] = matrix.data[order]
    matrix.has_sorted_indices = False
    return matrix


def _sklearn(matrix: csr_matrix, k: int, seed: int, max_iter: int) -> tuple:
    model = NMF(n_components=k, random_state=seed, init="nndsvda", max_iter=max_iter)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    return weights, model.components_, model.n_iter_


@pytest.mark.parametrize(
    ("n_rows", "n_terms", "k", "seed", "max_iter"),
    [(40, 120, 2, 0, 100), (40, 120, 4, 3, 100), (33, 90, 7, 1, 400), (12, 300, 3, 5, 50)],
)
def test_fit_is_scikit_learns_bit_for_bit(
    n_rows: int, n_terms: int, k: int, seed: int, max_iter: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = _posts(n_rows, n_terms, seed)
    expected = _sklearn(reference, k, seed, max_iter)
    matrix = _posts(n_rows, n_terms, seed)
    monkeypatch.setattr(nmf, "NMF", None)  # the fast path must not fall back on NMF
    weights, components, n_iter = nmf_fit(matrix, k, seed, max_iter)
    assert np.array_equal(weights, expected[0])
    assert np.array_equal(components, expected[1])
    assert n_iter == expected[2]
    # both leave the matrix in the same (canonical) order
    assert np.array_equal(matrix.indices, reference.indices)
    assert np.array_equal(matrix.data, reference.data)


def test_a_fit_that_converges_stops_where_scikit_learn_stops() -> None:
    # two exact blocks: coordinate descent converges long before the cap
    block = np.kron(np.eye(2), np.ones((5, 6)))
    matrix = csr_matrix(block)
    weights, components, n_iter = nmf_fit(matrix, 2, 0, 400)
    expected = _sklearn(csr_matrix(block), 2, 0, 400)
    assert n_iter == expected[2] < 400
    assert np.array_equal(weights, expected[0]) and np.array_equal(components, expected[1])


@pytest.mark.parametrize(
    ("n_rows", "n_terms", "k", "seed", "max_iter"),
    [(40, 120, 2, 0, 30), (40, 120, 5, 3, 40), (33, 90, 7, 1, 60), (12, 300, 3, 5, 1)],
)
def test_weights_only_fit_is_scikit_learns_bit_for_bit(
    n_rows: int, n_terms: int, k: int, seed: int, max_iter: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _sklearn(_posts(n_rows, n_terms, seed), k, seed, max_iter)
    assert expected[2] == max_iter  # these fits run to the cap: the shortened last iteration
    monkeypatch.setattr(nmf, "NMF", None)
    weights, n_iter = nmf_weights(_posts(n_rows, n_terms, seed), k, seed, max_iter)
    assert np.array_equal(weights, expected[0]) and n_iter == expected[2]


def test_weights_only_fit_that_converges_stops_where_scikit_learn_stops() -> None:
    block = np.kron(np.eye(2), np.ones((5, 6)))
    weights, n_iter = nmf_weights(csr_matrix(block), 2, 0, 400)
    expected = _sklearn(csr_matrix(block), 2, 0, 400)
    assert n_iter == expected[2] < 400 and np.array_equal(weights, expected[0])


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_weights_only_fit_of_other_inputs_goes_through_scikit_learn() -> None:
    dense = _posts(20, 40, 2).toarray()
    for matrix, k in ((dense, 3), (csr_matrix(dense), 1)):
        weights, n_iter = nmf_weights(matrix, k, 0, 30)
        expected = _sklearn(matrix, k, 0, 30)
        assert np.array_equal(weights, expected[0]) and n_iter == expected[2]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_other_inputs_go_through_scikit_learn() -> None:
    dense = _posts(20, 40, 2).toarray()
    for matrix, k in (
        (dense, 3),
        (csr_matrix(dense), 1),
        (csr_matrix(dense.astype(np.float32)), 2),
    ):
        weights, components, n_iter = nmf_fit(matrix, k, 0, 30)
        expected = _sklearn(matrix, k, 0, 30)
        assert np.array_equal(weights, expected[0]) and n_iter == expected[2]
        assert np.array_equal(components, expected[1])


def test_adjusted_rand_is_scikit_learns() -> None:
    rng = np.random.default_rng(4)
    for _ in range(300):
        size = int(rng.integers(0, 40))
        truth = rng.integers(0, int(rng.integers(1, 7)), size)
        found = rng.integers(0, int(rng.integers(1, 7)), size)
        assert adjusted_rand(truth, found) == adjusted_rand_score(truth, found)
    assert adjusted_rand(np.array([0, 0, 1, 1]), np.array([1, 1, 0, 0])) == 1.0
    assert adjusted_rand(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])) < 0  # worse than chance


kernel_built = pytest.mark.skipif(nmf._vector_update is None, reason="the C kernel is not built")


def _update_inputs(n_rows: int, k: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    factor = np.abs(rng.standard_normal((n_rows, k)))
    factor[rng.random((n_rows, k)) < 0.3] = 0.0
    other = np.abs(rng.standard_normal((k, 11)))
    gram = other @ other.T
    if seed % 3 == 0:
        gram[0, 0] = 0.0  # a zero Hessian leaves its column as it is
    product = np.abs(rng.standard_normal((n_rows, k))) * rng.random()
    return factor, gram, product, rng.permutation(k).astype(np.intp)


@kernel_built
@given(st.integers(1, 140), st.integers(1, 26), st.integers(0, 10_000))
def test_vectorised_update_is_scikit_learns_bit_for_bit(n_rows: int, k: int, seed: int) -> None:
    factor, gram, product, order = _update_inputs(n_rows, k, seed)
    expected = factor.copy()
    violation = _update_cdnmf_fast(expected, gram, product, order)
    found = factor.copy()
    scratch = np.empty(n_rows * k + nmf.KERNEL_BLOCK * k)
    assert nmf._vector_update(found, gram, product, order, scratch) == violation
    assert np.array_equal(found.view(np.int64), expected.view(np.int64))


@kernel_built
def test_the_fits_use_the_vectorised_update_when_it_is_built() -> None:
    assert nmf.coordinate_update() is nmf._vector_update


@kernel_built
def test_a_fit_with_either_update_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    matrix = _posts(150, 700, 11)  # several blocks of rows, and a last one shorter
    fast = nmf_fit(matrix.copy(), 12, 0, 60)
    monkeypatch.setattr(nmf, "coordinate_update", lambda: nmf._sklearn_update)
    slow = nmf_fit(matrix.copy(), 12, 0, 60)
    for a, b in zip(fast[:2], slow[:2], strict=True):
        assert np.array_equal(a, b)
    assert fast[2] == slow[2]


@kernel_built
@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"factor": np.ones((5, 3), dtype=np.float32)}, TypeError),
        ({"product": np.ones((4, 3))}, ValueError),
        ({"order": np.array([0, 1, 3], dtype=np.intp)}, ValueError),
        ({"order": np.array([0, 1, 2], dtype=np.int8)}, TypeError),
        ({"scratch": np.empty(10)}, ValueError),
        # one item short of what KERNEL_BLOCK (read from the kernel) says it needs
        ({"scratch": np.empty(5 * 3 + nmf.KERNEL_BLOCK * 3 - 1)}, ValueError),
    ],
)
def test_the_vectorised_update_refuses_what_it_cannot_read(
    change: dict[str, np.ndarray], error: type[Exception]
) -> None:
    factor, gram, product, order = _update_inputs(5, 3, 1)
    inputs = {"factor": factor, "gram": gram, "product": product, "order": order}
    inputs["scratch"] = np.empty(5 * 3 + nmf.KERNEL_BLOCK * 3)
    inputs.update(change)
    with pytest.raises(error):
        nmf._vector_update(*inputs.values())


def test_an_update_that_differs_falls_back_on_scikit_learns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def nearly(factor: np.ndarray, gram: np.ndarray, product: np.ndarray, order, scratch):  # type: ignore[no-untyped-def]
        violation = _update_cdnmf_fast(factor, gram, product, order)
        factor[0, 0] = np.nextafter(factor[0, 0], np.inf)  # one bit off
        return violation

    def refusing(*args: np.ndarray) -> float:
        raise TypeError("float64 expected")

    for update in (nearly, refusing):
        monkeypatch.setattr(nmf, "_vector_update", update)
        nmf.coordinate_update.cache_clear()
        try:
            assert nmf.coordinate_update() is nmf._sklearn_update
        finally:
            nmf.coordinate_update.cache_clear()
