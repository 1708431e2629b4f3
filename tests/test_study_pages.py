"""The study on the pages: the seeds table and its verdicts, the experiments page, and
"Reproduce this article" with its downloads; and the pages without the study."""

import copy
import hashlib
import html
import re

import pytest

from generator import article, evidence, render
from generator.study import claims as experiment_claims

INDEX = ("index.md", "index.en.md")
EXPERIMENTS = ("experiments.md", "experiments.en.md")


def rendered(context: dict, out) -> dict[str, str]:
    render.render_pages(context, out)
    return {page: (out / page).read_text(encoding="utf-8") for page in (*INDEX, *EXPERIMENTS)}


def flat(markdown: str) -> str:
    """The text with its line breaks and indentation folded into single spaces."""
    return " ".join(markdown.split())


# --- the seeds table ------------------------------------------------------------------


def seeds_section(markdown: str) -> str:
    return markdown[markdown.index("{ #seeds }") : markdown.index("{ #closing }")]


def test_the_seeds_table_shows_each_claim_per_seed(tiny_project):
    study = tiny_project.published("seeds.json")
    n = len(study["seeds"])
    marks = {"holds": "✓", "fails": "✗", "inconclusive": "?"}
    for page in INDEX:
        section = seeds_section((tiny_project.root / "docs" / page).read_text(encoding="utf-8"))
        for claim in study["claims"].values():
            cells = " | ".join(
                f"{value:,.3f} {marks[verdict]}"
                for value, verdict in zip(claim["values"], claim["verdicts"], strict=True)
            )
            spread = f"{claim['mean']:,.3f} ± {claim['std']:,.3f}"
            row = f"| {cells} | {spread} | {claim['holds_in']} / {n} |"
            assert row in section, (page, claim["description"])


def with_claim_outcomes(context: dict, name: str, holds: list[bool]) -> dict:
    """The context with one claim of the seed study holding in exactly these seeds."""
    changed = copy.deepcopy(context)
    claim = changed["study"]["seeds"]["claims"][name]
    verdicts = ["holds" if h else "fails" for h in holds]
    claim.update(verdicts=verdicts, holds_in=sum(holds), fails_in=len(holds) - sum(holds))
    claim.update(general=all(holds), never=not any(holds))
    return changed


# Each verdict sentence, by page: a pattern whose group lists the claims it names.
VERDICT_SENTENCES = {
    "index.en.md": {
        "general": r"Held in all \d+ runs: (.*?)\. These",
        "never": r"Failed in all \d+ runs: (.*?)\. Here",
        "mixed": r"Depends on the seed: (.*?)\. What",
    },
    "index.md": {
        verdict: rf"((?:「[^」]*」(?:\(\d+ / \d+\))?、?)+){ending}"
        for verdict, ending in (
            ("general", r"は \d+ 回すべてで成り立ちました"),
            ("never", r"は \d+ 回のどれでも成り立ちませんでした"),
            ("mixed", r"は、シードによって成否が分かれました"),
        )
    },
}


def verdicts(pages: dict[str, str], page: str) -> dict[str, int]:
    """How many claims each verdict sentence of a page names."""
    text = flat(seeds_section(pages[page]))
    counts = {}
    for verdict, pattern in VERDICT_SENTENCES[page].items():
        found = re.search(pattern, text)
        named = re.split(r"; |、「", found.group(1)) if found else []
        counts[verdict] = len(named)
    return counts


@pytest.mark.parametrize("outcome", ["general", "never", "mixed"])
def test_the_verdict_is_computed_from_the_table(tiny_project, tmp_path, outcome):
    context = tiny_project.render_context
    n = len(context["study"]["seeds"]["seeds"])
    holds = {"general": [True] * n, "never": [False] * n, "mixed": [True] + [False] * (n - 1)}
    for name in context["study"]["seeds"]["claims"]:
        context = with_claim_outcomes(context, name, holds[outcome])
    pages = rendered(context, tmp_path)
    claims = len(context["study"]["seeds"]["claims"])
    expected = {verdict: claims if verdict == outcome else 0 for verdict in holds}
    for page in INDEX:
        assert verdicts(pages, page) == expected, page


def test_the_verdict_follows_each_claim(tiny_project, tmp_path):
    context = tiny_project.render_context
    study = context["study"]["seeds"]
    n = len(study["seeds"])
    name = next(iter(study["claims"]))
    general = rendered(with_claim_outcomes(context, name, [True] * n), tmp_path / "general")
    mixed = rendered(with_claim_outcomes(context, name, [False] + [True] * (n - 1)), tmp_path / "m")
    for page in INDEX:
        before, after = verdicts(general, page), verdicts(mixed, page)
        assert after["general"] == before["general"] - 1, page
        assert after["mixed"] == before["mixed"] + 1, page


@pytest.mark.parametrize("same", [True, False])
def test_the_standout_unit_verdict_follows_the_seeds(tiny_project, tmp_path, same):
    context = copy.deepcopy(tiny_project.render_context)
    unit = context["study"]["seeds"]["metrics"]["fc1_standout_unit"]
    n = len(unit["values"])
    unit.update(
        values=[7] * n if same else list(range(n)),
        distinct=1 if same else n,
        most_common=7 if same else 0,
        same_in_every_run=same,
    )
    pages = rendered(context, tmp_path)
    en, ja = flat(pages["index.en.md"]), flat(pages["index.md"])
    assert ("The same FC1 unit, number 7, ends up largest" in en) is same
    assert ("changes with the seed: units 0, 1" in en) is not same
    assert ("どのシードでも 7 番でした" in ja) is same
    assert ("シードごとに 0、1" in ja) is not same


# --- the experiments page -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(experiment_claims.PREDICATES))
def test_experiment_wording_follows_the_claim(name, tiny_project, tmp_path):
    pages = {}
    for verdict in evidence.VERDICTS:
        context = copy.deepcopy(tiny_project.render_context)
        claim = context["study"]["experiments"]["claims"][name]
        claim.update(verdict=verdict, holds=verdict == "holds", enough_sample=True)
        pages[verdict] = rendered(context, tmp_path / verdict)
    for page in EXPERIMENTS:
        assert len({pages[verdict][page] for verdict in evidence.VERDICTS}) == 3, (name, page)


def test_the_experiments_page_states_both_models_and_every_noise_level(tiny_project):
    results = tiny_project.published("experiments.json")
    pair = results["mlp_vs_cnn"]
    for page in EXPERIMENTS:
        markdown = (tiny_project.root / "docs" / page).read_text(encoding="utf-8")
        for model in ("cnn", "mlp"):
            accuracy = pair[model]["final_test"]["mean"]
            row = f"| {pair[model]['parameters']:,} | {accuracy * 100:.1f}%"
            assert row in markdown, (page, model)
        for run in results["noise"]["runs"]:
            accuracy = run["final_test"]["mean"]
            assert re.search(rf"^\| {run['noise']}\b.* \| {accuracy * 100:.1f}%", markdown, re.M)
        lang = article.page_language(page)
        suffix = article.FIGURE_SUFFIX[lang]  # each page shows its own language's charts
        assert f"mlp_vs_cnn{suffix}.png" in markdown and f"noise_levels{suffix}.png" in markdown
        words = article.claim_words(tiny_project.render_context, lang)["experiments"]
        for sentence in words["say"].values():
            assert flat(sentence) in flat(markdown), page


# --- reproduce this article -----------------------------------------------------------

DOWNLOAD_ROW = re.compile(
    r'<tr>\s*<td><a href="([^"]+)">([^<]+)</a></td>\s*<td>.*?</td>\s*'
    r"<td>([\d,]+)</td>\s*<td><code>([0-9a-f]{64})</code></td>\s*</tr>",
    flags=re.S,
)
REQUIRED_DOWNLOADS = {
    "config.json", "facts.json", "weights.npz", "trace.npz", "seeds.json", "experiments.json",
    "mlp_vs_cnn.npz", "noise_levels.npz", "training_curves.npz", "conv1_fmap_evolution.npz",
}  # fmt: skip


@pytest.mark.parametrize("page", ["index.html", "en/index.html"])
def test_every_download_resolves_to_the_published_file(tiny_project, page):
    listed = {f["name"]: f for f in tiny_project.published("downloads.json")["files"]}
    built = tiny_project.site / page
    rows = DOWNLOAD_ROW.findall(built.read_text(encoding="utf-8"))
    assert {name for _, name, _, _ in rows} == set(listed) >= REQUIRED_DOWNLOADS
    for href, name, size, sha256 in rows:
        content = (built.parent / html.unescape(href)).resolve().read_bytes()
        assert (len(content), hashlib.sha256(content).hexdigest()) == (
            listed[name]["bytes"],
            listed[name]["sha256"],
        ), name
        assert (int(size.replace(",", "")), sha256) == (len(content), listed[name]["sha256"])


@pytest.mark.parametrize("page", INDEX)
def test_the_config_shown_is_the_config_download(tiny_project, page):
    markdown = (tiny_project.root / "docs" / page).read_text(encoding="utf-8")
    block = re.search(r"^ *```json\n(.*?)^ *```", markdown, flags=re.S | re.M).group(1)
    shown = "\n".join(line.removeprefix("    ") for line in block.splitlines()) + "\n"
    assert shown == (tiny_project.generated / "config.json").read_text(encoding="utf-8")
    assert "make site" in markdown and "python -m generator build --config config.json" in markdown
    # the commands and the config are code blocks on the page, not inline code
    built = tiny_project.site / ("en/index.html" if page.endswith(".en.md") else "index.html")
    reproduce = built.read_text(encoding="utf-8").split('id="reproduce"')[1]
    assert reproduce.count('<div class="highlight"><pre>') == 3


def test_the_experiments_charts_are_drawn_in_each_page_language(tiny_project):
    out, docs = tiny_project.generated, tiny_project.root / "docs"
    ja_page = (docs / "experiments.md").read_text(encoding="utf-8")
    en_page = (docs / "experiments.en.md").read_text(encoding="utf-8")
    for stem in ("mlp_vs_cnn", "noise_levels"):
        for variant in (".png", ".dark.png"):
            english, japanese = out / f"{stem}{variant}", out / f"{stem}-ja{variant}"
            assert english.read_bytes() != japanese.read_bytes(), stem
        assert f"{stem}-ja.png" in ja_page and f"{stem}-ja." not in en_page
        assert f"{stem}.npz" in ja_page and f"{stem}.npz" in en_page  # one shared data file
        assert not (out / f"{stem}-ja.npz").exists()
