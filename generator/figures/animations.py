"""The animations: one frame per snapshot, built in numpy as palette indices.

Each animation draws its static chrome (title, labels, colour bar, the probe
image) once, copies it into every frame, and then pastes the data and the
per-frame status (step, epoch, a progress bar, the probe's prediction and loss).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from generator.config import Config
from generator.data import cell_edges
from generator.figures.chrome import (
    DENSITY,
    LABEL_ROOM,
    LINE,
    MAX_WIDTH,
    SMALL,
    TEXT,
    TILE_GAP,
    Box,
    Grid,
    bar_label_width,
    blank,
    colour_bar,
    fill_progress,
    fit_columns,
    format_value,
    line_box,
    outline,
    put_text,
    px,
    text_width,
    tile_factor,
    upscale,
)
from generator.figures.palette import (
    BLACK,
    GREY,
    GREYS,
    HIGHLIGHT,
    HIGHLIGHT_TINT,
    LEVELS,
    STANDOUT,
    STANDOUT_TINT,
    Scale,
    build_palette,
    luminance,
)
from generator.figures.words import LANGUAGES, Words
from generator.measure import relative_change
from generator.trace import Trace

# Lengths in image px, written as px(CSS px): see chrome.DENSITY.
MARGIN = px(10)
TITLE = px(12)  # text size of the title
HEADER = px(24)  # the title's line
# The per-frame status sits right under the data, so that each delta frame's bounding
# box (the part a GIF frame stores) spans only what changes, not the title too.
FOOTER = px(8) + px(4) + px(6) + 2 * LINE + px(2)  # gap, progress bar, gap, two status lines
PROBE_FACTOR = 4
VISIBLE = 1.0  # grey levels of 255: the smallest mean change a reader can see
# The facts the figures show (stages.FIGURE_FACTS), handed over by the build: the
# figures never derive facts, so their cache key does not follow the facts' code.
Facts = dict[str, Any]


@dataclass(frozen=True)
class Animation:
    stem: str  # of its image files: the figure's stem and its language's suffix
    frames: np.ndarray  # (K, H, W) uint8 palette indices
    palette: np.ndarray  # (SIZE, 3) uint8, the same for every frame
    data_boxes: tuple[Box, ...]  # where the recorded values are drawn
    arrays: dict[str, np.ndarray]  # the data behind the figure, saved as <data_stem>.npz
    data_stem: str  # the same in every language

    def visible_change(self) -> np.ndarray:
        """(K-1,) mean absolute luminance change between consecutive frames, in grey
        levels of 255, over the data boxes only (static chrome would dilute it)."""
        luma = luminance(self.palette)
        pixels = np.concatenate(
            [luma[box.of(self.frames)].reshape(len(self.frames), -1) for box in self.data_boxes],
            axis=1,
        )
        return np.abs(np.diff(pixels, axis=0)).mean(axis=1)


def changing_windows(change: np.ndarray, window: int = 4, needed: int = 3) -> np.ndarray:
    """For each run of `window` consecutive frame pairs, whether `needed` change visibly."""
    visible = (change >= VISIBLE).astype(int)
    return np.convolve(visible, np.ones(window, dtype=int), mode="valid") >= needed


# --- shared frame parts -------------------------------------------------------------------


Status = list[tuple[str, str]]  # the two status lines of each frame


def start_canvas(panels_bottom: int, width: int, title: str, status: Status) -> np.ndarray:
    """A white canvas with the title above the panels and the status footer below them,
    as wide as the panels, the title and the longest status line need."""
    texts = [(title, TITLE), *((line, SMALL) for lines in status for line in lines)]
    width = max(width, *(MARGIN + text_width(text, size) + MARGIN for text, size in texts))
    canvas = blank(even(panels_bottom + FOOTER), even(width))
    put_text(canvas, px(3), MARGIN, title, TITLE)
    outline(canvas, progress_box(canvas.shape), BLACK)
    return canvas


def progress_box(shape: tuple[int, ...]) -> Box:
    height, width = shape[-2:]
    return Box(height - FOOTER + px(8), MARGIN, px(4), width - 2 * MARGIN)


def frames_from(canvas: np.ndarray, count: int) -> np.ndarray:
    return np.broadcast_to(canvas, (count, *canvas.shape)).copy()


def status_lines(trace: Trace, words: Words, second_lines: list[str]) -> Status:
    """Step and epoch for every frame, then one animation-specific line."""
    total = int(trace.steps[-1])
    return [
        (words.status.format(step=step, total=total, epoch=epoch), line)
        for step, epoch, line in zip(trace.steps, trace.epochs, second_lines, strict=True)
    ]


def add_status(frames: np.ndarray, trace: Trace, status: Status) -> None:
    """The progress bar and the status lines on every frame."""
    progress = progress_box(frames.shape)
    fill_progress(frames, progress, trace.steps / trace.steps[-1])
    top = progress.bottom + px(6)
    for frame, (first, second) in zip(frames, status, strict=True):
        put_text(frame, top, MARGIN, first, SMALL)
        put_text(frame, top + LINE, MARGIN, second, SMALL)


def probe_lines(trace: Trace, words: Words) -> list[str]:
    probs = trace.stages["probs"]
    return [
        words.probe_status.format(label=trace.probe_label, pred=p.argmax(), p=p.max(), loss=loss)
        for p, loss in zip(probs, trace.probe_loss, strict=True)
    ]


def steps_arrays(trace: Trace) -> dict[str, np.ndarray]:
    return {"steps": trace.steps, "epochs": trace.epochs}


# --- feature maps ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MapFigure:
    stem: str
    stage: str
    title: str  # the Words field
    signed: bool  # before ReLU: diverging colours centred on zero


MAP_FIGURES = (
    MapFigure("conv1_fmap_evolution", "conv1", "conv1_title", True),
    MapFigure("pool1_fmap_evolution", "pool1", "pool1_title", False),
    MapFigure("conv2_fmap_evolution", "conv2", "conv2_title", True),
    MapFigure("pool2_fmap_evolution", "pool2", "pool2_title", False),
)
BAR_GAP = px(6)  # between the tiles and their colour bar
BAR_WIDTH = px(5)


def even(length: int) -> int:
    """Rounded up to even, so that the page's CSS size (half of it) is exact."""
    return length + length % DENSITY


def draw_probe(canvas: np.ndarray, top: int, cfg: Config, trace: Trace, words: Words) -> Box:
    """The probe image in greys with its target cell outlined, its caption on its right."""
    size = trace.probe_image.shape[0] * PROBE_FACTOR
    box = Box(top, MARGIN, size, size)
    greys = GREY + np.round(np.clip(trace.probe_image, 0, 1) * (GREYS - 1)).astype(np.uint8)
    box.of(canvas)[:] = upscale(greys, PROBE_FACTOR)
    edges = cell_edges(cfg.data) * PROBE_FACTOR
    row, column = divmod(trace.probe_label, cfg.data.grid)
    cell = Box(
        top + edges[row], MARGIN + edges[column],
        edges[row + 1] - edges[row], edges[column + 1] - edges[column],
    )  # fmt: skip
    # the outline (DENSITY thick, outside its box) on the cell's own edge, not the next cell's
    t = DENSITY
    outline(
        canvas, Box(cell.top + t, cell.left + t, cell.height - 2 * t, cell.width - 2 * t), HIGHLIGHT
    )
    left = box.right + px(6)
    put_text(canvas, top, left, words.probe_image, SMALL)
    cell_name = words.cell.format(cell=trace.probe_label)
    put_text(canvas, top + LABEL_ROOM, left, cell_name, SMALL, HIGHLIGHT)
    return box


def map_animation(figure: MapFigure, cfg: Config, trace: Trace, words: Words) -> Animation:
    """The probe on top, the channels' maps below it in rows, their colour bar on the right:
    the tiles get the figure's whole width, so more of them fit in a row."""
    maps = trace.stages[figure.stage]  # (K, C, h, w)
    count, height, width = maps.shape[1:]
    scale = Scale.fit(maps, figure.signed)
    factor = tile_factor(max(height, width))
    tile_w, bar_room = width * factor, BAR_GAP + BAR_WIDTH + bar_label_width(scale)
    columns = fit_columns(count, tile_w, TILE_GAP, MAX_WIDTH - 2 * MARGIN - bar_room)
    probe_size = trace.probe_image.shape[0] * PROBE_FACTOR
    grid = Grid(HEADER + probe_size + px(8), MARGIN, count, columns, height * factor, tile_w)
    # the bar leaves room under it for its low value and its label, inside the grid's height
    bar_height = max(grid.box.height - 3 * LABEL_ROOM, px(40))
    bar = Box(grid.top + LABEL_ROOM, grid.box.right + BAR_GAP, bar_height, BAR_WIDTH)
    status = status_lines(trace, words, probe_lines(trace, words))
    canvas = start_canvas(
        max(grid.box.bottom, bar.bottom + 2 * LABEL_ROOM) + px(4),
        bar.right + bar_label_width(scale) + MARGIN,
        getattr(words, figure.title),
        status,
    )
    draw_probe(canvas, HEADER, cfg, trace, words)
    grid.label(canvas)
    colour_bar(canvas, bar, scale, words.value)
    frames = frames_from(canvas, len(maps))
    grid.paste(frames, upscale(scale.indices(maps), factor))
    add_status(frames, trace, status)
    arrays = {
        **steps_arrays(trace),
        "values": maps,
        **scale.arrays(),
        "probe_image": trace.probe_image,
        "probe_label": np.int64(trace.probe_label),
        "probe_loss": trace.probe_loss,
    }
    tiles = tuple(grid.tile(k) for k in range(count))
    stem = figure.stem + words.suffix
    return Animation(stem, frames, build_palette(scale.cmap), tiles, arrays, figure.stem)


# --- Conv1 kernels ------------------------------------------------------------------------

KERNEL_FACTOR = 20  # a 3x3 kernel at 30 CSS px: above MIN_TILE, and 8 fit in a row


def kernel_animation(trace: Trace, words: Words) -> Animation:
    """The kernels on one shared scale, and their change since initialisation on another."""
    weights = trace.conv1_weight  # (K, C1, 3, 3)
    change = weights - weights[0]
    count, size = weights.shape[1], weights.shape[-1] * KERNEL_FACTOR
    panels = (
        (weights, words.kernels_panel, Scale.fit(weights, True, clip=False)),
        (change, words.change_panel, Scale.fit(change, True, clip=False)),
    )
    bar_room = BAR_GAP + BAR_WIDTH + max(bar_label_width(scale) for _, _, scale in panels)
    columns = fit_columns(count, size, TILE_GAP, MAX_WIDTH - 2 * MARGIN - bar_room)
    grids, top = [], HEADER
    for _ in panels:
        grids.append(Grid(top + LINE, MARGIN, count, columns, size, size))
        top = grids[-1].box.bottom + px(6)
    moved = [relative_change(weights[0], w) for w in weights]
    change_lines = [f"\u2016W \u2212 W\u2080\u2016 / \u2016W\u2080\u2016 = {m:.3f}" for m in moved]
    status = status_lines(trace, words, change_lines)
    right = grids[0].box.right + bar_room + MARGIN
    canvas = start_canvas(top + px(2), right, words.kernels_title, status)
    for grid, (_, subtitle, scale) in zip(grids, panels, strict=True):
        put_text(canvas, grid.top - LINE, MARGIN, subtitle)
        grid.label(canvas)
        height = grid.box.height - LABEL_ROOM
        bar = Box(grid.top + LABEL_ROOM, grid.box.right + BAR_GAP, height, BAR_WIDTH)
        colour_bar(canvas, bar, scale, "")
    frames = frames_from(canvas, len(weights))
    for grid, (values, _, scale) in zip(grids, panels, strict=True):
        grid.paste(frames, upscale(scale.indices(values), KERNEL_FACTOR))
    add_status(frames, trace, status)
    arrays = {
        **steps_arrays(trace),
        "weights": weights,
        "change": change,
        "relative_change": np.array(moved),
        **panels[0][2].arrays("weight_scale"),
        **panels[1][2].arrays("change_scale"),
    }
    boxes = tuple(grid.tile(k) for grid in grids for k in range(count))
    stem = "conv1_filters_evolution"
    palette = build_palette(panels[0][2].cmap)
    return Animation(stem + words.suffix, frames, palette, boxes, arrays, stem)


# --- vectors as bars ------------------------------------------------------------------------


@dataclass(frozen=True)
class VectorFigure:
    stem: str
    stage: str
    title: str  # the Words field
    signed: bool
    slot: int  # CSS px per bar, gaps included, where the figure's width allows


VECTOR_FIGURES = (
    VectorFigure("fc1_fmap_evolution", "relu3", "fc1_title", False, 4),
    VectorFigure("logits_fmap_evolution", "logits", "logits_title", True, 32),
    VectorFigure("probs_fmap_evolution", "probs", "probs_title", False, 32),
)
PLOT_HEIGHT = px(100)
TICK_ROOM = px(6)  # from a tick label's right edge to the plot


def axis_width(axis: Scale) -> int:
    """Room left of the plot for the tick labels, which are as wide as their values."""
    labels = (axis.high, axis.low, 0.0)
    return TICK_ROOM + max(text_width(format_value(v)) for v in labels)


def highlighted(
    figure: VectorFigure, trace: Trace, facts: Facts, words: Words
) -> tuple[int, int, int, str]:
    """(index, ink, tint, label) of the highlighted bar: standout FC1 unit, or true class."""
    if figure.stage == "relu3":
        unit = facts["fc1_standout"]["unit"]
        return unit, STANDOUT, STANDOUT_TINT, words.standout.format(unit=unit)
    return trace.probe_label, HIGHLIGHT, HIGHLIGHT_TINT, words.true_cell


def bar_axis(figure: VectorFigure, values: np.ndarray) -> Scale:
    if figure.stage == "probs":
        return Scale(0.0, 1.0, clipped=False)  # probabilities have a natural fixed axis
    return Scale.fit(values, figure.signed, clip=False)


def bar_colours(values: np.ndarray, axis: Scale) -> np.ndarray:
    """One colormap colour per sign: the bar's height, on the fixed axis, carries the value.

    (Recolouring a bar at every small change would only cost bytes.)
    """
    if axis.low < 0:
        return np.where(values < 0, round(0.15 * (LEVELS - 1)), round(0.85 * (LEVELS - 1)))
    return np.full(values.shape, round(0.6 * (LEVELS - 1)))


def value_rows(values: np.ndarray, axis: Scale) -> np.ndarray:
    """Pixel row of each value inside the plot, 0 at the top (axis.high)."""
    fraction = (axis.high - values) / (axis.high - axis.low)
    return np.round(np.clip(fraction, 0, 1) * (PLOT_HEIGHT - 1)).astype(int)


def vector_animation(figure: VectorFigure, trace: Trace, facts: Facts, words: Words) -> Animation:
    values = trace.stages[figure.stage]  # (K, n)
    units = values.shape[1]
    axis = bar_axis(figure, values)
    left = MARGIN + axis_width(axis)
    slot = min(px(figure.slot), (MAX_WIDTH - left - MARGIN) // units)
    plot = Box(HEADER + px(8), left, PLOT_HEIGHT, units * slot)
    status = status_lines(trace, words, probe_lines(trace, words))
    canvas = start_canvas(
        plot.bottom + 2 * LINE + px(14),
        plot.right + MARGIN,
        getattr(words, figure.title).format(units=units),
        status,
    )
    index, ink, tint, label = highlighted(figure, trace, facts, words)
    Box(plot.top, plot.left + index * slot, plot.height, slot).of(canvas)[:] = tint
    zero = int(value_rows(np.zeros(1), axis)[0])
    draw_bar_axis(canvas, plot, axis, zero)
    label_units(canvas, plot, slot, (index, ink, label))

    rows = np.arange(PLOT_HEIGHT)[None, :, None]
    ends = value_rows(values, axis)[:, None, :]  # (K, 1, n)
    filled = (rows >= np.minimum(ends, zero)) & (rows <= np.maximum(ends, zero))
    within = np.arange(units * slot) % slot
    solid = (within >= 1) & (within < slot - 1)  # two image px of white between bars
    colours = bar_colours(values, axis)[:, None, :].repeat(slot, axis=2)
    frames = frames_from(canvas, len(values))
    region = plot.of(frames)
    region[:] = np.where(filled.repeat(slot, axis=2) & solid, colours, region)
    if axis.low < 0:
        region[:, zero] = GREY + GREYS // 2  # the zero line stays visible through the bars
    add_status(frames, trace, status)
    arrays = {
        **steps_arrays(trace),
        "values": values,
        "axis_low": np.float64(axis.low),
        "axis_high": np.float64(axis.high),
        "highlight": np.int64(index),
        "probe_label": np.int64(trace.probe_label),
    }
    stem = figure.stem + words.suffix
    return Animation(stem, frames, build_palette(axis.cmap), (plot,), arrays, figure.stem)


def draw_bar_axis(canvas: np.ndarray, plot: Box, axis: Scale, zero: int) -> None:
    """A left axis line with the real values at its ends (and at zero)."""
    Box(plot.top, plot.left - px(2), plot.height, DENSITY).of(canvas)[:] = BLACK
    ticks = {0: axis.high, PLOT_HEIGHT - 1: axis.low}
    if axis.low < 0:
        ticks[zero] = 0.0
    for row, value in ticks.items():
        Box(plot.top + row, plot.left - px(4), DENSITY, px(2)).of(canvas)[:] = BLACK
        put_text(
            canvas,
            plot.top + row - line_box(TEXT) // 2,
            plot.left - TICK_ROOM,
            format_value(value),
            align="right",
        )


def label_units(canvas: np.ndarray, plot: Box, slot: int, mark: tuple[int, int, str]) -> None:
    """Unit indices under the bars (every 8th when there are many), the highlight in colour."""
    index, ink, label = mark
    units = plot.width // slot
    every = 1 if units <= 16 else 8
    top = plot.bottom + px(3)
    for unit in range(0, units, every):
        if unit != index:
            centre = plot.left + unit * slot + slot // 2
            put_text(canvas, top, centre, str(unit), SMALL, align="centre")
    centre = plot.left + index * slot + slot // 2
    if every == 1:
        put_text(canvas, top, centre, str(index), SMALL, ink, align="centre")
    text = f"\u25b2 {label}" if every > 1 else label
    right_most = canvas.shape[1] - MARGIN - text_width(text, SMALL)
    label_left = min(max(centre - px(20), MARGIN), right_most)
    put_text(canvas, top + LINE, label_left, text, SMALL, ink)
    Box(plot.bottom, centre, px(3), DENSITY).of(canvas)[:] = ink


def animation_builders(
    cfg: Config, trace: Trace, facts: Facts, languages: tuple[Words, ...] = LANGUAGES
) -> dict[str, Callable[[], Animation]]:
    """Figure stem -> a function that builds that animation (each is built only when asked),
    one per language: the stem carries the language's suffix."""
    builders: dict[str, Callable[[], Animation]] = {}
    for words in languages:
        builders["conv1_filters_evolution" + words.suffix] = partial(kernel_animation, trace, words)
        for m in MAP_FIGURES:
            builders[m.stem + words.suffix] = partial(map_animation, m, cfg, trace, words)
        for v in VECTOR_FIGURES:
            builders[v.stem + words.suffix] = partial(vector_animation, v, trace, facts, words)
    return builders


def all_animations(
    cfg: Config, trace: Trace, facts: Facts, languages: tuple[Words, ...] = LANGUAGES
) -> list[Animation]:
    return [build() for build in animation_builders(cfg, trace, facts, languages).values()]
