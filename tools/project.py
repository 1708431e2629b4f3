"""A scratch copy of the project, and `python -m generator` run on it in a fresh process.

The one way the tests and the benchmarks copy and build the project. A copy holds the
site's sources (mkdocs.yml, its hooks, docs/ without build outputs); with code=True it
holds the generator too, and a build run from the copy imports that copy's code, so a
test or a benchmark can edit the code without touching the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from generator.cache import source_file
from generator.pipeline import REPORT

REPO = Path(__file__).resolve().parents[1]
# A fixed build date (sitemap, gzip headers) unless one is set, so builds compare byte for byte.
BUILD_DATE = {"SOURCE_DATE_EPOCH": "1700000000"}
# Build outputs and tooling state that a scratch copy of the project must not inherit.
NOT_SOURCES = {".git", ".venv", ".cache", "site", "__pycache__", "bench.json", "node_modules"}
NOT_SOURCE_SUFFIXES = (".egg-info", "_cache")
MIB = 2**20
# Only against a hung build: a tiny build with the study takes about 10 minutes on a
# machine whose two cores are shared many times over (measured 09:00-10:30, load 10-15).
BUILD_TIMEOUT = 1800


def not_sources(folder: str, names: list[str]) -> set[str]:
    """shutil.copytree's ignore: build outputs, caches and rendered pages."""
    here = Path(folder)
    skipped = {n for n in names if n in NOT_SOURCES or n.endswith(NOT_SOURCE_SUFFIXES)}
    skipped |= {n for n in names if n.startswith(".site-")}
    if here == REPO / "docs":
        skipped |= {n for n in names if n.endswith(".md")}  # rendered from templates
    if here == REPO / "docs" / "assets":
        skipped.add("generated")
    return skipped


def copy_project(dest: Path, *, code: bool = False) -> Path:
    """The project's sources under dest; the generator's code too with code=True."""
    if code:
        shutil.copytree(REPO, dest, ignore=not_sources)
        # The copy's generator looks for KaTeX beside itself (generator/hooks/typeset.py).
        if (REPO / "node_modules").is_dir():
            (dest / "node_modules").symlink_to(REPO / "node_modules")
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "docs", dest / "docs", ignore=not_sources)
    # mkdocs.yml names its hooks by path from the project folder
    shutil.copytree(REPO / "generator" / "hooks", dest / "generator" / "hooks")
    return dest


def remove_outputs(project: Path) -> None:
    """Empty the cache and every build output: the next build starts cold."""
    for folder in (project / ".cache", project / "site", project / "docs/assets/generated"):
        shutil.rmtree(folder, ignore_errors=True)
    for page in (project / "docs").glob("*.md"):
        page.unlink()


def append_line(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def edit_module(project: Path, module: str, note: str) -> None:
    """Append a comment to the project's copy of a generator module: new code, same behaviour."""
    path = source_file(f"generator.{module}")
    assert path is not None, module
    append_line(project / path.relative_to(REPO), f"# {note}")


def generator_command(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args, "--root", str(root)]


def run_generator(
    root: Path, *args: str, env: dict[str, str] | None = None, code: Path = REPO
) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS --root ROOT` in a fresh process, with the generator of
    `code` (the checkout, or a copy made with code=True)."""
    return subprocess.run(
        generator_command(root, *args),
        cwd=code,
        env={**BUILD_DATE, **os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )


@dataclass(frozen=True)
class BuildRun:
    seconds: float
    peak_rss_mib: float
    stages: dict[str, tuple[str, float]]  # stage -> (how, seconds of its own work)

    def stages_seconds(self) -> float:
        return sum(seconds for _, seconds in self.stages.values())

    def recomputed(self) -> list[str]:
        return [name for name, (how, _) in self.stages.items() if how == "computed"]


def run_build(project: Path, *args: str) -> BuildRun:
    """`python -m generator build` in project (its own copy of the code); time and RSS."""
    start = time.perf_counter()
    process = subprocess.Popen(
        generator_command(Path("."), "build", *args),
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**BUILD_DATE, **os.environ, "TQDM_DISABLE": "1"},
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # wait4 gives this child's own peak RSS
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"build failed ({process.returncode}):\n{output}")
    # The build's stage report: the main run's stages (a sibling's have its label as "run").
    report = json.loads((project / ".cache" / REPORT).read_text(encoding="utf-8"))
    stages = {s["stage"]: (s["how"], s["seconds"]) for s in report["stages"] if not s["run"]}
    return BuildRun(seconds=seconds, peak_rss_mib=usage.ru_maxrss * 1024 / MIB, stages=stages)
