"""MkDocs hook: hand the build's provenance to the footer template.

The render stage writes assets/generated/provenance.json; this puts it in
`config.extra.provenance`, which docs/overrides/partials/copyright.html shows.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    source = Path(config.docs_dir) / "assets" / "generated" / "provenance.json"
    if source.is_file():  # absent only before the first render (e.g. a bare `mkdocs serve`)
        config.extra["provenance"] = json.loads(source.read_text(encoding="utf-8"))
    return config
