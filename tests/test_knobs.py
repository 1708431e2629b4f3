"""Author knobs: another seed, noise level or layer widths regenerates a correct article.

Each setting is built with the tiny preset and without the study, which these checks
do not read; the pages must then leave the study's parts out. Three builds, in the slow
tier.
"""

from pathlib import Path

import pytest
import torch

from generator import article, claims
from generator.config import build_config, parse_overrides
from generator.model import TinyCNN, parameter_counts
from tests.conftest import build_project, built, shared_folder
from tests.test_article import page_numbers, traceable
from tests.test_study_pages import flat

pytestmark = pytest.mark.slow

KNOBS = {
    "seed": ["--train.seed=5"],
    "noise-and-conv1": ["--data.noise=0.1", "--model.conv1_channels=8"],
    "widths": ["--model.conv2_channels=24", "--model.fc_hidden=96"],
}
PAGES = ("index.md", "index.en.md")


@pytest.fixture(scope="module", params=list(KNOBS))
def knobs(request, pytestconfig):
    """A setting's build, made once per test run whichever process asks first: the two
    test processes both run tests of each setting."""
    args = KNOBS[request.param]

    def make(root: Path, _: Path) -> str:
        return build_project(root, "--preset", "tiny", "--study.enabled=false", *args).output

    project = built(shared_folder(pytestconfig), f"knobs-{request.param}", make)
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


def test_every_claim_is_worded_as_its_verdict_decides(knobs):
    project, _ = knobs
    facts = project.facts
    assert claims.evaluate(facts) == facts["claims"]
    for page in PAGES:
        text = flat((project.root / "docs" / page).read_text(encoding="utf-8"))
        words = article.claim_words(project.render_context, article.page_language(page))
        for name, sentence in words["article"]["say"].items():
            assert flat(sentence) in text, (page, name)


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
