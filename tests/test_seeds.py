"""The seed study: other training seeds, same data, the main run's facts reused."""

import json
import re
import statistics

import pytest

from generator.config import ConfigError, build_config
from generator.seeds import METRICS, seed_config, seed_list, seed_study


@pytest.fixture(scope="module")
def study(study_project):
    return json.loads((study_project.generated / "seeds.json").read_text(encoding="utf-8"))


def test_seeds_start_with_the_articles_seed():
    cfg = build_config({"train.seed": "7", "study.seeds": "4"})
    assert seed_list(cfg) == [7, 8, 9, 10]
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


def test_main_seed_values_are_the_main_runs_facts(study, study_project):
    facts = study_project.facts
    main = study["runs"][0]["values"]
    for name, metric in METRICS.items():
        assert main[name] == facts[metric.section][metric.key], name


def test_main_seed_reuses_the_main_run_and_other_seeds_train(study_project):
    output = study_project.output
    assert "[seed 0]" not in output
    # The study build starts from the tiny build's cache: the main run is not trained again.
    assert re.search(r"^=== train: from cache", output, re.MULTILINE)
    assert not re.search(r"^=== train: computed", output, re.MULTILINE)
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
    return facts


def test_claims_hook_is_applied_once_per_seed():
    cfg = build_config({"study.seeds": "4"})
    calls = []

    def claims_of(facts):
        calls.append(facts)
        value = facts["accuracy"]["final_test"]
        return {"late": {"holds": value >= 2, "value": value, "threshold": 2, "description": "d"}}

    result = seed_study(cfg, {s: fake_facts(s) for s in seed_list(cfg)}, claims_of)
    assert len(calls) == 4
    late = result["claims"]["late"]
    assert late["holds"] == [False, False, True, True]
    assert (late["holds_in"], late["general"]) == (2, False)
    assert late["values"] == [0, 1, 2, 3]


def test_claims_embedded_in_facts_are_used_by_default():
    cfg = build_config()
    claim = {"holds": True, "value": 1.0, "threshold": 0.5, "description": "d"}
    facts = {s: {**fake_facts(s), "claims": {"c": claim}} for s in seed_list(cfg)}
    assert seed_study(cfg, facts)["claims"]["c"]["general"] is True


def test_without_the_study_nothing_of_it_is_published(tiny_project):
    assert build_config(preset="tiny").study.enabled is False
    assert "=== seeds" not in tiny_project.output
    for name in ("seeds.json", "experiments.json", "noise_levels.png", "mlp_vs_cnn.png"):
        assert not (tiny_project.generated / name).exists(), name


def test_the_study_changes_no_page_of_the_article(tiny_project, study_project):
    pages = sorted(p.name for p in tiny_project.root.glob("docs/*.md"))
    assert pages
    assert pages == sorted(p.name for p in study_project.root.glob("docs/*.md"))
    for name in pages:
        before = (tiny_project.root / "docs" / name).read_text(encoding="utf-8")
        assert (study_project.root / "docs" / name).read_text(encoding="utf-8") == before, name


def test_the_study_switch_is_a_checked_boolean():
    assert build_config({"study.enabled": "True"}).study.enabled is True
    assert build_config({"study.enabled": False}).study.enabled is False
    with pytest.raises(ConfigError, match=r"study.enabled='1' is not a boolean; allowed: true"):
        build_config({"study.enabled": "1"})
