import re

import jinja2
import pytest

from generator import render


def test_pages_have_no_unfilled_placeholder(tiny_project):
    pages = list((tiny_project.root / "docs").glob("*.md"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"\{\{|\}\}|\{%|%\}", text), page.name


def test_a_missing_fact_is_an_error_not_an_empty_string(tiny_project, tmp_path):
    context = tiny_project.render_context
    del context["facts"]["accuracy"]
    with pytest.raises(jinja2.UndefinedError):
        render.render_pages(context, tmp_path)


def test_filters():
    assert render.percent(0.9876) == "98.8%"
    assert render.number(1234.5, 1) == "1,234.5"


# The templates hold prose and choose wording; anything that needs more logic than this
# (lists, splits, derived values) belongs in article.py or passages.py.
MAX_CONTROL_TAGS = 20


@pytest.mark.parametrize(
    "template", sorted(render.TEMPLATES.glob("*.md.j2")), ids=lambda path: path.name
)
def test_a_page_template_has_little_logic(template):
    text = template.read_text(encoding="utf-8")
    tags = re.findall(r"\{%-?\s*(?:if|elif|for|set)\b", text)
    assert len(tags) <= MAX_CONTROL_TAGS, f"{template.name}: {len(tags)} if/elif/for/set tags"
