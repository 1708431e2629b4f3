"""Figures: the charts and animations of the article, and the data behind each.

draw.py writes them all (`render_figures`); this file imports nothing, so a module that
needs one constant of the package (the hooks: chrome.DENSITY) does not import torch.

For every figure stem X this writes, into one folder:
- animations: X.gif (one frame per snapshot, looping) and X.poster.png (the
  last frame, for readers who prefer reduced motion) and X.frames.png (every
  frame in one sprite sheet, for the page's training-step slider);
- charts: X.png and X.dark.png, matching the site's light and dark schemes;
- X.npz, the arrays the figure was drawn from, with the snapshot steps;
and one figure-data.txt that lists the keys of every X.npz, and timeline.json
(what the slider shows at each snapshot, see sprites.py).

The Conv1 kernel change W_t - W_0 is the second panel of
conv1_filters_evolution, under the kernels themselves.
"""
