"""The study: the article's setup trained many times (seeds, noise levels, an MLP baseline)."""
