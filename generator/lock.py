"""One build at a time on a cache and its output folders.

Two builds in one checkout (an editor's build-on-save next to `make site`) would
otherwise remove each other's half-written cache entries and pages. A build takes an
exclusive lock (flock) on each folder it writes: the cache, the project (its generated
pages) and the site folder's parent. A second build prints one line naming the process
that holds it and waits, then runs on the finished cache (its stages are then mostly
loaded, not computed); told not to wait, it stops with BuildBusy instead. The kernel
drops a lock when its process ends, however it ends, so a killed build never leaves
one behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path


class BuildBusy(Exception):
    """Another build holds a lock and this one was told not to wait."""


def lock_files(root: Path, site: Path, cache: Path) -> list[Path]:
    """The lock file of every folder a build writes, in one order for every build."""
    files = {
        cache.resolve() / ".build.lock",
        root.resolve() / ".build.lock",  # docs/*.md and docs/assets/generated
        site.resolve().parent / f".{site.name}.lock",  # the site is replaced whole
    }
    return sorted(files)  # the same order everywhere: two builds cannot deadlock


def holder(fd: int) -> str:
    """The process id written in a lock file by the build that holds it ("?" if not yet)."""
    for _ in range(20):  # the holder writes its id just after it takes the lock
        text = os.pread(fd, 32, 0).decode(errors="replace").strip()
        if text:
            return text
        time.sleep(0.05)
    return "?"


@contextlib.contextmanager
def build_lock(
    root: Path, site: Path, cache: Path, *, wait: bool = True, log: Callable[[str], None] = print
) -> Iterator[None]:
    """Hold every lock of a build (see lock_files) for the duration of the block."""
    held: list[int] = []
    said = False
    try:
        for path in lock_files(root, site, cache):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            held.append(fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                other = holder(fd)
                if not wait:
                    raise BuildBusy(
                        f"the build in process {other} is using {path.parent}; not waiting "
                        "(--no-wait): run again when it has finished"
                    ) from None
                if not said:
                    log(f"waiting for the build in process {other}")
                    said = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        for fd in reversed(held):
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)  # no stale id for the next waiter to name
            os.close(fd)  # closing drops the lock
