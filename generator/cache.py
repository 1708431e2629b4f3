"""A content-checked cache of stage results, keyed on their provenance.

A stage's key hashes everything its result depends on: its config sections,
the source of the generator modules it runs (and of every generator module
those import), the key of the stage before it and the library versions. Keys
are computed from files and package metadata without importing anything, so a
build whose results are all cached never loads torch or matplotlib.

An entry is a folder of files plus a manifest of their SHA-256 sums; it is
filled in a temporary folder and renamed into place, so an interrupted stage
leaves no entry, and a damaged one is detected and recomputed.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import shutil
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path

from generator.files import remove_leftovers, staging_folder

MANIFEST = "manifest.json"
PACKAGE = Path(__file__).parent  # generator/: the only code whose source keys the cache
# Every stage's numbers pass through these; a stage adds the libraries it alone uses.
BASE_LIBRARIES = ("torch", "numpy")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_hash(*modules: str) -> str:
    """Hash of the source of generator modules ("train", "figures", ...) and their imports.

    Following the imports means a helper module split out of a stage later is
    still part of that stage's key.
    """
    digest = hashlib.sha256()
    for path in sorted(source_closure(f"{PACKAGE.name}.{name}" for name in modules)):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def source_closure(modules: Iterable[str]) -> set[Path]:
    """Source files of the given generator modules and every generator module they import."""
    seen: set[Path] = set()
    pending = []
    for name in modules:
        path = source_file(name)
        if path is None:  # a typo here would key a stage on nothing and never invalidate it
            raise ValueError(f"{name!r} is not a module of the {PACKAGE.name} package")
        pending.append(path)
    while pending:
        path = pending.pop()
        if path not in seen:
            seen.add(path)
            pending.extend(p for name in imported_names(path) if (p := source_file(name)))
    return seen


def source_file(module: str) -> Path | None:
    """The file of a module inside the generator package; None for anything else."""
    top, _, rest = module.partition(".")
    if top != PACKAGE.name:
        return None
    base = PACKAGE.joinpath(*rest.split(".")) if rest else PACKAGE
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_names(path: Path) -> set[str]:
    """Every module (and `from m import x` candidate m.x) a source file imports, anywhere in it."""
    return set(_imports_in(path, path.read_bytes()))


@functools.cache
def _imports_in(path: Path, source: bytes) -> frozenset[str]:
    # Keyed by the source itself: `make serve` keys the stages on every rebuild, and
    # parsing the same code again each time was a noticeable part of a rebuild.
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return frozenset(names)


def stage_key(stage: str, *parts: str, libraries: tuple[str, ...] = ()) -> str:
    """Key of a stage result from its inputs' hashes and the versions of the libraries used."""
    versions = [f"{name}=={version(name)}" for name in (*BASE_LIBRARIES, *libraries)]
    material = [stage, *parts, *versions]
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
