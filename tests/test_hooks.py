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


def test_toggles_take_autocomplete_off_from_a_form_instead_of_their_own_attribute():
    page = SimpleNamespace(file=SimpleNamespace(src_uri="index.md"))
    validity = hook("validity")
    toggles = (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
        'autocomplete="off">\n'
        '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" '
        'autocomplete="off">'
    )
    fixed = validity.on_post_page(f"<body>{toggles}</body>", page=page, config=None)
    assert fixed.count('<form id="__md-toggles" autocomplete="off" hidden></form>') == 1
    assert fixed.index("<form") < fixed.index("<input")  # the toggles stay where they were
    assert fixed.count('form="__md-toggles"') == 2 and fixed.count("autocomplete") == 1
    changed = toggles.replace('type="checkbox" ', 'type="checkbox" data-new ')
    with pytest.raises(PluginError, match=r"index\.md"):
        validity.on_post_page(changed, page=page, config=None)


def test_a_formula_katex_cannot_parse_stops_the_build_naming_the_page(tmp_path):
    typeset = hook("typeset")
    page = SimpleNamespace(file=SimpleNamespace(src_uri="index.en.md"), meta={}, url="en/")
    config = SimpleNamespace(config_file_path=str(REPO / "mkdocs.yml"), docs_dir=str(REPO / "docs"))
    good = '<p><span class="arithmatex">\\(x &lt; \\frac{1}{2}\\)</span></p>'
    html = typeset.on_page_content(good, page=page, config=config, files=None)
    assert '<span class="arithmatex"><span class="katex">' in html and "\\(" not in html
    assert "<mo>&lt;</mo>" in html  # the escaped "<" reached KaTeX as "<"
    bad = '<div class="arithmatex">\\[\\frac{1}{\\]</div>'
    with pytest.raises(PluginError, match=r"index\.en\.md: KaTeX: .*frac"):
        typeset.on_page_content(bad, page=page, config=config, files=None)
    page_html = '<head><link rel="stylesheet" href="../stylesheets/extra.css"></head>'
    linked = typeset.on_post_page(page_html, page=page, config=config)
    assert linked.index('href="../assets/katex/katex.min.css"') < linked.index("extra.css")


def test_an_image_gets_its_file_size_and_a_missing_one_stops_the_build(tmp_path):
    images = hook("images")
    from PIL import Image

    (tmp_path / "assets").mkdir()
    Image.new("RGB", (7, 3)).save(tmp_path / "assets" / "a.png")
    config = SimpleNamespace(docs_dir=str(tmp_path))
    page = SimpleNamespace(file=SimpleNamespace(src_uri="index.en.md"), url="en/")
    html = '<img src="../assets/a.png#only-light" alt="a"><img src="https://x.org/b.png">'
    sized = images.on_page_content(html, page=page, config=config, files=None)
    assert sized == (
        '<img src="../assets/a.png#only-light" width="7" height="3" alt="a">'
        '<img src="https://x.org/b.png">'
    )
    with pytest.raises(PluginError, match=r"index\.en\.md: image \.\./assets/b\.png"):
        images.on_page_content('<img src="../assets/b.png">', page=page, config=config, files=None)
