"""Choosing the number of themes: stability of the posts' dominant themes across restarts.

Rule (see ``data/README-themes.md``), after the consensus clustering of Brunet et al. (2004),
"Metagenes and molecular pattern discovery using matrix factorization", and Monti et al.
(2003): for each candidate K, a reference model is fitted on all the units (posts), then
``n_restarts`` models, each on a different random 80 % of the units (seed + r). The stability
of K is the mean adjusted Rand index between the units' dominant themes in the reference and
in a restart, over the units the restart saw: a K whose partition of the posts comes back when
a fifth of them is left out describes subjects, not noise. Only a K at which every theme leads
at least two posts is chosen (when there is one): past that, themes split single posts off
rather than find subjects. Among those, the chosen K is the largest whose stability is not
significantly below the best one's (within ``Z_SPREAD`` standard errors of the difference,
over the restarts): on a few dozen posts a coarse split (tech posts against the rest) can be
as stable as the subjects, and between two partitions equally stable, the finer one keeps
unrelated subjects apart. The stability of top-term sets (Greene et al. 2014, the rule before)
rewards two or three broad themes.
"""

from __future__ import annotations

import itertools
import logging
import warnings
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from sklearn.decomposition import LatentDirichletAllocation
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import ThreadpoolController

from recap_nlp.parallel import fork_map
from recap_nlp.themes.nmf import adjusted_rand, nmf_fit, nmf_weights

log = logging.getLogger(__name__)

Method = Literal["nmf", "lda"]

N_TOP_TERMS = 10
# Restarts per K: ten on small corpora, fewer on large ones so that K selection fits about
# RESTART_BUDGET units per K, never fewer than three.
MAX_RESTARTS = 10
MIN_RESTARTS = 3
RESTART_BUDGET = 2_500
RESTART_SHARE = 0.8
# K selection fits several models per K: on a large corpus it runs on a fixed-size sample, with
# fewer iterations (the dominant themes are settled long before the last digits of the fit).
SELECTION_SAMPLE = 500
SELECTION_MAX_ITER = 100
# The scan of K stops after this many K in a row at which some theme leads fewer than two posts.
PATIENCE = 3
# A theme must be the dominant theme of this many units (posts) for its K to be chosen.
MIN_ROWS_PER_THEME = 2
# A K whose stability is within this many standard errors of the best one's is as stable.
Z_SPREAD = 2.0
MAX_ITER = 400


def fit_model(
    matrix: csr_matrix, k: int, method: Method, seed: int, max_iter: int = MAX_ITER
) -> tuple[np.ndarray, np.ndarray]:
    """Unit × theme weights and theme × term components of one NMF or LDA fit.

    NMF starts from NNDSVDa: its fits are good and depend on the data, not on luck, so the
    restarts of :func:`choose_k` differ only by the units they see.
    """
    # One BLAS thread: on small blocks, threads fighting over the cores make a fit ten times
    # slower (and the per-document stage may be using the cores).
    with warnings.catch_warnings(), _threadpools().limit(limits=1):
        # A fit that stops short of convergence still shows which topics are there.
        warnings.simplefilter("ignore", ConvergenceWarning)
        if method != "lda":  # scikit-learn's NMF, bit for bit, with less overhead
            weights, components, _ = nmf_fit(matrix, k, seed, max_iter)
            return weights, components
        model = LatentDirichletAllocation(
            n_components=k, random_state=seed, learning_method="batch", max_iter=20
        )
        weights = model.fit_transform(matrix)
    return weights, model.components_


def fit_weights(
    matrix: csr_matrix, k: int, method: Method, seed: int, max_iter: int = MAX_ITER
) -> np.ndarray:
    """The weights of :func:`fit_model` (the same bits), for the fits of K's choice.

    NMF leaves out the last update of the components, which only the components show.
    """
    if method == "lda":
        return fit_model(matrix, k, method, seed, max_iter)[0]
    with warnings.catch_warnings(), _threadpools().limit(limits=1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        return nmf_weights(matrix, k, seed, max_iter)[0]


@cache
def _threadpools() -> ThreadpoolController:
    """The BLAS and OpenMP pools, looked up once (each lookup scans the loaded libraries)."""
    return ThreadpoolController()


def choose_k(
    matrix: csr_matrix, max_k: int, method: Method, seed: int, workers: int = 1
) -> tuple[int, dict[int, tuple[float, float] | None]]:
    """The number of themes and the (stability, standard error) of every candidate K.

    Only a K at which every theme is the dominant theme of ``MIN_ROWS_PER_THEME`` units or
    more is chosen (when one is): a theme that only one post leads splits that post off, it
    is not a subject posts share. The restarts of a K that is not admissible are fitted only
    when no K is (they cannot change the choice otherwise): its score is None otherwise.

    Which K are admissible depends only on their reference fits, so those come first (the
    scan stops as before) and the restarts of every K to score after: with ``workers`` > 1
    they are fitted in that many worker processes (each restart is the same fit wherever it
    runs, so the scores and the choice do not change).
    """
    sample = _sample_rows(matrix, SELECTION_SAMPLE, seed)
    n_restarts = min(MAX_RESTARTS, max(MIN_RESTARTS, RESTART_BUDGET // sample.shape[0]))
    if method == "lda":
        n_restarts = MIN_RESTARTS  # an LDA fit costs about ten NMF fits
    scanned: dict[int, np.ndarray] = {}
    admissible: list[int] = []
    for k in range(2, max_k + 1):
        if len(scanned) + 1 - max(admissible, default=1) >= PATIENCE:
            break  # themes keep splitting single posts off: larger K will not do better
        labels = dominant(fit_weights(sample, k, method, seed, SELECTION_MAX_ITER))
        scanned[k] = labels
        if np.bincount(labels, minlength=k).min() >= MIN_ROWS_PER_THEME:
            admissible.append(k)
    if not scanned:
        return max(1, max_k), {}
    to_score = admissible or list(scanned)
    stability = _stabilities(
        sample, {k: scanned[k] for k in to_score}, method, seed, n_restarts, workers
    )
    scores: dict[int, tuple[float, float] | None] = {k: stability.get(k) for k in scanned}
    scored = {k: score for k, score in scores.items() if score is not None}
    candidates = admissible or list(scored)
    best = max(candidates, key=lambda k: (scored[k][0], k))
    stable, spread = scored[best]
    return max(
        k for k in candidates if stable - scored[k][0] <= Z_SPREAD * np.hypot(spread, scored[k][1])
    ), scores


def _stabilities(
    sample: csr_matrix,
    labels: dict[int, np.ndarray],
    method: Method,
    seed: int,
    n_restarts: int,
    workers: int,
) -> dict[int, tuple[float, float]]:
    """:func:`_stability` of each K in ``labels`` (the reference labels at that K).

    Every restart is fitted: an agreement can be anywhere in [-1, 1], so a single restart left
    out can raise both a K's mean and its standard error enough to pass the ``Z_SPREAD`` test
    (on the 200-post bench corpus, 14 of the 16 K above the chosen one need all ten restarts to
    be ruled out, the other two nine: an exact early stop would spare a few of the 209 fits).
    """
    tasks = [(k, seed + r) for k in labels for r in range(n_restarts)]
    # A restart's units depend on its seed and size, not on K: drawn once for every K.
    subsets: dict[tuple[int, int], tuple[np.ndarray, csr_matrix]] = {}
    for k, restart_seed in tasks:
        draw = (_restart_size(sample, k), restart_seed)
        if draw not in subsets:
            subsets[draw] = _restart_rows(sample, *draw)
    shared = {"sample": sample, "labels": labels, "method": method, "subsets": subsets}
    agreements = fork_map(_shared_restart, tasks, workers, shared)
    runs: dict[int, list[float]] = {k: [] for k in labels}
    for (k, _), agreement in zip(tasks, agreements, strict=True):
        runs[k].append(agreement)
    return {k: _stability(k, values) for k, values in runs.items()}


def _shared_restart(shared: Mapping[str, Any], task: tuple[int, int]) -> float:
    k, seed = task
    rows, subset = shared["subsets"][_restart_size(shared["sample"], k), seed]
    return _restart_agreement(subset, rows, shared["labels"][k], k, shared["method"], seed)


def _stability(k: int, runs: list[float]) -> tuple[float, float]:
    """Mean agreement of the restarts with the reference labels, and its standard error."""
    spread = float(np.std(runs, ddof=1) / np.sqrt(len(runs))) if len(runs) > 1 else 0.0
    score = (round(float(np.mean(runs)), 4), round(spread, 4))
    log.debug("K=%d stability=%.3f ± %.3f", k, *score)
    return score


def dominant(weights: np.ndarray) -> np.ndarray:
    """Each unit's theme of largest weight (the first on a tie)."""
    return np.asarray(weights).argmax(axis=1)


def _restart_size(matrix: csr_matrix, k: int) -> int:
    """How many units a restart at K sees: ``RESTART_SHARE`` of them, and at least K."""
    return max(k, int(matrix.shape[0] * RESTART_SHARE))


def _restart_rows(matrix: csr_matrix, size: int, seed: int) -> tuple[np.ndarray, csr_matrix]:
    """The sorted ids of a restart's units, drawn with its seed, and their rows."""
    rows = np.sort(np.random.default_rng(seed).choice(matrix.shape[0], size, replace=False))
    return rows, matrix[rows]


def _restart_agreement(
    subset: csr_matrix, rows: np.ndarray, labels: np.ndarray, k: int, method: Method, seed: int
) -> float:
    """Adjusted Rand of the reference labels of ``rows`` and a fit's on ``subset`` (those rows)."""
    weights = fit_weights(subset, k, method, seed, SELECTION_MAX_ITER)
    return adjusted_rand(labels[rows], dominant(weights))


def _sample_rows(matrix: csr_matrix, size: int, seed: int) -> csr_matrix:
    if matrix.shape[0] <= size:
        return matrix
    rows = np.random.default_rng(seed).choice(matrix.shape[0], size, replace=False)
    return matrix[np.sort(rows)]


def top_term_sets(components: np.ndarray) -> list[set[int]]:
    """The column ids of each topic's top terms (ties in weight broken by column order)."""
    return [set(np.argsort(-row, kind="stable")[:N_TOP_TERMS].tolist()) for row in components]


def matched_jaccard(a: list[set[int]], b: list[set[int]]) -> float:
    """Mean Jaccard of topics paired one to one so that the total overlap is largest."""
    similarity = np.array([[len(x & y) / (len(x | y) or 1) for y in b] for x in a])
    rows, cols = linear_sum_assignment(-similarity)
    return float(similarity[rows, cols].mean())


def npmi(topics: list[set[int]], presence: csr_matrix) -> float:
    """Mean normalised PMI of top-term pairs, from co-occurrence in the same unit.

    Pairs that never co-occur score -1, pairs always together +1 (Bouma 2009).
    """
    n_units = presence.shape[0]
    values: list[float] = []
    for topic in topics:
        ids = sorted(topic)
        columns = presence[:, ids]
        joint = (columns.T @ columns).toarray() / n_units
        single = np.diag(joint)
        for i, j in itertools.combinations(range(len(ids)), 2):
            values.append(pair_npmi(joint[i, j], single[i], single[j]))
    return float(np.mean(values)) if values else 0.0


def pair_npmi(p_ij: float, p_i: float, p_j: float) -> float:
    """NPMI of two terms from their joint and single probabilities."""
    if p_ij <= 0:
        return -1.0
    if p_ij >= 1:
        return 1.0
    return float(np.log(p_ij / (p_i * p_j)) / -np.log(p_ij))
