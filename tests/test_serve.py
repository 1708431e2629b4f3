"""`make serve`: an edit to a template shows up in the served page without a restart.

The project (generator code included) is copied, so the test edits the copy's template
and `python -m generator.serve` runs from the copy, importing its code, as the
benchmark's scratch builds do.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tools.project import BUILD_DATE, copy_project

MARK = "served-after-an-edit"
ARGS = ("--preset", "tiny", "--study.enabled=false")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None  # not serving yet


def wait_for(url: str, holds, seconds: float, server: subprocess.Popen) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        page = fetch(url)
        if page is not None and holds(page):
            return page
        time.sleep(0.2)
    raise AssertionError(f"{url}: not as expected after {seconds} s")


@pytest.mark.slow  # a build, then a server and a rebuild
def test_a_template_edit_is_served_without_a_restart(tmp_path):
    project = copy_project(tmp_path / "project", code=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator.serve", *ARGS, "--port", str(port)],
        cwd=project,  # so that `generator` is the copy, whose template the test edits
        env={**BUILD_DATE, **os.environ, "TQDM_DISABLE": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/en/"
    try:
        first = wait_for(url, lambda page: "<article" in page, 600, server)
        assert MARK not in first
        assert "livereload" in first  # the page reloads itself after a rebuild
        template = project / "generator" / "templates" / "index.en.md.j2"
        template.write_text(template.read_text(encoding="utf-8") + f"\n{MARK}\n", encoding="utf-8")
        wait_for(url, lambda page: MARK in page, 120, server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
