"""Claims: every general sentence of the article, as a measurement with a verdict.

Each predicate reads the facts and returns an evidence.claim: value, 95% interval,
the sample (test images here; training seeds in seeds.py), the bar (a threshold or
a no-effect / by-chance baseline with its interval) and a verdict, `holds`,
`fails` or `inconclusive`. The results are stored in facts["claims"]. The templates
have wording for each verdict, and a claim the article cannot do without is required
by the template: unless it holds, rendering stops with one line naming the claim.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.evidence import Claim, claim

Facts = dict[str, Any]

ACCURACY_BAR = 0.9


class ClaimFailed(Exception):
    """A claim the article relies on does not hold for this run."""


def accuracy_passes_90(facts: Facts) -> Claim:
    acc = facts["accuracy"]
    return claim(
        acc["final_test"],
        acc["final_test_interval"],
        "test accuracy of the trained network on every test image is above 90% "
        "(by chance: one over the number of cells)",
        n_images=acc["test_size_final"],
        threshold=ACCURACY_BAR,
        baseline=acc["chance"],
        baseline_interval=acc["chance_interval"],
    )


def fc1_probe_unit_is_generic(facts: Facts) -> Claim:
    """A detector for the probe's cell would top that cell's share of the test images:
    topping wholly more than that, the unit is large for other cells' images too. The
    even spread over the units that fire is reported as the by-chance reading."""
    unit = facts["fc1_population"]["probe_unit"]
    return claim(
        unit["value"],
        unit["interval"],
        "share of test images whose largest FC1 unit is the probe's largest unit, against "
        "one cell's share of the images (what a detector for the probe's cell would top)",
        n_images=unit["n_images"],
        threshold=unit["cell_share"],
        baseline=unit["chance"],
        baseline_interval=unit["chance_interval"],
    )


def fc1_units_silenced(facts: Facts) -> Claim:
    fc1 = facts["fc1_population"]
    return silenced_against_start(
        facts,
        fc1["silent"],
        fc1["silent_initial"],
        "share of FC1 units above zero on fewer than 1% of the test images after training, "
        "against the same share with the initial weights",
    )


def silenced_against_start(
    facts: Facts, end: dict[str, Any], start: dict[str, Any], description: str
) -> Claim:
    """A share of units all but silent on the test images, trained against initial weights."""
    return claim(
        end["value"],
        end["interval"],
        description,
        n_images=facts["accuracy"]["test_size_final"],
        baseline=start["value"],
        baseline_interval=start["interval"],
    )


def fc1_units_span_cells(facts: Facts) -> Claim:
    """A code with one unit per cell would have each live unit answer for one cell."""
    spread = facts["fc1_population"]["cells_per_unit"]
    return claim(
        spread["value"],
        spread["interval"],
        "cells per live FC1 unit whose mean output over that cell's test images reaches half "
        "the unit's largest cell mean, averaged over the live units (a one-cell detector: 1)",
        n_images=spread["n_images"],
        threshold=spread["detector"],
    )


def conv_channels_silenced(facts: Facts) -> Claim:
    channels = facts["channel_population"]
    return silenced_against_start(
        facts,
        channels["dead"],
        channels["dead_initial"],
        "share of the Conv1 and Conv2 channels above 0 somewhere (after ReLU) on fewer than 1% "
        "of the test images after training, against the same share with the initial weights",
    )


def pooling_claim(facts: Facts, pool: str, suffix: str, when: str) -> Claim:
    effect = facts["pooling_population"][f"{pool}{suffix}"]
    return claim(
        effect["value"],
        effect["interval"],
        f"mean change of the per-channel contrast-to-noise ratio through {pool} {when}, over "
        "the channels that light up on the square, borders excluded (no effect: 0)",
        n_images=effect["n_images"],
        baseline=0.0,
    )


def pool1_raises_contrast(facts: Facts) -> Claim:
    return pooling_claim(facts, "pool1", "", "after training")


def pool2_raises_contrast(facts: Facts) -> Claim:
    return pooling_claim(facts, "pool2", "", "after training")


def pool1_raises_contrast_at_init(facts: Facts) -> Claim:
    return pooling_claim(facts, "pool1", "_initial", "with the initial weights")


def pool2_raises_contrast_at_init(facts: Facts) -> Claim:
    return pooling_claim(facts, "pool2", "_initial", "with the initial weights")


def pool1_beats_average(facts: Facts) -> Claim:
    effect = facts["pooling_population"]["pool1_against_average"]
    return claim(
        effect["value"],
        effect["interval"],
        "MaxPool1's mean change of the per-channel contrast-to-noise ratio minus that of a 2x2 "
        "average of the same maps, image by image, trained network (no effect: 0)",
        n_images=effect["n_images"],
        baseline=0.0,
    )


Predicate = Callable[[Facts], Claim]


def by_name(*predicates: Predicate) -> dict[str, Predicate]:
    """Predicates keyed by their function names, which are the claims' names."""
    return {predicate.__name__: predicate for predicate in predicates}


PREDICATES = by_name(
    accuracy_passes_90,
    fc1_probe_unit_is_generic,
    fc1_units_silenced,
    fc1_units_span_cells,
    conv_channels_silenced,
    pool1_raises_contrast,
    pool2_raises_contrast,
    pool1_raises_contrast_at_init,
    pool2_raises_contrast_at_init,
    pool1_beats_average,
)


def evaluate(facts: Facts, predicates: dict[str, Predicate] = PREDICATES) -> dict[str, Claim]:
    return {name: predicate(facts) for name, predicate in predicates.items()}


def require(claims: dict[str, Claim], name: str) -> str:
    """Stop the build unless a claim the article relies on holds; returns ''."""
    result = claims[name]
    if result["verdict"] != "holds":
        lo, hi = result["interval"]
        bar = result.get("threshold", result.get("baseline", {}).get("value"))
        raise ClaimFailed(
            f"claim '{name}' does not hold for this run ({result['verdict']}): "
            f"value {result['value']:.4g} "
            f"(95% interval {lo:.4g} to {hi:.4g}), bar {bar:.4g} ({result['description']})"
        )
    return ""
