"""Adam, computed exactly as `torch.optim.Adam` computes it on the CPU, without its import cost.

The first `torch.optim.Adam` a process builds imports torch's compiler (`torch._dynamo`
and `torch._inductor`, through the `_disable_dynamo` wrapper on its methods): about 1.5 s
of CPU at idle, more on a loaded machine, paid by every training process (a build, each
test build).
Training needs none of it. On CPU tensors torch takes its single-tensor path
(`torch.optim.adam._single_tensor_adam`: no foreach or fused kernels on the CPU); this is
that path's arithmetic, operation for operation and with the same Python-float scalars,
for the defaults the project uses (betas 0.9 and 0.999, eps 1e-8, no weight decay, no
amsgrad), so the weights are the same bits (tests/test_adam.py compares them).
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

BETA1, BETA2, EPS = 0.9, 0.999, 1e-8


class Adam:
    def __init__(self, parameters: Iterable[torch.nn.Parameter], lr: float) -> None:
        self.parameters = list(parameters)
        self.lr = lr
        self.steps = 0
        self.averages = [
            torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.parameters
        ]
        self.squares = [
            torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.parameters
        ]

    def zero_grad(self) -> None:
        for parameter in self.parameters:
            parameter.grad = None

    @torch.no_grad()
    def step(self) -> None:
        # torch counts steps in a float32 tensor and reads it back as a Python float: the
        # same whole number as this int up to 2**24 steps.
        self.steps += 1
        step_size = self.lr / (1 - BETA1**self.steps)
        correction2_sqrt = (1 - BETA2**self.steps) ** 0.5
        for parameter, average, square in zip(
            self.parameters, self.averages, self.squares, strict=True
        ):
            grad = parameter.grad
            if grad is None:  # torch would skip it and not count the step for it
                raise ValueError("every parameter of the model must have a gradient at each step")
            average.lerp_(grad, 1 - BETA1)
            square.mul_(BETA2).addcmul_(grad, grad, value=1 - BETA2)
            denominator = (square.sqrt() / correction2_sqrt).add_(EPS)
            parameter.addcdiv_(average, denominator, value=-step_size)
