"""Offline: a whole build, from nothing to site/, with every network socket refused.

The guard runs first in the build's process: it replaces socket.socket so
that an internet (IPv4/IPv6) socket cannot be created, refuses name lookups,
and logs every attempt to a file, so an attempt some library catches and
ignores still fails the test.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools.project import REPO, copy_project

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


def run_offline(log: Path, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", GUARD + code, str(log), *args],
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_guard_refuses_lookups_and_sockets(tmp_path):
    log = tmp_path / "attempts.log"
    attempts = (
        "socket.create_connection(('127.0.0.1', 9), timeout=1)",
        "socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)",
    )
    for attempt in attempts:
        result = run_offline(log, attempt)
        assert result.returncode == 1 and "network blocked by test_offline" in result.stderr
    assert log.read_text().splitlines() == [
        "getaddrinfo('127.0.0.1')",
        "socket(<AddressFamily.AF_INET6: 10>, <SocketKind.SOCK_DGRAM: 2>)",
    ]


@pytest.mark.slow  # a whole build
def test_a_whole_build_opens_no_network_socket(tmp_path):
    root = copy_project(tmp_path / "project")
    log = tmp_path / "attempts.log"
    log.touch()
    result = run_offline(
        log,
        "runpy.run_module('generator', run_name='__main__')",
        *("build", "--preset", "tiny", "--root", str(root)),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert log.read_text() == "", "network attempts"
    assert (root / "site" / "index.html").is_file()
    assert "=== train: computed" in result.stdout, "a fresh build: nothing came from a cache"
