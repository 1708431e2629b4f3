import numpy as np
import pytest
import torch

from generator.config import build_config
from generator.data import make_dataset
from generator.files import read_npz
from generator.model import STAGES, TinyCNN
from generator.trace import Trace, evaluation_steps, frame_steps


@pytest.mark.parametrize(("total", "count"), [(282, 60), (34, 12), (10, 11), (5, 2)])
def test_evaluations_are_distinct_and_span_the_run(total, count):
    steps = evaluation_steps(total, count)
    assert len(steps) == count
    assert steps[0] == 0 and steps[-1] == total
    assert np.all(np.diff(steps) > 0)


def test_evaluations_are_denser_early():
    gaps = np.diff(evaluation_steps(282, 60))
    assert gaps[:10].mean() < gaps[-10:].mean()


def test_snapshots_follow_the_movement():
    # One signal moves only between steps 40 and 60 of 100: the frames between the first
    # and the last must all sit there.
    candidates = np.arange(101)
    movement = np.zeros((100, 1))
    movement[40:60] = 1.0
    steps = frame_steps(candidates, movement, 12)
    assert steps[0] == 0 and steps[-1] == 100
    assert np.all((steps[1:-1] >= 40) & (steps[1:-1] <= 60))
    assert np.all(np.diff(steps) > 0)


def test_each_signal_counts_equally_whatever_its_size():
    # Signal 0 moves early and hugely, signal 1 late and slightly: half the frames each.
    movement = np.zeros((100, 2))
    movement[:50, 0] = 1000.0
    movement[50:, 1] = 0.001
    steps = frame_steps(np.arange(101), movement, 21)
    assert np.sum(steps < 50) == pytest.approx(10, abs=1)


def test_snapshots_spread_evenly_when_nothing_moves():
    steps = frame_steps(np.arange(0, 101, 5), np.zeros((20, 3)), 5)
    assert steps.tolist() == [0, 25, 50, 75, 100]


@pytest.fixture(scope="module")
def recorded(tiny_project):
    # The published downloads are the main run's (the cache also holds the seed study's runs).
    trace = Trace.from_arrays(read_npz(tiny_project.generated / "trace.npz"))
    return trace, read_npz(tiny_project.generated / "weights.npz")


def test_recorded_activations_equal_a_direct_call_of_each_layer(recorded):
    trace, weights = recorded
    cfg = build_config(preset="tiny")
    model = TinyCNN(cfg.model, cfg.data)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()})
    probe = make_dataset(cfg.data).test.images[cfg.record.probe_index]
    assert np.array_equal(probe, trace.probe_image)
    x = torch.from_numpy(probe)[None, None]
    with torch.no_grad():
        for name in STAGES[:-1]:
            x = getattr(model, name)(x)
            np.testing.assert_allclose(trace.stages[name][-1], x[0].numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(trace.conv1_weight[-1], weights["conv1.weight"][:, 0])


def test_numpy_forward_pass_agrees_with_torch(recorded):
    """An independent oracle: the network written out in numpy from the final weights."""
    trace, w = recorded
    x = trace.probe_image[None].astype(np.float64)

    def conv(x, weight, bias):
        padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
        h, wd = x.shape[1:]
        windows = np.stack([padded[:, i : i + h, j : j + wd] for i in range(3) for j in range(3)])
        return (
            np.einsum("kchw,ock->ohw", windows, weight.reshape(*weight.shape[:2], 9))
            + bias[:, None, None]
        )

    def pool(x):
        c, h, wd = x.shape
        return x.reshape(c, h // 2, 2, wd // 2, 2).max(axis=(2, 4))

    x = pool(np.maximum(conv(x, w["conv1.weight"], w["conv1.bias"]), 0))
    x = pool(np.maximum(conv(x, w["conv2.weight"], w["conv2.bias"]), 0))
    x = np.maximum(w["fc1.weight"] @ x.reshape(-1) + w["fc1.bias"], 0)
    logits = w["logits.weight"] @ x + w["logits.bias"]
    np.testing.assert_allclose(trace.stages["logits"][-1], logits, rtol=1e-4, atol=1e-5)
    probs = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    np.testing.assert_allclose(trace.stages["probs"][-1], probs, rtol=1e-4, atol=1e-6)


def test_trace_has_one_row_per_snapshot(recorded):
    trace, _ = recorded
    cfg = build_config(preset="tiny")
    assert len(trace.steps) == cfg.record.snapshots
    for name in STAGES:
        assert trace.stages[name].shape[0] == cfg.record.snapshots
    assert len(trace.eval_steps) == len(trace.test_acc) == cfg.record.evaluations
    assert np.isnan(trace.batch_loss[0]) and not np.isnan(trace.batch_loss[1:]).any()


def test_snapshots_are_steps_of_the_run_where_the_recorded_values_differ(recorded):
    trace, _ = recorded
    cfg = build_config(preset="tiny")
    assert trace.steps[0] == 0 and trace.steps[-1] == cfg.total_steps
    assert np.all(np.diff(trace.steps) > 0)
    assert np.array_equal(trace.epochs, trace.steps / cfg.steps_per_epoch)
    # consecutive snapshots are different states of the network, not repeats
    assert np.all(np.abs(np.diff(trace.conv1_weight, axis=0)).max(axis=(1, 2, 3)) > 0)
