"""`make serve`: build, serve the site, and rebuild and reload the browser on every edit.

`python -m generator.serve [--port 8000] [--host 127.0.0.1] [build options]` takes
the options of `python -m generator build`. It watches what an author edits: the
templates, the generator's code, the MkDocs hooks, mkdocs.yml, the theme overrides,
stylesheets and scripts, and the --config file. On a change it runs the build again in
this process, where the cache decides what is computed again (a template edit only
re-renders the pages and the site), what the process kept from the builds before
(generator/warm.py: compiled templates, typeset math) makes that fast, and the page in
the browser reloads itself (MkDocs' live-reload server). A change to the generator's
Python code restarts this process instead, so that the build runs the new code. A build
that fails prints its one-line error and the last good site stays up.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

import generator
from generator.__main__ import argument_parser, main
from generator.stages import SITE_STAMP

PACKAGE = Path(generator.__file__).resolve().parent
# Under the project root: what an author edits besides the generator package.
WATCHED_IN_ROOT = ("mkdocs.yml", "docs/overrides", "docs/stylesheets", "docs/javascripts")


def python_sources() -> dict[Path, float]:
    """The generator's own modules (not the hooks: MkDocs loads those afresh each build)."""
    return {
        path: path.stat().st_mtime
        for path in PACKAGE.rglob("*.py")
        if "hooks" not in path.relative_to(PACKAGE).parts
    }


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argument_parser()
    parser.prog = "python -m generator.serve"
    parser.description = __doc__.split("\n")[0]
    parser.add_argument("--port", type=int, default=8000, help="port to serve on (8000)")
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (127.0.0.1)")
    return parser.parse_known_args(argv)


def build_argv(argv: list[str]) -> list[str]:
    """The arguments of `python -m generator build`: this command's, less --port and --host."""
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--port", "--host"):
            skip = True
        elif not arg.startswith(("--port=", "--host=")):
            out.append(arg)
    return ["build", *out]


def serve(argv: list[str]) -> int:
    args, _ = parse(argv)
    build = build_argv(argv)
    root: Path = args.root
    site: Path = args.site_dir or root / "site"
    # MkDocs runs in the first build even if the site is up to date, so that the theme's
    # templates are compiled in this process before the first edit (generator/warm.py).
    (Path(args.cache_dir or root / ".cache") / SITE_STAMP).unlink(missing_ok=True)
    if main(build) != 0:  # the first build's error was printed; nothing to serve yet
        return 1
    sources = python_sources()

    def rebuild() -> None:
        if python_sources() != sources:
            print("generator code changed: restarting to build with it", flush=True)
            os.execv(sys.executable, [sys.executable, "-m", "generator.serve", *argv])
        main(build)  # prints its own error in one line, and keeps the last good site

    server = LiveReloadServer(rebuild, host=args.host, port=args.port, root=str(site))
    for path in [PACKAGE, *(root / p for p in WATCHED_IN_ROOT), args.config]:
        if path is not None and Path(path).exists():
            server.watch(str(path))
    print(f"serving on http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.dont_write_bytecode = True  # a new .pyc under generator/ would look like an edit
    sys.exit(serve(sys.argv[1:]))
