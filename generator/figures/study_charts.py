"""The experiments page's charts, drawn like the article's: light and dark, each with its data.

They draw experiments.json (study/experiments.py) and belong to the experiment-charts
stage, not to the article's figures stage: editing them redraws only these two.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from generator.figures.charts import WIDTH, Chart, Theme
from generator.figures.draw import write_chart
from generator.figures.words import LANGUAGES, Words


def mlp_vs_cnn_chart(result: dict[str, Any], words: Words) -> Chart:
    steps = result["steps"]

    def draw(theme: Theme) -> Figure:
        # one above the other: side by side, a phone would shrink both
        figure, (acc_ax, loss_ax) = plt.subplots(2, 1, figsize=(WIDTH, 7.0))
        for name, label in (("cnn", "TinyCNN"), ("mlp", "MLP")):
            run = result[name]
            legend = words.model_runs.format(
                label=label, parameters=run["parameters"], seeds=len(run["seeds"])
            )
            line = acc_ax.plot(steps, run["test_acc"], label=legend)[0]
            acc_ax.fill_between(steps, *run["test_acc_range"], color=line.get_color(), alpha=0.2)
            loss_ax.plot(steps, run["test_loss"], label=legend)
        acc_ax.set_ylabel(words.test_acc_band)
        acc_ax.set_ylim(0, 1.02)
        loss_ax.set_ylabel(words.test_loss_mean)
        loss_ax.set_yscale("log")
        # plain numbers: "6 x 10^-1" on the minor ticks pushed the axis label off the figure
        plain = FuncFormatter(lambda value, _: f"{value:g}")
        loss_ax.yaxis.set_major_formatter(plain)
        loss_ax.yaxis.set_minor_formatter(plain)
        for ax in (acc_ax, loss_ax):
            ax.set_xlabel(words.step)
            ax.legend()
        figure.subplots_adjust(left=0.16, right=0.97, bottom=0.07, top=0.98, hspace=0.25)
        return figure

    arrays = {
        "steps": np.array(steps),
        **{
            f"{m}_{k}": np.array(result[m][k])
            for m in ("cnn", "mlp")
            for k in ("test_acc", "test_loss")
        },
    }
    return Chart("mlp_vs_cnn", draw, arrays, words)


LINE_STYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))


def noise_chart(result: dict[str, Any], words: Words) -> Chart:
    runs = result["runs"]
    final = np.array([r["final_test"]["mean"] for r in runs])
    final_interval = np.array([r["final_test"]["interval"] for r in runs])
    box = np.array([r["observer"]["accuracy"] for r in runs])
    square = runs[0]["observer"]["data"]["snr"]["side"]

    def draw(theme: Theme) -> Figure:
        # taller by a legend line per level: the legend sits under the curves
        height = 6.0 + 0.2 * len(runs)
        figure, (curve_ax, final_ax) = plt.subplots(2, 1, figsize=(WIDTH, height))
        colours = plt.get_cmap("viridis")(np.linspace(*theme.ramp, len(runs)))
        for k, (run, colour) in enumerate(zip(runs, colours, strict=True)):
            label = words.noise_level.format(noise=run["noise"])
            if all(step is None for step in run["step_test_90"]):
                label += words.never_bar.format(bar=result["bar"])
            # colour and dash both tell the levels apart: neighbours' greens are close
            style = LINE_STYLES[k % len(LINE_STYLES)]
            curve_ax.plot(result["steps"], run["test_acc"], color=colour, ls=style, label=label)
        curve_ax.axhline(result["bar"], color="grey", linestyle=":", linewidth=1)
        curve_ax.set_xlabel(words.step)
        curve_ax.set_ylabel(words.test_acc_mean)
        curve_ax.set_ylim(0, 1.02)
        # Under the axes, not on them: the noisy levels' curves run through every corner.
        curve_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False)
        errors = np.abs(final_interval.T - final)
        seeds = len(runs[0]["seeds"])
        final_ax.errorbar(
            result["levels"], final, yerr=errors, fmt="o-", capsize=3,
            label=words.cnn_interval.format(seeds=seeds),
        )  # fmt: skip
        # the reference: what summing the square's pixels gets without any training
        final_ax.plot(
            result["levels"], box, color="grey", ls=":", marker="x",
            label=words.box_template.format(square=square),
        )  # fmt: skip
        final_ax.set_xlabel(words.noise_std)
        final_ax.set_ylabel(words.final_acc)
        final_ax.set_ylim(0, 1.02)
        final_ax.legend(loc="lower left")
        figure.subplots_adjust(
            left=0.16, right=0.97, bottom=0.07, top=0.98, hspace=0.25 + 0.11 * len(runs)
        )
        return figure

    arrays = {
        "steps": np.array(result["steps"]),
        "levels": np.array(result["levels"]),
        "test_acc": np.array([r["test_acc"] for r in runs]),
        "final_test": final,
        "final_test_interval": final_interval,
        "final_by_seed": np.array(result["final_by_seed"]),
        "box_template": box,
    }
    return Chart("noise_levels", draw, arrays, words)


def render_charts(summary: dict[str, Any], out: Path) -> list[str]:
    """Each chart light and dark (X.png, X.dark.png) in each language (X-ja.png, ...) and
    its data (X.npz)."""
    charts = [
        chart(summary[part], words)
        for words in LANGUAGES
        for chart, part in ((mlp_vs_cnn_chart, "mlp_vs_cnn"), (noise_chart, "noise"))
    ]
    return [name for chart in charts for name in write_chart(chart, out)]
