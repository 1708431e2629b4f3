"""Every figure of the article and its data, written into one folder (see __init__.py)."""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
from collections.abc import Callable
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
Job = Callable[[Path], list[str]]  # writes one figure's files into a folder; their names


def render_figures(
    cfg: Config, data: Dataset, trace: Trace, facts: animations.Facts, out: Path
) -> list[str]:
    """Write every figure and its data into `out`; return the file names."""
    jobs = figure_jobs(cfg, data, trace, facts)
    done = run_jobs(jobs, out)
    written = [name for stem in jobs for name in done[stem]]
    # The README is read back from the written files, so it describes exactly what they hold.
    data = sorted(name.removesuffix(".npz") for name in written if name.endswith(".npz"))
    saved = {stem: read_npz(out / f"{stem}.npz") for stem in data}
    write_text(out / "figure-data.txt", datafiles.describe(saved))
    write_json(out / "timeline.json", sprites.timeline(trace, out))
    return [*written, "figure-data.txt", "timeline.json"]


WORKERS = 2  # processes drawing figures: the machine's cores
_forked_jobs: dict[str, Job] = {}  # what a forked worker finds, set just before the fork
PR_SET_PDEATHSIG = 1  # prctl's option (linux/prctl.h): a signal for when the parent dies


def run_jobs(jobs: dict[str, Job], out: Path) -> dict[str, list[str]]:
    """Run every job, WORKERS at a time in forked processes; each one's file names.

    Drawing is Python bound (matplotlib, the GIF frames), so threads take turns on one
    core; forked processes use both: the default figures stage went from 16 to 17.5 s to
    9 to 11.5 s on this 2-core machine. A fork inherits the jobs as they are, so nothing
    is pickled but stems and file names. No figure touches torch, whose thread pool does
    not survive a fork. Each job writes only its own files and draws from its own
    arguments, so the bytes do not depend on which process runs it, or after which job.
    """
    global _forked_jobs
    _forked_jobs = jobs
    try:
        with multiprocessing.get_context("fork").Pool(WORKERS, _worker_started) as pool:
            names = pool.map(_run_forked, [(stem, out) for stem in jobs], chunksize=1)
    finally:
        _forked_jobs = {}
    return dict(zip(jobs, names, strict=True))


def _worker_started() -> None:
    # Ctrl-C reaches the whole process group: the build reports it once, and ends the
    # workers itself. A build killed outright takes its workers with it (Linux), so none
    # goes on writing into a cache entry that the next build clears away.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    prctl = getattr(ctypes.CDLL(None), "prctl", None)
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _run_forked(job: tuple[str, Path]) -> list[str]:
    stem, out = job
    return _forked_jobs[stem](out)


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
