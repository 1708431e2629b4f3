"""Shared fixtures: copies of the project built with the tiny preset and the default config.

A test that builds the default config (default_project), or the whole project again to
compare, belongs to the slow tier: mark it `slow` (pyproject.toml registers the marker;
`-m "not slow"` is the fast tier).

The tests run in two processes (pytest-xdist, `-n 2` in pyproject.toml). The shared builds
are made once per test run, whichever process asks first, under a file lock the other
waits on; each starts in the background as soon as the tests are collected, since it is
the longest wait of the run.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.offline import GENERATOR, network_log, run_offline
from tools.project import copy_project, run_generator

# Set before any test module imports torch (nothing above does), and inherited by every
# build: a torch thread waiting for work sleeps instead of spinning, so two test processes
# and the builds share two cores. It changes no result (a build keeps its thread count);
# spinning threads made builds 3 to 10 times slower on a busy machine.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@dataclass(frozen=True)
class BuiltProject:
    root: Path
    output: str

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def generated(self) -> Path:
        return self.root / "docs" / "assets" / "generated"

    @property
    def facts(self) -> dict:
        return self.published("facts.json")

    def published(self, name: str) -> dict:
        return json.loads((self.generated / name).read_text(encoding="utf-8"))

    @property
    def render_context(self) -> dict:
        """What the build handed the templates, read back from the published files."""
        study = None
        if (self.generated / "seeds.json").is_file():
            study = {
                "seeds": self.published("seeds.json"),
                "experiments": self.published("experiments.json"),
            }
        return {
            "facts": self.facts,
            "config": self.facts["config"],
            "downloads": self.published("downloads.json")["files"],
            "study": study,
            "live": self.published("live.json")["facts"],
        }


def build_project(root: Path, *args: str, env: dict[str, str] | None = None) -> BuiltProject:
    result = run_generator(copy_project(root), "build", *args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltProject(root=root, output=result.stdout + result.stderr)


# The address and repository the Pages workflow gives a build (SITE_URL, REPO_URL).
SITE_URL = "https://example.org/inside-tinycnn/"
REPO_URL = "https://github.com/example/inside-tinycnn"


def build_published(root: Path, shared: Path) -> str:
    """The tiny build rebuilt (from its cache: only the site) as the Pages workflow builds."""
    if make_shared(shared, "tiny_project")["failed"]:
        raise RuntimeError("the tiny build it starts from failed")
    shutil.copytree(shared / "tiny_project", root, symlinks=True)
    env = {"SITE_URL": SITE_URL, "REPO_URL": REPO_URL}
    result = run_generator(root, "build", "--preset", "tiny", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def build_again(root: Path, _: Path) -> str:
    """The tiny build again, from scratch, with another hash seed than tiny_project's (an
    in-process rebuild shares one seed and hides ordering bugs), and offline: every network
    socket refused, each attempt logged (tests/offline.py)."""
    log = network_log(copy_project(root))
    log.touch()
    args = ("build", "--preset", "tiny", "--root", str(root))
    result = run_offline(log, GENERATOR, *args, env={"PYTHONHASHSEED": "2"})
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


# The builds every test may share: fixture name -> how to make it into a folder, in the
# order they are ready (the default build takes longest).
SHARED_BUILDS: dict[str, Callable[[Path, Path], str]] = {
    "tiny_project": lambda root, _: (
        build_project(root, "--preset", "tiny", env={"PYTHONHASHSEED": "1"}).output
    ),
    "published_project": build_published,
    # The article's run alone, for tests of the build rather than of the study.
    "tiny_main": lambda root, _: (
        build_project(root, "--preset", "tiny", "--study.enabled=false").output
    ),
    "tiny_again": build_again,
    "default_project": lambda root, _: build_project(root).output,
}


def shared_folder(config: pytest.Config) -> Path:
    """This test run's temporary folder, the same for both processes (pytest-xdist gives
    each worker a folder of its own inside it)."""
    base = config._tmp_path_factory.getbasetemp()  # what the tmp_path_factory fixture gives
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def make_shared(
    shared: Path, name: str, make: Callable[[Path, Path], str] | None = None
) -> dict[str, object]:
    """A shared build, made by the first process that asks and read by the others: its
    output, and whether it failed (then every test that needs it reports the output).
    `make` builds it, SHARED_BUILDS[name] unless given (a test module's own builds)."""
    done = shared / f"{name}.json"
    with (shared / f"{name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not done.exists():
            try:
                output = (make or SHARED_BUILDS[name])(shared / name, shared)
                outcome = {"output": output, "failed": False}
            except Exception as error:
                outcome = {"output": str(error), "failed": True}
            done.write_text(json.dumps(outcome), encoding="utf-8")
    return json.loads(done.read_text(encoding="utf-8"))


def built(shared: Path, name: str, make: Callable[[Path, Path], str] | None = None) -> BuiltProject:
    outcome = make_shared(shared, name, make)
    if outcome["failed"]:
        pytest.fail(f"the shared build {name} failed:\n{outcome['output']}", pytrace=False)
    return BuiltProject(root=shared / name, output=str(outcome["output"]))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start each shared build the selected tests need, each in a thread of its own."""
    if session.config.option.collectonly:
        return
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    shared = shared_folder(session.config)
    for name in sorted(SHARED_BUILDS.keys() & needed):
        threading.Thread(target=make_shared, args=(shared, name), name=name).start()


@pytest.fixture(scope="session")
def tiny_project(pytestconfig: pytest.Config) -> BuiltProject:
    return built(shared_folder(pytestconfig), "tiny_project")


@pytest.fixture(scope="session")
def tiny_again(pytestconfig: pytest.Config) -> BuiltProject:
    """The tiny build made again from scratch and offline, to compare with tiny_project."""
    return built(shared_folder(pytestconfig), "tiny_again")


@pytest.fixture(scope="session")
def tiny_main(pytestconfig: pytest.Config) -> BuiltProject:
    """The tiny build without the study."""
    return built(shared_folder(pytestconfig), "tiny_main")


@pytest.fixture(scope="session")
def default_project(pytestconfig: pytest.Config) -> BuiltProject:
    """The published article's build: run once, shared by the end-to-end tests."""
    return built(shared_folder(pytestconfig), "default_project")


@pytest.fixture(scope="session")
def published_project(pytestconfig: pytest.Config) -> BuiltProject:
    """The tiny build with SITE_URL and REPO_URL, as the Pages workflow sets them."""
    return built(shared_folder(pytestconfig), "published_project")


# For tests that check both builds: the default config's build is in the slow tier.
BOTH_PROJECTS = ["tiny_project", pytest.param("default_project", marks=pytest.mark.slow)]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that need no shared build first, then those of the builds that come first: the
    builds are made in the background meanwhile. A test that needs the default build, or a
    build again, but is not marked slow would slow the fast tier."""
    slow = {"default_project", "tiny_again", "tiny_main"}
    for item in items:
        needs = set(getattr(item, "fixturenames", ())) & slow
        if needs and item.get_closest_marker("slow") is None:
            raise pytest.UsageError(f"{item.nodeid} uses {needs.pop()}: mark it slow")
    items.sort(key=waits_for)


def waits_for(item: pytest.Item) -> int:
    """The place in SHARED_BUILDS of the last shared build a test needs; -1 for none."""
    needs = set(getattr(item, "fixturenames", ()))
    callspec = getattr(item, "callspec", None)  # BOTH_PROJECTS names a build as a parameter
    needs |= {str(value) for value in callspec.params.values()} if callspec else set()
    return max((i for i, name in enumerate(SHARED_BUILDS) if name in needs), default=-1)
