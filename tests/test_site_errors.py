"""A site MkDocs refuses to build is reported in one line, and the last good site stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.stages import SiteBuildFailed, mkdocs_build


def project_with_page(root: Path, nav_target: str) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Page\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(f"site_name: t\nnav:\n  - Home: {nav_target}\n", encoding="utf-8")
    return config


def test_a_refused_build_names_what_mkdocs_said_and_keeps_the_site(tmp_path: Path) -> None:
    config = project_with_page(tmp_path, "missing.md")  # strict mode refuses a dangling nav entry
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("last good site", encoding="utf-8")
    with pytest.raises(SiteBuildFailed, match=r"missing\.md"):
        mkdocs_build(config, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "last good site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "site"]


def test_a_good_build_replaces_the_site(tmp_path: Path) -> None:
    config = project_with_page(tmp_path, "index.md")
    mkdocs_build(config, tmp_path / "site")
    assert "<h1" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
