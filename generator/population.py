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
from generator.train import configure_torch

STAGES = ("relu1", "pool1", "relu2", "pool2", "relu3", "logits")
CHUNK = 250  # test images per forward pass
RARELY = 0.01  # a unit above 0 on fewer than this share of images is all but silent


def initial_model(cfg: Config) -> TinyCNN:
    """The run's weights at step 0: train_model seeds torch, then builds the model."""
    torch.manual_seed(cfg.train.seed)
    return TinyCNN(cfg.model, cfg.data)


def trained_model(cfg: Config, weights: dict[str, np.ndarray]) -> TinyCNN:
    model = TinyCNN(cfg.model, cfg.data)
    model.load_state_dict({name: torch.from_numpy(array) for name, array in weights.items()})
    return model


def measured_outputs(
    cfg: Config, weights: dict[str, np.ndarray], test: Split
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The STAGES outputs of every test image, with the trained and with the initial weights.

    torch is set to the run's thread count first: FC1's and FC2's float sums, and so the
    bytes of every measure, depend on it, and a build that took its training from the
    cache has not set it.
    """
    configure_torch(cfg.train.threads)
    return stage_outputs(trained_model(cfg, weights), test), stage_outputs(initial_model(cfg), test)


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


def silent_units(outputs: np.ndarray) -> dict[str, Any]:
    """Share of units all but silent: above 0 on fewer than RARELY of the test images;
    with its interval, and the share that is 0 on every one of them.

    outputs (N, units): FC1 after ReLU, or each channel's peak (channel_peaks).
    The claims are not made on "0 on every test image": that share can only grow when
    images are left out, so its bootstrap leans one way and its interval shrinks onto
    the value. A unit's firing rate is a mean over images, which a bootstrap measures.
    """
    fires = outputs > 0
    # each resample's firing rates, from how often each image is drawn (float64: exact)
    resampled = resample_counts(len(fires)) @ fires / len(fires)
    rates = fires.mean(axis=0)
    return {
        "value": float((rates < RARELY).mean()),
        "interval": evidence.percentile_interval((resampled < RARELY).mean(axis=1)),
        "never": float((rates == 0).mean()),
        "rarely": RARELY,
        "units": int(outputs.shape[1]),
    }


def resample_counts(n: int) -> np.ndarray:
    """(R, n) how often each of n images is drawn in each bootstrap resample
    (evidence.resample_indices): a statistic linear in the images is then one matrix
    product rather than R copies of the data."""
    indices = evidence.resample_indices(n)
    rows = len(indices)
    flat = (np.arange(rows)[:, None] * n + indices).ravel()
    return np.bincount(flat, minlength=rows * n).reshape(rows, n).astype(np.float64)


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
        "cell_share": float((labels == labels[probe_index]).mean()),  # a cell detector's share
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


def responsive_change(
    before: np.ndarray, after: np.ndarray, corners: np.ndarray, cfg: Config, scale: int
) -> tuple[np.ndarray, np.ndarray]:
    """(N,) each image's CNR change through a pool, averaged over the responsive channels;
    the responsive channels (C,) and their CNRs before and after, (N, C) each."""
    target, background = window_masks(corners, cfg, scale)
    cnr_before = channel_cnr(before, upsample(target), upsample(background))
    cnr_after = channel_cnr(after, target, background)
    with warnings.catch_warnings():  # a channel silent on every image is NaN, on purpose
        warnings.simplefilter("ignore", RuntimeWarning)
        responsive = np.nanmean(cnr_before, axis=0) > 0  # (C,)
        change = np.nanmean((cnr_after - cnr_before)[:, responsive], axis=1)  # (N,)
    return change, responsive, cnr_before, cnr_after


def over_images(per_image: np.ndarray) -> dict[str, Any]:
    """Mean of a per-image value over the images where it is defined, and its interval."""
    used = per_image[~np.isnan(per_image)]
    return {
        "value": float(used.mean()) if used.size else float("nan"),
        "interval": evidence.bootstrap(per_image) if used.size else (float("nan"),) * 2,
        "n_images": int(used.size),
    }


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
    change, responsive, cnr_before, cnr_after = responsive_change(
        before, after, corners, cfg, scale
    )
    return {
        **over_images(change),
        "channels": int(responsive.sum()),
        "before_median": float(np.nanmedian(cnr_before[:, responsive])),
        "after_median": float(np.nanmedian(cnr_after[:, responsive])),
    }


def average_pool(maps: np.ndarray) -> np.ndarray:
    """(N, C, 2P, 2P) -> (N, C, P, P): the mean of each 2x2 window."""
    n, c, h, w = maps.shape
    return maps.reshape(n, c, h // 2, 2, w // 2, 2).mean(axis=(3, 5))


def max_against_average(
    before: np.ndarray, after: np.ndarray, corners: np.ndarray, cfg: Config, scale: int
) -> dict[str, Any]:
    """The control for "MaxPool removes noise": its CNR change against a 2x2 average's on
    the same maps, image by image.

    Averaging a window damps whatever noise differs between its positions, whatever the
    network learned, so a pool that merely combines neighbours raises the CNR too; MaxPool
    removes noise in its own right only if it raises the CNR more than that.
    """
    with_max = responsive_change(before, after, corners, cfg, scale)[0]
    with_average = responsive_change(before, average_pool(before), corners, cfg, scale)[0]
    return {
        **over_images(with_max - with_average),
        "max": over_images(with_max),
        "average": over_images(with_average),
    }


# --- FC1 as a population: per cell, and where its weights look --------------------------
REACHED = 0.5  # a unit answers for a cell whose mean output reaches this share of its largest


def class_means(fc1: np.ndarray, labels: np.ndarray, classes: int) -> np.ndarray:
    """(classes, units) mean FC1 output over the test images of each true cell."""
    one_hot = (labels[:, None] == np.arange(classes)[None]).astype(fc1.dtype)  # (N, classes)
    return (one_hot.T @ fc1) / one_hot.sum(axis=0)[:, None]


def cells_reached(means: np.ndarray) -> np.ndarray:
    """(..., units) how many cells bring each unit to at least REACHED of its largest cell mean.

    means (..., classes, units). A detector for one cell reaches it on that cell alone: 1.
    NaN for a unit with no cell mean above 0 (no peak to compare with).
    """
    peak = means.max(axis=-2, keepdims=True)
    counts = (means >= REACHED * peak).sum(axis=-2).astype(np.float64)
    return np.where(peak[..., 0, :] > 0, counts, np.nan)


def resampled_class_means(fc1: np.ndarray, labels: np.ndarray, classes: int) -> np.ndarray:
    """(R, classes, units) class means of every bootstrap resample of the images.

    A resample is a count per image, so its class sums are one matrix product,
    not R copies of the outputs. NaN where a resample holds no image of a cell.
    """
    counts = resample_counts(len(labels)).astype(fc1.dtype)  # (R, N)
    rows, n = counts.shape
    one_hot = (labels[:, None] == np.arange(classes)[None]).astype(fc1.dtype)  # (N, classes)
    per_cell = (one_hot[:, :, None] * fc1[:, None, :]).reshape(n, -1)  # (N, classes * units)
    sums = (counts @ per_cell).reshape(rows, classes, -1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / (counts @ one_hot)[..., None]


def cells_per_unit(fc1: np.ndarray, labels: np.ndarray, classes: int) -> dict[str, Any]:
    """How many of the cells each live FC1 unit answers for, on average over the live units.

    A unit per cell (a detector code) gives 1. The live units are those of the whole test
    set; the interval resamples its images.
    """
    live = (fc1 > 0).any(axis=0)
    per_unit = cells_reached(class_means(fc1, labels, classes)[:, live])
    resampled = cells_reached(resampled_class_means(fc1[:, live], labels, classes))
    with warnings.catch_warnings():  # a unit with no peak in a resample is left out of it
        warnings.simplefilter("ignore", RuntimeWarning)
        estimates = np.nanmean(resampled, axis=1)
    return {
        "value": float(np.nanmean(per_unit)) if live.any() else float("nan"),
        "interval": evidence.percentile_interval(estimates),
        "n_images": len(labels),
        "detector": 1.0,
        "reached_at": REACHED,
        "live_units": int(live.sum()),
        "classes": classes,
    }


def unit_views(
    fc1: np.ndarray,
    labels: np.ndarray,
    classes: int,
    fc1_weight: np.ndarray,
    grid: tuple[int, ...],
    shown: int,
) -> dict[str, Any]:
    """What the population figures draw: FC1's class means, its dead units, and the weight
    rows of the `shown` most active live units as maps over the last spatial grid.

    fc1_weight (units, C * H * W) in Flatten's order over grid (C, H, W), the shape of
    MaxPool2's output: summed over the channels, a row says how much a response at each
    position pushes the unit.
    """
    units = fc1_weight.shape[0]
    activity = fc1.mean(axis=0)
    live = np.flatnonzero((fc1 > 0).any(axis=0))
    ranked = live[np.argsort(-activity[live], kind="stable")][:shown]
    maps = fc1_weight.reshape(units, *grid).sum(axis=1)
    return {
        "class_means": class_means(fc1, labels, classes).round(5).tolist(),
        "mean_activity": activity.round(5).tolist(),
        "dead_units": np.setdiff1d(np.arange(units), live).tolist(),
        "template_units": ranked.tolist(),
        "templates": maps[ranked].round(5).tolist(),
    }


# --- channels that fall silent ------------------------------------------------------------
def channel_peaks(maps: np.ndarray) -> np.ndarray:
    """(N, C) each channel's largest value on each image: 0 after ReLU means silent there."""
    return maps.max(axis=(2, 3))


def silent_channels(trained: dict[str, np.ndarray], initial: dict[str, np.ndarray]) -> dict:
    """Channels that fall silent (0 everywhere after ReLU), over the test set.

    trained, initial: a ReLU's outputs (N, C, H, W) by layer name. Per layer, each
    channel's share of images it is silent on; over all the layers' channels together,
    the share silent on every image, trained and with the initial weights.
    """
    peaks = {layer: channel_peaks(maps) for layer, maps in trained.items()}
    start = np.concatenate([channel_peaks(maps) for maps in initial.values()], axis=1)
    return {
        "silent_share": {
            layer: (peak <= 0).mean(axis=0).round(6).tolist() for layer, peak in peaks.items()
        },
        "dead": silent_units(np.concatenate(list(peaks.values()), axis=1)),
        "dead_initial": silent_units(start),
    }
