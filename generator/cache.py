"""A content-checked cache of stage results, keyed on their provenance.

A stage's key hashes everything its result depends on: its config sections,
the source of the generator modules it runs, the key of the stage before it
and the library versions. An entry is a folder of files plus a manifest of
their SHA-256 sums; it is filled in a temporary folder and renamed into place,
so an interrupted stage leaves no entry, and a damaged one is detected and
recomputed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import torch

from generator.files import remove_leftovers, staging_folder

MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_hash(*modules: ModuleType) -> str:
    """Hash of the source of the modules a stage runs."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def stage_key(stage: str, *parts: str) -> str:
    """Key of a stage result from its inputs' hashes and the library versions."""
    material = [stage, *parts, torch.__version__, np.__version__]
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()[:20]


class Cache:
    def __init__(self, root: Path, report: Callable[[str], None] = print) -> None:
        self.root = root
        self.report = report

    def entry(self, stage: str, key: str) -> Path:
        return self.root / f"{stage}-{key}"

    def load(self, stage: str, key: str) -> Path | None:
        """The entry's folder if it is present and intact; a damaged one is removed."""
        folder = self.entry(stage, key)
        if not folder.is_dir():
            return None
        problem = self._check(folder)
        if problem is None:
            return folder
        self.report(f"cache: {stage} entry {key} is damaged ({problem}); recomputing")
        shutil.rmtree(folder, ignore_errors=True)
        return None

    def store(self, stage: str, key: str, fill: Callable[[Path], None]) -> Path:
        """Run `fill(folder)` in a fresh temporary folder, then publish it as the entry."""
        remove_leftovers(self.root)  # staging folders of builds that were killed
        staging = staging_folder(self.root, f"{stage}-{key}")
        try:
            fill(staging)
            manifest = {p.name: sha256_file(p) for p in sorted(staging.iterdir())}
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
            folder = self.entry(stage, key)
            shutil.rmtree(folder, ignore_errors=True)
            staging.rename(folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return folder

    @staticmethod
    def _check(folder: Path) -> str | None:
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
        except (OSError, ValueError):
            return "no readable manifest"
        for name, digest in manifest.items():
            path = folder / name
            if not path.is_file():
                return f"{name} is missing"
            if sha256_file(path) != digest:
                return f"{name} does not match its checksum"
        return None
