"""MkDocs hook: give every image of the site's own its width and height.

With its size in the markup the browser reserves an image's box before the file
arrives, so nothing below it jumps while the page loads (cumulative layout shift).
The size is read from the file itself, so a figure whose pixel size changes needs no
edit in the templates; an image whose file is missing stops the build. A figure (under
assets/generated/) is drawn at chrome.DENSITY pixels per CSS px, so its CSS size is its
pixel size over that: sharp on a 2x screen, and unscaled in a phone's column.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from PIL import Image

from generator.figures.chrome import DENSITY

IMG = re.compile(r"<img\b[^>]*>")
SRC = re.compile(r'\ssrc="([^"]+)"')
SIZED = re.compile(r"\s(?:width|height)=")
FIGURES = Path("assets") / "generated"


def pixel_size(file: Path) -> tuple[int, int]:
    with Image.open(file) as image:  # reads the header only
        return image.size


def css_size(file: Path, docs: Path) -> tuple[int, int]:
    """The size the page gives an image: a figure's pixels over DENSITY, others' pixels."""
    width, height = pixel_size(file)
    if file.parent == docs / FIGURES:
        return width // DENSITY, height // DENSITY
    return width, height


def local_file(src: str, page: Page, docs: Path) -> Path | None:
    """The docs file an img's src names (relative to the page's URL), or None if not ours."""
    if re.match(r"^[a-z]+:|^//|^/", src):
        return None
    path = src.split("#")[0].split("?")[0]
    folder = posixpath.dirname(page.url) if not page.url.endswith("/") else page.url
    return docs / posixpath.normpath(posixpath.join(folder, path))


def on_page_content(content: str, *, page: Page, config: MkDocsConfig, files: object) -> str:
    docs = Path(config.docs_dir)

    def sized(match: re.Match[str]) -> str:
        tag = match[0]
        src = SRC.search(tag)
        if src is None or SIZED.search(tag):
            return tag
        file = local_file(src[1], page, docs)
        if file is None:
            return tag
        if not file.is_file():
            raise PluginError(f"{page.file.src_uri}: image {src[1]} not found at {file}")
        width, height = css_size(file, docs)
        return tag.replace(src[0], f'{src[0]} width="{width}" height="{height}"', 1)

    return IMG.sub(sized, content)
