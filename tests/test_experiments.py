"""Experiments: a same-size MLP against TinyCNN, and TinyCNN across noise levels."""

import json

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


def test_cnn_side_is_the_main_run(results, tiny_project):
    facts = tiny_project.facts
    compared = results["mlp_vs_cnn"]
    assert compared["steps"] == facts["run"]["evaluation_steps"]
    assert compared["cnn"]["parameters"] == facts["params"]["total"]
    assert compared["cnn"]["final_test"] == facts["accuracy"]["final_test"]
    assert compared["cnn"]["step_test_90"] == facts["accuracy"]["step_test_90"]


def test_mlp_was_trained_on_the_same_schedule(results, tiny_project):
    compared = results["mlp_vs_cnn"]
    mlp = compared["mlp"]
    assert mlp["hidden"] == matching_width(TINY)
    assert compared["parameter_difference"] == mlp["parameters"] - compared["cnn"]["parameters"]
    assert len(mlp["test_acc"]) == len(mlp["test_loss"]) == len(compared["steps"])
    # The last snapshot is measured on every test image, so accuracy is a multiple of 1/N.
    test_size = TINY.data.test_size
    assert mlp["final_test"] * test_size == pytest.approx(round(mlp["final_test"] * test_size))
    assert mlp["test_acc"] != compared["cnn"]["test_acc"]


def test_noise_study_has_one_run_per_level(results, tiny_project):
    noise = results["noise"]
    assert noise["levels"] == noise_levels(TINY)
    assert noise["main_level"] == TINY.data.noise
    assert [run["noise"] for run in noise["runs"]] == noise["levels"]
    assert all(len(run["test_acc"]) == len(noise["steps"]) for run in noise["runs"])
    main = next(run for run in noise["runs"] if run["noise"] == noise["main_level"])
    assert main["final_test"] == tiny_project.facts["accuracy"]["final_test"]
    assert main["test_acc"] == results["mlp_vs_cnn"]["cnn"]["test_acc"]
    # Same data seed: different noise std must still give different runs.
    assert len({tuple(run["test_acc"]) for run in noise["runs"]}) == len(noise["runs"])


def test_main_noise_level_reuses_the_main_run(tiny_project):
    assert f"[noise {TINY.data.noise:g}]" not in tiny_project.output
    for level in noise_levels(TINY):
        if level != TINY.data.noise:
            assert f"[noise {level:g}] === train: computed" in tiny_project.output


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


def test_charts_are_the_same_bytes_when_redrawn(results, tiny_project, tmp_path):
    # The published charts were drawn in the build's process; this is another one.
    for name in render_charts(results, tmp_path):
        assert (tmp_path / name).read_bytes() == (tiny_project.generated / name).read_bytes(), name
