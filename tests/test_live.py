"""The live network's export (generator/live.py): steps, replay, weight files, measured facts.

The browser side (the page computes what this exports) is in tests/browser/test_live.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from generator import live, stages
from generator.config import build_config
from generator.data import cell_edges, draw_squares, make_dataset
from generator.trace import Recorder
from generator.train import train

TINY = build_config(preset="tiny")


@pytest.fixture(scope="module")
def tiny_run():
    """The tiny preset trained once with the article's recorder: its trace and final weights."""
    data = make_dataset(TINY.data)
    recorder = Recorder(TINY, data)
    net = train(TINY, data.train, recorder)
    final = {k: v.detach().numpy().copy() for k, v in net.state_dict().items()}
    return data, recorder.finish(), final


@pytest.mark.parametrize("count", [40, 12, 7, 3])
def test_shipped_steps_span_the_run_in_order(count):
    snapshots = np.array([0, 5, 9, 12, 20, 31, 50, 80, 120, 200, 281, 282][: max(count, 2)])
    steps = live.shipped_steps(snapshots)
    assert steps[0] == snapshots[0] and steps[-1] == snapshots[-1]
    assert set(steps) <= set(snapshots.tolist())
    assert steps == sorted(set(steps))
    assert len(steps) == min(live.SHIPPED, len(snapshots))


def read_tensor(content: bytes, entry: dict) -> np.ndarray:
    """One tensor of a weights file, decoded from the layout alone (as live.js does)."""
    count = int(np.prod(entry["shape"]))
    if entry["encoding"] == "float16":
        values = np.frombuffer(content, "<f2", count, entry["offset"]).astype(np.float32)
    else:
        codes = np.frombuffer(content, np.int8, count, entry["offset"]).astype(np.float32)
        blocks = -(-count // entry["block"])
        scales = np.frombuffer(content, "<f2", blocks, entry["scales"]).astype(np.float32)
        values = codes * scales[np.arange(count) // entry["block"]]
    return values.reshape(entry["shape"])


@pytest.mark.slow  # trains the tiny preset and replays it: about 45 s together
def test_a_weights_file_holds_every_tensor_where_the_layout_says(tiny_run):
    _, _, final = tiny_run
    encoded = live.encode_all(final)
    content = live.weights_bytes(encoded)
    entries = live.layout(encoded)
    assert {e["name"] for e in entries} == set(final)
    ends = [e.get("scales", e["offset"]) for e in entries]
    assert len(content) > max(ends)
    for entry in entries:
        tensor, stored = final[entry["name"]], read_tensor(content, entry)
        # what the build measures is what the page reads
        assert np.array_equal(stored, encoded[entry["name"]].decoded), entry["name"]
        if entry["encoding"] == "float16":  # 11 significant bits: relative error <= 2**-11
            assert np.allclose(stored, tensor, rtol=2**-11, atol=2**-24)
        else:  # rounding to the nearest step of the block's scale (max |w| / 127)
            block_max = np.abs(tensor).max() / 127
            assert np.abs(stored - tensor).max() <= 0.51 * block_max * (1 + 2**-10)


@pytest.mark.parametrize("size", [1, 31, 32, 33, 100])
def test_int8_blocks_round_each_value_to_its_block_scale(size):
    values = np.random.default_rng(size).normal(0, 0.05, size).astype(np.float32)
    values[0] = 0.0
    codes, scales = live.int8_blocks(values)
    assert codes.shape == (size,) and scales.size == -(-size // live.INT8_BLOCK)
    assert np.abs(codes.astype(int)).max() <= 127
    restored = live.encode("fc1.weight", values).decoded
    for k in range(size):
        step = float(scales[k // live.INT8_BLOCK])
        assert abs(restored[k] - values[k]) <= step / 2 + 1e-7


def test_an_all_zero_block_decodes_to_zeros():
    codes, scales = live.int8_blocks(np.zeros(40, np.float32))
    assert not codes.any() and not scales.astype(np.float32).any()


@pytest.mark.slow  # trains the tiny preset and replays it: about 45 s together
def test_the_replay_passes_through_the_recorded_weights(tiny_run):
    data, trace, final = tiny_run
    steps = live.shipped_steps(trace.steps)
    replayed = live.replay_weights(TINY, data, steps)
    for step in steps:
        live.check_replay(TINY, trace, step, replayed[step])  # raises if it drifted
    for name, value in final.items():  # the end of the replay is the trained network itself
        assert np.array_equal(replayed[steps[-1]][name], value), name


@pytest.mark.slow  # trains the tiny preset and replays it: about 45 s together
def test_weights_that_are_not_the_traced_ones_stop_the_build(tiny_run):
    _, trace, final = tiny_run
    wrong = {**final, "logits.bias": final["logits.bias"] + 0.01}
    with pytest.raises(RuntimeError, match="differs from the trace"):
        live.check_replay(TINY, trace, int(trace.steps[-1]), wrong)


def test_border_squares_lie_half_in_each_of_two_cells():
    positions = live.square_positions(TINY)
    assert positions["border"] and positions["inside"]
    band = np.searchsorted(cell_edges(TINY.data), np.arange(TINY.data.image_size), side="right") - 1
    cell = band[:, None] * TINY.data.grid + band[None, :]  # each pixel's cell
    for where, cells in (("border", 2), ("inside", 1)):
        for top, left in positions[where]:
            square = draw_squares(TINY.data, np.array([[top, left]]))[0] > 0.2
            counts = np.bincount(cell[square])
            counts = counts[counts > 0]
            assert len(counts) == cells == len(live.cells_touched(TINY, top, left))
            assert counts.min() == counts.max()  # half the square on each side


@pytest.mark.parametrize(("k", "n"), [(0, 10), (10, 10), (50, 100), (991, 1000)])
def test_the_interval_holds_the_rate_and_stays_within_0_and_1(k, n):
    low, high = live.accuracy(k, n)["interval"]
    assert 0.0 <= low <= k / n <= high <= 1.0
    assert high - low < 1.0


def test_a_known_wilson_interval():
    # 0 of 10: the 95% Wilson upper bound is z^2 / (n + z^2) = 0.2775
    assert live.accuracy(0, 10)["interval"][1] == pytest.approx(1.959964**2 / (10 + 1.959964**2))


def test_the_pipeline_names_the_manifest_the_live_stage_writes():
    assert stages.LIVE_MANIFEST == live.MANIFEST


def test_noise_levels_cover_the_page_slider_and_the_training_noise():
    assert live.NOISE_LEVELS[0] == 0.0 and live.NOISE_LEVELS[-1] == 1.0
    assert build_config().data.noise in live.NOISE_LEVELS


@pytest.mark.slow  # trains the tiny preset and replays it: about 45 s together
def test_the_export_states_what_the_shipped_weights_do(tiny_run):
    data, trace, final = tiny_run
    exported = live.export(TINY, data, trace, final)
    facts = exported.facts
    assert facts["steps"] == live.shipped_steps(trace.steps)
    for step in facts["steps"]:
        assert len(exported.files[live.step_file(step)]) == facts["weight_bytes"][str(step)]
    scores = facts["compression"]["accuracy"]
    assert abs(scores["shipped"]["value"] - scores["float32"]["value"]) <= 0.01
    # The probe through the shipped weights stays close to the trace: the page is held to
    # 0.02 on the logits (the build stops past it), and these are the weights it runs.
    assert facts["probe_differences"]["logits"] <= live.LOGIT_TOLERANCE
    assert facts["probe_differences"]["probs"] < 0.005
    assert TINY.data.noise in [level["noise"] for level in facts["noise"]]
    by_noise = [level["value"] for level in facts["noise"]]
    assert by_noise[0] >= by_noise[-1]  # more noise never helps on average
