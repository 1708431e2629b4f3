"""The recorder: what the network does to one probe image, over training.

Two schedules, because the figures and the curves want different things:
- the *evaluation steps* (dense early, sparse later) carry test loss and
  accuracy, measured on held-out images, which is too costly for every step;
- the *snapshots* are the frames of every animation. The probe's outputs are
  kept at every step while training (one image: nearly free), and after the
  last step the snapshots are placed where those outputs move, an equal share
  of the run's total change between consecutive frames. Frames then sit where
  learning happens instead of where the clock says.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from itertools import pairwise

import numpy as np
import torch
from torch import nn

from generator.config import Config
from generator.data import Dataset, Split
from generator.model import STAGES, TinyCNN
from generator.train import as_tensors

EVAL_SIZE = 256  # test images per forward pass when evaluating
SPACING_POWER = 2.0  # evaluation k sits at T * (k / (n - 1)) ** power
# The probe's outputs are kept at no more than this many bytes of candidate steps; past it,
# candidates are spread evenly over the run (long runs, wide layers).
CANDIDATE_BYTES = 256 * 2**20


def distinct_steps(ideal: np.ndarray, total_steps: int) -> np.ndarray:
    """Round ideal positions to distinct steps from 0 to total_steps, keeping their order."""
    steps = np.round(ideal).astype(np.int64)
    count = len(steps)
    for k in range(1, count):  # push collisions forward...
        steps[k] = max(steps[k], steps[k - 1] + 1)
    for k in range(count - 1, -1, -1):  # ...without running past the end
        steps[k] = min(steps[k], total_steps - (count - 1 - k))
    return steps


def evaluation_steps(total_steps: int, count: int) -> np.ndarray:
    """`count` distinct steps from 0 to total_steps, both included, dense early."""
    return distinct_steps(total_steps * np.linspace(0, 1, count) ** SPACING_POWER, total_steps)


def frame_steps(candidates: np.ndarray, movement: np.ndarray, count: int) -> np.ndarray:
    """`count` of the candidate steps, first and last included, an equal share of movement apart.

    movement: (len(candidates) - 1, signals), how far each signal moved between
    consecutive candidates. Each signal is scaled to a total of one, so a layer
    with large values does not decide alone; their mean is the distance walked.
    """
    totals = movement.sum(axis=0)
    moving = totals > 0
    if not moving.any():  # nothing moves: spread the frames evenly
        walked = np.arange(len(candidates), dtype=np.float64)
    else:
        share = (movement[:, moving] / totals[moving]).mean(axis=1)
        walked = np.concatenate([[0.0], np.cumsum(share)])
    targets = np.linspace(0.0, walked[-1], count)
    positions = np.searchsorted(walked, targets, side="left")
    positions[-1] = len(candidates) - 1  # the last frame is the trained network, moving or not
    return candidates[distinct_steps(positions, len(candidates) - 1)]


@dataclass(frozen=True)
class Trace:
    """Everything recorded in one run: K snapshot rows, E evaluation rows."""

    steps: np.ndarray  # (K,) int64, the snapshots: one animation frame each
    epochs: np.ndarray  # (K,) float64, fractional epoch of each snapshot
    probe_loss: np.ndarray  # (K,)
    conv1_weight: np.ndarray  # (K, C1, 3, 3)
    stages: dict[str, np.ndarray]  # stage name -> (K, *stage shape) for the probe
    eval_steps: np.ndarray  # (E,) int64, where the curves are measured
    batch_loss: np.ndarray  # (E,) loss of the batch just trained on (NaN at step 0)
    batch_acc: np.ndarray  # (E,) accuracy on that batch (NaN at step 0)
    test_loss: np.ndarray  # (E,) on every test image
    test_acc: np.ndarray  # (E,) likewise
    final_train_acc: float  # on every training image, after the last step
    probe_image: np.ndarray  # (S, S) what the model sees
    probe_clean: np.ndarray  # (S, S) the same image without noise
    probe_label: int
    probe_corner: np.ndarray  # (2,) top-left (row, col) of the target square
    test_pred: np.ndarray  # (N_test,) final predictions, for the confusion matrix
    test_labels: np.ndarray  # (N_test,)
    # Every recorded step (every step unless CANDIDATE_BYTES says otherwise), not only the
    # snapshots: event steps ("takes the lead at step t") are read from these.
    history_steps: np.ndarray  # (H,) int64
    history_logits: np.ndarray  # (H, classes) the probe's logits
    history_relu3: np.ndarray  # (H, hidden) the probe's FC1 values after ReLU

    def to_arrays(self) -> dict[str, np.ndarray]:
        arrays = {
            f.name: np.asarray(getattr(self, f.name)) for f in fields(self) if f.name != "stages"
        }
        arrays.update({f"stage.{name}": value for name, value in self.stages.items()})
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Trace:
        stages = {name: arrays[f"stage.{name}"] for name in STAGES}
        plain = {f.name: arrays[f.name] for f in fields(cls) if f.name != "stages"}
        plain["probe_label"] = int(plain["probe_label"])
        plain["final_train_acc"] = float(plain["final_train_acc"])
        return cls(stages=stages, **plain)


class Curves:
    """A training callback measuring loss and accuracy at the evaluation steps.

    Every test image at every evaluation, and every training image after the last
    step. Any model: the experiments' MLP is measured the same way.
    """

    def __init__(self, cfg: Config, data: Dataset) -> None:
        self.data = data
        self.steps = evaluation_steps(cfg.total_steps, cfg.record.evaluations)
        self.pending = set(self.steps.tolist())
        self.last = cfg.total_steps
        self.rows: list[tuple[float, float, float, float]] = []
        self.final_train_acc = float("nan")
        self.test_pred = np.zeros(0, dtype=np.int64)

    def __call__(self, step: int, model: nn.Module, batch_loss: float, batch_acc: float) -> None:
        if step not in self.pending:
            return
        model.eval()
        last = step == self.last
        # every test image at every evaluation: the curve, its 90% step and the final
        # accuracy are one measurement, not a subset's maximum beside the full set's end
        test_loss, test_acc, test_pred = evaluate(model, self.data.test, None)
        if last:
            self.test_pred = test_pred
            _, self.final_train_acc, _ = evaluate(model, self.data.train, None)
        model.train()
        self.rows.append((batch_loss, batch_acc, test_loss, test_acc))

    def to_arrays(self) -> dict[str, np.ndarray]:
        if len(self.rows) != len(self.steps):
            raise RuntimeError(f"evaluated {len(self.rows)} of {len(self.steps)} steps")
        batch_loss, batch_acc, test_loss, test_acc = np.array(self.rows).T
        return {
            "eval_steps": self.steps,
            "batch_loss": batch_loss,
            "batch_acc": batch_acc,
            "test_loss": test_loss,
            "test_acc": test_acc,
            "final_train_acc": np.array(self.final_train_acc),
        }


class ProbeHistory:
    """A training callback keeping the probe's outputs and the Conv1 kernels at every
    candidate step: every step, unless that would pass CANDIDATE_BYTES. Each value is
    written into one array per key, allocated at step 0 (no per-step objects)."""

    def __init__(self, cfg: Config, data: Dataset) -> None:
        self.cfg = cfg
        index = cfg.record.probe_index
        self.probe = torch.from_numpy(data.test.images[index : index + 1]).unsqueeze(1)
        self.probe_label = torch.tensor([int(data.test.labels[index])])
        self.candidates = np.zeros(0, dtype=np.int64)  # set at step 0, from a row's size
        self.pending: set[int] = {0}
        self.history: dict[str, np.ndarray] = {}
        self.filled = 0

    def __call__(self, step: int, model: TinyCNN, batch_loss: float, batch_acc: float) -> None:
        if step not in self.pending:
            return
        model.eval()
        with torch.no_grad():
            outputs = model.stage_outputs(self.probe)
        model.train()
        row = {
            "probe_loss": nn.functional.cross_entropy(outputs["logits"], self.probe_label).numpy(),
            "conv1_weight": model.conv1.weight.detach()[:, 0].numpy(),
            **{name: out[0].numpy() for name, out in outputs.items()},
        }
        if step == 0:
            self.allocate(row)
        for key, value in row.items():
            self.history[key][self.filled] = value
        self.filled += 1

    def allocate(self, row: dict[str, np.ndarray]) -> None:
        total = self.cfg.total_steps
        row_bytes = sum(value.nbytes for value in row.values())
        affordable = max(CANDIDATE_BYTES // row_bytes, self.cfg.record.snapshots)
        count = min(total + 1, affordable)
        self.candidates = distinct_steps(np.linspace(0, total, count), total)
        self.pending = set(self.candidates.tolist())
        self.history = {k: np.empty((count, *v.shape), v.dtype) for k, v in row.items()}

    def snapshots(self, count: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The snapshot steps, placed by movement, and every key's values at them."""
        if self.filled != len(self.candidates):
            raise RuntimeError(f"recorded {self.filled} of {len(self.candidates)} steps")
        signals = ["conv1_weight", *STAGES]
        movement = np.stack([mean_steps(self.history[key]) for key in signals], axis=1)
        steps = frame_steps(self.candidates, movement, count)
        rows = np.searchsorted(self.candidates, steps)
        return steps, {key: values[rows] for key, values in self.history.items()}


def mean_steps(values: np.ndarray) -> np.ndarray:
    """(n - 1,) mean absolute change between consecutive rows of (n, ...) values."""
    flat = values.reshape(len(values), -1)
    return np.array([np.abs(b - a).mean() for a, b in pairwise(flat)])


class Recorder:
    """The training callback of the main run: the curves and the probe's history."""

    def __init__(self, cfg: Config, data: Dataset) -> None:
        self.cfg = cfg
        self.data = data
        self.curves = Curves(cfg, data)
        self.history = ProbeHistory(cfg, data)

    def __call__(self, step: int, model: TinyCNN, batch_loss: float, batch_acc: float) -> None:
        self.curves(step, model, batch_loss, batch_acc)
        self.history(step, model, batch_loss, batch_acc)

    def finish(self) -> Trace:
        steps, rows = self.history.snapshots(self.cfg.record.snapshots)
        curves = self.curves.to_arrays()
        index = self.cfg.record.probe_index
        test = self.data.test
        return Trace(
            steps=steps,
            epochs=steps / self.cfg.steps_per_epoch,
            probe_loss=rows["probe_loss"],
            conv1_weight=rows["conv1_weight"],
            stages={name: rows[name] for name in STAGES},
            eval_steps=curves["eval_steps"],
            batch_loss=curves["batch_loss"],
            batch_acc=curves["batch_acc"],
            test_loss=curves["test_loss"],
            test_acc=curves["test_acc"],
            final_train_acc=float(curves["final_train_acc"]),
            probe_image=test.images[index],
            probe_clean=test.clean[index],
            probe_label=int(test.labels[index]),
            probe_corner=test.corners[index],
            test_pred=self.curves.test_pred,
            test_labels=test.labels,
            history_steps=self.history.candidates,
            history_logits=self.history.history["logits"],
            history_relu3=self.history.history["relu3"],
        )


@torch.no_grad()
def evaluate(model: nn.Module, split: Split, limit: int | None) -> tuple[float, float, np.ndarray]:
    """Mean loss, accuracy and predictions over the first `limit` images (all if None)."""
    images, labels = as_tensors(split)
    images, labels = images[:limit], labels[:limit]
    logits = torch.cat([model(chunk) for chunk in images.split(EVAL_SIZE)])
    loss = nn.functional.cross_entropy(logits, labels).item()
    pred = logits.argmax(dim=1)
    return loss, (pred == labels).double().mean().item(), pred.numpy()
