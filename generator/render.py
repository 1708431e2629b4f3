"""Render: fill the article's Jinja2 templates with the facts.

Templates live in generator/templates as `<page>.md.j2` and become
`docs/<page>.md`: `index.md` is the Japanese article (the site root) and
`index.en.md` the English one (under /en/). Files starting with `_` hold
shared macros and are not pages. StrictUndefined turns a missing fact into an
error instead of an empty string, and a template that `require`s a claim
stops the render when the claim does not hold; nothing is written unless
every page rendered.
"""

from __future__ import annotations

import functools
import re
import traceback
from pathlib import Path
from typing import Any

import jinja2

from generator import article, claims
from generator.files import write_text
from generator.passages import number, percent
from generator.warm import PAGES

TEMPLATES = Path(__file__).parent / "templates"
GENERATED = Path("assets") / "generated"


class TemplateError(jinja2.UndefinedError):
    """A template used a value the run did not produce; the message says where."""


def missing_value_error(template: Path, err: jinja2.UndefinedError) -> TemplateError:
    """Name the template, its line and the expression that was undefined."""
    # Jinja2 rewrites the traceback so that template frames carry the template's lines.
    frames = traceback.walk_tb(err.__traceback__)
    lines = [n for frame, n in frames if frame.f_code.co_filename == str(template)]
    line = lines[-1] if lines else 0
    name = (re.findall(r"'(\w+)'", str(err)) or ["?"])[-1]
    source = template.read_text(encoding="utf-8").splitlines()[line - 1] if line else ""
    written = re.search(rf"[\w.]*\b{re.escape(name)}\b", source)  # as the template spells it
    key = written.group(0) if written else name
    return TemplateError(f"template {template.name}, line {line}: '{key}' is undefined ({err})")


@functools.cache
def environment(templates: Path) -> jinja2.Environment:
    """One per process: it keeps the compiled templates (compiling costs more than
    rendering), and recompiles a template whose file changed (make serve)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # the output is Markdown; values come from our own facts
        bytecode_cache=PAGES,  # `make serve` renders again in this process
    )
    env.filters["percent"] = percent
    env.filters["number"] = number
    return env


def page_root(page: str) -> str:
    """The relative path from a page's URL back to the site root.

    The i18n plugin serves `<name>.<lang>.md` from /<lang>/, one folder down, and
    MkDocs serves `<name>.md` other than index from /<name>/, one more; relative
    links keep the site working under any sub-path.
    """
    name, *suffixes = page.split(".")
    depth = (len(suffixes) > 1) + (name != "index")
    return "../" * depth


def render_pages(context: dict[str, Any], out: Path) -> list[str]:
    """Write every template's page into `out`; return the page names."""
    env = environment(TEMPLATES)
    generated = out / GENERATED
    assets = sorted(p.name for p in generated.iterdir()) if generated.is_dir() else []
    rendered = {}
    for template in sorted(TEMPLATES.glob("[!_]*.md.j2")):
        page = template.name.removesuffix(".j2")
        page_context = {
            **context,
            **article.page_values(context, article.page_language(page)),
            "root": page_root(page),
            "assets": assets,
            "require": lambda name: claims.require(context["facts"]["claims"], name),
        }
        try:
            rendered[page] = env.get_template(template.name).render(**page_context)
        except jinja2.UndefinedError as err:
            raise missing_value_error(template, err) from None
    for page, text in rendered.items():
        write_text(out / page, text)
    return list(rendered)
