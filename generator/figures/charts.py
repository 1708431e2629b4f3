"""Static charts drawn with matplotlib, each in a light and a dark variant.

Every chart is drawn from default rc settings plus one theme, so nothing set
for one figure leaks into the next, and saved without a Software stamp so the
PNG bytes depend only on the data. Margins are fixed rather than computed by
tight_layout, which would draw each figure twice.

Every chart is WIDTH inches wide at DPI dots per inch: chrome.MAX_WIDTH image px, which the
page shows at half its size, the width of a phone's column (chrome.DENSITY). So a font size
of s points shows at s * DPI / 72 / DENSITY CSS px: MIN_POINTS and up read on a phone.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib import font_manager
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from generator import fonts
from generator.config import Config
from generator.data import Dataset, cell_edges
from generator.figures.chrome import DENSITY, MAX_WIDTH, MIN_TEXT
from generator.figures.words import EN, LANGUAGES, Words
from generator.trace import Trace


@dataclass(frozen=True)
class Theme:
    suffix: str  # appended to the stem: "" or ".dark"
    background: str
    foreground: str
    lines: tuple[str, str, str]
    overlay: str  # the dotted grid drawn over the samples
    cmap: str  # the confusion matrix
    ramp: tuple[float, float]  # the stretch of viridis for ordered lines that reads on background

    @property
    def rc(self) -> dict[str, Any]:
        return {
            "figure.facecolor": self.background,
            "axes.facecolor": self.background,
            "savefig.facecolor": self.background,
            "text.color": self.foreground,
            "axes.labelcolor": self.foreground,
            "axes.edgecolor": self.foreground,
            "xtick.color": self.foreground,
            "ytick.color": self.foreground,
            "legend.frameon": False,
            "axes.prop_cycle": cycler(color=list(self.lines)),
            "font.size": 8,  # 11 CSS px on the page
        }


# Backgrounds match the site: Material's white page and its "slate" dark scheme.
LIGHT = Theme(
    "", "#ffffff", "#212121", ("#3f51b5", "#e65100", "#2e7d32"), "#d50000", "Blues", (0.15, 0.85)
)
DARK = Theme(
    ".dark",
    "#1e2029",
    "#e2e4e9",
    ("#8c9eff", "#ffab40", "#81c784"),
    "#ff5252",
    "Blues_r",
    (0.4, 1.0),
)
THEMES = (LIGHT, DARK)


@dataclass(frozen=True)
class Chart:
    stem: str  # the figure's, without the language suffix: its data is the same in each
    draw: Callable[[Theme], Figure]
    arrays: dict[str, np.ndarray]  # the data behind the chart, saved as <stem>.npz
    words: Words = EN

    @property
    def image_stem(self) -> str:
        return self.stem + self.words.suffix


def language_rc(words: Words) -> dict[str, Any]:
    """Japanese charts are set in Noto Sans CJK JP, which has Latin letters too."""
    if words.lang != "ja":
        return {}
    family = fonts.JAPANESE_FAMILY
    if family not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(fonts.japanese_file()))
    return {"font.family": [family, "DejaVu Sans"]}  # DejaVu: signs Noto CJK lacks


DPI = 100 * DENSITY
WIDTH = MAX_WIDTH / DPI  # inches
MIN_POINTS = MIN_TEXT * DENSITY * 72 / DPI  # the smallest font size a chart may use


def draw_chart(chart: Chart, theme: Theme) -> Figure:
    """The chart's figure, its height rounded to whole CSS px so the page's size is exact."""
    figure = chart.draw(theme)
    width, height = figure.get_size_inches()
    step = DENSITY / DPI
    figure.set_size_inches(width, round(height / step) * step)
    return figure


def chart_png(chart: Chart, theme: Theme) -> bytes:
    matplotlib.rcdefaults()
    with matplotlib.rc_context(theme.rc | language_rc(chart.words)):
        figure = draw_chart(chart, theme)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


# --- samples ----------------------------------------------------------------------------------

GAP = 4  # px between samples in a sheet


def samples_per_cell(labels: np.ndarray, classes: int, per_cell: int) -> np.ndarray:
    """(per_cell, classes) indices of the first samples of each cell, -1 where there are none."""
    chosen = np.full((per_cell, classes), -1, dtype=np.int64)
    for cell in range(classes):
        found = np.flatnonzero(labels == cell)[:per_cell]
        chosen[: len(found), cell] = found
    return chosen


def montage(images: np.ndarray) -> np.ndarray:
    """(R, C, S, S) images as one (R*(S+GAP)-GAP, ...) array, NaN in the gaps."""
    rows, columns, size, _ = images.shape
    sheet = np.full((rows * (size + GAP) - GAP, columns * (size + GAP) - GAP), np.nan)
    for r in range(rows):
        for c in range(columns):
            top, left = r * (size + GAP), c * (size + GAP)
            sheet[top : top + size, left : left + size] = images[r, c]
    return sheet


def draw_sheet(ax: plt.Axes, images: np.ndarray, theme: Theme) -> None:
    cmap = matplotlib.colormaps["gray"].with_extremes(bad=theme.background)
    ax.imshow(montage(images), cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
    ax.set_axis_off()


def grid_overlay(
    ax: plt.Axes, shape: tuple[int, int], size: int, edges: np.ndarray, colour: str
) -> None:
    """Dotted cell borders over every sample: drawn on the chart, never in the data."""
    segments = []
    for r in range(shape[0]):
        for c in range(shape[1]):
            top, left = r * (size + GAP) - 0.5, c * (size + GAP) - 0.5
            for edge in edges[1:-1]:
                segments.append([(left, top + edge), (left + size, top + edge)])
                segments.append([(left + edge, top), (left + edge, top + size)])
    ax.add_collection(LineCollection(segments, colors=colour, linestyles=":", linewidths=1.2))


def column_labels(ax: plt.Axes, columns: int, size: int, words: Words) -> None:
    """The cell number over each column, and the word for them left of the numbers: nine
    "label 3"s would not fit over a phone's column."""
    for c in range(columns):
        ax.text(c * (size + GAP) + size / 2 - 0.5, -3, str(c), ha="center", va="bottom")
    ax.text(-3, -3, words.label, ha="right", va="bottom")


def contact_sheet(cfg: Config, data: Dataset, words: Words) -> Chart:
    split, classes = data.test, cfg.data.grid**2
    chosen = samples_per_cell(split.labels, classes, per_cell=2)
    images = np.where(chosen[..., None, None] >= 0, split.clean[chosen], np.nan)

    def draw(theme: Theme) -> Figure:
        figure, ax = plt.subplots(figsize=(WIDTH, 0.96))
        draw_sheet(ax, images, theme)
        grid_overlay(ax, chosen.shape, cfg.data.image_size, cell_edges(cfg.data), theme.overlay)
        column_labels(ax, classes, cfg.data.image_size, words)
        figure.subplots_adjust(left=0.12, right=0.99, bottom=0.02, top=0.76)
        return figure

    arrays = {"indices": chosen, "images": images, "cell_edges": cell_edges(cfg.data)}
    return Chart("contact_sheet", draw, arrays, words)


def noisy_preview(cfg: Config, data: Dataset, words: Words) -> Chart:
    """One sample per cell as the model sees it, and the same sample without noise below."""
    split, classes = data.test, cfg.data.grid**2
    chosen = samples_per_cell(split.labels, classes, per_cell=1)[0]
    present = chosen >= 0
    pairs = np.full((2, classes, cfg.data.image_size, cfg.data.image_size), np.nan)
    pairs[0, present], pairs[1, present] = (
        split.images[chosen[present]],
        split.clean[chosen[present]],
    )

    def draw(theme: Theme) -> Figure:
        figure, ax = plt.subplots(figsize=(WIDTH, 1.56))
        draw_sheet(ax, pairs, theme)
        column_labels(ax, classes, cfg.data.image_size, words)
        size = cfg.data.image_size
        for row, name in enumerate((words.with_noise, words.without_noise)):
            ax.text(-3, row * (size + GAP) + size / 2, name, ha="right", va="center")
        # The grey scale of the pixel values: the background is not black, and the noise
        # is clipped at both ends of it.
        scale = figure.add_axes((0.4, 0.3, 0.3, 0.055))
        grey = ScalarMappable(Normalize(0, 1), "gray")
        figure.colorbar(grey, cax=scale, orientation="horizontal")
        scale.set_xlabel(words.pixel_value)
        figure.subplots_adjust(left=0.24, right=0.99, bottom=0.42, top=0.87)
        return figure

    arrays = {
        "indices": chosen,
        "noisy": pairs[0],
        "clean": pairs[1],
        "noise_std": np.float64(cfg.data.noise),
    }
    return Chart("noisy_dataset_preview", draw, arrays, words)


# --- training -----------------------------------------------------------------------------------


def mark_snapshots(ax: plt.Axes, steps: np.ndarray, colour: str) -> None:
    """A short tick at the foot of the axes for every recorded snapshot."""
    ax.vlines(steps, 0, 0.04, transform=ax.get_xaxis_transform(), colors=colour, linewidth=0.8)


def training_curves(trace: Trace, words: Words) -> Chart:
    steps = trace.eval_steps

    def draw(theme: Theme) -> Figure:
        # one above the other: side by side, a phone would shrink both
        figure, (loss_ax, acc_ax) = plt.subplots(2, 1, figsize=(WIDTH, 5.0))
        loss_ax.plot(steps[1:], trace.batch_loss[1:], label=words.training_batch, alpha=0.7)
        loss_ax.plot(steps, trace.test_loss, label=words.test_set)
        loss_ax.plot(trace.steps, trace.probe_loss, label=words.probe_image, linewidth=1)
        loss_ax.set_yscale("log")
        loss_ax.minorticks_off()  # decades are enough, and each tick costs drawing time
        loss_ax.set_ylabel(words.loss_log)
        acc_ax.plot(steps[1:], trace.batch_acc[1:], label=words.training_batch, alpha=0.7)
        acc_ax.plot(steps, trace.test_acc, label=words.test_set)
        acc_ax.set_ylim(0, 1.02)
        acc_ax.set_ylabel(words.accuracy)
        for ax in (loss_ax, acc_ax):
            ax.set_xlabel(words.step_ticks)
            mark_snapshots(ax, trace.steps, theme.foreground)
            ax.legend()
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        figure.subplots_adjust(left=0.16, right=0.97, bottom=0.09, top=0.98, hspace=0.35)
        return figure

    arrays = {
        "eval_steps": steps,
        "batch_loss": trace.batch_loss,
        "batch_acc": trace.batch_acc,
        "test_loss": trace.test_loss,
        "test_acc": trace.test_acc,
        "steps": trace.steps,
        "epochs": trace.epochs,
        "probe_loss": trace.probe_loss,
    }
    return Chart("training_curves", draw, arrays, words)


def confusion_matrix(trace: Trace, words: Words) -> Chart:
    classes = trace.stages["probs"].shape[1]
    counts = np.bincount(
        trace.test_labels * classes + trace.test_pred, minlength=classes * classes
    ).reshape(classes, classes)

    def draw(theme: Theme) -> Figure:
        figure, ax = plt.subplots(figsize=(WIDTH, 3.4))
        ax.imshow(counts, cmap=theme.cmap, interpolation="nearest")
        bright = counts > counts.max() / 2
        for (true, pred), count in np.ndenumerate(counts):
            # The colormap runs from the page colour to a strong one: invert text on strong cells.
            colour = theme.background if bright[true, pred] else theme.foreground
            ax.text(pred, true, str(count), ha="center", va="center", fontsize=8, color=colour)
        ax.set_xticks(range(classes))
        ax.set_yticks(range(classes))
        ax.set_xlabel(words.predicted_cell)
        ax.set_ylabel(words.true_cell)
        ax.set_title(words.final_model.format(count=counts.sum()))
        figure.subplots_adjust(left=0.14, right=0.97, bottom=0.13, top=0.92)
        return figure

    arrays = {"counts": counts, "test_pred": trace.test_pred, "test_labels": trace.test_labels}
    return Chart("confusion_matrix", draw, arrays, words)


def all_charts(
    cfg: Config, data: Dataset, trace: Trace, languages: tuple[Words, ...] = LANGUAGES
) -> list[Chart]:
    """Every chart in every language."""
    return [
        chart
        for words in languages
        for chart in (
            contact_sheet(cfg, data, words),
            noisy_preview(cfg, data, words),
            training_curves(trace, words),
            confusion_matrix(trace, words),
        )
    ]
