"""MkDocs hook: typeset the math when the site is built, so no math script runs at load.

pymdownx.arithmatex (generic mode) leaves each formula as \\( \\) or \\[ \\] in an
.arithmatex element; KaTeX's own renderer (npm `katex`, run by Node, which `make site`
installs with `npm ci`) turns them into HTML here. A page with math then needs only
KaTeX's stylesheet, which is linked on those pages alone. The stylesheet and fonts in
docs/assets/katex must come from the same KaTeX as the renderer, so a version that
differs from docs/assets/katex/VENDORED.txt stops the build, as does a formula KaTeX
cannot parse (rather than red text on the page).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

import generator
from generator import warm

RENDERER = Path(__file__).with_name("katex-render.cjs")
STYLESHEET = "assets/katex/katex.min.css"
FORMULA = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])"
    r"</(?P=tag)>",
    re.DOTALL,
)
VENDORED_VERSION = re.compile(r"^KaTeX (\S+),")


def katex_module(config: MkDocsConfig) -> Path:
    """node_modules/katex of the project, or of the generator's checkout (tests build copies)."""
    project = Path(config.config_file_path).parent
    for root in (project, Path(generator.__file__).resolve().parents[1]):
        candidate = root / "node_modules" / "katex"
        if (candidate / "package.json").is_file():
            return candidate
    raise PluginError("KaTeX is not installed: run `make site` (it runs `npm ci`)")


@cache
def checked_katex(module: Path, vendored_note: Path) -> Path:
    """KaTeX's script, once its version is known to match the vendored stylesheet's."""
    installed = json.loads((module / "package.json").read_text(encoding="utf-8"))["version"]
    match = VENDORED_VERSION.match(vendored_note.read_text(encoding="utf-8"))
    if match is None or match[1] != installed:
        vendored = match[1] if match else "?"
        raise PluginError(
            f"npm katex {installed} renders the math but docs/assets/katex is {vendored}: "
            f"install katex@{vendored} or vendor {installed} (see {vendored_note.name})"
        )
    if shutil.which("node") is None:
        raise PluginError("Node.js is needed to render the math: install nodejs (.ci/run does)")
    return module / "dist" / "katex.js"


def render(formulas: list[tuple[str, bool]], katex: Path) -> list[str]:
    """HTML of each (TeX, display) formula, from one Node process (once per process:
    `make serve` rebuilds the pages after every edit, mostly with the same math)."""
    request = json.dumps([{"tex": tex, "display": display} for tex, display in formulas])
    done = warm.key(request, katex.read_bytes(), RENDERER.read_bytes())
    if done not in warm.TYPESET:
        warm.TYPESET[done] = run_katex(request, katex)
    return warm.TYPESET[done]


def run_katex(request: str, katex: Path) -> list[str]:
    result = subprocess.run(
        ["node", str(RENDERER), str(katex)],
        input=request,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode:
        raise PluginError(f"KaTeX: {result.stderr.strip()}")
    return json.loads(result.stdout)


def on_page_content(content: str, *, page: Page, config: MkDocsConfig, files: object) -> str:
    found = list(FORMULA.finditer(content))
    page.meta["has_math"] = bool(found)
    if not found:
        return content
    vendored_note = Path(config.docs_dir) / "assets" / "katex" / "VENDORED.txt"
    katex = checked_katex(katex_module(config), vendored_note)
    formulas = [
        (
            html.unescape(m["inline"] if m["display"] is None else m["display"]),
            m["display"] is not None,
        )
        for m in found
    ]
    try:
        rendered = iter(render(formulas, katex))
    except PluginError as err:
        raise PluginError(f"{page.file.src_uri}: {err}") from None
    # Keep the element and its class (the theme styles .arithmatex, e.g. display scrolling).
    return FORMULA.sub(
        lambda m: f'<{m["tag"]} class="arithmatex">{next(rendered)}</{m["tag"]}>', content
    )


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    if not page.meta.get("has_math"):
        return output
    href = get_relative_url(STYLESHEET, page.url)
    # Before the site's own stylesheets, so they can adjust KaTeX's rules.
    first_css = re.search(r'<link rel="stylesheet" href="[^"]*stylesheets/extra\.css">', output)
    link = f'<link rel="stylesheet" href="{href}">\n    '
    if first_css is None:
        return output.replace("</head>", f"{link}</head>", 1)
    return output[: first_css.start()] + link + output[first_css.start() :]
