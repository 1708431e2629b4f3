"""MkDocs hook: a language switcher that works under any sub-path, without 404s.

mkdocs-static-i18n links each language's home page by an absolute path ("/",
"/en/", or under site_url's path). A GitHub Pages project site is served under /<repository>/, where
such a link leads out of the site. Written as paths from the site root without
the leading slash, Material's `url` filter makes them relative to each page.

Material's script also fetches sitemap.xml under every alternate link of a page
(to map a page to its translation), and the plugin points those links at the
page's own translation; the plugin writes a sitemap only at the site root, so
every page's folder gets a copy instead of a 404 in every reader's console.
Without the plugin there is nothing to do.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page


def on_page_context(
    context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    # The plugin prefixes the links with site_url's path, if any, and sets `alternate`
    # as an attribute of config.extra, which is what the templates read (Jinja tries
    # attributes before items), so change it there.
    root = urlsplit(config.site_url or "/").path
    for alternate in getattr(config.extra, "alternate", None) or []:
        if alternate["link"].startswith(root):
            alternate["link"] = alternate["link"].removeprefix(root) or "./"
    return context


@event_priority(-200)  # after the plugin (-100) has built every language's folder
def on_post_build(config: MkDocsConfig) -> None:
    i18n = config.plugins.get("i18n")
    site = Path(config.site_dir)
    if i18n is None or not (site / "sitemap.xml").is_file():
        return  # no plugin, or one of the plugin's own per-language builds
    for page in site.rglob("index.html"):
        if page.parent != site:  # a language's home, or a page in its own folder
            shutil.copyfile(site / "sitemap.xml", page.parent / "sitemap.xml")
