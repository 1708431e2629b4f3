"""Train a group of same-architecture models (one per seed) as one stacked model.

The study trains many small models: TinyCNN and the same-size MLP over several seeds,
TinyCNN at several noise levels over several seeds. One at a time, each pays for its
own small convolutions; stacked, the group's convolutions run as one grouped
convolution (`groups=G`) and its linear layers as one batched matmul, about 2.5 to 4
times less CPU per model on this machine.

What a member is, and what it equals:
- member g is built exactly as `train.train_model` builds its model for
  `train.seed = seeds[g]` (`torch.manual_seed(seed)` then the factory), so its initial
  weights are the same bits;
- it sees the same batches in the same order (`torch.randperm` from a generator seeded
  with its seed, `cfg.train.batch_size` at a time), from its own training split;
- the loss is the sum of the members' mean cross-entropies, so each member's gradient is
  its own loss's gradient, and Adam is elementwise, so the stacked optimiser is G
  independent Adams with `cfg.train.lr`.
A member is therefore the same computation as `train_model`, **equal within float
tolerance, not bit for bit**: a grouped convolution and a batched matmul sum in another
order than the single-model kernels. tests/test_group.py measures the difference after
each of the first steps (<= 1e-5) and says why it is not zero. Over hundreds of Adam
steps such rounding differences grow, as any change of summation order would (another
thread count does the same), so a member's final accuracy is a sample from the same
training distribution as the loop's, not a copy of its number.

A group's own results are bit-identical run to run (deterministic algorithms, fixed
thread count, no data-dependent reduction order).

To train another architecture as a group, write its stacked form: a module whose
`forward` maps (G, B, S, S) images to (G, B, classes) logits and that can be built from
G member modules (`from_members`) and give each member's state_dict back
(`member_state`). `GroupedTinyCNN` takes the pooling function as a parameter, and
`train_group` takes the loss, so variants of either need no new trainer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from generator.adam import Adam
from generator.config import Config
from generator.data import Split
from generator.model import TinyCNN
from generator.trace import EVAL_SIZE, evaluation_steps
from generator.train import configure_torch

Pool = Callable[[torch.Tensor], torch.Tensor]
# (G, B, classes) logits, (G, B) labels -> (G,) one mean loss per member
GroupLoss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
# Images per member per forward pass when evaluating: a group of five's Conv1 output then
# stays under the 32 MiB that the allocator reuses (train.keep_freed_memory); 256 images
# were mapped afresh each time, 8 s of kernel time per group.
EVAL_CHUNK = 64


class GroupModel(Protocol):
    members: int

    def __call__(self, images: torch.Tensor) -> torch.Tensor: ...  # (G,B,S,S) -> (G,B,C)

    def parameters(self) -> object: ...

    def member_state(self, g: int) -> dict[str, torch.Tensor]: ...


def max_pool(x: torch.Tensor) -> torch.Tensor:
    return F.max_pool2d(x, 2)


def member_models(make_model: Callable[[], nn.Module], seeds: Sequence[int]) -> list[nn.Module]:
    """One model per seed, initialised as train_model initialises it for that seed."""
    models = []
    for seed in seeds:
        torch.manual_seed(seed)
        models.append(make_model())
    return models


def stacked(tensors: Sequence[torch.Tensor]) -> nn.Parameter:
    return nn.Parameter(torch.stack([t.detach() for t in tensors]).clone())


def grouped_linear(x: torch.Tensor, weight: nn.Parameter, bias: nn.Parameter) -> torch.Tensor:
    """(G, B, I) @ each member's (O, I) weight, plus its bias: (G, B, O)."""
    return torch.baddbmm(bias.unsqueeze(1), x, weight.transpose(1, 2))


class GroupedTinyCNN(nn.Module):
    """G TinyCNNs as one module: conv weights (G*C, ...) with groups=G, FC weights (G, O, I)."""

    def __init__(self, members: Sequence[TinyCNN], pool: Pool = max_pool) -> None:
        super().__init__()
        self.members = len(members)
        self.pool = pool
        for name in ("conv1", "conv2"):
            layers = [getattr(m, name) for m in members]
            self.register_parameter(f"{name}_weight", stacked([c.weight for c in layers]))
            self.register_parameter(f"{name}_bias", stacked([c.bias for c in layers]))
        for name in ("fc1", "logits"):
            layers = [getattr(m, name) for m in members]
            self.register_parameter(f"{name}_weight", stacked([fc.weight for fc in layers]))
            self.register_parameter(f"{name}_bias", stacked([fc.bias for fc in layers]))

    def conv(self, x: torch.Tensor, name: str) -> torch.Tensor:
        weight = getattr(self, f"{name}_weight")  # (G, C_out, C_in, 3, 3)
        bias = getattr(self, f"{name}_bias")  # (G, C_out)
        return F.conv2d(x, weight.flatten(0, 1), bias.flatten(), padding=1, groups=self.members)

    def forward(self, images: torch.Tensor) -> torch.Tensor:  # (G, B, S, S)
        g, b = images.shape[:2]
        # channels_last: oneDNN's grouped convolution is several times faster in it
        x = images.transpose(0, 1).contiguous(memory_format=torch.channels_last)  # (B, G, S, S)
        x = self.pool(F.relu(self.conv(x, "conv1")))  # (B, G*C1, S/2, S/2)
        x = self.pool(F.relu(self.conv(x, "conv2")))  # (B, G*C2, S/4, S/4)
        x = x.reshape(b, g, -1).transpose(0, 1)  # (G, B, C2*S/4*S/4), TinyCNN's flatten order
        x = F.relu(grouped_linear(x, self.fc1_weight, self.fc1_bias))  # (G, B, hidden)
        return grouped_linear(x, self.logits_weight, self.logits_bias)  # (G, B, classes)

    def member_state(self, g: int) -> dict[str, torch.Tensor]:
        """Member g's weights under TinyCNN's state_dict names."""
        return {
            f"{layer}.{kind}": getattr(self, f"{layer}_{kind}")[g].detach().clone()
            for layer in ("conv1", "conv2", "fc1", "logits")
            for kind in ("weight", "bias")
        }


class GroupedMLP(nn.Module):
    """G one-hidden-layer MLPs (generator.mlp.MLP) as one module of batched matmuls."""

    def __init__(self, members: Sequence[nn.Module]) -> None:
        super().__init__()
        self.members = len(members)
        for name in ("fc1", "logits"):
            layers = [getattr(m, name) for m in members]
            self.register_parameter(f"{name}_weight", stacked([fc.weight for fc in layers]))
            self.register_parameter(f"{name}_bias", stacked([fc.bias for fc in layers]))

    def forward(self, images: torch.Tensor) -> torch.Tensor:  # (G, B, S, S)
        x = images.flatten(2)  # (G, B, S*S)
        x = F.relu(grouped_linear(x, self.fc1_weight, self.fc1_bias))  # (G, B, hidden)
        return grouped_linear(x, self.logits_weight, self.logits_bias)  # (G, B, classes)

    def member_state(self, g: int) -> dict[str, torch.Tensor]:
        return {
            f"{layer}.{kind}": getattr(self, f"{layer}_{kind}")[g].detach().clone()
            for layer in ("fc1", "logits")
            for kind in ("weight", "bias")
        }


def cross_entropy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Each member's mean cross-entropy over its batch: (G,)."""
    per_image = F.cross_entropy(logits.flatten(0, 1), labels.flatten(), reduction="none")
    return per_image.view(labels.shape).mean(dim=1)


# (step, model): called at step 0 and after every optimiser step, like train_model's callback
GroupCallback = Callable[[int, GroupModel], None]


def train_group(
    cfg: Config,
    model: GroupModel,
    seeds: Sequence[int],
    splits: Sequence[Split],
    on_step: GroupCallback | None = None,
    loss_fn: GroupLoss = cross_entropy,
) -> GroupModel:
    """Train every member for cfg.total_steps steps: member g with seeds[g] on splits[g].

    The splits must have the same number of images (the members step together); the
    same Split object may serve several members (it is not copied). `model` must have
    been built from `member_models(make_model, seeds)`.
    """
    if not len(seeds) == len(splits) == model.members:
        raise ValueError(f"{model.members} members, {len(seeds)} seeds, {len(splits)} splits")
    sizes = {len(split) for split in splits}
    if len(sizes) != 1:
        raise ValueError(f"the members' training splits differ in size: {sorted(sizes)}")
    configure_torch(cfg.train.threads)
    images, labels, member_split = stacked_splits(splits)
    optimizer = Adam(model.parameters(), lr=cfg.train.lr)
    shuffles = [torch.Generator().manual_seed(seed) for seed in seeds]
    rows = member_split[:, None]  # (G, 1): each member indexes its own split
    count = sizes.pop()

    step = 0
    if on_step:
        on_step(step, model)
    for _ in range(cfg.train.epochs):
        orders = torch.stack([torch.randperm(count, generator=g) for g in shuffles])
        for batch in orders.split(cfg.train.batch_size, dim=1):  # (G, B) image indices
            optimizer.zero_grad()
            loss = loss_fn(model(images[rows, batch]), labels[rows, batch]).sum()
            loss.backward()
            optimizer.step()
            step += 1
            if on_step:
                on_step(step, model)
    return model


def stacked_splits(splits: Sequence[Split]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The distinct splits' images (D, N, S, S) and labels (D, N), and each member's row."""
    distinct: list[Split] = []
    rows = []
    for split in splits:
        found = next((k for k, known in enumerate(distinct) if known is split), None)
        if found is None:
            distinct.append(split)
            found = len(distinct) - 1
        rows.append(found)
    images = torch.from_numpy(np.stack([s.images for s in distinct]))
    labels = torch.from_numpy(np.stack([s.labels for s in distinct]))
    return images, labels, torch.tensor(rows)


@torch.no_grad()
def group_logits(
    model: GroupModel, split: Split, limit: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Every member's logits on the same images (G, N, classes), and their labels (G, N)."""
    images = torch.from_numpy(split.images[:limit])
    labels = torch.from_numpy(split.labels[:limit])
    logits = torch.cat(
        [
            model(chunk.unsqueeze(0).expand(model.members, *chunk.shape))
            for chunk in images.split(EVAL_CHUNK)
        ],
        dim=1,
    )
    return logits, labels.expand(model.members, -1)


def evaluate_group(
    model: GroupModel, split: Split, limit: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every member on the same images: mean loss (G,), accuracy (G,), predictions (G, N)."""
    logits, every = group_logits(model, split, limit)
    loss = cross_entropy(logits, every)
    pred = logits.argmax(dim=2)
    accuracy = (pred == every).double().mean(dim=1)
    return loss.double().numpy(), accuracy.numpy(), pred.numpy()


class GroupCurves:
    """A train_group callback: every member's test loss and accuracy at the evaluation steps.

    As trace.Curves measures one model: the first EVAL_SIZE test images at each
    evaluation step, every test and training image after the last step.
    """

    def __init__(self, cfg: Config, train_split: Split, test_split: Split) -> None:
        self.train_split, self.test_split = train_split, test_split
        self.steps = evaluation_steps(cfg.total_steps, cfg.record.evaluations)
        self.pending = set(self.steps.tolist())
        self.last = cfg.total_steps
        self.loss: list[np.ndarray] = []
        self.accuracy: list[np.ndarray] = []
        self.final: dict[str, np.ndarray] = {}

    def __call__(self, step: int, model: GroupModel) -> None:
        if step not in self.pending:
            return
        last = step == self.last
        loss, accuracy, pred = evaluate_group(model, self.test_split, None if last else EVAL_SIZE)
        self.loss.append(loss)
        self.accuracy.append(accuracy)
        if last:
            _, train_accuracy, _ = evaluate_group(model, self.train_split)
            self.final = {"final_train_acc": train_accuracy, "test_pred": pred}

    def to_arrays(self) -> dict[str, np.ndarray]:
        """eval_steps (E,); test_loss, test_acc (G, E); final_train_acc (G,); test_pred (G, N)."""
        if len(self.accuracy) != len(self.steps) or not self.final:
            raise RuntimeError(f"evaluated {len(self.accuracy)} of {len(self.steps)} steps")
        return {
            "eval_steps": self.steps,
            "test_loss": np.stack(self.loss, axis=1),
            "test_acc": np.stack(self.accuracy, axis=1),
            **self.final,
        }
