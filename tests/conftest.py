"""Shared fixtures: a copy of the project built with the tiny preset."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# A fixed build date (sitemap, gzip headers) unless one is set, so builds compare byte for byte.
BUILD_DATE = {"SOURCE_DATE_EPOCH": "1700000000"}


def copy_project(dest: Path) -> Path:
    """The project's site sources (mkdocs.yml, its hooks, docs/ without outputs) under dest."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(
        REPO / "docs",
        dest / "docs",
        ignore=lambda folder, names: [
            n
            for n in names
            if n == "generated" or (Path(folder) == REPO / "docs" and n.endswith(".md"))
        ],
    )
    # mkdocs.yml names its hooks by path from the project folder
    shutil.copytree(REPO / "generator" / "hooks", dest / "generator" / "hooks")
    return dest


def run_generator(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS --root ROOT` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args, "--root", str(root)],
        cwd=REPO,
        env={**BUILD_DATE, **os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )


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
        }


def build_project(root: Path, *args: str) -> BuiltProject:
    result = run_generator(copy_project(root), "build", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltProject(root=root, output=result.stdout + result.stderr)


@pytest.fixture(scope="session")
def tiny_project(tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    return build_project(tmp_path_factory.mktemp("tiny"), "--preset", "tiny")


@pytest.fixture(scope="session")
def default_project(tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    """The published article's build: run once, shared by the end-to-end tests."""
    return build_project(tmp_path_factory.mktemp("default"))
