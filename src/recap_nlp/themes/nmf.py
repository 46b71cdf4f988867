"""NMF fits and agreement scores equal to scikit-learn's, bit for bit, with less overhead.

The choice of K fits about two hundred small NMF models. scikit-learn's ``NMF.fit_transform``
(NNDSVDa start, coordinate descent, Frobenius loss, no regularisation) spends a good part of
each of them outside the arithmetic: every iteration builds ``X.T`` again (a new CSC object,
checked), dispatches two sparse products through ``__matmul__``, and the fit ends with a
reconstruction error nobody reads. :func:`nmf_fit` runs the same steps with the same kernels
(``_initialize_nmf``, the Cython ``_update_cdnmf_fast``, scipy's ``csr_matvecs`` and
``csc_matvecs`` on the same arrays in the same order), so its results are identical;
``tests/themes/test_nmf.py`` checks it against ``NMF`` on several matrices. When the private
kernels are not there (another scikit-learn), it falls back to ``NMF`` itself.
:func:`nmf_weights` gives the same weights without the components' last update, which the
choice of K never reads.

Where the time went (200 posts of the bench corpus, 3,204 terms, the 209 fits of K's choice,
about 16 CPU s): the Cython coordinate-descent updates 52 % (H's 48 %: terms × K² per
iteration), the two sparse products per iteration 24 %, the NNDSVDa start (a randomized SVD
with LU power iterations per fit) 15 %, the Gram matrices ``H.T @ H`` and ``W.T @ W`` 9 %;
Python around them under 2 %. Each is a compiled kernel whose order of operations fixes the
bits: a numpy update vectorised over rows gives the same bits but runs three times slower,
the randomized SVDs of different K draw differently shaped random matrices (nothing to
share), and a CSR copy of ``X.T`` is slower than the CSC view.

The update itself is the one kernel rewritten: ``_cd_kernel.c`` (built by ``setup.py`` when
a C compiler is there) runs scikit-learn's update with the same operations per element in the
same order, one block of 32 rows through every column at a time so that the compiler
vectorises across rows (AVX-512 or AVX2 where the CPU has them, chosen at load), no fused
multiply-add. :func:`coordinate_update` checks at first use that it gives scikit-learn's bits
and falls back on scikit-learn's update otherwise (or when it is not built). The H update of
3,204 terms at K = 20: 1.2 → 0.39 ms; the themes stage of the 200-post run: 25 → 14 s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

import numpy as np
from scipy.sparse import csr_matrix, issparse
from sklearn.decomposition import NMF

try:  # private kernels: the fallback below keeps the same results without them
    from scipy.sparse._sparsetools import csc_matvecs, csr_matvecs
    from sklearn.decomposition._cdnmf_fast import _update_cdnmf_fast
    from sklearn.decomposition._nmf import _initialize_nmf
except ImportError:  # pragma: no cover - depends on the installed versions
    FAST = False
else:
    FAST = True

try:  # built at install (setup.py) when a C compiler is there; optional
    from recap_nlp.themes._cd_kernel import BLOCK as KERNEL_BLOCK
    from recap_nlp.themes._cd_kernel import update as _vector_update
except ImportError:  # pragma: no cover - an install without a compiler
    _vector_update = None
    KERNEL_BLOCK = 0  # scikit-learn's update reads no scratch

log = logging.getLogger(__name__)

# One coordinate-descent update of a factor: (factor, Gram, product, order, scratch) ->
# violation, the factor updated in place.
Update = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray], float]
# KERNEL_BLOCK: rows of the kernel's blocks (_cd_kernel.c); its scratch holds n*k + BLOCK*k.

# scikit-learn's NMF default tolerance of the stopping condition.
TOL = 1e-4


def nmf_fit(
    matrix: csr_matrix, k: int, seed: int, max_iter: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """Unit × theme weights, theme × term components and iterations of an NNDSVDa NMF fit.

    The same as ``NMF(n_components=k, random_state=seed, init="nndsvda",
    max_iter=max_iter).fit_transform(matrix)``, ``components_`` and ``n_iter_``. Like it,
    the fit puts ``matrix`` in canonical form (sorted indices) in place.

    Example:
        ``nmf_fit(tfidf, 3, 0, 100)`` on the TF-IDF of posts about "vélo", "mission" and
        "numérique" gives three themes, each post's weights in a row of the first array.
    """
    if not (FAST and k >= 2 and _plain_csr(matrix)):
        model = NMF(n_components=k, random_state=seed, init="nndsvda", max_iter=max_iter)
        weights = model.fit_transform(matrix)
        return weights, model.components_, int(model.n_iter_)
    weights, ht, n_iter = _coordinate_descent(matrix, k, seed, max_iter, last_h=True)
    return weights, ht.T, n_iter


def nmf_weights(matrix: csr_matrix, k: int, seed: int, max_iter: int) -> tuple[np.ndarray, int]:
    """The weights and iterations of :func:`nmf_fit`, without the components' last update.

    Each iteration updates the weights, then the components, and stops once the two updates
    together moved little. When the fit runs to ``max_iter``, the last update of the
    components only decides a stop that the cap makes anyway: it is left out (the choice of
    K reads only the weights of its ~200 fits, which mostly reach the cap).

    Example:
        ``nmf_weights(tfidf, 3, 0, 100)[0]`` is ``nmf_fit(tfidf, 3, 0, 100)[0]``, bit for bit.
    """
    if not (FAST and k >= 2 and _plain_csr(matrix)):
        weights, _, n_iter = nmf_fit(matrix, k, seed, max_iter)
        return weights, n_iter
    weights, _, n_iter = _coordinate_descent(matrix, k, seed, max_iter, last_h=False)
    return weights, n_iter


def _coordinate_descent(
    matrix: csr_matrix, k: int, seed: int, max_iter: int, *, last_h: bool
) -> tuple[np.ndarray, np.ndarray, int]:
    """NMF's NNDSVDa start and coordinate descent on a plain CSR matrix: W, H.T, iterations.

    With ``last_h`` False, a fit that reaches ``max_iter`` stops after updating W.
    """
    matrix.sum_duplicates()  # what NMF's X.min() does in place before anything else
    w, h = _initialize_nmf(matrix, k, init="nndsvda", random_state=seed)
    w = np.ascontiguousarray(w)
    ht = np.ascontiguousarray(h.T)
    n_rows, n_terms = matrix.shape
    arrays = (matrix.indptr, matrix.indices, matrix.data)
    order = np.arange(k, dtype=np.intp)
    update = coordinate_update()
    scratch = np.empty(max(n_rows, n_terms) * k + KERNEL_BLOCK * k)
    n_iter = 0
    violation_init = 0.0
    for n_iter in range(1, max_iter + 1):
        # Update W, then H from X.T: X.T is the CSC matrix on X's own arrays. (Fresh zeroed
        # products: np.zeros is cheaper than zeroing a kept buffer in place.)
        product = np.zeros((n_rows, k))
        csr_matvecs(n_rows, n_terms, k, *arrays, ht.ravel(), product.ravel())
        violation = 0.0 + update(w, np.dot(ht.T, ht), product, order, scratch)
        if n_iter == max_iter and not last_h:
            break
        product = np.zeros((n_terms, k))
        csc_matvecs(n_terms, n_rows, k, *arrays, w.ravel(), product.ravel())
        violation += update(ht, np.dot(w.T, w), product, order, scratch)
        if n_iter == 1:
            violation_init = violation
        if violation_init == 0 or violation / violation_init <= TOL:
            break
    return w, ht, n_iter


@cache
def coordinate_update() -> Update:
    """The coordinate-descent update of the fits: the vectorised kernel when it is built and
    gives scikit-learn's bits here, else scikit-learn's ``_update_cdnmf_fast`` itself.

    The check runs once per process, on a few seeded random factors (zeros, a zero Hessian,
    shuffled orders), in a millisecond: a kernel built by another compiler or with other
    floating-point settings, or a scikit-learn whose update changed, falls back.
    """
    if _vector_update is not None and _same_bits(_vector_update):
        return _vector_update
    log.debug("NMF fits use scikit-learn's coordinate-descent update")
    return _sklearn_update


def _sklearn_update(
    factor: np.ndarray, gram: np.ndarray, product: np.ndarray, order: np.ndarray, _: np.ndarray
) -> float:
    return float(_update_cdnmf_fast(factor, gram, product, order))


def _same_bits(update: Update) -> bool:
    """Whether ``update`` gives scikit-learn's factors and violations, bit for bit."""
    if not FAST:
        return False
    rng = np.random.default_rng(20261202)
    for n_rows, k in ((1, 1), (7, 2), (33, 5), (70, 13), (97, 24)):
        factor = np.abs(rng.standard_normal((n_rows, k)))
        factor[rng.random((n_rows, k)) < 0.3] = 0.0
        other = np.abs(rng.standard_normal((k, 9)))
        gram = other @ other.T
        if k > 2:
            gram[k - 1, k - 1] = 0.0  # a zero Hessian: its column is left as it is
        product = np.abs(rng.standard_normal((n_rows, k)))
        order = rng.permutation(k).astype(np.intp)
        expected = factor.copy()
        violation = _update_cdnmf_fast(expected, gram, product, order)
        found = factor.copy()
        scratch = np.empty(n_rows * k + KERNEL_BLOCK * k)
        try:
            same = update(found, gram, product, order, scratch) == violation
        except (TypeError, ValueError):
            return False
        if not (same and np.array_equal(found.view(np.int64), expected.view(np.int64))):
            return False
    return True


def _plain_csr(matrix: object) -> bool:
    """Whether the fast path applies: a float64 CSR matrix with 32-bit indices, not empty."""
    return (
        issparse(matrix)
        and getattr(matrix, "format", "") == "csr"
        and matrix.dtype == np.float64
        and matrix.indices.dtype == np.int32
        and matrix.indptr.dtype == np.int32
        and matrix.ndim == 2
        and matrix.nnz > 0
    )


def adjusted_rand(labels_true: np.ndarray, labels_pred: np.ndarray) -> float:
    """``sklearn.metrics.adjusted_rand_score`` of two labellings by small non-negative ints.

    The same integer pair counts and the same final division, without the validation and
    the sparse contingency table.

    Example:
        ``adjusted_rand(np.array([0, 0, 1, 1]), np.array([1, 1, 0, 0]))`` -> 1.0 (the same
        partition under other names).
    """
    n = int(labels_true.shape[0])
    _, true_ids = np.unique(labels_true, return_inverse=True)
    _, pred_ids = np.unique(labels_pred, return_inverse=True)
    n_true = int(true_ids.max()) + 1 if n else 1
    n_pred = int(pred_ids.max()) + 1 if n else 1
    cells = np.bincount(true_ids * n_pred + pred_ids, minlength=n_true * n_pred)
    table = cells.astype(np.int64).reshape(n_true, n_pred)
    sum_squares = int((table**2).sum())
    n_c = table.sum(axis=1)
    n_k = table.sum(axis=0)
    fp = int((table @ n_k).sum()) - sum_squares
    fn = int((table.T @ n_c).sum()) - sum_squares
    tp = sum_squares - n
    tn = n * n - fp - fn - sum_squares
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
