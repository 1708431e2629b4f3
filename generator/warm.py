"""What one process keeps between its builds, so that `make serve` rebuilds fast.

`make serve` builds again in the same process after every edit. MkDocs loads the hooks
afresh and makes a new Jinja environment for every build (and one more for the second
language), so without this every rebuild compiled Material's templates and the article's
from source, ran Node to typeset formulas that had not changed and drew the same social
card again: most of a rebuild's time. Everything here is keyed by its whole input (Jinja
checks a compiled template against the template's current source), so an edit is never
served stale, and a build's output is the same bytes with or without it.
"""

from __future__ import annotations

import hashlib

import jinja2
from jinja2.bccache import Bucket


class CompiledTemplates(jinja2.BytecodeCache):
    """A Jinja bytecode cache in memory."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # resets the bucket if the source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


# One per kind of environment: compiled code depends on the environment's settings.
THEME = CompiledTemplates()  # MkDocs' environment (generator/hooks/templates.py)
PAGES = CompiledTemplates()  # the article's templates (generator/render.py)

# Results of the site's hooks, by key(their inputs).
TYPESET: dict[str, list[str]] = {}  # a page's formulas as KaTeX HTML (hooks/typeset.py)
CARDS: dict[str, bytes] = {}  # the social card's PNG (hooks/sharing.py)


def key(*parts: str | bytes) -> str:
    """A digest of the parts, each length-prefixed so that no two splits collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()
