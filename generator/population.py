"""What the network does over the whole test set, not one probe image.

The probe shows what a layer does to one image; a sentence about the layer needs the
population. Each measure here takes the stage outputs of every test image (for the
trained weights, and for the initial weights where "what training did" is the
question) and returns per-image values, from which evidence.py draws the interval.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch

from generator import evidence
from generator.config import Config
from generator.data import BACKGROUND, Split, draw_squares
from generator.model import TinyCNN

STAGES = ("relu1", "pool1", "relu2", "pool2", "relu3", "logits")
CHUNK = 250  # test images per forward pass


def initial_model(cfg: Config) -> TinyCNN:
    """The run's weights at step 0: train_model seeds torch, then builds the model."""
    torch.manual_seed(cfg.train.seed)
    return TinyCNN(cfg.model, cfg.data)


def trained_model(cfg: Config, weights: dict[str, np.ndarray]) -> TinyCNN:
    model = TinyCNN(cfg.model, cfg.data)
    model.load_state_dict({name: torch.from_numpy(array) for name, array in weights.items()})
    return model


@torch.no_grad()
def stage_outputs(model: TinyCNN, split: Split) -> dict[str, np.ndarray]:
    """The STAGES outputs of every image of the split: name -> (N, *shape)."""
    model.eval()
    images = torch.from_numpy(split.images).unsqueeze(1)
    chunks = [model.stage_outputs(chunk) for chunk in images.split(CHUNK)]
    return {name: torch.cat([c[name] for c in chunks]).numpy() for name in STAGES}


# --- accuracy ------------------------------------------------------------------------
def accuracy(logits: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    """Accuracy over every test image, its bootstrap interval and the by-chance reading."""
    correct = (logits.argmax(axis=1) == labels).astype(np.float64)
    classes = logits.shape[1]
    return {
        "value": float(correct.mean()),
        "interval": evidence.bootstrap(correct),
        "n_images": int(correct.size),
        "chance": 1 / classes,
        "chance_interval": evidence.binomial_interval(1 / classes, correct.size),
    }


# --- FC1 -------------------------------------------------------------------------------
def top_units(fc1: np.ndarray) -> np.ndarray:
    """(N,) each image's largest FC1 unit after ReLU, -1 where every unit is silent."""
    top = fc1.argmax(axis=1)
    return np.where(fc1.max(axis=1) > 0, top, -1)


def silent_share(fires: np.ndarray) -> float:
    """Share of units that are zero on every image: fires (N, units) bool."""
    return float((~fires.any(axis=0)).mean())


def silent_units(fc1: np.ndarray) -> dict[str, Any]:
    """Share of FC1 units silent (zero after ReLU) on every test image, with its interval."""
    fires = fc1 > 0

    def statistic(resampled: np.ndarray) -> np.ndarray:  # (R, N, units)
        return (~resampled.any(axis=1)).mean(axis=1)

    interval = bootstrap_chunked(fires, statistic)
    return {"value": silent_share(fires), "interval": interval, "units": int(fc1.shape[1])}


def bootstrap_chunked(rows: np.ndarray, statistic: Any, chunk: int = 100) -> evidence.Interval:
    """As evidence.bootstrap for wide rows, a few resamples at a time (bounded memory)."""
    indices = evidence.resample_indices(len(rows))
    estimates = np.concatenate(
        [statistic(rows[indices[k : k + chunk]]) for k in range(0, len(indices), chunk)]
    )
    return evidence.percentile_interval(estimates)


def probe_unit_share(fc1: np.ndarray, labels: np.ndarray, probe_index: int) -> dict[str, Any]:
    """How many test images share the probe's largest FC1 unit as their own largest.

    If that unit were the probe's cell detector, it would top mostly that cell's
    images: about one image in nine. The by-chance reading spreads each image's top
    unit evenly over the units that ever fire.
    """
    top = top_units(fc1)
    unit = int(top[probe_index])
    same = (top == unit).astype(np.float64)
    live = int((fc1 > 0).any(axis=0).sum())
    per_class = [float(same[labels == c].mean()) for c in range(int(labels.max()) + 1)]
    return {
        "unit": unit,
        "value": float(same.mean()),
        "interval": evidence.bootstrap(same),
        "n_images": int(same.size),
        "live_units": live,
        "chance": 1 / live,
        "chance_interval": evidence.binomial_interval(1 / live, same.size),
        "share_by_class": per_class,
        "classes_mostly": int(sum(share >= 0.5 for share in per_class)),
    }


# --- pooling -----------------------------------------------------------------------
def window_masks(corners: np.ndarray, cfg: Config, scale: int) -> tuple[np.ndarray, np.ndarray]:
    """(N, P, P) target and background windows of a pooled map, P = S / scale.

    A window counts as target only if every input pixel it covers is in the square
    and as background only if none is, so the regions are the same before and after
    pooling. The outer ring is dropped: there the convolutions saw zero padding.
    """
    inside = draw_squares(cfg.data, corners) > BACKGROUND  # (N, S, S)
    n, size = len(corners), cfg.data.image_size
    blocks = inside.reshape(n, size // scale, scale, size // scale, scale)
    target, background = blocks.all(axis=(2, 4)), ~blocks.any(axis=(2, 4))
    ring = np.ones((size // scale,) * 2, dtype=bool)
    ring[1:-1, 1:-1] = False
    return target & ~ring, background & ~ring


def channel_cnr(maps: np.ndarray, target: np.ndarray, background: np.ndarray) -> np.ndarray:
    """(N, C) contrast-to-noise per channel: (mean target - mean background) / std background.

    NaN where an image has no target or background position, or a channel's
    background is flat (std 0, a silent channel: no contrast to speak of).
    """
    t, b = target[:, None], background[:, None]  # broadcast over channels
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_t = np.where(t, maps, 0).sum(axis=(2, 3)) / t.sum(axis=(2, 3))
        mean_b = np.where(b, maps, 0).sum(axis=(2, 3)) / b.sum(axis=(2, 3))
        var_b = np.where(b, (maps - mean_b[..., None, None]) ** 2, 0).sum(axis=(2, 3)) / b.sum(
            axis=(2, 3)
        )
        std_b = np.sqrt(var_b)
        return np.where(std_b > 0, (mean_t - mean_b) / std_b, np.nan)


def upsample(mask: np.ndarray) -> np.ndarray:
    """(N, P, P) window mask -> (N, 2P, 2P): every position of a 2x2 window."""
    return mask.repeat(2, axis=1).repeat(2, axis=2)


def pooling_effect(
    before: np.ndarray, after: np.ndarray, corners: np.ndarray, cfg: Config, scale: int
) -> dict[str, Any]:
    """What one max-pool does to each channel's CNR, per image, over the test set.

    before (N, C, 2P, 2P), after (N, C, P, P). The CNR is compared on the same windows
    before and after, channel by channel (summing channels would let channels that
    respond to the square and channels that avoid it cancel), as a difference (a ratio
    of two CNRs is unstable near 0 and flips sign with them). Only channels whose mean
    CNR before pooling is positive, the ones that light up on the square, are counted.
    """
    target, background = window_masks(corners, cfg, scale)
    cnr_before = channel_cnr(before, upsample(target), upsample(background))
    cnr_after = channel_cnr(after, target, background)
    with warnings.catch_warnings():  # a channel silent on every image is NaN, on purpose
        warnings.simplefilter("ignore", RuntimeWarning)
        responsive = np.nanmean(cnr_before, axis=0) > 0  # (C,)
        change = np.nanmean((cnr_after - cnr_before)[:, responsive], axis=1)  # (N,)
    used = change[~np.isnan(change)]
    return {
        "value": float(used.mean()) if used.size else float("nan"),
        "interval": evidence.bootstrap(change) if used.size else (float("nan"),) * 2,
        "n_images": int(used.size),
        "channels": int(responsive.sum()),
        "before_median": float(np.nanmedian(cnr_before[:, responsive])),
        "after_median": float(np.nanmedian(cnr_after[:, responsive])),
    }
