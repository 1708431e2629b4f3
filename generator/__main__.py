"""Command line: `python -m generator [STAGE] [options] [--section.key=value ...]`.

It only parses arguments, prints the config and hands over to the pipeline.
A bad argument or config value prints one line and exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.config import (
    PRESETS,
    ConfigError,
    all_keys,
    build_config,
    load_config_file,
    parse_overrides,
)

STAGES_HELP = {
    "build": "run every stage below (the default)",
    "data": "generate the synthetic dataset",
    "train": "train TinyCNN and record the trace",
    "facts": "derive facts.json from the trace",
    "figures": "render the PNG figures and GIF animations",
    "seeds": "train the same setup with study.seeds training seeds; summarise their facts",
    "experiments": "train a same-size MLP and TinyCNN at other noise levels; chart them",
    "render": "fill the Markdown templates with the facts",
    "site": "build the site with MkDocs (same as build)",
    "config": "print the resolved config as JSON and stop",
}


def argument_parser() -> argparse.ArgumentParser:
    stages = "\n".join(f"  {name:<11} {text}" for name, text in STAGES_HELP.items())
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build the Inside TinyCNN article: data, training, figures, pages, site.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"stages:\n{stages}\n\nconfig keys (override with --key=value):\n  "
        + "\n  ".join(all_keys()),
    )
    parser.add_argument("stage", nargs="?", default="build", help="stage to run (see below)")
    parser.add_argument("--preset", default="default", help=f"one of: {', '.join(PRESETS)}")
    parser.add_argument("--config", type=Path, help="JSON file of overrides")
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (mkdocs.yml)")
    parser.add_argument("--site-dir", type=Path, help="where the site goes (default ROOT/site)")
    parser.add_argument("--cache-dir", type=Path, help="stage cache (default ROOT/.cache)")
    return parser


class UsageError(Exception):
    """A command-line mistake; reported in one line with exit status 2."""


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser()
    args, extra = parser.parse_known_args(argv)
    try:
        return run(args, extra)
    except (ConfigError, UsageError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "interrupted: nothing half-written was kept; run the same command again",
            file=sys.stderr,
        )
        return 130


def run(args: argparse.Namespace, extra: list[str]) -> int:
    if args.stage not in STAGES_HELP:
        raise UsageError(f"unknown stage '{args.stage}'; allowed: {', '.join(STAGES_HELP)}")
    overrides = load_config_file(args.config) if args.config else {}
    overrides.update(parse_overrides(extra))
    cfg = build_config(overrides, preset=args.preset)
    if args.stage == "config":
        print(cfg.to_json(), end="")
        return 0
    print(f"config {cfg.hash}:\n{cfg.to_json()}", end="")

    from generator.pipeline import Build, Paths  # torch loads here, after the config is valid

    paths = Paths.under(args.root)
    paths = Paths(
        root=paths.root,
        site=args.site_dir or paths.site,
        cache=args.cache_dir or paths.cache,
    )
    Build(cfg, paths).run(args.stage)
    return 0


if __name__ == "__main__":
    sys.exit(main())
