"""Same inputs, same bytes: two builds from scratch give an identical site.

Each build runs in its own process with its own hash seed (an in-process
rebuild shares one seed and hides set-ordering bugs) and its own empty cache;
both share SOURCE_DATE_EPOCH, the only date the output may contain.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.project import copy_project, run_generator


def build_tiny(root: Path, hash_seed: str) -> Path:
    env = {"PYTHONHASHSEED": hash_seed, "SOURCE_DATE_EPOCH": "1700000000"}
    result = run_generator(copy_project(root), "build", "--preset", "tiny", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def contents(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.slow  # two whole builds
def test_two_builds_from_scratch_are_byte_identical(tmp_path):
    first = contents(build_tiny(tmp_path / "first", hash_seed="1"))
    second = contents(build_tiny(tmp_path / "second", hash_seed="2"))
    assert sorted(first) == sorted(second), "the builds wrote different files"
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == [], f"files that differ between the builds: {differing}"
    assert "2023-11-14" in first["index.html"].decode()  # the date is SOURCE_DATE_EPOCH's
    assert "assets/social-card.png" in first  # the social card too: same figures, same bytes
