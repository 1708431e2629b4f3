"""generator/warm.py: what one process keeps between builds (`make serve`)."""

from __future__ import annotations

import jinja2

from generator.warm import CompiledTemplates


def test_compiled_templates_are_reused_until_the_template_changes(tmp_path, monkeypatch):
    compiled = CompiledTemplates()
    compiles = []
    original = jinja2.Environment.compile

    def counting(self, source, *args, **kwargs):
        compiles.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)

    def render() -> str:  # a new environment each time, as MkDocs makes one per build
        loader = jinja2.FileSystemLoader(tmp_path)
        env = jinja2.Environment(loader=loader, bytecode_cache=compiled)
        return env.get_template("page.html").render(name="x")

    template = tmp_path / "page.html"
    template.write_text("first {{ name }}")
    assert render() == "first x"
    assert render() == "first x"
    assert len(compiles) == 1
    template.write_text("edited {{ name }}")
    assert render() == "edited x"  # never the stale compiled code
    assert len(compiles) == 2
