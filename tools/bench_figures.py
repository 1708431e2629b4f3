"""Measure the figures of a built project: render time, bytes, frames, visible change.

    python -m tools.bench_figures [--root .]

Renders every figure from the project's trace (cached by its last build) into a temporary folder
(nothing in the project changes) and prints one line per figure. Timings are
for `make bench`, never for a test: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from generator.config import build_config, load_config_file
from generator.figures import animations, sprites
from generator.figures.draw import figure_jobs
from generator.pipeline import Build, Paths
from generator.stages import figure_facts, recorded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    root = parser.parse_args().root
    published = root / "docs" / "assets" / "generated" / "config.json"
    if not published.is_file():
        raise SystemExit(f"no {published}: build the project first (make site)")
    cfg = build_config(load_config_file(published))
    build = Build(cfg, Paths.under(root), log=lambda line: None)
    # from the cache when the build is current
    trace, data, shown = recorded(build), build.result("data"), figure_facts(build)
    changes = {a.stem: a.visible_change() for a in animations.all_animations(cfg, trace, shown)}
    total_wall, total_cpu, gif_bytes, sheet_bytes = 0.0, 0.0, 0, 0
    with tempfile.TemporaryDirectory() as folder:
        for stem, write in figure_jobs(cfg, data, trace, shown).items():
            start, start_cpu = time.perf_counter(), time.process_time()
            names = write(Path(folder))
            wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
            total_wall, total_cpu = total_wall + wall, total_cpu + cpu
            line = f"{stem:26s} {wall:6.3f} s ({cpu:.3f} s CPU)"
            if stem in changes:
                size = (Path(folder) / f"{stem}.gif").stat().st_size
                gif_bytes += size
                sheet = (Path(folder) / f"{stem}{sprites.SUFFIX}").stat().st_size
                sheet_bytes += sheet
                change = changes[stem]
                line += (
                    f"  {size / 1000:7.1f} kB (sheet {sheet / 1000:.1f} kB)  "
                    f"{len(change) + 1} frames  "
                    f"visibly changing pairs {np.mean(change >= animations.VISIBLE):.0%}  "
                    f"windows of 4 with >= 3: {np.mean(animations.changing_windows(change)):.0%}"
                )
            print(line, "  ", ", ".join(names), flush=True)
    # CPU time is the steadier number on a shared machine; wall time is what a build waits.
    megabytes = gif_bytes / 1e6
    print(
        f"all figures: {total_wall:.2f} s ({total_cpu:.2f} s CPU); all GIFs: {megabytes:.3f} MB;"
        f" all sprite sheets: {sheet_bytes / 1e6:.3f} MB"
    )


if __name__ == "__main__":
    main()
