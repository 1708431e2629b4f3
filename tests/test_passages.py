"""The passages whose shape follows the run: both languages say the same, empty lists say
nothing, and each verdict split picks its own headline."""

from __future__ import annotations

import re
from typing import Any

import pytest

from generator import passages
from generator.study.seeds import verdict_split

LANGUAGES = ("ja", "en")


def quiet(conv1: dict[int, float], conv2: dict[int, float], probe1=(), probe2=()) -> dict:
    """article.silent_channels' summary for the given silent shares per channel."""

    def layer(shares: dict[int, float], probe) -> dict[str, Any]:
        silent = [{"channel": c, "share": s} for c, s in sorted(shares.items())]
        return {
            "count": 32,
            "silent": silent,
            "dead": [s["channel"] for s in silent if s["share"] >= 1],
            "partly": [s for s in silent if s["share"] < 1],
            "probe": list(probe),
        }

    return {"conv1": layer(conv1, probe1), "conv2": layer(conv2, probe2)}


def numbers(text: str) -> list[str]:
    """The numbers a passage states, leaving out layer names (one language may name the
    layer where the other leaves it understood)."""
    text = re.sub(r"(Conv|FC|MaxPool)\d", "", text)
    return sorted(re.findall(r"\d[\d,.]*\d%?|\d%?", text.replace(", ", " ")))


def test_no_silent_channel_means_no_passage() -> None:
    for language in LANGUAGES:
        assert passages.silent_channels(quiet({}, {}), 1800, language) == {
            "conv1": "",
            "conv2": "",
        }


@pytest.mark.parametrize(
    "case",
    [
        quiet({2: 1.0, 5: 0.25}, {1: 1.0, 7: 0.5}, probe1=[2], probe2=[1, 7]),
        quiet({9: 0.0312}, {4: 0.125}),
        quiet({}, {3: 1.0}, probe2=[3]),
    ],
)
def test_both_languages_give_the_same_channels_and_shares(case: dict) -> None:
    ja, en = (passages.silent_channels(case, 1800, language) for language in LANGUAGES)
    # Conv2's dead channels are named, not given a share of 100%.
    for layer, listed in (("conv1", "silent"), ("conv2", "partly")):
        assert set(numbers(ja[layer])) == set(numbers(en[layer])), layer
        shown = {f"{ch['share'] * 100:.1f}%" for ch in case[layer][listed]}
        assert shown <= set(numbers(en[layer])), layer


def test_only_channels_silent_on_every_image_are_called_dead() -> None:
    said = passages.silent_channels(quiet({2: 1.0, 5: 0.99, 6: 1.0}, {}), 1800, "en")
    assert said["conv1"].count("(a dead channel)") == 2
    assert "5 on 99.0%," in said["conv1"]  # not marked
    said = passages.silent_channels(quiet({2: 1.0, 5: 0.99, 6: 1.0}, {}), 1800, "ja")
    assert said["conv1"].count("(死んだチャネル)") == 2


def test_one_black_map_is_named_in_the_singular() -> None:
    one = quiet({}, {}, probe1=[4])
    two = quiet({}, {}, probe1=[4, 6])
    assert "map for channel 4\nis black" in passages.silent_channels(one, 1800, "en")["conv1"]
    assert "maps for channels 4, 6\nare black" in passages.silent_channels(two, 1800, "en")["conv1"]
    assert "the channel passes nothing" in passages.silent_channels(one, 1800, "en")["conv1"]
    assert "these channels pass nothing" in passages.silent_channels(two, 1800, "en")["conv1"]
    assert "この" in passages.silent_channels(one, 1800, "ja")["conv1"]
    assert "これらの" in passages.silent_channels(two, 1800, "ja")["conv1"]


def test_one_dead_conv2_channel_is_named_in_the_singular() -> None:
    one = passages.silent_channels(quiet({}, {3: 1.0}), 1800, "en")["conv2"]
    two = passages.silent_channels(quiet({}, {3: 1.0, 5: 1.0}), 1800, "en")["conv2"]
    assert "(3) is 0" in one and "a dead channel, which passes" in one
    assert "(3, 5) are 0" in two and "dead channels, which pass" in two


def test_sentences_are_joined_without_stray_spaces() -> None:
    case = quiet({2: 1.0}, {1: 0.5}, probe1=[2], probe2=[1])
    for language in LANGUAGES:
        for text in passages.silent_channels(case, 1800, language).values():
            assert text == text.strip() and "\n " not in text and "  " not in text


def seeds(verdicts: dict[str, str], unit_values: list[int], lead_missing: int = 0) -> dict:
    """seeds.json's parts the passage reads, for claims with the given verdicts across
    five seeds ("general", "never" or "mixed")."""
    n = 5
    return {
        "seeds": list(range(n)),
        "claims": {
            name: {
                "general": verdict == "general",
                "never": verdict == "never",
                "holds_in": {"general": n, "never": 0, "mixed": 3}[verdict],
            }
            for name, verdict in verdicts.items()
        },
        "metrics": {
            "fc1_standout_unit": {
                "same_in_every_run": len(set(unit_values)) == 1,
                "most_common": max(set(unit_values), key=unit_values.count),
                "values": unit_values,
                "distinct": len(set(unit_values)),
            },
            "logit_lead_step": {"missing": lead_missing, "min": 1200.0, "max": 2345.0},
        },
    }


def seed_passage(study: dict, language: str) -> dict[str, str]:
    labels = {name: f"claim-{name}" for name in study["claims"]}
    split = verdict_split(study["claims"])
    return passages.seed_study(study, split, labels, 7, language)


@pytest.mark.parametrize(
    ("verdicts", "headline"),
    [
        ({"a": "general", "b": "never"}, "same_everywhere"),
        ({"a": "mixed", "b": "mixed"}, "all_depend"),
        ({"a": "general", "b": "mixed"}, "split"),
        ({"a": "never", "b": "mixed"}, "split"),
    ],
)
def test_the_headline_follows_the_verdict_split(verdicts: dict, headline: str) -> None:
    study = seeds(verdicts, [3, 3, 3, 3, 3])
    for language in LANGUAGES:
        expected = passages.SEEDS[language][headline].format(n=5)
        assert seed_passage(study, language)["headline"] == expected


def test_every_claim_is_listed_once_with_its_count_where_it_varies() -> None:
    study = seeds({"a": "general", "b": "never", "c": "mixed", "d": "mixed"}, [3, 3, 3, 3, 3])
    for language in LANGUAGES:
        listed = seed_passage(study, language)["verdicts"]
        for name in "abcd":
            assert listed.count(f"claim-{name}") == 1, (language, name)
    assert "claim-c (3 of 5)" in seed_passage(study, "en")["verdicts"]
    assert "「claim-c」(3 / 5)" in seed_passage(study, "ja")["verdicts"]


def test_the_unit_and_the_lead_steps_carry_over_only_as_measured() -> None:
    same = seeds({"a": "general"}, [3, 3, 3, 3, 3])
    different = seeds({"a": "general"}, [3, 17, 40, 5, 9], lead_missing=1)
    for language in LANGUAGES:
        assert "1,200" in seed_passage(same, language)["carried"]
        carried = seed_passage(different, language)["carried"]
        assert "1,200" not in carried  # a run that never led has no lead step
        assert numbers(carried).count("7") == 1  # this article's unit, named once
        assert passages.SEEDS[language]["all_different"] in carried
