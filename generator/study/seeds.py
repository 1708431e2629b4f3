"""The seed study: do one run's observations hold for other training seeds?

The same setup is trained with `study.seeds` training seeds: train.seed (the
article's run, so it comes from the main run's cache) and the seeds after it.
The data seed stays fixed, so only the initial weights and the batch order
change. Each run's facts come from facts.derive_facts, as for the main run;
this module only picks the run-specific values out of them and summarises
them across seeds.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from generator import evidence
from generator.config import Config
from generator.evidence import Claim
from generator.study.claims import over_seeds

Facts = dict[str, Any]
Claims = dict[str, Claim]  # name -> evidence.claim


@dataclass(frozen=True)
class Metric:
    section: str  # where the value sits in facts.json: facts[section][key]
    key: str
    description: str
    categorical: bool = False  # an index (which unit) has no mean, only a most common value
    digits: int = 3  # decimals the seeds table shows; a step or an index has none


METRICS = {
    "conv1_change": Metric(
        "conv1_change", "relative_norm", "how far Conv1 moved: ||W_end - W_0|| / ||W_0||"
    ),
    "fc1_standout_unit": Metric(
        "fc1_standout",
        "unit",
        "which FC1 unit is largest for the probe at the end",
        categorical=True,
        digits=0,
    ),
    "fc1_standout_from_step": Metric(
        "fc1_standout", "from_step", "step from which that unit stays the largest", digits=0
    ),
    "fc1_standout_ratio": Metric(
        "fc1_standout", "ratio_to_runner_up", "standout unit's value over the runner-up's"
    ),
    "logit_lead_step": Metric(
        "logit_lead",
        "from_step",
        "step from which the probe's true logit stays on top",
        digits=0,
    ),
    "step_test_90": Metric(
        "accuracy", "step_test_90", "first step with test accuracy >= 90%", digits=0
    ),
    "final_test_accuracy": Metric("accuracy", "final_test", "test accuracy after the last step"),
    "conv1_cosine_median": Metric(
        "conv1_change", "cosine_median", "median cosine of each Conv1 kernel with its start"
    ),
    "conv1_random_cosine": Metric(
        "conv1_change",
        "random_cosine_median",
        "the same median for random updates of each kernel's own size",
    ),
    "conv1_box_aligned_end": Metric(
        "conv1_change",
        "box_aligned_end",
        "Conv1 kernels close to the box filter at the end",
        digits=0,
    ),
}


def seed_config(cfg: Config, seed: int) -> Config:
    return dataclasses.replace(cfg, train=dataclasses.replace(cfg.train, seed=seed))


def embedded_claims(facts: Facts) -> Claims:
    """The claims facts.json carries (the contract: facts["claims"]), if any."""
    return facts.get("claims", {})


def run_values(facts: Facts) -> dict[str, Any]:
    """The run-specific values of one run, by metric name."""
    return {name: facts[m.section][m.key] for name, m in METRICS.items()}


def spread(values: list[Any], categorical: bool) -> dict[str, Any]:
    """Mean and spread of the values a run produced (None: never happened in that run)."""
    known = [v for v in values if v is not None]
    summary: dict[str, Any] = {"missing": len(values) - len(known)}
    if categorical:
        counts = Counter(known).most_common()
        return {
            **summary,
            "distinct": len(counts),
            "most_common": counts[0][0] if counts else None,
            "most_common_count": counts[0][1] if counts else 0,
            # the same value in every run: a property of the setup rather than of one run
            "same_in_every_run": len(counts) == 1 and not summary["missing"],
        }
    if not known:
        return {**summary, "mean": None, "std": None, "min": None, "max": None}
    array = np.asarray(known, dtype=np.float64)
    return {
        **summary,
        "mean": float(array.mean()),
        "std": float(array.std(ddof=1)) if array.size > 1 else 0.0,  # sample std across seeds
        "min": float(array.min()),
        "max": float(array.max()),
    }


def claims_across(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """For each claim every run states: its value and verdict per seed, and their counts."""
    names = [name for name in runs[0]["claims"] if all(name in r["claims"] for r in runs)]
    summary = {}
    for name in names:
        per_run = [r["claims"][name] for r in runs]
        verdicts = [c["verdict"] for c in per_run]
        summary[name] = {
            "description": per_run[0]["description"],
            "values": [c["value"] for c in per_run],
            "intervals": [c["interval"] for c in per_run],
            **spread([c["value"] for c in per_run], categorical=False),
            "verdicts": verdicts,
            **{f"{v}_in": verdicts.count(v) for v in evidence.VERDICTS},
            "general": verdicts.count("holds") == len(runs),  # holds for every seed
            "never": verdicts.count("fails") == len(runs),  # the negation is what is general
        }
    return summary


def verdict_split(claims: dict[str, Any]) -> dict[str, list[str]]:
    """Claim names, sorted, by their verdict across seeds: in every run, in none, in some."""
    names = sorted(claims)
    return {
        "general": [name for name in names if claims[name]["general"]],
        "never": [name for name in names if claims[name]["never"]],
        "mixed": [name for name in names if not (claims[name]["general"] or claims[name]["never"])],
    }


def seed_claims(runs: list[dict[str, Any]]) -> dict[str, Claim]:
    """Claims about training itself, one value per seed: the sample is the seeds.

    Conv1's weights are a property of a run, not of an image, so what training did to
    them is measured once per seed, each against that run's own random-update baseline.
    """
    conv1 = [run["conv1"] for run in runs]
    kept = [c["cosine_median"] - c["random_cosine_median"] for c in conv1]
    box = [c["box_cosine_median_end"] - c["box_cosine_random_median"] for c in conv1]
    return {
        "conv1_keeps_more_than_random": over_seeds(
            kept,
            "median cosine of Conv1 kernels with their start, minus the same median for "
            "random updates of each kernel's own size (no effect: 0)",
            baseline=0.0,
        ),
        "conv1_moves_toward_box": over_seeds(
            box,
            "median cosine of Conv1 kernels with the box (averaging) filter after training, "
            "minus the same median after random updates of the same sizes (no effect: 0)",
            baseline=0.0,
        ),
    }


def seed_study(
    cfg: Config,
    facts_by_seed: dict[int, Facts],
    claims_of: Callable[[Facts], Claims] = embedded_claims,
) -> dict[str, Any]:
    """seeds.json: per-seed values, their mean and spread, and the claims per seed.

    `claims_of` turns one run's facts into its claims: one call per seed.
    """
    seeds = list(facts_by_seed)
    runs = [
        {
            "seed": seed,
            "main": seed == cfg.train.seed,
            "values": run_values(facts),
            "claims": claims_of(facts),
            "conv1": facts["conv1_change"],
        }
        for seed, facts in facts_by_seed.items()
    ]
    metrics = {}
    for name, metric in METRICS.items():
        values = [run["values"][name] for run in runs]
        metrics[name] = {
            "description": metric.description,
            "source": f"{metric.section}.{metric.key}",
            "categorical": metric.categorical,
            "values": values,
            **spread(values, metric.categorical),
        }
    return {
        "seeds": seeds,
        "main_seed": cfg.train.seed,
        "data_seed": cfg.data.seed,
        "runs": runs,
        "metrics": metrics,
        "claims": claims_across(runs),
        "seed_claims": seed_claims(runs),
    }
