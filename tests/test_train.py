"""Determinism: the same config gives the same weights and facts, across processes; and the
allocator setting that makes a training step cheaper."""

import os
import platform
import resource
import subprocess
import sys

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


# 32 training steps of TinyCNN after eight to warm up; prints the page faults the 32 took.
# In a fresh process: glibc's settings are per process, and once set they stay. One thread,
# so every allocation comes from one arena. With the setting, most runs fault no page at
# all; some fault 512 to 1,792 pages once, where the heap still grows (seen here over four
# steps), so the count covers enough steps for a per-step cost to dwarf a one-off.
FAULTS_OF_32_STEPS = """
import resource, sys, torch
from generator.config import build_config
from generator.model import TinyCNN
from generator.train import keep_freed_memory
if sys.argv[1] == "kept":
    keep_freed_memory()
torch.set_num_threads(1)
cfg = build_config()
model = TinyCNN(cfg.model, cfg.data)
images, labels = torch.rand(64, 1, 32, 32), torch.zeros(64, dtype=torch.int64)
for step in range(40):
    if step == 8:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    torch.nn.functional.cross_entropy(model(images), labels).backward()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_a_training_step_reuses_freed_memory():
    def faults(mode: str) -> int:
        run = [sys.executable, "-c", FAULTS_OF_32_STEPS, mode]
        env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
        return int(subprocess.run(run, capture_output=True, text=True, check=True, env=env).stdout)

    default, kept = faults("default"), faults("kept")
    # By default steps map activations afresh and fault their pages in again (how many
    # depends on glibc's moving threshold: 1,000 to 2,300 pages a step, seen here).
    conv1_output_pages = 64 * 16 * 32 * 32 * 4 // resource.getpagesize()
    assert default > conv1_output_pages, default
    assert kept < default / 20, (kept, default)
