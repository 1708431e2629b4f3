"""What a phone needs for the first screen: math typeset at build time (no math script,
KaTeX's stylesheet only where there is math), images with their size in the markup,
fonts that never hold text back, and no script that blocks the first paint."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from tools.project import REPO

BUILT_PAGES = ("index.html", "en/index.html", "experiments/index.html", "en/experiments/index.html")
KATEX = REPO / "docs" / "assets" / "katex"


def page_html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_no_math_script_and_katex_css_only_with_math(tiny_project, page):
    html = page_html(tiny_project.site, page)
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts and not [s for s in scripts if re.search(r"katex|mathjax|auto-render", s, re.I)]
    formulas = html.count('class="arithmatex"')
    assert html.count('<span class="katex') >= formulas  # each one typeset...
    assert not re.search(r"\\\(|\\\[", html.split("<article")[1].split("</article>")[0])  # ...all
    stylesheet = re.findall(r'<link rel="stylesheet" href="[^"]*katex\.min\.css">', html)
    assert len(stylesheet) == (1 if formulas else 0)


def test_the_articles_have_their_formulas_typeset(tiny_project):
    for page in ("index.html", "en/index.html"):
        html = page_html(tiny_project.site, page)
        assert html.count('class="katex-display"') >= 8, page  # one formula per layer at least
        assert "<math" in html  # KaTeX's MathML copy, for screen readers


def test_every_script_is_deferred(tiny_project):
    for page in BUILT_PAGES:
        html = page_html(tiny_project.site, page)
        blocking = re.findall(r"<script (?![^>]*\b(?:defer|async)\b)[^>]*\bsrc=[^>]*>", html)
        assert blocking == [], page


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_every_image_has_the_width_and_height_of_its_file(tiny_project, page):
    site = tiny_project.site
    images = re.findall(r"<img\b[^>]*>", page_html(site, page))
    assert images
    for tag in images:
        src = re.search(r'\ssrc="([^"]+)"', tag)[1]
        width, height = re.search(r'\swidth="(\d+)"', tag), re.search(r'\sheight="(\d+)"', tag)
        assert width and height, tag
        with Image.open((site / page).parent / src.split("#")[0]) as image:
            assert image.size == (int(width[1]), int(height[1])), tag


def test_vendored_katex_is_the_renderer_s_with_font_display_swap():
    """The stylesheet must match the HTML the renderer writes: the same KaTeX version."""
    vendored = (KATEX / "katex.min.css").read_text(encoding="utf-8")
    npm = REPO / "node_modules" / "katex" / "dist" / "katex.min.css"
    if not npm.is_file():
        pytest.fail("npm katex is missing: make test runs npm ci")
    assert vendored == npm.read_text(encoding="utf-8").replace(
        "font-display:block", "font-display:swap"
    )
    faces = re.findall(r"@font-face\{[^}]*\}", vendored)
    assert faces and all("font-display:swap" in face for face in faces)
    assert not (KATEX / "katex.min.js").exists()  # no math script ships
