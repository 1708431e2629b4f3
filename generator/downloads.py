"""The "Reproduce this article" downloads: which published files, their sizes and SHA-256.

The listing is computed from the very bytes being published, so it cannot
drift from the files a reader downloads.
"""

from __future__ import annotations

import hashlib
from typing import Any

DESCRIPTIONS = {
    "config.json": "the config of this build; python -m generator --config config.json rebuilds it",
    "facts.json": "every number the article states, derived from the run",
    "weights.npz": "TinyCNN's final weights (its PyTorch state_dict, as numpy arrays)",
    "trace.npz": "everything recorded while training: the arrays behind every figure",
    "seeds.json": "the same setup trained with other seeds: per-seed values, mean and spread",
    "experiments.json": "the same-size MLP and the noise levels: curves and results",
}


def description(name: str) -> str | None:
    """What a published file is, if it is a download; each figure's data is one."""
    if name in DESCRIPTIONS:
        return DESCRIPTIONS[name]
    if name == "live.json":
        return "what the page's live network loads besides weights: steps, layout, colours, images"
    if name.startswith("live-step"):
        return f"TinyCNN's weights at step {int(name[9:14])} as float16, for the live network"
    if name.endswith(".npz"):
        return f"the data behind the figure {name.removesuffix('.npz')}"
    return None


def listing(published: dict[str, bytes]) -> dict[str, Any]:
    """downloads.json: name, size in bytes, SHA-256 and description of each download."""
    files = [
        {
            "name": name,
            "bytes": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            "description": described,
        }
        for name, content in sorted(published.items())
        if (described := description(name)) is not None
    ]
    return {"files": files}
