"""The box-template observer: the matched filter for the square, with nothing learned.

It knows only the square's size and where the data may put one: it sums the pixels
under a `square` x `square` box (all ones) at every placement the generator can
draw (fully inside one cell, data.make_split) and answers the cell of the largest
sum. Against Gaussian noise this is the matched filter: the sum over the square's
pixels grows with their number, the noise in it only with its square root. It is
the reference TinyCNN is measured against at every noise level of the experiments
(study/experiments.py), computed from the test images alone.
"""

from __future__ import annotations

import numpy as np

from generator.config import DataConfig
from generator.data import Split, cell_edges


def placement_cells(cfg: DataConfig) -> np.ndarray:
    """(S - square + 1,) per top-left offset along a row (or a column): the grid cell a
    square placed there lies in, or -1 where the data never puts one (across a border)."""
    edges, cells = cell_edges(cfg), np.full(cfg.image_size - cfg.square + 1, -1)
    for cell in range(cfg.grid):
        cells[edges[cell] : edges[cell + 1] - cfg.square + 1] = cell
    return cells


def box_sums(images: np.ndarray, square: int) -> np.ndarray:
    """(N, S - square + 1, S - square + 1) sum under the box at every top-left position.

    From a 2-D running sum (summed-area table), in float64: a float32 table of a
    32x32 image would lose the digits that tell two close sums apart.
    """
    running = images.astype(np.float64).cumsum(axis=1).cumsum(axis=2)
    table = np.pad(running, ((0, 0), (1, 0), (1, 0)))  # a zero row and column in front
    return (
        table[:, square:, square:]
        - table[:, :-square, square:]
        - table[:, square:, :-square]
        + table[:, :-square, :-square]
    )


def predict(cfg: DataConfig, images: np.ndarray) -> np.ndarray:
    """(N,) the cell of the largest box sum over the placements the data can draw."""
    cells = placement_cells(cfg)
    placed = cells >= 0
    sums = box_sums(images, cfg.square)[:, placed][:, :, placed]  # (N, P, P)
    best = sums.reshape(len(sums), -1).argmax(axis=1)
    rows, cols = np.unravel_index(best, sums.shape[1:])
    return cells[placed][rows] * cfg.grid + cells[placed][cols]


def observe(cfg: DataConfig, test: Split) -> dict[str, np.ndarray]:
    """The observer's answer for every test image, and the labels it is judged by."""
    return {"pred": predict(cfg, test.images), "labels": test.labels}
