"""The Makefile's interpreter finder: PYTHON if given, else the first of python3.13,
python3.12, python3.11 that runs, then python3 if it is 3.11 or newer.

Stand-in interpreters on a PATH of their own answer the finder's version check as
the Python they pretend to be, so every case runs whichever Pythons the machine has;
where a real python3.12 or python3.13 is installed, it is checked as well.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tools.project import REPO


def fake_python(folder: Path, name: str, version: tuple[int, int]) -> None:
    """An executable `name` that is Python `version` as far as the finder can tell."""
    script = folder / name
    script.write_text(
        "#!/bin/sh\n"
        f'[ "$1" = --version ] && {{ echo "Python {version[0]}.{version[1]}.0"; exit 0; }}\n'
        # the finder's check: sys.exit(sys.version_info < (3, 11))
        f"exit {int(version < (3, 11))}\n"
    )
    script.chmod(0o755)


def which_python(path: Path, *make_args: str) -> subprocess.CompletedProcess[str]:
    # Without the outer make's flags: `make test PYTHON=...` would pass its PYTHON down.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(
        [shutil.which("make") or "make", "-s", "-f", str(REPO / "Makefile"), "python", *make_args],
        cwd=REPO,
        env={**env, "PATH": str(path)},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("installed", "chosen"),
    [
        ({"python3.13": (3, 13), "python3.12": (3, 12), "python3": (3, 13)}, "python3.13"),
        ({"python3.12": (3, 12), "python3.11": (3, 11)}, "python3.12"),
        ({"python3.11": (3, 11), "python3": (3, 12)}, "python3.11"),
        ({"python3": (3, 12)}, "python3"),
    ],
)
def test_the_finder_takes_the_newest_supported_python(tmp_path, installed, chosen):
    for name, version in installed.items():
        fake_python(tmp_path, name, version)
    result = which_python(tmp_path)
    assert result.returncode == 0, result.stderr
    version = ".".join(map(str, installed[chosen]))
    assert result.stdout == f"using {chosen} (Python {version}.0, {tmp_path / chosen})\n"


def test_no_supported_python_is_a_one_line_error_naming_the_way_out(tmp_path):
    fake_python(tmp_path, "python3", (3, 10))
    result = which_python(tmp_path)
    assert result.returncode != 0 and result.stdout == ""
    assert "no Python 3.11 or newer found" in result.stderr and "PYTHON=" in result.stderr


def test_python_given_on_the_command_line_wins(tmp_path):
    fake_python(tmp_path, "python3.13", (3, 13))
    fake_python(tmp_path, "mypython", (3, 12))
    result = which_python(tmp_path, "PYTHON=mypython")
    assert result.stdout == f"using mypython (Python 3.12.0, {tmp_path / 'mypython'})\n"


@pytest.mark.parametrize("name", ["python3.12", "python3.13"])
def test_a_real_newer_python_is_accepted_where_installed(tmp_path, name):
    found = shutil.which(name)
    # A version manager's shim may exist for a Python that is not installed: ask it.
    real = found and subprocess.run(
        [found, "-c", "import sys; print(sys.executable)"], capture_output=True, text=True
    )
    if not real or real.returncode:
        pytest.skip(f"no working {name} on this machine (the stand-in tests cover the finder)")
    (tmp_path / name).symlink_to(real.stdout.strip())
    result = which_python(tmp_path)
    assert result.returncode == 0 and result.stdout.startswith(f"using {name} (Python 3.")
