"""The `thutuc` command line: thin click commands over the library."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from thutuc import __version__

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="thutuc")
def main() -> None:
    """thutuc keeps a public office's administrative procedures as validated YAML and builds a
    citizens' website and per-applicant checklists from them.

    \b
    Examples:
      thutuc check catalogue
      thutuc check catalogue --format json
    """


@main.command()
@click.argument("catalogue", default="catalogue", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one 'file:line:col: severity: key: message' line per problem; json: a list of objects.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Check as on this date (YYYY-MM-DD), e.g. for repealed laws. Default: today in Vietnam.")
def check(catalogue: Path, fmt: str, strict: bool, as_of) -> None:
    """Validate every file of CATALOGUE (default: ./catalogue) and report all problems at once.

    Exit status: 0 when there is no error (warnings allowed unless --strict), 1 when there are
    errors, 2 for a usage error.

    \b
    Examples:
      thutuc check                       # the catalogue/ folder here
      thutuc check path/to/catalogue --strict
      thutuc check --format json > problems.json
    """
    from thutuc.check import check_catalogue
    from thutuc.problems import format_json, format_text

    with _no_traceback():
        result = check_catalogue(catalogue, today=as_of.date() if as_of else None)
    click.echo(format_json(result.problems) if fmt == "json" else format_text(result.problems))
    sys.exit(0 if result.ok(strict) else 1)


@contextmanager
def _no_traceback():
    """A bug must not greet an editor with a traceback: say what happened, keep details opt-in."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("THUTUC_DEBUG"):
            raise
        click.echo(f"thutuc: internal error ({type(exc).__name__}: {exc}). This is a bug in thutuc, "
                   "not in your files; run again with THUTUC_DEBUG=1 and report the output.", err=True)
        sys.exit(1)
