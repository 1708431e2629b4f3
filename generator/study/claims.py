"""The experiments page's claims, as named predicates over experiments.json.

The same contract as the article's (generator/claims.py): each predicate returns {"holds",
"value", "threshold", "description"}, the results are stored in
experiments.json under "claims", and the page chooses its wording from
`holds`. None of them stops the build: each sentence has a wording for
either outcome.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from generator import claims
from generator.claims import Claim, claim

Results = dict[str, Any]

# "About the same size": the MLP's parameter count within 10% of TinyCNN's, either way.
COMPARABLE_SIZE = 1.1


def mlp_size_comparable(results: Results) -> Claim:
    ratio = results["mlp_vs_cnn"]["parameter_ratio"]
    return claim(
        1 / COMPARABLE_SIZE <= ratio <= COMPARABLE_SIZE,
        ratio,
        COMPARABLE_SIZE,
        "the MLP's parameter count over TinyCNN's lies between 1/threshold and threshold",
    )


def cnn_beats_mlp(results: Results) -> Claim:
    pair = results["mlp_vs_cnn"]
    lead = pair["cnn"]["final_test"] - pair["mlp"]["final_test"]
    return claim(
        lead > 0,
        lead,
        0.0,
        "TinyCNN's final test accuracy minus the same-size MLP's, same data and steps",
    )


def cnn_has_lower_loss(results: Results) -> Claim:
    pair = results["mlp_vs_cnn"]
    ratio = pair["mlp"]["final_test_loss"] / pair["cnn"]["final_test_loss"]
    return claim(
        ratio > 1,
        ratio,
        1.0,
        "the MLP's final test loss over TinyCNN's (above 1: TinyCNN's loss is lower)",
    )


def changes(values: list[float]) -> list[float]:
    """Each value minus the one before it."""
    return [later - earlier for earlier, later in pairwise(values)]


def accuracy_falls_as_noise_rises(results: Results) -> Claim:
    accuracies = [run["final_test"] for run in results["noise"]["runs"]]
    rise = max(changes(accuracies))
    return claim(
        rise <= 0,
        rise,
        0.0,
        "largest gain in final test accuracy from one noise level to the next higher one "
        "(at most 0: accuracy never rises with the noise)",
    )


def every_level_reaches_90(results: Results) -> Claim:
    runs = results["noise"]["runs"]
    reached = sum(run["step_test_90"] is not None for run in runs)
    return claim(
        reached == len(runs),
        reached,
        len(runs),
        "number of noise levels whose test accuracy reaches 90% within the run",
    )


def learning_slows_as_noise_rises(results: Results) -> Claim:
    steps = [r["step_test_90"] for r in results["noise"]["runs"] if r["step_test_90"] is not None]
    # With fewer than two levels reaching 90% there is no trend to state.
    least = min(changes(steps)) if len(steps) > 1 else 0.0
    return claim(
        len(steps) > 1 and least >= 0,
        least,
        0.0,
        "among the noise levels that reach 90%, the smallest change in steps to get there "
        "from one level to the next higher one (at least 0: more noise never needs fewer)",
    )


PREDICATES = claims.by_name(
    mlp_size_comparable,
    cnn_beats_mlp,
    cnn_has_lower_loss,
    accuracy_falls_as_noise_rises,
    every_level_reaches_90,
    learning_slows_as_noise_rises,
)


def evaluate(results: Results) -> dict[str, Claim]:
    return claims.evaluate(results, PREDICATES)
