"""Drawing on a palette-index canvas: text, boxes, tiles, colour bars, progress bars.

A canvas is a 2-D uint8 array of palette indices on a white background.
Text is rasterised by Pillow (one small image per string, about 0.1 ms) and its
anti-aliasing mapped onto the grey ramp: in the font matplotlib ships, and its Japanese
runs in Noto Sans CJK JP (generator/fonts.py), on the same line box.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import groupby
from pathlib import Path

import matplotlib
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from generator import fonts
from generator.figures.palette import BLACK, GREYS, LEVELS, PROGRESS, WHITE, Scale

# Every figure is drawn at DENSITY image px per CSS px and shown at half its pixel size
# (the pages give each image its CSS size), so it is sharp on a 2x screen; and no wider than
# COLUMN CSS px, the content column of a 390 px phone, so a phone never scales it down.
DENSITY = 2
COLUMN = 358  # CSS px
MAX_WIDTH = COLUMN * DENSITY  # image px
MIN_TEXT = 10  # CSS px: the smallest text a phone reader is asked to read
MIN_TILE = 24  # CSS px: the smallest side of a map, so its blocks stay visible


def px(css: float) -> int:
    """Image px for a length in CSS px."""
    return round(css * DENSITY)


TEXT = px(11)  # the default text size
SMALL = px(MIN_TEXT)  # channel and unit labels, status lines
LINE = px(15)  # between text lines
TEXT_SHADES = 6  # grey levels of black text's anti-aliasing, white included


@dataclass(frozen=True)
class Box:
    top: int
    left: int
    height: int
    width: int

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def right(self) -> int:
        return self.left + self.width

    def of(self, image: np.ndarray) -> np.ndarray:
        """The view of an image (or the last two axes of a stack) inside the box."""
        return image[..., self.top : self.bottom, self.left : self.right]


def blank(height: int, width: int) -> np.ndarray:
    return np.full((height, width), WHITE, dtype=np.uint8)


LATIN_FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


@cache
def font(size: int, japanese: bool = False) -> ImageFont.FreeTypeFont:
    if japanese:
        return ImageFont.truetype(str(fonts.japanese_file()), size, index=fonts.JAPANESE_INDEX)
    return ImageFont.truetype(str(LATIN_FONT), size)


def text_mask(string: str, size: int) -> np.ndarray:
    """(h, w) coverage 0..255 of a line of text, h = the Latin font's full line height.

    Japanese runs are drawn in Noto Sans CJK JP, everything else in DejaVu Sans (which has
    the subscripts and math signs Noto CJK lacks), all on the Latin font's baseline and
    line box (Noto CJK's own line is a third taller), so a layout made for one script has
    room for the other.
    """
    ascent, descent = font(size).getmetrics()
    pieces = [
        ("".join(chars), font(size, japanese))
        for japanese, chars in groupby(string, fonts.is_japanese)
    ]
    width = max(1, int(np.ceil(sum(face.getlength(text) for text, face in pieces))))
    image = Image.new("L", (width, ascent + descent))
    draw, x = ImageDraw.Draw(image), 0.0
    for text, face in pieces:
        draw.text((x, ascent), text, font=face, fill=255, anchor="ls")
        x += face.getlength(text)
    return np.asarray(image)


def text_width(string: str, size: int = TEXT) -> int:
    return text_mask(string, size).shape[1]


def line_box(size: int) -> int:
    """Height of a line of text (the Latin font's ascent and descent): what text needs."""
    ascent, descent = font(size).getmetrics()
    return ascent + descent


def put_text(
    canvas: np.ndarray,
    top: int,
    x: int,
    string: str,
    size: int = TEXT,
    ink: int | None = None,
    align: str = "left",
) -> int:
    """Draw text on a white area; x is its left, centre or right edge. Returns the width.

    Black ink keeps Pillow's anti-aliasing as greys; coloured ink is drawn solid
    where the glyph covers at least half a pixel.
    """
    mask = text_mask(string, size)
    height, width = mask.shape
    left = {"left": x, "centre": x - width // 2, "right": x - width}[align]
    if top < 0 or left < 0 or top + height > canvas.shape[0] or left + width > canvas.shape[1]:
        # A layout that did not leave room for this text: say which, rather than crop it.
        raise ValueError(f"text {string!r} ({width} px wide) does not fit the canvas at x={left}")
    region = Box(top, left, height, width).of(canvas)
    if ink is None:
        # A few shades of anti-aliasing read as well as 32 and compress better.
        steps = np.round(mask / 255 * (TEXT_SHADES - 1)) * ((GREYS - 1) // (TEXT_SHADES - 1))
        shade = (WHITE - steps).astype(np.uint8)
        np.copyto(region, shade, where=mask > 0)
    else:
        region[mask >= 128] = ink
    return width


def outline(canvas: np.ndarray, box: Box, colour: int, thickness: int = DENSITY) -> None:
    """A rectangle drawn just outside the box."""
    t = thickness
    outer = Box(box.top - t, box.left - t, box.height + 2 * t, box.width + 2 * t)
    region = outer.of(canvas)
    region[:t] = colour
    region[-t:] = colour
    region[:, :t] = colour
    region[:, -t:] = colour


def upscale(image: np.ndarray, factor: int) -> np.ndarray:
    """Integer nearest-neighbour upscaling of the last two axes: no blur, exact blocks."""
    return image.repeat(factor, axis=-2).repeat(factor, axis=-1)


LABEL_ROOM = line_box(SMALL)  # above each tile, for its label
TILE_GAP = px(3)  # between two tiles of a row


def tile_factor(side: int) -> int:
    """The smallest integer upscaling that shows a map of `side` values at MIN_TILE CSS px or
    more: integer, so every value is an exact block."""
    return max(1, -(-px(MIN_TILE) // side))


def fit_columns(count: int, tile_width: int, gap: int, room: int) -> int:
    """The most tiles per row, a power of two (rows that divide the channel counts evenly),
    whose row fits in `room` px."""
    columns = 1
    while columns * 2 <= count and columns * 2 * (tile_width + gap) - gap <= room:
        columns *= 2
    return columns


@dataclass(frozen=True)
class Grid:
    """Tiles of equal size in rows, each with a small label line above it."""

    top: int
    left: int
    count: int
    columns: int
    tile_height: int
    tile_width: int
    gap: int = TILE_GAP

    @property
    def rows(self) -> int:
        return -(-self.count // self.columns)

    @property
    def cell_height(self) -> int:
        return LABEL_ROOM + self.tile_height + self.gap

    def tile(self, k: int) -> Box:
        row, column = divmod(k, self.columns)
        top = self.top + row * self.cell_height + LABEL_ROOM
        left = self.left + column * (self.tile_width + self.gap)
        return Box(top, left, self.tile_height, self.tile_width)

    @property
    def box(self) -> Box:
        width = self.columns * (self.tile_width + self.gap) - self.gap
        return Box(self.top, self.left, self.rows * self.cell_height - self.gap, width)

    def label(self, canvas: np.ndarray, prefix: str = "") -> None:
        for k in range(self.count):
            tile = self.tile(k)
            put_text(canvas, tile.top - LABEL_ROOM, tile.left, f"{prefix}{k}", SMALL)

    def paste(self, frames: np.ndarray, tiles: np.ndarray) -> None:
        """tiles (K, count, h, w) into frames (K, H, W), every frame at once."""
        for k in range(self.count):
            self.tile(k).of(frames)[:] = tiles[:, k]


def format_value(value: float) -> str:
    return f"{value:.3g}".replace("-", "\u2212")


def bar_labels(scale: Scale) -> tuple[str, str]:
    """(top, bottom) value labels of a colour bar; clipped ends say so (a sequential
    scale starts at zero and never clips below)."""
    top = "\u2265 " if scale.clipped else ""
    bottom = "\u2264 " if scale.clipped and scale.low < 0 else ""
    return top + format_value(scale.high), bottom + format_value(scale.low)


BAR_LABEL_GAP = px(2)  # between a colour bar and its value labels


def bar_label_width(scale: Scale) -> int:
    """Width the value labels take right of a colour bar, gap included: it depends on the
    values (-1.23e-05 is twice as wide as 0.5), so layouts ask rather than assume."""
    return BAR_LABEL_GAP + max(text_width(label, SMALL) for label in bar_labels(scale))


def colour_bar(canvas: np.ndarray, box: Box, scale: Scale, label: str) -> None:
    """A vertical bar of every colour level, high at the top, with the real values."""
    rows = np.arange(box.height)
    levels = np.round((1 - rows / (box.height - 1)) * (LEVELS - 1)).astype(np.uint8)
    box.of(canvas)[:] = levels[:, None]
    outline(canvas, box, BLACK)
    x = box.right + BAR_LABEL_GAP
    high, low = bar_labels(scale)
    half = line_box(SMALL) // 2  # labels centred on the bar's ends and middle
    put_text(canvas, box.top - half, x, high, SMALL)
    put_text(canvas, box.bottom - half, x, low, SMALL)
    if scale.low < 0:
        put_text(canvas, box.top + box.height // 2 - half, x, "0", SMALL)
    put_text(canvas, box.bottom + half + px(2), box.left, label, SMALL)  # under the low label


def fill_progress(frames: np.ndarray, box: Box, fractions: np.ndarray) -> None:
    """Fill each frame's progress bar (outlined on the static canvas) to its share."""
    filled = np.round(fractions * box.width).astype(int)
    inside = np.arange(box.width)[None, :] < filled[:, None]  # (K, width)
    box.of(frames)[:] = np.where(inside[:, None, :], PROGRESS, WHITE).astype(np.uint8)
