"""Which stages a rebuild recomputes, for each kind of change.

Each scenario starts from one cold tiny build in a scratch copy of the project
(generator code included, so the code can be edited there without touching
the checkout) and asserts what every stage reported, never how long it took.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.cache import code_hash, source_closure, stage_key
from generator.pipeline import REPORT
from generator.stages import table
from tools.project import (
    BuildRun,
    append_line,
    copy_project,
    edit_module,
    run_build,
    run_generator,
)

# The main run's stages only: the study trains sibling builds through these same stages.
TINY = ("--preset", "tiny", "--study.enabled=false")
STAGE_NAMES = [stage.name for stage in table().values() if not stage.study]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildRun]:
    project = copy_project(tmp_path_factory.mktemp("caching") / "project", code=True)
    return project, run_build(project, *TINY)


@pytest.fixture
def project(built: tuple[Path, BuildRun], tmp_path: Path) -> Path:
    """A private copy of the cold-built project, cache and site included."""
    return Path(shutil.copytree(built[0], tmp_path / "project", symlinks=True))


def outcomes(run: BuildRun) -> dict[str, str]:
    return {name: how for name, (how, _) in run.stages.items()}


def test_a_cold_build_computes_every_stage(built: tuple[Path, BuildRun]) -> None:
    assert outcomes(built[1]) == dict.fromkeys(STAGE_NAMES, "computed")


def test_the_stage_report_names_each_stored_result_by_its_cache_entry(
    built: tuple[Path, BuildRun],
) -> None:
    project = built[0]
    report = json.loads((project / ".cache" / REPORT).read_text(encoding="utf-8"))
    stored = [entry for entry in report["stages"] if table()[entry["stage"]].stored]
    assert [entry["stage"] for entry in stored] == [
        "train",
        "facts",
        "figures",
        "live",
        "live-colours",
    ]
    for entry in stored:
        assert (project / ".cache" / f"{entry['stage']}-{entry['key']}").is_dir(), entry


@pytest.mark.parametrize("stage", ["mlp", "experiment-charts"])
def test_a_study_stage_runs_alone(tiny_project, tmp_path: Path, stage: str) -> None:
    root = Path(shutil.copytree(tiny_project.root, tmp_path / "project", symlinks=True))
    result = run_generator(root, stage, "--preset", "tiny")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"=== {stage}: from cache" in result.stdout  # the build stored it; nothing else ran
    assert "=== render:" not in result.stdout


def test_without_the_study_nothing_of_it_is_trained_or_published(
    built: tuple[Path, BuildRun],
) -> None:
    assert not {"seeds", "mlp", "experiments"} & set(built[1].stages)
    generated = built[0] / "docs/assets/generated"
    for name in ("seeds.json", "experiments.json", "noise_levels.png", "mlp_vs_cnn.png"):
        assert not (generated / name).exists(), name


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


def test_a_prose_edit_renders_the_pages_and_reruns_mkdocs_only(project: Path) -> None:
    template = sorted((project / "generator/templates").glob("*.md.j2"))[0]
    append_line(template, "\nA sentence added by test_caching.\n")
    run = run_build(project, *TINY)
    assert run.recomputed() == ["render", "site"]
    assert outcomes(run)["train"] == "from cache"  # the published trace, not retrained
    pages = [page.read_text(encoding="utf-8") for page in (project / "site").rglob("*.html")]
    assert any("A sentence added by test_caching." in page for page in pages)


def test_a_figure_code_edit_redraws_figures_from_the_cached_trace(project: Path) -> None:
    edit_module(project, "figures", "an edit made by test_caching")
    run = run_build(project, *TINY)
    assert "figures" in run.recomputed()
    assert outcomes(run)["train"] == "from cache"
    assert outcomes(run)["facts"] == "from cache"
    assert outcomes(run)["live"] == "from cache"  # the figures' colours, not a training replay


def test_a_claim_wording_edit_rederives_the_facts_and_renders_the_pages_only(
    project: Path,
) -> None:
    claims_code = project / "generator/claims.py"
    wording = '"test accuracy reaches 90% at some snapshot"'
    edited = '"test accuracy reaches 90% at one snapshot or more"'
    claims_code.write_text(claims_code.read_text().replace(wording, edited))
    run = run_build(project, *TINY)
    assert set(run.recomputed()) == {"facts", "render", "site"}
    assert outcomes(run)["figures"] == "from cache"  # no figure shows a claim's wording
    published = (project / "docs/assets/generated/facts.json").read_text(encoding="utf-8")
    assert edited.strip('"') in published


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


def test_a_model_code_edit_retrains(project: Path) -> None:
    edit_module(project, "model", "an edit made by test_caching")
    assert {"train", "facts", "figures"} <= set(run_build(project, *TINY).recomputed())


def test_code_hash_follows_the_generator_modules_a_stage_imports() -> None:
    package = Path(source_closure(["generator.config"]).pop()).parent
    figures = {p.relative_to(package).as_posix() for p in source_closure(["generator.figures"])}
    assert {"figures/__init__.py", "figures/gif.py", "data.py", "trace.py", "config.py"} <= figures
    assert not {"render.py", "pipeline.py", "figures/study_charts.py"} & figures
    assert not any(name.startswith("study/") for name in figures)
    assert code_hash("figures") != code_hash("facts")
    with pytest.raises(ValueError, match="figure"):
        code_hash("figure")  # a misspelt stage module must not hash to "no code"


def test_stage_key_changes_with_each_part_and_library_list() -> None:
    key = stage_key("figures", "a", "b")
    assert stage_key("figures", "a", "b") == key
    assert stage_key("facts", "a", "b") != key
    assert stage_key("figures", "a", "c") != key
    assert stage_key("figures", "a", "b", libraries=("matplotlib",)) != key
