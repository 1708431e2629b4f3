"""The stages of a build, as data: what each reads, what keys its cache entry, how it runs.

One table, STAGES, is read by the runner (pipeline.Build), by `python -m generator --help`
and by the stage report. A stage's cache key hashes its config sections, the source of its
code (and of the generator modules that code imports), the keys of the stages it needs, the
values of the facts it reads and the versions of its libraries. A stage that is `stored`
keeps its result in the cache as a folder of files; the others are cheap and always run.

The bodies below import the modules that do the work when they run: importing torch and
matplotlib costs more than a whole rebuild whose results are all cached.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import fonts
from generator.cache import MANIFEST, stage_key
from generator.config import SECTIONS
from generator.files import (
    json_text,
    read_json,
    read_npz,
    remove_leftovers,
    replace_folder,
    staging_folder,
    write_bytes,
    write_json,
    write_npz,
)

if TYPE_CHECKING:
    from generator.pipeline import Build

# Versions of the libraries whose output bytes a stage depends on, beyond torch and numpy.
FIGURE_LIBRARIES = ("matplotlib", "pillow")
# In the cache folder: the key of the inputs the site in the site folder was built from.
SITE_STAMP = "site.key"
SITE_LIBRARIES = ("mkdocs", "mkdocs-material", "jinja2", "pillow")  # pillow: the social card
# What the environment feeds MkDocs: the published address, the repository the header
# links and the date in the footer.
SITE_ENVIRONMENT = ("SITE_URL", "REPO_URL", "SOURCE_DATE_EPOCH")
ALL_SECTIONS = tuple(SECTIONS)


@dataclass(frozen=True)
class Stage:
    name: str
    help: str  # one line for `python -m generator --help`
    run: Callable[[Build], Any]  # computes the result (through build.stored if stored)
    needs: tuple[str, ...] = ()  # stages whose results it reads; their keys are in its key
    sections: tuple[str, ...] = ()  # config sections it reads
    code: tuple[str, ...] = ()  # generator modules that compute it
    libraries: tuple[str, ...] = ()
    # Facts it reads: its key covers their values rather than the facts stage's key, which
    # also follows code the stage does not read (a claim's wording).
    facts: tuple[str, ...] = ()
    # Files from outside the project whose bytes shape its output (a system font), each
    # as a function giving the file's hash.
    inputs: tuple[Callable[[], str], ...] = ()
    stored: bool = False  # its result is a cache entry
    study: bool = False  # a build runs it only with study.enabled


def key_material(stage: Stage, build: Build) -> list[str]:
    """What a stage's key hashes, besides its name and library versions."""
    from generator.cache import code_hash

    parts = [build.cfg.section_hash(*stage.sections)] if stage.sections else []
    parts += [code_hash(*stage.code)] if stage.code else []
    parts += [build.key(need) for need in stage.needs]
    parts += [identity() for identity in stage.inputs]
    if stage.facts:
        read = {name: build.result("facts")[name] for name in stage.facts}
        parts.append(hashlib.sha256(json_text(read).encode()).hexdigest())
    return parts


def stage_key_of(stage: Stage, build: Build) -> str:
    return stage_key(stage.name, *key_material(stage, build), libraries=stage.libraries)


# --- the article's run ----------------------------------------------------------------
def make_data(build: Build) -> Any:
    from generator import data

    return data.make_dataset(build.cfg.data)


def train(build: Build) -> Path:
    return build.stored("train", lambda out: train_into(build, out))


def train_into(build: Build, folder: Path) -> None:
    from tqdm import tqdm

    from generator import provenance, trace
    from generator import train as training

    cfg, dataset = build.cfg, build.result("data")
    recorder = trace.Recorder(cfg, dataset)
    with tqdm(total=cfg.total_steps, desc="training", unit="step", mininterval=0.5) as bar:

        def on_step(step: int, net: Any, loss: float, accuracy: float) -> None:
            recorder(step, net, loss, accuracy)
            if step:
                bar.update()
                bar.set_postfix(loss=f"{loss:.3f}", refresh=False)

        net = training.train(cfg, dataset.train, on_step)
    write_npz(folder / "trace.npz", recorder.finish().to_arrays())
    write_npz(folder / "weights.npz", {n: t.detach().numpy() for n, t in net.state_dict().items()})
    write_json(folder / "machine.json", provenance.training_machine())
    training.return_freed_memory()  # what training freed is not kept for the stages after it


def recorded(build: Build) -> Any:
    """The trace of the run, read from the train stage's entry."""
    from generator import trace

    return trace.Trace.from_arrays(read_npz(build.result("train") / "trace.npz"))


def derive_facts(build: Build) -> dict[str, Any]:
    def fill(folder: Path) -> None:
        from generator import facts

        weights = read_npz(build.result("train") / "weights.npz")
        test = build.result("data").test
        derived = facts.derive_facts(build.cfg, recorded(build), weights, test)
        derived["machine"] = read_json(build.result("train") / "machine.json")
        write_json(folder / "facts.json", derived)

    folder = build.stored("facts", fill)
    return read_json(folder / "facts.json")


# The facts the figures show: the standout FC1 unit they highlight, and the test set's
# measures the population charts draw.
FIGURE_FACTS = ("fc1_standout", "fc1_population", "channel_population")


def figure_facts(build: Build) -> dict[str, Any]:
    return {name: build.result("facts")[name] for name in FIGURE_FACTS}


def draw_figures(build: Build) -> Path:
    def fill(folder: Path) -> None:
        from generator.figures import draw

        dataset, shown = build.result("data"), figure_facts(build)
        draw.render_figures(build.cfg, dataset, recorded(build), shown, folder)

    return build.stored("figures", fill)


# --- the live network of the "Try it" section ---------------------------------------------
# The live stage's manifest (generator/live.MANIFEST); not imported: live imports torch.
LIVE_MANIFEST = "live-manifest.json"


def export_live(build: Build) -> Path:
    """The weights at the shipped steps (a replay of training) and the section's facts."""

    def fill(folder: Path) -> None:
        from generator import live

        final = read_npz(build.result("train") / "weights.npz")
        exported = live.export(build.cfg, build.result("data"), recorded(build), final)
        for name, content in exported.files.items():
            write_bytes(folder / name, content)

    return build.stored("live", fill)


def live_colours(build: Build) -> dict[str, Any]:
    """The figures' colour scales for the live network: a stage of its own, keyed on the
    figures' code, so a figure edit does not replay training."""

    def fill(folder: Path) -> None:
        from generator import live_colours

        write_json(folder / "scales.json", live_colours.colour_scales(recorded(build)))

    folder = build.stored("live-colours", fill)
    return read_json(folder / "scales.json")


def live_manifest(build: Build) -> dict[str, Any]:
    return read_json(build.result("live") / LIVE_MANIFEST)


def live_files(build: Build) -> dict[str, bytes]:
    """What the page's live network loads: its weights, and live.json with the scales."""
    files = entry_files(build.result("live"))
    del files[LIVE_MANIFEST]
    manifest = {**live_manifest(build), "scales": build.result("live-colours")}
    files["live.json"] = json_text(manifest).encode()
    return files


def render_pages(build: Build) -> None:
    from generator import render

    downloads = publish_assets(build)
    study = None
    if build.cfg.study.enabled:  # without it, the pages leave the study's parts out
        study = {"seeds": build.result("seeds"), "experiments": build.result("experiments")}
    context = {
        "facts": build.result("facts"),
        "config": build.cfg.to_dict(),
        "downloads": downloads["files"],
        "study": study,
        "live": live_manifest(build)["facts"],
    }
    render.render_pages(context, build.paths.docs)


def publish_assets(build: Build) -> dict[str, Any]:
    """Copy figures, facts, config, studies and downloads into docs/assets/generated.

    Files no longer produced are dropped. Returns the downloads listing (downloads.json),
    which the pages show: it lists the other files, never itself.
    """
    from generator import downloads, provenance

    out = build.paths.generated
    wanted = entry_files(build.result("figures"))
    facts = build.result("facts")
    wanted["facts.json"] = json.dumps(facts, indent=2, sort_keys=True).encode() + b"\n"
    wanted["config.json"] = build.cfg.to_json().encode()
    about = provenance.describe(build.cfg, build.paths.root, facts["machine"])
    wanted["provenance.json"] = json.dumps(about, indent=2, sort_keys=True).encode() + b"\n"
    if build.cfg.study.enabled:
        wanted["seeds.json"] = json_text(build.result("seeds")).encode()
        wanted["experiments.json"] = json_text(build.result("experiments")).encode()
        wanted.update(entry_files(build.result("experiment-charts")))
    trained = build.result("train")
    wanted.update({n: (trained / n).read_bytes() for n in ("weights.npz", "trace.npz")})
    wanted.update(live_files(build))
    listing = downloads.listing(wanted)
    wanted["downloads.json"] = json_text(listing).encode()
    for name, content in wanted.items():
        write_bytes(out / name, content)
    for stale in {p.name for p in out.iterdir()} - set(wanted):
        (out / stale).unlink()
    return listing


def build_site(build: Build) -> None:
    """MkDocs, unless nothing it reads changed since the site it built last."""
    build.result("render")
    paths, key = build.paths, site_inputs_hash(build)
    stamp = paths.cache / SITE_STAMP
    if paths.site.is_dir() and stamp.is_file() and stamp.read_text() == key:
        build.note("unchanged", key)
        return
    build.note("computed", key)
    mkdocs_build(paths.root / "mkdocs.yml", paths.site)
    write_bytes(stamp, key.encode())


def site_inputs_hash(build: Build) -> str:
    root, digest = build.paths.root, hashlib.sha256()
    hooks = (root / "generator" / "hooks").glob("*")  # named in mkdocs.yml, and their scripts
    for path in sorted([root / "mkdocs.yml", *build.paths.docs.rglob("*"), *hooks]):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    for name in SITE_ENVIRONMENT:
        digest.update(f"{name}={os.environ.get(name, '')}".encode())
    return stage_key("site", digest.hexdigest(), libraries=SITE_LIBRARIES)


def entry_files(folder: Path) -> dict[str, bytes]:
    """The files of a cache entry, by name, without its manifest."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != MANIFEST}


class SiteBuildFailed(Exception):
    """MkDocs stopped; the message is what it reported first."""


class Problems(logging.Handler):
    """Keeps the warnings and errors MkDocs logs: as a library it prints none of them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().strip())

    def first(self, count: int = 2) -> str:
        """The first few, on one line: MkDocs logs "Error reading page X:", then the reason."""
        return " ".join(self.messages[:count])


def mkdocs_build(config_file: Path, site: Path) -> None:
    """Run `mkdocs build --strict` into a temporary folder, then swap it in.

    MkDocs ends a failed build with an exception that is also a SystemExit and logs the
    reason only to its own logger, so without the handler a build would exit 1 in silence.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    remove_leftovers(site.parent)  # half-built sites of builds that were killed
    staging = staging_folder(site.parent, site.name)
    problems, logger = Problems(), logging.getLogger("mkdocs")
    logger.addHandler(problems)
    try:
        build(load_config(str(config_file), site_dir=str(staging), strict=True))
        staging.chmod(0o755)  # mkdtemp makes it private; the site is meant to be served
        replace_folder(staging, site)
    except Abort as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildFailed(f"MkDocs: {problems.first() or err.format_message()}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(problems)


TRAINING_SECTIONS = ("data", "model", "train", "record")

ARTICLE_STAGES = (
    Stage("data", "generate the synthetic dataset", make_data, sections=("data",), code=("data",)),
    Stage(
        "train",
        "train TinyCNN and record the trace",
        train,
        needs=("data",),
        sections=TRAINING_SECTIONS,
        code=("model", "train", "trace", "provenance"),
        stored=True,
    ),
    # facts.json embeds the whole config, including sections training does not read
    Stage(
        "facts",
        "derive facts.json from the trace and the test images",
        derive_facts,
        needs=("data", "train"),
        sections=ALL_SECTIONS,
        code=("facts",),
        stored=True,
    ),
    Stage(
        "figures",
        "render the PNG figures and GIF animations",
        draw_figures,
        needs=("train",),
        code=("figures.draw",),
        libraries=FIGURE_LIBRARIES,
        facts=FIGURE_FACTS,
        inputs=(fonts.identity,),  # the Japanese figures' glyphs come from a system package
        stored=True,
    ),
    Stage(
        "live",
        "export the weights at a few steps for the page's live network (replays training)",
        export_live,
        needs=("data", "train"),
        code=("live",),
        stored=True,
    ),
    Stage(
        "live-colours",
        "the figures' colour scales for the live network",
        live_colours,
        needs=("train",),
        code=("live_colours",),
        libraries=FIGURE_LIBRARIES,
        stored=True,
    ),
)
PAGE_STAGES = (
    Stage("render", "fill the Markdown templates with the facts", render_pages),
    Stage("site", "build the site with MkDocs (same as build)", build_site),
)


def table() -> dict[str, Stage]:
    """Every stage, in the order a build runs them; the study's register themselves."""
    from generator.study.stages import STUDY_STAGES

    return {s.name: s for s in (*ARTICLE_STAGES, *STUDY_STAGES, *PAGE_STAGES)}
