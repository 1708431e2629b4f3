"""TinyCNN: two conv blocks and two fully connected layers.

The model returns logits; softmax is applied outside it, because training
uses CrossEntropyLoss, which fuses log-softmax with the loss. Each layer is a
named attribute: the names are the stages the recorder captures.
"""

from __future__ import annotations

import torch
from torch import nn

from generator.config import DataConfig, ModelConfig

# Every stage of the forward pass, in order; "probs" is the softmax applied outside.
STAGES = (
    "conv1", "relu1", "pool1", "conv2", "relu2", "pool2",
    "flatten", "fc1", "relu3", "logits", "probs",
)  # fmt: skip


class TinyCNN(nn.Module):
    def __init__(self, model: ModelConfig, data: DataConfig) -> None:
        super().__init__()
        c1, c2 = model.conv1_channels, model.conv2_channels
        pooled = data.image_size // 4
        self.conv1 = nn.Conv2d(1, c1, kernel_size=3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(c1, c2, kernel_size=3, padding=1)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(c2 * pooled * pooled, model.fc_hidden)
        self.relu3 = nn.ReLU()
        self.logits = nn.Linear(model.fc_hidden, data.grid**2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (N, 1, S, S), S = image_size
        x = self.pool1(self.relu1(self.conv1(x)))  # (N, conv1_channels, S/2, S/2)
        x = self.pool2(self.relu2(self.conv2(x)))  # (N, conv2_channels, S/4, S/4)
        x = self.relu3(self.fc1(self.flatten(x)))  # (N, fc_hidden)
        return self.logits(x)  # (N, grid**2)

    @torch.no_grad()
    def stage_outputs(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """The output of every stage in STAGES for input x, in order."""
        outputs: dict[str, torch.Tensor] = {}
        for name in STAGES[:-1]:
            x = getattr(self, name)(x)
            outputs[name] = x
        outputs["probs"] = torch.softmax(x, dim=1)
        return outputs


def shapes_only(model: ModelConfig, data: DataConfig) -> TinyCNN:
    """TinyCNN on the meta device: its layers and shapes without weights. Building it draws
    no random numbers, so counting parameters needs no seed and disturbs no one's."""
    with torch.device("meta"):
        return TinyCNN(model, data)


def parameter_counts(model: nn.Module) -> dict[str, int]:
    """Trainable parameters per layer that has any, in forward order."""
    counts: dict[str, int] = {}
    for name, param in model.named_parameters():
        layer = name.partition(".")[0]
        counts[layer] = counts.get(layer, 0) + param.numel()
    return counts
