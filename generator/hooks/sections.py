"""MkDocs hook: wrap the content between a page's headings in <div class="tc-section">.

The stylesheet gives these blocks `content-visibility: auto` (extra.css), so a phone
lays out and paints only the sections near the screen: the article is long (math,
tables, a dozen figures), and laying all of it out before the first paint, and again
each time a script asked for a position, is what held that paint back.

Left outside any section: the headings, since Material's table of contents reads every
heading's offsetTop when the page loads, and asking for the position of an element in a
section the browser skipped makes it lay that section out after all; and the elements
named in KEPT_OUTSIDE: the training-step slider sticks under the header across all the
layer sections, and a sticky element only sticks within its parent. The intro before the
first h2 is the first screen and is left as it is.
"""

from __future__ import annotations

from html.parser import HTMLParser

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

# A div, not a <section>: the headings stay outside (below), and a section without one
# is a validator warning.
SECTION_OPEN = '<div class="tc-section">'
SECTION_CLOSE = "</div>"
KEPT_OUTSIDE = ("tc-slider",)  # by class
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class TopLevel(HTMLParser):
    """Where each top-level element of an HTML fragment starts: (offset, tag, classes)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        # getpos() counts lines by "\n" alone (not str.splitlines' other breaks).
        self.line_starts = [0]
        for line in text.split("\n"):
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        self.depth = 0
        self.elements: list[tuple[int, str, list[str]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            line, column = self.getpos()
            classes = next((value or "" for name, value in attrs if name == "class"), "")
            self.elements.append((self.line_starts[line - 1] + column, tag, classes.split()))
        if tag not in VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:
            self.depth -= 1


def wrap_sections(html: str) -> str:
    """`html` with each run of top-level elements after the first h2 and between two
    headings (or kept elements) wrapped in a block."""
    out: list[str] = []
    cursor, open_section, seen_h2 = 0, False, False
    for start, tag, classes in TopLevel(html).elements:
        outside = tag in HEADINGS or any(c in KEPT_OUTSIDE for c in classes)
        seen_h2 = seen_h2 or tag == "h2"
        if open_section and outside:
            out.append(html[cursor:start] + SECTION_CLOSE)
            cursor, open_section = start, False
        elif seen_h2 and not open_section and not outside:
            out.append(html[cursor:start] + SECTION_OPEN)
            cursor, open_section = start, True
    out.append(html[cursor:] + (SECTION_CLOSE if open_section else ""))
    return "".join(out)


def on_page_content(content: str, *, page: Page, config: MkDocsConfig, files: object) -> str:
    return wrap_sections(content)
