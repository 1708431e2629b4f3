"""The experiments page's data and charts: what convolution buys, and how much noise it takes.

Why convolution helps: TinyCNN against an MLP of about the same parameter
count (generator/mlp.py), same data, same loop, same evaluation steps.
How much noise it can take: TinyCNN trained at several noise levels, all else
equal. The data seed is fixed, so every level draws the same noise pattern,
only scaled. The article's own level is always one of them (and is the main
run itself). The result is plain JSON, experiments.json, and two charts.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from generator import experiment_claims
from generator.config import Config
from generator.facts import Facts, first_step_at_least
from generator.figures import write_chart
from generator.figures.charts import Chart, Theme
from generator.trace import Trace

NOISE_LEVELS = (0.1, 0.35, 0.5, 0.7, 1.0)  # std of the background noise; 0.35 is the default


def noise_levels(cfg: Config) -> list[float]:
    return sorted({*NOISE_LEVELS, cfg.data.noise})


def noise_config(cfg: Config, level: float) -> Config:
    return dataclasses.replace(cfg, data=dataclasses.replace(cfg.data, noise=level))


def cnn_summary(trace: Trace, facts: Facts) -> dict[str, Any]:
    accuracy = facts["accuracy"]
    return {
        "parameters": facts["params"]["total"],
        "final_test": accuracy["final_test"],
        "final_train": accuracy["final_train"],
        "final_test_loss": accuracy["final_test_loss"],
        "step_test_90": accuracy["step_test_90"],
        "test_acc": trace.test_acc.tolist(),
        "test_loss": trace.test_loss.tolist(),
    }


def mlp_summary(curves: dict[str, np.ndarray]) -> dict[str, Any]:
    return {
        "hidden": int(curves["hidden"]),
        "parameters": int(curves["parameters"]),
        "final_test": float(curves["test_acc"][-1]),
        "final_train": float(curves["final_train_acc"]),
        "final_test_loss": float(curves["test_loss"][-1]),
        "step_test_90": first_step_at_least(curves["test_acc"], curves["eval_steps"], 0.9),
        "test_acc": curves["test_acc"].tolist(),
        "test_loss": curves["test_loss"].tolist(),
    }


def mlp_vs_cnn(cnn: dict[str, Any], mlp: dict[str, Any], steps: np.ndarray) -> dict[str, Any]:
    return {
        "steps": steps.tolist(),
        "cnn": cnn,
        "mlp": mlp,
        "parameter_difference": mlp["parameters"] - cnn["parameters"],
        "parameter_ratio": mlp["parameters"] / cnn["parameters"],
    }


def noise_study(cfg: Config, runs: dict[float, tuple[Trace, Facts]]) -> dict[str, Any]:
    """Final accuracy, steps to 90% and the accuracy curve of each noise level."""
    summaries = [
        {
            "noise": level,
            "final_test": facts["accuracy"]["final_test"],
            "final_test_loss": facts["accuracy"]["final_test_loss"],
            "step_test_90": facts["accuracy"]["step_test_90"],
            "test_acc": trace.test_acc.tolist(),
        }
        for level, (trace, facts) in sorted(runs.items())
    ]
    return {
        "levels": [s["noise"] for s in summaries],
        "main_level": cfg.data.noise,
        "steps": next(iter(runs.values()))[0].eval_steps.tolist(),
        "runs": summaries,
    }


def summarize(
    cfg: Config,
    trace: Trace,
    facts: Facts,
    mlp_curves: dict[str, np.ndarray],
    noise_runs: dict[float, tuple[Trace, Facts]],
) -> dict[str, Any]:
    """experiments.json, with the page's claims evaluated on it."""
    results = {
        "mlp_vs_cnn": mlp_vs_cnn(
            cnn_summary(trace, facts), mlp_summary(mlp_curves), trace.eval_steps
        ),
        "noise": noise_study(cfg, noise_runs),
        "total_steps": cfg.total_steps,
    }
    return {**results, "claims": experiment_claims.evaluate(results)}


# --- charts: drawn like the article's, light and dark, each with its data ----------------
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
