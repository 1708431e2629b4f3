"""Every page says where it came from: commit, config hash, seeds, versions, CPU, date."""

from __future__ import annotations

import json

import numpy as np
import torch

from generator.config import build_config


def test_provenance_is_published_and_shown_on_every_page(tiny_project):
    about = json.loads((tiny_project.generated / "provenance.json").read_text(encoding="utf-8"))
    cfg = build_config({}, preset="tiny")
    assert about["config_hash"] == cfg.hash
    assert (about["data_seed"], about["train_seed"]) == (cfg.data.seed, cfg.train.seed)
    assert (about["torch"], about["numpy"]) == (torch.__version__, np.__version__)
    assert about["threads"] == cfg.train.threads
    assert about["cpu_capability"] == torch.backends.cpu.get_cpu_capability()
    assert about["commit"] is None  # the test's copy of the project is no git checkout
    pages = list(tiny_project.site.rglob("index.html"))
    assert pages
    for page in pages:
        footer = page.read_text(encoding="utf-8").split('class="md-copyright"', 1)[1]
        for value in (cfg.hash, torch.__version__, np.__version__, about["cpu_capability"]):
            assert value in footer, f"{page}: {value} missing from the footer"
