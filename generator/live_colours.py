"""The article's colour scales for the live network's layers (see live.py).

A stage of its own, keyed on the figures' code: an edit there redraws these
without replaying training, and an edit of live.py leaves them alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generator.figures.animations import MAP_FIGURES, VECTOR_FIGURES, bar_axis, bar_colours
from generator.figures.palette import LEVELS, Scale, build_palette
from generator.trace import Trace

# The live network's output that each bar figure's stage is compared with (live.OUTPUTS).
BAR_OUTPUTS = {"relu3": "fc1", "logits": "logits", "probs": "probs"}


def colour_scales(trace: Trace) -> dict[str, dict[str, Any]]:
    """Per output, the article figure's value range and colours, so a colour means the
    same number in the section as in the animations."""
    scales: dict[str, dict[str, Any]] = {}
    for figure in MAP_FIGURES:
        scale = Scale.fit(trace.stages[figure.stage], figure.signed)
        scales[figure.stage] = {
            "low": scale.low,
            "high": scale.high,
            "colours": hex_colours(build_palette(scale.cmap)[:LEVELS]),
        }
    for figure in VECTOR_FIGURES:
        values = trace.stages[figure.stage]
        axis = bar_axis(figure, values)
        palette = build_palette(axis.cmap)
        # A bar's colour says its sign, as in the animations: [negative, positive].
        signs = bar_colours(np.array([-1.0, 1.0]), axis)
        scales[BAR_OUTPUTS[figure.stage]] = {
            "low": axis.low,
            "high": axis.high,
            "colours": hex_colours(palette[signs]),
        }
    return scales


def hex_colours(rgb: np.ndarray) -> list[str]:
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in rgb.tolist()]
