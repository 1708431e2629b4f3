"""Measurements with uncertainty: intervals, baselines and three-way verdicts.

A claim of the article is a measurement, not a point value against a hand-set bar:
- its `value` comes with a 95% `interval`: a percentile bootstrap over test images
  (fixed seed, so the same bytes every build) or a t-interval over training seeds;
- where a "by chance" or "no effect" reading exists, a `baseline` with its own interval;
- its verdict is `holds` when the whole interval lies on the passing side of the bar
  (the threshold, or the baseline's interval), `fails` when it lies wholly on the other
  side, and `inconclusive` when it overlaps the bar.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

Claim = dict[str, Any]
Interval = tuple[float, float]

VERDICTS = ("holds", "fails", "inconclusive")
CONFIDENCE = 0.95
RESAMPLES = 2000
BOOTSTRAP_SEED = 20240611  # fixed: the interval is part of the published bytes
MIN_IMAGES = 100  # a claim over test images rests on at least this many
MIN_SEEDS = 5  # a claim over training runs rests on at least this many seeds
# Where a mean over seeds can lie (seed_interval cuts its interval there).
ACCURACY = (0.0, 1.0)
ACCURACY_DIFFERENCE = (-1.0, 1.0)  # one accuracy minus another
# Two-sided 97.5% quantiles of Student's t, by degrees of freedom (scipy is not a dependency).
T_975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
         9: 2.262, 10: 2.228, 12: 2.179, 15: 2.131, 20: 2.086, 30: 2.042}  # fmt: skip


def resample_indices(n: int, resamples: int = RESAMPLES) -> np.ndarray:
    """(resamples, n) image indices drawn with replacement, the same every call."""
    return np.random.default_rng(BOOTSTRAP_SEED).integers(0, n, size=(resamples, n))


def percentile_interval(estimates: np.ndarray) -> Interval:
    tail = (1 - CONFIDENCE) / 2 * 100
    lo, hi = np.nanpercentile(estimates, [tail, 100 - tail])
    return float(lo), float(hi)


def bootstrap(
    per_image: np.ndarray, statistic: Callable[[np.ndarray], Any] | None = None
) -> Interval:
    """95% percentile-bootstrap interval of a statistic over images (default: the mean).

    per_image: (n, ...) one row per image; statistic maps resampled rows (R, n, ...) to (R,).
    NaN rows (an image the measure cannot use) are dropped before resampling.
    """
    rows = per_image[~np.isnan(per_image).reshape(len(per_image), -1).any(axis=1)]
    resampled = rows[resample_indices(len(rows))]
    estimates = statistic(resampled) if statistic else resampled.mean(axis=1)
    return percentile_interval(np.asarray(estimates, dtype=np.float64))


def seed_interval(values: list[float], bounds: Interval | None = None) -> Interval:
    """95% t-interval of the mean over training seeds (each seed one independent run).

    bounds: the range the mean cannot leave (an accuracy lies in [0, 1]). The t-interval
    is symmetric, so near a bound it reaches past it; it is cut there rather than
    publish an accuracy interval that ends above 100%.
    """
    array = np.asarray(values, dtype=np.float64)
    if array.size < 2:
        return float(array.mean()), float(array.mean())
    df = array.size - 1
    t = T_975[max(k for k in T_975 if k <= df)]  # the next smaller df: a wider, safe interval
    half = t * array.std(ddof=1) / math.sqrt(array.size)
    lo, hi = array.mean() - half, array.mean() + half
    if bounds is not None:
        lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
    return float(lo), float(hi)


def binomial_interval(p: float, n: int) -> Interval:
    """Where the accuracy of n independent guesses with success rate p falls, 95% (Wilson)."""
    z = 1.959964
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def verdict(interval: Interval, bar: Interval, passes: str = "above") -> str:
    """holds: interval wholly past the bar on the passing side; fails: wholly on the other."""
    lo, hi = interval
    bar_lo, bar_hi = bar
    above, below = lo > bar_hi, hi < bar_lo
    if passes == "below":
        above, below = below, above
    return "holds" if above else "fails" if below else "inconclusive"


def claim(
    value: float,
    interval: Interval,
    description: str,
    *,
    n_images: int | None = None,
    n_seeds: int | None = None,
    threshold: float | None = None,
    baseline: float | None = None,
    baseline_interval: Interval | None = None,
    passes: str = "above",
) -> Claim:
    """One claim: measured value, interval, sample, bar (threshold or baseline) and verdict.

    Exactly one of n_images / n_seeds names the sample. The bar is the threshold if
    there is one, else the baseline's interval; a baseline given beside a threshold is
    reported (the by-chance reading) but does not judge. A sample below the minimum
    makes the claim inconclusive.
    """
    if (n_images is None) == (n_seeds is None):
        raise ValueError("a claim is measured over test images or over seeds, not both")
    if threshold is None and baseline is None:
        raise ValueError("a claim is judged against a threshold or a baseline")
    reading = None if baseline is None else (baseline_interval or (baseline, baseline))
    bar = (threshold, threshold) if threshold is not None else reading
    enough = (n_images or 0) >= MIN_IMAGES or (n_seeds or 0) >= MIN_SEEDS
    measured = (
        verdict(interval, bar, passes)
        if enough and all(map(math.isfinite, interval))
        else "inconclusive"
    )
    result: Claim = {
        "verdict": measured,
        "holds": measured == "holds",
        "enough_sample": enough,  # False: inconclusive for want of data, whatever the interval
        "value": float(value),
        "interval": [float(interval[0]), float(interval[1])],
        "passes": passes,
        "description": description,
    }
    result.update({"n_images": n_images} if n_images is not None else {"n_seeds": n_seeds})
    if threshold is not None:
        result["threshold"] = float(threshold)
    if reading is not None:
        result["baseline"] = {
            "value": float(baseline),
            "interval": [float(reading[0]), float(reading[1])],
        }
    return result
