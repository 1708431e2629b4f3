"""Figures: PNG charts and GIF animations drawn from the trace.

Animation frames are built in numpy as uint8 indices into one fixed palette
per animation, so a value has the same colour in every frame; charts use
matplotlib's Agg backend with no timestamp in the files.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

from generator.config import Config
from generator.data import Dataset, cell_edges
from generator.files import write_bytes
from generator.trace import Trace

# Feature-map animations: (file stem, stage, colormap); signed values diverge around 0.
MAP_ANIMATIONS = (
    ("conv1_fmap_evolution", "conv1", "RdBu_r"),
    ("pool1_fmap_evolution", "pool1", "magma"),
    ("conv2_fmap_evolution", "conv2", "RdBu_r"),
    ("pool2_fmap_evolution", "pool2", "magma"),
)
VECTOR_ANIMATIONS = (
    ("fc1_fmap_evolution", "relu3"),
    ("logits_fmap_evolution", "logits"),
    ("probs_fmap_evolution", "probs"),
)
FRAME_MS = 120
LAST_FRAME_MS = 1500


def render_figures(cfg: Config, data: Dataset, trace: Trace, out: Path) -> list[str]:
    """Write every figure into `out`; return the file names."""
    written = [
        save_chart(out / "contact_sheet.png", contact_sheet(cfg, data, noisy=False)),
        save_chart(out / "noisy_dataset_preview.png", contact_sheet(cfg, data, noisy=True)),
        save_chart(out / "training_curves.png", training_curves(trace)),
        save_gif(out / "conv1_filters_evolution.gif", *kernel_frames(trace)),
    ]
    for stem, stage, cmap in MAP_ANIMATIONS:
        frames = map_frames(trace.stages[stage], symmetric=cmap == "RdBu_r")
        written.append(save_gif(out / f"{stem}.gif", frames, palette(cmap)))
    for stem, stage in VECTOR_ANIMATIONS:
        written.append(
            save_gif(out / f"{stem}.gif", bar_frames(trace.stages[stage]), palette("viridis"))
        )
    return written


def palette(cmap: str) -> np.ndarray:
    """(256, 3) uint8 colours of a matplotlib colormap."""
    colours = matplotlib.colormaps[cmap](np.linspace(0, 1, 256))[:, :3]
    return np.round(colours * 255).astype(np.uint8)


def to_indices(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Map values linearly onto palette indices 0..255 with one scale for all frames."""
    scaled = (values - low) / (high - low if high > low else 1.0)
    return np.clip(np.round(scaled * 255), 0, 255).astype(np.uint8)


def tile(maps: np.ndarray, columns: int, scale: int, gap: int = 1) -> np.ndarray:
    """(C, H, W) maps upscaled by an integer factor and laid out in a grid."""
    count, height, width = maps.shape
    rows = -(-count // columns)
    big = maps.repeat(scale, axis=1).repeat(scale, axis=2)
    cell_h, cell_w = height * scale + gap, width * scale + gap
    canvas = np.zeros((rows * cell_h + gap, columns * cell_w + gap), dtype=maps.dtype)
    for k in range(count):
        r, c = divmod(k, columns)
        canvas[gap + r * cell_h : (r + 1) * cell_h, gap + c * cell_w : (c + 1) * cell_w] = big[k]
    return canvas


def map_frames(maps: np.ndarray, symmetric: bool) -> np.ndarray:
    """(K, C, H, W) feature maps as (K, H', W') palette indices on one shared scale."""
    high = float(np.abs(maps).max()) or 1.0
    low = -high if symmetric else 0.0
    scale = max(1, 128 // maps.shape[-1])
    columns = 8 if maps.shape[1] >= 8 else maps.shape[1]
    return np.stack([tile(to_indices(frame, low, high), columns, scale) for frame in maps])


def kernel_frames(trace: Trace) -> tuple[np.ndarray, np.ndarray]:
    weights = trace.conv1_weight
    high = float(np.abs(weights).max())
    frames = np.stack([tile(to_indices(w, -high, high), 8, 16, gap=2) for w in weights])
    return frames, palette("RdBu_r")


def bar_frames(vectors: np.ndarray, height: int = 120, bar: int = 8) -> np.ndarray:
    """(K, D) vectors as bar charts with one fixed vertical axis."""
    high = float(np.abs(vectors).max()) or 1.0
    signed = bool((vectors < 0).any())
    zero = height // 2 if signed else height - 1
    rows = np.arange(height)[:, None]
    frames = []
    for vector in vectors:
        tops = zero - np.round(vector / high * (zero if signed else height - 1)).astype(int)
        lo, hi = np.minimum(tops, zero), np.maximum(tops, zero)
        filled = (rows >= lo.repeat(bar)[None]) & (rows <= hi.repeat(bar)[None])
        frames.append(np.where(filled, 200, 0).astype(np.uint8))
    return np.stack(frames)


def save_gif(path: Path, frames: np.ndarray, colours: np.ndarray) -> str:
    images = [Image.fromarray(frame, mode="P") for frame in frames]
    for image in images:
        image.putpalette(colours.tobytes())
    durations = [FRAME_MS] * (len(images) - 1) + [LAST_FRAME_MS]
    buffer = io.BytesIO()
    images[0].save(
        buffer, format="GIF", save_all=True, append_images=images[1:],
        duration=durations, loop=0, optimize=False, disposal=1,
    )  # fmt: skip
    write_bytes(path, buffer.getvalue())
    return path.name


def save_chart(path: Path, figure: plt.Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(figure)
    write_bytes(path, buffer.getvalue())
    return path.name


def contact_sheet(cfg: Config, data: Dataset, noisy: bool, count: int = 18) -> plt.Figure:
    """Samples with the grid drawn over them (an overlay, never part of the data)."""
    plt.rcdefaults()
    split = data.test
    figure, axes = plt.subplots(3, count // 3, figsize=(count // 3 * 1.6, 3 * 1.8))
    edges = cell_edges(cfg.data) - 0.5
    for k, ax in enumerate(axes.flat):
        image = split.images[k] if noisy else split.clean[k]
        ax.imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        for edge in edges[1:-1]:
            ax.axhline(edge, color="red", linestyle=":", linewidth=1)
            ax.axvline(edge, color="red", linestyle=":", linewidth=1)
        ax.set_title(f"label {split.labels[k]}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    figure.tight_layout()
    return figure


def training_curves(trace: Trace) -> plt.Figure:
    plt.rcdefaults()
    figure, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(10, 3.6))
    loss_ax.plot(trace.steps, trace.test_loss, label="test loss")
    loss_ax.plot(trace.steps[1:], trace.batch_loss[1:], label="batch loss", alpha=0.6)
    loss_ax.set_yscale("log")
    loss_ax.set_xlabel("step")
    loss_ax.legend()
    acc_ax.plot(trace.steps, trace.test_acc, label="test accuracy")
    acc_ax.plot(trace.steps[1:], trace.batch_acc[1:], label="batch accuracy", alpha=0.6)
    acc_ax.set_xlabel("step")
    acc_ax.set_ylim(0, 1.02)
    acc_ax.legend()
    figure.tight_layout()
    return figure
