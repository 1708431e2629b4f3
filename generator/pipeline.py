"""The build: runs the stages of generator/stages.py, data -> train -> facts + figures ->
render -> site.

Each stage runs at most once per build, asks for the stages before it when it needs their
results, and reports whether it computed its result or took it from the cache, and how long
it took: one line in the log, and one entry in the stage report (.cache/stages.json) that
tools read. Cached results live under .cache/; the published copies are written into
docs/assets/generated/, and the site is built into a temporary folder and swapped in only
when complete.

With study.enabled (on by default; off, a build runs none of it), the study's stages train
other configs as sibling builds that share this build's cache, log and clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.cache import Cache
from generator.config import Config
from generator.files import write_json
from generator.stages import Stage, stage_key_of, table

REPORT = "stages.json"  # the stage report, in the cache folder


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


@dataclass
class Outcome:
    """How one stage of one run got its result; an entry of the stage report."""

    run: str  # "" for the article's run, else the sibling's label ("seed 1")
    stage: str
    how: str = "computed"  # or "from cache", "unchanged", "not needed"
    seconds: float = 0.0  # its own work: the stages it asked for report their own
    key: str | None = None


@dataclass
class Clock:
    """The outcomes of a build and its siblings, in the order the stages finished."""

    outcomes: list[Outcome] = field(default_factory=list)
    nested: list[float] = field(default_factory=list)  # time of the stages a stage asked for

    @contextmanager
    def timing(self, outcome: Outcome) -> Iterator[Outcome]:
        self.nested.append(0.0)
        start = time.perf_counter()
        try:
            yield outcome
        finally:
            elapsed = time.perf_counter() - start
            outcome.seconds = elapsed - self.nested.pop()
            if self.nested:
                self.nested[-1] += elapsed
        self.outcomes.append(outcome)

    def report(self) -> dict[str, Any]:
        return {"stages": [vars(outcome) for outcome in self.outcomes]}


class Build:
    def __init__(
        self,
        cfg: Config,
        paths: Paths,
        log: Callable[[str], None] = print,
        *,
        label: str = "",
        clock: Clock | None = None,
    ) -> None:
        self.cfg = cfg
        self.paths = paths
        self.log = log
        self.label = label
        self.clock = clock or Clock()
        self.cache = Cache(paths.cache, report=log)
        self.stages: dict[str, Stage] = table()
        self.results: dict[str, Any] = {}
        self.keys: dict[str, str] = {}
        self.running: list[Outcome] = []

    def result(self, name: str) -> Any:
        """A stage's result: run once per build, with whatever it asks for first."""
        if name not in self.results:
            outcome = Outcome(self.label, name)
            self.running.append(outcome)
            try:
                with self.clock.timing(outcome):
                    self.results[name] = self.stages[name].run(self)
            finally:
                self.running.pop()
            self.say(outcome)
        return self.results[name]

    def key(self, name: str) -> str:
        if name not in self.keys:
            self.keys[name] = stage_key_of(self.stages[name], self)
        return self.keys[name]

    def stored(self, name: str, fill: Callable[[Path], object]) -> Path:
        """The one load-or-store of a stage whose result is a cache folder."""
        key = self.key(name)
        folder = self.cache.load(name, key)
        self.note("computed" if folder is None else "from cache", key)
        return folder or self.cache.store(name, key, fill)

    def note(self, how: str, key: str | None = None) -> None:
        """Say how the running stage got its result (it is "computed" unless told)."""
        self.running[-1].how, self.running[-1].key = how, key

    def say(self, outcome: Outcome) -> None:
        how = f"from cache {outcome.key}" if outcome.how == "from cache" else outcome.how
        timing = "" if outcome.how == "not needed" else f" in {outcome.seconds:.2f} s"
        self.log(f"=== {outcome.stage}: {how}{timing}")

    def sibling(self, cfg: Config, label: str) -> Build:
        """A build of another config that shares this one's cache, log and clock; itself if
        the config is the same."""
        if cfg == self.cfg:
            return self
        log = self.log
        other = Build(
            cfg, self.paths, lambda line: log(f"  [{label}] {line}"), label=label, clock=self.clock
        )
        if cfg.data == self.cfg.data and "data" in self.results:
            other.results["data"] = self.results["data"]  # same images: share, not remake
        return other

    def run(self, stage: str) -> None:
        """Run one stage and whatever it needs; "build" runs them all; write the report."""
        self.result("site" if stage == "build" else stage)
        if stage == "build":  # say so when a stage was skipped because its results were cached
            for name, entry in self.stages.items():
                if name not in self.results and (self.cfg.study.enabled or not entry.study):
                    outcome = Outcome(self.label, name, "not needed")
                    self.clock.outcomes.append(outcome)
                    self.say(outcome)
        write_json(self.paths.cache / REPORT, self.clock.report())
