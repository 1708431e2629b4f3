"""Bad input: one line naming the key, the value and what is allowed; exit 2; nothing changed.

Every case runs the real command line against the built tiny project and
compares every file under it (site/, docs/, .cache/) before and after.
"""

import contextlib
import hashlib
import io
import os
from pathlib import Path

import pytest

from generator.__main__ import main
from tools.project import run_generator


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under root, with a hash of each file's bytes."""
    return {
        str(path.relative_to(root)): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        )
        for path in sorted(root.rglob("*"))
    }


def assert_rejected(root: Path, args: list[str], message: str, project: Path | None = None) -> None:
    """Run `main(ARGS --root PROJECT)` (default root); check the error and that root is intact."""
    before = snapshot(root)
    with (
        contextlib.redirect_stdout(io.StringIO()) as out,
        contextlib.redirect_stderr(io.StringIO()) as err,
    ):
        code = main([*args, "--root", str(project or root)])
    after = snapshot(root)
    assert_one_line_error(code, out.getvalue(), err.getvalue(), message)
    assert after == before


def assert_one_line_error(code: int, stdout: str, stderr: str, message: str) -> None:
    assert code == 2, stdout + stderr
    assert stdout == ""
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    assert message in stderr, stderr


def test_the_command_exits_with_status_2(tiny_project, tmp_path):
    """The same checks through a real process: its exit status and its two streams."""
    before = snapshot(tiny_project.root)
    result = run_generator(tiny_project.root, "build", "--train.lrr=0.1")
    assert_one_line_error(result.returncode, result.stdout, result.stderr, "'train.lr'?")
    (tmp_path / "taken").write_text("a file\n")
    result = run_generator(tiny_project.root, "build", "--site-dir", str(tmp_path / "taken"))
    assert_one_line_error(result.returncode, result.stdout, result.stderr, "not a folder")
    assert snapshot(tiny_project.root) == before


TINY = ["build", "--preset", "tiny"]

CASES = {
    "unknown key": (["--train.foo=1"], "error: unknown config key 'train.foo'"),
    "misspelled key": (
        ["--trian.lr=0.01"],
        "unknown config key 'trian.lr' (did you mean 'train.lr'?)",
    ),
    "misspelled name": (["--data.nosie=0.1"], "(did you mean 'data.noise'?)"),
    "wrong type": (
        ["--train.epochs=abc"],
        "train.epochs='abc' is not an integer; allowed: an integer in [1, 1000]",
    ),
    "float for an int": (["--train.epochs=2.5"], "train.epochs='2.5' is not an integer"),
    "empty value": (
        ["--data.noise="],
        "data.noise='' is not a number; allowed: a number in [0, 1]",
    ),
    "negative size": (
        ["--data.train_size=-5"],
        "data.train_size=-5 is out of range; allowed: [9, 200000]",
    ),
    "test set too small": (
        ["--data.test_size=9"],
        "data.test_size=9 is out of range; allowed: [18,",
    ),
    "zero batch size": (
        ["--train.batch_size=0"],
        "train.batch_size=0 is out of range; allowed: [1,",
    ),
    "zero channels": (
        ["--model.conv1_channels=0"],
        "model.conv1_channels=0 is out of range; allowed: [1, 256]",
    ),
    "zero epochs": (["--train.epochs=0"], "train.epochs=0 is out of range; allowed: [1, 1000]"),
    "square larger than a cell": (
        ["--data.square=11"],
        "data.square=11 must fit in the smallest grid cell; allowed: [1, 10]",
    ),
    "image size not divisible": (
        ["--data.image_size=30"],
        "data.image_size=30 must be divisible by 4",
    ),
    "noise above range": (["--data.noise=1.5"], "data.noise=1.5 is out of range; allowed: [0, 1]"),
    "noise below range": (
        ["--data.noise=-0.1"],
        "data.noise=-0.1 is out of range; allowed: [0, 1]",
    ),
    "nan": (["--data.noise=nan"], "data.noise=nan is out of range; allowed: [0, 1]"),
    "inf": (["--train.lr=inf"], "train.lr=inf is out of range; allowed: (0, 1]"),
    "lr zero": (["--train.lr=0"], "train.lr=0.0 is out of range; allowed: (0, 1]"),
    "lr negative": (["--train.lr=-0.001"], "train.lr=-0.001 is out of range; allowed: (0, 1]"),
    "more snapshots than steps": (
        ["--record.snapshots=50"],
        "record.snapshots=50 is more than the 35 training steps (step 0 included); "
        "allowed: [2, 35]",
    ),
    "probe outside the test set": (
        ["--record.probe_index=100"],
        "record.probe_index=100 is outside the test set; allowed: [0, 99]",
    ),
    "zero threads": (["--train.threads=0"], "train.threads=0 is out of range; allowed: [1, 256]"),
    "not an option": (["train.lr=0.1"], "expected --section.key=value, got 'train.lr=0.1'"),
    "option without value": (["--preset"], "error: argument --preset: expected one argument"),
    "unknown preset": (["--preset=huge"], "unknown preset 'huge'; allowed: default, tiny"),
}


@pytest.mark.parametrize(("args", "message"), CASES.values(), ids=CASES.keys())
def test_bad_value_is_one_line_and_changes_nothing(tiny_project, args, message):
    assert_rejected(tiny_project.root, [*TINY, *args], message)


def test_unknown_stage_suggests_the_closest(tiny_project):
    assert_rejected(
        tiny_project.root,
        ["tarin", "--preset", "tiny"],
        "unknown stage 'tarin' (did you mean 'train'?); allowed: build, data, train,",
    )


CONFIG_FILES = {
    "malformed JSON": (b'{"train": {"lr": 0.01', "not valid JSON"),
    "not an object": (b"[1, 2]", "expected a JSON object"),
    "not UTF-8": (b'{"train": {"lr": "\xff"}}', "not valid JSON"),
    "unknown key in the file": (
        b'{"train": {"lrr": 0.01}}',
        "unknown config key 'train.lrr' (did you mean 'train.lr'?)",
    ),
    "wrong type in the file": (b'{"train": {"epochs": true}}', "train.epochs=True is not an"),
    "null in the file": (b'{"data": {"noise": null}}', "data.noise=None is not a number"),
}


@pytest.mark.parametrize(("content", "message"), CONFIG_FILES.values(), ids=CONFIG_FILES.keys())
def test_bad_config_file(tiny_project, tmp_path, content, message):
    config = tmp_path / "config.json"
    config.write_bytes(content)
    assert_rejected(tiny_project.root, [*TINY, "--config", str(config)], message)


def test_unreadable_config_file(tiny_project, tmp_path):
    missing = tmp_path / "missing.json"
    assert_rejected(
        tiny_project.root,
        [*TINY, "--config", str(missing)],
        f"config file {missing}: cannot read (No such file or directory)",
    )
    assert_rejected(
        tiny_project.root,
        [*TINY, "--config", str(tmp_path)],
        f"config file {tmp_path}: cannot read (Is a directory)",
    )


def test_output_path_that_is_a_file(tiny_project, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("keep me\n")
    assert_rejected(
        tiny_project.root,
        [*TINY, "--site-dir", str(taken)],
        f"--site-dir: cannot write {taken}: it is a file, not a folder",
    )
    assert_rejected(
        tiny_project.root,
        [*TINY, "--cache-dir", str(taken / "cache")],
        f"--cache-dir: cannot write {taken / 'cache'}: {taken} is a file, not a folder",
    )
    assert taken.read_text() == "keep me\n"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_output_path_that_is_not_writable_even_for_root(tiny_project):
    # chmod means nothing to root (the tests run as root in CI); /proc refuses everyone.
    assert_rejected(
        tiny_project.root,
        [*TINY, "--site-dir", "/proc/inside-tinycnn-site"],
        "--site-dir: cannot write /proc/inside-tinycnn-site: cannot write in /proc (",
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through any permission bits")
def test_output_path_in_a_read_only_folder(tiny_project, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    assert_rejected(
        tiny_project.root,
        [*TINY, "--site-dir", str(locked / "site")],
        f"--site-dir: cannot write {locked / 'site'}: cannot write in {locked} (Permission denied)",
    )


def test_site_dir_that_would_replace_other_files(tiny_project, tmp_path):
    (tmp_path / "notes.txt").write_text("not a site\n")
    assert_rejected(
        tiny_project.root,
        [*TINY, "--site-dir", str(tmp_path)],
        f"--site-dir {tmp_path}: is a folder with other content (no index.html)",
    )
    assert_rejected(
        tiny_project.root,
        [*TINY, "--site-dir", str(tiny_project.root)],
        "is the project folder or holds it",
    )


def test_root_without_a_project(tiny_project, tmp_path):
    root = tiny_project.root
    assert_rejected(
        root,
        [*TINY, "--site-dir", str(root / "site"), "--cache-dir", str(root / ".cache")],
        f"--root {tmp_path}: no mkdocs.yml there",
        project=tmp_path,
    )
