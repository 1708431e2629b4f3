"""figure-data.txt: what each key of each figure's .npz holds.

Every key a figure saves must be described here; an undescribed key stops
the build, so the README cannot fall behind the files.
"""

from __future__ import annotations

import numpy as np

KEYS = {
    "steps": "training step of each snapshot (one per animation frame)",
    "epochs": "the same steps in epochs (fractional)",
    "values": "the recorded values drawn in each frame, for the probe image",
    "scale_low": "value drawn in the first colour of the colormap (lower values clip to it)",
    "scale_high": "value drawn in the last colour of the colormap (higher values clip to it)",
    "probe_image": "the probe image as the model sees it (with noise)",
    "probe_label": "the probe's true cell",
    "probe_loss": "cross-entropy loss on the probe at each snapshot",
    "weights": "Conv1 kernels W at each snapshot, (snapshot, kernel, 3, 3)",
    "change": "W - W at step 0, same shape as weights",
    "relative_change": "||W - W0|| / ||W0|| at each snapshot",
    "weight_scale_low": "colour-scale bottom of the kernel panel",
    "weight_scale_high": "colour-scale top of the kernel panel",
    "change_scale_low": "colour-scale bottom of the change panel",
    "change_scale_high": "colour-scale top of the change panel",
    "axis_low": "bottom of the fixed bar axis",
    "axis_high": "top of the fixed bar axis",
    "highlight": "index of the highlighted bar: the true cell, or for FC1 the standout unit",
    "indices": "test-split indices of the samples shown (-1: no sample of that cell)",
    "images": "the clean samples shown, (row, cell, height, width), NaN where missing",
    "cell_edges": "pixel borders of the grid cells drawn as the dotted overlay",
    "noisy": "the samples with noise, (cell, height, width)",
    "clean": "the same samples without noise",
    "noise_std": "standard deviation of the background noise",
    "eval_steps": "training steps where loss and accuracy were measured (dense early)",
    "batch_loss": "loss of the training batch just trained on (NaN at step 0)",
    "batch_acc": "accuracy on that batch (NaN at step 0)",
    "test_loss": "test loss (a fixed subset of the test set; the whole set at the end)",
    "test_acc": "test accuracy, likewise",
    "counts": "confusion counts of the final model, [true cell, predicted cell]",
    "test_pred": "final prediction for every test image",
    "test_labels": "true cell of every test image",
    "class_means": "mean FC1 output (after ReLU) over the test images of each true cell, "
    "(cell, unit)",
    "dead_units": "FC1 units that are 0 on every test image",
    "unit_order": "the live units in the order of the map's rows (by the cell they answer most)",
    "units": "the FC1 units whose weight maps are shown: the live ones most active on the test set",
    "templates": "those units' FC1 weights summed over MaxPool2's channels, (unit, row, column)",
    "mean_activity": "mean FC1 output of every unit over the test set",
    "conv1_silent_share": "per Conv1 channel, share of test images on which it is 0 everywhere "
    "after ReLU",
    "conv2_silent_share": "the same per Conv2 channel",
}


def describe(data_files: dict[str, dict[str, np.ndarray]]) -> str:
    lines = [
        "# Data behind the figures",
        "",
        "Each figure `X` comes with `X.npz` (load it with `numpy.load`), holding the",
        "arrays it was drawn from. Keys of each file, with their shapes:",
    ]
    for stem, arrays in data_files.items():
        lines += ["", f"## {stem}.npz", ""]
        for key, value in sorted(arrays.items()):
            shape = "x".join(map(str, np.shape(value))) or "scalar"
            lines.append(f"- `{key}` ({shape}): {KEYS[key]}")
    return "\n".join(lines) + "\n"
