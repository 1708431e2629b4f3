"""Claims: each predicate has all three verdicts on hand-built facts; the article follows it."""

import copy
import json

import pytest

from generator import claims, evidence, render


def measured(value, lo, hi) -> dict:
    return {"value": value, "interval": [lo, hi], "n_images": 1000}


def hand_built_facts() -> dict:
    """Only the measurements the predicates read; every claim holds on these."""
    pool = measured(0.3, 0.2, 0.4)
    return {
        "accuracy": {
            "final_test": 0.97,
            "final_test_interval": [0.96, 0.98],
            "chance": 1 / 9,
            "chance_interval": [0.09, 0.13],
            "test_size_final": 1000,
        },
        "fc1_population": {
            "probe_unit": {**measured(0.5, 0.45, 0.55), "chance": 0.05, "cell_share": 0.11,
                           "chance_interval": [0.04, 0.06]},
            "silent": measured(0.6, 0.6, 0.65),
            "silent_initial": measured(0.3, 0.28, 0.32),
            "cells_per_unit": {**measured(4.4, 4.3, 4.5), "detector": 1.0},
        },
        "channel_population": {
            "dead": measured(0.2, 0.18, 0.22),
            "dead_initial": measured(0.1, 0.08, 0.12),
        },
        "pooling_population": {
            **{name: copy.deepcopy(pool)
               for name in ("pool1", "pool2", "pool1_initial", "pool2_initial")},
            "pool1_against_average": measured(0.2, 0.1, 0.3),
        },
    }  # fmt: skip


def with_value(facts: dict, path: tuple[str, ...], value: object) -> dict:
    changed = copy.deepcopy(facts)
    *parents, leaf = path
    node = changed
    for key in parents:
        node = node[key]
    node[leaf] = value
    return changed


# (claim, the interval it reads, one where it fails, one where it is inconclusive)
CASES = [
    ("accuracy_passes_90", ("accuracy", "final_test_interval"), [0.8, 0.89], [0.88, 0.95]),
    (
        "fc1_probe_unit_is_generic",
        ("fc1_population", "probe_unit", "interval"),
        [0.01, 0.03],
        [0.03, 0.3],
    ),
    ("fc1_units_silenced", ("fc1_population", "silent", "interval"), [0.1, 0.2], [0.3, 0.5]),
    ("fc1_units_span_cells", ("fc1_population", "cells_per_unit", "interval"), [0.5, 0.9],
     [0.9, 1.5]),
    ("conv_channels_silenced", ("channel_population", "dead", "interval"), [0.02, 0.06],
     [0.06, 0.15]),
    *[
        (f"{pool}_raises_contrast{when}", ("pooling_population", f"{pool}{key}", "interval"),
         [-0.4, -0.1], [-0.1, 0.2])
        for pool in ("pool1", "pool2")
        for when, key in (("", ""), ("_at_init", "_initial"))
    ],
    ("pool1_beats_average", ("pooling_population", "pool1_against_average", "interval"),
     [-0.9, -0.8], [-0.1, 0.1]),
]  # fmt: skip


def test_every_predicate_has_a_case():
    assert {name for name, *_ in CASES} == set(claims.PREDICATES)


def assert_three_verdicts(predicate, facts: dict, path, failing, inconclusive) -> None:
    """The predicate holds on `facts`, fails and is inconclusive with those intervals."""
    for interval, expected in ((None, "holds"), (failing, "fails"), (inconclusive, "inconclusive")):
        changed = facts if interval is None else with_value(facts, path, interval)
        result = predicate(changed)
        assert result["verdict"] == expected, (predicate.__name__, interval)
        assert result["holds"] is (expected == "holds")
        assert ("n_images" in result) != ("n_seeds" in result)
        assert "threshold" in result or "baseline" in result
        assert json.loads(json.dumps(result, allow_nan=False)) == result


@pytest.mark.parametrize(("name", "path", "failing", "inconclusive"), CASES)
def test_predicate_has_three_verdicts(name, path, failing, inconclusive):
    assert_three_verdicts(claims.PREDICATES[name], hand_built_facts(), path, failing, inconclusive)


def test_evaluate_names_every_claim():
    assert set(claims.evaluate(hand_built_facts())) == set(claims.PREDICATES)


@pytest.mark.parametrize(
    ("interval", "verdict"), [([0.4, 0.6], "fails"), ([0.85, 0.95], "inconclusive")]
)
def test_require_stops_with_one_line_naming_the_claim(interval, verdict):
    facts = with_value(hand_built_facts(), ("accuracy", "final_test_interval"), interval)
    facts["accuracy"]["final_test"] = sum(interval) / 2
    with pytest.raises(claims.ClaimFailed) as err:
        claims.require(claims.evaluate(facts), "accuracy_passes_90")
    message = str(err.value)
    assert "accuracy_passes_90" in message and verdict in message and "\n" not in message
    assert claims.require(claims.evaluate(hand_built_facts()), "accuracy_passes_90") == ""


# --- the article follows the claims -------------------------------------------------------


def rendered(project, facts: dict, out) -> dict[str, str]:
    """The pages of a built project, rendered again with other facts."""
    render.render_pages({**project.render_context, "facts": facts}, out)
    return {page: (out / page).read_text(encoding="utf-8") for page in ("index.md", "index.en.md")}


def with_claim(facts: dict, name: str, verdict: str) -> dict:
    changed = with_value(facts, ("claims", name, "verdict"), verdict)
    return with_value(changed, ("claims", name, "holds"), verdict == "holds")


@pytest.mark.parametrize("name", sorted(set(claims.PREDICATES) - {"accuracy_passes_90"}))
def test_wording_follows_the_claim(name, tiny_project, tmp_path):
    # Only the claim's result differs, so any change in the text is the wording's.
    pages = {
        verdict: rendered(
            tiny_project, with_claim(tiny_project.facts, name, verdict), tmp_path / verdict
        )
        for verdict in evidence.VERDICTS
    }
    for page in ("index.md", "index.en.md"):
        texts = {verdict: pages[verdict][page] for verdict in evidence.VERDICTS}
        assert len(set(texts.values())) == 3, (name, page)


def test_a_failed_required_claim_stops_the_render_and_writes_nothing(tiny_project, tmp_path):
    facts = with_claim(tiny_project.facts, "accuracy_passes_90", "inconclusive")
    with pytest.raises(claims.ClaimFailed, match="accuracy_passes_90"):
        rendered(tiny_project, facts, tmp_path)
    assert not list(tmp_path.iterdir())
