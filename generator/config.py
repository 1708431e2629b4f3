"""Every knob of a build, in one frozen, validated object.

The config is nested by concern (data, model, train, record, study); each part owns
its defaults, which are the published article's. It is printed at the start
of a build, written next to the outputs, and its hash keys the cache.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import math
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints


class ConfigError(ValueError):
    """A config value a build must not start with; the message names the key."""


@dataclass(frozen=True)
class Range:
    """Allowed values of one numeric field, inclusive unless said otherwise."""

    low: float
    high: float = math.inf
    low_open: bool = False

    def allows(self, value: float) -> bool:
        above = value > self.low if self.low_open else value >= self.low
        return math.isfinite(value) and above and value <= self.high

    def __str__(self) -> str:
        left = "(" if self.low_open else "["
        high = "inf)" if math.isinf(self.high) else f"{self.high:g}]"
        return f"{left}{self.low:g}, {high}"


def knob(default: Any, low: float, high: float = math.inf, *, low_open: bool = False) -> Any:
    """A numeric dataclass field that carries its allowed range in its metadata."""
    return field(default=default, metadata={"range": Range(low, high, low_open)})


def switch(default: bool) -> Any:
    """A boolean dataclass field: true or false, no range."""
    return field(default=default, metadata={"range": None})


@dataclass(frozen=True)
class DataConfig:
    seed: int = knob(0, 0, 2**31 - 1)
    image_size: int = knob(32, 8, 128)
    grid: int = knob(3, 2, 8)
    square: int = knob(6, 1, 64)
    # Square brightness above the 0.2 background; 0.8 keeps the clean square within [0, 1].
    contrast: float = knob(0.35, 0.0, 0.8, low_open=True)
    noise: float = knob(0.35, 0.0, 1.0)  # std of the Gaussian background noise
    train_size: int = knob(6000, 9, 200_000)
    test_size: int = knob(1000, 18, 50_000)  # the contact sheets show 18 test images


@dataclass(frozen=True)
class ModelConfig:
    conv1_channels: int = knob(16, 1, 256)
    conv2_channels: int = knob(32, 1, 256)
    fc_hidden: int = knob(64, 1, 4096)


@dataclass(frozen=True)
class TrainConfig:
    seed: int = knob(0, 0, 2**31 - 1)
    epochs: int = knob(3, 1, 1000)
    batch_size: int = knob(64, 1, 4096)
    lr: float = knob(1e-3, 0.0, 1.0, low_open=True)
    threads: int = knob(2, 1, 256)  # results differ between thread counts, so it is pinned


@dataclass(frozen=True)
class RecordConfig:
    # Animation frames, placed where the probe's outputs move (see trace.py).
    snapshots: int = knob(40, 2, 10_000)
    # Test loss and accuracy for the curves, dense early: each costs a pass over the test set.
    evaluations: int = knob(60, 2, 10_000)
    probe_index: int = knob(3, 0, math.inf)  # index into the test split


@dataclass(frozen=True)
class StudyConfig:
    # The seed study and the experiments train 9 more models (4 seeds, 4 noise levels, an MLP);
    # the article's seeds table and the experiments page need them. An author iterating on
    # the main run alone can turn them off (`--study.enabled=false`), dropping those parts.
    enabled: bool = switch(True)
    # Training runs of the same setup: train.seed and the next seeds - 1 seeds, same data.
    seeds: int = knob(5, 2, 32)


@dataclass(frozen=True)
class Config:
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    record: RecordConfig = field(default_factory=RecordConfig)
    study: StudyConfig = field(default_factory=StudyConfig)

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(self.data.train_size / self.train.batch_size)

    @property
    def total_steps(self) -> int:
        return self.train.epochs * self.steps_per_epoch

    @property
    def study_seeds(self) -> list[int]:
        """The study's training seeds: the article's train.seed first, then the next ones.

        Here rather than in study/seeds.py: the study's trainings need the list, and a
        stage's cache key covers every module its code imports, so importing seeds.py (and
        with it the claims' evidence) would retrain them on every edit of a claim."""
        return [self.train.seed + k for k in range(self.study.seeds)]

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"

    def section_hash(self, *names: str) -> str:
        """A short hash of some sections, so each stage is keyed only on what it reads."""
        chosen = {name: self.to_dict()[name] for name in names}
        return hashlib.sha256(json.dumps(chosen, sort_keys=True).encode()).hexdigest()[:16]

    @property
    def hash(self) -> str:
        return self.section_hash(*SECTIONS)


SECTIONS: dict[str, type] = {f.name: f.default_factory for f in fields(Config)}  # type: ignore[misc]

# The tiny preset runs the whole pipeline in seconds, through the same code path.
PRESETS: dict[str, dict[str, Any]] = {
    "default": {},
    "tiny": {
        "data.train_size": 540,
        "data.test_size": 100,  # a claim over test images rests on at least 100 (evidence.py)
        "train.epochs": 2,
        "train.batch_size": 32,
        "record.snapshots": 12,
        "record.evaluations": 12,
        # Less noise and a larger step let the tiny run learn the task within its few
        # steps: the article requires that (claim accuracy_passes_90), tiny builds included.
        "data.noise": 0.2,
        "train.lr": 0.004,
        "study.seeds": 3,
        # A few dozen steps on batches of 32: a second thread costs more in synchronisation
        # than it saves, and one thread per build lets two test workers share two cores.
        "train.threads": 1,
    },
}


def did_you_mean(name: str, options: list[str]) -> str:
    """A hint naming the closest option, or "" when none is close."""
    match = difflib.get_close_matches(name, options, n=1, cutoff=0.5)
    return f" (did you mean '{match[0]}'?)" if match else ""


BOOLEANS = {"true": True, "false": False}


def _parse_value(key: str, raw: Any, kind: type, allowed: Range | None) -> Any:
    """Turn a command-line string or a JSON value into the field's type."""
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in BOOLEANS:
            return BOOLEANS[raw.strip().lower()]
        raise ConfigError(f"{key}={raw!r} is not a boolean; allowed: true or false")
    if isinstance(raw, str):
        try:
            return kind(raw.strip())
        except ValueError:
            pass
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        if kind is float or isinstance(raw, int):
            return kind(raw)
        if raw.is_integer():
            return int(raw)
    what = "an integer" if kind is int else "a number"
    raise ConfigError(f"{key}={raw!r} is not {what}; allowed: {what} in {allowed}")


def _field_of(key: str) -> tuple[str, dataclasses.Field[Any]]:
    section, _, name = key.partition(".")
    if section not in SECTIONS or not name:
        keys = all_keys()
        raise ConfigError(
            f"unknown config key '{key}'{did_you_mean(key, keys)}; keys are section.name"
        )
    by_name = {f.name: f for f in fields(SECTIONS[section])}
    if name not in by_name:
        raise ConfigError(f"unknown config key '{key}'{did_you_mean(key, all_keys())}")
    return section, by_name[name]


# The types a knob may have: what the command line and a JSON file can spell.
KNOB_TYPES = (int, float, bool)


def field_type(section: type, name: str) -> type:
    """The declared type of a config field; anything but int, float or bool is a mistake in
    the config's code, not in the user's input."""
    kind = get_type_hints(section)[name]
    if kind not in KNOB_TYPES:
        raise TypeError(f"{section.__name__}.{name}: a knob is int, float or bool, not {kind}")
    return kind


def all_keys() -> list[str]:
    return [f"{s}.{f.name}" for s, cls in SECTIONS.items() for f in fields(cls)]


def _check_range(key: str, value: float, allowed: Range | None) -> None:
    if allowed is not None and not allowed.allows(value):
        raise ConfigError(f"{key}={value!r} is out of range; allowed: {allowed}")


def _check_relations(cfg: Config) -> None:
    """Rules that tie fields together; each message names the fields involved."""
    d = cfg.data
    if d.image_size % 4:
        raise ConfigError(
            f"data.image_size={d.image_size} must be divisible by 4 (two 2x2 max-pools)"
        )
    cell = d.image_size // d.grid
    if d.square > cell:
        raise ConfigError(
            f"data.square={d.square} must fit in the smallest grid cell; allowed: [1, {cell}] "
            f"(data.image_size // data.grid)"
        )
    if cfg.record.probe_index >= d.test_size:
        raise ConfigError(
            f"record.probe_index={cfg.record.probe_index} is outside the test set; "
            f"allowed: [0, {d.test_size - 1}] (data.test_size - 1)"
        )
    for name in ("snapshots", "evaluations"):
        if getattr(cfg.record, name) > cfg.total_steps + 1:
            raise ConfigError(
                f"record.{name}={getattr(cfg.record, name)} is more than the "
                f"{cfg.total_steps + 1} training steps (step 0 included); "
                f"allowed: [2, {cfg.total_steps + 1}]"
            )


def build_config(overrides: dict[str, Any] | None = None, preset: str = "default") -> Config:
    """The default config with a preset and then `overrides` applied, validated."""
    if preset not in PRESETS:
        raise ConfigError(
            f"unknown preset '{preset}'{did_you_mean(preset, list(PRESETS))}; "
            f"allowed: {', '.join(PRESETS)}"
        )
    merged = {**PRESETS[preset], **(overrides or {})}
    values: dict[str, dict[str, Any]] = {s: {} for s in SECTIONS}
    for key, raw in merged.items():
        section, f = _field_of(key)
        kind = field_type(SECTIONS[section], f.name)
        allowed = f.metadata["range"]
        value = _parse_value(key, raw, kind, allowed)
        _check_range(key, value, allowed)
        values[section][f.name] = value
    cfg = Config(**{s: cls(**values[s]) for s, cls in SECTIONS.items()})
    _check_relations(cfg)
    return cfg


def parse_overrides(args: list[str]) -> dict[str, str]:
    """`--section.key=value` arguments as a dict; anything else is an error."""
    overrides: dict[str, str] = {}
    for arg in args:
        key, sep, value = arg.removeprefix("--").partition("=")
        if not arg.startswith("--") or not sep:
            raise ConfigError(f"expected --section.key=value, got '{arg}'")
        overrides[key] = value
    return overrides


def load_config_file(path: Path) -> dict[str, Any]:
    """Overrides from a JSON file, nested ({"train": {"lr": 0.01}}) or flat."""
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(f"config file {path}: cannot read ({err.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"config file {path}: not valid JSON ({err})") from None
    if not isinstance(loaded, dict):
        raise ConfigError(f"config file {path}: expected a JSON object")
    flat: dict[str, Any] = {}
    for key, value in loaded.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{inner}": v for inner, v in value.items()})
        else:
            flat[key] = value
    for key in flat:
        try:
            _field_of(key)
        except ConfigError as err:
            raise ConfigError(f"config file {path}: {err}") from None
    return flat
