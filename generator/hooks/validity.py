"""MkDocs hook: markup the Nu HTML Checker accepts, with Material's behaviour kept.

Material puts autocomplete="off" on its two hidden checkbox toggles (drawer, search) so
that Firefox does not restore their state on reload and open the drawer or the search
by itself; but autocomplete is not allowed on a checkbox. The same is said validly by
the form the toggles belong to: a hidden, empty form with autocomplete="off", which the
toggles name with their form attribute (their place in the page, and so Material's CSS
sibling selectors, stay as they are). A Material update that changes the markup fails
the build here instead of bringing the error back.
"""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

FORM_ID = "__md-toggles"
TOGGLE = re.compile(
    r'(<input class="md-toggle" data-md-toggle="\w+" type="checkbox" id="\w+") autocomplete="off">'
)
FORM = f'<form id="{FORM_ID}" autocomplete="off" hidden></form>'


def toggles_in_a_form(output: str, where: str) -> str:
    first = TOGGLE.search(output)
    if first is None:
        if re.search(r'<input class="md-toggle"[^>]*autocomplete=', output):
            raise PluginError(f"{where}: Material's toggle markup changed")
        return output
    output = output[: first.start()] + FORM + "\n    " + output[first.start() :]
    return TOGGLE.sub(rf'\1 form="{FORM_ID}">', output)


def on_post_page(output: str, *, page: Page, config: object) -> str:
    return toggles_in_a_form(output, page.file.src_uri)


def on_post_template(output_content: str, *, template_name: str, config: object) -> str:
    """The theme's own pages (404.html), which are not pages of the docs."""
    return toggles_in_a_form(output_content, template_name)
