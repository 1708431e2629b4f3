"""Training without torch's compiler: the project's Adam gives torch.optim.Adam's weights bit
for bit, and torch's deterministic mode is on."""

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from generator.adam import Adam
from generator.config import build_config
from generator.data import make_dataset
from generator.model import TinyCNN
from generator.train import as_tensors, configure_torch


def trained_weights(optimiser: str, steps: int = 12) -> dict[str, torch.Tensor]:
    """TinyCNN as the article trains it (channels_last, its batches), `steps` steps."""
    cfg = build_config(preset="tiny")
    configure_torch(cfg.train.threads)
    torch.manual_seed(cfg.train.seed)
    model = TinyCNN(cfg.model, cfg.data).to(memory_format=torch.channels_last)
    images, labels = as_tensors(make_dataset(cfg.data).train)
    if optimiser == "torch":
        step = torch.optim.Adam(model.parameters(), lr=cfg.train.lr)
    else:
        step = Adam(model.parameters(), lr=cfg.train.lr)
    for batch in torch.arange(steps * 16).split(16):
        step.zero_grad()
        torch.nn.functional.cross_entropy(model(images[batch]), labels[batch]).backward()
        step.step()
    return {name: value.detach().clone() for name, value in model.state_dict().items()}


def test_the_same_bits_as_torch_adam():
    ours, theirs = trained_weights("ours"), trained_weights("torch")
    assert ours.keys() == theirs.keys()
    start = initial_weights()
    moved = [name for name in ours if not torch.equal(ours[name], start[name])]
    assert moved, "training moved no weight: the comparison would be empty"
    for name in ours:
        assert torch.equal(ours[name], theirs[name]), f"{name} differs from torch.optim.Adam"


def initial_weights() -> dict[str, torch.Tensor]:
    cfg = build_config(preset="tiny")
    torch.manual_seed(cfg.train.seed)
    return TinyCNN(cfg.model, cfg.data).state_dict()


def test_a_parameter_without_gradient_is_an_error():
    used, unused = torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(torch.ones(2))
    optimiser = Adam([used, unused], lr=0.1)
    used.sum().backward()
    with pytest.raises(ValueError, match="gradient"):
        optimiser.step()


@pytest.mark.slow  # starts a Python process
def test_training_does_not_import_the_compiler():
    """The point: a training process never loads torch._dynamo or torch._inductor (1.5 s of
    CPU), and still runs in torch's deterministic mode."""
    code = (
        "import sys, torch\n"
        "from tests.test_adam import trained_weights\n"
        "trained_weights('ours', steps=2)\n"
        "assert torch.are_deterministic_algorithms_enabled()\n"
        "compiler = ('torch._dynamo', 'torch._inductor')\n"
        "print(sorted(m for m in sys.modules if m.startswith(compiler)))\n"
    )
    root = Path(__file__).parents[1]
    run = [sys.executable, "-c", code]
    loaded = subprocess.run(run, capture_output=True, text=True, check=True, cwd=root)
    assert loaded.stdout.strip() == "[]"
