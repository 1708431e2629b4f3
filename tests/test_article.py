"""The published article: numbers traceable to the run, two languages of equal content,
figures by the Material conventions, a strict build that works under any sub-path."""

import html
import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from generator import article, render
from generator.files import read_npz
from generator.trace import Trace
from tests.conftest import BOTH_PROJECTS
from tools.project import copy_project, run_generator

PAGES = ("index.md", "index.en.md")
# Japanese page and its English counterpart
PAIRS = [PAGES, ("experiments.md", "experiments.en.md")]
ALL_PAGES = [page for pair in PAIRS for page in pair]
BUILT_PAGES = ("index.html", "en/index.html", "experiments/index.html", "en/experiments/index.html")
CHARTS = ["contact_sheet", "noisy_dataset_preview", "training_curves", "confusion_matrix"]
ANIMATIONS = [
    "conv1_filters_evolution", "conv1_fmap_evolution", "pool1_fmap_evolution",
    "conv2_fmap_evolution", "pool2_fmap_evolution", "fc1_fmap_evolution",
    "logits_fmap_evolution", "probs_fmap_evolution",
]  # fmt: skip
# Constants of the mathematics itself (ReLU's 0, softmax's range [0, 1] and its sum 1).
MATH_CONSTANTS = {"0", "1"}

NUMBER = re.compile(r"(?<![A-Za-z_\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?(?![A-Za-z_\d])")


def numbers_in(values: object) -> list[float]:
    """Every number in a JSON value, recursively."""
    if isinstance(values, bool) or values is None or isinstance(values, str):
        return []
    if isinstance(values, int | float):
        return [float(values)]
    items = values.values() if isinstance(values, dict) else values
    return [n for item in items for n in numbers_in(item)]


def spellings(value: float) -> set[str]:
    """The ways the templates may print a number: integer, fixed digits, three significant
    digits (a small loss), percent, and percentage points (a difference of two shares,
    "+3.1 points")."""
    out = {f"{value:.{k}f}" for k in range(5)} | {f"{value:,.{k}f}" for k in range(5)}
    out.add(f"{value:.3g}")
    out |= {f"{value * 100:.{k}f}{sign}" for k in range(3) for sign in ("%", "")}
    if value.is_integer():
        out |= {str(int(value)), f"{int(value):,}"}
    if value < 0:  # the page's "-1.07" is read as its digits, "1.07"
        out |= spellings(-value)
    return out


def traceable(facts: dict) -> set[str]:
    return MATH_CONSTANTS | {s for n in numbers_in(facts) for s in spellings(n)}


def prose(markdown: str) -> str:
    """The page text a reader sees as numbers: without math, code, and link targets."""
    text = re.sub(r"^ *```.*?^ *```", " ", markdown, flags=re.S | re.M)
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = text.replace("SHA-256", "SHA")  # the hash's name, not a measured number
    text = re.sub(r'(?:src|srcset|href)="[^"]*"|\]\([^)]*\)|\{ #[\w-]+ \}', " ", text)
    return html.unescape(text)


def page_numbers(project, page: str) -> set[str]:
    markdown = (project.root / "docs" / page).read_text(encoding="utf-8")
    return set(NUMBER.findall(prose(markdown)))


@pytest.fixture(params=BOTH_PROJECTS)
def project(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_number_in_the_page_comes_from_the_run(project, page):
    # What the templates were given: facts.json (which holds the config), the seed study,
    # the experiments and the downloads listing.
    untraced = page_numbers(project, page) - traceable(project.render_context)
    assert not untraced, f"{page}: numbers not from the run or the config: {sorted(untraced)}"


@pytest.mark.parametrize("pair", PAIRS, ids=lambda pair: pair[0])
def test_both_languages_state_the_same_numbers(project, pair):
    ja, en = (page_numbers(project, page) for page in pair)
    assert ja == en, f"only in ja: {sorted(ja - en)}; only in en: {sorted(en - ja)}"
    assert len(ja) > 30  # the check reads real prose, not an empty page


def test_the_number_check_catches_a_typed_number():
    facts = {"accuracy": {"final_test": 0.991}, "run": {"total_steps": 282}}
    text = prose(
        "Accuracy 99.1% after 282 steps, of 9 cells; `claim_90` $x^2$ Conv1 "
        "3\N{MULTIPLICATION SIGN}3."
    )
    found = set(NUMBER.findall(text))
    assert found == {"99.1%", "282", "9", "3"}
    assert found - traceable(facts) == {"9", "3"}


def figures_of(markdown: str) -> list[str]:
    return re.findall(r"<figure.*?</figure>", markdown, flags=re.S)


@pytest.mark.parametrize("page", ALL_PAGES)
def test_no_line_starts_with_a_number(tiny_project, page):
    # A wrapped "... not above\n1. The ..." would turn the sentence into a numbered list.
    markdown = (tiny_project.root / "docs" / page).read_text(encoding="utf-8")
    assert not re.search(r"^ *\d+[.)] ", markdown, flags=re.M)


@pytest.mark.parametrize("page", [ja for ja, _ in PAIRS])
def test_japanese_sentences_are_not_broken_across_lines(tiny_project, page):
    # A browser shows a line break between two Japanese characters as a stray space.
    markdown = (tiny_project.root / "docs" / page).read_text(encoding="utf-8")
    japanese = "[\u3000-\u30ff\u4e00-\u9fff\uff08\uff09]"
    joined = re.findall(rf"{japanese}\n *[^\s<{{|!#$-]|{japanese} {japanese}", markdown)
    assert not joined


def test_both_languages_show_the_same_figures_by_the_material_conventions(project):
    sources = {}
    for page in PAGES:
        markdown = (project.root / "docs" / page).read_text(encoding="utf-8")
        figures = figures_of(markdown)
        for figure in figures:
            for img in re.findall(r"<img[^>]*>", figure):
                assert 'loading="lazy"' in img
                alt = re.search(r'alt="([^"]*)"', img).group(1)
                assert len(alt) > 30 and not alt.endswith((".png", ".gif")), alt
            assert re.search(r"<figcaption>.+</figcaption>", figure, flags=re.S)
        root = "../" if page.count(".") > 1 else ""
        sources[page] = sorted(
            src.removeprefix(root)
            for figure in figures
            for src in re.findall(r'(?:src|srcset)="([^"]*)"', figure)
        )
    # The same figures, each drawn in the page's language: X-ja.png on the Japanese page.
    assert sorted(src.replace("-ja.", ".") for src in sources["index.md"]) == sources["index.en.md"]
    assert not any("-ja." in src for src in sources["index.en.md"])
    stems = {
        Path(src.split("#")[0]).name.split(".")[0].removesuffix("-ja")
        for src in sources["index.md"]
    }
    assert set(ANIMATIONS) <= stems


def test_every_link_in_the_built_pages_resolves_inside_the_site(project):
    site = project.site
    for page in (site / name for name in BUILT_PAGES):
        html = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|srcset|href)="([^"]*)"', html):
            if url.startswith(("http:", "https:", "#", "mailto:")):
                continue
            assert not url.startswith("/"), f"{page}: {url} breaks under a sub-path"
            target = (page.parent / url.split("#")[0].split("?")[0]).resolve()
            if url.endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(site)} links to missing {url}"


def test_the_page_loads_nothing_from_another_origin(project):
    for page in (project.site / "index.html", project.site / "en" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'<(?:script|img|source|link)[^>]*(?:src|srcset)="https?:', html)
        assert not re.search(r'<link[^>]*rel="stylesheet"[^>]*href="https?:', html)
        assert html.count('class="arithmatex"') >= 8  # one formula per layer at least


def test_switcher_links_both_languages_relatively(tiny_project):
    site = tiny_project.site
    ja = (site / "index.html").read_text(encoding="utf-8")
    en = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja"' in ja and '<html lang="en"' in en
    assert re.search(r'href="en/" hreflang="en"', ja)
    assert re.search(r'href="\.\./" hreflang="ja"', en)


def test_each_page_has_its_own_meta_description(tiny_project):
    descriptions = [
        re.search(r'<meta name="description" content="([^"]+)"', page.read_text("utf-8")).group(1)
        for page in (tiny_project.site / "index.html", tiny_project.site / "en" / "index.html")
    ]
    assert descriptions[0] != descriptions[1]
    assert re.search(r"[\u3040-\u30ff]", descriptions[0]) and "CNN" in descriptions[1]


def test_every_claim_is_listed_in_how_we_know_in_both_languages(tiny_project):
    for page in PAGES:
        markdown = (tiny_project.root / "docs" / page).read_text(encoding="utf-8")
        section = markdown[markdown.index("{ #how-we-know }") :]
        words = article.claim_words(tiny_project.render_context, article.page_language(page))
        assert len(words["article"]["rows"]) >= len(tiny_project.facts["claims"])
        for row in words["article"]["rows"]:
            assert f"| {' | '.join(row)} |" in section, (page, row[0])


@pytest.mark.skipif(shutil.which("node") is None, reason="the search check runs the theme in Node")
@pytest.mark.parametrize(
    ("word", "language"), [("正方形", "ja"), ("勾配", "ja"), ("square", "en"), ("gradient", "en")]
)
def test_search_finds_japanese_and_english_words(tiny_project, word, language):
    config = json.loads((tiny_project.site / "search" / "search_index.json").read_text("utf-8"))
    assert config["config"]["lang"] == ["ja"]
    script = Path(__file__).with_name("search_query.js")
    result = subprocess.run(
        ["node", str(script), str(tiny_project.site), word],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    locations = json.loads(result.stdout)
    assert locations, f"search for {word!r} found nothing"
    assert all(loc.startswith("en/") == (language == "en") for loc in locations)


@pytest.mark.slow  # a build (the fast tier's test_claims stops the render in process)
def test_a_run_that_breaks_a_required_claim_stops_the_build(tmp_path):
    # So small a learning rate that the network cannot reach the accuracy the article needs.
    root = copy_project(tmp_path / "project")
    # The study's nine more runs would fail the same way; the main run is enough.
    result = run_generator(
        root, "build", "--preset", "tiny", "--study.enabled=false", "--train.lr=1e-6"
    )
    assert result.returncode == 1, result.stdout + result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: claim 'accuracy_passes_90' does not hold"), last
    assert "95% interval" in last and "(fails)" in last
    assert not list((root / "docs").glob("*.md"))
    assert not (root / "site").exists()


def test_figures_use_every_variant_the_figure_contract_publishes(tiny_project, tmp_path):
    # Render against a full set of contract files: dark charts, posters and data for all.
    generated = tmp_path / "assets" / "generated"
    generated.mkdir(parents=True)
    variants = {s: (".png", ".dark.png", ".npz") for s in CHARTS} | {
        s: (".gif", ".poster.png", ".npz") for s in ANIMATIONS
    }
    for stem, extensions in variants.items():
        for extension in extensions:
            (generated / f"{stem}{extension}").write_bytes(b"")
    render.render_pages(tiny_project.render_context, tmp_path)
    for page in PAGES:
        markdown = (tmp_path / page).read_text(encoding="utf-8")
        for stem in CHARTS:
            assert (
                f'{stem}.png#only-light"' in markdown and f'{stem}.dark.png#only-dark"' in markdown
            )
        for stem in ANIMATIONS:
            poster = rf'<source srcset="[./]*assets/generated/{stem}\.poster\.png" media="\(prefers'
            assert re.search(poster, markdown), (page, stem)
        assert markdown.count('.npz" download>') == len(variants)


def test_the_probe_saturates_where_its_recorded_logits_say(tiny_project):
    trace = Trace.from_arrays(read_npz(tiny_project.generated / "trace.npz"))
    saturation = tiny_project.facts["probe"]["saturation"]
    label = trace.probe_label
    true_prob = [
        math.exp(row[label]) / sum(math.exp(z) for z in row)
        for row in trace.history_logits.astype(np.float64)
    ]
    above = [p >= saturation["level"] for p in true_prob]
    if not above[-1]:
        assert saturation["from_step"] is None
    else:
        first = max((k + 1 for k, ok in enumerate(above) if not ok), default=0)
        assert saturation["from_step"] == trace.history_steps[first]
        assert saturation["loss_then"] == pytest.approx(-math.log(true_prob[first]), rel=1e-4)
    # the same loss the recorder measured with torch at the last step
    assert saturation["loss_end"] == pytest.approx(float(trace.probe_loss[-1]), rel=1e-4)


def test_fc1_settles_where_its_recorded_values_say(tiny_project):
    trace = Trace.from_arrays(read_npz(tiny_project.generated / "trace.npz"))
    settles = tiny_project.facts["fc1_settles"]
    final = trace.history_relu3[-1].astype(np.float64)
    size = math.sqrt(sum(v * v for v in final))
    distances = [
        math.sqrt(sum((a - b) ** 2 for a, b in zip(row, final, strict=True)))
        for row in trace.history_relu3.astype(np.float64)
    ]
    close = [d <= settles["level"] * size for d in distances]
    first = max((k + 1 for k, ok in enumerate(close) if not ok), default=0)
    steps = trace.history_steps
    assert settles["from_step"] == steps[first]
    assert settles["share_of_training"] == pytest.approx(1 - steps[first] / steps[-1])
