"""Figures: one frame per snapshot, fixed colour scales, exact pixels, same bytes twice."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from PIL import Image

from generator import facts
from generator.config import Config, build_config
from generator.data import Dataset, make_dataset
from generator.figures import animations, charts, chrome, datafiles, words
from generator.figures.animations import VISIBLE, Animation, changing_windows
from generator.figures.chrome import Box, bar_label_width, blank, colour_bar, upscale
from generator.figures.draw import MODULES, figure_jobs
from generator.figures.palette import WHITE, Scale
from generator.files import read_npz
from generator.stages import FIGURE_FACTS
from generator.trace import Recorder, Trace, evaluation_steps
from generator.train import train
from tests.conftest import BOTH_PROJECTS

ANIMATIONS = [
    "conv1_filters_evolution", "conv1_fmap_evolution", "pool1_fmap_evolution",
    "conv2_fmap_evolution", "pool2_fmap_evolution", "fc1_fmap_evolution",
    "logits_fmap_evolution", "probs_fmap_evolution",
]  # fmt: skip
CHARTS = [
    "contact_sheet", "noisy_dataset_preview", "training_curves", "confusion_matrix",
    "fc1_class_map", "fc1_templates", "silent_channels",
]  # fmt: skip
GIF_BUDGET = 1_500_000  # bytes, every animation on the page together


@dataclass(frozen=True)
class Run:
    cfg: Config
    data: Dataset
    trace: Trace
    facts: dict  # what the pipeline hands the figures
    animations: dict[str, Animation]


def shown_facts(trace: Trace) -> dict:
    """The facts the figures show, derived from a trace as the facts stage derives them."""
    return {"fc1_standout": facts.standout_unit(trace.stages["relu3"], trace.steps)}


def load_run(project, preset: str) -> Run:
    cfg = build_config({}, preset)
    # the published trace is the main run's (the cache also holds the study's runs)
    trace = Trace.from_arrays(read_npz(project.generated / "trace.npz"))
    shown = {name: project.facts[name] for name in FIGURE_FACTS}
    built = {a.stem: a for a in animations.all_animations(cfg, trace, shown)}
    return Run(cfg, make_dataset(cfg.data), trace, shown, built)


@pytest.fixture(scope="module")
def tiny_run(tiny_project) -> Run:
    return load_run(tiny_project, "tiny")


def gif_frames(path: Path) -> np.ndarray:
    """Every frame as a browser shows it, deltas composited: (K, H, W, 3) RGB, read back by
    imageio, a reader independent of the writer."""
    return iio.imread(path, index=None, plugin="pillow", mode="RGB")


def test_every_figure_and_its_data_is_written(tiny_project):
    names = {p.name for p in tiny_project.generated.iterdir()}
    for stem in ANIMATIONS:
        assert {f"{stem}.gif", f"{stem}.poster.png", f"{stem}.npz"} <= names, stem
    for stem in CHARTS:
        assert {f"{stem}.png", f"{stem}.dark.png", f"{stem}.npz"} <= names, stem
    assert "figure-data.txt" in names


def test_rendering_again_gives_the_same_bytes(tiny_run, tiny_project, tmp_path):
    # The build drew the figures in forked workers, in the order they finished; here each
    # job runs in this process (its own fonts, caches and matplotlib state), one after
    # another and in reverse order: the bytes depend on neither the process nor the order.
    jobs = figure_jobs(tiny_run.cfg, tiny_run.data, tiny_run.trace, tiny_run.facts)
    rendered = [name for stem in reversed(jobs) for name in jobs[stem](tmp_path)]
    assert len(rendered) > len(jobs)
    for name in rendered:
        assert (tmp_path / name).read_bytes() == (tiny_project.generated / name).read_bytes(), name


@pytest.mark.parametrize("project", BOTH_PROJECTS)
def test_one_frame_per_snapshot_looping_with_a_long_last_frame(project, request):
    built = request.getfixturevalue(project)
    snapshots = built.facts["run"]["snapshots"]
    for stem in ANIMATIONS:
        with Image.open(built.generated / f"{stem}.gif") as image:
            assert image.n_frames == snapshots, stem
            assert image.info["loop"] == 0
            durations = []
            for k in range(image.n_frames):
                image.seek(k)
                durations.append(image.info["duration"])
        assert durations[-1] > max(durations[:-1]), stem


def local_colour_tables(data: bytes) -> int:
    """How many frames of a GIF carry their own palette instead of the global one."""
    packed = data[10]
    position = 13 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0)
    count = 0
    while data[position] != 0x3B:  # trailer
        if data[position] == 0x21:  # extension: label, then sub-blocks
            position += 2
        else:  # image descriptor, maybe a local table, then the LZW code size
            flags = data[position + 9]
            count += bool(flags & 0x80)
            position += 10 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0) + 1
        while data[position]:
            position += data[position] + 1
        position += 1
    return count


def test_every_frame_uses_the_one_global_palette(tiny_project):
    for stem in ANIMATIONS:
        data = (tiny_project.generated / f"{stem}.gif").read_bytes()
        assert data[10] & 0x80, stem
        assert local_colour_tables(data) == 0, stem


def saved_scale(arrays: dict[str, np.ndarray], prefix: str = "scale") -> Scale:
    return Scale(float(arrays[f"{prefix}_low"]), float(arrays[f"{prefix}_high"]), clipped=False)


def test_the_value_to_colour_mapping_is_the_same_in_every_frame(tiny_run):
    """Each map tile equals its values through the animation's one saved scale."""
    for stem in ("conv1_fmap_evolution", "pool1_fmap_evolution", "conv2_fmap_evolution"):
        animation = tiny_run.animations[stem]
        values = animation.arrays["values"]  # (K, C, h, w)
        scale = saved_scale(animation.arrays)
        factor = animation.data_boxes[0].height // values.shape[-2]
        for channel, box in enumerate(animation.data_boxes):
            expected = upscale(scale.indices(values[:, channel]), factor)
            assert np.array_equal(box.of(animation.frames), expected), (stem, channel)


@pytest.mark.parametrize(
    ("stem", "key", "prefix"),
    [("conv2_fmap_evolution", "values", "scale"), ("pool2_fmap_evolution", "values", "scale"),
     ("conv1_filters_evolution", "weights", "weight_scale")],
)  # fmt: skip
def test_gif_pixels_are_exact_blocks_of_the_value_colour(tiny_run, tiny_project, stem, key, prefix):
    """In the decoded GIF, each value is a factor x factor block of its palette colour."""
    animation = tiny_run.animations[stem]
    values, scale = animation.arrays[key], saved_scale(animation.arrays, prefix)
    factor = animation.data_boxes[0].height // values.shape[-2]
    assert factor > 1
    decoded = gif_frames(tiny_project.generated / f"{stem}.gif")
    for k in (0, len(decoded) // 2, len(decoded) - 1):
        for channel in range(values.shape[1]):
            box = animation.data_boxes[channel]
            colours = animation.palette[upscale(scale.indices(values[k, channel]), factor)]
            tile = decoded[k][box.top : box.bottom, box.left : box.right]
            assert np.array_equal(tile, colours), (stem, k, channel)


def test_the_poster_is_the_last_frame(tiny_project):
    for stem in ANIMATIONS:
        last = gif_frames(tiny_project.generated / f"{stem}.gif")[-1]
        with Image.open(tiny_project.generated / f"{stem}.poster.png") as poster:
            assert np.array_equal(np.asarray(poster.convert("RGB")), last), stem


def test_charts_come_light_and_dark_without_a_software_stamp(tiny_project):
    for stem in CHARTS:
        light = (tiny_project.generated / f"{stem}.png").read_bytes()
        dark = (tiny_project.generated / f"{stem}.dark.png").read_bytes()
        assert light != dark
        assert b"Software" not in light and b"matplotlib" not in light.lower()


def test_figure_data_readme_names_every_key(tiny_project):
    readme = (tiny_project.generated / "figure-data.txt").read_text(encoding="utf-8")
    for stem in ANIMATIONS + CHARTS:
        arrays = read_npz(tiny_project.generated / f"{stem}.npz")
        section = readme.split(f"## {stem}.npz", 1)[1].split("\n## ", 1)[0]
        for key in arrays:
            assert f"`{key}`" in section, (stem, key)
        if stem in ANIMATIONS or stem == "training_curves":
            assert "steps" in arrays, stem


def test_an_undescribed_key_stops_the_build():
    with pytest.raises(KeyError):
        datafiles.describe({"x": {"not_described": np.zeros(1)}})


def test_the_cache_key_covers_every_module_of_the_package():
    package = Path(animations.__file__).parent
    not_rendering = {"__init__.py", "draw.py", "study_charts.py"}  # draw.py is hashed itself;
    # the study's charts key the experiment-charts stage instead
    assert {Path(m.__file__).name for m in MODULES} == {
        p.name for p in package.glob("*.py") if p.name not in not_rendering
    }


def test_charts_leave_matplotlib_settings_as_they_found_them(tiny_run):
    import matplotlib

    before = dict(matplotlib.rcParams)
    chart = charts.training_curves(tiny_run.trace, words.JA)
    charts.chart_png(chart, charts.DARK)
    assert matplotlib.rcParams["axes.facecolor"] == before["axes.facecolor"]
    assert matplotlib.rcParams["font.family"] == before["font.family"]


# --- the reader's language ------------------------------------------------------------------


def test_the_japanese_page_gets_figures_drawn_in_japanese(tiny_project):
    """Every figure has a Japanese variant whose pixels differ from the English one, and each
    page links its own language's variant (with the one shared .npz)."""
    out = tiny_project.generated
    files = [f"{s}{ext}" for s in ANIMATIONS for ext in (".gif", ".poster.png", ".frames.png")]
    files += [f"{s}{ext}" for s in CHARTS for ext in (".png", ".dark.png")]
    for name in files:
        stem, ext = name.split(".", 1)
        english, japanese = out / name, out / f"{stem}-ja.{ext}"
        assert english.read_bytes() != japanese.read_bytes(), name
        with Image.open(english) as en, Image.open(japanese) as ja:
            if en.size == ja.size:
                assert not np.array_equal(np.asarray(en.convert("L")), np.asarray(ja.convert("L")))
        assert not (out / f"{stem}-ja.npz").exists()
    ja_page = (tiny_project.root / "docs" / "index.md").read_text(encoding="utf-8")
    en_page = (tiny_project.root / "docs" / "index.en.md").read_text(encoding="utf-8")
    for stem in ANIMATIONS + CHARTS:
        assert f"{stem}-ja." in ja_page and f"{stem}-ja." not in en_page, stem
        assert f"{stem}.npz" in ja_page and f"{stem}.npz" in en_page, stem


def test_japanese_text_is_drawn_in_a_font_that_has_its_glyphs():
    """Two different kana give two different glyphs, neither the font's missing-glyph box
    (which every character a font lacks shares), on the Latin text's line box."""
    ma, ro = chrome.text_mask("\u30de", chrome.TEXT), chrome.text_mask("\u30ed", chrome.TEXT)
    missing = chrome.text_mask("\ue000", chrome.TEXT)  # private use: in no font
    assert ma.any() and ro.any()
    assert not np.array_equal(ma, ro)
    assert not np.array_equal(ma, missing) and not np.array_equal(ro, missing)
    assert ma.shape[0] == chrome.text_mask("x", chrome.TEXT).shape[0]


def test_signs_the_japanese_font_lacks_are_drawn_in_a_japanese_string():
    """A subscript zero beside kana is a glyph, not the missing-glyph box."""
    drawn = chrome.text_mask("\u5909\u5316 W\u2080", chrome.TEXT)  # "変化 W₀"
    missing = chrome.text_mask("\u5909\u5316 W\ue000", chrome.TEXT)
    assert not np.array_equal(
        drawn[:, -drawn.shape[1] // 4 :], missing[:, -missing.shape[1] // 4 :]
    )


# --- visible change between frames --------------------------------------------------------
# Measured on the luminance (Rec. 601) of the palette colours, over the data panels only.

# Issue 3 asks that >= 3 of every 4 consecutive frame pairs change by >= 1 grey level. Which
# animations meet it depends on the run (a saturated softmax stops moving; most FC1 bars
# stay at zero), so no list of them is written here: `make bench` prints the fraction per
# animation. The tests check the measure, and that placing the snapshots where the probe's
# outputs move beats placing them by the clock.


def test_visible_change_measures_the_mean_grey_level_change_in_the_data_boxes():
    palette = np.zeros((64, 3), dtype=np.uint8)
    palette[:, :] = np.arange(64)[:, None]  # index k has luminance k
    frames = np.zeros((4, 6, 6), dtype=np.uint8)
    frames[1, :2, :2] = 3  # +3 on the 4 pixels of the box: mean 3 over its 4 pixels
    frames[2, :2, :2] = 3  # no change
    frames[3] = frames[2]
    frames[3, 4:, 4:] = 50  # outside the box: chrome, not counted
    animation = Animation("x", frames, palette, (Box(0, 0, 2, 2),), {}, "x")
    assert np.allclose(animation.visible_change(), [3.0, 0.0, 0.0])


def test_changing_windows_needs_three_visible_pairs_in_every_four():
    assert changing_windows(np.array([1.0, 1.0, 0.0, 1.0, 1.0])).tolist() == [True, True]
    assert changing_windows(np.array([1.0, 0.5, 0.0, 1.0, 1.0])).tolist() == [False, False]


def visible_pairs(cfg: Config, trace: Trace) -> int:
    shown = shown_facts(trace)
    changes = [a.visible_change() for a in animations.all_animations(cfg, trace, shown)]
    return int(sum((change >= VISIBLE).sum() for change in changes))


def test_snapshots_placed_by_movement_show_more_change_than_by_the_clock(tiny_run):
    # The tiny run again with a snapshot at every step: every schedule is a subset of it.
    cfg = tiny_run.cfg
    every = build_config({"record.snapshots": cfg.total_steps + 1}, "tiny")
    recorder = Recorder(every, tiny_run.data)
    train(every, tiny_run.data.train, recorder)
    dense = recorder.finish()
    assert dense.steps.tolist() == list(range(cfg.total_steps + 1))
    np.testing.assert_array_equal(
        dense.stages["conv2"][tiny_run.trace.steps], tiny_run.trace.stages["conv2"]
    )

    clock = evaluation_steps(cfg.total_steps, cfg.record.snapshots)  # dense early, by time
    even = np.round(np.linspace(0, cfg.total_steps, cfg.record.snapshots)).astype(int)
    placed = visible_pairs(cfg, tiny_run.trace)
    for steps in (clock, even):
        assert placed > visible_pairs(cfg, subset(dense, steps)), steps


def subset(trace: Trace, steps: np.ndarray) -> Trace:
    rows = np.searchsorted(trace.steps, steps)
    return dataclasses.replace(
        trace,
        steps=trace.steps[rows],
        epochs=trace.epochs[rows],
        probe_loss=trace.probe_loss[rows],
        conv1_weight=trace.conv1_weight[rows],
        stages={name: values[rows] for name, values in trace.stages.items()},
    )


@pytest.mark.parametrize("value", [1.23e-05, -1.23e-05, 0.5, -123456.0, 1e-300])
def test_value_labels_get_the_room_their_digits_need(value):
    """A scale of tiny values (lr=1e-6: W - W0 ~ -1e-05) once overflowed a fixed margin."""
    scale = Scale(-abs(value), abs(value), clipped=True)
    bar = Box(20, 10, 60, 10)
    canvas = blank(140, bar.right + bar_label_width(scale))
    colour_bar(canvas, bar, scale, "")
    assert (canvas[:, bar.right + 1 :] != WHITE).any(axis=0)[-3:].any()  # drawn up to the edge
    with pytest.raises(ValueError, match="does not fit"):
        colour_bar(blank(140, bar.right + bar_label_width(scale) - 1), bar, scale, "")


@pytest.mark.slow
def test_default_animations_fit_the_page_budget(default_project):
    sizes = [(default_project.generated / f"{s}.gif").stat().st_size for s in ANIMATIONS]
    assert sum(sizes) <= GIF_BUDGET, sizes
    assert default_project.facts["run"]["snapshots"] >= 40


def test_each_page_language_shows_the_figures_drawn_in_it():
    from generator import article

    assert {w.lang: w.suffix for w in words.LANGUAGES} == article.FIGURE_SUFFIX
