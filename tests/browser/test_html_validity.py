"""The built pages pass the Nu HTML Checker (npm vnu-jar, run by the system Java).

Only errors and warnings count; "info" notes (such as the trailing slash that
Python-Markdown writes on void elements) are not findings.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tools.project import REPO

# A real browser or a validator: the slow tier (full make test only).
pytestmark = pytest.mark.slow

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def findings(messages: list[dict]) -> list[str]:
    return [
        f"{m['url']}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] != "info" or m.get("subType") == "warning"
    ]


def test_pages_and_own_css_pass_the_nu_html_checker(default_project):
    if shutil.which("java") is None or not VNU.is_file():
        pytest.fail("the checker needs Java and `npm ci --ignore-scripts` (make test runs it)")
    site = default_project.site
    files = sorted(site.rglob("*.html")) + sorted((site / "stylesheets").glob("*.css"))
    assert files
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--also-check-css", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]  # vnu writes its report to stderr
    assert findings(messages) == []
