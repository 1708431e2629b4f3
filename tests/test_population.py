"""The population measures and the Conv1 measure, against an independent numpy
computation on the tiny preset."""

import numpy as np
import pytest
import torch
from numpy.lib.stride_tricks import sliding_window_view

from generator import evidence, facts, population
from generator.config import build_config
from generator.data import make_dataset
from generator.train import train

TINY = build_config(preset="tiny")
SHOWN = 8  # FC1 units whose weight maps are measured


@pytest.fixture(scope="module")
def run():
    """The tiny preset trained, and the population measures of its test set."""
    data = make_dataset(TINY.data)
    model = train(TINY, data.train, lambda *_: None)
    weights = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
    trained, initial = population.measured_outputs(TINY, weights, data.test)
    classes = TINY.data.grid**2
    measured = {
        "accuracy": population.accuracy(trained["logits"], data.test.labels),
        "probe_unit": population.probe_unit_share(
            trained["relu3"], data.test.labels, TINY.record.probe_index
        ),
        "silent": population.silent_units(trained["relu3"]),
        "cells": population.cells_per_unit(trained["relu3"], data.test.labels, classes),
        "views": population.unit_views(
            trained["relu3"],
            data.test.labels,
            classes,
            weights["fc1.weight"],
            trained["pool2"].shape[1:],
            SHOWN,
        ),
        "channels": population.silent_channels(
            {"conv1": trained["relu1"], "conv2": trained["relu2"]},
            {"conv1": initial["relu1"], "conv2": initial["relu2"]},
        ),
        **{
            pool: population.pooling_effect(
                trained[before], trained[pool], data.test.corners, TINY, scale
            )
            for pool, before, scale in (("pool1", "relu1", 2), ("pool2", "relu2", 4))
        },
    }
    return measured, weights, data.test


def conv(x, w, b):
    """x (N, C, H, W), w (O, C, 3, 3): 'same' convolution by explicit windows."""
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    windows = sliding_window_view(padded, (3, 3), axis=(2, 3))  # (N, C, H, W, 3, 3)
    return np.einsum("nchwij,ocij->nohw", windows, w) + b[None, :, None, None]


def pool(x):
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def forward(weights, images):
    w = {k: v.astype(np.float64) for k, v in weights.items()}
    relu1 = np.maximum(
        conv(images[:, None].astype(np.float64), w["conv1.weight"], w["conv1.bias"]), 0
    )
    pool1 = pool(relu1)
    relu2 = np.maximum(conv(pool1, w["conv2.weight"], w["conv2.bias"]), 0)
    pool2 = pool(relu2)
    relu3 = np.maximum(pool2.reshape(len(images), -1) @ w["fc1.weight"].T + w["fc1.bias"], 0)
    logits = relu3 @ w["logits.weight"].T + w["logits.bias"]
    return {"relu1": relu1, "pool1": pool1, "relu2": relu2, "pool2": pool2, "relu3": relu3,
            "logits": logits}  # fmt: skip


@pytest.fixture(scope="module")
def outputs(run):
    _, weights, test = run
    return forward(weights, test.images)


def test_accuracy_is_over_every_test_image(run, outputs):
    measured, _, test = run
    correct = outputs["logits"].argmax(axis=1) == test.labels
    assert measured["accuracy"]["value"] == pytest.approx(correct.mean())
    assert measured["accuracy"]["n_images"] == TINY.data.test_size
    lo, hi = measured["accuracy"]["interval"]
    assert lo <= correct.mean() <= hi
    assert measured["accuracy"]["chance"] == 1 / 9


def test_fc1_measures(run, outputs):
    measured, _, _ = run
    relu3 = outputs["relu3"]
    unit = relu3[TINY.record.probe_index].argmax()
    assert measured["probe_unit"]["unit"] == unit
    top = [row.argmax() if row.max() > 0 else -1 for row in relu3]
    assert measured["probe_unit"]["value"] == pytest.approx(np.mean([t == unit for t in top]))
    live = sum(relu3[:, u].max() > 0 for u in range(relu3.shape[1]))
    assert measured["probe_unit"]["chance"] == pytest.approx(1 / live)
    assert measured["silent"]["never"] == pytest.approx(1 - live / relu3.shape[1])
    rare = sum((relu3[:, u] > 0).sum() < 0.01 * len(relu3) for u in range(relu3.shape[1]))
    assert measured["silent"]["value"] == pytest.approx(rare / relu3.shape[1])
    lo, hi = measured["silent"]["interval"]
    assert lo <= measured["silent"]["value"] <= hi


def test_fc1_class_means_and_dead_units(run, outputs):
    measured, _, test = run
    relu3, views = outputs["relu3"], measured["views"]
    for cell in range(9):
        rows = [relu3[i] for i in range(len(test.labels)) if test.labels[i] == cell]
        np.testing.assert_allclose(views["class_means"][cell], np.mean(rows, axis=0),
                                   rtol=1e-4, atol=1e-4)  # fmt: skip
    assert views["dead_units"] == [u for u in range(relu3.shape[1]) if relu3[:, u].max() <= 0]


def test_cells_per_unit_counts_cells_past_half_the_peak(run, outputs):
    measured, _, test = run
    relu3 = outputs["relu3"]
    reached = []
    for unit in range(relu3.shape[1]):
        if relu3[:, unit].max() <= 0:
            continue  # dead: not a unit that answers for anything
        means = [relu3[test.labels == cell, unit].mean() for cell in range(9)]
        reached.append(sum(m >= 0.5 * max(means) for m in means))
    cells = measured["cells"]
    assert cells["value"] == pytest.approx(np.mean(reached))
    assert cells["live_units"] == len(reached)
    assert cells["interval"][0] <= cells["value"] <= cells["interval"][1]


def test_resampled_class_means_are_the_class_means_of_each_resample(run, outputs):
    """The bootstrap weighs images by their counts; a resample taken literally agrees."""
    _, _, test = run
    relu3 = outputs["relu3"].astype(np.float32)
    resampled = population.resampled_class_means(relu3, test.labels, 9)
    indices = evidence.resample_indices(len(test.labels))
    for r in (0, 1, len(indices) - 1):
        images, labels = relu3[indices[r]], test.labels[indices[r]]
        for cell in range(9):
            chosen = images[labels == cell]
            expected = chosen.mean(axis=0) if len(chosen) else np.full(relu3.shape[1], np.nan)
            np.testing.assert_allclose(resampled[r, cell], expected, rtol=1e-4, atol=1e-4)


def test_silent_units_bootstrap_is_the_literal_one(outputs):
    """Counting draws per image gives the interval of resampling the images themselves."""
    fires = outputs["relu3"] > 0
    indices = evidence.resample_indices(len(fires))
    literal = [(fires[row].mean(axis=0) < population.RARELY).mean() for row in indices]
    assert population.silent_units(outputs["relu3"])["interval"] == pytest.approx(
        evidence.percentile_interval(np.array(literal))
    )


def test_fc1_templates_sum_each_weight_row_over_the_channels(run, outputs):
    measured, weights, _ = run
    views, relu3 = measured["views"], outputs["relu3"]
    activity = relu3.mean(axis=0)
    live = [u for u in range(relu3.shape[1]) if relu3[:, u].max() > 0]
    expected = sorted(live, key=lambda u: -activity[u])[:SHOWN]
    assert views["template_units"] == expected
    channels, side = TINY.model.conv2_channels, TINY.data.image_size // 4
    for unit, template in zip(views["template_units"], views["templates"], strict=True):
        row = weights["fc1.weight"][unit]
        summed = sum(row[c * side * side : (c + 1) * side * side].reshape(side, side)
                     for c in range(channels))  # fmt: skip
        np.testing.assert_allclose(template, summed, atol=1e-4)


def test_silent_channels_against_a_loop(run, outputs):
    measured, _, _ = run
    channels = measured["channels"]
    dead = rare = 0
    for layer, relu in (("conv1", "relu1"), ("conv2", "relu2")):
        maps = outputs[relu]
        shares = [np.mean([maps[i, c].max() <= 0 for i in range(len(maps))])
                  for c in range(maps.shape[1])]  # fmt: skip
        np.testing.assert_allclose(channels["silent_share"][layer], shares, atol=1e-6)
        dead += sum(share == 1 for share in shares)
        rare += sum(share > 0.99 for share in shares)  # above 0 on fewer than 1% of images
    assert channels["dead"]["never"] == pytest.approx(dead / 48)
    assert channels["dead"]["value"] == pytest.approx(rare / 48)
    assert channels["dead"]["units"] == 48
    lo, hi = channels["dead"]["interval"]
    assert lo <= channels["dead"]["value"] <= hi


def test_initial_silent_channels_are_the_step_0_network(run):
    """The baseline is the run's own initial weights, run through the numpy forward pass."""
    measured, _, test = run
    start = {k: v.detach().numpy() for k, v in population.initial_model(TINY).state_dict().items()}
    initial = forward(start, test.images)
    rates = [
        np.mean([initial[relu][i, c].max() > 0 for i in range(len(test.images))])
        for relu in ("relu1", "relu2")
        for c in range(initial[relu].shape[1])
    ]
    start_silent = measured["channels"]["dead_initial"]
    assert start_silent["never"] == pytest.approx(np.mean([r == 0 for r in rates]))
    assert start_silent["value"] == pytest.approx(np.mean([r < population.RARELY for r in rates]))


def test_black_probe_maps_are_the_published_weights_on_the_probe(tiny_project):
    weights = dict(np.load(tiny_project.generated / "weights.npz"))
    probe = make_dataset(TINY.data).test.images[
        TINY.record.probe_index : TINY.record.probe_index + 1
    ]
    maps = forward(weights, probe)
    black = tiny_project.facts["channel_population"]["probe_silent"]
    for layer, relu in (("conv1", "relu1"), ("conv2", "relu2")):
        assert black[layer] == [
            c for c in range(maps[relu].shape[1]) if maps[relu][0, c].max() <= 0
        ]


def cnr_loop(maps, target, background):
    """One channel of one image: the textbook formula on the listed positions."""
    t, b = maps[target], maps[background]
    return (t.mean() - b.mean()) / b.std() if b.std() > 0 else np.nan


def window_sets(corner, scale):
    """Windows of a pooled map fully on the square / fully off it, outer ring dropped."""
    size = TINY.data.image_size
    square = np.zeros((size, size), bool)
    side = TINY.data.square
    square[corner[0] : corner[0] + side, corner[1] : corner[1] + side] = True
    grid = size // scale
    target = np.zeros((grid, grid), bool)
    background = np.zeros((grid, grid), bool)
    for i in range(1, grid - 1):
        for j in range(1, grid - 1):
            block = square[i * scale : (i + 1) * scale, j * scale : (j + 1) * scale]
            target[i, j], background[i, j] = block.all(), not block.any()
    return target, background


def changes_by_loops(before_maps, after_maps, test, scale):
    """Each image's CNR change over the channels that light up on the square (mean CNR
    before above 0), by plain loops: the per-image values and the channel count."""
    n, channels = before_maps.shape[:2]
    before_cnr = np.full((n, channels), np.nan)
    after_cnr = np.full((n, channels), np.nan)
    for i in range(n):
        target, background = window_sets(test.corners[i], scale)
        if not target.any():
            continue
        big_t, big_b = (m.repeat(2, 0).repeat(2, 1) for m in (target, background))
        for c in range(channels):
            before_cnr[i, c] = cnr_loop(before_maps[i, c], big_t, big_b)
            after_cnr[i, c] = cnr_loop(after_maps[i, c], target, background)
    responsive = [
        c
        for c in range(channels)
        if (~np.isnan(before_cnr[:, c])).any() and np.nanmean(before_cnr[:, c]) > 0
    ]
    per_image = np.full(n, np.nan)
    for i in range(n):
        changes = [after_cnr[i, c] - before_cnr[i, c] for c in responsive]
        changes = [x for x in changes if not np.isnan(x)]
        if changes:
            per_image[i] = np.mean(changes)
    return per_image, len(responsive)


@pytest.mark.parametrize(
    ("pool", "before", "scale"), [("pool1", "relu1", 2), ("pool2", "relu2", 4)]
)
def test_pooling_effect_per_channel(run, outputs, pool, before, scale):
    measured, _, test = run
    per_image, responsive = changes_by_loops(outputs[before], outputs[pool], test, scale)
    effect = measured[pool]
    assert effect["channels"] == responsive
    assert effect["n_images"] == np.sum(~np.isnan(per_image))
    assert effect["value"] == pytest.approx(np.nanmean(per_image), rel=1e-4)


def average_by_loops(maps):
    n, c, h, w = maps.shape
    out = np.zeros((n, c, h // 2, w // 2))
    for i in range(h // 2):
        for j in range(w // 2):
            out[:, :, i, j] = maps[:, :, 2 * i : 2 * i + 2, 2 * j : 2 * j + 2].mean(axis=(2, 3))
    return out


def test_max_pool_against_the_average_of_the_same_maps(run, outputs):
    _, _, test = run
    measured = population.max_against_average(
        outputs["relu1"], outputs["pool1"], test.corners, TINY, 2
    )
    with_max, _ = changes_by_loops(outputs["relu1"], outputs["pool1"], test, 2)
    with_average, _ = changes_by_loops(
        outputs["relu1"], average_by_loops(outputs["relu1"]), test, 2
    )
    assert measured["max"]["value"] == pytest.approx(np.nanmean(with_max), rel=1e-6)
    assert measured["average"]["value"] == pytest.approx(np.nanmean(with_average), rel=1e-6)
    difference = with_max - with_average
    assert measured["value"] == pytest.approx(np.nanmean(difference), rel=1e-6)
    assert measured["n_images"] == np.sum(~np.isnan(difference))
    lo, hi = measured["interval"]
    assert lo <= measured["value"] <= hi


def test_conv1_change_against_numpy():
    """Cosines with the start and with the box filter, per kernel, by plain loops; the
    random-update baseline stays below 1 and moves with the kernels' step sizes."""
    rng = np.random.default_rng(3)
    start = rng.normal(size=(16, 3, 3))
    end = start + rng.normal(scale=0.4, size=start.shape) + 0.3  # a drift toward the box
    change = facts.conv1_change(np.stack([start, end]))
    cos = [float(a.ravel() @ b.ravel() / np.linalg.norm(a) / np.linalg.norm(b))
           for a, b in zip(start, end, strict=True)]  # fmt: skip
    box = [float(k.sum() / np.linalg.norm(k) / 3) for k in end]  # |box| = 3 for 3x3 ones
    assert change["cosine_median"] == pytest.approx(np.median(cos), abs=1e-12)
    assert change["cosine_min"] == pytest.approx(min(cos), abs=1e-12)
    assert change["box_cosine_median_end"] == pytest.approx(np.median(box), abs=1e-12)
    assert change["box_aligned_end"] == sum(c >= change["box_aligned_at"] for c in box)
    lo, hi = change["random_cosine_interval"]
    assert lo <= change["random_cosine_median"] <= hi < 1
    # random updates of each kernel's own size: about 1 / sqrt(1 + r^2) (issue 12)
    r = np.linalg.norm((end - start).reshape(16, -1), axis=1) / np.linalg.norm(
        start.reshape(16, -1), axis=1
    )
    assert change["random_cosine_median"] == pytest.approx(
        np.median(1 / np.sqrt(1 + r**2)), abs=0.05
    )


def test_the_measures_do_not_depend_on_the_threads_the_process_had(run):
    # A build that takes its training from the cache has not set torch's thread count, and
    # FC1's sums differ in their last bits between one thread and two.
    _, weights, test = run
    outputs = []
    for threads in (TINY.train.threads + 1, TINY.train.threads):
        torch.set_num_threads(threads)
        outputs.append(population.measured_outputs(TINY, weights, test))
    for first, second in zip(*outputs, strict=True):  # trained weights, then initial ones
        for name in population.STAGES:
            assert first[name].tobytes() == second[name].tobytes(), name
