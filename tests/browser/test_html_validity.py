"""The built pages pass the Nu HTML Checker (npm vnu-jar, run by the system Java).

Only errors and warnings count; "info" notes (such as the trailing slash that
Python-Markdown writes on void elements) are not findings.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest

from tools.project import REPO

# A real browser or a validator: the slow tier (full make test only).
pytestmark = pytest.mark.slow

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class FalsePositive:
    why: str
    message: re.Pattern[str]
    extract: re.Pattern[str]  # where in the page it is allowed

    def matches(self, m: dict) -> bool:
        return bool(
            self.message.fullmatch(m["message"]) and self.extract.search(m.get("extract", ""))
        )


KNOWN = [
    FalsePositive(
        why="Material puts autocomplete=off on its hidden checkbox toggles (drawer, search) "
        "on purpose: without it Firefox restores their state on reload and opens the "
        "drawer or the search by itself. The attribute does nothing else on a checkbox.",
        message=re.compile(r"Attribute “autocomplete” is only allowed when the input type is .*"),
        extract=re.compile(r'<input class="md-toggle" data-md-toggle="\w+" type="checkbox"'),
    ),
]


def findings(messages: list[dict]) -> list[str]:
    return [
        f"{m['url']}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if (m["type"] != "info" or m.get("subType") == "warning")
        and not any(known.matches(m) for known in KNOWN)
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
