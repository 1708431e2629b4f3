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

from generator.config import Config

Facts = dict[str, Any]
# name -> {"holds": bool, "value": number, "threshold": number, "description": str}
Claims = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Metric:
    section: str  # where the value sits in facts.json: facts[section][key]
    key: str
    description: str
    categorical: bool = False  # an index (which unit) has no mean, only a most common value


METRICS = {
    "conv1_change": Metric(
        "conv1_change", "relative_norm", "how far Conv1 moved: ||W_end - W_0|| / ||W_0||"
    ),
    "fc1_standout_unit": Metric(
        "fc1_standout", "unit", "which FC1 unit is largest for the probe at the end", True
    ),
    "fc1_standout_from_step": Metric(
        "fc1_standout", "from_step", "step from which that unit stays the largest"
    ),
    "fc1_standout_ratio": Metric(
        "fc1_standout", "ratio_to_runner_up", "standout unit's value over the runner-up's"
    ),
    "logit_lead_step": Metric(
        "logit_lead", "from_step", "step from which the probe's true logit stays on top"
    ),
    "step_test_90": Metric("accuracy", "step_test_90", "first step with test accuracy >= 90%"),
    "final_test_accuracy": Metric("accuracy", "final_test", "test accuracy after the last step"),
    "pool1_contrast_before": Metric(
        "pooling", "pool1_before", "probe's target/background contrast before the first pool"
    ),
    "pool1_contrast_after": Metric(
        "pooling", "pool1_after", "probe's target/background contrast after the first pool"
    ),
    "pool2_contrast_before": Metric(
        "pooling", "pool2_before", "probe's target/background contrast before the second pool"
    ),
    "pool2_contrast_after": Metric(
        "pooling", "pool2_after", "probe's target/background contrast after the second pool"
    ),
}


def seed_list(cfg: Config) -> list[int]:
    """The article's training seed first, then the next ones."""
    return [cfg.train.seed + k for k in range(cfg.study.seeds)]


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
    """For each claim every run states: its value per seed and in how many runs it holds."""
    names = [name for name in runs[0]["claims"] if all(name in r["claims"] for r in runs)]
    summary = {}
    for name in names:
        per_run = [r["claims"][name] for r in runs]
        holds = [bool(c["holds"]) for c in per_run]
        summary[name] = {
            "description": per_run[0]["description"],
            "threshold": per_run[0]["threshold"],
            "values": [c["value"] for c in per_run],
            **spread([c["value"] for c in per_run], categorical=False),
            "holds": holds,
            "holds_in": sum(holds),
            "general": all(holds),  # holds for every seed, not just the article's run
            "never": not any(holds),  # fails for every seed: the negation is what is general
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
    }
