"""The experiments page's claims, as measurements over training seeds.

The same contract as generator/claims.py (each predicate returns an evidence.claim),
with the seeds as the sample: every setup was trained once per seed, and a comparison
of two setups is made seed by seed (same initial seed, same batch order), then
averaged with a 95% t-interval over the seeds. None of them stops the build: the
page has a wording for each verdict.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generator import claims, evidence
from generator.evidence import Claim

Results = dict[str, Any]


def over_seeds(
    values: list[float],
    description: str,
    bounds: evidence.Interval | None = None,
    **bar: Any,
) -> Claim:
    return evidence.claim(
        float(np.mean(values)),
        evidence.seed_interval(values, bounds),
        description,
        n_seeds=len(values),
        **bar,
    )


def cnn_beats_mlp(results: Results) -> Claim:
    return over_seeds(
        results["mlp_vs_cnn"]["paired"]["accuracy_lead"],
        "TinyCNN's final test accuracy minus the same-size MLP's, seed by seed (no effect: 0)",
        evidence.ACCURACY_DIFFERENCE,
        baseline=0.0,
    )


def cnn_has_lower_loss(results: Results) -> Claim:
    return over_seeds(
        results["mlp_vs_cnn"]["paired"]["loss_ratio"],
        "the MLP's final test loss over TinyCNN's, seed by seed (no effect: 1)",
        baseline=1.0,
    )


def mlp_overfits_more(results: Results) -> Claim:
    return over_seeds(
        results["mlp_vs_cnn"]["paired"]["gap_difference"],
        "the MLP's train-minus-test accuracy gap minus TinyCNN's, seed by seed (no effect: 0)",
        (-2.0, 2.0),  # a difference of two differences of accuracies
        baseline=0.0,
    )


def slopes(rows: list[list[float]], levels: list[float]) -> list[float]:
    """Least-squares slope of each seed's values against the noise level."""
    return [float(np.polyfit(levels, row, 1)[0]) for row in rows]


def accuracy_falls_as_noise_rises(results: Results) -> Claim:
    noise = results["noise"]
    return over_seeds(
        slopes(noise["final_by_seed"], noise["levels"]),
        "slope of final test accuracy against the noise level, per seed (no effect: 0)",
        baseline=0.0,
        passes="below",
    )


def learning_slows_as_noise_rises(results: Results) -> Claim:
    noise = results["noise"]
    return over_seeds(
        slopes(noise["mean_by_seed"], noise["levels"]),
        "slope of the test accuracy averaged over training (area under the curve) against "
        "the noise level, per seed (no effect: 0)",
        baseline=0.0,
        passes="below",
    )


def noisiest_level_reaches_90(results: Results) -> Claim:
    noisiest = results["noise"]["runs"][-1]["final_test"]
    return over_seeds(
        noisiest["values"],
        "final test accuracy at the highest noise level, over seeds",
        evidence.ACCURACY,
        threshold=claims.ACCURACY_BAR,
    )


def box_lead(run: dict[str, Any], where: str) -> Claim:
    lead = run["observer"]["lead"]
    return evidence.claim(
        lead["value"],
        lead["interval"],
        f"the box template's test accuracy minus TinyCNN's {where}, image by image, TinyCNN "
        "averaged over the seeds (no effect: 0)",
        n_images=lead["n_images"],
        baseline=0.0,
    )


def main_level_run(noise: dict[str, Any]) -> dict[str, Any]:
    """The noise study's results at the article's own noise level."""
    return {run["noise"]: run for run in noise["runs"]}[noise["main_level"]]


def box_template_leads(results: Results) -> Claim:
    return box_lead(main_level_run(results["noise"]), "at the article's noise level")


def box_template_leads_at_highest_noise(results: Results) -> Claim:
    return box_lead(results["noise"]["runs"][-1], "at the highest noise level")


def softmax_inside_slows_learning(results: Results) -> Claim:
    return over_seeds(
        results["softmax_inside"]["paired"]["early"]["accuracy_lead"]["values"],
        "test accuracy early in training (a sixth of the budget) of the article's setup minus "
        "the same training with Softmax inside the model, seed by seed (no effect: 0)",
        evidence.ACCURACY_DIFFERENCE,
        baseline=0.0,
    )


def softmax_inside_shrinks_gradient(results: Results) -> Claim:
    return over_seeds(
        results["softmax_inside"]["paired"]["early"]["grad_ratio"]["values"],
        "mean norm of each test image's loss gradient at the logits with Softmax inside the "
        "model over the same in the article's setup, a sixth into training, seed by seed "
        "(no effect: 1)",
        baseline=1.0,
        passes="below",
    )


def softmax_inside_costs_final_accuracy(results: Results) -> Claim:
    return over_seeds(
        results["softmax_inside"]["paired"]["end"]["accuracy_lead"]["values"],
        "final test accuracy of the article's setup minus the same training with Softmax "
        "inside the model, seed by seed (no effect: 0)",
        evidence.ACCURACY_DIFFERENCE,
        baseline=0.0,
    )


def max_pool_lead(results: Results, other: str) -> Claim:
    return over_seeds(
        results["pooling"]["paired"][f"max_minus_{other}"],
        f"final test accuracy of TinyCNN with max pooling minus with {other} downsampling, "
        "seed by seed (no effect: 0)",
        evidence.ACCURACY_DIFFERENCE,
        baseline=0.0,
    )


def max_pool_beats_average(results: Results) -> Claim:
    return max_pool_lead(results, "average")


def max_pool_beats_stride(results: Results) -> Claim:
    return max_pool_lead(results, "stride")


PREDICATES = claims.by_name(
    cnn_beats_mlp,
    cnn_has_lower_loss,
    mlp_overfits_more,
    accuracy_falls_as_noise_rises,
    learning_slows_as_noise_rises,
    noisiest_level_reaches_90,
    box_template_leads,
    box_template_leads_at_highest_noise,
    softmax_inside_slows_learning,
    softmax_inside_shrinks_gradient,
    softmax_inside_costs_final_accuracy,
    max_pool_beats_average,
    max_pool_beats_stride,
)


def evaluate(results: Results) -> dict[str, Claim]:
    return claims.evaluate(results, PREDICATES)
