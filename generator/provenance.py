"""Where the published page came from: commit, config, seeds, libraries, CPU, date.

Published as assets/generated/provenance.json and shown in every page's footer.
The date is SOURCE_DATE_EPOCH (the Makefile and CI set it from the last commit),
never the clock, so the same inputs still give the same bytes.
"""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from generator.config import Config


def training_machine() -> dict[str, str]:
    """What the numbers depend on beyond the config; recorded by the train stage.

    Recorded at training time because a cached run may be published from
    another machine: the page must name the one that trained.
    """
    import numpy as np
    import torch

    return {
        "torch": torch.__version__,
        "numpy": np.__version__,
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
    }


def git(root: Path, *args: str) -> str | None:
    """A git command's output in the project, or None outside a checkout."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30
        )
    except OSError:  # no git on this machine
        return None
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else None


def build_date() -> str | None:
    """SOURCE_DATE_EPOCH as a UTC date; None when unset (the clock is never read)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return None
    if not epoch.isdigit():
        raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}")
    return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%d")


def describe(cfg: Config, root: Path, machine: dict[str, str]) -> dict[str, object]:
    return {
        **machine,
        "commit": git(root, "describe", "--always", "--dirty", "--abbrev=12"),
        "config_hash": cfg.hash,
        "data_seed": cfg.data.seed,
        "train_seed": cfg.train.seed,
        "threads": cfg.train.threads,
        "build_date": build_date(),
    }
