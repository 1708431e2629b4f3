"""Writing animations: a looping GIF of delta frames, and a PNG poster of the last frame.

Every frame shares one global palette. After the first frame, pixels that did
not change are written as the transparent index, so each frame stores only
what moved; Pillow also crops each frame to the box around the changes.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from generator.figures.animations import Animation
from generator.figures.palette import TRANSPARENT
from generator.files import write_bytes

FRAME_MS = 100
LAST_FRAME_MS = 2500  # the final state deserves a look before the loop restarts


def gif_bytes(frames: np.ndarray, colours: np.ndarray) -> bytes:
    deltas = frames.copy()
    deltas[1:][frames[1:] == frames[:-1]] = TRANSPARENT
    images = [paletted(frame, colours) for frame in deltas]
    buffer = io.BytesIO()
    images[0].save(
        buffer, format="GIF", save_all=True, append_images=images[1:],
        duration=[FRAME_MS] * (len(images) - 1) + [LAST_FRAME_MS],
        loop=0, disposal=1, transparency=TRANSPARENT, optimize=False,
    )  # fmt: skip
    return buffer.getvalue()


def png_bytes(frame: np.ndarray, colours: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    paletted(frame, colours).save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def paletted(frame: np.ndarray, colours: np.ndarray) -> Image.Image:
    image = Image.fromarray(frame, mode="P")
    image.putpalette(colours.tobytes())
    return image


def save_animation(out: Path, animation: Animation) -> list[str]:
    """Write <stem>.gif and <stem>.poster.png; return their names."""
    gif = out / f"{animation.stem}.gif"
    poster = out / f"{animation.stem}.poster.png"
    write_bytes(gif, gif_bytes(animation.frames, animation.palette))
    write_bytes(poster, png_bytes(animation.frames[-1], animation.palette))
    return [gif.name, poster.name]
