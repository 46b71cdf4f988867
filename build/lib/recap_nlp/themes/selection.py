"""Choosing the number of themes: stability of top terms across restarts, then NPMI.

Rule (see ``data/README-themes.md``), after Greene, O'Callaghan and Cunningham (2014), "How
many topics? Stability analysis for topic models": for each candidate K, a reference model is
fitted on all the units, then ``n_restarts`` models, each on a different random 80 % of the
units (seed + r). The stability of K is the mean Jaccard overlap of the top-10 term sets of the
reference topics and a restart's topics, paired one to one (Hungarian matching), averaged over
the restarts. The K of highest stability wins; K within ``STABILITY_TIE`` of the best count as
tied, and among them the one whose reference topics have the highest NPMI (top-term pairs
co-occurring in the same unit) wins, then the smallest K.
"""

from __future__ import annotations

import itertools
import logging
import warnings
from typing import Literal

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.exceptions import ConvergenceWarning

log = logging.getLogger(__name__)

Method = Literal["nmf", "lda"]

N_TOP_TERMS = 10
# Restarts per K: five on small corpora (more did not change K on the seeds), fewer on large
# ones so that K selection fits about RESTART_BUDGET units per K, never fewer than three.
MAX_RESTARTS = 5
MIN_RESTARTS = 3
RESTART_BUDGET = 10_000
RESTART_SHARE = 0.8
# K selection fits several models per K: on a large corpus it runs on a fixed-size sample.
SELECTION_SAMPLE = 4000
# Stabilities this close are a tie, broken by NPMI.
STABILITY_TIE = 0.05
MAX_ITER = 400


def fit_model(
    matrix: csr_matrix, k: int, method: Method, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Unit × theme weights and theme × term components of one NMF or LDA fit.

    NMF starts from NNDSVDa: its fits are good and depend on the data, not on luck, so the
    restarts of :func:`choose_k` differ only by the units they see.
    """
    model: NMF | LatentDirichletAllocation
    if method == "lda":
        model = LatentDirichletAllocation(
            n_components=k, random_state=seed, learning_method="batch", max_iter=20
        )
    else:
        model = NMF(n_components=k, random_state=seed, init="nndsvda", max_iter=MAX_ITER)
    with warnings.catch_warnings():
        # A fit that stops short of convergence still shows which topics are there.
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    return weights, model.components_


def choose_k(
    matrix: csr_matrix, max_k: int, method: Method, seed: int
) -> tuple[int, dict[int, tuple[float, float]]]:
    """The number of themes and the (stability, NPMI) score of every candidate K."""
    sample = _sample_rows(matrix, SELECTION_SAMPLE, seed)
    presence = (sample > 0).astype(np.float64).tocsc()
    n_restarts = min(MAX_RESTARTS, max(MIN_RESTARTS, RESTART_BUDGET // sample.shape[0]))
    if method == "lda":
        n_restarts = MIN_RESTARTS  # an LDA fit costs about ten NMF fits
    scores: dict[int, tuple[float, float]] = {}
    for k in range(2, max_k + 1):
        reference = top_term_sets(fit_model(sample, k, method, seed)[1])
        runs = [_restart_top_terms(sample, k, method, seed + r) for r in range(n_restarts)]
        stability = float(np.mean([matched_jaccard(reference, run) for run in runs]))
        coherence = npmi(reference, presence)
        scores[k] = (round(stability, 4), round(coherence, 4))
        log.debug("K=%d stability=%.3f npmi=%.3f", k, stability, coherence)
    if not scores:
        return max(1, max_k), scores
    best = max(stability for stability, _ in scores.values())
    tied = [k for k, (stability, _) in scores.items() if stability >= best - STABILITY_TIE]
    return max(tied, key=lambda k: (scores[k][1], -k)), scores


def _restart_top_terms(matrix: csr_matrix, k: int, method: Method, seed: int) -> list[set[int]]:
    rows = _sample_rows(matrix, max(k, int(matrix.shape[0] * RESTART_SHARE)), seed)
    return top_term_sets(fit_model(rows, k, method, seed)[1])


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
