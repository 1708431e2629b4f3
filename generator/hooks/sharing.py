"""MkDocs hook: what search engines and link previews read in each page's head.

For docs/overrides/main.html it puts `sharing` in each page's context: the page's
description (its front matter's, else the site's), its translations as absolute URLs
with an x-default (the default language's page), and Open Graph and Twitter card tags.
URLs need `site_url` (the Pages workflow sets SITE_URL): without it the canonical URL,
the alternates and the image, which must all be absolute, are left out.

It also makes the image those tags name: a 1200x630 card of the article's own figures
(the dataset, and the probe's first-layer maps at the end of training), drawn with the
fonts matplotlib ships, written as a PNG without dates: the same figures give the same
bytes.
"""

from __future__ import annotations

import importlib.util
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from PIL import Image, ImageDraw, ImageFont

from generator import warm

CARD = "assets/social-card.png"
CARD_SIZE = (1200, 630)
# The figures on the card, top to bottom (published by the render stage).
CARD_FIGURES = ("noisy_dataset_preview.png", "conv1_fmap_evolution.poster.png")
CARD_ALT = {
    "ja": "Inside TinyCNN: ノイズの乗った画像と、それを見た第 1 畳み込み層の 16 枚の出力",
    "en": "Inside TinyCNN: noisy input images, and the 16 outputs of the first convolution",
}
LOCALES = {"ja": "ja_JP", "en": "en_US"}


@dataclass(frozen=True)
class Sharing:
    description: str
    alternates: list[dict[str, str]] = field(default_factory=list)
    open_graph: list[tuple[str, str]] = field(default_factory=list)
    twitter: list[tuple[str, str]] = field(default_factory=list)


def absolute(site_url: str, link: str) -> str:
    """A link from the site root ("./", "en/experiments/") as a URL under site_url."""
    return site_url.rstrip("/") + "/" + link.removeprefix("./").lstrip("/")


def alternates(config: MkDocsConfig, site_url: str) -> list[dict[str, str]]:
    """This page in every language, and x-default: the page in the default language."""
    links = [
        {"lang": alt["lang"], "url": absolute(site_url, alt["link"])}
        for alt in getattr(config.extra, "alternate", None) or []
    ]
    if links:  # the first language is the default one (the site root)
        links.append({"lang": "x-default", "url": links[0]["url"]})
    return links


def heading(page: Page) -> str | None:
    """The page's own title, its h1 (the nav's title is a one-word label like "Article")."""
    first = next(iter(page.toc), None)
    return first.title if first is not None and first.level == 1 else page.title


def sharing_for(page: Page, config: MkDocsConfig) -> Sharing:
    language = config.theme["language"]
    description = (page.meta or {}).get("description") or config.site_description or ""
    title = re.sub(r"<[^>]+>", "", heading(page) or config.site_name)
    site_url = config.site_url or ""
    card_alt = CARD_ALT.get(language, CARD_ALT["en"])
    open_graph = [
        ("og:type", "article"),
        ("og:site_name", config.site_name),
        ("og:title", title),
        ("og:description", description),
        ("og:locale", LOCALES.get(language, language)),
        *(("og:locale:alternate", v) for k, v in LOCALES.items() if k != language),
    ]
    twitter = [
        ("twitter:card", "summary_large_image"),
        ("twitter:title", title),
        ("twitter:description", description),
    ]
    if not site_url:
        return Sharing(description, [], open_graph, twitter)
    image = absolute(site_url, CARD)
    open_graph += [
        ("og:url", page.canonical_url or absolute(site_url, page.url)),
        ("og:image", image),
        ("og:image:type", "image/png"),
        ("og:image:width", str(CARD_SIZE[0])),
        ("og:image:height", str(CARD_SIZE[1])),
        ("og:image:alt", card_alt),
    ]
    twitter += [("twitter:image", image), ("twitter:image:alt", card_alt)]
    return Sharing(description, alternates(config, site_url), open_graph, twitter)


def on_page_context(
    context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    context["sharing"] = sharing_for(page, config)
    return context


# --- the card -------------------------------------------------------------------------
def matplotlib_font(name: str) -> Path:
    """A TrueType font shipped with matplotlib (a dependency), found without importing it."""
    spec = importlib.util.find_spec("matplotlib")
    assert spec is not None and spec.submodule_search_locations
    return Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf" / name


def fit(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale down (never up) to fit in width x height, keeping the aspect ratio."""
    scale = min(width / image.width, height / image.height, 1.0)
    size = (round(image.width * scale), round(image.height * scale))
    return image.convert("RGB").resize(size, Image.Resampling.LANCZOS)


def social_card(figures: list[Path], title: str) -> bytes:
    """The card as PNG bytes: the title over the figures, centred, on white (drawn once
    per process for the same figures: `make serve` rebuilds the site after every edit)."""
    # This file is keyed too: an edit of the drawing code must show in `make serve`.
    done = warm.key(Path(__file__).read_bytes(), title, *(p.read_bytes() for p in figures))
    if done not in warm.CARDS:
        warm.CARDS[done] = draw_card(figures, title)
    return warm.CARDS[done]


def draw_card(figures: list[Path], title: str) -> bytes:
    card = Image.new("RGB", CARD_SIZE, "white")
    draw = ImageDraw.Draw(card)
    font = ImageFont.truetype(str(matplotlib_font("DejaVuSans-Bold.ttf")), 56)
    margin = 48
    draw.text((margin, margin - 8), title, fill=(33, 33, 33), font=font)
    draw.rectangle((margin, 120, CARD_SIZE[0] - margin, 124), fill=(63, 81, 181))  # indigo
    top, room = 148, CARD_SIZE[1] - 148 - margin // 2
    each = room // len(figures)
    for path in figures:
        with Image.open(path) as figure:
            placed = fit(figure, CARD_SIZE[0] - 2 * margin, each)
        card.paste(placed, ((CARD_SIZE[0] - placed.width) // 2, top))
        top += each
    out = io.BytesIO()
    card.save(out, format="PNG", optimize=True)  # Pillow writes no date into a PNG
    return out.getvalue()


@event_priority(-200)  # after the i18n plugin has built every language
def on_post_build(config: MkDocsConfig) -> None:
    generated = Path(config.docs_dir) / "assets" / "generated"
    figures = [generated / name for name in CARD_FIGURES]
    if not all(f.is_file() for f in figures):
        return  # before the first render (a bare `mkdocs serve`): no figures yet
    target = Path(config.site_dir) / CARD
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(social_card(figures, config.site_name))
