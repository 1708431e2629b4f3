"""Figures: the charts and animations of the article, and the data behind each.

For every figure stem X this writes, into one folder:
- animations: X.gif (one frame per snapshot, looping) and X.poster.png (the
  last frame, for readers who prefer reduced motion);
- charts: X.png and X.dark.png, matching the site's light and dark schemes;
- X.npz, the arrays the figure was drawn from, with the snapshot steps;
and one figure-data.md that lists the keys of every X.npz.

The Conv1 kernel change W_t - W_0 is the second panel of
conv1_filters_evolution, under the kernels themselves.
"""

from __future__ import annotations

from pathlib import Path

from generator.config import Config
from generator.data import Dataset
from generator.figures import animations, charts, chrome, datafiles, gif, palette
from generator.files import npz_bytes, write_bytes, write_text
from generator.trace import Trace

# Every module of the package, so the build's cache key changes when any of them does.
MODULES = (animations, charts, chrome, datafiles, gif, palette)


def render_figures(cfg: Config, data: Dataset, trace: Trace, out: Path) -> list[str]:
    """Write every figure and its data into `out`; return the file names."""
    written, data_files = [], {}
    for chart in charts.all_charts(cfg, data, trace):
        for theme in charts.THEMES:
            name = f"{chart.stem}{theme.suffix}.png"
            write_bytes(out / name, charts.chart_png(chart, theme))
            written.append(name)
        data_files[chart.stem] = chart.arrays
    for animation in animations.all_animations(cfg, trace):
        written += gif.save_animation(out, animation)
        data_files[animation.stem] = animation.arrays
    for stem, arrays in data_files.items():
        write_bytes(out / f"{stem}.npz", npz_bytes(arrays))
        written.append(f"{stem}.npz")
    write_text(out / "figure-data.md", datafiles.describe(data_files))
    return [*written, "figure-data.md"]
