"""`make bench`: how long builds take, how fast training runs, how heavy the page is.

A benchmark, not a test: it builds the article in a scratch copy of the
project (so nothing in the checkout changes), several rounds of

    cold (empty cache) -> no change -> prose edit -> figure-code edit -> retraining config

each in a fresh process, of the main article's run alone (study.enabled=false),
and reports medians against the targets of issue 8 in a table and in bench.json.
Then one cold build of the whole site, seed study and experiments included, is
timed and its pages weighed. Training throughput is compared with the FLOP
lower bound: the model's FLOPs, counted from its layer shapes, over the speed
of a float32 matmul measured in the same process with the same thread count.

Run: python -m tools.bench [--runs N] [--json PATH] [--preset NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from generator.config import Config, build_config
from tools.project import (
    BuildRun,
    append_line,
    copy_project,
    edit_module,
    remove_outputs,
    run_build,
)


@dataclass(frozen=True)
class Target:
    label: str
    limit: float
    unit: str


TARGETS = {
    "cold_s": Target("cold build, empty cache", 25.0, "s"),
    "figures_s": Target("all figures (cold build's figures stage)", 3.0, "s"),
    "prose_s": Target("prose-only rebuild", 3.0, "s"),
    "no_change_s": Target("no-change rebuild", 2.0, "s"),
    "training_vs_bound": Target("training time / FLOP lower bound", 3.0, "x"),
    "peak_rss_mib": Target("peak RSS of any build", 600.0, "MiB"),
    "animations_mb": Target("animations on the heaviest page", 1.5, "MB"),
}


# --- rounds of rebuilds -------------------------------------------------------------
def one_round(project: Path, index: int, args: list[str], cfg: Config) -> dict[str, BuildRun]:
    """Each kind of rebuild once, starting from an empty cache."""
    remove_outputs(project)
    runs = {"cold": run_build(project, *args)}
    runs["no_change"] = run_build(project, *args)
    template = sorted((project / "generator/templates").glob("*.md.j2"))[0]
    append_line(template, f"\n<!-- bench: prose edit {index} -->")
    runs["prose"] = run_build(project, *args)
    edit_module(project, "figures", f"bench: figure-code edit {index}")
    runs["figure_code"] = run_build(project, *args)
    lr = cfg.train.lr * (1 + (index + 1) / 100)  # a new value each round, so it always retrains
    runs["retrain"] = run_build(project, *args, f"--train.lr={lr!r}")
    return runs


# --- training throughput against the FLOP lower bound -------------------------------
def forward_flops(cfg: Config) -> int:
    """FLOPs of one image's forward pass, from the layer shapes (a multiply-add is 2)."""
    import torch
    from torch import nn

    from generator.model import TinyCNN

    net = TinyCNN(cfg.model, cfg.data)
    size = cfg.data.image_size
    outputs = net.stage_outputs(torch.zeros(1, 1, size, size))
    total = 0
    for name, layer in net.named_children():
        if isinstance(layer, nn.Conv2d):
            taps = layer.in_channels // layer.groups * layer.kernel_size[0] * layer.kernel_size[1]
            total += 2 * taps * outputs[name].numel()
        elif isinstance(layer, nn.Linear):
            total += 2 * layer.in_features * layer.out_features
    return total


def matmul_gflops(threads: int, n: int = 1024, repeats: int = 10) -> float:
    """Best speed of an n x n float32 matmul with `threads` threads: the machine's peak."""
    import torch

    torch.set_num_threads(threads)
    a, b = torch.rand(n, n), torch.rand(n, n)
    a @ b  # warm up the BLAS
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def measure_training(cfg: Config) -> dict[str, float]:
    """Run the training stage's work (training + recorder) once and time it."""
    from generator import data, trace, train

    peak = matmul_gflops(cfg.train.threads)
    dataset = data.make_dataset(cfg.data)
    recorder = trace.Recorder(cfg, dataset)
    start = time.perf_counter()
    train.train(cfg, dataset.train, recorder)
    seconds = time.perf_counter() - start
    # Images are counted from what the run did, not by a forward hook: a global hook costs
    # Python time on every layer call and would slow the very thing it measures.
    # Evaluations: the whole test set each, the training set at the end, and one probe
    # image per step of the probe's history.
    tests = cfg.data.test_size * len(recorder.curves.steps)
    images = {
        "train": cfg.data.train_size * cfg.train.epochs,
        "eval": tests + cfg.data.train_size + len(recorder.history.candidates),
    }
    forward = forward_flops(cfg)
    flops = 3 * forward * images["train"] + forward * images["eval"]  # backward ~ 2 forwards
    return {
        "seconds": seconds,
        "forward_mflop_per_image": forward / 1e6,
        "train_images": images["train"],
        "eval_images": images["eval"],
        "gflop": flops / 1e9,
        "gflops": flops / seconds / 1e9,
        "peak_gflops": peak,
        "lower_bound_s": flops / (peak * 1e9),
        "vs_bound": seconds / (flops / (peak * 1e9)),
    }


# --- page weight --------------------------------------------------------------------
class References(HTMLParser):
    """Local files an HTML page loads: stylesheets, icons, scripts, images, media.

    Two readers load different files: without JavaScript the animations are the GIFs
    inside <noscript>; with it, slider.js fetches the sprite sheets and the timeline
    named by data-sprite and data-timeline instead.
    """

    LOADED_LINKS = frozenset({"stylesheet", "icon", "preload", "modulepreload", "manifest"})
    SCRIPT_LOADED = ("data-sprite", "data-timeline")

    def __init__(self) -> None:
        super().__init__()
        self.urls: dict[str, list[str]] = {"no_js": [], "js": []}
        self.noscript = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "noscript":
            self.noscript += 1
        found = {key: value or "" for key, value in attrs}
        loaded = []
        if tag == "link" and self.LOADED_LINKS & set(found.get("rel", "").split()):
            loaded.append(found.get("href", ""))
        loaded += [found[key] for key in ("src", "poster", "data") if key in found and tag != "a"]
        if "srcset" in found:
            loaded += [part.split()[0] for part in found["srcset"].split(",") if part.strip()]
        self.urls["no_js"] += loaded
        if not self.noscript:
            self.urls["js"] += loaded
        self.urls["js"] += [found[key] for key in self.SCRIPT_LOADED if key in found]

    def handle_endtag(self, tag: str) -> None:
        if tag == "noscript":
            self.noscript -= 1


def loaded_files(site: Path, page: Path, urls: list[str]) -> dict[str, int]:
    """Size of every local file behind `urls` (and of what their CSS loads), by site path."""
    files: set[Path] = set()
    pending = [(page.parent, url) for url in urls]
    while pending:
        base, url = pending.pop()
        if not url or re.match(r"^[a-z]+:|^//|^#", url):
            continue  # another origin, data: or an anchor: not a file of ours
        path = (base / url.split("#")[0].split("?")[0]).resolve()
        if path in files or not path.is_file() or site.resolve() not in path.parents:
            continue
        files.add(path)
        if path.suffix == ".css":
            css = path.read_text(encoding="utf-8", errors="replace")
            pending += [(path.parent, u) for u in re.findall(r"url\(['\"]?([^'\")]+)", css)]
    return {p.relative_to(site.resolve()).as_posix(): p.stat().st_size for p in sorted(files)}


def page_weight(site: Path, page: Path) -> dict[str, Any]:
    """Bytes of a page and of every local file it loads, for a reader with and without JS.

    "animations" is the heavier reader's: GIFs without JavaScript, sprite sheets and the
    timeline with it.
    """
    parser = References()
    parser.feed(page.read_text(encoding="utf-8"))
    html = page.stat().st_size
    readers = {name: loaded_files(site, page, urls) for name, urls in parser.urls.items()}
    animation_files = {"no_js": (".gif",), "js": (".frames.png", "timeline.json")}
    animations = {
        name: sum(size for f, size in sizes.items() if f.endswith(animation_files[name]))
        for name, sizes in readers.items()
    }
    return {
        "html": html,
        "total": html + max(sum(sizes.values()) for sizes in readers.values()),
        "animations": max(animations.values()),
        "animations_by_reader": animations,
        "files": readers["no_js"] | readers["js"],
    }


def publication(project: Path) -> dict[str, Any]:
    site = project / "site"
    generated = project / "docs/assets/generated"
    pages = sorted(p for p in site.rglob("index.html") if "search" not in p.parts)
    return {
        "assets": {p.name: p.stat().st_size for p in sorted(generated.iterdir())},
        "pages": {p.relative_to(site).as_posix(): page_weight(site, p) for p in pages},
    }


# --- the report ---------------------------------------------------------------------
def median(values: list[float]) -> float:
    return statistics.median(values)


def summarize(
    rounds: list[dict[str, BuildRun]],
    training: list[dict[str, float]],
    published: dict[str, Any],
    machine: dict[str, Any],
) -> dict[str, Any]:
    def of(kind: str, pick: Callable[[BuildRun], float]) -> float:
        return median([pick(r[kind]) for r in rounds])

    stage_names = list(rounds[0]["cold"].stages)
    cold_stages = {s: of("cold", lambda run, s=s: run.stages[s][1]) for s in stage_names}
    # Python start-up, config and the imports made before the first stage starts its clock.
    cold_stages["other"] = of("cold", lambda run: run.seconds - run.stages_seconds())
    pages = published["pages"]
    measured = {
        "cold_s": of("cold", lambda run: run.seconds),
        "figures_s": cold_stages.get("figures", float("nan")),
        "prose_s": of("prose", lambda run: run.seconds),
        "no_change_s": of("no_change", lambda run: run.seconds),
        "training_vs_bound": median([t["vs_bound"] for t in training]),
        "peak_rss_mib": max(run.peak_rss_mib for r in rounds for run in r.values()),
        "animations_mb": max((p["animations"] for p in pages.values()), default=0) / 1e6,
    }
    return {
        "runs": len(rounds),
        "machine": machine,
        "measured": measured,
        "met": {key: measured[key] <= target.limit for key, target in TARGETS.items()},
        "cold_stages_s": cold_stages,
        "rebuilds": {
            kind: {
                "seconds": of(kind, lambda run: run.seconds),
                "recomputed": rounds[0][kind].recomputed(),
                "stages_s": {s: of(kind, lambda run, s=s: run.stages[s][1]) for s in stage_names},
            }
            for kind in rounds[0]
        },
        "training": {key: median([t[key] for t in training]) for key in training[0]},
        "published": published,
    }


def table(summary: dict[str, Any]) -> str:
    machine = summary["machine"]
    lines = [
        f"Medians of {summary['runs']} runs on {machine['cpus']} CPUs, {machine['threads']} "
        f"torch threads; load average {machine['load_before']:.1f} before, "
        f"{machine['load_after']:.1f} after (other work on the machine slows every figure).",
        "",
    ]
    lines.append(f"{'target':<44} {'measured':>10} {'limit':>8}  ")
    for key, target in TARGETS.items():
        value, ok = summary["measured"][key], summary["met"][key]
        lines.append(
            f"{target.label:<44} {value:>8.2f} {target.unit:<3}"
            f"{target.limit:>5g} {target.unit:<3} {'ok' if ok else 'MISS'}"
        )
    lines += ["", "cold build by stage (s):"]
    lines += [f"  {name:<10} {s:6.2f}" for name, s in summary["cold_stages_s"].items()]
    study = summary["with_study"]
    lines += [
        "",
        f"cold build with the seed study and experiments (once): {study['cold_s']:.1f} s, "
        f"peak RSS {study['peak_rss_mib']:.0f} MiB",
    ]
    lines += ["", f"{'rebuild':<12} {'seconds':>8}  recomputed stages"]
    for kind, rebuild in summary["rebuilds"].items():
        recomputed = ", ".join(rebuild["recomputed"]) or "-"
        lines.append(f"{kind:<12} {rebuild['seconds']:8.2f}  {recomputed}")
    t = summary["training"]
    lines += [
        "",
        f"training: {t['seconds']:.2f} s for {t['gflop']:.1f} GFLOP "
        f"({t['train_images']:.0f} images trained, {t['eval_images']:.0f} evaluated, "
        f"{t['forward_mflop_per_image']:.3f} MFLOP forward each)",
        f"  {t['gflops']:.1f} GFLOP/s; matmul peak {t['peak_gflops']:.1f} GFLOP/s; "
        f"lower bound {t['lower_bound_s']:.2f} s; ratio {t['vs_bound']:.2f}x",
        "",
        "published assets (bytes):",
    ]
    assets = summary["published"]["assets"]
    lines += [f"  {name:<40} {size:>10,}" for name, size in assets.items()]
    lines.append(f"  {'total':<40} {sum(assets.values()):>10,}")
    lines.append("page weight (HTML + everything it loads), bytes:")
    for page, weight in summary["published"]["pages"].items():
        lines.append(
            f"  {page:<40} {weight['total']:>10,}  (html {weight['html']:,}, "
            f"animations {weight['animations_by_reader']['no_js']:,} without JavaScript, "
            f"{weight['animations_by_reader']['js']:,} with it)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="rounds; medians are reported")
    parser.add_argument("--preset", default="default", help="config preset to build")
    parser.add_argument("--json", type=Path, default=Path("bench.json"), help="results file")
    args = parser.parse_args(argv)
    cfg = build_config(preset=args.preset)
    # The targets are for the main article's run; the seed study and the experiments train
    # 9 more models and are timed once, cold, at the end (their pages are weighed there).
    build_args = ["--preset", args.preset, "--study.enabled=false"]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        project = copy_project(Path(scratch) / "project", code=True)
        rounds = []
        for index in range(args.runs):
            rounds.append(one_round(project, index, build_args, cfg))
            print(f"round {index + 1}/{args.runs}: cold build {rounds[-1]['cold'].seconds:.1f} s")
        unedited = copy_project(Path(scratch) / "whole", code=True)  # the rounds edited their copy
        whole = run_build(unedited, "--preset", args.preset, "--study.enabled=true")
        site = publication(unedited)
    training = [measure_training(cfg) for _ in range(args.runs)]
    machine = {
        "cpus": os.cpu_count(),
        "threads": cfg.train.threads,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }
    summary = summarize(rounds, training, site, machine)
    summary["with_study"] = {
        "cold_s": whole.seconds,
        "stages_s": {name: seconds for name, (_, seconds) in whole.stages.items()},
        "peak_rss_mib": whole.peak_rss_mib,
    }
    args.json.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(table(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
