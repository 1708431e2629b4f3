"""Command line: `python -m generator [STAGE] [options] [--section.key=value ...]`.

It only parses arguments, checks them and the output folders, prints the
config, takes the build lock (generator/lock.py: a second build waits for the
first) and hands over to the pipeline. A bad argument, config value or output
folder, or a busy one with --no-wait, prints one line and exits with status 2
before anything is written; a claim the article relies on that fails for
this run, a template error or a site MkDocs refuses to build prints one line
and exits with status 1; Ctrl-C prints one line and exits with status 130.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from generator.claims import ClaimFailed
from generator.config import (
    PRESETS,
    ConfigError,
    all_keys,
    build_config,
    did_you_mean,
    load_config_file,
    parse_overrides,
)
from generator.files import remove_leftovers, unwritable_reason
from generator.lock import BuildBusy, build_lock
from generator.render import TemplateError
from generator.stages import SiteBuildFailed, table

# The commands: "build", every stage of the build's table (each runs alone, with what it
# needs), and "config".
STAGES_HELP = {
    "build": "run every stage below; the (study) ones only with study.enabled (the default)",
    **{stage.name: stage.help for stage in table().values()},
    "config": "print the resolved config as JSON and stop",
}


class UsageError(Exception):
    """A command-line mistake; reported in one line with exit status 2."""


class OneLineErrorParser(argparse.ArgumentParser):
    """argparse, but a mistake is a UsageError (one line) rather than usage text."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def argument_parser() -> argparse.ArgumentParser:
    width = max(map(len, STAGES_HELP))
    stages = "\n".join(f"  {name:<{width}} {text}" for name, text in STAGES_HELP.items())
    parser = OneLineErrorParser(
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
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="if another build is using the cache or the output, exit 2 instead of waiting",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args, extra = argument_parser().parse_known_args(argv)
        return run(args, extra)
    except (ConfigError, UsageError, BuildBusy) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (
        TemplateError,
        ClaimFailed,
        SiteBuildFailed,
        OSError,
    ) as err:  # OSError: a full disk, a folder removed mid-build
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "interrupted: nothing half-written was kept; run the same command again",
            file=sys.stderr,
        )
        return 130


def run(args: argparse.Namespace, extra: list[str]) -> int:
    if args.stage not in STAGES_HELP:
        raise UsageError(
            f"unknown stage '{args.stage}'{did_you_mean(args.stage, list(STAGES_HELP))}; "
            f"allowed: {', '.join(STAGES_HELP)}"
        )
    overrides = load_config_file(args.config) if args.config else {}
    overrides.update(parse_overrides(extra))
    cfg = build_config(overrides, preset=args.preset)
    if args.stage == "config":
        print(cfg.to_json(), end="")
        return 0
    root: Path = args.root
    site: Path = args.site_dir or root / "site"
    cache: Path = args.cache_dir or root / ".cache"
    check_output_folders(root, site, cache)
    print(f"config {cfg.hash}:\n{cfg.to_json()}", end="")

    from generator.pipeline import Build, Paths  # torch loads here, after the input is checked

    paths = Paths(root=root, site=site, cache=cache)
    with build_lock(root, site, cache, wait=not args.no_wait):
        for folder in (paths.docs, paths.generated):
            remove_leftovers(folder)  # files a killed build was writing
        Build(cfg, paths).run(args.stage)
    return 0


def check_output_folders(root: Path, site: Path, cache: Path) -> None:
    """Fail before any work if an output folder cannot be written or is not ours to replace."""
    if not (root / "mkdocs.yml").is_file():
        raise UsageError(f"--root {root}: no mkdocs.yml there; allowed: the project folder")
    docs = root / "docs"
    for option, folder in (("--root", docs), ("--site-dir", site), ("--cache-dir", cache)):
        reason = unwritable_reason(folder)
        if reason:
            raise UsageError(f"{option}: cannot write {folder}: {reason}")
    # The site folder is deleted and replaced whole, so it must not hold anything else.
    site_abs, docs_abs = site.resolve(), docs.resolve()
    if site_abs in root.resolve().parents or site_abs in (root.resolve(), docs_abs):
        raise UsageError(
            f"--site-dir {site}: is the project folder or holds it; allowed: a folder of its own"
        )
    if docs_abs in site_abs.parents:
        raise UsageError(f"--site-dir {site}: is inside {docs}; allowed: a folder outside it")
    if site.is_dir() and any(site.iterdir()) and not (site / "index.html").is_file():
        raise UsageError(
            f"--site-dir {site}: is a folder with other content (no index.html); "
            "allowed: a new folder or an earlier site"
        )


if __name__ == "__main__":
    sys.exit(main())
