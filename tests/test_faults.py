"""Faults: a build interrupted anywhere, or a damaged cache, loses nothing.

Interrupts land in a phase by watching the build's own output for the line
that starts it, freezing the process there (SIGSTOP) and then delivering the
signal, so each one provably hits the phase it names.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import jinja2
import pytest

from generator import render
from generator.files import LEFTOVER
from tests.test_cli_errors import snapshot
from tools.project import BUILD_DATE, REPO, copy_project, run_generator

ENV = {"PYTHONUNBUFFERED": "1"}  # so the output shows each phase as it starts
TINY = ("build", "--preset", "tiny")
MAIN_RUN = (*TINY, "--study.enabled=false")  # as conftest's tiny_main
INTERRUPTED = "interrupted: nothing half-written was kept; run the same command again"

# The output that shows a phase has begun: the progress bar, or the line of the stage before.
DURING_TRAINING = ("stderr", "training:")
DURING_FIGURES = ("stdout", "=== train:")
DURING_MKDOCS = ("stdout", "=== render:")


def build(root: Path, args: tuple[str, ...] = TINY) -> str:
    result = run_generator(root, *args, env=ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def interrupt(
    root: Path, sig: signal.Signals, when: tuple[str, str], args: tuple[str, ...] = TINY
) -> tuple[int, str, str]:
    """Start a build, stop it when `when` shows up in its output, send `sig`; its output."""
    stream, marker = when
    logs = {name: root.parent / f"{root.name}.{name}" for name in ("stdout", "stderr")}
    with logs["stdout"].open("w") as out, logs["stderr"].open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", *args, "--root", str(root)],
            cwd=REPO,
            env={**BUILD_DATE, **os.environ, **ENV},
            stdout=out,
            stderr=err,
        )
        deadline = time.monotonic() + 300
        while marker not in logs[stream].read_text() and process.poll() is None:
            assert time.monotonic() < deadline, f"no '{marker}' in the build's {stream}"
            time.sleep(0.01)
        process.send_signal(signal.SIGSTOP)
        assert process.poll() is None, f"the build ended before it was interrupted at {marker}"
        process.send_signal(sig)
        process.send_signal(signal.SIGCONT)
        code = process.wait(timeout=120)
    return code, logs["stdout"].read_text(), logs["stderr"].read_text()


def assert_ctrl_c(code: int, stderr: str) -> None:
    assert code == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert stderr.rstrip("\n").splitlines()[-1] == INTERRUPTED
    assert stderr.count(INTERRUPTED) == 1


def leftovers(root: Path) -> list[str]:
    return [str(p.relative_to(root)) for p in root.rglob("*") if LEFTOVER.match(p.name)]


def outputs(root: Path) -> dict[str, str]:
    """What a build publishes: the site and the generated docs."""
    return {
        "site": snapshot(root / "site"),
        "docs": {k: v for k, v in snapshot(root / "docs").items() if "stylesheets" not in k},
    }


@pytest.fixture
def reference(tiny_project) -> Path:
    """An uninterrupted tiny build, with the same build date as the interrupted ones."""
    return tiny_project.root


@pytest.mark.slow  # six interrupted builds and a whole one
def test_interrupted_builds_then_a_rebuild_match_an_uninterrupted_one(tiny_main, tmp_path):
    # Builds of the main run alone: the study's runs go through the same stages.
    root = copy_project(tmp_path / "project")
    expected = outputs(tiny_main.root)

    code, stdout, stderr = interrupt(root, signal.SIGINT, DURING_TRAINING, MAIN_RUN)
    assert_ctrl_c(code, stderr)
    assert "=== train:" not in stdout
    assert not leftovers(root), "Ctrl-C cleans up after itself"

    code, stdout, _ = interrupt(root, signal.SIGKILL, DURING_TRAINING, MAIN_RUN)
    assert code == -signal.SIGKILL and "=== train:" not in stdout
    assert any(name.startswith(".cache/.train-") for name in leftovers(root))

    for sig in (signal.SIGINT, signal.SIGKILL):
        code, stdout, stderr = interrupt(root, sig, DURING_FIGURES, MAIN_RUN)
        assert "=== figures:" not in stdout
        if sig == signal.SIGINT:
            assert_ctrl_c(code, stderr)

    for sig in (signal.SIGINT, signal.SIGKILL):
        code, stdout, stderr = interrupt(root, sig, DURING_MKDOCS, MAIN_RUN)
        assert "=== site:" not in stdout
        assert not (root / "site").exists(), "no site until one is complete"
        if sig == signal.SIGINT:
            assert_ctrl_c(code, stderr)

    build(root, MAIN_RUN)
    assert outputs(root) == expected
    assert not leftovers(root), "what killed builds left behind is gone"


@pytest.mark.slow  # two interrupted builds and a rebuild
def test_a_site_interrupted_while_rebuilding_keeps_the_previous_one(reference, tmp_path):
    root = tmp_path / "project"
    subprocess.run(["cp", "-a", str(reference), str(root)], check=True)
    expected = outputs(reference)
    css = root / "docs" / "stylesheets" / "extra.css"
    original = css.read_bytes()
    css.write_bytes(original + b"\n/* a change, so the site is rebuilt */\n")
    for sig in (signal.SIGINT, signal.SIGKILL):
        code, stdout, _ = interrupt(root, sig, DURING_MKDOCS)
        assert code in (130, -signal.SIGKILL) and "=== site:" not in stdout
        assert outputs(root)["site"] == expected["site"], "the old site stays whole"
    css.write_bytes(original)
    build(root)
    assert outputs(root) == expected and not leftovers(root)


@pytest.mark.slow  # a rebuild
def test_damaged_cache_entries_are_reported_and_recomputed(reference, tmp_path):
    root = tmp_path / "project"
    subprocess.run(["cp", "-a", str(reference), str(root)], check=True)
    expected = outputs(reference)
    (figures_entry,) = (root / ".cache").glob("figures-*")
    facts_entries = sorted((root / ".cache").glob("facts-*"))  # the study's runs have theirs
    png = next(figures_entry.glob("*.png"))
    png.write_bytes(png.read_bytes()[: png.stat().st_size // 2])  # truncated
    for entry in facts_entries:
        facts = entry / "facts.json"
        facts.write_bytes(facts.read_bytes().replace(b"0", b"1", 1))  # one digit changed
    output = build(root)
    assert output.count("cache: figures entry") == 1
    assert f"({png.name} does not match its checksum); recomputing" in output
    assert output.count("facts.json does not match") == len(facts_entries) > 1
    assert outputs(root) == expected


def test_a_missing_fact_names_template_line_and_key(tiny_project, tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.md.j2").write_text(
        "# Title\n\nAccuracy {{ facts.accuracy.final_test | percent }}.\n"
        "Steps {{ facts.run.no_such_fact }}.\n"
    )
    monkeypatch.setattr(render, "TEMPLATES", templates)
    out = tmp_path / "docs"
    with pytest.raises(jinja2.UndefinedError) as err:
        render.render_pages({"facts": tiny_project.facts, "config": {}}, out)
    assert str(err.value).startswith(
        "template page.md.j2, line 4: 'facts.run.no_such_fact' is undefined"
    )
    assert not (out / "page.md").exists()
