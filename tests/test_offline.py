"""Offline: a whole build, from nothing to site/, with every network socket refused.

The whole build is the shared tiny_again (tests/conftest.py), built through the guard of
tests/offline.py.
"""

import pytest

from tests.offline import network_log, run_offline


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
def test_a_whole_build_opens_no_network_socket(tiny_again):
    assert network_log(tiny_again.root).read_text() == "", "network attempts"
    assert (tiny_again.site / "index.html").is_file()
    assert "=== train: computed" in tiny_again.output, "a fresh build: nothing came from a cache"
