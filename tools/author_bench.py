"""`make bench`, the author's side: live reload after a template edit, and two builds at once.

In a scratch copy of the project (generator code included, so its template can be
edited), with the tiny preset and without the study (the loop's cost, not training's):

- live reload: `python -m generator.serve` runs; a template is edited several times and
  each time the seconds until the served page shows the edit are taken (target: 3 s);
- two builds at once: a cold build alone, then two cold builds started together in one
  checkout (the second waits for the first, then runs on its cache): wall seconds.

A benchmark, not a test: the numbers depend on what else the machine is doing.

Run: python -m tools.author_bench [--edits 5] [--json author-bench.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tools.project import REPO, copy_project

ARGS = ("--preset", "tiny", "--study.enabled=false")
QUIET = {**os.environ, "TQDM_DISABLE": "1"}
LIVE_TARGET_S = 3.0


def page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def until(condition, limit: float = 600) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > limit:
            raise TimeoutError(f"not done after {limit} s")
        time.sleep(0.05)
    return time.monotonic() - start


def live_reload_seconds(project: Path, edits: int) -> list[float]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "generator.serve", *ARGS, "--port", str(port)],
        cwd=project,
        env=QUIET,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/en/"
    template = project / "generator" / "templates" / "index.en.md.j2"
    seconds = []
    try:
        until(lambda: "<article" in page(url))
        for n in range(edits):
            mark = f"live-edit-{n}"
            template.write_text(template.read_text(encoding="utf-8") + f"\n{mark}\n", "utf-8")
            seconds.append(until(lambda mark=mark: mark in page(url), limit=120))
            time.sleep(1)  # let the watcher settle before the next edit
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return seconds


def build(project: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", *ARGS, "--root", "."],
        cwd=project,
        env=QUIET,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def concurrent_seconds(project: Path) -> dict[str, float]:
    def cold() -> None:
        for folder in (".cache", "site", "docs/assets/generated"):
            shutil.rmtree(project / folder, ignore_errors=True)

    cold()
    start = time.monotonic()
    alone = build(project)
    alone.communicate()
    alone_s = time.monotonic() - start
    cold()
    start = time.monotonic()
    pair = [build(project), build(project)]
    finished = []
    for process in pair:
        output = process.communicate()[0]
        finished.append(time.monotonic() - start)
        if process.returncode:
            raise RuntimeError(f"a concurrent build failed:\n{output}")
    return {"alone_s": alone_s, "first_done_s": min(finished), "both_done_s": max(finished)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.author_bench", description=__doc__)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--json", type=Path, default=REPO / "author-bench.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="author-bench-") as scratch:
        project = copy_project(Path(scratch) / "project", code=True)
        load_before = os.getloadavg()[0]
        live = live_reload_seconds(project, args.edits)
        pair = concurrent_seconds(project)
    report = {
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "live_reload_s": live,
        "live_reload_median_s": statistics.median(live),
        "concurrent": pair,
    }
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    median = report["live_reload_median_s"]
    print(
        f"load average {load_before:.1f} before, {report['load_after']:.1f} after\n"
        f"template edit -> served page: median {median:.2f} s of {len(live)} "
        f"({', '.join(f'{s:.2f}' for s in live)}), target {LIVE_TARGET_S:g} s: "
        f"{'ok' if median <= LIVE_TARGET_S else 'MISS'}\n"
        f"cold build alone {pair['alone_s']:.1f} s; two started together: first done "
        f"{pair['first_done_s']:.1f} s, both {pair['both_done_s']:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
