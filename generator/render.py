"""Render: fill the article's Jinja2 templates with the facts.

Templates live in generator/templates as `<page>.md.j2` and become
`docs/<page>.md`. StrictUndefined turns a missing fact into an error instead
of an empty string in the published text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from generator.files import write_text

TEMPLATES = Path(__file__).parent / "templates"


def percent(value: float, digits: int = 1) -> str:
    return f"{value * 100:.{digits}f}%"


def number(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # the output is Markdown; values come from our own facts
    )
    env.filters["percent"] = percent
    env.filters["number"] = number
    return env


def render_pages(context: dict[str, Any], out: Path) -> list[str]:
    """Write every template's page into `out`; return the page names."""
    env = environment()
    pages = []
    for template in sorted(TEMPLATES.glob("*.md.j2")):
        page = template.name.removesuffix(".j2")
        write_text(out / page, env.get_template(template.name).render(**context))
        pages.append(page)
    return pages
