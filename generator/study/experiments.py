"""The experiments page's data: what convolution buys, and how much noise it takes.

Why convolution helps: TinyCNN against an MLP of about the same parameter
count (study/mlp.py), same data, same loop, same evaluation steps.
How much noise it can take: TinyCNN trained at several noise levels, all else
equal. The data seed is fixed, so every level draws the same noise pattern,
only scaled. The article's own level is always one of them (and is the main
run itself). The result is plain JSON, experiments.json; figures/study_charts.py
draws it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from generator.config import Config
from generator.facts import Facts, first_step_at_least
from generator.study import claims
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
    return {**results, "claims": claims.evaluate(results)}
