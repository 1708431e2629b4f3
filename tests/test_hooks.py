"""The MkDocs hooks in generator/hooks (loaded by path, as MkDocs loads them)."""

from __future__ import annotations

import importlib.util
from types import ModuleType, SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from tools.project import REPO


def hook(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "generator" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("site_url", [None, "https://example.org/inside-tinycnn/"])
def test_switcher_links_become_relative_to_the_site_root(site_url):
    root = "/inside-tinycnn/" if site_url else "/"
    links = [{"link": root}, {"link": f"{root}en/"}, {"link": "en/x/"}]
    config = SimpleNamespace(extra=SimpleNamespace(alternate=links), site_url=site_url)
    hook("languages").on_page_context({}, page=None, config=config, nav=None)
    assert [a["link"] for a in links] == ["./", "en/", "en/x/"]


def test_each_language_and_page_folder_gets_the_sitemap(tmp_path):
    (tmp_path / "sitemap.xml").write_text("<urlset/>")
    pages = ["en", "experiments", "en/experiments"]
    for folder in pages:
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "index.html").write_text("")
    (tmp_path / "assets").mkdir()
    config = SimpleNamespace(plugins={"i18n": object()}, site_dir=str(tmp_path))
    hook("languages").on_post_build(config)
    for folder in pages:
        assert (tmp_path / folder / "sitemap.xml").read_text() == "<urlset/>", folder
    assert not (tmp_path / "assets" / "sitemap.xml").exists()
    assert not (tmp_path / "ja").exists()


def test_search_dialog_is_named_after_its_input():
    page = SimpleNamespace(file=SimpleNamespace(src_uri="index.md"))
    accessibility = hook("accessibility")
    html = (
        accessibility.DIALOG
        + '<input type="text" class="md-search__input" name="query" aria-label="検索" />'
    )
    named = accessibility.on_post_page(html, page=page, config=None)
    assert (
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="検索">'
        in named
    )
    with pytest.raises(PluginError, match=r"index\.md"):
        accessibility.on_post_page(accessibility.DIALOG, page=page, config=None)
