import math
from dataclasses import dataclass, fields

import pytest

from generator.config import (
    SECTIONS,
    ConfigError,
    StudyConfig,
    build_config,
    field_type,
    load_config_file,
    parse_overrides,
)


def test_defaults_are_the_published_article():
    cfg = build_config()
    assert (cfg.data.image_size, cfg.data.grid, cfg.data.square) == (32, 3, 6)
    assert (cfg.model.conv1_channels, cfg.model.conv2_channels, cfg.model.fc_hidden) == (16, 32, 64)


def test_override_from_command_line_is_typed():
    cfg = build_config(parse_overrides(["--train.lr=3e-3", "--train.epochs=5"]))
    assert cfg.train.lr == 3e-3 and cfg.train.epochs == 5


def test_config_is_frozen_and_hash_follows_values():
    cfg = build_config()
    with pytest.raises(AttributeError):
        cfg.train.lr = 1.0  # type: ignore[misc]
    assert build_config().hash == cfg.hash
    assert build_config({"train.lr": 0.002}).hash != cfg.hash


def test_section_hash_ignores_other_sections():
    base, other = build_config(), build_config({"train.lr": 0.002})
    assert base.section_hash("data") == other.section_hash("data")
    assert base.section_hash("train") != other.section_hash("train")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"train.lrr": "0.1"}, "did you mean 'train.lr'"),
        (
            {"train.epochs": "abc"},
            "train.epochs='abc' is not an integer; allowed: an integer in [1, 1000]",
        ),
        ({"train.lr": "0"}, "train.lr=0.0 is out of range; allowed: (0, 1]"),
        ({"data.noise": "nan"}, "data.noise=nan is out of range"),
        (
            {"data.square": "11"},
            "data.square=11 must fit in the smallest grid cell; allowed: [1, 10]",
        ),
        ({"data.image_size": "30"}, "must be divisible by 4"),
        ({"record.probe_index": "1000"}, "allowed: [0, 999]"),
        ({"train.threads": "0"}, "train.threads=0 is out of range; allowed: [1, 256]"),
    ],
)
def test_bad_values_name_the_key_and_the_allowed_range(overrides, message):
    with pytest.raises(ConfigError) as err:
        build_config(overrides)
    assert message in str(err.value)


def test_more_snapshots_than_steps_is_rejected():
    with pytest.raises(ConfigError, match=r"record\.snapshots"):
        build_config({"record.snapshots": "50"}, preset="tiny")


def test_tiny_preset_is_small():
    cfg = build_config(preset="tiny")
    assert cfg.total_steps < build_config().total_steps / 5
    assert not math.isnan(cfg.train.lr)


def test_config_file_nested_and_malformed(tmp_path):
    good = tmp_path / "good.json"
    good.write_text('{"train": {"lr": 0.01}}')
    assert build_config(load_config_file(good)).train.lr == 0.01
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_config_file(bad)


def test_a_switch_takes_true_or_false_and_has_no_range():
    assert build_config({"study.enabled": "false"}).study.enabled is False
    with pytest.raises(ConfigError, match=r"study\.enabled='1' is not a boolean; allowed: true or"):
        build_config({"study.enabled": "1"})
    assert fields(StudyConfig)[0].metadata["range"] is None


def test_every_knob_is_an_int_a_float_or_a_bool():
    for section in SECTIONS.values():
        for f in fields(section):
            assert field_type(section, f.name) in (int, float, bool), f.name


def test_a_knob_of_another_type_is_a_mistake_in_the_code_not_the_input():
    @dataclass(frozen=True)
    class Odd:
        name: str = "x"

    with pytest.raises(TypeError, match=r"Odd\.name: a knob is int, float or bool"):
        field_type(Odd, "name")
