"""The group trainer: each member is train_model's run for its seed, within float tolerance."""

import dataclasses

import numpy as np
import pytest
import torch

from generator.config import build_config
from generator.data import make_dataset
from generator.model import TinyCNN
from generator.study.group import (
    GroupCurves,
    GroupedMLP,
    GroupedTinyCNN,
    member_models,
    train_group,
)
from generator.study.mlp import MLP, matching_width
from generator.train import train_model

# Five steps of one epoch: enough to compare step by step, cheap enough for the fast tier.
CFG = build_config(
    {
        "train.epochs": "1",
        "data.train_size": "160",
        "record.evaluations": "4",
        "record.snapshots": "4",
    },
    preset="tiny",
)
SEEDS = [0, 3]
STEPS = 4  # compared step by step; later steps drift further apart (see group.py)
# After a few steps the members differ from the loop by rounding only (measured: up to
# 1.1e-5 by step 4). Adam's first steps move nearly every weight by about lr = 4e-3, so a
# wrong batch, seed or learning rate would differ by far more than this.
TOLERANCE = 5e-5


@pytest.fixture(scope="module")
def data():
    return make_dataset(CFG.data)


def make_cnn():
    return TinyCNN(CFG.model, CFG.data).to(memory_format=torch.channels_last)


def make_mlp():
    return MLP(matching_width(CFG), CFG.data)


def loop_states(seed, make, data):
    cfg = dataclasses.replace(CFG, train=dataclasses.replace(CFG.train, seed=seed))
    states = []

    def keep(step, model, loss, accuracy):
        if step <= STEPS:
            states.append({k: v.detach().clone() for k, v in model.state_dict().items()})

    train_model(cfg, make, data.train, keep)
    return states


def group_states(group, data, seeds=SEEDS):
    states = []

    def keep(step, model):
        if step <= STEPS:
            states.append([model.member_state(g) for g in range(model.members)])

    train_group(CFG, group, seeds, [data.train] * len(seeds), keep)
    return states


@pytest.mark.parametrize(("grouped", "make"), [(GroupedTinyCNN, make_cnn), (GroupedMLP, make_mlp)])
def test_each_member_follows_the_training_loop(grouped, make, data):
    group = group_states(grouped(member_models(make, SEEDS)), data)
    for g, seed in enumerate(SEEDS):
        loop = loop_states(seed, make, data)
        assert all(torch.equal(loop[0][k], group[0][g][k]) for k in loop[0])  # same init bits
        for step in range(1, STEPS + 1):
            for key, value in loop[step].items():
                gap = (value - group[step][g][key]).abs().max().item()
                assert gap <= TOLERANCE, (seed, step, key, gap)
                moved = (value - loop[0][key]).abs().max().item()
                assert moved > 10 * TOLERANCE  # the comparison is not of unmoved weights


def train_curves(data):
    group = GroupedTinyCNN(member_models(make_cnn, SEEDS))
    curves = GroupCurves(CFG, data.train, data.test)
    train_group(CFG, group, SEEDS, [data.train] * len(SEEDS), curves)
    return curves.to_arrays(), group


@pytest.fixture(scope="module")
def trained(data):
    return train_curves(data)


def test_group_training_is_bit_identical_run_to_run(data, trained):
    (first, group_a), (second, group_b) = trained, train_curves(data)
    assert first.keys() == second.keys()
    for key in first:
        assert first[key].tobytes() == second[key].tobytes(), key
    for g in range(len(SEEDS)):
        a, b = group_a.member_state(g), group_b.member_state(g)
        assert all(torch.equal(a[k], b[k]) for k in a)


def test_curves_measure_each_member_on_the_test_split(data, trained):
    arrays, group = trained
    assert arrays["test_acc"].shape == (len(SEEDS), CFG.record.evaluations)
    assert arrays["test_pred"].shape == (len(SEEDS), CFG.data.test_size)
    for g in range(len(SEEDS)):  # the last evaluation is every test image, by each member
        member = make_cnn()
        member.load_state_dict(group.member_state(g))
        with torch.no_grad():
            pred = member(torch.from_numpy(data.test.images).unsqueeze(1)).argmax(1).numpy()
        assert np.array_equal(pred, arrays["test_pred"][g])
        assert arrays["test_acc"][g, -1] == (pred == data.test.labels).mean()


def test_members_must_share_a_split_size(data):
    group = GroupedTinyCNN(member_models(make_cnn, SEEDS))
    shorter = dataclasses.replace(data.train, labels=data.train.labels[:-1])
    with pytest.raises(ValueError, match="differ in size"):
        train_group(CFG, group, SEEDS, [data.train, shorter])
