"""Statistics for reports: Wilson intervals, group-gap tests, Benjamini-Hochberg."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

Z95 = 1.959963984540054
INDICATIVE_BASE = 30


def wilson_interval(
    successes: ArrayLike, n: ArrayLike, z: float = Z95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson score interval for proportions (vectorised); NaN where n is 0."""
    k = np.asarray(successes, dtype=float)
    total = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / total
        denominator = 1 + z**2 / total
        centre = (p + z**2 / (2 * total)) / denominator
        half = z * np.sqrt(p * (1 - p) / total + z**2 / (4 * total**2)) / denominator
    low = np.where(total > 0, np.clip(centre - half, 0, 1), np.nan)
    high = np.where(total > 0, np.clip(centre + half, 0, 1), np.nan)
    return low, high


@dataclass(frozen=True)
class GapTest:
    p_value: float
    method: str  # "chi-square" or "Fisher's exact"


def gap_test(hits_group: int, n_group: int, hits_rest: int, n_rest: int) -> GapTest:
    """One group against the rest on a proportion: chi-square if expected counts allow."""
    table = np.array(
        [[hits_group, n_group - hits_group], [hits_rest, n_rest - hits_rest]], dtype=float
    )
    if (table.sum(axis=0) == 0).any():
        return GapTest(1.0, "none (no variation)")
    expected = stats.contingency.expected_freq(table)
    if (expected >= 5).all():
        result = stats.chi2_contingency(table, correction=True)
        return GapTest(float(result.pvalue), "chi-square")
    result = stats.fisher_exact(table.astype(int))
    return GapTest(float(result.pvalue), "Fisher's exact")


def benjamini_hochberg(p_values: ArrayLike) -> NDArray[np.float64]:
    """Adjusted p-values controlling the false discovery rate across one report's tests."""
    values = np.asarray(p_values, dtype=float)
    if values.size == 0:
        return values
    return np.asarray(stats.false_discovery_control(values, method="bh"), dtype=float)
