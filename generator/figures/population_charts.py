"""Charts of the trained network over the whole test set, drawn from the facts.

The facts stage measures the population once (generator/population.py); these only draw:
- fc1_class_map: FC1's mean output per true cell, one row per live unit (ordered by the
  cell it answers most), the dead units as one grey row, the probe's unit outlined;
- fc1_templates: the weight rows of the most active live FC1 units, summed over MaxPool2's
  channels, on its grid with the image's cell borders: where on the grid each unit looks;
- silent_channels: for each Conv1 and Conv2 channel, the share of test images on which
  it is 0 everywhere after ReLU.

They are drawn as narrow as every chart (charts.WIDTH), for a phone's column.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from generator.config import Config
from generator.data import cell_edges
from generator.figures.charts import WIDTH, Chart, Theme
from generator.figures.words import LANGUAGES, Words

Facts = dict[str, Any]
ROW = 0.17  # inches per unit in the class map
GRID_LINES = "#808080"  # cell borders over the diverging maps: visible on red, white and blue


def class_map(cfg: Config, facts: Facts, words: Words) -> Chart:
    views, probe_unit = facts["fc1_population"]["views"], facts["fc1_standout"]["unit"]
    means = np.array(views["class_means"])  # (cells, units)
    dead = np.array(views["dead_units"], dtype=np.int64)
    live = np.setdiff1d(np.arange(means.shape[1]), dead)
    # rows grouped by the cell each unit answers most, so the cells' share-out reads top-down
    order = live[np.lexsort((live, means[:, live].argmax(axis=0)))]
    rows = means[:, order].T  # (live units, cells)
    n_images = cfg.data.test_size

    def draw(theme: Theme) -> Figure:
        height = 1.5 + ROW * (len(order) + 1.5)
        figure, ax = plt.subplots(figsize=(WIDTH, height))
        image = ax.imshow(rows, cmap="magma", aspect="auto", interpolation="nearest",
                          extent=(-0.5, rows.shape[1] - 0.5, len(order) - 0.5, -0.5))  # fmt: skip
        ax.set_xticks(range(rows.shape[1]))
        ax.set_yticks(range(len(order)), [str(u) for u in order])
        ax.tick_params(labelsize=8, length=2)
        ax.set_xlabel(words.true_cell, fontsize=8)
        ax.set_ylabel(words.fc1_unit, fontsize=8)
        ax.set_ylim(len(order) + 1.1, -0.5)
        if dead.size:
            dead_row(
                ax, rows.shape[1], len(order) + 0.6, theme, words.dead_units.format(count=dead.size)
            )
        if probe_unit in order:
            outline_row(ax, int(np.flatnonzero(order == probe_unit)[0]), rows.shape[1], theme)
        ax.set_title(words.class_map_title.format(count=n_images), fontsize=8, loc="left")
        top = 1 - 0.45 / height
        bar = figure.colorbar(
            image, cax=figure.add_axes((0.86, 0.9 / height, 0.03, top - 1.2 / height))
        )
        bar.ax.tick_params(labelsize=8)
        figure.subplots_adjust(left=0.16, right=0.82, bottom=0.75 / height, top=top)
        return figure

    arrays = {
        "class_means": means,
        "dead_units": dead,
        "unit_order": order,
        "highlight": np.int64(probe_unit),
    }
    return Chart("fc1_class_map", draw, arrays, words)


def dead_row(ax: Axes, columns: int, y: float, theme: Theme, label: str) -> None:
    """The dead units, all of them 0: one grey row, counted rather than drawn each (grey:
    no colour of the scale, so it cannot be read as a value)."""
    box = Rectangle((-0.5, y - 0.5), columns, 1.0, lw=0.6, facecolor=GRID_LINES, alpha=0.35)
    box.set_edgecolor(theme.foreground)
    ax.add_patch(box)
    ax.text(columns / 2 - 0.5, y, label, ha="center", va="center", fontsize=8)


def outline_row(ax: Axes, row: int, columns: int, theme: Theme) -> None:
    box = Rectangle((-0.5, row - 0.5), columns, 1, fill=False, lw=1.8, edgecolor=theme.lines[1])
    ax.add_patch(box)
    label = ax.get_yticklabels()[row]
    label.set_color(theme.lines[1])
    label.set_fontweight("bold")


TEMPLATE_COLUMNS = 4
TEMPLATE_GAP = 3  # grid positions between two maps of the mosaic, room for a title


def templates(cfg: Config, facts: Facts, words: Words) -> Chart:
    views, probe_unit = facts["fc1_population"]["views"], facts["fc1_standout"]["unit"]
    units = np.array(views["template_units"], dtype=np.int64)
    maps = np.array(views["templates"])  # (units, H, W)
    limit = float(np.abs(maps).max()) or 1.0
    side = maps.shape[-1]
    rows = -(-len(units) // TEMPLATE_COLUMNS)
    # the image's cell borders on MaxPool2's grid (each of its positions covers 4x4 pixels)
    edges = cell_edges(cfg.data)[1:-1] * side / cfg.data.image_size
    mosaic, corners = tile(maps, rows)

    def draw(theme: Theme) -> Figure:
        # one axes for every map: a subplot per map would cost more than all the drawing.
        # The figure is as tall as the mosaic at the axes' width (no empty band above or
        # under it), plus room for the title (0.3 in) and the colour bar (0.85 in).
        height = 1.15 + 0.96 * WIDTH * mosaic.shape[0] / mosaic.shape[1]
        figure = plt.figure(figsize=(WIDTH, height))
        ax = figure.add_axes((0.02, 0.85 / height, 0.96, 1 - 1.15 / height))
        cmap = plt.get_cmap("RdBu_r").with_extremes(bad=theme.background)
        image = ax.imshow(mosaic, cmap=cmap, vmin=-limit, vmax=limit, interpolation="nearest")
        ax.set_axis_off()
        ax.add_collection(cell_lines(corners, edges, side))
        for unit, (top, left) in zip(units, corners, strict=True):
            colour = theme.lines[1] if unit == probe_unit else theme.foreground
            ax.text(left + side / 2 - 0.5, top - 0.8, words.unit.format(unit=unit), fontsize=8,
                    ha="center", va="bottom", color=colour)  # fmt: skip
            if unit == probe_unit:  # framed, as the class map outlines its row
                ax.add_patch(Rectangle((left - 0.7, top - 0.7), side + 0.4, side + 0.4,
                                       fill=False, lw=2, edgecolor=colour))  # fmt: skip
        scale = figure.add_axes((0.1, 0.5 / height, 0.8, 0.1 / height))
        bar = figure.colorbar(image, cax=scale, orientation="horizontal")
        bar.ax.tick_params(labelsize=8, length=2)
        bar.set_label(words.templates_scale, fontsize=8, labelpad=2)
        title = words.templates_title.format(channels=cfg.model.conv2_channels, side=side)
        figure.text(0.02, 1 - 0.08 / height, title, fontsize=8, va="top")
        return figure

    arrays = {
        "units": units,
        "templates": maps,
        "mean_activity": np.array(views["mean_activity"]),
        "highlight": np.int64(probe_unit),
        "cell_edges": cell_edges(cfg.data),
    }
    return Chart("fc1_templates", draw, arrays, words)


def tile(maps: np.ndarray, rows: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The maps as one mosaic, NaN between them, and each map's top-left corner in it."""
    side, step = maps.shape[-1], maps.shape[-1] + TEMPLATE_GAP
    mosaic = np.full((rows * step, TEMPLATE_COLUMNS * step - TEMPLATE_GAP), np.nan)
    corners = []
    for k, template in enumerate(maps):
        top, left = (k // TEMPLATE_COLUMNS) * step + TEMPLATE_GAP, (k % TEMPLATE_COLUMNS) * step
        mosaic[top : top + side, left : left + side] = template
        corners.append((top, left))
    return mosaic, corners


def cell_lines(corners: list[tuple[int, int]], edges: np.ndarray, side: int) -> LineCollection:
    """Dotted cell borders over every map of the mosaic."""
    segments = [
        segment
        for top, left in corners
        for edge in edges - 0.5
        for segment in (
            [(left - 0.5, top + edge), (left + side - 0.5, top + edge)],
            [(left + edge, top - 0.5), (left + edge, top + side - 0.5)],
        )
    ]
    return LineCollection(segments, colors=GRID_LINES, linestyles=":", linewidths=0.9)


def silent_channels(cfg: Config, facts: Facts, words: Words) -> Chart:
    shares = {
        layer: np.array(share)
        for layer, share in facts["channel_population"]["silent_share"].items()
    }

    def draw(theme: Theme) -> Figure:
        height = 1.4 + 1.35 * len(shares)
        figure, axes = plt.subplots(len(shares), 1, figsize=(WIDTH, height))
        for ax, (layer, share) in zip(axes, shares.items(), strict=True):
            channel_bars(ax, share, theme)
            dead = int((share >= 1).sum())
            title = words.silent_title.format(layer=layer.capitalize(), count=len(share), dead=dead)
            ax.set_title(title, fontsize=8, loc="left")
            ax.set_ylabel(words.percent_images, fontsize=8)
        axes[-1].set_xlabel(words.channel, fontsize=8)
        title = words.silent_suptitle.format(count=cfg.data.test_size)
        figure.text(0.02, 1 - 0.08 / height, title, fontsize=8, va="top")
        figure.subplots_adjust(left=0.13, right=0.98, bottom=0.55 / height,
                               top=1 - 0.62 / height, hspace=0.8)  # fmt: skip
        return figure

    arrays = {f"{layer}_silent_share": share for layer, share in shares.items()}
    return Chart("silent_channels", draw, arrays, words)


NAMED_BARS = 8  # more silent channels than this in a layer: too many names to fit


def channel_bars(ax: Axes, share: np.ndarray, theme: Theme) -> None:
    """One bar per channel in percent; the channels that are ever silent named over their
    bars, when there are few enough for the names to fit."""
    ax.bar(range(len(share)), share * 100, color=theme.lines[0], width=0.75)
    silent = np.flatnonzero(share > 0)
    if len(silent) <= NAMED_BARS:
        for channel in silent:
            ax.text(channel, share[channel] * 100 + 4, str(channel), ha="center", va="bottom",
                    fontsize=8, color=theme.lines[1])  # fmt: skip
    ax.set_xticks(range(0, len(share), 1 if len(share) <= 16 else 4))
    ax.tick_params(labelsize=8, length=2)
    ax.set_ylim(0, 125)
    ax.set_yticks([0, 50, 100])
    ax.set_xlim(-0.7, len(share) - 0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def all_charts(cfg: Config, facts: Facts, languages: tuple[Words, ...] = LANGUAGES) -> list[Chart]:
    """Every population chart in every language."""
    return [
        chart(cfg, facts, words)
        for words in languages
        for chart in (class_map, templates, silent_channels)
    ]
