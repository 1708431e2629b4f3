"""The experiments page's claims: each predicate holds and fails on hand-built results."""

import pytest

from generator.study import claims as experiment_claims
from tests.test_claims import assert_holds_and_fails, with_value


def hand_built_results() -> dict:
    """Only the results the predicates read; every claim holds on these."""
    return {
        "mlp_vs_cnn": {
            "cnn": {"final_test": 0.99, "final_test_loss": 0.05},
            "mlp": {"final_test": 0.90, "final_test_loss": 0.30},
            "parameter_ratio": 1.02,
        },
        "noise": {
            "runs": [
                {"final_test": 1.0, "step_test_90": 10},
                {"final_test": 0.98, "step_test_90": 20},
                {"final_test": 0.91, "step_test_90": 40},
            ]
        },
    }


# (claim, the result it reads, a value where it holds, a value where it fails)
CASES = [
    ("mlp_size_comparable", ("mlp_vs_cnn", "parameter_ratio"), 0.92, 0.9),
    ("cnn_beats_mlp", ("mlp_vs_cnn", "mlp", "final_test"), 0.98, 0.99),
    ("cnn_has_lower_loss", ("mlp_vs_cnn", "mlp", "final_test_loss"), 0.06, 0.05),
    ("accuracy_falls_as_noise_rises", ("noise", "runs", 1, "final_test"), 1.0, 1.01),
    ("every_level_reaches_90", ("noise", "runs", 2, "step_test_90"), 11, None),
    ("learning_slows_as_noise_rises", ("noise", "runs", 1, "step_test_90"), 40, 41),
]


def test_every_predicate_has_a_case():
    assert {name for name, *_ in CASES} == set(experiment_claims.PREDICATES)


@pytest.mark.parametrize(("name", "path", "holding", "failing"), CASES)
def test_predicate_holds_and_fails(name, path, holding, failing):
    predicate = experiment_claims.PREDICATES[name]
    assert_holds_and_fails(predicate, hand_built_results(), path, holding, failing)


def test_a_bigger_mlp_is_not_comparable_either():
    results = with_value(hand_built_results(), ("mlp_vs_cnn", "parameter_ratio"), 1.11)
    assert not experiment_claims.mlp_size_comparable(results)["holds"]


def test_no_trend_in_steps_when_fewer_than_two_levels_reach_90():
    results = hand_built_results()
    for run in results["noise"]["runs"][1:]:
        run["step_test_90"] = None
    assert not experiment_claims.learning_slows_as_noise_rises(results)["holds"]


def test_the_build_evaluates_every_claim_into_experiments_json(tiny_project):
    results = tiny_project.published("experiments.json")
    assert results["claims"] == experiment_claims.evaluate(results)
