"""MkDocs hook: each cell of a table inside <div class="tc-cards"> names its column.

A table of many columns with sentences in its cells ("How we know": claim, measure,
value, bar, sample, direction, verdict) cannot be read on a phone by scrolling it
sideways. The narrow stylesheet (extra.css) shows each row of such a table as a card
instead, one cell under the other, each led by its column's name; CSS can only print
that name from an attribute of the cell, so this hook copies each header into the
cells of its column as data-label. The table stays a Markdown table in the page's
source, and on a wide screen it is the same table as before.
"""

from __future__ import annotations

import html
import itertools
import re

from mkdocs.structure.pages import Page

CARDS = re.compile(r'<div class="tc-cards">(.*?)</div>', re.DOTALL)
HEADER = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL)
ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
CELL = re.compile(r"<td\b")
TAG = re.compile(r"<[^>]+>")


def label_cells(table: str) -> str:
    """The table's markup with data-label="<column header>" on every <td>."""
    labels = [html.escape(html.unescape(TAG.sub("", h)).strip()) for h in HEADER.findall(table)]

    def label_row(row: re.Match[str]) -> str:
        column = itertools.count()
        return CELL.sub(lambda _: f'<td data-label="{labels[next(column)]}"', row[0])

    return ROW.sub(label_row, table)


def on_page_content(content: str, *, page: Page, config: object, files: object) -> str:
    return CARDS.sub(lambda m: f'<div class="tc-cards">{label_cells(m[1])}</div>', content)
