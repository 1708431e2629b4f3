"""The build, stage by stage: data -> train -> facts + figures -> render -> site.

Each stage runs at most once per build, asks for the stages before it, and
reports whether it computed its result or took it from the cache, and how
long it took. Cached results live under .cache/; the published copies are
written into docs/assets/generated/, and the site is built into a temporary
folder and swapped in only when complete.

With study.enabled (on by default; off, a build runs none of it), the seeds
and experiments stages train other configs (other seeds, noise levels) as
sibling builds that share the cache, so a config equal to the
main one is the main build itself and is never trained twice.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from generator import provenance, render
from generator.cache import MANIFEST, Cache, code_hash, stage_key
from generator.config import Config
from generator.files import (
    json_text,
    read_npz,
    remove_leftovers,
    replace_folder,
    staging_folder,
    write_bytes,
    write_json,
    write_npz,
)

# The other stage modules are imported inside the stages that run them: importing torch
# and matplotlib costs more than a whole rebuild whose results are all cached.
if TYPE_CHECKING:
    from generator import data, model, trace

# Versions of the libraries whose output bytes a stage depends on, beyond torch and numpy.
FIGURE_LIBRARIES = ("matplotlib", "pillow", "imageio")
SITE_LIBRARIES = ("mkdocs", "mkdocs-material", "jinja2")
# What the environment feeds MkDocs: the published address and the date in the footer.
SITE_ENVIRONMENT = ("SITE_URL", "SOURCE_DATE_EPOCH")

STAGE_NAMES = ("data", "train", "facts", "figures", "render", "site")
# Stages a build runs only with study.enabled: they train many more models.
STUDY_STAGES = ("seeds", "mlp", "experiments", "experiment-charts")


@dataclass(frozen=True)
class Paths:
    root: Path  # the project: mkdocs.yml and docs/
    site: Path
    cache: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def generated(self) -> Path:
        return self.docs / "assets" / "generated"

    @classmethod
    def under(cls, root: Path) -> Paths:
        return cls(root=root, site=root / "site", cache=root / ".cache")


class Build:
    def __init__(self, cfg: Config, paths: Paths, log: Callable[[str], None] = print) -> None:
        self.cfg = cfg
        self.paths = paths
        self.log = log
        self.cache = Cache(paths.cache, report=log)
        self._nested_seconds: list[float] = []
        self.outcomes: dict[str, str] = {}  # stage -> how it got its result, in run order

    @contextmanager
    def stage(self, name: str) -> Iterator[dict[str, str]]:
        """Time a stage and print one line about it; the body may change status["how"].

        A stage that asks for an earlier one mid-way does not count its time:
        that stage prints its own line first.
        """
        status = {"how": "computed"}
        self._nested_seconds.append(0.0)
        start = time.perf_counter()
        try:
            yield status
        finally:
            elapsed = time.perf_counter() - start
            own = elapsed - self._nested_seconds.pop()
            if self._nested_seconds:
                self._nested_seconds[-1] += elapsed
        self.outcomes[name] = status["how"]
        self.log(f"=== {name}: {status['how']} in {own:.2f} s")

    def _cached_folder(self, stage: str, key: str, fill: Callable[[Path], object]) -> Path:
        """A stage whose result is a cache folder: loaded if present, else filled and stored."""
        with self.stage(stage) as status:
            folder = self.cache.load(stage, key)
            if folder:
                status["how"] = f"from cache {key}"
                return folder
            return self.cache.store(stage, key, fill)

    # --- data -----------------------------------------------------------------
    @cached_property
    def dataset(self) -> data.Dataset:
        with self.stage("data"):
            from generator import data

            return data.make_dataset(self.cfg.data)

    # --- train (records the trace) --------------------------------------------
    @cached_property
    def train_key(self) -> str:
        code = code_hash("data", "model", "train", "trace", "provenance")
        return stage_key("train", self.cfg.section_hash("data", "model", "train", "record"), code)

    @cached_property
    def trace_dir(self) -> Path:
        folder = self._cached_folder("train", self.train_key, self._train_into)
        return_freed_memory()  # what training freed is not kept for the stages after it
        return folder

    def _train_into(self, folder: Path) -> None:
        from generator import trace, train

        recorder = trace.Recorder(self.cfg, self.dataset)
        with tqdm(total=self.cfg.total_steps, desc="training", unit="step", mininterval=0.5) as bar:

            def on_step(step: int, net: model.TinyCNN, loss: float, accuracy: float) -> None:
                recorder(step, net, loss, accuracy)
                if step:
                    bar.update()
                    bar.set_postfix(loss=f"{loss:.3f}", refresh=False)

            net = train.train(self.cfg, self.dataset.train, on_step)
        write_npz(folder / "trace.npz", recorder.finish().to_arrays())
        weights = {name: t.detach().numpy() for name, t in net.state_dict().items()}
        write_npz(folder / "weights.npz", weights)
        write_json(folder / "machine.json", provenance.training_machine())

    @cached_property
    def recorded(self) -> trace.Trace:
        from generator import trace

        return trace.Trace.from_arrays(read_npz(self.trace_dir / "trace.npz"))

    # --- facts ------------------------------------------------------------------
    @cached_property
    def facts_key(self) -> str:
        # facts.json embeds the whole config, including sections training does not read
        return stage_key("facts", self.train_key, self.cfg.hash, code_hash("facts"))

    @cached_property
    def derived_facts(self) -> dict[str, Any]:
        with self.stage("facts") as status:
            folder = self.cache.load("facts", self.facts_key)
            if folder:
                status["how"] = f"from cache {self.facts_key}"
            else:
                from generator import facts

                derived = facts.derive_facts(self.cfg, self.recorded)
                derived["machine"] = json.loads((self.trace_dir / "machine.json").read_text())
                folder = self.cache.store(
                    "facts", self.facts_key, lambda f: write_json(f / "facts.json", derived)
                )
            return json.loads((folder / "facts.json").read_text(encoding="utf-8"))

    # --- figures ----------------------------------------------------------------
    @cached_property
    def figures_key(self) -> str:
        code = code_hash("figures")
        return stage_key("figures", self.train_key, code, libraries=FIGURE_LIBRARIES)

    @cached_property
    def figures_dir(self) -> Path:
        def fill(folder: Path) -> None:
            from generator import figures

            figures.render_figures(self.cfg, self.dataset, self.recorded, folder)

        return self._cached_folder("figures", self.figures_key, fill)

    # --- seeds: the same setup with other training seeds -------------------------
    def sibling(self, cfg: Config, label: str) -> Build:
        """A build of another config that shares this one's cache and log; itself if same."""
        if cfg == self.cfg:
            return self
        other = Build(cfg, self.paths, log=lambda line: self.log(f"  [{label}] {line}"))
        other._nested_seconds = self._nested_seconds  # its stages' time is not ours
        if cfg.data == self.cfg.data and "dataset" in self.__dict__:
            other.dataset = self.dataset  # same images: share them rather than make them again
        return other

    @cached_property
    def seed_study(self) -> dict[str, Any]:
        with self.stage("seeds"):
            from generator.study import seeds

            # One sibling at a time, kept only for its facts: each holds a dataset while alive.
            facts = {
                seed: self.sibling(seeds.seed_config(self.cfg, seed), f"seed {seed}").derived_facts
                for seed in seeds.seed_list(self.cfg)
            }
            return seeds.seed_study(self.cfg, facts)

    # --- experiments: a same-size MLP, and other noise levels ---------------------
    @cached_property
    def mlp_curves(self) -> dict[str, Any]:
        sections = self.cfg.section_hash("data", "model", "train", "record")
        key = stage_key("mlp", sections, code_hash("study.mlp"))

        def fill(folder: Path) -> None:
            from generator.study import mlp

            write_npz(folder / "mlp.npz", mlp.train_mlp(self.cfg, self.dataset))

        return read_npz(self._cached_folder("mlp", key, fill) / "mlp.npz")

    @cached_property
    def experiment_results(self) -> dict[str, Any]:
        from generator.study import experiments

        noise = {}
        for level in experiments.noise_levels(self.cfg):  # one sibling alive at a time
            run = self.sibling(experiments.noise_config(self.cfg, level), f"noise {level:g}")
            noise[level] = (run.recorded, run.derived_facts)
        curves = self.mlp_curves
        with self.stage("experiments"):
            return experiments.summarize(self.cfg, self.recorded, self.derived_facts, curves, noise)

    @cached_property
    def experiment_charts_dir(self) -> Path:
        results = hashlib.sha256(json_text(self.experiment_results).encode()).hexdigest()
        code = code_hash("figures.study_charts")
        key = stage_key("experiment-charts", results, code, libraries=FIGURE_LIBRARIES)

        def fill(folder: Path) -> None:
            from generator.figures import study_charts

            study_charts.render_charts(self.experiment_results, folder)

        return self._cached_folder("experiment-charts", key, fill)

    # --- render -----------------------------------------------------------------
    def render(self) -> None:
        with self.stage("render"):
            downloads = self._publish_assets()
            study = None
            if self.cfg.study.enabled:  # without it, the pages leave the study's parts out
                study = {"seeds": self.seed_study, "experiments": self.experiment_results}
            context = {
                "facts": self.derived_facts,
                "config": self.cfg.to_dict(),
                "downloads": downloads["files"],
                "study": study,
            }
            render.render_pages(context, self.paths.docs)

    def _publish_assets(self) -> dict[str, Any]:
        """Copy figures, facts, config, studies and downloads into docs/assets/generated.

        Files no longer produced are dropped. Returns the downloads listing (downloads.json),
        which the pages show: it lists the other files, never itself.
        """
        out = self.paths.generated
        wanted = entry_files(self.figures_dir)
        wanted["facts.json"] = (
            json.dumps(self.derived_facts, indent=2, sort_keys=True).encode() + b"\n"
        )
        wanted["config.json"] = self.cfg.to_json().encode()
        about = provenance.describe(self.cfg, self.paths.root, self.derived_facts["machine"])
        wanted["provenance.json"] = json.dumps(about, indent=2, sort_keys=True).encode() + b"\n"
        if self.cfg.study.enabled:
            wanted["seeds.json"] = json_text(self.seed_study).encode()
            wanted["experiments.json"] = json_text(self.experiment_results).encode()
            wanted.update(entry_files(self.experiment_charts_dir))
        wanted.update({n: (self.trace_dir / n).read_bytes() for n in ("weights.npz", "trace.npz")})
        from generator import downloads

        listing = downloads.listing(wanted)
        wanted["downloads.json"] = json_text(listing).encode()
        for name, content in wanted.items():
            write_bytes(out / name, content)
        for stale in set(p.name for p in out.iterdir()) - set(wanted):
            (out / stale).unlink()
        return listing

    # --- site -------------------------------------------------------------------
    def site(self) -> None:
        self.render()
        with self.stage("site") as status:
            key = self._site_inputs_hash()
            stamp = self.paths.cache / "site.key"
            if self.paths.site.is_dir() and stamp.is_file() and stamp.read_text() == key:
                status["how"] = "unchanged"
                return
            build_site(self.paths.root / "mkdocs.yml", self.paths.site)
            write_bytes(stamp, key.encode())

    def _site_inputs_hash(self) -> str:
        digest = hashlib.sha256()
        hooks = (self.paths.root / "generator" / "hooks").glob("*.py")  # named in mkdocs.yml
        for path in sorted([self.paths.root / "mkdocs.yml", *self.paths.docs.rglob("*"), *hooks]):
            if path.is_file():
                digest.update(str(path.relative_to(self.paths.root)).encode())
                digest.update(path.read_bytes())
        for name in SITE_ENVIRONMENT:
            digest.update(f"{name}={os.environ.get(name, '')}".encode())
        return stage_key("site", digest.hexdigest(), libraries=SITE_LIBRARIES)

    def run(self, stage: str) -> None:
        """Run one stage and whatever it needs; "build" runs them all."""
        actions: dict[str, Callable[[], object]] = {
            "data": lambda: self.dataset,
            "train": lambda: self.trace_dir,
            "facts": lambda: self.derived_facts,
            "figures": lambda: self.figures_dir,
            "seeds": lambda: self.seed_study,
            "experiments": lambda: self.experiment_charts_dir,
            "render": self.render,
            "site": self.site,
            "build": self.site,
        }
        actions[stage]()
        if stage == "build":  # say so when a stage was skipped because its results were cached
            for name in (*STAGE_NAMES, *(STUDY_STAGES if self.cfg.study.enabled else ())):
                if name not in self.outcomes:
                    self.outcomes[name] = "not needed"
                    self.log(f"=== {name}: not needed")


def return_freed_memory() -> None:
    """Hand the heap that training freed back to the system.

    glibc keeps freed small blocks for reuse, so without this the figures and MkDocs
    would pile their memory on top of training's high-water mark (peak RSS, issue 8).
    """
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def entry_files(folder: Path) -> dict[str, bytes]:
    """The files of a cache entry, by name, without its manifest."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != MANIFEST}


def build_site(config_file: Path, site: Path) -> None:
    """Run `mkdocs build --strict` into a temporary folder, then swap it in."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    remove_leftovers(site.parent)  # half-built sites of builds that were killed
    staging = staging_folder(site.parent, site.name)
    try:
        build(load_config(str(config_file), site_dir=str(staging), strict=True))
        staging.chmod(0o755)  # mkdtemp makes it private; the site is meant to be served
        replace_folder(staging, site)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
