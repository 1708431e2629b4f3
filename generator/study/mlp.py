"""The baseline for "why convolution helps": an MLP about as large as TinyCNN.

One hidden layer between the flattened image and the classes, as wide as it
must be for its parameter count to come closest to TinyCNN's. It is trained
like TinyCNN (same optimiser, seeds, batch order and number of steps; see
study/runs.py) and evaluated at the same steps on the same test images, so
the only difference left is the architecture.
"""

from __future__ import annotations

import torch
from torch import nn

from generator.config import Config, DataConfig
from generator.model import parameter_counts, shapes_only


class MLP(nn.Module):
    def __init__(self, hidden: int, data: DataConfig) -> None:
        super().__init__()
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(data.image_size**2, hidden)
        self.relu = nn.ReLU()
        self.logits = nn.Linear(hidden, data.grid**2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (N, 1, S, S), S = image_size
        x = self.relu(self.fc1(self.flatten(x)))  # (N, S*S) -> (N, hidden)
        return self.logits(x)  # (N, grid**2)


def cnn_parameters(cfg: Config) -> int:
    return sum(parameter_counts(shapes_only(cfg.model, cfg.data)).values())


def mlp_parameters(hidden: int, data: DataConfig) -> int:
    inputs, classes = data.image_size**2, data.grid**2
    return hidden * (inputs + 1) + classes * (hidden + 1)


def matching_width(cfg: Config) -> int:
    """The hidden width whose MLP has the parameter count closest to TinyCNN's."""
    inputs, classes = cfg.data.image_size**2, cfg.data.grid**2
    per_unit = inputs + 1 + classes  # each hidden unit adds its weights, bias and outgoing weights
    return max(1, round((cnn_parameters(cfg) - classes) / per_unit))
