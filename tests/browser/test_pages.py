"""Every page, at desktop (light) and phone (dark) widths, loads cleanly in a real browser.

One visit per page and screen records everything (see visit.py); each test
below asserts one property over all the visits and lists every offender.
"""

from __future__ import annotations

from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from tests.browser.conftest import PAGE_WEIGHTS
from tests.browser.visit import SCREENS, Site, Visit, same_origin, visit

# A real browser or a validator: the slow tier (full make test only).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def visits(served_site: Site, browser, pytestconfig) -> dict[str, Visit]:
    """Each page on each screen, keyed "path @ screen"; their weight goes in the summary."""
    done = {
        f"/{path} @ {screen.name}": visit(browser, served_site.url + path, screen)
        for path in served_site.pages
        for screen in SCREENS
    }
    pytestconfig.stash[PAGE_WEIGHTS] = [
        f"{key}: {len(v.requests)} requests, {v.transferred_bytes / 1e6:.2f} MB"
        for key, v in done.items()
    ]
    return done


def offenders(visits: dict[str, Visit], attribute: str) -> dict[str, list]:
    return {key: getattr(v, attribute) for key, v in visits.items() if getattr(v, attribute)}


def test_the_site_has_pages(served_site, visits):
    assert "" in served_site.pages
    assert len(visits) == 2 * len(served_site.pages)


def test_no_console_errors(visits):
    assert offenders(visits, "console_errors") == {}


def test_no_page_errors(visits):
    assert offenders(visits, "page_errors") == {}


def test_no_failed_requests(visits):
    assert offenders(visits, "failed_requests") == {}


def test_no_request_leaves_the_local_server(served_site, visits):
    foreign = {
        key: sorted({r.url for r in v.requests if not same_origin(r.url, served_site.url)})
        for key, v in visits.items()
    }
    assert {key: urls for key, urls in foreign.items() if urls} == {}


def test_no_request_leaves_the_sub_path(served_site, visits):
    outside = {
        key: sorted({r.url for r in v.requests if not r.url.startswith(served_site.url)})
        for key, v in visits.items()
    }
    assert {key: urls for key, urls in outside.items() if urls} == {}


def test_every_image_loads(served_site, visits):
    assert all(any(r.resource_type == "image" for r in v.requests) for v in visits.values())
    assert offenders(visits, "broken_images") == {}


def test_no_horizontal_overflow_on_a_phone(visits):
    overflowing = {key: v.overflow_px for key, v in visits.items() if key.endswith("@ phone")}
    assert {key: px for key, px in overflowing.items() if px > 0} == {}


def test_axe_finds_no_violations(visits):
    assert offenders(visits, "axe_violations") == {}


def test_internal_links_and_anchors_resolve(served_site, visits):
    broken = set()
    for key, v in visits.items():
        for link in v.links:
            if not same_origin(link, served_site.url):
                continue
            target, fragment = urldefrag(link)
            path = unquote(urlsplit(target).path).removeprefix(urlsplit(served_site.url).path)
            if not target.startswith(served_site.url) or not (
                (served_site.folder / path).is_file()
                or (served_site.folder / path / "index.html").is_file()
            ):
                broken.add(f"{key}: {link} (no such file)")
            elif fragment and unquote(fragment) not in served_site.ids_in(path):
                broken.add(f"{key}: {link} (no such #id)")
    assert sorted(broken) == []
