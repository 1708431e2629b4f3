"""End to end: the built site references only figures that exist."""

import re
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.conftest import BOTH_PROJECTS, SITE_URL

FIGURES = [
    "contact_sheet.png", "noisy_dataset_preview.png", "conv1_filters_evolution.gif",
    "conv1_fmap_evolution.gif", "pool1_fmap_evolution.gif", "conv2_fmap_evolution.gif",
    "pool2_fmap_evolution.gif", "fc1_fmap_evolution.gif", "logits_fmap_evolution.gif",
    "probs_fmap_evolution.gif", "training_curves.png",
]  # fmt: skip


def referenced_images(site):
    for page in site.rglob("*.html"):
        base = "/" + str(page.relative_to(site))
        for src in re.findall(r'<img[^>]+src="([^"]+)"', page.read_text(encoding="utf-8")):
            # A "#only-dark" style fragment picks the palette; the file is the part before it.
            yield page, unquote(urljoin(base, src)).split("#")[0].lstrip("/")


@pytest.mark.parametrize("project", BOTH_PROJECTS)
def test_every_referenced_figure_exists(project, request):
    site = request.getfixturevalue(project).site
    refs = list(referenced_images(site))
    assert refs
    for page, target in refs:
        assert (site / target).is_file(), f"{page.name} references missing {target}"
    names = {target.rsplit("/", 1)[-1] for _, target in refs}
    assert set(FIGURES) <= names


@pytest.mark.slow
def test_default_article_meets_its_accuracy_bar(default_project):
    assert default_project.facts["accuracy"]["final_test"] >= 0.97
    assert default_project.facts["run"]["snapshots"] >= 40


def test_build_reports_each_stage(tiny_project):
    for stage in ("data", "train", "facts", "figures", "render", "site"):
        assert re.search(rf"=== {stage}: \w+", tiny_project.output), stage


def test_the_404_page_finds_its_assets_under_the_published_sub_path(
    tiny_project, published_project
):
    """GitHub Pages serves 404.html at any depth, so its links cannot be relative: with
    SITE_URL (set by the Pages workflow) they start at the site's sub-path."""
    page = (tiny_project.site / "404.html").read_text("utf-8")
    before = re.findall(r'href="([^"]+\.css)"', page)
    assert before and all(href.startswith("/") for href in before)  # from the domain's root

    # The address is an input of the site: the rebuild with it made the site again.
    assert "=== site: computed" in published_project.output
    sub_path = urlsplit(SITE_URL).path
    page = (published_project.site / "404.html").read_text(encoding="utf-8")
    links = re.findall(r'(?:href|src)="(/[^"]+\.(?:css|js))"', page)
    assert links
    for link in links:
        assert link.startswith(sub_path), link
        assert (published_project.site / link.removeprefix(sub_path)).is_file(), link
