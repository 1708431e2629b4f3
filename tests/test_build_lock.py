"""Two builds in one checkout: the second waits for the first (or, told not to wait,
exits 2), and both leave the site a build alone would have made."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading

import pytest

from generator.lock import build_lock
from tests.test_reproducible import contents
from tools.project import BUILD_DATE, REPO, copy_project, run_generator

# The main run alone, as conftest's tiny_main: the study would only make the test longer.
ARGS = ("build", "--preset", "tiny", "--study.enabled=false")


def start_build(root) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *ARGS, "--root", str(root)],
        cwd=REPO,
        env={**BUILD_DATE, **os.environ, "TQDM_DISABLE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.slow  # two tiny builds, compared with the shared one (the same arguments)
def test_two_builds_started_together_both_finish_with_a_clean_builds_site(tmp_path, tiny_main):
    root = copy_project(tmp_path / "together")
    first, second = start_build(root), start_build(root)
    outputs = {p.pid: p.communicate(timeout=900)[0] for p in (first, second)}
    assert (first.returncode, second.returncode) == (0, 0), outputs
    waited = [
        (pid, re.findall(r"^waiting for the build in process (\d+)$", out, re.MULTILINE))
        for pid, out in outputs.items()
    ]
    # One of them ran first; the other said once whom it waited for, then went on.
    said = [(pid, lines) for pid, lines in waited if lines]
    assert len(said) == 1, outputs
    ((waiter, lines),) = said
    assert lines == [str(first.pid if waiter == second.pid else second.pid)]
    assert "=== train: computed" not in outputs[waiter]  # it used the finished cache

    assert contents(root / "site") == contents(tiny_main.site)


def test_told_not_to_wait_a_build_exits_2_in_one_line_and_writes_nothing(tmp_path):
    root = copy_project(tmp_path / "project")
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with build_lock(root, root / "site", root / ".cache", log=lambda line: None):
            held.set()
            release.wait(timeout=120)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(timeout=30)
        result = run_generator(root, *ARGS, "--no-wait")
    finally:
        release.set()
        holder.join()
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.fullmatch(
        rf"error: the build in process {os.getpid()} is using .*; not waiting \(--no-wait\).*",
        lines[0],
    ), result.stderr
    assert not list((root / "docs").glob("*.md")) and not (root / "site").exists()
