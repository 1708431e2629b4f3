"""The study's stages, registered in the build's table (generator/stages.py).

The seeds and experiments stages train other configs (other seeds, other noise levels) as
sibling builds that share the cache, so a config equal to the main one is the main build
itself and is never trained twice. One sibling is alive at a time: each holds a dataset.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import fonts
from generator.files import read_json, read_npz, write_json, write_npz
from generator.stages import FIGURE_LIBRARIES, TRAINING_SECTIONS, Stage

if TYPE_CHECKING:
    from generator.pipeline import Build


def seed_study(build: Build) -> dict[str, Any]:
    from generator.study import seeds

    facts = {
        seed: build.sibling(seeds.seed_config(build.cfg, seed), f"seed {seed}").result("facts")
        for seed in build.cfg.study_seeds
    }
    return seeds.seed_study(build.cfg, facts)


def seed_runs(build: Build, kind: str) -> dict[str, Any]:
    """`kind` ("cnn" or "mlp") trained once per study seed on this build's data, as one group."""

    def fill(folder: Path) -> None:
        from tqdm import tqdm

        from generator.study import runs

        cfg = build.cfg
        label = f"{kind} x{cfg.study.seeds} seeds, noise {cfg.data.noise:g}"
        with tqdm(total=cfg.total_steps, desc=label, unit="step", mininterval=0.5) as bar:
            arrays = runs.train_seeds(cfg, build.result("data"), kind, lambda s: bar.update(s > 0))
        write_npz(folder / "runs.npz", arrays)

    return read_npz(build.stored(f"{kind}-seeds", fill) / "runs.npz")


def box_observer(build: Build) -> dict[str, Any]:
    """The box template's answers on this build's test images, and how far the square
    stands out of their noise."""

    def fill(folder: Path) -> None:
        from generator.facts import data_facts
        from generator.study import observer

        cfg, test = build.cfg.data, build.result("data").test
        write_npz(folder / "observer.npz", observer.observe(cfg, test))
        write_json(folder / "data.json", data_facts(cfg, test))  # its signal-to-noise ratios

    folder = build.stored("observer", fill)
    data = read_json(folder / "data.json")
    return {**read_npz(folder / "observer.npz"), "data": data}


def experiment_results(build: Build) -> dict[str, Any]:
    """experiments.json, stored like the facts: a prose edit re-renders the pages from it
    without importing torch and numpy's study code again."""

    def fill(folder: Path) -> None:
        from generator.study import experiments

        cfg, noise, observers = build.cfg, {}, {}
        for level in experiments.noise_levels(cfg):  # one sibling (one dataset) at a time
            run = build.sibling(experiments.noise_config(cfg, level), f"noise {level:g}")
            noise[level] = run.result("cnn-seeds")
            observers[level] = run.result("observer")
        variants = {kind: build.result(f"{kind}-seeds") for kind in VARIANT_PURPOSES}
        mlp = build.result("mlp-seeds")
        write_json(
            folder / "experiments.json", experiments.summarize(cfg, mlp, noise, observers, variants)
        )

    folder = build.stored("experiments", fill)
    return read_json(folder / "experiments.json")


def experiment_charts(build: Build) -> Path:
    def fill(folder: Path) -> None:
        from generator.figures import study_charts

        study_charts.render_charts(build.result("experiments"), folder)

    return build.stored("experiment-charts", fill)


def seed_runs_stage(kind: str, purpose: str) -> Stage:
    return Stage(
        f"{kind}-seeds",
        f"(study) {purpose}, as one grouped model",
        lambda build: seed_runs(build, kind),
        needs=("data",),
        sections=(*TRAINING_SECTIONS, "study"),
        code=("study.runs",),
        stored=True,
        study=True,
    )


# TinyCNN with one thing changed (study/runs.py VARIANTS), at the article's noise level
VARIANT_PURPOSES = {
    "avgpool": "train TinyCNN with 2x2 average pooling in place of max pooling",
    "stride2": "train TinyCNN with stride-2 convolutions in place of convolution and pooling",
    "softmax": "train TinyCNN with Softmax inside the model and the cross-entropy loss",
}

STUDY_STAGES = (
    Stage(
        "seeds",
        "(study) train the same setup with study.seeds training seeds; summarise their facts",
        seed_study,
        needs=("facts",),
        code=("study.seeds",),
        study=True,
    ),
    seed_runs_stage("cnn", "train TinyCNN once per study seed on this data"),
    seed_runs_stage("mlp", "train an MLP of about TinyCNN's parameter count once per study seed"),
    *(
        seed_runs_stage(kind, f"{purpose}, once per study seed")
        for kind, purpose in VARIANT_PURPOSES.items()
    ),
    Stage(
        "observer",
        "(study) find the square with a box template, no training: the reference for TinyCNN",
        box_observer,
        needs=("data",),
        sections=("data",),
        code=("study.observer", "facts"),
        stored=True,
        study=True,
    ),
    Stage(
        "experiments",
        "(study) compare TinyCNN with the MLP, the box template, across noise levels and "
        "with its variants",
        experiment_results,
        # Its key covers the other noise levels' runs too: their configs are this one with
        # data.noise set to a level of study/experiments.py, whose code is in the key.
        needs=("cnn-seeds", "mlp-seeds", "observer", *(f"{k}-seeds" for k in VARIANT_PURPOSES)),
        code=("study.experiments",),
        stored=True,
        study=True,
    ),
    Stage(
        "experiment-charts",
        "(study) chart the experiments",
        experiment_charts,
        needs=("experiments",),
        code=("figures.study_charts",),
        libraries=FIGURE_LIBRARIES,
        inputs=(fonts.identity,),  # the Japanese charts' glyphs come from a system package
        stored=True,
        study=True,
    ),
)
