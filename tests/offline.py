"""A build with every network socket refused (tests/test_offline.py, tests/conftest.py).

The guard runs first in the build's process: it replaces socket.socket so
that an internet (IPv4/IPv6) socket cannot be created, refuses name lookups,
and logs every attempt to a file, so an attempt some library catches and
ignores still fails the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tools.project import BUILD_DATE, BUILD_TIMEOUT, REPO

GUARD = """
import runpy, socket, sys

LOG = open(sys.argv.pop(1), "a")


def refuse(what):
    LOG.write(what + "\\n")
    LOG.flush()
    raise OSError(f"network blocked by test_offline: {what}")


class NoNetworkSocket(socket.socket):
    def __init__(self, family=socket.AF_INET, type=socket.SOCK_STREAM, proto=0, fileno=None):
        if fileno is None and family in (socket.AF_INET, socket.AF_INET6):
            refuse(f"socket({family!r}, {type!r})")
        super().__init__(family, type, proto, fileno)


socket.socket = NoNetworkSocket
socket.getaddrinfo = lambda host, *args, **kwargs: refuse(f"getaddrinfo({host!r})")
socket.gethostbyname = lambda host: refuse(f"gethostbyname({host!r})")
sys.argv[0] = "generator"
"""


# The generator's command line, run by the guard.
GENERATOR = "runpy.run_module('generator', run_name='__main__')"


def run_offline(
    log: Path, code: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -c GUARD+code LOG ARGS`, with the build date of tools/project's builds."""
    return subprocess.run(
        [sys.executable, "-c", GUARD + code, str(log), *args],
        cwd=REPO,
        env={**BUILD_DATE, **os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )


def network_log(project: Path) -> Path:
    """Where the guard logged a build's network attempts: beside its project folder."""
    return project.with_name(f"{project.name}.network.log")
