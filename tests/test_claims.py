"""Claims: each predicate holds and fails on hand-built facts, and the article follows it."""

import copy
import json

import pytest

from generator import claims, render


def hand_built_facts() -> dict:
    """Only the measurements the predicates read; every claim holds on these."""
    return {
        "conv1_change": {"cosine_median": 0.9},
        "fc1_standout": {"final_value": 10.0, "runner_up_value": 5.0},
        "logit_lead": {"from_step": 12, "final_margin": 3.0},
        "accuracy": {"best_test": 0.95},
        "pooling": {
            "cnr": {
                "pool1": {"before": 2.0, "after": 2.2, "before_initial": 1.0, "after_initial": 1.5},
                "pool2": {"before": 3.0, "after": 3.3, "before_initial": 0.5, "after_initial": 2.0},
            }
        },
    }


def with_value(facts: dict, path: tuple[str, ...], value: object) -> dict:
    changed = copy.deepcopy(facts)
    *parents, leaf = path
    node = changed
    for key in parents:
        node = node[key]
    node[leaf] = value
    return changed


# (claim, the measurement it reads, a value where it holds, a value where it fails)
CASES = [
    ("conv1_keeps_patterns", ("conv1_change", "cosine_median"), 0.75, 0.65),
    ("fc1_unit_stands_out", ("fc1_standout", "runner_up_value"), 7.9, 8.1),
    ("true_logit_leads", ("logit_lead", "from_step"), 0, None),
    ("accuracy_passes_90", ("accuracy", "best_test"), 0.9, 0.89),
    ("pooling_raises_contrast", ("pooling", "cnr", "pool2", "after"), 3.01, 2.99),
    ("pooling_raises_contrast_at_init", ("pooling", "cnr", "pool1", "after_initial"), 1.01, 0.99),
]


def test_every_predicate_has_a_case():
    assert {name for name, *_ in CASES} == set(claims.PREDICATES)


def assert_holds_and_fails(predicate, measured: dict, path, holding, failing) -> None:
    """The predicate holds with `holding` at `path` of `measured`, fails with `failing`."""
    for value, expected in ((holding, True), (failing, False)):
        result = predicate(with_value(measured, path, value))
        assert result["holds"] is expected, (predicate.__name__, value)
        assert set(result) == {"holds", "value", "threshold", "description"}
        assert json.loads(json.dumps(result, allow_nan=False)) == result


@pytest.mark.parametrize(("name", "path", "holding", "failing"), CASES)
def test_predicate_holds_and_fails(name, path, holding, failing):
    assert_holds_and_fails(claims.PREDICATES[name], hand_built_facts(), path, holding, failing)


def test_an_fc1_layer_of_zeros_has_no_standout_unit():
    facts = with_value(
        hand_built_facts(), ("fc1_standout",), {"final_value": 0.0, "runner_up_value": 0.0}
    )
    result = claims.fc1_unit_stands_out(facts)
    assert not result["holds"] and result["value"] == 0.0


def test_evaluate_names_every_claim():
    assert set(claims.evaluate(hand_built_facts())) == set(claims.PREDICATES)


def test_require_stops_with_one_line_naming_the_claim():
    evaluated = claims.evaluate(with_value(hand_built_facts(), ("accuracy", "best_test"), 0.5))
    with pytest.raises(claims.ClaimFailed) as err:
        claims.require(evaluated, "accuracy_passes_90")
    message = str(err.value)
    assert "accuracy_passes_90" in message and "0.5" in message and "\n" not in message
    assert claims.require(claims.evaluate(hand_built_facts()), "accuracy_passes_90") == ""


# --- the article follows the claims -------------------------------------------------------


def rendered(project, facts: dict, out) -> dict[str, str]:
    """The pages of a built project, rendered again with other facts."""
    render.render_pages({**project.render_context, "facts": facts}, out)
    return {page: (out / page).read_text(encoding="utf-8") for page in ("index.md", "index.en.md")}


def with_claim(facts: dict, name: str, holds: bool) -> dict:
    return with_value(facts, ("claims", name, "holds"), holds)


@pytest.mark.parametrize("name", sorted(set(claims.PREDICATES) - {"accuracy_passes_90"}))
def test_wording_follows_the_claim(name, tiny_project, tmp_path):
    # Only the claim's result differs, so any change in the text is the wording's.
    pages = {
        holds: rendered(
            tiny_project, with_claim(tiny_project.facts, name, holds), tmp_path / str(holds)
        )
        for holds in (True, False)
    }
    for page in ("index.md", "index.en.md"):
        assert pages[True][page] != pages[False][page], (name, page)


def test_a_failed_required_claim_stops_the_render_and_writes_nothing(tiny_project, tmp_path):
    facts = with_claim(tiny_project.facts, "accuracy_passes_90", False)
    with pytest.raises(claims.ClaimFailed, match="accuracy_passes_90"):
        rendered(tiny_project, facts, tmp_path)
    assert not list(tmp_path.iterdir())
