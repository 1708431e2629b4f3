"""Deterministic training of TinyCNN; the loop knows nothing of figures.

Whoever wants to watch training passes a callback, called once before the
first step (step 0) and after every optimiser step with the model and the
loss and accuracy of the batch just trained on. Same config, same thread
count: same weights, bit for bit.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import TypeVar

import torch
from torch import nn

from generator.adam import Adam
from generator.config import Config
from generator.data import Split
from generator.model import TinyCNN

Net = TypeVar("Net", bound=nn.Module)
StepCallback = Callable[[int, TinyCNN, float, float], None]


def configure_torch(threads: int) -> None:
    """Set up this process for training or measuring: deterministic kernels, a fixed
    thread count, and the allocator keeping freed memory for the next step."""
    # Float sums are reordered with the thread count, so the count is part of the config.
    torch.set_num_threads(threads)
    # What torch.use_deterministic_algorithms(True) sets, minus its other half: that also
    # sets the compiler's flag, importing torch._inductor (1.4 s of CPU per process) for
    # compiled code, which the project never runs. tests/test_adam.py checks the flag.
    torch._C._set_deterministic_algorithms(True)
    torch.backends.cudnn.benchmark = False
    keep_freed_memory()


# glibc's mallopt parameters (malloc.h)
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD_MAX = 32 * 2**20  # glibc's ceiling on 64-bit systems


def keep_freed_memory() -> None:
    """Let glibc reuse freed activations instead of handing them back to the kernel.

    By default glibc maps every block over 128 KiB afresh and unmaps it when freed, so each
    training step's activations (4 MiB for TinyCNN's Conv1 output on a batch of 64) are
    page-faulted in again: 3,200 faults and about 8 ms of kernel time in a 24 ms step, 39 ms
    of a grouped step's 120 ms, measured on this project's 2-core machine. Blocks up to
    32 MiB now come from the heap, and its top is trimmed only past 2 GiB. Only speed
    changes, never a value. Elsewhere than glibc (macOS, musl) there is no mallopt, and
    nothing is done.
    """
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is not None:
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX)
        mallopt(M_TRIM_THRESHOLD, 2**31)


def return_freed_memory() -> None:
    """Hand the heap that training freed back to the system.

    glibc keeps freed blocks for reuse (all the more after keep_freed_memory), so without
    this the figures and MkDocs would pile their memory on top of training's high-water
    mark (peak RSS, issue 8).
    """
    malloc_trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if malloc_trim is not None:  # not glibc: nothing to trim
        malloc_trim(0)


def as_tensors(split: Split) -> tuple[torch.Tensor, torch.Tensor]:
    """Images as (N, 1, S, S) float32 and labels as int64, sharing numpy's memory."""
    return torch.from_numpy(split.images).unsqueeze(1), torch.from_numpy(split.labels)


def train(cfg: Config, train_split: Split, on_step: StepCallback) -> TinyCNN:
    # channels_last lets oneDNN convolve and max-pool without reordering memory: about a
    # quarter less CPU per step on this model, and still the same bits on every run.
    def make_model() -> TinyCNN:
        return TinyCNN(cfg.model, cfg.data).to(memory_format=torch.channels_last)

    return train_model(cfg, make_model, train_split, on_step)


def train_model(
    cfg: Config,
    make_model: Callable[[], Net],
    train_split: Split,
    on_step: Callable[[int, Net, float, float], None],
) -> Net:
    """The same loop for any model (the experiments train an MLP baseline with it)."""
    configure_torch(cfg.train.threads)
    torch.manual_seed(cfg.train.seed)  # the layers draw their initial weights from it
    model = make_model()
    optimizer = Adam(model.parameters(), lr=cfg.train.lr)
    loss_fn = nn.CrossEntropyLoss()  # takes raw logits: log-softmax is fused in
    shuffle = torch.Generator().manual_seed(cfg.train.seed)
    images, labels = as_tensors(train_split)

    step = 0
    on_step(step, model, float("nan"), float("nan"))
    for _ in range(cfg.train.epochs):
        for batch in torch.randperm(len(labels), generator=shuffle).split(cfg.train.batch_size):
            optimizer.zero_grad()
            logits = model(images[batch])
            loss = loss_fn(logits, labels[batch])
            loss.backward()
            optimizer.step()
            step += 1
            accuracy = (logits.argmax(dim=1) == labels[batch]).double().mean()
            on_step(step, model, loss.item(), accuracy.item())
    return model
