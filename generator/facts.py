"""Facts: every number the article states, derived from the trace.

Shapes are measured from the recorded tensors, parameter counts from a
freshly built model, and the run-specific observations (the standout FC1
unit, the step the true logit takes the lead, how much Conv1 moved, what
pooling does to contrast) from the snapshots. The result is plain JSON.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generator import claims
from generator.config import Config
from generator.data import target_mask
from generator.measure import relative_change
from generator.model import STAGES, parameter_counts, shapes_only
from generator.trace import Trace

Facts = dict[str, Any]


def derive_facts(cfg: Config, trace: Trace) -> Facts:
    steps = trace.steps
    facts: Facts = {
        "config": cfg.to_dict(),
        "config_hash": cfg.hash,
        "run": {
            "total_steps": cfg.total_steps,
            "steps_per_epoch": cfg.steps_per_epoch,
            "snapshots": len(steps),
            "snapshot_steps": steps.tolist(),
            "evaluation_steps": trace.eval_steps.tolist(),
        },
        "shapes": measured_shapes(trace),
        "params": parameter_facts(cfg),
        "accuracy": accuracy_facts(trace),
        "probe": probe_facts(trace),
        "fc1_standout": standout_unit(trace.stages["relu3"], steps),
        "logit_lead": logit_lead(trace.stages["logits"], trace.probe_label, steps),
        "conv1_change": conv1_change(trace.conv1_weight),
        "pooling": pooling_contrast(cfg, trace),
        "architecture": architecture_facts(cfg),
    }
    facts["claims"] = claims.evaluate(facts)
    return facts


def measured_shapes(trace: Trace) -> dict[str, list[int]]:
    """The probe's shape at every stage, the snapshot axis dropped."""
    shapes = {"input": [1, *trace.probe_image.shape]}
    shapes.update({name: list(trace.stages[name].shape[1:]) for name in STAGES})
    return shapes


def parameter_facts(cfg: Config) -> dict[str, Any]:
    per_layer = parameter_counts(shapes_only(cfg.model, cfg.data))
    return {"per_layer": per_layer, "total": sum(per_layer.values())}


def first_step_at_least(values: np.ndarray, steps: np.ndarray, level: float) -> int | None:
    """The first snapshot step whose value reaches `level`, or None."""
    reached = np.flatnonzero(values >= level)
    return int(steps[reached[0]]) if reached.size else None


def first_step_from_which(condition: np.ndarray, steps: np.ndarray) -> int | None:
    """The first snapshot step from which `condition` holds at every later snapshot."""
    if not condition[-1]:
        return None
    failing = np.flatnonzero(~condition)
    return int(steps[failing[-1] + 1]) if failing.size else int(steps[0])


def accuracy_facts(trace: Trace) -> dict[str, Any]:
    return {
        "final_test": float(trace.test_acc[-1]),
        "final_train": trace.final_train_acc,
        "final_test_loss": float(trace.test_loss[-1]),
        "initial_test": float(trace.test_acc[0]),
        "best_test": float(trace.test_acc.max()),
        "step_test_90": first_step_at_least(trace.test_acc, trace.eval_steps, 0.9),
        "test_size_final": int(trace.test_labels.size),
    }


def probe_facts(trace: Trace) -> dict[str, Any]:
    probs = trace.stages["probs"]
    return {
        "label": trace.probe_label,
        "final_prediction": int(probs[-1].argmax()),
        "final_true_prob": float(probs[-1, trace.probe_label]),
        "initial_true_prob": float(probs[0, trace.probe_label]),
        "final_loss": float(trace.probe_loss[-1]),
    }


def standout_unit(fc1: np.ndarray, steps: np.ndarray) -> dict[str, Any]:
    """The FC1 unit (after ReLU) that is largest for the probe at the end, and since when."""
    unit = int(fc1[-1].argmax())
    final = np.sort(fc1[-1])[::-1]
    return {
        "unit": unit,
        "from_step": first_step_from_which(fc1.argmax(axis=1) == unit, steps),
        "final_value": float(final[0]),
        "runner_up_value": float(final[1]) if final.size > 1 else 0.0,
        "ratio_to_runner_up": float(final[0] / final[1])
        if final.size > 1 and final[1] > 0
        else None,
    }


def logit_lead(logits: np.ndarray, label: int, steps: np.ndarray) -> dict[str, Any]:
    """From which step the true class's logit stays the largest."""
    on_top = logits.argmax(axis=1) == label
    return {
        "label": label,
        "from_step": first_step_from_which(on_top, steps),
        "final_margin": float(logits[-1, label] - np.delete(logits[-1], label).max()),
    }


def conv1_change(weights: np.ndarray) -> dict[str, Any]:
    """How far the Conv1 kernels moved: ||W_end - W_0|| / ||W_0||, overall and per kernel."""
    start, end = weights[0].astype(np.float64), weights[-1].astype(np.float64)
    per_kernel = np.linalg.norm((end - start).reshape(len(start), -1), axis=1) / np.linalg.norm(
        start.reshape(len(start), -1), axis=1
    )
    cosine = kernel_cosines(start, end)
    return {
        "relative_norm": relative_change(weights[0], weights[-1]),
        "per_kernel_max": float(per_kernel.max()),
        "per_kernel_min": float(per_kernel.min()),
        "cosine_median": float(np.median(cosine)),
        "cosine_min": float(cosine.min()),
        "cosine_max": float(cosine.max()),
        "kernels": len(cosine),
    }


def kernel_cosines(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per kernel, the cosine between its initial and final weights.

    The relative norm says how far the numbers moved; the cosine says whether
    the pattern (which pixels are positive, which negative, in what proportion)
    survived: cos^2 is the share of the final kernel that lies along its start.
    """
    a, b = start.reshape(len(start), -1), end.reshape(len(end), -1)
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def region_contrast(feature_map: np.ndarray, target: np.ndarray) -> float:
    """Mean of the channel-summed map on the target over its mean on the background."""
    summed = feature_map.sum(axis=0) if feature_map.ndim == 3 else feature_map
    background = summed[~target].mean()
    return float(summed[target].mean() / background) if background > 0 else float("inf")


def pooled_mask(mask: np.ndarray) -> np.ndarray:
    """A 2x2-pooled window counts as target if any of its pixels is target."""
    h, w = mask.shape
    return mask.reshape(h // 2, 2, w // 2, 2).any(axis=(1, 3))


def pooling_contrast(cfg: Config, trace: Trace) -> dict[str, Any]:
    """Target-to-background contrast of the probe before and after each max-pool, at the end."""
    mask = target_mask(cfg.data, trace.probe_corner)
    final = {name: trace.stages[name][-1] for name in ("relu1", "pool1", "relu2", "pool2")}
    half = pooled_mask(mask)
    return {
        "input": region_contrast(trace.probe_image, mask),
        "pool1_before": region_contrast(final["relu1"], mask),
        "pool1_after": region_contrast(final["pool1"], half),
        "pool2_before": region_contrast(final["relu2"], half),
        "pool2_after": region_contrast(final["pool2"], pooled_mask(half)),
        "cnr": {
            pool: contrast_to_noise(trace, before, pool, masks)
            for pool, before, masks in (
                ("pool1", "relu1", (mask, half)),
                ("pool2", "relu2", (half, pooled_mask(half))),
            )
        },
    }


def cnr(feature_map: np.ndarray, target: np.ndarray) -> float:
    """Contrast-to-noise ratio of the channel-summed map: (mean target - mean background)
    over the background's standard deviation.

    Unlike a ratio of means it counts the background's spread: a pool that lifted
    the background level but made it flatter could still make the target easier to find.
    """
    summed = feature_map.sum(axis=0)
    background = summed[~target]
    spread = background.std()
    return float((summed[target].mean() - background.mean()) / spread) if spread > 0 else 0.0


def contrast_to_noise(
    trace: Trace, before: str, pool: str, masks: tuple[np.ndarray, np.ndarray]
) -> dict[str, float]:
    """CNR before and after one pool, at the first and at the last snapshot."""
    maps_in, maps_out = trace.stages[before], trace.stages[pool]
    return {
        "before_initial": cnr(maps_in[0], masks[0]),
        "after_initial": cnr(maps_out[0], masks[1]),
        "before": cnr(maps_in[-1], masks[0]),
        "after": cnr(maps_out[-1], masks[1]),
    }


def architecture_facts(cfg: Config) -> dict[str, int]:
    """Kernel, padding and pool sizes as the model has them, so the prose never types them."""
    net = shapes_only(cfg.model, cfg.data)
    return {
        "conv_kernel": int(net.conv1.kernel_size[0]),
        "conv_padding": int(net.conv1.padding[0]),
        "pool_window": int(net.pool1.kernel_size),
        "classes": int(net.logits.out_features),
    }
