"""The experiments' training runs: one model kind, one dataset, several seeds, one group.

The experiments compare setups (TinyCNN against an MLP, one noise level against
another); a difference between two single runs could be the seed's. So each setup is
trained with the seed study's seeds (`train.seed` and the next ones) as one group
(group.py) and measured like the main run: test loss and accuracy on every test
image at the evaluation steps, training accuracy at the end. The budget is the main
run's: the same epochs, batch size and learning rate, so every setup gets the same
number of steps, stated next to the results.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import torch

from generator.config import Config
from generator.data import Dataset
from generator.model import TinyCNN, parameter_counts
from generator.study.group import (
    GroupCurves,
    GroupedMLP,
    GroupedTinyCNN,
    GroupModel,
    member_models,
    train_group,
)
from generator.study.mlp import MLP, matching_width, mlp_parameters

# Curves of the experiments: fewer evaluation steps than the article's own run, since each
# is a pass of every member over the test images (GroupCurves: all of them at the end).
EVALUATIONS = 20
KINDS = ("cnn", "mlp")


def curve_config(cfg: Config) -> Config:
    evaluations = min(EVALUATIONS, cfg.record.evaluations)
    return dataclasses.replace(cfg, record=dataclasses.replace(cfg.record, evaluations=evaluations))


def train_seeds(
    cfg: Config, data: Dataset, kind: str, progress: Callable[[int], None] | None = None
) -> dict[str, np.ndarray]:
    """Train `kind` ("cnn" or "mlp") once per seed on `data`; curves per seed (G, E).

    Returns GroupCurves' arrays plus "seeds" and "parameters" (of one member);
    `progress` is told each step.
    """
    seeds = cfg.study_seeds
    if kind == "cnn":

        def make() -> torch.nn.Module:
            return TinyCNN(cfg.model, cfg.data)

        members = member_models(make, seeds)
        group = GroupedTinyCNN(members)  # type: ignore[arg-type]
        parameters = sum(parameter_counts(members[0]).values())
    elif kind == "mlp":
        hidden = matching_width(cfg)
        members = member_models(lambda: MLP(hidden, cfg.data), seeds)
        group = GroupedMLP(members)
        parameters = mlp_parameters(hidden, cfg.data)
    else:
        raise ValueError(f"unknown model kind {kind!r}; allowed: {', '.join(KINDS)}")
    curves = GroupCurves(curve_config(cfg), data.train, data.test)

    def on_step(step: int, model: GroupModel) -> None:
        curves(step, model)
        if progress:
            progress(step)

    train_group(cfg, group, seeds, [data.train] * len(seeds), on_step)
    return {
        **curves.to_arrays(),
        "seeds": np.array(seeds),
        "parameters": np.array(parameters),
    }
