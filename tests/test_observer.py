"""The box-template observer: checked against a plain loop over placements, and against
what TinyCNN's runs published for the same test images."""

import dataclasses
import itertools

import numpy as np
import pytest

from generator.config import build_config
from generator.data import cell_edges, make_dataset, make_split
from generator.facts import signal_to_noise
from generator.study import observer
from generator.study.experiments import noise_config
from generator.study.observer import box_sums, placement_cells, predict

TINY = build_config(preset="tiny")


def loop_predict(cfg, image: np.ndarray) -> int:
    """The observer written out: every cell, every top-left corner that keeps the square
    inside it, the pixels under the box summed one by one."""
    edges, best, answer = cell_edges(cfg), -np.inf, -1
    for row, col in itertools.product(range(cfg.grid), repeat=2):
        tops = range(edges[row], edges[row + 1] - cfg.square + 1)
        lefts = range(edges[col], edges[col + 1] - cfg.square + 1)
        for top, left in itertools.product(tops, lefts):
            total = 0.0
            for r, c in itertools.product(range(cfg.square), repeat=2):
                total += float(image[top + r, left + c])
            if total > best:
                best, answer = total, row * cfg.grid + col
    return answer


@pytest.mark.parametrize(
    "overrides",
    [
        {"data.noise": "0.35"},
        {"data.noise": "1.0"},
        {"data.grid": "5", "data.square": "5", "data.noise": "0.7"},
    ],
)
def test_the_observer_equals_a_loop_over_every_placement(overrides):
    cfg = build_config(overrides).data
    split = make_split(cfg, 8, np.random.default_rng(3))
    expected = [loop_predict(cfg, image) for image in split.images]
    assert predict(cfg, split.images).tolist() == expected


def test_box_sums_equal_the_pixels_summed_under_each_box():
    images = np.random.default_rng(0).random((3, 12, 12), dtype=np.float32)
    sums = box_sums(images, 4)
    assert sums.shape == (3, 9, 9)
    for n, top, left in itertools.product(range(3), range(9), range(9)):
        window = images[n, top : top + 4, left : left + 4].astype(np.float64)
        assert sums[n, top, left] == pytest.approx(window.sum(), abs=1e-9)


def test_every_placement_the_data_draws_is_a_placement_of_its_cell():
    cfg = build_config({"data.grid": "5", "data.square": "5"}).data
    split = make_split(cfg, 500, np.random.default_rng(1))
    cells = placement_cells(cfg)
    assert (cells[split.corners] @ [cfg.grid, 1] == split.labels).all()
    # without noise no other placement sums as much as the square's own
    assert (predict(cfg, split.clean) == split.labels).all()


def test_the_summed_ratio_is_the_side_times_the_pixels():
    cfg = build_config({"data.contrast": "0.35", "data.noise": "0.35"}).data
    ratios = signal_to_noise(cfg, {"effective_contrast": 0.3, "background_std": 0.25})
    assert ratios["pixel"] == pytest.approx(1.0)
    assert ratios["summed"] == pytest.approx(6.0)  # sqrt(36) * 1
    assert ratios["summed_measured"] == pytest.approx(6 * 0.3 / 0.25)
    quiet = dataclasses.replace(cfg, noise=0.0)
    ratios = signal_to_noise(quiet, {"effective_contrast": 0.35, "background_std": 0.0})
    assert ratios["pixel"] is None and ratios["summed_measured"] is None


def test_published_accuracy_and_lead_agree_with_the_data_and_the_runs(tiny_project):
    noise = tiny_project.published("experiments.json")["noise"]
    for run in noise["runs"]:
        cfg = noise_config(TINY, run["noise"]).data
        test = make_dataset(cfg).test  # the images the level's TinyCNN was tested on
        box = observer.observe(cfg, test)
        accuracy = float((box["pred"] == test.labels).mean())
        assert run["observer"]["accuracy"] == pytest.approx(accuracy)
        # TinyCNN's side of the lead comes from its predictions per image; its final test
        # accuracy per seed was measured apart, in the training loop's evaluation
        lead = run["observer"]["lead"]
        assert lead["value"] == pytest.approx(accuracy - run["final_test"]["mean"])
        lo, hi = lead["interval"]
        assert lo <= lead["value"] <= hi
        assert lead["n_images"] == len(test) == TINY.data.test_size
