"""Which stages a rebuild recomputes, for each kind of change.

Each scenario starts from a copy of the shared cold tiny build without the study
(conftest's tiny_main) in a scratch copy of the project (generator code included, so the
code can be edited there without touching the checkout) and asserts what every stage
reported, never how long it took. The scenarios rebuild, so they are in the slow tier;
what a cold build reports is read from the shared tiny build.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cache import code_hash, source_closure, stage_key
from generator.pipeline import REPORT
from generator.stages import table
from tests.conftest import BuiltProject
from tools.project import (
    BuildRun,
    append_line,
    copy_project,
    edit_module,
    run_build,
    run_generator,
)

# The scenarios build the main run only: the study trains its runs through the same stages.
TINY = ("--preset", "tiny", "--study.enabled=false")


# Each scenario rebuilds.
scenario = pytest.mark.slow


@pytest.fixture
def project(tiny_main: BuiltProject, tmp_path: Path) -> Path:
    """A private copy of the project with its code, and tiny_main's cache, pages and site."""
    project = copy_project(tmp_path / "project", code=True)
    for outputs in (".cache", "docs", "site"):
        shutil.copytree(tiny_main.root / outputs, project / outputs, dirs_exist_ok=True)
    return project


def outcomes(run: BuildRun) -> dict[str, str]:
    return {name: how for name, (how, _) in run.stages.items()}


def main_run_report(project: Path) -> list[dict]:
    """The stage report's entries of the article's run (a sibling's have its label as run)."""
    report = json.loads((project / ".cache" / REPORT).read_text(encoding="utf-8"))
    return [entry for entry in report["stages"] if not entry["run"]]


def test_a_cold_build_computes_every_stage(tiny_project) -> None:
    report = main_run_report(tiny_project.root)
    assert {entry["stage"]: entry["how"] for entry in report} == dict.fromkeys(table(), "computed")


def test_the_stage_report_names_each_stored_result_by_its_cache_entry(tiny_project) -> None:
    stored = [
        entry for entry in main_run_report(tiny_project.root) if table()[entry["stage"]].stored
    ]
    assert [entry["stage"] for entry in stored] == [
        "train",
        "facts",
        "figures",
        "cnn-seeds",  # the article's noise level; the other levels are siblings' entries
        "observer",  # the box template, likewise
        "avgpool-seeds",  # TinyCNN's variants, at the article's noise level only
        "stride2-seeds",
        "softmax-seeds",
        "mlp-seeds",
        "experiments",
        "experiment-charts",
        "live",
        "live-colours",
    ]
    for entry in stored:
        cache_entry = tiny_project.root / ".cache" / f"{entry['stage']}-{entry['key']}"
        assert cache_entry.is_dir(), entry


@pytest.mark.parametrize("stage", ["mlp-seeds", "experiment-charts"])
def test_a_study_stage_runs_alone(tiny_project, tmp_path: Path, stage: str) -> None:
    root = Path(shutil.copytree(tiny_project.root, tmp_path / "project", symlinks=True))
    result = run_generator(root, stage, "--preset", "tiny")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"=== {stage}: from cache" in result.stdout  # the build stored it; nothing else ran
    assert "=== render:" not in result.stdout


@pytest.mark.slow  # the shared build without the study is made for the slow tier
def test_without_the_study_nothing_of_it_is_trained_or_published(tiny_main: BuiltProject) -> None:
    stages = {entry["stage"] for entry in main_run_report(tiny_main.root)}
    assert not {"seeds", "cnn-seeds", "observer", "mlp-seeds", "experiments"} & stages
    generated = tiny_main.generated
    for name in ("seeds.json", "experiments.json", "noise_levels.png", "mlp_vs_cnn.png"):
        assert not (generated / name).exists(), name


@scenario
def test_no_change_reads_everything_from_the_cache(project: Path) -> None:
    assert outcomes(run_build(project, *TINY)) == {
        "data": "not needed",
        "train": "from cache",  # read only to publish its weights.npz and trace.npz downloads
        "facts": "from cache",
        "figures": "from cache",
        "live": "from cache",  # read only to publish the live network's files
        "live-colours": "from cache",
        "render": "computed",  # cheap: fills the templates, writes only what changed
        "site": "unchanged",
    }


@scenario
def test_a_prose_edit_renders_the_pages_and_reruns_mkdocs_only(project: Path) -> None:
    template = sorted((project / "generator/templates").glob("*.md.j2"))[0]
    append_line(template, "\nA sentence added by test_caching.\n")
    run = run_build(project, *TINY)
    assert run.recomputed() == ["render", "site"]
    assert outcomes(run)["train"] == "from cache"  # the published trace, not retrained
    pages = [page.read_text(encoding="utf-8") for page in (project / "site").rglob("*.html")]
    assert any("A sentence added by test_caching." in page for page in pages)


@scenario
def test_a_figure_code_edit_redraws_figures_from_the_cached_trace(project: Path) -> None:
    edit_module(project, "figures", "an edit made by test_caching")
    run = run_build(project, *TINY)
    assert "figures" in run.recomputed()
    assert outcomes(run)["train"] == "from cache"
    assert outcomes(run)["facts"] == "from cache"
    assert outcomes(run)["live"] == "from cache"  # the figures' colours, not a training replay


@scenario
def test_a_claim_wording_edit_rederives_the_facts_and_renders_the_pages_only(
    project: Path,
) -> None:
    claims_code = project / "generator/claims.py"
    wording = '"(by chance: one over the number of cells)"'
    edited = '"(by chance: one cell in as many as there are)"'
    claims_code.write_text(claims_code.read_text().replace(wording, edited))
    run = run_build(project, *TINY)
    # the facts measure the test images again: the dataset is remade (cheap), not retrained
    assert set(run.recomputed()) == {"data", "facts", "render", "site"}
    assert outcomes(run)["train"] == "from cache"
    assert outcomes(run)["figures"] == "from cache"  # no figure shows a claim's wording
    published = (project / "docs/assets/generated/facts.json").read_text(encoding="utf-8")
    assert edited.strip('"') in published


@scenario
@pytest.mark.parametrize(
    "change",
    [
        ("--train.lr=0.002",),  # a training input
        ("--record.snapshots=10",),  # what is recorded is made while training
    ],
)
def test_a_config_change_that_needs_training_retrains(project: Path, change: tuple[str]) -> None:
    run = run_build(project, *TINY, *change)
    assert {"train", "facts", "figures"} <= set(run.recomputed())


@scenario
def test_a_model_code_edit_retrains(project: Path) -> None:
    edit_module(project, "model", "an edit made by test_caching")
    assert {"train", "facts", "figures"} <= set(run_build(project, *TINY).recomputed())


def test_code_hash_follows_the_generator_modules_a_stage_imports() -> None:
    package = Path(source_closure(["generator.config"]).pop()).parent
    drawn = source_closure(["generator.figures.draw"])
    figures = {p.relative_to(package).as_posix() for p in drawn}
    assert {"figures/draw.py", "figures/gif.py", "data.py", "trace.py", "config.py"} <= figures
    assert not {"render.py", "pipeline.py", "figures/study_charts.py"} & figures
    assert not any(name.startswith("study/") for name in figures)
    assert code_hash("figures.draw") != code_hash("facts")
    with pytest.raises(ValueError, match="figure"):
        code_hash("figure")  # a misspelt stage module must not hash to "no code"


def test_what_a_prose_edit_runs_imports_no_torch() -> None:
    """A prose edit re-runs render and site on stored results: the runner, the render
    context and MkDocs' hooks. None of them may import torch (2.5 s of a 4 s rebuild)."""
    hooks = sorted(p.stem for p in (Path(__file__).parents[1] / "generator" / "hooks").glob("*.py"))
    modules = [
        "generator.pipeline",
        "generator.render",
        "generator.article",
        "generator.study.stages",
    ]
    modules += [f"generator.hooks.{hook}" for hook in hooks if hook != "__init__"]
    code = f"import sys\nfor m in {modules!r}: __import__(m)\nprint('torch' in sys.modules)"
    root = Path(__file__).parents[1]
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "False"


@pytest.mark.parametrize("training", ["train", "study.runs"])
def test_a_claim_edit_retrains_nothing(training: str) -> None:
    # The trainings' keys follow their code; the claims, their evidence and wording are
    # read after training, so editing a claim must not put 26 models through training again.
    package = Path(source_closure(["generator.config"]).pop()).parent
    code = {p.relative_to(package).as_posix() for p in source_closure([f"generator.{training}"])}
    assert "config.py" in code
    claims = {"evidence.py", "claims.py", "wording.py", "study/seeds.py", "study/claims.py"}
    assert not claims & code


def test_stage_key_changes_with_each_part_and_library_list() -> None:
    key = stage_key("figures", "a", "b")
    assert stage_key("figures", "a", "b") == key
    assert stage_key("facts", "a", "b") != key
    assert stage_key("figures", "a", "c") != key
    assert stage_key("figures", "a", "b", libraries=("matplotlib",)) != key
