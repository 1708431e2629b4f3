"""Atomic, reproducible file writes shared by every stage.

Each file is written to a temporary sibling and renamed into place, so a
crash never leaves half a file; a file whose bytes would not change is left
alone, so its timestamp does not trigger later work. Temporary names carry
the writer's process id, so a later build can remove what a killed one left
behind without touching what a running one is still writing.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

# zipfile stamps members with the wall clock; a fixed date keeps .npz bytes reproducible.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

# ".<name>.tmp<pid>.<random>": what temp_prefix names and remove_leftovers recognises.
LEFTOVER = re.compile(r"^\..*\.tmp(\d+)\.\w+$")


def temp_prefix(name: str) -> str:
    """Start of the name of a temporary file or folder that will become `name`."""
    return f".{name}.tmp{os.getpid()}."


def staging_folder(parent: Path, name: str) -> Path:
    """A new empty temporary folder in `parent`, to be filled and renamed to `name`."""
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=parent, prefix=temp_prefix(name)))


def replace_folder(new: Path, target: Path) -> None:
    """Put the complete folder `new` at `target`, then delete the folder it replaces.

    Both are renames within one parent, so `target` is always either the old
    folder, the new one, or (for an instant) absent; never half of either.
    """
    old = target.with_name(f"{temp_prefix(target.name)}old")
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def remove_leftovers(folder: Path) -> list[str]:
    """Delete the temporary files and folders in `folder` whose writer is gone."""
    removed: list[str] = []
    if not folder.is_dir():
        return removed
    for path in sorted(folder.iterdir()):
        match = LEFTOVER.match(path.name)
        if not match or _process_alive(int(match.group(1))):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


def unwritable_reason(folder: Path) -> str | None:
    """Why a build could not create or write `folder`, or None if it can.

    It tries for real (a probe folder, removed at once): permission bits say
    nothing for root, and read-only or virtual file systems only show on writing.
    """
    if folder.exists() and not folder.is_dir():
        return "it is a file, not a folder"
    existing = folder.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is a file, not a folder"
    try:
        probe = tempfile.mkdtemp(dir=existing, prefix=temp_prefix("probe"))
    except OSError as err:
        return f"cannot write in {existing} ({err.strerror})"
    os.rmdir(probe)
    return None


def write_bytes(path: Path, data: bytes) -> bool:
    """Write atomically; return whether the file changed."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path.name))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_text(path: Path, text: str) -> bool:
    return write_bytes(path, text.encode("utf-8"))


def json_text(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_json(path: Path, value: Any) -> bool:
    return write_bytes(path, json_text(value).encode("utf-8"))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An .npz archive (readable by np.load) with fixed member dates and order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = zipfile.ZipInfo(f"{name}.npy", date_time=ZIP_EPOCH)
            member.compress_type = zipfile.ZIP_DEFLATED
            array_bytes = io.BytesIO()
            np.lib.format.write_array(array_bytes, np.asarray(arrays[name], order="C"))
            archive.writestr(member, array_bytes.getvalue())
    return buffer.getvalue()


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> bool:
    return write_bytes(path, npz_bytes(arrays))


def read_npz(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}
