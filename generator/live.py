"""The live network of the "Try it" section: TinyCNN's weights at a few training steps.

The page runs the forward pass itself (docs/javascripts/live.js). This module
exports what it needs, and measures the sentences the section says about it:

- the shipped steps: SHIPPED of the recorded snapshots, evenly spaced in snapshot
  index; the snapshots are placed an equal share of the probe's movement apart
  (trace.py), so these are too, dense where the network changes most;
- the full weights at those steps. The trace keeps only Conv1's kernels, so they
  come from a replay of the training run up to the last shipped step before the
  end (the end's weights are weights.npz). Training is deterministic bit for bit;
  the replay is checked against the trace's probe outputs at every shipped step
  and the build stops if it drifted;
- the weights compressed, one file per step: FC1's weight matrix (96% of the
  parameters) as int8 with one float16 scale per block of INT8_BLOCK values, every
  other tensor as float16: 0.15 MB a step, so all SHIPPED steps fit the section's
  1 MB. The page is held to 0.02 on the probe's logits; measured on the default run,
  the int8 blocks move the test set's logits by at most 0.013 at 32 values a block
  (0.021 at one scale per row, and int8 everywhere by 0.05);
- live.json: the steps and their files, the layout of a weights file, the probe
  and a few test images, and the facts behind the section's prose, all measured
  with the shipped weights, never the float32 ones. The build adds the
  article's colour scales (live_colours.py) when it publishes it: they come from
  the figures' code, whose edits must not replay training.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from generator import evidence
from generator.config import Config
from generator.data import BACKGROUND, Dataset, cell_edges, draw_squares, make_split
from generator.files import json_text
from generator.model import TinyCNN
from generator.trace import Trace
from generator.train import as_tensors, configure_torch, train

MANIFEST = "live-manifest.json"  # live.json once the build has added the colour scales
SHIPPED = 6  # weight sets: step 0, four between, the trained network
HALF = np.dtype("<f2")
INT8_TENSORS = ("fc1.weight",)
INT8_BLOCK = 32  # values per scale: in FC1's rows, half of one channel's 8x8 map
LOGIT_TOLERANCE = 0.02  # how far the page's logits may be from the trace on the probe
# The replay must give the trace's probe outputs again; float32 sums in another order
# differ by about 1e-6 of the values here, a drift of training would by far more.
REPLAY_TOLERANCE = 1e-4
NOISE_LEVELS = (0.0, 0.35, 0.7, 1.0)  # the page's noise slider runs from 0 to 1; plus the run's
NOISE_IMAGES = 1000  # fresh images per noise level
NOISE_SEED = 20_241  # their generator's seed: not the data's, so they are new images
TEST_IMAGES = 4  # real test images on the page besides the probe
# What the page's API returns, and the trace stage each one is compared with: the
# article's figures show Conv1 and Conv2 before ReLU, the pools and FC1 after it.
OUTPUTS = {
    "conv1": "conv1",
    "pool1": "pool1",
    "conv2": "conv2",
    "pool2": "pool2",
    "fc1": "relu3",
    "logits": "logits",
    "probs": "probs",
}

Weights = dict[str, np.ndarray]


def shipped_steps(snapshot_steps: np.ndarray, count: int = SHIPPED) -> list[int]:
    """`count` snapshot steps evenly spaced in snapshot index, first and last included."""
    rows = np.unique(np.round(np.linspace(0, len(snapshot_steps) - 1, count)).astype(int))
    return [int(snapshot_steps[row]) for row in rows]


class _Replayed(Exception):
    """Raised by the replay's callback once it has the last step it needs."""


def replay_weights(cfg: Config, data: Dataset, steps: list[int]) -> dict[int, Weights]:
    """The state_dict at each of `steps`, from training again with the same config."""
    wanted, kept = set(steps), {}

    def keep(step: int, net: TinyCNN, loss: float, accuracy: float) -> None:
        if step in wanted:
            kept[step] = {k: v.detach().numpy().copy() for k, v in net.state_dict().items()}
            if len(kept) == len(wanted):
                raise _Replayed

    if steps:
        with contextlib.suppress(_Replayed):
            train(cfg, data.train, keep)
    missing = wanted - set(kept)
    if missing:
        raise RuntimeError(f"the replay never reached steps {sorted(missing)}")
    return kept


def network(cfg: Config, weights: Weights) -> TinyCNN:
    net = TinyCNN(cfg.model, cfg.data)
    net.load_state_dict({k: torch.from_numpy(as_float32(v)) for k, v in weights.items()})
    return net.eval()


def check_replay(cfg: Config, trace: Trace, step: int, weights: Weights) -> None:
    """Stop the build if the replayed weights do not give the trace's probe outputs."""
    row = int(np.searchsorted(trace.steps, step))
    outputs = network(cfg, weights).stage_outputs(probe_tensor(trace))
    for stage, value in outputs.items():
        recorded = trace.stages[stage][row]
        worst = float(np.abs(value[0].numpy() - recorded).max())
        if worst > REPLAY_TOLERANCE * (1 + float(np.abs(recorded).max())):
            raise RuntimeError(
                f"replayed training differs from the trace at step {step}, {stage}: "
                f"{worst:.3g} (training is no longer deterministic?)"
            )


def as_float32(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.float32)


def probe_tensor(trace: Trace) -> torch.Tensor:
    return torch.from_numpy(trace.probe_image)[None, None]


def int8_blocks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A tensor as int8 in row-major order, and one float16 scale per INT8_BLOCK values."""
    flat = np.asarray(values, np.float32).ravel()
    blocks = np.pad(flat, (0, -flat.size % INT8_BLOCK)).reshape(-1, INT8_BLOCK)
    scales = (np.abs(blocks).max(axis=1) / 127).astype(HALF)
    wide = np.repeat(scales.astype(np.float32), INT8_BLOCK)[: flat.size]
    quotient = np.divide(flat, wide, out=np.zeros_like(flat), where=wide > 0)
    return np.clip(np.round(quotient), -127, 127).astype(np.int8), scales


@dataclass(frozen=True)
class Encoded:
    """One tensor as a weights file holds it, and as the page decodes it (float32)."""

    parts: list[bytes]  # float16 values; or int8 codes, then their float16 scales
    decoded: np.ndarray
    encoding: str


def encode(name: str, values: np.ndarray) -> Encoded:
    if name not in INT8_TENSORS:
        half = np.asarray(values).astype(HALF)
        return Encoded([half.tobytes()], half.astype(np.float32), "float16")
    codes, scales = int8_blocks(values)
    # int8 times a float16 scale needs at most 19 significant bits: exact in float32,
    # as in the page's Float32Array
    wide = np.repeat(scales.astype(np.float32), INT8_BLOCK)[: codes.size]
    decoded = (codes.astype(np.float32) * wide).reshape(np.shape(values))
    return Encoded([codes.tobytes(), scales.tobytes()], decoded, "int8")


def encode_all(weights: Weights) -> dict[str, Encoded]:
    """Every tensor of one step, in name order (the order of the file)."""
    return {name: encode(name, weights[name]) for name in sorted(weights)}


def weights_bytes(tensors: dict[str, Encoded]) -> bytes:
    """One step's file: every tensor in name order, each as `layout` describes it."""
    return b"".join(b"".join(tensor.parts) for tensor in tensors.values())


def layout(tensors: dict[str, Encoded]) -> list[dict[str, Any]]:
    """Where each tensor sits in a weights file, in bytes from its start, and its encoding."""
    entries, offset = [], 0
    for name, tensor in tensors.items():
        entry = {"name": name, "shape": list(tensor.decoded.shape), "offset": offset}
        entry["encoding"] = tensor.encoding
        if tensor.encoding == "int8":
            entry |= {"block": INT8_BLOCK, "scales": offset + len(tensor.parts[0])}
        entries.append(entry)
        offset += sum(map(len, tensor.parts))
    return entries


def step_file(step: int) -> str:
    return f"live-step{step:05d}.bin"


# --- images the reader can load ----------------------------------------------------------


def page_images(cfg: Config, data: Dataset, trace: Trace, predictions: np.ndarray) -> list[dict]:
    """The probe, the first test images of other cells, and the first the model gets wrong."""
    probe = cfg.record.probe_index
    chosen, cells = [probe], {int(data.test.labels[probe])}
    for index, label in enumerate(data.test.labels.tolist()):
        if len(chosen) > TEST_IMAGES - 1:
            break
        if label not in cells:
            chosen.append(index)
            cells.add(label)
    wrong = np.flatnonzero(predictions != data.test.labels)
    if wrong.size:
        chosen.append(int(wrong[0]))
    return [
        {
            "index": index,
            "label": int(data.test.labels[index]),
            "probe": index == probe,
            "misclassified": bool(predictions[index] != data.test.labels[index]),
            "pixels": base64.b64encode(data.test.images[index].astype("<f4").tobytes()).decode(),
        }
        for index in chosen
    ]


# --- what the section's prose says, measured ---------------------------------------------


@torch.no_grad()
def predict(net: TinyCNN, images: np.ndarray) -> torch.Tensor:
    """Softmax probabilities for (N, S, S) images."""
    x = torch.from_numpy(np.ascontiguousarray(images, np.float32)).unsqueeze(1)
    return torch.cat([torch.softmax(net(chunk), dim=1) for chunk in x.split(256)])


def accuracy(successes: int, n: int) -> dict[str, Any]:
    p = successes / n
    lo, hi = evidence.binomial_interval(p, n)
    interval = [min(p, lo), max(p, hi)]  # p itself inside, whatever the rounding
    return {"correct": successes, "n": n, "value": p, "interval": interval}


def square_positions(cfg: Config) -> dict[str, list[tuple[int, int]]]:
    """Noise-free test squares: every position inside one cell, and every position
    that straddles a cell border equally (half the square on each side)."""
    d = cfg.data
    edges = cell_edges(d)
    inside = [
        (top, left)
        for r in range(d.grid)
        for c in range(d.grid)
        for top in range(edges[r], edges[r + 1] - d.square + 1)
        for left in range(edges[c], edges[c + 1] - d.square + 1)
    ]
    border = []
    for edge in edges[1:-1]:
        across = int(edge) - d.square // 2  # half the square on each side of the edge
        for r in range(d.grid):
            for along in range(edges[r], edges[r + 1] - d.square + 1):
                border.append((along, across))  # on a vertical border
                border.append((across, along))  # on a horizontal border
    return {"inside": inside, "border": border}


def cells_touched(cfg: Config, top: int, left: int) -> set[int]:
    """The cells a square with this top-left corner covers part of."""
    edges, last = cell_edges(cfg.data), cfg.data.square - 1

    def band(pixel: int) -> int:
        return int(np.searchsorted(edges, pixel, side="right")) - 1

    rows, cols = {band(top), band(top + last)}, {band(left), band(left + last)}
    return {r * cfg.data.grid + c for r in rows for c in cols}


def border_facts(cfg: Config, net: TinyCNN) -> dict[str, Any]:
    """What the model does with a clean square on a cell border, against one inside a cell."""
    positions = square_positions(cfg)
    result: dict[str, Any] = {}
    for where, corners in positions.items():
        probs = predict(net, draw_squares(cfg.data, np.array(corners))).numpy()
        picked = probs.argmax(axis=1)
        touched = [cells_touched(cfg, top, left) for top, left in corners]
        in_touched = sum(int(p) in cells for p, cells in zip(picked, touched, strict=True))
        shared = [probs[k, sorted(cells)].sum() for k, cells in enumerate(touched)]
        result[where] = {
            "squares": len(corners),
            "picks_a_touched_cell": in_touched,
            "picks_another_cell": len(corners) - in_touched,
            "top_probability_median": float(np.median(probs.max(axis=1))),
            "top_probability_min": float(probs.max(axis=1).min()),
            "touched_cells_probability_median": float(np.median(shared)),
        }
    return result


def noise_facts(cfg: Config, net: TinyCNN) -> list[dict[str, Any]]:
    """Accuracy on fresh images at noise levels across the page's slider, and the training's."""
    levels = []
    for level in sorted({*NOISE_LEVELS, cfg.data.noise}):
        rng = np.random.default_rng([NOISE_SEED, round(level * 1000)])
        split = make_split(dataclasses.replace(cfg.data, noise=level), NOISE_IMAGES, rng)
        picked = predict(net, split.images).argmax(dim=1).numpy()
        correct = int((picked == split.labels).sum())
        levels.append({"noise": level, **accuracy(correct, NOISE_IMAGES)})
    return levels


def step_facts(cfg: Config, nets: dict[int, TinyCNN], data: Dataset) -> dict[str, Any]:
    """Per shipped step: how spread out the test predictions are, and the nine clean squares."""
    grid, edges, sq = cfg.data.grid, cell_edges(cfg.data), cfg.data.square
    centres = (edges[:-1] + edges[1:] - sq) // 2
    corners = np.array([(centres[k // grid], centres[k % grid]) for k in range(grid**2)])
    clean = draw_squares(cfg.data, corners)
    per_step = []
    for step, net in nets.items():
        probs = predict(net, data.test.images).numpy()
        nine = predict(net, clean).argmax(dim=1).numpy()
        per_step.append(
            {
                "step": step,
                "top_probability_max": float(probs.max()),
                "top_probability_median": float(np.median(probs.max(axis=1))),
                "distinct_predictions": len(set(probs.argmax(axis=1).tolist())),
                "clean_centres_correct": int((nine == np.arange(grid**2)).sum()),
            }
        )
    all_nine = [s["step"] for s in per_step if s["clean_centres_correct"] == grid**2]
    return {
        "steps": per_step,
        "chance": 1 / grid**2,
        "first_step_all_cells": all_nine[0] if all_nine else None,
        "cells": grid**2,
    }


@torch.no_grad()
def compression_facts(
    cfg: Config, data: Dataset, full: Weights, shipped_net: TinyCNN
) -> dict[str, Any]:
    """The shipped (compressed) model against the float32 one on the whole test set."""
    images, labels = as_tensors(data.test)
    nets = {"float32": network(cfg, full), "shipped": shipped_net}
    # in chunks: a whole test set's Conv1 maps at once would raise the build's peak RSS
    logits = {kind: torch.cat([net(x) for x in images.split(256)]) for kind, net in nets.items()}
    n = len(labels)
    scores = {
        kind: accuracy(int((z.argmax(dim=1) == labels).sum()), n) for kind, z in logits.items()
    }
    gap = (logits["shipped"] - logits["float32"]).abs().max()
    changed = (logits["shipped"].argmax(dim=1) != logits["float32"].argmax(dim=1)).sum()
    return {
        "accuracy": scores,
        "max_logit_difference": float(gap),
        "changed_predictions": int(changed),
    }


def probe_differences(trace: Trace, nets: dict[int, TinyCNN]) -> dict[str, float]:
    """Per output, the largest gap between the shipped model and the trace on the probe."""
    worst = dict.fromkeys(OUTPUTS, 0.0)
    for step, net in nets.items():
        row = int(np.searchsorted(trace.steps, step))
        outputs = net.stage_outputs(probe_tensor(trace))
        for name, stage in OUTPUTS.items():
            gap = float(np.abs(outputs[stage][0].numpy() - trace.stages[stage][row]).max())
            worst[name] = max(worst[name], gap)
    return worst


# --- the export ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    files: dict[str, bytes]  # MANIFEST and one weights file per shipped step
    facts: dict[str, Any]  # what the section's prose states


def export(cfg: Config, data: Dataset, trace: Trace, final: Weights) -> Export:
    """Everything the page's live network loads, and the facts its prose states."""
    configure_torch(cfg.train.threads)  # the measures' bytes depend on the thread count
    steps = shipped_steps(trace.steps)
    weights = replay_weights(cfg, data, steps[:-1])
    weights[steps[-1]] = final
    for step, full in weights.items():
        check_replay(cfg, trace, step, full)
    encoded = {step: encode_all(full) for step, full in weights.items()}  # once per step
    nets = {
        step: network(cfg, {name: tensor.decoded for name, tensor in tensors.items()})
        for step, tensors in encoded.items()
    }
    final_net = nets[steps[-1]]
    test_pred = predict(final_net, data.test.images).argmax(dim=1).numpy()
    files = {step_file(step): weights_bytes(encoded[step]) for step in steps}
    parameters = sum(values.size for values in final.values())
    differences = probe_differences(trace, nets)
    if differences["logits"] > LOGIT_TOLERANCE:
        raise RuntimeError(
            f"the page's compressed weights move the probe's logits by {differences['logits']:.3g}"
            f", more than the {LOGIT_TOLERANCE} the page is held to (live.INT8_BLOCK)"
        )
    facts = {
        "steps": steps,
        "shipped": len(steps),
        "weight_bytes": {str(step): len(files[step_file(step)]) for step in steps},
        # what the page says a step costs a reader: every step's file has the same size
        "weight_megabytes": round(len(files[step_file(steps[-1])]) / 1e6, 2),
        "all_steps_megabytes": round(sum(map(len, files.values())) / 1e6, 2),
        "float32_megabytes": round(4 * parameters / 1e6, 2),
        "int8_share": sum(final[name].size for name in INT8_TENSORS) / parameters,
        "int8_block": INT8_BLOCK,
        "interval_level": 0.95,
        "compression": compression_facts(cfg, data, final, final_net),
        "probe_differences": differences,
        "border": border_facts(cfg, final_net),
        "noise": noise_facts(cfg, final_net),
        "training_noise": cfg.data.noise,
        "by_step": step_facts(cfg, nets, data),
    }
    manifest = {
        "steps": [
            {
                "step": step,
                "epoch": step / cfg.steps_per_epoch,
                "file": step_file(step),
                "bytes": len(files[step_file(step)]),
                "sha256": hashlib.sha256(files[step_file(step)]).hexdigest(),
            }
            for step in steps
        ],
        "total_steps": cfg.total_steps,
        "layout": layout(encoded[steps[-1]]),  # every step's file has this layout
        "image_size": cfg.data.image_size,
        "grid": cfg.data.grid,
        "square": cfg.data.square,
        "background": BACKGROUND,
        "contrast": cfg.data.contrast,
        "noise": cfg.data.noise,
        "images": page_images(cfg, data, trace, test_pred),
        "facts": facts,
    }
    files[MANIFEST] = json_text(manifest).encode()
    return Export(files=files, facts=facts)
