"""The recorder: what the network does to one probe image, over training.

At each snapshot step it stores the Conv1 kernels, the output of every stage
for the probe, and loss and accuracy; between snapshots it does nothing, so
training runs at full speed. Snapshots are dense early, where learning is
fastest, and sparse later.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import torch
from torch import nn

from generator.config import Config
from generator.data import Dataset, Split
from generator.model import STAGES, TinyCNN
from generator.train import as_tensors

EVAL_SIZE = 256  # test images behind the curves; the last snapshot uses every image
SPACING_POWER = 2.0  # snapshot k sits at T * (k / (n - 1)) ** power


def snapshot_steps(total_steps: int, count: int) -> np.ndarray:
    """`count` distinct steps from 0 to total_steps, both included, dense early."""
    ideal = np.round(total_steps * np.linspace(0, 1, count) ** SPACING_POWER).astype(np.int64)
    for k in range(1, count):  # push collisions forward...
        ideal[k] = max(ideal[k], ideal[k - 1] + 1)
    for k in range(count - 1, -1, -1):  # ...without running past the end
        ideal[k] = min(ideal[k], total_steps - (count - 1 - k))
    return ideal


@dataclass(frozen=True)
class Trace:
    """Everything recorded in one run; each per-snapshot array has K rows."""

    steps: np.ndarray  # (K,) int64
    epochs: np.ndarray  # (K,) float64, fractional epoch of each snapshot
    batch_loss: np.ndarray  # (K,) loss of the batch just trained on (NaN at step 0)
    batch_acc: np.ndarray  # (K,) accuracy on that batch (NaN at step 0)
    test_loss: np.ndarray  # (K,) on the first EVAL_SIZE test images, all at the end
    test_acc: np.ndarray  # (K,) likewise
    probe_loss: np.ndarray  # (K,)
    final_train_acc: float  # on every training image, after the last step
    conv1_weight: np.ndarray  # (K, C1, 3, 3)
    stages: dict[str, np.ndarray]  # stage name -> (K, *stage shape) for the probe
    probe_image: np.ndarray  # (S, S) what the model sees
    probe_clean: np.ndarray  # (S, S) the same image without noise
    probe_label: int
    probe_corner: np.ndarray  # (2,) top-left (row, col) of the target square
    test_pred: np.ndarray  # (N_test,) final predictions, for the confusion matrix
    test_labels: np.ndarray  # (N_test,)

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


class Recorder:
    """A training callback that fills a Trace at the snapshot steps."""

    def __init__(self, cfg: Config, data: Dataset) -> None:
        self.cfg = cfg
        self.data = data
        self.steps = snapshot_steps(cfg.total_steps, cfg.record.snapshots)
        self.pending = set(self.steps.tolist())
        self.rows: list[dict[str, np.ndarray | float]] = []
        self.test_pred = np.zeros(0, dtype=np.int64)
        self.final_train_acc = float("nan")
        index = cfg.record.probe_index
        self.probe = torch.from_numpy(data.test.images[index : index + 1]).unsqueeze(1)
        self.probe_label = torch.tensor([int(data.test.labels[index])])

    def __call__(self, step: int, model: TinyCNN, batch_loss: float, batch_acc: float) -> None:
        if step not in self.pending:
            return
        last = step == self.cfg.total_steps
        model.eval()
        outputs = model.stage_outputs(self.probe)
        probe_loss = nn.functional.cross_entropy(outputs["logits"], self.probe_label)
        limit = None if last else EVAL_SIZE
        test_loss, test_acc, test_pred = evaluate(model, self.data.test, limit)
        if last:
            self.test_pred = test_pred
            _, self.final_train_acc, _ = evaluate(model, self.data.train, None)
        model.train()
        self.rows.append({
            "batch_loss": batch_loss,
            "batch_acc": batch_acc,
            "test_loss": test_loss,
            "test_acc": test_acc,
            "probe_loss": probe_loss.item(),
            "conv1_weight": model.conv1.weight.detach()[:, 0].numpy().copy(),
            **{f"stage.{name}": out[0].numpy().copy() for name, out in outputs.items()},
        })  # fmt: skip

    def finish(self) -> Trace:
        if len(self.rows) != len(self.steps):
            raise RuntimeError(f"recorded {len(self.rows)} of {len(self.steps)} snapshots")
        stacked = {key: np.stack([row[key] for row in self.rows]) for key in self.rows[0]}
        index = self.cfg.record.probe_index
        test = self.data.test
        return Trace(
            steps=self.steps,
            epochs=self.steps / self.cfg.steps_per_epoch,
            batch_loss=stacked["batch_loss"],
            batch_acc=stacked["batch_acc"],
            test_loss=stacked["test_loss"],
            test_acc=stacked["test_acc"],
            probe_loss=stacked["probe_loss"],
            final_train_acc=self.final_train_acc,
            conv1_weight=stacked["conv1_weight"],
            stages={name: stacked[f"stage.{name}"] for name in STAGES},
            probe_image=test.images[index],
            probe_clean=test.clean[index],
            probe_label=int(test.labels[index]),
            probe_corner=test.corners[index],
            test_pred=self.test_pred,
            test_labels=test.labels,
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
