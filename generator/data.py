"""The synthetic dataset: a bright square in one cell of a grid, label = cell.

Each image is a flat background with a `square` x `square` patch `contrast`
brighter, placed fully inside one of the grid's cells (row-major index =
label), plus Gaussian background noise. The clean signal is kept beside the
noisy image so figures can show what the noise does. The grid itself is never
drawn into the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generator.config import DataConfig

BACKGROUND = 0.2  # leaves room for noise below the background and above the square


@dataclass(frozen=True)
class Split:
    images: np.ndarray  # (N, S, S) float32 in [0, 1], noisy: what the model sees
    clean: np.ndarray  # (N, S, S) float32, the same images without noise
    labels: np.ndarray  # (N,) int64, cell index, row-major
    corners: np.ndarray  # (N, 2) int64, (row, col) of the square's top-left pixel

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Dataset:
    train: Split
    test: Split


def make_dataset(cfg: DataConfig) -> Dataset:
    # Separate child generators keep the test split the same when train_size changes.
    train_rng, test_rng = np.random.default_rng(cfg.seed).spawn(2)
    return Dataset(
        train=make_split(cfg, cfg.train_size, train_rng),
        test=make_split(cfg, cfg.test_size, test_rng),
    )


def make_split(cfg: DataConfig, n: int, rng: np.random.Generator) -> Split:
    edges = cell_edges(cfg)
    labels = rng.integers(0, cfg.grid**2, size=n)
    cell_rc = np.stack([labels // cfg.grid, labels % cfg.grid], axis=1)
    room = edges[cell_rc + 1] - edges[cell_rc] - cfg.square + 1  # top-left positions that fit
    corners = edges[cell_rc] + np.floor(rng.random((n, 2)) * room).astype(np.int64)
    clean = draw_squares(cfg, corners)
    noise = rng.standard_normal(clean.shape, dtype=np.float32) * np.float32(cfg.noise)
    images = np.clip(clean + noise, 0.0, 1.0)
    return Split(images=images, clean=clean, labels=labels, corners=corners)


def cell_edges(cfg: DataConfig) -> np.ndarray:
    """(grid + 1,) pixel borders of the cells; cells differ by at most one pixel."""
    return np.arange(cfg.grid + 1) * cfg.image_size // cfg.grid


def draw_squares(cfg: DataConfig, corners: np.ndarray) -> np.ndarray:
    """Noise-free images with one square at each (row, col) corner."""
    size, sq = cfg.image_size, cfg.square
    rows = np.arange(size)[None, :, None]
    cols = np.arange(size)[None, None, :]
    top, left = corners[:, 0, None, None], corners[:, 1, None, None]
    inside = (rows >= top) & (rows < top + sq) & (cols >= left) & (cols < left + sq)
    return np.where(inside, BACKGROUND + cfg.contrast, BACKGROUND).astype(np.float32)


def target_mask(cfg: DataConfig, corner: np.ndarray) -> np.ndarray:
    """(S, S) bool: where the square of one image lies."""
    return draw_squares(cfg, corner[None])[0] > BACKGROUND
