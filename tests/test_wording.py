"""The pages' words: every claim has a sentence per verdict and language; the Japanese
follows one spacing rule; no developer identifiers reach a reader; both languages agree."""

import re
from itertools import takewhile

import pytest

from generator import claims, evidence, wording
from generator.study import claims as experiment_claims
from generator.study.seeds import seed_claims

JAPANESE = r"[\u3040-\u30ff\u3400-\u9fff]"
HALF_WIDTH = r"[A-Za-z0-9%]"


def reader_text(markdown: str) -> str:
    """What a reader reads: no code, scripts, maths, HTML tags, link targets or heading ids."""
    for pattern in (r"```.*?```", r"<script\b.*?</script>", r"\$\$.*?\$\$"):
        markdown = re.sub(pattern, " ", markdown, flags=re.S)
    for pattern in (r"\$[^$\n]+\$", r"`[^`\n]+`", r"<[^>]+>", r"\{ #[\w-]+ \}"):
        markdown = re.sub(pattern, " ", markdown)
    return re.sub(r"\]\([^)]*\)", "]", markdown)


def spacing_errors(text: str) -> list[str]:
    """Japanese next to a half-width letter, digit or % without a space between them, and
    a space between two Japanese words (as after a value with a Japanese unit)."""
    pattern = f"{JAPANESE}{HALF_WIDTH}|{HALF_WIDTH}{JAPANESE}|{JAPANESE} {JAPANESE}"
    return [text[max(0, m.start() - 12) : m.end() + 12] for m in re.finditer(pattern, text)]


def test_spacing_rule_catches_both_sides():
    assert spacing_errors("あいだに40 回") and spacing_errors("40回") and spacing_errors("Conv1の")
    assert spacing_errors("+0.5 ポイント 高く")
    assert not spacing_errors("あいだに 40 回、Conv1 の 95%(区間)、+0.5 ポイント高く")


@pytest.mark.parametrize("page", ["index.md", "experiments.md"])
def test_japanese_pages_space_half_width_words(tiny_project, page):
    text = reader_text((tiny_project.root / "docs" / page).read_text(encoding="utf-8"))
    assert spacing_errors(text) == []


@pytest.mark.parametrize("page", ["index.md", "index.en.md", "experiments.md", "experiments.en.md"])
def test_no_snake_case_identifier_reaches_a_reader(tiny_project, page):
    text = reader_text((tiny_project.root / "docs" / page).read_text(encoding="utf-8"))
    text = re.sub(r"\[[\w.-]+\.(json|npz|png|gif)\]", " ", text)  # download links name files
    assert re.findall(r"\b[a-z0-9]+_[a-z0-9_]+\b", text) == []


def how_we_know_verdicts(markdown: str) -> list[str]:
    """The verdict column of the first table after the "How we know" heading."""
    lines = markdown[markdown.index("{ #how-we-know }") :].splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("| "))
    table = takewhile(lambda line: line.startswith("|"), lines[start + 2 :])  # no header
    return [row.rstrip(" |").rsplit("| ", 1)[-1] for row in table]


@pytest.mark.parametrize("page", ["index", "experiments"])
def test_both_languages_state_the_same_verdicts(tiny_project, page):
    docs = tiny_project.root / "docs"
    ja = how_we_know_verdicts((docs / f"{page}.md").read_text(encoding="utf-8"))
    en = how_we_know_verdicts((docs / f"{page}.en.md").read_text(encoding="utf-8"))
    to_en = {
        wording.VERDICT_WORDS["ja"][v]: wording.VERDICT_WORDS["en"][v] for v in evidence.VERDICTS
    }
    assert ja and [to_en[word] for word in ja] == en


def fake_claim(verdict: str, enough: bool = True) -> dict:
    """A claim of any kind: both bars present, so every pattern finds its numbers."""
    return {"verdict": verdict, "holds": verdict == "holds", "enough_sample": enough,
            "value": 0.5, "interval": [0.4, 0.6], "passes": "above", "n_images": 1000,
            "threshold": 0.9, "baseline": {"value": 0.1, "interval": [0.05, 0.15]}}  # fmt: skip


EXTRAS = {"unit": 7, "live": 21, "cells": 5, "classes": 9, "label": 3, "units": 64,
          "channels": 48, "dead": 2, "never": "12.5%", "rarely": "1%", "window": "2x2",
          "max_cnr": "0.232", "average_cnr": "1.10", "early_step": 47, "end_step": 282,
          "correct_early": "62.0%", "inside_early": "34.0%", "correct_end": "98.8%",
          "inside_end": "96.5%", "grad_start": "0.111", "max_final": "98.8%",
          "average_final": "98.3%", "stride_final": "98.2%"}  # fmt: skip
NAMES = [*claims.PREDICATES, "conv1_keeps_more_than_random", "conv1_moves_toward_box"]


@pytest.mark.parametrize(
    ("texts", "name"),
    [(wording.TEXTS, name) for name in NAMES]
    + [(wording.EXPERIMENT_TEXTS, name) for name in experiment_claims.PREDICATES],
)
def test_every_claim_has_a_sentence_per_verdict_and_language(texts, name):
    text = texts[name]
    for lang in wording.LANGUAGES:
        said = set()
        for verdict in evidence.VERDICTS:
            line = wording.sentence(text, fake_claim(verdict), lang, EXTRAS)
            assert "{" not in line and "}" not in line, line
            if lang == "ja":
                assert spacing_errors(line) == [], line
            said.add(line)
            row = wording.row(text, fake_claim(verdict), lang, EXTRAS)
            assert row[-1] == wording.VERDICT_WORDS[lang][verdict]
        assert len(said) == 3, (name, lang)  # each verdict has its own words


def test_too_small_a_sample_is_said_whatever_the_interval():
    for lang in wording.LANGUAGES:
        line = wording.sentence(
            wording.TEXTS["accuracy_passes_90"],
            fake_claim("inconclusive", enough=False),
            lang,
            EXTRAS,
        )
        assert str(evidence.MIN_IMAGES) in line


def test_seed_claims_are_registered_texts():
    conv1 = {"cosine_median": 0.9, "random_cosine_median": 0.88,
             "box_cosine_median_end": 0.2, "box_cosine_random_median": 0.0}  # fmt: skip
    runs = [{"conv1": conv1}] * 5
    assert set(seed_claims(runs)) <= set(wording.TEXTS)
    assert all(c["n_seeds"] == 5 for c in seed_claims(runs).values())
