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

from generator.figures import write_chart
from generator.figures.charts import Chart, Theme


def mlp_vs_cnn_chart(result: dict[str, Any]) -> Chart:
    steps = result["steps"]

    def draw(theme: Theme) -> Figure:
        figure, (acc_ax, loss_ax) = plt.subplots(1, 2, figsize=(10, 3.6))
        for name, label in (("cnn", "TinyCNN"), ("mlp", "MLP")):
            run = result[name]
            legend = f"{label} ({run['parameters']:,} parameters)"
            acc_ax.plot(steps, run["test_acc"], label=legend)
            loss_ax.plot(steps, run["test_loss"], label=legend)
        acc_ax.set_ylabel("test accuracy")
        acc_ax.set_ylim(0, 1.02)
        loss_ax.set_ylabel("test loss")
        loss_ax.set_yscale("log")
        for ax in (acc_ax, loss_ax):
            ax.set_xlabel("step")
            ax.legend()
        figure.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.97, wspace=0.25)
        return figure

    arrays = {
        "steps": np.array(steps),
        **{
            f"{m}_{k}": np.array(result[m][k])
            for m in ("cnn", "mlp")
            for k in ("test_acc", "test_loss")
        },
    }
    return Chart("mlp_vs_cnn", draw, arrays)


def noise_chart(result: dict[str, Any]) -> Chart:
    runs = result["runs"]

    def draw(theme: Theme) -> Figure:
        figure, (curve_ax, final_ax) = plt.subplots(1, 2, figsize=(10, 3.6))
        colours = plt.get_cmap("viridis")(np.linspace(0.15, 0.85, len(runs)))
        for run, colour in zip(runs, colours, strict=True):
            curve_ax.plot(
                result["steps"], run["test_acc"], color=colour, label=f"noise {run['noise']:g}"
            )
        curve_ax.axhline(0.9, color="grey", linestyle=":", linewidth=1)
        curve_ax.set_xlabel("step")
        curve_ax.set_ylabel("test accuracy")
        curve_ax.set_ylim(0, 1.02)
        curve_ax.legend(fontsize=8)
        final_ax.plot(result["levels"], [r["final_test"] for r in runs], "o-")
        final_ax.set_xlabel("noise (std)")
        final_ax.set_ylabel("final test accuracy")
        final_ax.set_ylim(0, 1.02)
        reached = [r for r in runs if r["step_test_90"] is not None]
        steps_ax = final_ax.twinx()
        second = theme.lines[1]
        steps_ax.plot(
            [r["noise"] for r in reached], [r["step_test_90"] for r in reached], "s--", color=second
        )
        steps_ax.set_ylabel("steps to 90% test accuracy", color=second)
        steps_ax.set_ylim(0, result["steps"][-1])
        figure.subplots_adjust(left=0.07, right=0.93, bottom=0.14, top=0.97, wspace=0.3)
        return figure

    arrays = {
        "steps": np.array(result["steps"]),
        "levels": np.array(result["levels"]),
        "test_acc": np.array([r["test_acc"] for r in runs]),
        "final_test": np.array([r["final_test"] for r in runs]),
        # NaN: that level never reached 90% within the run
        "step_test_90": np.array(
            [np.nan if r["step_test_90"] is None else r["step_test_90"] for r in runs]
        ),
    }
    return Chart("noise_levels", draw, arrays)


def render_charts(summary: dict[str, Any], out: Path) -> list[str]:
    """Each chart light and dark (X.png, X.dark.png) and its data (X.npz)."""
    charts = (mlp_vs_cnn_chart(summary["mlp_vs_cnn"]), noise_chart(summary["noise"]))
    return [name for chart in charts for name in write_chart(chart, out)]
