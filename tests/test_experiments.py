"""Experiments: a same-size MLP against TinyCNN, and TinyCNN across noise levels."""

import json
import re

import numpy as np
import pytest

from generator.config import build_config
from generator.figures.study_charts import render_charts
from generator.study.experiments import NOISE_LEVELS, noise_config, noise_levels
from generator.study.mlp import MLP, cnn_parameters, matching_width, mlp_parameters

TINY = build_config(preset="tiny")


@pytest.fixture(scope="module")
def results(tiny_project):
    return json.loads((tiny_project.generated / "experiments.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "overrides", [{}, {"model.conv1_channels": "4", "model.fc_hidden": "8"}, {"data.grid": "4"}]
)
def test_mlp_width_matches_the_cnn_parameter_count(overrides):
    cfg = build_config(overrides)
    hidden = matching_width(cfg)
    model = MLP(hidden, cfg.data)
    assert sum(p.numel() for p in model.parameters()) == mlp_parameters(hidden, cfg.data)
    # Rounding to the nearest width is off by at most half a hidden unit's parameters.
    per_unit = cfg.data.image_size**2 + 1 + cfg.data.grid**2
    assert abs(mlp_parameters(hidden, cfg.data) - cnn_parameters(cfg)) <= per_unit / 2


def test_default_mlp_is_within_a_tenth_of_a_percent_of_the_cnn():
    cfg = build_config()
    assert cnn_parameters(cfg) == 136_521
    difference = mlp_parameters(matching_width(cfg), cfg.data) - cnn_parameters(cfg)
    assert abs(difference) / cnn_parameters(cfg) < 0.001


def test_noise_levels_include_the_configured_one():
    assert noise_levels(build_config()) == sorted(NOISE_LEVELS)
    assert len(NOISE_LEVELS) >= 5 and 0.35 in NOISE_LEVELS
    assert 0.42 in noise_levels(build_config({"data.noise": "0.42"}))
    cfg = build_config()
    other = noise_config(cfg, 0.7)
    assert other.data.noise == 0.7
    assert (other.data.seed, other.model, other.train) == (cfg.data.seed, cfg.model, cfg.train)


def test_every_setup_is_trained_once_per_seed(results):
    seeds = TINY.study_seeds
    pair = results["mlp_vs_cnn"]
    for setup in (pair["cnn"], pair["mlp"], *results["noise"]["runs"]):
        assert setup["seeds"] == seeds
        assert len(setup["final_test"]["values"]) == len(seeds)
        lo, hi = setup["final_test"]["interval"]
        assert lo <= setup["final_test"]["mean"] <= hi
        assert len(setup["test_acc"]) == len(pair["steps"])
        # accuracy on every test image: a multiple of 1/N for each seed
        for accuracy in setup["final_test"]["values"]:
            assert accuracy * TINY.data.test_size == pytest.approx(
                round(accuracy * TINY.data.test_size)
            )
    assert results["budget"]["total_steps"] == TINY.total_steps


def test_the_comparison_is_paired_by_seed(results):
    pair = results["mlp_vs_cnn"]
    cnn, mlp = pair["cnn"]["final_test"]["values"], pair["mlp"]["final_test"]["values"]
    assert pair["paired"]["accuracy_lead"] == pytest.approx(
        [c - m for c, m in zip(cnn, mlp, strict=True)]
    )
    assert pair["mlp"]["hidden"] == matching_width(TINY)
    main = next(r for r in results["noise"]["runs"] if r["noise"] == TINY.data.noise)
    assert main["final_test"] == pair["cnn"]["final_test"]


def test_noise_study_has_one_setup_per_level(results, tiny_project):
    noise = results["noise"]
    assert noise["levels"] == noise_levels(TINY)
    assert [run["noise"] for run in noise["runs"]] == noise["levels"]
    # Same data seed: different noise std must still give different runs.
    assert len({tuple(run["test_acc"]) for run in noise["runs"]}) == len(noise["runs"])
    # one group of seeds per level, trained in this build (or taken from its cache)
    trained = re.findall(r"=== cnn-seeds: (computed|from cache)", tiny_project.output, re.M)
    assert len(trained) == len(noise_levels(TINY))


def test_charts_are_published_light_dark_and_with_data(tiny_project):
    generated = tiny_project.generated
    for stem in ("mlp_vs_cnn", "noise_levels"):
        light, dark = generated / f"{stem}.png", generated / f"{stem}.dark.png"
        assert light.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert light.read_bytes() != dark.read_bytes()
    with np.load(generated / "noise_levels.npz") as arrays:
        assert arrays["test_acc"].shape == (len(noise_levels(TINY)), len(arrays["steps"]))
    with np.load(generated / "mlp_vs_cnn.npz") as arrays:
        assert set(arrays.files) == {
            "steps", "cnn_test_acc", "cnn_test_loss", "mlp_test_acc", "mlp_test_loss"
        }  # fmt: skip
    with np.load(generated / "noise_levels.npz") as arrays:
        assert arrays["final_by_seed"].shape == (TINY.study.seeds, len(noise_levels(TINY)))


def test_charts_are_the_same_bytes_when_redrawn(results, tiny_project, tmp_path):
    # The published charts were drawn in the build's process; this is another one.
    for name in render_charts(results, tmp_path):
        assert (tmp_path / name).read_bytes() == (tiny_project.generated / name).read_bytes(), name
