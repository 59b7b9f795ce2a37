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


@main.command()
@click.option("--catalogue", "catalogue", default="catalogue", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The catalogue folder.")
@click.option("--out", default="public", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where the site is published; replaced whole, only when the build succeeds.")
@click.option("--build-dir", default="build/site", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Where the generated Markdown and mkdocs.yml go (never into site/).")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Show the catalogue as on this date (YYYY-MM-DD). Default: today in Vietnam.")
@click.option("--site-url", default=None, help="Public address of the site (default: office.site_url).")
def build(catalogue: Path, out: Path, build_dir: Path, as_of, site_url: str | None) -> None:
    """Build the public website from the catalogue.

    Checks the catalogue first and stops with the report on any error. The previous site in
    --out stays exactly as it was unless the whole build succeeds.

    \b
    Examples:
      thutuc build                           # catalogue/ -> public/
      thutuc build --out /srv/www/thutuc --site-url https://thutuc.example.vn/
      thutuc build --as-of 2027-01-01        # preview the catalogue as on 1 January 2027
    """
    from thutuc.build import BuildError, build as build_site
    from thutuc.check import today_vn
    from thutuc.problems import format_text

    with _no_traceback():
        try:
            summary = build_site(catalogue, out, gen=build_dir,
                                 as_of=as_of.date() if as_of else today_vn(), site_url=site_url,
                                 progress=lambda line: click.echo(f"  {line}", err=True))
        except BuildError as exc:
            if exc.result is not None:
                click.echo(format_text(exc.result.problems))
            click.echo(f"thutuc build: {exc}", err=True)
            sys.exit(1)
    click.echo(f"Built {summary.procedures} procedures, {summary.pages} pages in {summary.seconds:.1f} s "
               f"-> {summary.out}/index.html")


@main.command()
@click.option("--catalogue", "catalogue", default="catalogue", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The catalogue folder.")
@click.option("--build-dir", default="build/preview", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where the preview's Markdown goes.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Preview the catalogue as on this date (YYYY-MM-DD).")
def serve(catalogue: Path, build_dir: Path, host: str, port: int, as_of) -> None:
    """Live preview: edit a YAML file, save, and the page in the browser reloads.

    Errors in the catalogue are printed here and shown above every page; the preview keeps the
    last good pages and keeps running. Stop it with Ctrl+C.

    \b
    Examples:
      thutuc serve                      # http://127.0.0.1:8000/
      thutuc serve --port 8080 --as-of 2027-01-01
    """
    from thutuc.check import today_vn
    from thutuc.serve import serve as run

    with _no_traceback():
        run(catalogue, build_dir, host, port, as_of.date() if as_of else today_vn(), click.echo)
