"""What search engines and link previews read: canonical URLs, language alternates,
Open Graph and Twitter card tags, the social card, and the link to the repository.

The tiny build rebuilt with SITE_URL and REPO_URL, as the Pages workflow sets them, is
conftest's published_project.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import REPO_URL, SITE_URL, BuiltProject

# page -> (its language, the same page in the other language)
PAGES = {
    "index.html": ("ja", "en/index.html"),
    "en/index.html": ("en", "index.html"),
    "experiments/index.html": ("ja", "en/experiments/index.html"),
    "en/experiments/index.html": ("en", "experiments/index.html"),
}
LOCALES = {"ja": "ja_JP", "en": "en_US"}


class Head(HTMLParser):
    """The <link> and <meta> elements of a page, as lists of attribute dicts."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.metas: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "link":
            self.links.append(found)
        elif tag == "meta":
            self.metas.append(found)

    def meta(self, key: str) -> list[str]:
        return [m["content"] for m in self.metas if key in (m.get("property"), m.get("name"))]

    def alternates(self) -> dict[str, str]:
        return {
            link["hreflang"]: link["href"]
            for link in self.links
            if link.get("rel") == "alternate" and "hreflang" in link
        }


def head_of(site: Path, page: str) -> Head:
    parser = Head()
    parser.feed((site / page).read_text(encoding="utf-8"))
    return parser


def url_of(page: str) -> str:
    return SITE_URL + page.removesuffix("index.html")


@pytest.fixture
def published(published_project: BuiltProject) -> Path:
    return published_project.site


@pytest.mark.parametrize("page", PAGES)
def test_canonical_url_and_language_alternates_are_absolute_and_paired(published, page):
    language, other = PAGES[page]
    head = head_of(published, page)
    assert [link["href"] for link in head.links if link.get("rel") == "canonical"] == [url_of(page)]
    alternates = head.alternates()
    japanese = page if language == "ja" else other
    assert alternates == {
        language: url_of(page),
        PAGES[other][0]: url_of(other),
        "x-default": url_of(japanese),  # the default language's page
    }
    # The pair goes both ways: the other page names this one.
    assert head_of(published, other).alternates()[language] == url_of(page)


@pytest.mark.parametrize("page", PAGES)
def test_open_graph_and_twitter_card_describe_the_page_in_its_language(published, page):
    language, other = PAGES[page]
    head = head_of(published, page)
    description = head.meta("description")
    assert len(description) == 1 and description[0]
    h1 = re.search(r"<h1[^>]*>(.*?)<", (published / page).read_text(encoding="utf-8"))[1]
    expected = {
        "og:type": ["article"],
        "og:title": [h1.strip()],
        "og:description": description,
        "og:url": [url_of(page)],
        "og:locale": [LOCALES[language]],
        "og:locale:alternate": [LOCALES[PAGES[other][0]]],
        "og:image": [SITE_URL + "assets/social-card.png"],
        "og:image:width": ["1200"],
        "og:image:height": ["630"],
        "twitter:card": ["summary_large_image"],
        "twitter:title": [h1.strip()],
        "twitter:description": description,
        "twitter:image": [SITE_URL + "assets/social-card.png"],
    }
    assert {key: head.meta(key) for key in expected} == expected
    alt = head.meta("og:image:alt")[0]
    assert re.search(r"[ぁ-んァ-ヺ一-龯]", alt) if language == "ja" else alt.isascii()
    assert head.meta("twitter:image:alt") == [alt]


def test_the_social_card_is_a_1200_by_630_png_of_the_figures(published):
    card = (published / "assets" / "social-card.png").read_bytes()
    with Image.open(io.BytesIO(card)) as image:
        assert image.format == "PNG" and image.size == (1200, 630)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    # Not a blank card: the figures' maps bring many colours (text alone brings few).
    assert colours is None or len(colours) > 1000


def test_the_header_links_the_repository_without_asking_its_api(published):
    for page in PAGES:
        html = (published / page).read_text(encoding="utf-8")
        assert f'href="{REPO_URL}"' in html, page
        assert 'data-md-component="source"' not in html, page  # would fetch GitHub's API
        assert "/edit/" not in html, page  # generated pages have no source to edit


def test_without_site_url_no_relative_url_claims_to_be_absolute(tiny_project):
    """Canonical, hreflang and og:image must be absolute: with no address, none is given."""
    head = head_of(tiny_project.site, "en/index.html")
    assert [link for link in head.links if link.get("rel") == "canonical"] == []
    assert head.alternates() == {}
    assert head.meta("og:image") == [] and head.meta("og:url") == []
    assert head.meta("og:title") and head.meta("twitter:card") == ["summary_large_image"]
