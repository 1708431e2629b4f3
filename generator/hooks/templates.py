"""MkDocs hook: the theme's templates are compiled once per process, not once per build.

See generator/warm.py: `make serve` rebuilds in one process, and each build (each
language) gets a new Jinja environment from MkDocs.
"""

from __future__ import annotations

import jinja2
from mkdocs.config.defaults import MkDocsConfig

from generator.warm import THEME


def on_env(env: jinja2.Environment, *, config: MkDocsConfig, files: object) -> jinja2.Environment:
    env.bytecode_cache = THEME
    return env
