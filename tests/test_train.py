"""Determinism: the same config gives the same weights and facts, across processes."""

import numpy as np
import pytest

from generator.files import read_npz
from tests.conftest import build_project


def train_entries(project):
    return sorted(p.name for p in (project.root / ".cache").glob("train-*"))


@pytest.mark.slow  # a whole build again
def test_two_runs_in_separate_processes_are_identical(tiny_project, tiny_again):
    again = tiny_again
    assert train_entries(again) == train_entries(tiny_project)
    # The published weights and trace are the main run's.
    first, second = tiny_project.generated, again.generated
    for name in ("weights.npz", "trace.npz"):
        a, b = read_npz(first / name), read_npz(second / name)
        assert a.keys() == b.keys()
        for key in a:
            assert np.array_equal(a[key], b[key], equal_nan=True), f"{name}:{key} differs"
    assert (first / "trace.npz").read_bytes() == (second / "trace.npz").read_bytes()
    assert again.facts == tiny_project.facts
    assert (first / "downloads.json").read_bytes() == (second / "downloads.json").read_bytes()


@pytest.mark.slow  # a build of the main run (the study's are not compared)
def test_another_seed_trains_differently(tmp_path, tiny_project):
    # Seed 2: the tiny run of seed 1 ends at 90% test accuracy, which leaves the article's
    # required claim (above 90%) inconclusive, so its build stops (the tiny seeds.json).
    args = ("--preset", "tiny", "--train.seed=2", "--study.enabled=false")
    other = build_project(tmp_path / "seed2", *args)
    assert other.facts["config_hash"] != tiny_project.facts["config_hash"]
    a, b = tiny_project.generated, other.generated
    assert not np.array_equal(read_npz(a / "weights.npz")["conv1.weight"],
                              read_npz(b / "weights.npz")["conv1.weight"])  # fmt: skip
