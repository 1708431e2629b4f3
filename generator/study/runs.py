"""The experiments' training runs: one model kind, one dataset, several seeds, one group.

The experiments compare setups (TinyCNN against an MLP, one noise level against
another); a difference between two single runs could be the seed's. So each setup is
trained with the seed study's seeds (`train.seed` and the next ones) as one group
(group.py) and measured like the main run: test loss and accuracy on every test
image at the evaluation steps, training accuracy at the end. The budget is the main
run's: the same epochs, batch size and learning rate, so every setup gets the same
number of steps, stated next to the results.

Besides TinyCNN and the MLP, the variants of TinyCNN with one thing changed (VARIANTS):
another downsampling after each convolution (a 2x2 average, or a stride-2 convolution),
or Softmax inside the model while the loss is still the cross-entropy, which applies
log-softmax itself. TinyCNN and its Softmax variant are also measured at a few
CHECKPOINTS (shares of the budget): test accuracy on every test image and the gradient
of its own loss at the logits, the size of the push each image gives the network.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

from generator.config import Config
from generator.data import Dataset, Split
from generator.model import TinyCNN, parameter_counts
from generator.study.group import (
    GroupCurves,
    GroupedMLP,
    GroupedTinyCNN,
    GroupLoss,
    GroupModel,
    Pool,
    cross_entropy,
    group_logits,
    max_pool,
    member_models,
    train_group,
)
from generator.study.mlp import MLP, matching_width, mlp_parameters

# Curves of the experiments: fewer evaluation steps than the article's own run, since each
# is a pass of every member over the test images (GroupCurves: all of them at the end).
EVALUATIONS = 20
# Shares of the budget at which a run is also measured: the start, early and mid learning
# (steps 47 and 94 of the default 282), the end. Only the kinds the Softmax comparison
# reads: each checkpoint is a pass of every member over every test image (1.8 s of CPU).
CHECKPOINTS = (0.0, 1 / 6, 1 / 3, 1.0)
CHECKPOINTED = ("cnn", "softmax")


def average_pool(x: torch.Tensor) -> torch.Tensor:
    return F.avg_pool2d(x, 2)


def stride_2(x: torch.Tensor) -> torch.Tensor:
    """Every other position of each map. After a stride-1 convolution and ReLU this is
    exactly a stride-2 convolution (padding 1) and ReLU: the same outputs, weights and
    gradients. The convolution is computed at every position and three in four are
    dropped, which is wasteful, but the variant stays a pool function of the grouped
    model and needs no trainer of its own."""
    return x[..., ::2, ::2]


def softmax_inside(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """The pitfall: the model ends in Softmax and its output goes to the cross-entropy,
    which applies log-softmax again. `logits` stay FC2's outputs, as in the article."""
    return cross_entropy(torch.softmax(logits, dim=2), labels)


# TinyCNN as the article trains it, and its variants: (downsampling, loss)
VARIANTS: dict[str, tuple[Pool, GroupLoss]] = {
    "cnn": (max_pool, cross_entropy),
    "avgpool": (average_pool, cross_entropy),
    "stride2": (stride_2, cross_entropy),
    "softmax": (max_pool, softmax_inside),
}
KINDS = (*VARIANTS, "mlp")


def curve_config(cfg: Config) -> Config:
    evaluations = min(EVALUATIONS, cfg.record.evaluations)
    return dataclasses.replace(cfg, record=dataclasses.replace(cfg.record, evaluations=evaluations))


def train_seeds(
    cfg: Config, data: Dataset, kind: str, progress: Callable[[int], None] | None = None
) -> dict[str, np.ndarray]:
    """Train `kind` (a VARIANTS name or "mlp") once per seed on `data`; curves per seed (G, E).

    Returns GroupCurves' arrays, Checkpoints' for the CHECKPOINTED kinds, "seeds" and
    "parameters" (of one member); `progress` is told each step.
    """
    seeds = cfg.study_seeds
    loss = cross_entropy
    if kind in VARIANTS:
        pool, loss = VARIANTS[kind]
        members = member_models(lambda: TinyCNN(cfg.model, cfg.data), seeds)
        group: GroupModel = GroupedTinyCNN(members, pool)  # type: ignore[arg-type]
        parameters = sum(parameter_counts(members[0]).values())
    elif kind == "mlp":
        hidden = matching_width(cfg)
        members = member_models(lambda: MLP(hidden, cfg.data), seeds)
        group = GroupedMLP(members)
        parameters = mlp_parameters(hidden, cfg.data)
    else:
        raise ValueError(f"unknown model kind {kind!r}; allowed: {', '.join(KINDS)}")
    curves = GroupCurves(curve_config(cfg), data.train, data.test)
    checkpoints = Checkpoints(cfg, data.test, loss) if kind in CHECKPOINTED else None

    def on_step(step: int, model: GroupModel) -> None:
        curves(step, model)
        if checkpoints:
            checkpoints(step, model)
        if progress:
            progress(step)

    train_group(cfg, group, seeds, [data.train] * len(seeds), on_step, loss)
    return {
        **curves.to_arrays(),
        **(checkpoints.to_arrays() if checkpoints else {}),
        "seeds": np.array(seeds),
        "parameters": np.array(parameters),
    }


def checkpoint_steps(total_steps: int) -> np.ndarray:
    return np.round(np.array(CHECKPOINTS) * total_steps).astype(np.int64)


def logit_push(model: GroupModel, split: Split, loss: GroupLoss) -> tuple[np.ndarray, np.ndarray]:
    """Each member's accuracy on every image of the split (G,), and the mean over the
    images of the norm of the gradient of the image's own loss at its logits (G,)."""
    logits, labels = group_logits(model, split)  # (G, N, classes), (G, N)
    logits.requires_grad_(True)
    with torch.enable_grad():
        (grad,) = torch.autograd.grad(loss(logits, labels).sum(), logits)
    per_image = grad.norm(dim=2) * labels.shape[1]  # the loss is a mean: undo its 1/N
    accuracy = (logits.argmax(dim=2) == labels).double().mean(dim=1)
    return accuracy.numpy(), per_image.double().mean(dim=1).numpy()


class Checkpoints:
    """A train_group callback: logit_push on the test images at the checkpoint steps."""

    def __init__(self, cfg: Config, test: Split, loss: GroupLoss) -> None:
        self.steps = checkpoint_steps(cfg.total_steps)
        self.test, self.loss = test, loss
        self.measured: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def __call__(self, step: int, model: GroupModel) -> None:
        if step in self.steps and step not in self.measured:
            self.measured[step] = logit_push(model, self.test, self.loss)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """checkpoint_steps (K,); checkpoint_acc, logit_grad (G, K)."""
        accuracy, grad = zip(*(self.measured[int(step)] for step in self.steps), strict=True)
        return {
            "checkpoint_steps": self.steps,
            "checkpoint_acc": np.stack(accuracy, axis=1),
            "logit_grad": np.stack(grad, axis=1),
        }
