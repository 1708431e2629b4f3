import numpy as np
import pytest

from generator.config import build_config
from generator.data import BACKGROUND, cell_edges, make_dataset


@pytest.fixture(scope="module")
def cfg():
    return build_config(preset="tiny").data


@pytest.fixture(scope="module")
def dataset(cfg):
    return make_dataset(cfg)


def test_images_are_float_in_unit_range(dataset, cfg):
    images = dataset.train.images
    assert images.dtype == np.float32
    assert images.shape[1:] == (cfg.image_size, cfg.image_size)
    assert images.min() >= 0 and images.max() <= 1


def test_label_is_the_cell_holding_the_square(dataset, cfg):
    edges = cell_edges(cfg)
    for split in (dataset.train, dataset.test):
        bright = split.clean > BACKGROUND
        for image, label in zip(bright, split.labels, strict=True):
            rows, cols = np.nonzero(image)
            assert rows.size == cfg.square**2
            cell_row = np.searchsorted(edges, rows, side="right") - 1
            cell_col = np.searchsorted(edges, cols, side="right") - 1
            # Every square pixel lies in the labelled cell: the square is fully inside it.
            assert set(cell_row * cfg.grid + cell_col) == {label}


def test_every_label_occurs(dataset, cfg):
    assert set(dataset.train.labels) == set(range(cfg.grid**2))


def test_same_seed_same_arrays_other_seed_different(cfg):
    again = make_dataset(cfg)
    first = make_dataset(cfg)
    assert np.array_equal(first.train.images, again.train.images)
    assert np.array_equal(first.test.labels, again.test.labels)
    other = make_dataset(type(cfg)(**{**cfg.__dict__, "seed": cfg.seed + 1}))
    assert not np.array_equal(first.train.images, other.train.images)


def test_noise_is_what_separates_noisy_from_clean(cfg):
    quiet = make_dataset(type(cfg)(**{**cfg.__dict__, "noise": 0.0}))
    assert np.array_equal(quiet.train.images, quiet.train.clean)
    noisy = make_dataset(cfg)
    residual = noisy.train.images - noisy.train.clean
    assert 0.5 * cfg.noise < residual.std() < 1.5 * cfg.noise
