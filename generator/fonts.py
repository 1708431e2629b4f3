"""The Japanese font of the figures: Noto Sans CJK JP (Latin text uses matplotlib's DejaVu).

It comes from Debian's fonts-noto-cjk (`.ci/run` and the workflow install it): a pinned
system package rather than a download, so a rebuild draws the same glyphs. Its bytes are
part of the figures stage's cache key (`identity`), so another font file redraws the
figures. This module imports nothing heavy: the pipeline computes keys with it.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

JAPANESE_FILE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
JAPANESE_INDEX = 0  # the collection's faces: JP, KR, SC, TC, HK; JP first
JAPANESE_FAMILY = "Noto Sans CJK JP"
# Kana, CJK punctuation and ideographs, full-width forms: what DejaVu Sans cannot draw.
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


class MissingFont(FileNotFoundError):
    """The Japanese figures cannot be drawn on this machine."""


def is_japanese(text: str) -> bool:
    return JAPANESE.search(text) is not None


def japanese_file() -> Path:
    if not JAPANESE_FILE.is_file():
        raise MissingFont(
            f"Japanese figure text needs {JAPANESE_FAMILY} at {JAPANESE_FILE}: install the "
            "Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk)"
        )
    return JAPANESE_FILE


@cache
def identity() -> str:
    """SHA-256 of the Japanese font file: part of the figures' cache key."""
    return hashlib.sha256(japanese_file().read_bytes()).hexdigest()
