"""Evidence: verdicts, intervals and the claim record, on hand-made numbers."""

import json

import numpy as np
import pytest

from generator import evidence
from generator.evidence import claim, verdict


@pytest.mark.parametrize(
    ("interval", "bar", "passes", "expected"),
    [
        ((0.5, 0.7), (0.1, 0.2), "above", "holds"),
        ((0.05, 0.08), (0.1, 0.2), "above", "fails"),
        ((0.15, 0.3), (0.1, 0.2), "above", "inconclusive"),  # overlaps the baseline
        ((-0.1, 0.1), (0.0, 0.0), "above", "inconclusive"),  # straddles the threshold
        ((0.05, 0.08), (0.1, 0.2), "below", "holds"),
        ((0.5, 0.7), (0.1, 0.2), "below", "fails"),
    ],
)
def test_verdict_compares_the_interval_with_the_bar(interval, bar, passes, expected):
    assert verdict(interval, bar, passes) == expected


def test_claim_record_is_plain_json_with_every_field():
    made = claim(0.6, (0.5, 0.7), "d", n_images=500, baseline=0.1, baseline_interval=(0.08, 0.12))
    assert made["verdict"] == "holds" and made["holds"] is True
    assert made["interval"] == [0.5, 0.7] and made["n_images"] == 500
    assert made["baseline"] == {"value": 0.1, "interval": [0.08, 0.12]}
    assert json.loads(json.dumps(made, allow_nan=False)) == made


def test_threshold_judges_and_a_baseline_beside_it_is_reported():
    made = claim(0.95, (0.93, 0.97), "d", n_images=1000, threshold=0.99, baseline=0.11)
    assert made["verdict"] == "fails" and made["threshold"] == 0.99
    assert made["baseline"]["value"] == 0.11


@pytest.mark.parametrize(("sample", "expected"), [({"n_images": 99}, "inconclusive"),
                                                  ({"n_images": 100}, "holds"),
                                                  ({"n_seeds": 4}, "inconclusive"),
                                                  ({"n_seeds": 5}, "holds")])  # fmt: skip
def test_too_small_a_sample_is_inconclusive(sample, expected):
    assert claim(1.0, (0.9, 1.1), "d", threshold=0.5, **sample)["verdict"] == expected


def test_a_claim_names_one_sample_and_a_bar():
    with pytest.raises(ValueError, match="not both"):
        claim(1.0, (0.9, 1.1), "d", n_images=100, n_seeds=5, threshold=0.5)
    with pytest.raises(ValueError, match="threshold or a baseline"):
        claim(1.0, (0.9, 1.1), "d", n_images=100)


def test_bootstrap_is_deterministic_and_covers_the_mean():
    values = np.random.default_rng(1).normal(3.0, 1.0, 400)
    first, second = evidence.bootstrap(values), evidence.bootstrap(values)
    assert np.array(first).tobytes() == np.array(second).tobytes()
    lo, hi = first
    assert lo < values.mean() < hi
    # A 95% interval of a mean is about +-1.96 standard errors wide.
    assert (hi - lo) / 2 == pytest.approx(1.96 * values.std() / np.sqrt(values.size), rel=0.1)


def test_bootstrap_drops_images_the_measure_cannot_use():
    values = np.array([1.0, np.nan, 1.0, 1.0])
    assert evidence.bootstrap(values) == (1.0, 1.0)


def test_seed_interval_is_students_t():
    values = [0.1, 0.2, 0.15, 0.12, 0.18]
    lo, hi = evidence.seed_interval(values)
    half = 2.776 * np.std(values, ddof=1) / np.sqrt(5)
    assert (lo, hi) == pytest.approx((np.mean(values) - half, np.mean(values) + half))


def test_a_seed_interval_stays_where_its_quantity_can_be():
    accuracies = [0.99, 1.0, 0.97, 1.0, 1.0]  # near 100%: the t-interval reaches past it
    assert evidence.seed_interval(accuracies)[1] > 1.0
    lo, hi = evidence.seed_interval(accuracies, evidence.ACCURACY)
    assert hi == 1.0
    assert lo == evidence.seed_interval(accuracies)[0]  # the other end is left as it is


def test_binomial_interval_holds_most_guessers():
    lo, hi = evidence.binomial_interval(1 / 9, 1000)
    guesses = np.random.default_rng(0).random((4000, 1000)) < 1 / 9
    inside = ((guesses.mean(axis=1) >= lo) & (guesses.mean(axis=1) <= hi)).mean()
    assert 0.93 < inside < 0.97
