"""Measurements that both the facts and the figures take from the recorded arrays.

Here rather than in facts.py, so that the figures, which show these values frame by
frame, do not import the facts (and their cache key does not follow the facts' code).
"""

from __future__ import annotations

import numpy as np


def relative_change(start: np.ndarray, end: np.ndarray) -> float:
    """||end - start|| / ||start||, in float64."""
    start, end = start.astype(np.float64), end.astype(np.float64)
    return float(np.linalg.norm(end - start) / np.linalg.norm(start))
