"""Every figure of the article and its data, written into one folder (see __init__.py)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import numpy as np

from generator.config import Config
from generator.data import Dataset
from generator.figures import (
    animations,
    charts,
    chrome,
    datafiles,
    gif,
    palette,
    population_charts,
    sprites,
    words,
)
from generator.files import read_npz, write_bytes, write_json, write_npz, write_text
from generator.trace import Trace

# Every module of the package, so the build's cache key changes when any of them does.
MODULES = (animations, charts, chrome, datafiles, gif, palette, population_charts, sprites, words)


def render_figures(
    cfg: Config, data: Dataset, trace: Trace, facts: animations.Facts, out: Path
) -> list[str]:
    """Write every figure and its data into `out`; return the file names.

    The animations are built on a second thread while the charts are drawn on this one:
    numpy, zlib and the GIF encoder release the GIL, so both cores work. (matplotlib's
    pyplot is not thread-safe, so every chart stays on this thread.) Each job writes only
    its own files: the bytes do not depend on which finishes first.
    """
    charted, animated = chart_jobs(cfg, data, trace, facts), animation_jobs(cfg, trace, facts)
    jobs = charted | animated
    with ThreadPoolExecutor(max_workers=1) as worker:
        pending = {stem: worker.submit(write, out) for stem, write in animated.items()}
        done = {stem: write(out) for stem, write in charted.items()}
        done |= {stem: future.result() for stem, future in pending.items()}
    written = [name for stem in jobs for name in done[stem]]
    # The README is read back from the written files, so it describes exactly what they hold.
    data = sorted(name.removesuffix(".npz") for name in written if name.endswith(".npz"))
    saved = {stem: read_npz(out / f"{stem}.npz") for stem in data}
    write_text(out / "figure-data.txt", datafiles.describe(saved))
    write_json(out / "timeline.json", sprites.timeline(trace, out))
    return [*written, "figure-data.txt", "timeline.json"]


Job = Callable[[Path], list[str]]  # writes one figure's files into a folder; their names


def figure_jobs(
    cfg: Config, data: Dataset, trace: Trace, facts: animations.Facts
) -> dict[str, Job]:
    """Figure stem -> the job that writes that figure."""
    return chart_jobs(cfg, data, trace, facts) | animation_jobs(cfg, trace, facts)


def chart_jobs(cfg: Config, data: Dataset, trace: Trace, facts: animations.Facts) -> dict[str, Job]:
    made = [*charts.all_charts(cfg, data, trace), *population_charts.all_charts(cfg, facts)]
    return {c.image_stem: partial(write_chart, c) for c in made}


def animation_jobs(cfg: Config, trace: Trace, facts: animations.Facts) -> dict[str, Job]:
    builders = animations.animation_builders(cfg, trace, facts)
    return {stem: partial(write_animation, build) for stem, build in builders.items()}


def write_chart(chart: charts.Chart, out: Path) -> list[str]:
    names = [f"{chart.image_stem}{theme.suffix}.png" for theme in charts.THEMES]
    for name, theme in zip(names, charts.THEMES, strict=True):
        write_bytes(out / name, charts.chart_png(chart, theme))
    if chart.words.suffix:  # the data is the same in every language: written once
        return names
    return [*names, write_data(out, chart.stem, chart.arrays)]


def write_animation(build: Callable[[], animations.Animation], out: Path) -> list[str]:
    animation = build()
    names = [*gif.save_animation(out, animation), *sprites.save_sprite(out, animation)]
    if animation.stem != animation.data_stem:  # another language: its data is written once
        return names
    return [*names, write_data(out, animation.data_stem, animation.arrays)]


def write_data(out: Path, stem: str, arrays: dict[str, np.ndarray]) -> str:
    write_npz(out / f"{stem}.npz", arrays)
    return f"{stem}.npz"
