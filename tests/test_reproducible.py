"""Same inputs, same bytes: a build from scratch gives the site of the shared tiny build.

The two are built in processes of their own with different hash seeds (an in-process
rebuild shares one seed and hides set-ordering bugs), each with its own empty cache; both
share SOURCE_DATE_EPOCH, the only date the output may contain.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tools.project import BUILD_DATE


def contents(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.slow  # a whole build again
def test_a_build_from_scratch_is_byte_identical_to_the_first(tiny_project, tiny_again):
    first, second = contents(tiny_project.site), contents(tiny_again.site)
    assert sorted(first) == sorted(second), "the builds wrote different files"
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == [], f"files that differ between the builds: {differing}"
    epoch = int({**BUILD_DATE, **os.environ}["SOURCE_DATE_EPOCH"])  # as tools/project sets it
    date = time.strftime("%Y-%m-%d", time.gmtime(epoch))
    assert date in first["index.html"].decode()  # the date is SOURCE_DATE_EPOCH's
    assert "assets/social-card.png" in first  # the social card too: same figures, same bytes
