"""Author knobs: another seed, noise level or layer widths regenerates a correct article.

Each setting is built with the tiny preset and without the study, which these checks
do not read; the pages must then leave the study's parts out. Three builds: the slow tier,
in one test process (a module's builds are made once per process).
"""

import pytest
import torch

from generator import article, claims
from generator.config import build_config, parse_overrides
from generator.model import TinyCNN, parameter_counts
from tests.conftest import BuiltProject, build_project
from tests.test_article import page_numbers, traceable
from tests.test_study_pages import flat

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("knobs")]

KNOBS = {
    "seed": ["--train.seed=5"],
    "noise-and-conv1": ["--data.noise=0.1", "--model.conv1_channels=8"],
    "widths": ["--model.conv2_channels=24", "--model.fc_hidden=96"],
}
PAGES = ("index.md", "index.en.md")


# Built projects by setting. pytest may set a module-scoped fixture up again for the same
# parameter (the tests are sorted by the shared builds they wait for, and pytest-xdist
# hands a worker its tests in batches): each build is kept here so it is made only once.
BUILT: dict[str, BuiltProject] = {}


@pytest.fixture(scope="module", params=list(KNOBS))
def knobs(request, tmp_path_factory):
    args = KNOBS[request.param]
    if request.param not in BUILT:
        root = tmp_path_factory.mktemp(request.param)
        BUILT[request.param] = build_project(
            root, "--preset", "tiny", "--study.enabled=false", *args
        )
    cfg = build_config({**parse_overrides(args), "study.enabled": "false"}, preset="tiny")
    return BUILT[request.param], cfg


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
