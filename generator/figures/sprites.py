"""Sprite sheets and the timeline: what the page's training-step slider shows.

With JavaScript, the article shows every animation at the step the reader
picks. Each animation ships as one sprite sheet, X.frames.png: its GIF frames
(the same uint8 palette indices, not rendered again) tiled left to right in
rows of COLUMNS. Frames side by side compress well: the previous frame's
pixel is one frame width back, inside deflate's window, so the static chrome
costs almost nothing. timeline.json carries what the slider prints per
snapshot (step, epoch, the probe's loss and prediction), the play timing of
the GIFs, and each sheet's frame size (read back from the written files).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from generator.figures.animations import Animation
from generator.figures.chrome import DENSITY
from generator.figures.gif import FRAME_CS, LAST_FRAME_CS, paletted
from generator.files import write_bytes
from generator.trace import Trace

COLUMNS = 10  # frames per row of a sheet
SUFFIX = ".frames.png"


def sheet(frames: np.ndarray) -> np.ndarray:
    """(K, H, W) frames tiled row by row, COLUMNS wide; cells past the end repeat the last
    frame, which compresses to almost nothing."""
    count, height, width = frames.shape
    columns = min(COLUMNS, count)
    rows = -(-count // columns)
    padding = np.repeat(frames[-1:], rows * columns - count, axis=0)
    cells = np.concatenate([frames, padding]).reshape(rows, columns, height, width)
    return cells.transpose(0, 2, 1, 3).reshape(rows * height, columns * width)


def frame_of(tiled: np.ndarray, k: int, height: int, width: int) -> np.ndarray:
    """Frame k cut back out of a sheet: what the page shows at snapshot k."""
    row, column = divmod(k, min(COLUMNS, tiled.shape[1] // width))
    return tiled[row * height : (row + 1) * height, column * width : (column + 1) * width]


def save_sprite(out: Path, animation: Animation) -> list[str]:
    """Write <stem>.frames.png, a palette PNG without metadata; return its name."""
    path = out / f"{animation.stem}{SUFFIX}"
    buffer = io.BytesIO()
    # The sheet is read once per reader, written once per build: compress it hard.
    image = paletted(sheet(animation.frames), animation.palette)
    image.save(buffer, format="PNG", optimize=False, compress_level=9)
    write_bytes(path, buffer.getvalue())
    return [path.name]


def timeline(trace: Trace, out: Path) -> dict[str, Any]:
    """What the slider shows at each snapshot, and the frame size of every sheet in `out`."""
    probs = trace.stages["probs"]
    snapshots = [
        {
            "step": int(step),
            "epoch": round(float(epoch), 4),
            "probe_loss": round(float(loss), 6),
            "prediction": int(p.argmax()),
            "probability": round(float(p.max()), 6),
        }
        for step, epoch, loss, p in zip(
            trace.steps, trace.epochs, trace.probe_loss, probs, strict=True
        )
    ]
    return {
        "total_steps": int(trace.steps[-1]),
        "probe_label": trace.probe_label,
        "frame_ms": FRAME_CS * 10,
        "last_frame_ms": LAST_FRAME_CS * 10,
        "columns": min(COLUMNS, len(snapshots)),
        "density": DENSITY,  # sheet px per CSS px
        "snapshots": snapshots,
        "sheets": {
            path.name.removesuffix(SUFFIX): frame_size(path, len(snapshots))
            for path in sorted(out.glob(f"*{SUFFIX}"))
        },
    }


def frame_size(path: Path, count: int) -> dict[str, int]:
    columns = min(COLUMNS, count)
    with Image.open(path) as image:
        width, height = image.size
    return {"width": width // columns, "height": height // -(-count // columns)}
