"""The experiments page's claims: each predicate has all three verdicts on hand-built results."""

import pytest

from generator.study import claims as experiment_claims
from tests.test_claims import with_value

LEVELS = [0.1, 0.35, 0.5, 0.7, 1.0]


def hand_built_results() -> dict:
    """Only the results the predicates read, five seeds; every claim holds on these."""
    return {
        "mlp_vs_cnn": {
            "paired": {
                "accuracy_lead": [0.03, 0.02, 0.04, 0.03, 0.025],
                "loss_ratio": [3.0, 2.5, 4.0, 3.5, 3.2],
                "gap_difference": [0.02, 0.03, 0.025, 0.02, 0.03],
            }
        },
        "noise": {
            "levels": LEVELS,
            "main_level": 0.35,
            "final_by_seed": [[1.0, 0.99, 0.97, 0.95, 0.93 + k / 100] for k in range(5)],
            "mean_by_seed": [[0.9, 0.8, 0.7, 0.6, 0.5 + k / 100] for k in range(5)],
            "runs": [
                {"noise": level, "observer": {"lead": box_lead(0.01 + level / 10)}}
                for level in LEVELS[:-1]
            ]
            + [
                {
                    "noise": LEVELS[-1],
                    "final_test": {"values": [0.93, 0.94, 0.95, 0.92, 0.93]},
                    "observer": {"lead": box_lead(0.05)},
                }
            ],
        },
        "softmax_inside": {
            "paired": {
                "early": {
                    "accuracy_lead": {"values": [0.3, 0.25, 0.28, 0.35, 0.3]},
                    "grad_ratio": {"values": [0.17, 0.2, 0.15, 0.12, 0.18]},
                },
                "end": {"accuracy_lead": {"values": [0.02, 0.01, 0.03, 0.015, 0.02]}},
            }
        },
        "pooling": {
            "paired": {
                "max_minus_average": [0.005, 0.004, 0.006, 0.005, 0.007],
                "max_minus_stride": [0.01, 0.008, 0.012, 0.006, 0.01],
            }
        },
    }


def box_lead(value: float) -> dict:
    """The box template's lead over TinyCNN on 1,000 test images, wholly above 0."""
    return {"value": value, "interval": [value - 0.005, value + 0.005], "n_images": 1000}


MIXED = [[0.9, 0.8, 0.7, 0.6, 0.5], [0.5, 0.6, 0.7, 0.8, 0.9]] + [[0.7] * 5] * 3  # one each way
# (claim, the per-seed values it reads, values where it fails, values where it is inconclusive)
CASES = [
    ("cnn_beats_mlp", ("mlp_vs_cnn", "paired", "accuracy_lead"),
     [-0.03, -0.02, -0.04, -0.03, -0.025], [0.03, -0.02, 0.04, -0.03, 0.0]),
    ("cnn_has_lower_loss", ("mlp_vs_cnn", "paired", "loss_ratio"),
     [0.5, 0.6, 0.55, 0.5, 0.6], [1.5, 0.6, 1.2, 0.9, 0.8]),
    ("mlp_overfits_more", ("mlp_vs_cnn", "paired", "gap_difference"),
     [-0.02, -0.03, -0.025, -0.02, -0.03], [0.02, -0.03, 0.01, -0.02, 0.0]),
    ("accuracy_falls_as_noise_rises", ("noise", "final_by_seed"),
     [row[::-1] for row in hand_built_results()["noise"]["final_by_seed"]], MIXED),
    ("learning_slows_as_noise_rises", ("noise", "mean_by_seed"),
     [row[::-1] for row in hand_built_results()["noise"]["mean_by_seed"]], MIXED),
    ("noisiest_level_reaches_90", ("noise", "runs", -1, "final_test", "values"),
     [0.8, 0.82, 0.85, 0.81, 0.8], [0.85, 0.95, 0.9, 0.92, 0.88]),
    ("softmax_inside_slows_learning",
     ("softmax_inside", "paired", "early", "accuracy_lead", "values"),
     [-0.1, -0.2, -0.15, -0.1, -0.12], [0.1, -0.1, 0.05, -0.05, 0.0]),
    ("softmax_inside_shrinks_gradient",
     ("softmax_inside", "paired", "early", "grad_ratio", "values"),
     [1.5, 1.4, 1.6, 1.3, 1.5], [0.5, 1.5, 0.8, 1.2, 1.0]),
    ("softmax_inside_costs_final_accuracy",
     ("softmax_inside", "paired", "end", "accuracy_lead", "values"),
     [-0.02, -0.01, -0.03, -0.015, -0.02], [0.02, -0.03, 0.01, -0.02, 0.0]),
    ("max_pool_beats_average", ("pooling", "paired", "max_minus_average"),
     [-0.005, -0.004, -0.006, -0.005, -0.007], [0.01, -0.01, 0.005, -0.005, 0.0]),
    ("max_pool_beats_stride", ("pooling", "paired", "max_minus_stride"),
     [-0.01, -0.008, -0.012, -0.006, -0.01], [0.01, -0.01, 0.005, -0.005, 0.0]),
]  # fmt: skip


# The box-template claims rest on test images: (claim, the run whose lead it reads)
IMAGE_CASES = [("box_template_leads", 1), ("box_template_leads_at_highest_noise", -1)]


def test_every_predicate_has_a_case():
    names = {name for name, *_ in CASES} | {name for name, _ in IMAGE_CASES}
    assert names == set(experiment_claims.PREDICATES)


@pytest.mark.parametrize(("name", "path", "failing", "inconclusive"), CASES)
def test_predicate_has_three_verdicts(name, path, failing, inconclusive):
    predicate = experiment_claims.PREDICATES[name]
    results = hand_built_results()
    assert predicate(results)["verdict"] == "holds"
    assert predicate(results)["n_seeds"] == 5
    assert predicate(with_value(results, path, failing))["verdict"] == "fails"
    assert predicate(with_value(results, path, inconclusive))["verdict"] == "inconclusive"


@pytest.mark.parametrize(("name", "run"), IMAGE_CASES)
def test_box_template_claim_reads_its_level_and_has_three_verdicts(name, run):
    predicate = experiment_claims.PREDICATES[name]
    results = hand_built_results()
    lead = results["noise"]["runs"][run]["observer"]["lead"]
    assert predicate(results)["verdict"] == "holds"
    assert predicate(results)["value"] == lead["value"]  # this level's, no other's
    assert predicate(results)["n_images"] == 1000
    path = ("noise", "runs", run, "observer", "lead", "interval")
    assert predicate(with_value(results, path, [-0.03, -0.01]))["verdict"] == "fails"
    assert predicate(with_value(results, path, [-0.01, 0.02]))["verdict"] == "inconclusive"
    few = with_value(results, ("noise", "runs", run, "observer", "lead", "n_images"), 99)
    assert predicate(few)["verdict"] == "inconclusive"


def test_four_seeds_are_not_enough():
    results = hand_built_results()
    short = with_value(results, ("mlp_vs_cnn", "paired", "accuracy_lead"), [0.03] * 4)
    assert experiment_claims.cnn_beats_mlp(short)["verdict"] == "inconclusive"


def test_the_build_evaluates_every_claim_into_experiments_json(tiny_project):
    results = tiny_project.published("experiments.json")
    assert results["claims"] == experiment_claims.evaluate(results)
