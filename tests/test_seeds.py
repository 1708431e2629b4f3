"""The seed study: other training seeds, same data, the main run's facts reused."""

import json
import re
import statistics

import pytest

from generator import evidence
from generator.config import ConfigError, build_config
from generator.study.seeds import METRICS, seed_config, seed_study


@pytest.fixture(scope="module")
def study(tiny_project):
    return json.loads((tiny_project.generated / "seeds.json").read_text(encoding="utf-8"))


def test_seeds_start_with_the_articles_seed():
    cfg = build_config({"train.seed": "7", "study.seeds": "4"})
    assert cfg.study_seeds == [7, 8, 9, 10]
    other = seed_config(cfg, 9)
    assert other.train.seed == 9
    assert (other.data, other.model, other.record) == (cfg.data, cfg.model, cfg.record)


def test_seed_count_is_a_checked_knob():
    assert build_config(preset="tiny").study.seeds == 3
    assert build_config().study.seeds >= 5
    with pytest.raises(ConfigError, match=r"study.seeds=1 is out of range; allowed: \[2, 32\]"):
        build_config({"study.seeds": "1"})


def test_tiny_build_publishes_one_run_per_seed(study):
    assert study["seeds"] == [0, 1, 2]
    assert [run["seed"] for run in study["runs"]] == study["seeds"]
    assert [run["main"] for run in study["runs"]] == [True, False, False]
    assert set(study["metrics"]) == set(METRICS)


def test_main_seed_values_are_the_main_runs_facts(study, tiny_project):
    facts = tiny_project.facts
    main = study["runs"][0]["values"]
    for name, metric in METRICS.items():
        assert main[name] == facts[metric.section][metric.key], name


def test_main_seed_reuses_the_main_run_and_other_seeds_train(tiny_project):
    output = tiny_project.output
    # The main seed is the main run itself: trained once, never again as a sibling.
    assert "[seed 0]" not in output
    assert len(re.findall(r"^=== train: computed", output, re.MULTILINE)) == 1
    for seed in (1, 2):
        assert re.search(rf"\[seed {seed}\] === train: computed", output), seed


def test_other_seeds_start_from_other_weights(study):
    # Different initial weights move Conv1 by different amounts; equal floats would mean
    # the seed was not applied.
    changes = study["metrics"]["conv1_change"]["values"]
    assert len(set(changes)) == len(changes)


def test_mean_and_spread_match_the_values(study):
    for name, metric in study["metrics"].items():
        known = [v for v in metric["values"] if v is not None]
        assert metric["missing"] == len(metric["values"]) - len(known)
        if metric["categorical"]:
            assert metric["distinct"] == len(set(known))
        elif known:
            assert metric["mean"] == pytest.approx(statistics.fmean(known), rel=1e-12), name
            assert metric["std"] == pytest.approx(statistics.stdev(known), rel=1e-9, abs=1e-15)
            assert (metric["min"], metric["max"]) == (min(known), max(known))


def fake_facts(seed: int) -> dict:
    facts: dict = {}
    for metric in METRICS.values():
        facts.setdefault(metric.section, {})[metric.key] = seed
    # read by the seed-level Conv1 claims
    facts["conv1_change"].update(box_cosine_median_end=seed, box_cosine_random_median=0.0)
    return facts


def test_claims_hook_is_applied_once_per_seed():
    cfg = build_config({"study.seeds": "4"})
    calls = []

    def claims_of(facts):
        calls.append(facts)
        value = facts["accuracy"]["final_test"]
        interval = (value - 0.5, value + 0.5)
        return {"late": evidence.claim(value, interval, "d", n_images=1000, threshold=1.2)}

    result = seed_study(cfg, {s: fake_facts(s) for s in cfg.study_seeds}, claims_of)
    assert len(calls) == 4
    late = result["claims"]["late"]
    assert late["verdicts"] == ["fails", "inconclusive", "holds", "holds"]
    assert (late["holds_in"], late["fails_in"], late["general"]) == (2, 1, False)
    assert late["values"] == [0, 1, 2, 3]


def test_seed_level_claims_use_every_seed():
    cfg = build_config({"study.seeds": "5"})
    study = seed_study(cfg, {s: fake_facts(s) for s in cfg.study_seeds})
    toward_box = study["seed_claims"]["conv1_moves_toward_box"]
    assert toward_box["n_seeds"] == 5 and toward_box["value"] == 2.0  # mean of seeds 0..4
    # t-interval 2 +- 2.776 * sd([0..4]) / sqrt(5) = 0.04 to 3.96: wholly above 0
    assert toward_box["verdict"] == "holds"
    assert toward_box["interval"] == pytest.approx([0.0371, 3.9629], abs=1e-4)


def test_claims_embedded_in_facts_are_used_by_default():
    cfg = build_config()
    claim = evidence.claim(1.0, (0.9, 1.1), "d", n_images=1000, threshold=0.5)
    facts = {s: {**fake_facts(s), "claims": {"c": claim}} for s in cfg.study_seeds}
    assert seed_study(cfg, facts)["claims"]["c"]["general"] is True


def test_the_study_switch_is_a_checked_boolean():
    assert build_config({"study.enabled": "True"}).study.enabled is True
    assert build_config({"study.enabled": False}).study.enabled is False
    with pytest.raises(ConfigError, match=r"study.enabled='1' is not a boolean; allowed: true"):
        build_config({"study.enabled": "1"})
