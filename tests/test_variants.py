"""TinyCNN's variants (study/runs.py): each is what its name says, measured as the
formulas say, and the same bits on every run."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from generator.config import build_config
from generator.data import make_dataset
from generator.model import TinyCNN
from generator.study import runs
from generator.study.group import GroupedTinyCNN, cross_entropy, group_logits, member_models

# Three steps of one epoch and two seeds: the variants' code paths in seconds.
CFG = build_config(
    {
        "train.epochs": "1",
        "data.train_size": "160",
        "study.seeds": "2",
        "record.evaluations": "4",
        "record.snapshots": "4",
    },
    preset="tiny",
)


@pytest.fixture(scope="module")
def data():
    return make_dataset(CFG.data)


def members() -> list[TinyCNN]:
    return member_models(lambda: TinyCNN(CFG.model, CFG.data), CFG.study_seeds)


def test_stride_2_is_a_stride_2_convolution(data):
    """Every other position after a stride-1 convolution and ReLU equals a stride-2
    convolution and ReLU, all the way to the logits."""
    models = members()
    images = torch.from_numpy(data.test.images[:20])
    grouped = GroupedTinyCNN(models, runs.stride_2)
    stacked = grouped(images.unsqueeze(0).expand(len(models), *images.shape))
    with torch.no_grad():
        for g, m in enumerate(models):
            x = F.relu(F.conv2d(images.unsqueeze(1), m.conv1.weight, m.conv1.bias, 2, 1))
            x = F.relu(F.conv2d(x, m.conv2.weight, m.conv2.bias, 2, 1))
            x = F.relu(m.fc1(x.flatten(1)))
            torch.testing.assert_close(stacked[g], m.logits(x), rtol=1e-5, atol=1e-5)


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_logit_push_follows_the_softmax_formulas(data):
    """Raw logits: the gradient at the logits is softmax minus one-hot. Softmax inside: the
    same at the probabilities, times the softmax Jacobian diag(p) - p p^T. At the
    initial weights the logits are about equal, so the Jacobian scales it by 1/classes."""
    group = GroupedTinyCNN(members())
    logits, labels = group_logits(group, data.test)
    z, y = logits.double().numpy(), labels.numpy()
    one_hot = np.eye(z.shape[-1])[y]
    p = softmax(z)
    raw = p - one_hot
    outer = softmax(p) - one_hot
    inside = p * (outer - (p * outer).sum(axis=-1, keepdims=True))
    for loss, expected in ((cross_entropy, raw), (runs.softmax_inside, inside)):
        accuracy, push = runs.logit_push(group, data.test, loss)
        np.testing.assert_allclose(push, np.linalg.norm(expected, axis=-1).mean(axis=1), 1e-5)
        np.testing.assert_array_equal(accuracy, (z.argmax(axis=-1) == y).mean(axis=1))
    ratio = np.linalg.norm(inside, axis=-1).mean(axis=1) / np.linalg.norm(raw, axis=-1).mean(axis=1)
    assert ratio == pytest.approx(1 / z.shape[-1], rel=0.05)


def test_checkpoints_are_shares_of_the_budget():
    assert runs.checkpoint_steps(282).tolist() == [0, 47, 94, 282]


@pytest.mark.slow  # eight short trainings
@pytest.mark.parametrize("kind", list(runs.VARIANTS))
def test_each_variant_trains_to_the_same_bits_twice(kind, data):
    first, second = (runs.train_seeds(CFG, data, kind) for _ in range(2))
    assert first.keys() == second.keys()
    for name in first:
        assert first[name].dtype == second[name].dtype, name
        assert first[name].tobytes() == second[name].tobytes(), name


@pytest.mark.slow  # four short trainings
def test_each_variant_changes_the_training(data):
    article = runs.train_seeds(CFG, data, "cnn")["test_loss"]
    for kind in set(runs.VARIANTS) - {"cnn"}:
        assert not np.array_equal(runs.train_seeds(CFG, data, kind)["test_loss"], article), kind
