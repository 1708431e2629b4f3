"""Both languages: the switcher leads to the same page in the other language,
and the search finds a Japanese word and an English word.

The words are taken from the pages themselves (the most frequent long
katakana word of the Japanese article, the most frequent long English word of
the English one), so the test follows the prose instead of guessing it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.visit import DESKTOP, Site

# A real browser or a validator: the slow tier (full make test only).
pytestmark = pytest.mark.slow

WORDS = {"ja": re.compile(r"[ァ-ヺー]{4,}"), "en": re.compile(r"\b[a-z]{8,}\b")}


@pytest.fixture(scope="session")
def languages(served_site: Site) -> dict[str, str]:
    """Language code -> its folder in the site ("" for the root language)."""
    if len(served_site.languages) < 2:
        pytest.skip(
            "the site has a single language so far (no /en/ folder); these tests run "
            "once the bilingual article is built"
        )
    return {html_lang(served_site, folder): folder for folder in served_site.languages}


def html_lang(site: Site, folder: str) -> str:
    page = (site.folder / folder / "index.html").read_text(encoding="utf-8")
    return re.search(r'<html lang="([\w-]+)"', page)[1].split("-")[0]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def root_pages(site: Site, languages: dict[str, str]) -> list[str]:
    others = [folder for folder in languages.values() if folder]
    return [p for p in site.pages if not any(p.startswith(folder) for folder in others)]


def switch_language(page: Page, code: str) -> None:
    page.hover(".md-select > button")
    with page.expect_navigation():
        page.click(f"a.md-select__link[hreflang^='{code}']")


def test_switcher_goes_to_the_same_page_in_the_other_language(served_site, languages, page):
    root = next(code for code, folder in languages.items() if folder == "")
    for path in root_pages(served_site, languages):
        for code, folder in languages.items():
            if code == root:
                continue
            page.goto(served_site.url + path)
            switch_language(page, code)
            assert page.url == served_site.url + folder + path
            switch_language(page, root)
            assert page.url == served_site.url + path


def search(page: Page, word: str) -> list[str]:
    """Type `word` into Material's search; the result titles and snippets."""
    page.keyboard.press("/")  # Material's shortcut opens the search at any width
    # Typing Japanese sends no key events; Material runs the query on keyup.
    page.fill("input.md-search__input", word)
    page.press("input.md-search__input", "End")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    return results.all_inner_texts()


def frequent_word(page: Page, code: str) -> str:
    text = page.inner_text("article")
    counts = Counter(w for w in WORDS[code].findall(text.lower() if code == "en" else text))
    assert counts, f"no {code} word to search for in {page.url}"
    return counts.most_common(1)[0][0]


@pytest.mark.parametrize("code", ["ja", "en"])
def test_search_finds_a_word_of_each_language(served_site, languages, page, code):
    assert code in languages, f"no {code} pages in {sorted(languages)}"
    page.goto(served_site.url + languages[code], wait_until="networkidle")
    word = frequent_word(page, code)
    found = search(page, word)
    assert any(word.lower() in text.lower() for text in found), (word, found)
