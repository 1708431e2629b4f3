"""Downloads for "Reproduce this article": listed hashes match, and the files are the run."""

import hashlib
import json

import pytest
import torch

from generator.config import build_config, load_config_file
from generator.data import make_dataset
from generator.files import read_npz
from generator.model import TinyCNN
from generator.trace import Trace, evaluate

EXPECTED = {
    "config.json",
    "facts.json",
    "weights.npz",
    "trace.npz",
}


@pytest.fixture(scope="module")
def listed(tiny_project):
    text = (tiny_project.generated / "downloads.json").read_text(encoding="utf-8")
    return {entry["name"]: entry for entry in json.loads(text)["files"]}


def test_every_download_is_listed(listed):
    assert set(listed) >= EXPECTED
    assert all(entry["description"] for entry in listed.values())


def test_the_study_adds_its_results_to_the_downloads(tiny_project):
    text = (tiny_project.generated / "downloads.json").read_text(encoding="utf-8")
    names = {entry["name"] for entry in json.loads(text)["files"]}
    assert names >= EXPECTED | {"seeds.json", "experiments.json", "noise_levels.npz"}


@pytest.mark.parametrize("where", ["docs/assets/generated", "site/assets/generated"])
def test_listed_sizes_and_hashes_match_the_files(listed, tiny_project, where):
    for name, entry in listed.items():
        content = (tiny_project.root / where / name).read_bytes()
        assert len(content) == entry["bytes"], name
        assert hashlib.sha256(content).hexdigest() == entry["sha256"], name


def test_config_download_rebuilds_the_same_config(tiny_project):
    cfg = build_config(load_config_file(tiny_project.generated / "config.json"))
    assert cfg.hash == tiny_project.facts["config_hash"]


def test_weights_reproduce_the_final_test_accuracy(tiny_project):
    cfg = build_config(load_config_file(tiny_project.generated / "config.json"))
    model = TinyCNN(cfg.model, cfg.data)
    weights = read_npz(tiny_project.generated / "weights.npz")
    model.load_state_dict({name: torch.from_numpy(array) for name, array in weights.items()})
    model.eval()
    _, accuracy, _ = evaluate(model, make_dataset(cfg.data).test, None)
    assert accuracy == tiny_project.facts["accuracy"]["final_test"]


def test_trace_download_is_the_run(tiny_project):
    trace = Trace.from_arrays(read_npz(tiny_project.generated / "trace.npz"))
    assert trace.steps.tolist() == tiny_project.facts["run"]["snapshot_steps"]
    assert float(trace.test_acc[-1]) == tiny_project.facts["accuracy"]["final_test"]
