"""MkDocs hook: give Material's search dialog the accessible name it lacks.

Material 9 marks the search overlay role="dialog" without a name (axe rule
aria-dialog-name). The dialog is named after its own input's label, which is
already in the page's language. A Material update that changes the markup
fails the build here instead of silently bringing the violation back.
"""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
INPUT_LABEL = re.compile(r'class="md-search__input" name="query" aria-label="([^"]+)"')


def on_post_page(output: str, *, page: Page, config: object) -> str:
    if DIALOG not in output:
        return output  # a page without the search box (e.g. a redirect)
    label = INPUT_LABEL.search(output)
    if label is None:
        raise PluginError(f"{page.file.src_uri}: Material's search input markup changed")
    named = DIALOG.replace('role="dialog"', f'role="dialog" aria-label="{label[1]}"')
    return output.replace(DIALOG, named, 1)
