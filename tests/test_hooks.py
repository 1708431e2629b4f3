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


def test_content_between_headings_goes_in_sections_with_headings_and_slider_outside():
    sections = hook("sections")
    intro = '<h1 id="t">T</h1>\n<p>intro</p>\n'  # the first screen: left as it is
    a = '<p>one <img src="x.png"></p>\n<figure><img src="y.png"/></figure>\n'
    slider = '<div class="tc-slider"><input type="range"></div>\n'
    b = '<details><summary>s</summary><div><h3 id="nested">n</h3></div></details>\n'
    c = "<table><tr><td>1</td></tr></table>"
    h2a = '<h2 id="a">A<a href="#a">&para;</a></h2>\n'
    h2b, h3c = '<h2 id="b">B</h2>\n', "<h3>C</h3>"
    page = intro + h2a + a + slider + h2b + b + h3c + c
    wrapped = sections.wrap_sections(page)

    def section(html: str) -> str:
        return f'<div class="tc-section">{html}</div>'

    assert wrapped == intro + h2a + section(a) + slider + h2b + section(b) + h3c + section(c)


def test_a_page_without_a_second_level_heading_is_left_as_it_is():
    page = '<h1 id="t">T</h1>\n<p>only an intro</p>'
    assert hook("sections").wrap_sections(page) == page


def test_katex_runs_once_for_the_same_formulas_and_again_for_new_ones(monkeypatch):
    typeset = hook("typeset")
    runs = []
    monkeypatch.setattr(typeset, "run_katex", lambda request, katex: runs.append(request) or [""])
    katex = REPO / "node_modules" / "katex" / "package.json"  # any file: its bytes are keyed
    typeset.render([("x^2", False)], katex)
    hook("typeset").render([("x^2", False)], katex)  # the next build loads the hook afresh
    typeset.render([("x^3", False)], katex)
    assert len(runs) == 2


def test_each_cell_of_a_card_table_names_its_column():
    table = (
        '<div class="tc-cards">\n<table>\n<thead>\n<tr>\n<th>claim</th>\n<th align="right">'
        "value &amp; <em>interval</em></th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>a</td>\n"
        '<td align="right">1</td>\n</tr>\n<tr>\n<td>b</td>\n<td>2</td>\n</tr>\n</tbody>\n'
        "</table>\n</div>"
    )
    other = "<table><tr><td>left alone</td></tr></table>"
    out = hook("cards").on_page_content(table + other, page=None, config=None, files=None)
    assert out.count('<td data-label="claim">') == 2
    assert '<td data-label="value &amp; interval" align="right">1' in out
    assert '<td data-label="value &amp; interval">2' in out
    assert out.endswith(other)
