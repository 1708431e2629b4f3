"""The study: does the article's run say something general about this setup?

Beyond the article's run, a build with study.enabled trains the same setup with other
training seeds (seeds.py), an MLP of about TinyCNN's size (mlp.py) and TinyCNN at other
noise levels (experiments.py), states its own claims about them (claims.py) and registers
its stages in the build's table (stages.py); group.py trains many same-architecture models
as one. The article's seeds table and the experiments page read its results;
figures/study_charts.py draws its charts.
"""
