"""Shared fixtures: copies of the project built with the tiny preset and the default config.

A test that builds the default config (default_project), or the whole project again to
compare, belongs to the slow tier: mark it `slow` (pyproject.toml registers the marker;
`-m "not slow"` is the fast tier).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.project import copy_project, run_generator


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


def build_project(root: Path, *args: str) -> BuiltProject:
    result = run_generator(copy_project(root), "build", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltProject(root=root, output=result.stdout + result.stderr)


# For tests that check both builds: the default config's build is in the slow tier.
BOTH_PROJECTS = ["tiny_project", pytest.param("default_project", marks=pytest.mark.slow)]


@pytest.fixture(scope="session")
def tiny_project(tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    return build_project(tmp_path_factory.mktemp("tiny"), "--preset", "tiny")


@pytest.fixture(scope="session")
def default_project(tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    """The published article's build: run once, shared by the end-to-end tests."""
    return build_project(tmp_path_factory.mktemp("default"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs the default build but is not marked slow would slow the fast tier."""
    for item in items:
        needs = set(getattr(item, "fixturenames", ())) & {"default_project", "served_site"}
        if needs and item.get_closest_marker("slow") is None:
            raise pytest.UsageError(f"{item.nodeid} uses {needs.pop()}: mark it slow")
