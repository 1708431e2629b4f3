"""The experiments page's data and charts: what convolution buys, and how much noise it takes.

Why convolution helps: TinyCNN against an MLP of about the same parameter
count (study/mlp.py), same data, same budget, same evaluation steps.
How much noise it can take: TinyCNN trained at several noise levels, all else
equal. The data seed is fixed, so every level draws the same noise pattern,
only scaled. Every setup is trained once per seed of the seed study
(study/runs.py), so each result is a mean with its interval over seeds, and a
comparison is made seed by seed. The result is plain JSON, experiments.json;
figures/study_charts.py draws it.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from generator import evidence
from generator.claims import ACCURACY_BAR
from generator.config import Config
from generator.facts import first_step_at_least
from generator.study import claims
from generator.study.mlp import cnn_parameters, matching_width

# The shares of the budget runs.CHECKPOINTS measures every run at, in its order.
CHECKPOINT_NAMES = ("start", "early", "middle", "end")
# TinyCNN's downsampling after each convolution, as trained (study/runs.py VARIANTS)
POOLS = {"max": "cnn", "average": "avgpool", "stride": "stride2"}
NOISE_LEVELS = (0.1, 0.35, 0.5, 0.7, 1.0)  # std of the background noise; 0.35 is the default
# "Still improving when training stops": the mean test accuracy over the last quarter of the
# evaluation steps rose by more than this (one test image in a hundred).
STILL_IMPROVING = 0.01


def noise_levels(cfg: Config) -> list[float]:
    return sorted({*NOISE_LEVELS, cfg.data.noise})


def noise_config(cfg: Config, level: float) -> Config:
    return dataclasses.replace(cfg, data=dataclasses.replace(cfg.data, noise=level))


def per_seed(values: np.ndarray, bounds: evidence.Interval | None = None) -> dict[str, Any]:
    """A value per seed, its mean and its 95% interval over the seeds (kept in `bounds`)."""
    listed = [float(v) for v in values]
    return {
        "values": listed,
        "mean": float(np.mean(listed)),
        "interval": evidence.seed_interval(listed, bounds),
    }


def late_gain(curves: np.ndarray) -> np.ndarray:
    """(G,) test accuracy gained over the last quarter of the evaluation steps."""
    quarter = max(1, curves.shape[1] // 4)
    return curves[:, -1] - curves[:, -1 - quarter]


def setup_summary(runs: dict[str, np.ndarray]) -> dict[str, Any]:
    """One setup (a model at a noise level) trained once per seed."""
    test = runs["test_acc"][:, -1]
    train = runs["final_train_acc"]
    gain = late_gain(runs["test_acc"])
    return {
        "seeds": runs["seeds"].tolist(),
        "parameters": int(runs["parameters"]),
        "final_test": per_seed(test, evidence.ACCURACY),
        "final_train": per_seed(train, evidence.ACCURACY),
        # train minus test accuracy: what does not generalise
        "gap": per_seed(train - test, evidence.ACCURACY_DIFFERENCE),
        "final_test_loss": per_seed(runs["test_loss"][:, -1], (0.0, math.inf)),
        # the test accuracy averaged over the evaluation steps: the area under the curve
        "mean_accuracy": per_seed(runs["test_acc"].mean(axis=1), evidence.ACCURACY),
        "late_gain": per_seed(gain, evidence.ACCURACY_DIFFERENCE),
        "still_improving": bool(np.mean(gain) > STILL_IMPROVING),
        "step_test_90": [
            first_step_at_least(c, runs["eval_steps"], ACCURACY_BAR) for c in runs["test_acc"]
        ],
        "test_acc": runs["test_acc"].mean(axis=0).tolist(),
        "test_acc_range": [
            runs["test_acc"].min(axis=0).tolist(),
            runs["test_acc"].max(axis=0).tolist(),
        ],
        "test_loss": runs["test_loss"].mean(axis=0).tolist(),
    }


def observer_summary(runs: dict[str, np.ndarray], observer: dict[str, Any]) -> dict[str, Any]:
    """The box template on one level's test images, and its lead over TinyCNN.

    The template's lead is paired image by image: on each image, whether the template
    is right minus the share of seeds whose TinyCNN is; its interval is a bootstrap over
    the images (the template has no seed, and both answer the same images).
    """
    labels = observer["labels"]
    box = (observer["pred"] == labels).astype(np.float64)
    lead = box - (runs["test_pred"] == labels).mean(axis=0)  # (N,)
    return {
        "accuracy": float(box.mean()),
        "interval": evidence.bootstrap(box),
        "lead": {
            "value": float(lead.mean()),
            "interval": evidence.bootstrap(lead),
            "n_images": len(lead),
        },
        "data": observer["data"],  # the clipped test images and the square's SNR
    }


def at_checkpoints(runs: dict[str, np.ndarray]) -> dict[str, Any]:
    """Test accuracy and the mean gradient norm at the logits at each checkpoint, over seeds."""
    if len(runs["checkpoint_steps"]) != len(CHECKPOINT_NAMES):
        raise ValueError(f"{len(runs['checkpoint_steps'])} checkpoints, named {CHECKPOINT_NAMES}")
    return {
        name: {
            "step": int(step),
            "accuracy": per_seed(runs["checkpoint_acc"][:, k], evidence.ACCURACY),
            "logit_grad": per_seed(runs["logit_grad"][:, k], (0.0, math.inf)),
        }
        for k, (name, step) in enumerate(
            zip(CHECKPOINT_NAMES, runs["checkpoint_steps"], strict=True)
        )
    }


def softmax_summary(correct: dict[str, np.ndarray], inside: dict[str, np.ndarray]) -> dict:
    """Softmax inside the model against the article's setup, seed by seed at each checkpoint:
    the accuracy the pitfall costs, and how much it shrinks the gradient at the logits."""
    lead = correct["checkpoint_acc"] - inside["checkpoint_acc"]  # (G, checkpoints)
    ratio = inside["logit_grad"] / correct["logit_grad"]
    raw, wrapped = at_checkpoints(correct), at_checkpoints(inside)
    paired = {
        name: {
            "accuracy_lead": per_seed(lead[:, k], evidence.ACCURACY_DIFFERENCE),
            "grad_ratio": per_seed(ratio[:, k], (0.0, math.inf)),
        }
        for k, name in enumerate(CHECKPOINT_NAMES)
    }
    return {
        "correct": raw,
        "inside": wrapped,
        "paired": paired,
        # The page's table, a row per checkpoint in step order: a list, because the stored
        # JSON's objects come back with their keys sorted.
        "rows": [
            {
                "step": raw[name]["step"],
                "correct": raw[name],
                "inside": wrapped[name],
                "grad_ratio": paired[name]["grad_ratio"],
            }
            for name in CHECKPOINT_NAMES
        ],
    }


def pooling_summary(pools: dict[str, dict[str, np.ndarray]]) -> dict[str, Any]:
    """TinyCNN with each downsampling; max pooling's final lead over the others, by seed."""
    final = {pool: runs["test_acc"][:, -1] for pool, runs in pools.items()}
    return {
        "runs": [{"pool": pool, **setup_summary(runs)} for pool, runs in pools.items()],
        "paired": {
            f"max_minus_{pool}": (final["max"] - final[pool]).tolist()
            for pool in pools
            if pool != "max"
        },
    }


def summarize(
    cfg: Config,
    mlp: dict[str, np.ndarray],
    noise: dict[float, dict[str, np.ndarray]],
    observers: dict[float, dict[str, Any]],
    variants: dict[str, dict[str, np.ndarray]],
) -> dict[str, Any]:
    """experiments.json, with the page's claims evaluated on it.

    mlp: the MLP's runs (one per seed); noise: TinyCNN's runs per noise level, the
    article's level included (the CNN side of the MLP comparison); observers: the box
    template's answers per noise level (study/observer.py); variants: TinyCNN's runs with
    one thing changed, by runs.VARIANTS name, at the article's noise level.
    """
    cnn = noise[cfg.data.noise]
    variants = {**variants, "cnn": cnn}
    results = {
        "mlp_vs_cnn": {
            "steps": cnn["eval_steps"].tolist(),
            "cnn": setup_summary(cnn),
            "mlp": {**setup_summary(mlp), "hidden": matching_width(cfg)},
            "paired": {  # seed by seed: the same initial seed and batch order on both sides
                "accuracy_lead": (cnn["test_acc"][:, -1] - mlp["test_acc"][:, -1]).tolist(),
                "loss_ratio": (mlp["test_loss"][:, -1] / cnn["test_loss"][:, -1]).tolist(),
                "gap_difference": (
                    (mlp["final_train_acc"] - mlp["test_acc"][:, -1])
                    - (cnn["final_train_acc"] - cnn["test_acc"][:, -1])
                ).tolist(),
            },
        },
        "noise": {
            "levels": sorted(noise),
            "main_level": cfg.data.noise,
            "steps": cnn["eval_steps"].tolist(),
            "bar": ACCURACY_BAR,  # the article's: the chart's line, the "never reaches" label
            "runs": [
                {
                    "noise": level,
                    **setup_summary(noise[level]),
                    "observer": observer_summary(noise[level], observers[level]),
                }
                for level in sorted(noise)
            ],
            "final_by_seed": np.stack(
                [noise[k]["test_acc"][:, -1] for k in sorted(noise)]
            ).T.tolist(),
            "mean_by_seed": np.stack(
                [noise[k]["test_acc"].mean(axis=1) for k in sorted(noise)]
            ).T.tolist(),
        },
        "softmax_inside": softmax_summary(cnn, variants["softmax"]),
        "pooling": pooling_summary({pool: variants[kind] for pool, kind in POOLS.items()}),
        "budget": {
            "total_steps": cfg.total_steps,
            "epochs": cfg.train.epochs,
            "batch_size": cfg.train.batch_size,
            "lr": cfg.train.lr,
            "seeds": len(cnn["seeds"]),
        },
    }
    mlp_summary = results["mlp_vs_cnn"]["mlp"]
    results["mlp_vs_cnn"]["parameter_ratio"] = mlp_summary["parameters"] / cnn_parameters(cfg)
    return {**results, "claims": claims.evaluate(results)}
