"""Figures: the charts and animations of the article, and the data behind each.

For every figure stem X this writes, into one folder:
- animations: X.gif (one frame per snapshot, looping) and X.poster.png (the
  last frame, for readers who prefer reduced motion) and X.frames.png (every
  frame in one sprite sheet, for the page's training-step slider);
- charts: X.png and X.dark.png, matching the site's light and dark schemes;
- X.npz, the arrays the figure was drawn from, with the snapshot steps;
and one figure-data.txt that lists the keys of every X.npz, and timeline.json
(what the slider shows at each snapshot, see sprites.py).

The Conv1 kernel change W_t - W_0 is the second panel of
conv1_filters_evolution, under the kernels themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from generator.config import Config
from generator.data import Dataset
from generator.figures import animations, charts, chrome, datafiles, gif, palette, sprites
from generator.files import read_npz, write_bytes, write_json, write_npz, write_text
from generator.trace import Trace

# Every module of the package, so the build's cache key changes when any of them does.
MODULES = (animations, charts, chrome, datafiles, gif, palette, sprites)


def render_figures(cfg: Config, data: Dataset, trace: Trace, out: Path) -> list[str]:
    """Write every figure and its data into `out`; return the file names."""
    jobs = figure_jobs(cfg, data, trace)
    written = [name for write in jobs.values() for name in write(out)]
    # The README is read back from the written files, so it describes exactly what they hold.
    saved = {stem: read_npz(out / f"{stem}.npz") for stem in jobs}
    write_text(out / "figure-data.txt", datafiles.describe(saved))
    write_json(out / "timeline.json", sprites.timeline(trace, out))
    return [*written, "figure-data.txt", "timeline.json"]


def figure_jobs(cfg: Config, data: Dataset, trace: Trace) -> dict[str, Callable[[Path], list[str]]]:
    """Figure stem -> a function that writes that figure's files into a folder."""
    jobs = {
        chart.stem: partial(write_chart, chart) for chart in charts.all_charts(cfg, data, trace)
    }
    for stem, build in animations.animation_builders(cfg, trace).items():
        jobs[stem] = partial(write_animation, build)
    return jobs


def write_chart(chart: charts.Chart, out: Path) -> list[str]:
    names = [f"{chart.stem}{theme.suffix}.png" for theme in charts.THEMES]
    for name, theme in zip(names, charts.THEMES, strict=True):
        write_bytes(out / name, charts.chart_png(chart, theme))
    return [*names, write_data(out, chart.stem, chart.arrays)]


def write_animation(build: Callable[[], animations.Animation], out: Path) -> list[str]:
    animation = build()
    return [
        *gif.save_animation(out, animation),
        *sprites.save_sprite(out, animation),
        write_data(out, animation.stem, animation.arrays),
    ]


def write_data(out: Path, stem: str, arrays: dict[str, np.ndarray]) -> str:
    write_npz(out / f"{stem}.npz", arrays)
    return f"{stem}.npz"
