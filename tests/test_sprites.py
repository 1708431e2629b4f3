"""Sprite sheets: frame k of the sheet is GIF frame k, same bytes twice, a timeline per snapshot."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from generator.config import build_config
from generator.figures import sprites
from generator.figures.animations import animation_builders
from generator.figures.words import LANGUAGES
from generator.files import read_npz
from generator.stages import FIGURE_FACTS
from generator.trace import Trace
from tests.test_figures import ANIMATIONS, GIF_BUDGET, gif_frames


def timeline_of(project) -> dict:
    return json.loads((project.generated / "timeline.json").read_text(encoding="utf-8"))


def sheet_pixels(project, stem: str) -> np.ndarray:
    with Image.open(project.generated / f"{stem}{sprites.SUFFIX}") as image:
        assert image.mode == "P"  # one palette, like the GIF's
        return np.asarray(image.convert("RGB"))


@pytest.mark.parametrize("stem", ANIMATIONS)
def test_sheet_frame_k_is_gif_frame_k_pixel_for_pixel(tiny_project, stem):
    timeline = timeline_of(tiny_project)
    frames = gif_frames(tiny_project.generated / f"{stem}.gif")
    sheet = sheet_pixels(tiny_project, stem)
    size = timeline["sheets"][stem]
    assert len(frames) == len(timeline["snapshots"])
    assert frames[0].shape[:2] == (size["height"], size["width"])
    for k, frame in enumerate(frames):
        shown = sprites.frame_of(sheet, k, size["height"], size["width"])
        assert np.array_equal(shown, frame), (stem, k)


def test_the_sheet_wraps_into_rows_and_pads_with_the_last_frame():
    frames = np.arange(13 * 2 * 3, dtype=np.uint8).reshape(13, 2, 3)
    tiled = sprites.sheet(frames)
    assert tiled.shape == (2 * 2, sprites.COLUMNS * 3)  # 13 frames: two rows of 10
    for k in range(13):
        assert np.array_equal(sprites.frame_of(tiled, k, 2, 3), frames[k]), k
    for k in range(13, 2 * sprites.COLUMNS):
        assert np.array_equal(sprites.frame_of(tiled, k, 2, 3), frames[-1]), k


def test_writing_a_sheet_twice_gives_the_same_bytes(tiny_project, tmp_path):
    # The published trace is the main run's (the cache also holds the seed study's runs).
    trace = Trace.from_arrays(read_npz(tiny_project.generated / "trace.npz"))
    shown = {name: tiny_project.facts[name] for name in FIGURE_FACTS}
    builders = animation_builders(build_config({}, "tiny"), trace, shown)
    for stem in ("conv1_filters_evolution", "probs_fmap_evolution"):
        animation = builders[stem]()
        (name,) = sprites.save_sprite(tmp_path / "a", animation)
        sprites.save_sprite(tmp_path / "b", animation)
        content = (tmp_path / "a" / name).read_bytes()
        assert content == (tmp_path / "b" / name).read_bytes()
        # ...and the build's own, from another process; no text chunk (date, software).
        assert content == (tiny_project.generated / name).read_bytes()
        assert b"tEXt" not in content and b"tIME" not in content


def test_the_timeline_has_each_snapshot_of_the_run(tiny_project):
    timeline = timeline_of(tiny_project)
    facts = tiny_project.facts
    snapshots = timeline["snapshots"]
    assert [s["step"] for s in snapshots] == facts["run"]["snapshot_steps"]
    assert timeline["total_steps"] == facts["run"]["total_steps"]
    assert snapshots[-1]["prediction"] == facts["probe"]["final_prediction"]
    assert snapshots[-1]["probe_loss"] == pytest.approx(facts["probe"]["final_loss"], abs=1e-6)
    assert all(0 < s["probability"] <= 1 for s in snapshots)
    # one sheet per animation and language (the page's language picks its own)
    drawn = [stem + words.suffix for stem in ANIMATIONS for words in LANGUAGES]
    assert sorted(timeline["sheets"]) == sorted(drawn)


@pytest.mark.slow
def test_default_sprite_sheets_fit_the_page_budget(default_project):
    """A reader with JavaScript loads the sheets instead of the GIFs: the same budget."""
    sizes = [
        (default_project.generated / f"{s}{sprites.SUFFIX}").stat().st_size for s in ANIMATIONS
    ]
    assert sum(sizes) <= GIF_BUDGET, sizes
