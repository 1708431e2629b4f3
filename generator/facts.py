"""Facts: every number the article states, derived from the trace.

Shapes are measured from the recorded tensors, parameter counts from a
freshly built model, the probe's observations (its standout FC1 unit, the
step its true logit takes the lead) from every recorded step, and what a layer
does in general (accuracy, FC1's units, pooling's effect on contrast) over the
whole test set with the trained and the initial weights (population.py).
The result is plain JSON.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generator import claims, evidence, population
from generator.config import Config, DataConfig
from generator.data import BACKGROUND, Split
from generator.measure import relative_change
from generator.model import STAGES, parameter_counts, shapes_only
from generator.trace import Trace

Facts = dict[str, Any]


def derive_facts(cfg: Config, trace: Trace, weights: dict[str, np.ndarray], test: Split) -> Facts:
    """The article's facts: the probe's trace, and the test population's measurements.

    weights: the trained model's state_dict as arrays; test: the test split.
    """
    steps = trace.steps
    classes = cfg.data.grid**2
    trained, initial = population.measured_outputs(cfg, weights, test)
    facts: Facts = {
        "config": cfg.to_dict(),
        "config_hash": cfg.hash,
        "run": {
            "total_steps": cfg.total_steps,
            "steps_per_epoch": cfg.steps_per_epoch,
            "snapshots": len(steps),
            "snapshot_steps": steps.tolist(),
            "evaluation_steps": trace.eval_steps.tolist(),
            "recorded_steps": len(trace.history_steps),
        },
        "data": data_facts(cfg.data, test),
        "shapes": measured_shapes(trace),
        "params": parameter_facts(cfg),
        "accuracy": accuracy_facts(trace, trained["logits"], test.labels),
        "probe": probe_facts(trace),
        "fc1_standout": standout_unit(trace.history_relu3, trace.history_steps),
        "fc1_settles": settling(trace.history_relu3, trace.history_steps),
        "fc1_population": {
            "probe_unit": population.probe_unit_share(
                trained["relu3"], test.labels, cfg.record.probe_index
            ),
            "silent": population.silent_units(trained["relu3"]),
            "silent_initial": population.silent_units(initial["relu3"]),
            "cells_per_unit": population.cells_per_unit(trained["relu3"], test.labels, classes),
            "views": population.unit_views(
                trained["relu3"],
                test.labels,
                classes,
                weights["fc1.weight"],
                trained["pool2"].shape[1:],
                TEMPLATE_UNITS,
            ),
        },
        "channel_population": channel_population(trace, trained, initial),
        "logit_lead": logit_lead(trace.history_logits, trace.probe_label, trace.history_steps),
        "conv1_change": conv1_change(trace.conv1_weight),
        "pooling_population": pooling_population(cfg, test, trained, initial),
        "architecture": architecture_facts(cfg),
        "evidence": {  # the rules every claim is judged by, so the pages can state them
            "confidence": evidence.CONFIDENCE,
            "min_images": evidence.MIN_IMAGES,
            "min_seeds": evidence.MIN_SEEDS,
        },
    }
    facts["claims"] = claims.evaluate(facts)
    return facts


def data_facts(cfg: DataConfig, test: Split) -> dict[str, Any]:
    """The data as the network sees it: clipped to [0, 1], so not quite Gaussian noise.

    Clipping keeps pixels in the range an image has; its price is that the noise is
    cut off at 0 and 1 (a share of pixels sits exactly there) and the square's
    measured contrast over the background is not the configured one.
    """
    images, square = test.images, test.clean > BACKGROUND
    measured = {
        "clipped_low": float((images == 0).mean()),
        "clipped_high": float((images == 1).mean()),
        "effective_contrast": float(images[square].mean() - images[~square].mean()),
        "background_std": float(images[~square].std()),
        "n_images": len(test),
    }
    return {**measured, "snr": signal_to_noise(cfg, measured)}


def signal_to_noise(cfg: DataConfig, measured: dict[str, float]) -> dict[str, Any]:
    """How far the square stands out of the noise: per pixel, and summed over its pixels.

    Set: the contrast over the noise's std. Measured: the clipped images' mean
    square-minus-background over the background's spread. A sum over n pixels multiplies
    the signal by n and the spread of independent noise by sqrt(n), so the square's sum
    stands out sqrt(n) = side times more than one pixel: what a box filter reads.
    """
    pixel = ratio(cfg.contrast, cfg.noise)
    clipped = ratio(measured["effective_contrast"], measured["background_std"])
    return {
        "side": cfg.square,
        "pixels": cfg.square**2,
        "pixel": pixel,
        "summed": None if pixel is None else pixel * cfg.square,
        "pixel_measured": clipped,
        "summed_measured": None if clipped is None else clipped * cfg.square,
    }


def ratio(signal: float, spread: float) -> float | None:
    """signal / spread, or None without noise (JSON has no infinity)."""
    return signal / spread if spread > 0 else None


TEMPLATE_UNITS = 8  # FC1 units whose weight maps the article shows: the most active live ones


def channel_population(
    trace: Trace, trained: dict[str, np.ndarray], initial: dict[str, np.ndarray]
) -> dict[str, Any]:
    """The conv channels that fall silent over the test set (trained and at step 0), and,
    per layer, those whose pooled map is black (0 everywhere) for the probe at the end."""
    layers = {"conv1": ("relu1", "pool1"), "conv2": ("relu2", "pool2")}
    measured = population.silent_channels(
        {layer: trained[relu] for layer, (relu, _) in layers.items()},
        {layer: initial[relu] for layer, (relu, _) in layers.items()},
    )
    black = {
        layer: np.flatnonzero(trace.stages[pool][-1].max(axis=(1, 2)) <= 0).tolist()
        for layer, (_, pool) in layers.items()
    }
    return {**measured, "probe_silent": black}


def pooling_population(
    cfg: Config, test: Split, trained: dict[str, np.ndarray], initial: dict[str, np.ndarray]
) -> dict[str, Any]:
    """Each max-pool's effect on per-channel CNR over the test set, trained and at step 0;
    and MaxPool1's against a 2x2 average of the same maps."""
    pools = {"pool1": ("relu1", 2), "pool2": ("relu2", 4)}
    return {
        f"{pool}{suffix}": population.pooling_effect(
            outputs[before], outputs[pool], test.corners, cfg, scale
        )
        for pool, (before, scale) in pools.items()
        for suffix, outputs in (("", trained), ("_initial", initial))
    } | {
        "pool1_against_average": population.max_against_average(
            trained["relu1"], trained["pool1"], test.corners, cfg, 2
        )
    }


def measured_shapes(trace: Trace) -> dict[str, list[int]]:
    """The probe's shape at every stage, the snapshot axis dropped."""
    shapes = {"input": [1, *trace.probe_image.shape]}
    shapes.update({name: list(trace.stages[name].shape[1:]) for name in STAGES})
    return shapes


def parameter_facts(cfg: Config) -> dict[str, Any]:
    per_layer = parameter_counts(shapes_only(cfg.model, cfg.data))
    return {"per_layer": per_layer, "total": sum(per_layer.values())}


def first_step_at_least(values: np.ndarray, steps: np.ndarray, level: float) -> int | None:
    """The first of `steps` whose value reaches `level`, or None."""
    reached = np.flatnonzero(values >= level)
    return int(steps[reached[0]]) if reached.size else None


def first_step_from_which(condition: np.ndarray, steps: np.ndarray) -> int | None:
    """The first of `steps` from which `condition` holds at every later one."""
    if not condition[-1]:
        return None
    failing = np.flatnonzero(~condition)
    return int(steps[failing[-1] + 1]) if failing.size else int(steps[0])


def accuracy_facts(trace: Trace, logits: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    """Final and 90% step on every test image (the curves measure every test image too)."""
    final = population.accuracy(logits, labels)
    return {
        "final_test": final["value"],
        "final_test_interval": final["interval"],
        "chance": final["chance"],
        "chance_interval": final["chance_interval"],
        "final_train": trace.final_train_acc,
        "final_test_loss": float(trace.test_loss[-1]),
        "initial_test": float(trace.test_acc[0]),
        "step_test_90": first_step_at_least(trace.test_acc, trace.eval_steps, 0.9),
        "test_size_final": int(labels.size),
    }


SATURATED = 0.99  # a probability bar this close to 1 no longer moves visibly


def probe_facts(trace: Trace) -> dict[str, Any]:
    probs = trace.stages["probs"]
    # The true cell's log-probability at every recorded step (log-softmax of the logits):
    # its probability saturates, its loss -log p keeps showing what training still does.
    logits = trace.history_logits
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted[:, trace.probe_label] - np.log(np.exp(shifted).sum(axis=1))
    saturated = first_step_from_which(log_p >= np.log(SATURATED), trace.history_steps)
    at = None if saturated is None else int(np.searchsorted(trace.history_steps, saturated))
    return {
        "label": trace.probe_label,
        "final_prediction": int(probs[-1].argmax()),
        "final_true_prob": float(probs[-1, trace.probe_label]),
        "initial_true_prob": float(probs[0, trace.probe_label]),
        "final_loss": float(trace.probe_loss[-1]),
        "saturation": {
            "level": SATURATED,
            "from_step": saturated,  # None: the probe never stays above the level
            "loss_then": None if at is None else float(-log_p[at]),
            "loss_end": float(-log_p[-1]),
            "share_of_training": share_after(saturated, trace.history_steps),
        },
    }


def standout_unit(fc1: np.ndarray, steps: np.ndarray) -> dict[str, Any]:
    """The FC1 unit (after ReLU) that is largest for the probe at the end, and since when.

    fc1 and steps: every recorded step, so "since when" is a step, not a snapshot.
    """
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


SETTLED = 0.1  # within a tenth of its final size: a change the bars hardly show


def settling(values: np.ndarray, steps: np.ndarray) -> dict[str, Any]:
    """From which step a layer's output for the probe stays within SETTLED of where it
    ends (distance to the final vector over the final vector's length, every step)."""
    final = values[-1]
    size = float(np.linalg.norm(final))
    distance = np.linalg.norm(values - final, axis=1) / size if size > 0 else np.zeros(len(values))
    step = first_step_from_which(distance <= SETTLED, steps)
    return {
        "level": SETTLED,
        "from_step": step,
        "share_of_training": share_after(step, steps),
    }


def share_after(step: int | None, steps: np.ndarray) -> float | None:
    """The share of training that comes after `step` (None: a step that never came)."""
    return None if step is None else 1 - step / steps[-1]


def logit_lead(logits: np.ndarray, label: int, steps: np.ndarray) -> dict[str, Any]:
    """From which step the true class's logit stays the largest."""
    on_top = logits.argmax(axis=1) == label
    return {
        "label": label,
        "from_step": first_step_from_which(on_top, steps),
        "final_margin": float(logits[-1, label] - np.delete(logits[-1], label).max()),
    }


RANDOM_DRAWS = 2000  # random updates behind the Conv1 baseline
RANDOM_SEED = 7  # fixed: the baseline is part of the published bytes
BOX_ALIGNED = 0.5  # a kernel "looks like the box filter" from this cosine on


def conv1_change(weights: np.ndarray) -> dict[str, Any]:
    """How far the Conv1 kernels moved, and whether that says anything about their pattern.

    A kernel moved by a relative amount r in a random direction keeps a cosine of about
    1/sqrt(1 + r^2) with its start: a high cosine alone says the kernel moved little,
    not that its pattern was kept. So the observed cosines are set against random
    updates of each kernel's own size (the no-effect reading), and the one pattern the
    task rewards, the box (averaging) filter that matches a bright square, is tracked.
    """
    start, end = weights[0].astype(np.float64), weights[-1].astype(np.float64)
    a, b = start.reshape(len(start), -1), end.reshape(len(end), -1)
    per_kernel = np.linalg.norm(b - a, axis=1) / np.linalg.norm(a, axis=1)
    cosine = kernel_cosines(start, end)
    random_end = random_updates(a, per_kernel)  # (draws, K, 9)
    random_cos = cosines(a[None], random_end)
    box = np.ones(a.shape[1])
    box_start, box_end = cosines(a, box), cosines(b, box)
    random_box = np.median(cosines(random_end, box), axis=1)
    random_median = np.median(random_cos, axis=1)
    return {
        "relative_norm": relative_change(weights[0], weights[-1]),
        "per_kernel_max": float(per_kernel.max()),
        "per_kernel_min": float(per_kernel.min()),
        "cosine_median": float(np.median(cosine)),
        "cosine_min": float(cosine.min()),
        "cosine_max": float(cosine.max()),
        "random_cosine_median": float(np.median(random_median)),
        "random_cosine_interval": evidence.percentile_interval(random_median),
        "box_cosine_median_start": float(np.median(box_start)),
        "box_cosine_median_end": float(np.median(box_end)),
        "box_cosine_random_median": float(np.median(random_box)),
        "box_cosine_random_interval": evidence.percentile_interval(random_box),
        "box_aligned_start": int((box_start >= BOX_ALIGNED).sum()),
        "box_aligned_end": int((box_end >= BOX_ALIGNED).sum()),
        "box_aligned_at": BOX_ALIGNED,
        "kernels": len(cosine),
    }


def random_updates(start: np.ndarray, relative: np.ndarray) -> np.ndarray:
    """(draws, K, D): each kernel moved by its own relative amount in a random direction."""
    direction = np.random.default_rng(RANDOM_SEED).standard_normal((RANDOM_DRAWS, *start.shape))
    direction /= np.linalg.norm(direction, axis=2, keepdims=True)
    size = (relative * np.linalg.norm(start, axis=1))[None, :, None]
    return start[None] + size * direction


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine between vectors along the last axis (broadcasting)."""
    return (a * b).sum(axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))


def kernel_cosines(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per kernel, the cosine between its initial and final weights.

    The relative norm says how far the numbers moved; the cosine says whether
    the pattern (which pixels are positive, which negative, in what proportion)
    survived: cos^2 is the share of the final kernel that lies along its start.
    """
    return cosines(start.reshape(len(start), -1), end.reshape(len(end), -1))


def architecture_facts(cfg: Config) -> dict[str, int]:
    """Kernel, padding and pool sizes as the model has them, so the prose never types them."""
    net = shapes_only(cfg.model, cfg.data)
    return {
        "conv_kernel": int(net.conv1.kernel_size[0]),
        "conv_padding": int(net.conv1.padding[0]),
        "pool_window": int(net.pool1.kernel_size),
        "classes": int(net.logits.out_features),
    }
