"""Claims: every run-specific sentence of the article, as a named predicate over the facts.

Each predicate returns {"holds", "value", "threshold", "description"}; the
results are stored in facts["claims"]. The templates choose their wording
from `holds`, and a claim the article cannot do without is required by the
template: if it fails, rendering stops with one line naming the claim.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

Facts = dict[str, Any]
Claim = dict[str, Any]


class ClaimFailed(Exception):
    """A claim the article relies on does not hold for this run."""


def claim(holds: bool, value: float, threshold: float, description: str) -> Claim:
    return {
        "holds": bool(holds),
        "value": float(value),
        "threshold": float(threshold),
        "description": description,
    }


# A kernel keeps its pattern when more than half of the final kernel (cos^2 > 1/2)
# lies along its initial weights, i.e. they are less than 45 degrees apart.
KEPT_PATTERN_COSINE = math.sqrt(0.5)
# An FC1 unit stands out when the next largest unit is at least a fifth below it.
STANDOUT_LEAD = 0.2
ACCURACY_BAR = 0.9


def conv1_keeps_patterns(facts: Facts) -> Claim:
    value = facts["conv1_change"]["cosine_median"]
    return claim(
        value > KEPT_PATTERN_COSINE,
        value,
        KEPT_PATTERN_COSINE,
        "median cosine between each Conv1 kernel's initial and final weights "
        "exceeds 1/sqrt(2): most kernels keep their initial pattern",
    )


def fc1_unit_stands_out(facts: Facts) -> Claim:
    top = facts["fc1_standout"]
    best, second = top["final_value"], top["runner_up_value"]
    lead = (best - second) / best if best > 0 else 0.0  # all units silent: nothing stands out
    return claim(
        lead >= STANDOUT_LEAD,
        lead,
        STANDOUT_LEAD,
        "for the probe, the largest FC1 unit at the end leads the next largest "
        "by at least this share of its own value",
    )


def true_logit_leads(facts: Facts) -> Claim:
    lead = facts["logit_lead"]
    return claim(
        lead["from_step"] is not None,
        lead["final_margin"],
        0.0,
        "the probe's true-class logit is the largest at the last snapshot "
        "(value: its margin over the next largest logit)",
    )


def accuracy_passes_90(facts: Facts) -> Claim:
    best = facts["accuracy"]["best_test"]
    return claim(
        best >= ACCURACY_BAR,
        best,
        ACCURACY_BAR,
        "test accuracy reaches 90% at some snapshot",
    )


def pooling_contrast_claim(facts: Facts, when: str, suffix: str) -> Claim:
    cnr = facts["pooling"]["cnr"]
    worst = min(cnr[pool][f"after{suffix}"] / cnr[pool][f"before{suffix}"] for pool in cnr)
    return claim(
        worst > 1.0,
        worst,
        1.0,
        "both max-pools raise the probe's target-to-background contrast-to-noise "
        f"ratio {when} (value: the smaller after/before ratio)",
    )


def pooling_raises_contrast(facts: Facts) -> Claim:
    return pooling_contrast_claim(facts, "at the end of training", "")


def pooling_raises_contrast_at_init(facts: Facts) -> Claim:
    return pooling_contrast_claim(facts, "with the initial random weights", "_initial")


Predicate = Callable[[Facts], Claim]


def by_name(*predicates: Predicate) -> dict[str, Predicate]:
    """Predicates keyed by their function names, which are the claims' names."""
    return {predicate.__name__: predicate for predicate in predicates}


PREDICATES = by_name(
    conv1_keeps_patterns,
    fc1_unit_stands_out,
    true_logit_leads,
    accuracy_passes_90,
    pooling_raises_contrast,
    pooling_raises_contrast_at_init,
)


def evaluate(facts: Facts, predicates: dict[str, Predicate] = PREDICATES) -> dict[str, Claim]:
    return {name: predicate(facts) for name, predicate in predicates.items()}


def require(claims: dict[str, Claim], name: str) -> str:
    """Stop the build if a claim the article relies on does not hold; returns ''."""
    result = claims[name]
    if not result["holds"]:
        raise ClaimFailed(
            f"claim '{name}' does not hold for this run: value {result['value']:.4g}, "
            f"threshold {result['threshold']:.4g} ({result['description']})"
        )
    return ""
