"""Author knobs: another seed, noise level or layer widths regenerates a correct article.

Each setting is built with the tiny preset and without the study, which these checks
do not read; the pages must then leave the study's parts out.
"""

from pathlib import Path

import pytest
import torch

from generator import claims, render
from generator.config import build_config, parse_overrides
from generator.model import TinyCNN, parameter_counts
from generator.render import number, percent
from tests.conftest import build_project
from tests.test_article import page_numbers, traceable
from tests.test_claims import with_claim
from tests.test_study_pages import flat

KNOBS = {
    "seed": ["--train.seed=5"],
    "noise-and-conv1": ["--data.noise=0.1", "--model.conv1_channels=8"],
    "widths": ["--model.conv2_channels=24", "--model.fc_hidden=96"],
}
PAGES = ("index.md", "index.en.md")
# For each claim: the section of the page that words it, and the measurements its sentence
# states whichever way it comes out, as the page formats them.
STATED = {
    "conv1_keeps_patterns": ("conv1", lambda f: [number(f["conv1_change"]["cosine_median"])]),
    "fc1_unit_stands_out": (
        "fc1",
        lambda f: [
            f"{f['fc1_standout']['unit']}",
            number(f["fc1_standout"]["final_value"]),
            number(f["fc1_standout"]["runner_up_value"]),
            percent(f["claims"]["fc1_unit_stands_out"]["value"], 0),
        ],
    ),
    "true_logit_leads": ("fc2", lambda f: [number(f["logit_lead"]["final_margin"])]),
    "pooling_raises_contrast": (
        "maxpool1",
        lambda f: [number(f["claims"]["pooling_raises_contrast"]["value"])],
    ),
    "pooling_raises_contrast_at_init": (
        "maxpool1",
        lambda f: [number(f["claims"]["pooling_raises_contrast_at_init"]["value"])],
    ),
}


@pytest.fixture(scope="module", params=list(KNOBS))
def knobs(request, tmp_path_factory):
    args = KNOBS[request.param]
    root = tmp_path_factory.mktemp(request.param)
    project = build_project(root, "--preset", "tiny", "--study.enabled=false", *args)
    cfg = build_config({**parse_overrides(args), "study.enabled": "false"}, preset="tiny")
    return project, cfg


def test_the_build_used_the_knobs(knobs):
    project, cfg = knobs
    assert project.facts["config"] == cfg.to_dict()


def shape(dims) -> str:
    return "\N{MULTIPLICATION SIGN}".join(str(d) for d in dims)


def test_pages_state_the_new_shapes_and_parameter_counts(knobs):
    project, cfg = knobs
    model = TinyCNN(cfg.model, cfg.data)
    size = cfg.data.image_size
    outputs = model.stage_outputs(torch.zeros(1, 1, size, size))
    counts = parameter_counts(model)
    rows = {"Conv1": "conv1", "MaxPool1": "pool1", "Conv2": "conv2", "MaxPool2": "pool2"}
    rows |= {"Flatten": "flatten", "FC1": "fc1", "FC2": "logits", "Softmax": "probs"}
    for page in PAGES:
        lines = (project.root / "docs" / page).read_text(encoding="utf-8").splitlines()
        for label, stage in rows.items():
            row = next(line for line in lines if line.startswith(f"| {label} |"))
            assert f"| {shape(outputs[stage].shape[1:])}" in row, (page, row)
            assert row.endswith(f"| {counts.get(stage, 0):,} |"), (page, row)
        assert f"**{sum(counts.values()):,}**" in "\n".join(lines), page


def section(markdown: str, anchor: str) -> str:
    """A section of the page, from its heading's anchor to the next heading's."""
    start = markdown.index(f"{{ #{anchor} }}")
    return flat(markdown[start : markdown.find("{ #", start + 1)])


def pages_with(project, facts: dict, out: Path) -> dict[str, str]:
    """The project's pages rendered again from other facts, with its published assets."""
    out.mkdir()
    (out / "assets").symlink_to(project.root / "docs" / "assets")
    render.render_pages({**project.render_context, "facts": facts}, out)
    return {page: (out / page).read_text(encoding="utf-8") for page in PAGES}


def test_every_claim_is_worded_as_its_predicate_decides(knobs, tmp_path):
    """The built page is the one its claims' results choose (with any result flipped, the
    section that words it reads otherwise), and states what was measured."""
    project, _ = knobs
    facts = project.facts
    assert claims.evaluate(facts) == facts["claims"]
    built = {page: (project.root / "docs" / page).read_text(encoding="utf-8") for page in PAGES}
    assert pages_with(project, facts, tmp_path / "as-built") == built
    for name, (anchor, stated) in STATED.items():
        flipped = pages_with(
            project, with_claim(facts, name, not facts["claims"][name]["holds"]), tmp_path / name
        )
        for page in PAGES:
            assert section(flipped[page], anchor) != section(built[page], anchor), (page, name)
            for value in stated(facts):
                assert value in section(built[page], anchor), (page, name, value)


@pytest.mark.parametrize("page", [*PAGES, "experiments.md", "experiments.en.md"])
def test_every_number_comes_from_this_run(knobs, page):
    project, _ = knobs
    untraced = page_numbers(project, page) - traceable(project.render_context)
    assert not untraced, f"{page}: {sorted(untraced)}"


def test_without_the_study_its_parts_are_left_out(knobs):
    project, _ = knobs
    assert project.render_context["study"] is None
    listed = {f["name"] for f in project.published("downloads.json")["files"]}
    assert {"seeds.json", "experiments.json", "mlp_vs_cnn.npz"}.isdisjoint(listed)
    docs = project.root / "docs"
    for page, note in (("experiments.md", "実験を省いています"), ("experiments.en.md", "skipped")):
        text = (docs / page).read_text(encoding="utf-8")
        assert note in text and "mlp_vs_cnn" not in text
    for page in PAGES:
        text = (docs / page).read_text(encoding="utf-8")
        assert "{ #seeds }" not in text and "{ #reproduce }" in text
    assert (project.site / "en" / "experiments" / "index.html").is_file()
