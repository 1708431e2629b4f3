"""Every figure reads on a 390 px phone: it fits the column (chrome.COLUMN CSS px) unscaled,
its text is at least MIN_TEXT CSS px and its maps at least MIN_TILE CSS px a side.

Measured on what the figure code lays out (the frames it draws, the sizes it asks Pillow and
matplotlib for), at chrome.DENSITY image px per CSS px, the size the pages give each figure.
The browser test (tests/browser/test_phone.py) checks the pages do show them at that size.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from generator.figures import animations, charts, chrome, population_charts, study_charts
from generator.figures.chrome import DENSITY, MAX_WIDTH, MIN_TEXT, MIN_TILE, px
from generator.figures.words import EN, LANGUAGES
from tests.test_figures import load_run

# The animations whose data boxes are maps (the others' are bar plots).
MAP_ANIMATIONS = ("conv1_filters_evolution", *(m.stem for m in animations.MAP_FIGURES))


@pytest.fixture(scope="module")
def run(tiny_project):
    return load_run(tiny_project, "tiny")


def test_every_animation_fits_the_phone_column_at_whole_css_px(run):
    assert len(run.animations) == 8 * len(LANGUAGES)
    for stem, animation in run.animations.items():
        height, width = animation.frames.shape[1:]
        assert width <= MAX_WIDTH, (stem, width)
        assert width % DENSITY == 0 and height % DENSITY == 0, (stem, width, height)


def test_every_map_tile_is_at_least_the_smallest_tile(run):
    for stem, animation in run.animations.items():
        if stem.removesuffix(EN.suffix).split("-")[0] not in MAP_ANIMATIONS:
            continue
        sides = [side for box in animation.data_boxes for side in (box.width, box.height)]
        assert min(sides) >= px(MIN_TILE), (stem, min(sides) / DENSITY)


@pytest.mark.parametrize("side", [3, 8, 16, 32, 5, 100])
def test_a_tile_factor_gives_the_smallest_integer_upscaling_that_reads(side):
    factor = chrome.tile_factor(side)
    assert side * factor >= px(MIN_TILE)
    assert factor == 1 or side * (factor - 1) < px(MIN_TILE)


def test_fit_columns_takes_the_most_tiles_a_row_holds():
    assert chrome.fit_columns(16, 64, 6, 554) == 8  # 8 * 70 - 6 = 554 fits exactly
    assert chrome.fit_columns(16, 64, 6, 553) == 4
    assert chrome.fit_columns(3, 64, 6, 10_000) == 2  # never more than there are tiles
    assert chrome.fit_columns(16, 500, 6, 100) == 1  # one, even when it does not fit


def test_every_animation_text_is_at_least_the_smallest_text(run, monkeypatch):
    """Every string the animations draw or measure passes through chrome.text_mask."""
    sizes = []
    real = chrome.text_mask

    def recording(string: str, size: int) -> np.ndarray:
        sizes.append(size)
        return real(string, size)

    monkeypatch.setattr(chrome, "text_mask", recording)
    built = animations.all_animations(run.cfg, run.trace, run.facts, (EN,))
    assert len(built) == 8 and len(sizes) > 100
    assert min(sizes) >= px(MIN_TEXT), min(sizes) / DENSITY


@dataclass(frozen=True)
class Drawn:
    """What one chart's figure lays out, measured once for the tests below."""

    stem: str
    size: tuple[int, int]  # image px
    texts: list[tuple[str, float, bool]]  # (text, CSS px, inside the figure)
    tile: float | None  # CSS px of one shown image, for charts that show images


@pytest.fixture(scope="module")
def drawn(run, tiny_project) -> list[Drawn]:
    """Every chart of the article and the experiments page, in every language and theme,
    drawn as chart_png draws it (its rc settings, its size), but not saved."""
    summary = json.loads((tiny_project.generated / "experiments.json").read_text("utf-8"))
    made = [
        *charts.all_charts(run.cfg, run.data, run.trace),
        *population_charts.all_charts(run.cfg, run.facts),
        *(
            chart(summary[part], words)
            for words in LANGUAGES
            for chart, part in (
                (study_charts.mlp_vs_cnn_chart, "mlp_vs_cnn"),
                (study_charts.noise_chart, "noise"),
            )
        ),
    ]
    measured = []
    for chart in made:
        for theme in charts.THEMES:
            matplotlib.rcdefaults()
            with matplotlib.rc_context(theme.rc | charts.language_rc(chart.words)):
                figure = charts.draw_chart(chart, theme)
                figure.set_dpi(charts.DPI)
                figure.canvas.draw()
                measured.append(measure(chart.image_stem + theme.suffix, figure, run))
            plt.close(figure)
    return measured


def measure(stem: str, figure: Figure, run) -> Drawn:
    width, height = figure.canvas.get_width_height()
    texts = []
    for text in shown_texts(figure):
        box = text.get_window_extent()
        # nothing cut off at the figure's edges (half a pixel of rounding allowed)
        inside = min(box.x0, box.y0) >= -0.5 and box.x1 <= width + 0.5 and box.y1 <= height + 0.5
        texts.append((text.get_text(), text.get_fontsize() * charts.DPI / 72 / DENSITY, inside))
    side, tile = sheet_side(stem, run), None
    if side is not None:
        (x0, _), (x1, _) = figure.axes[0].transData.transform([(0, 0), (side, 0)])
        tile = (x1 - x0) / DENSITY
    return Drawn(stem, (width, height), texts, tile)


def shown_texts(figure: Figure) -> list[Text]:
    """The texts a reader sees: not hidden, not empty, and no tick label of a tick outside
    its axis's view (matplotlib keeps those, undrawn)."""
    unseen = set()
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if (
                    not low - 1e-9 * abs(high - low)
                    <= tick.get_loc()
                    <= high + 1e-9 * abs(high - low)
                ):
                    unseen |= {id(tick.label1), id(tick.label2)}
    return [
        t
        for t in figure.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in unseen
    ]


def sheet_side(stem: str, run) -> int | None:
    """The side, in data units, of one image of a chart that shows images; None for others."""
    if stem.startswith(("contact_sheet", "noisy_dataset_preview")):
        return run.cfg.data.image_size
    if stem.startswith("fc1_templates"):
        return len(run.facts["fc1_population"]["views"]["templates"][0])
    return None


def test_every_chart_fits_the_column_with_text_a_phone_reads(drawn):
    assert len(drawn) == 2 * (7 + 2) * len(LANGUAGES)
    for chart in drawn:
        width, height = chart.size
        assert width <= MAX_WIDTH, (chart.stem, width)
        assert width % DENSITY == 0 and height % DENSITY == 0, (chart.stem, chart.size)
        assert chart.texts, chart.stem
        for text, css, inside in chart.texts:
            assert css >= MIN_TEXT, (chart.stem, text, css)
            assert inside, (chart.stem, text)


def test_the_sample_sheets_show_each_image_at_least_the_smallest_tile(drawn):
    tiles = {chart.stem: chart.tile for chart in drawn if chart.tile is not None}
    assert len(tiles) == 3 * 2 * len(LANGUAGES)
    assert {stem: tile for stem, tile in tiles.items() if tile < MIN_TILE} == {}
