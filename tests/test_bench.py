"""The parts of `make bench` that compute numbers rather than time them."""

from __future__ import annotations

from pathlib import Path

from generator.config import build_config
from tools.bench import forward_flops, page_weight


def test_forward_flops_are_counted_from_the_layer_shapes() -> None:
    conv1 = 2 * 1 * 9 * 16 * 32 * 32  # multiply-adds per output pixel, per channel
    conv2 = 2 * 16 * 9 * 32 * 16 * 16
    fc1, logits = 2 * (32 * 8 * 8) * 64, 2 * 64 * 9
    assert forward_flops(build_config()) == conv1 + conv2 + fc1 + logits  # ~2.92 MFLOP
    wider = build_config({"model.conv2_channels": 64})
    assert forward_flops(wider) > forward_flops(build_config())


def test_page_weight_counts_what_the_page_loads_and_nothing_else(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    files = {
        "style.css": b"body { background: url('bg.png') }",
        "bg.png": b"x" * 10,
        "a.gif": b"g" * 100,
        "a.poster.png": b"p" * 7,
        "linked.html": b"not loaded, only linked" * 50,
    }
    for name, content in files.items():
        (site / name).write_bytes(content)
    page = site / "en" / "index.html"
    page.write_text(
        '<link rel="stylesheet" href="../style.css"><link rel="canonical" href="../linked.html">'
        '<img src="../a.gif#frame"><video poster="../a.poster.png"></video>'
        '<a href="../linked.html">next</a><img src="https://elsewhere.example/x.png">'
        '<img src="data:image/png;base64,AAAA">'
    )
    weight = page_weight(site, page)
    loaded = {name: len(files[name]) for name in ("style.css", "bg.png", "a.gif", "a.poster.png")}
    assert weight["files"] == loaded
    assert weight["animations"] == len(files["a.gif"])
    assert weight["total"] == page.stat().st_size + sum(loaded.values())


def test_page_weight_tells_the_javascript_reader_from_the_other(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    files = {"a.gif": 100, "a.frames.png": 60, "timeline.json": 5, "slider.js": 9}
    for name, size in files.items():
        (site / name).write_bytes(b"x" * size)
    page = site / "index.html"
    page.write_text(
        '<script src="slider.js"></script><div data-timeline="timeline.json"></div>'
        '<div data-sprite="a.frames.png"></div><noscript><img src="a.gif"></noscript>'
    )
    weight = page_weight(site, page)
    assert weight["animations_by_reader"] == {"no_js": 100, "js": 60 + 5}
    assert weight["animations"] == 100  # the heavier reader's
    assert weight["total"] == page.stat().st_size + 9 + 100
