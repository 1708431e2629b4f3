import torch

from generator.config import build_config
from generator.model import STAGES, TinyCNN, parameter_counts

# The brief's table of shapes for the published article (input (1, 32, 32)).
BRIEF_SHAPES = {
    "conv1": (16, 32, 32), "relu1": (16, 32, 32), "pool1": (16, 16, 16),
    "conv2": (32, 16, 16), "relu2": (32, 16, 16), "pool2": (32, 8, 8),
    "flatten": (2048,), "fc1": (64,), "relu3": (64,), "logits": (9,), "probs": (9,),
}  # fmt: skip


def make_model(**overrides):
    cfg = build_config(overrides)
    torch.manual_seed(0)
    return TinyCNN(cfg.model, cfg.data)


def test_stage_shapes_match_the_brief():
    model = make_model()
    outputs = model.stage_outputs(torch.zeros(2, 1, 32, 32))
    assert list(outputs) == list(STAGES)
    assert {name: tuple(out.shape[1:]) for name, out in outputs.items()} == BRIEF_SHAPES


def test_forward_returns_the_logits_stage():
    model = make_model()
    x = torch.rand(3, 1, 32, 32)
    outputs = model.stage_outputs(x)
    with torch.no_grad():
        assert torch.equal(model(x), outputs["logits"])
    assert torch.allclose(outputs["probs"].sum(dim=1), torch.ones(3))


def test_parameter_counts_follow_the_layer_formulas():
    for c1, c2, hidden in [(16, 32, 64), (4, 8, 10)]:
        model = make_model(**{"model.conv1_channels": c1, "model.conv2_channels": c2,
                                   "model.fc_hidden": hidden})  # fmt: skip
        flat = c2 * 8 * 8
        expected = {
            "conv1": 1 * c1 * 9 + c1,
            "conv2": c1 * c2 * 9 + c2,
            "fc1": flat * hidden + hidden,
            "logits": hidden * 9 + 9,
        }
        assert parameter_counts(model) == expected
