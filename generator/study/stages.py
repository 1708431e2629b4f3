"""The study's stages, registered in the build's table (generator/stages.py).

The seeds and experiments stages train other configs (other seeds, other noise levels) as
sibling builds that share the cache, so a config equal to the main one is the main build
itself and is never trained twice. One sibling is alive at a time: each holds a dataset.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.files import read_npz, write_npz
from generator.stages import FIGURE_LIBRARIES, TRAINING_SECTIONS, Stage

if TYPE_CHECKING:
    from generator.pipeline import Build


def seed_study(build: Build) -> dict[str, Any]:
    from generator.study import seeds

    facts = {
        seed: build.sibling(seeds.seed_config(build.cfg, seed), f"seed {seed}").result("facts")
        for seed in seeds.seed_list(build.cfg)
    }
    return seeds.seed_study(build.cfg, facts)


def mlp_curves(build: Build) -> dict[str, Any]:
    def fill(folder: Path) -> None:
        from generator.study import mlp

        write_npz(folder / "mlp.npz", mlp.train_mlp(build.cfg, build.result("data")))

    return read_npz(build.stored("mlp", fill) / "mlp.npz")


def experiment_results(build: Build) -> dict[str, Any]:
    from generator.stages import recorded
    from generator.study import experiments

    noise = {}
    for level in experiments.noise_levels(build.cfg):
        run = build.sibling(experiments.noise_config(build.cfg, level), f"noise {level:g}")
        noise[level] = (recorded(run), run.result("facts"))
    curves = build.result("mlp")
    return experiments.summarize(build.cfg, recorded(build), build.result("facts"), curves, noise)


def experiment_charts(build: Build) -> Path:
    def fill(folder: Path) -> None:
        from generator.figures import study_charts

        study_charts.render_charts(build.result("experiments"), folder)

    return build.stored("experiment-charts", fill)


STUDY_STAGES = (
    Stage(
        "seeds",
        "(study) train the same setup with study.seeds training seeds; summarise their facts",
        seed_study,
        needs=("facts",),
        code=("study.seeds",),
        study=True,
    ),
    Stage(
        "mlp",
        "(study) train an MLP of about TinyCNN's parameter count on the same data",
        mlp_curves,
        needs=("data",),
        sections=TRAINING_SECTIONS,
        code=("study.mlp",),
        stored=True,
        study=True,
    ),
    Stage(
        "experiments",
        "(study) train TinyCNN at other noise levels; compare it with the MLP",
        experiment_results,
        needs=("facts", "mlp"),
        code=("study.experiments",),
        study=True,
    ),
    Stage(
        "experiment-charts",
        "(study) chart the experiments",
        experiment_charts,
        needs=("experiments",),
        code=("figures.study_charts",),
        libraries=FIGURE_LIBRARIES,
        stored=True,
        study=True,
    ),
)
