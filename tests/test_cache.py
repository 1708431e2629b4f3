"""The stage cache and the temporary files of killed builds."""

import subprocess
import sys

import pytest

from generator.cache import Cache
from generator.files import remove_leftovers, staging_folder, temp_prefix, write_bytes


def fill(folder):
    write_bytes(folder / "result.bin", b"\x00" * 1000)
    write_bytes(folder / "notes.txt", b"kept\n")


def test_an_intact_entry_is_loaded(tmp_path):
    cache = Cache(tmp_path, report=lambda line: None)
    stored = cache.store("train", "k1", fill)
    assert cache.load("train", "k1") == stored
    assert cache.load("train", "other") is None


def test_a_truncated_entry_is_reported_in_one_line_and_dropped(tmp_path):
    reports: list[str] = []
    cache = Cache(tmp_path, report=reports.append)
    entry = cache.store("train", "k1", fill)
    (entry / "result.bin").write_bytes(b"\x00" * 10)
    assert cache.load("train", "k1") is None
    assert reports == [
        "cache: train entry k1 is damaged (result.bin does not match its checksum); recomputing"
    ]
    assert not entry.exists()


def test_an_entry_without_manifest_or_file_is_damaged(tmp_path):
    reports: list[str] = []
    cache = Cache(tmp_path, report=reports.append)
    (cache.store("a", "k", fill) / "manifest.json").write_text("{trunc")
    (cache.store("b", "k", fill) / "notes.txt").unlink()
    assert cache.load("a", "k") is None and cache.load("b", "k") is None
    assert "(no readable manifest)" in reports[0]
    assert "(notes.txt is missing)" in reports[1]


def test_a_failed_fill_leaves_no_entry_and_no_staging(tmp_path):
    def broken(folder):
        fill(folder)
        raise KeyboardInterrupt

    cache = Cache(tmp_path, report=lambda line: None)
    with pytest.raises(KeyboardInterrupt):
        cache.store("train", "k1", broken)
    assert list(tmp_path.iterdir()) == []


def test_only_the_leftovers_of_dead_processes_are_removed(tmp_path):
    finished = [sys.executable, "-c", "import os; print(os.getpid())"]
    dead = subprocess.run(finished, capture_output=True, text=True, check=True).stdout.strip()
    (tmp_path / f".site.tmp{dead}.abc123").mkdir()
    (tmp_path / f".facts.json.tmp{dead}.x_9").write_text("half")
    live = staging_folder(tmp_path, "site")  # this process: still writing
    (tmp_path / "site").mkdir()
    (tmp_path / ".hidden").write_text("not ours")
    removed = remove_leftovers(tmp_path)
    assert removed == [f".facts.json.tmp{dead}.x_9", f".site.tmp{dead}.abc123"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".hidden", live.name, "site"])
    assert live.name.startswith(temp_prefix("site"))
