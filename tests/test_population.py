"""The population measures, against an independent numpy computation on the tiny preset
(not yet wired into the facts: see branch science-full)."""

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from generator import population
from generator.config import build_config
from generator.data import make_dataset
from generator.train import train

TINY = build_config(preset="tiny")


@pytest.fixture(scope="module")
def run():
    """The tiny preset trained, and the population measures of its test set."""
    data = make_dataset(TINY.data)
    model = train(TINY, data.train, lambda *_: None)
    weights = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
    trained = population.stage_outputs(population.trained_model(TINY, weights), data.test)
    measured = {
        "accuracy": population.accuracy(trained["logits"], data.test.labels),
        "probe_unit": population.probe_unit_share(
            trained["relu3"], data.test.labels, TINY.record.probe_index
        ),
        "silent": population.silent_units(trained["relu3"]),
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
    assert measured["silent"]["value"] == pytest.approx(1 - live / relu3.shape[1])


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


@pytest.mark.parametrize(
    ("pool", "before", "scale"), [("pool1", "relu1", 2), ("pool2", "relu2", 4)]
)
def test_pooling_effect_per_channel(run, outputs, pool, before, scale):
    measured, _, test = run
    n, channels = outputs[before].shape[:2]
    before_cnr = np.full((n, channels), np.nan)
    after_cnr = np.full((n, channels), np.nan)
    for i in range(n):
        target, background = window_sets(test.corners[i], scale)
        if not target.any():
            continue
        big_t, big_b = (m.repeat(2, 0).repeat(2, 1) for m in (target, background))
        for c in range(channels):
            before_cnr[i, c] = cnr_loop(outputs[before][i, c], big_t, big_b)
            after_cnr[i, c] = cnr_loop(outputs[pool][i, c], target, background)
    responsive = [
        c
        for c in range(channels)
        if (~np.isnan(before_cnr[:, c])).any() and np.nanmean(before_cnr[:, c]) > 0
    ]
    per_image = []
    for i in range(n):
        changes = [after_cnr[i, c] - before_cnr[i, c] for c in responsive]
        changes = [x for x in changes if not np.isnan(x)]
        if changes:
            per_image.append(np.mean(changes))
    effect = measured[pool]
    assert effect["channels"] == len(responsive)
    assert effect["n_images"] == len(per_image)
    assert effect["value"] == pytest.approx(np.mean(per_image), rel=1e-4)
