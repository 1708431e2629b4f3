"""One fixed 64-colour palette per animation, and the value-to-colour scale.

Every animation frame is an array of indices into this palette. The first
LEVELS entries are the colormap, sampled in equal steps; then a grey ramp
(text, the probe image, the white background); then a few chrome colours.
A value's index depends only on the animation's Scale, never on the frame,
so a colour means the same number in every frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import numpy as np

LEVELS = 25  # odd, so that zero sits exactly on the middle colour of a diverging map
GREYS = 32
GREY = LEVELS  # first grey (black); GREY + GREYS - 1 is white
WHITE = GREY + GREYS - 1
BLACK = GREY
HIGHLIGHT = GREY + GREYS  # the true class, the target cell
HIGHLIGHT_TINT = HIGHLIGHT + 1  # behind a highlighted bar
STANDOUT = HIGHLIGHT + 2  # the standout FC1 unit
STANDOUT_TINT = HIGHLIGHT + 3
PROGRESS = HIGHLIGHT + 4
TRANSPARENT = 63  # unchanged pixels of a delta frame; never drawn
SIZE = 64  # entries: a 6-bit GIF palette, which also shortens the LZW codes

CHROME_COLOURS = {
    HIGHLIGHT: (230, 97, 1),
    HIGHLIGHT_TINT: (253, 224, 200),
    STANDOUT: (94, 60, 153),
    STANDOUT_TINT: (222, 214, 240),
    PROGRESS: (63, 81, 181),  # the site's indigo
    TRANSPARENT: (255, 0, 255),
}

DIVERGING = "RdBu_r"  # signed values: blue below zero, white at zero, red above
SEQUENTIAL = "magma"  # non-negative values: black at zero, bright when large
CLIP_PERCENTILE = 99.5  # a few extreme values must not wash out every other colour


def build_palette(cmap: str) -> np.ndarray:
    """(SIZE, 3) uint8: colormap levels, grey ramp, chrome colours."""
    colours = np.zeros((SIZE, 3), dtype=np.uint8)
    sampled = matplotlib.colormaps[cmap](np.linspace(0, 1, LEVELS))[:, :3]
    colours[:LEVELS] = np.round(sampled * 255).astype(np.uint8)
    colours[GREY : GREY + GREYS] = np.round(np.linspace(0, 255, GREYS))[:, None].astype(np.uint8)
    for index, rgb in CHROME_COLOURS.items():
        colours[index] = rgb
    unused = np.arange(PROGRESS + 1, TRANSPARENT)
    colours[unused] = np.stack([unused, unused, np.ones_like(unused)], axis=1)
    # Pillow matches palette entries by colour when it writes the GIF: every entry must be
    # distinct, or it would move pixels to another index of the same colour.
    if len(np.unique(colours, axis=0)) != len(colours):
        raise ValueError(f"palette of {cmap} has repeated colours")
    return colours


def luminance(colours: np.ndarray) -> np.ndarray:
    """Rec. 601 luma of each palette entry, 0..255: what 'a grey level' means below."""
    return colours.astype(np.float64) @ np.array([0.299, 0.587, 0.114])


@dataclass(frozen=True)
class Scale:
    """A linear map from values to the LEVELS colormap indices, fixed for an animation."""

    low: float
    high: float
    clipped: bool  # whether some values lie outside [low, high] and take the end colours

    @classmethod
    def fit(cls, values: np.ndarray, signed: bool, clip: bool = True) -> Scale:
        """Symmetric around zero if signed, else from zero; one scale for every frame."""
        magnitude = np.abs(values)
        peak = float(magnitude.max())
        top = float(np.percentile(magnitude, CLIP_PERCENTILE)) if clip else peak
        top = top if top > 0 else (peak or 1.0)
        return cls(low=-top if signed else 0.0, high=top, clipped=top < peak)

    @property
    def cmap(self) -> str:
        return DIVERGING if self.low < 0 else SEQUENTIAL

    def indices(self, values: np.ndarray) -> np.ndarray:
        fraction = (np.asarray(values, dtype=np.float64) - self.low) / (self.high - self.low)
        return np.clip(np.round(fraction * (LEVELS - 1)), 0, LEVELS - 1).astype(np.uint8)

    def arrays(self, prefix: str = "scale") -> dict[str, np.ndarray]:
        return {f"{prefix}_low": np.float64(self.low), f"{prefix}_high": np.float64(self.high)}
