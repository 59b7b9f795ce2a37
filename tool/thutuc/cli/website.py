"""Commands for the public website: build, serve, export."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from thutuc.cli.common import DAY, no_traceback, site_url
from thutuc.i18n import _, language


@click.command()
@click.option("--catalogue", "catalogue", default="catalogue", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The catalogue folder.")
@click.option("--out", default="public", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where the site is published; replaced whole, only when the build succeeds.")
@click.option("--build-dir", default="build/site", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Where the generated Markdown and mkdocs.yml go (never into site/).")
@click.option("--as-of", "as_of", type=DAY, default=None,
              help="Show the catalogue as on this date (YYYY-MM-DD). Default: today in Vietnam.")
@click.option("--site-url", default=None, callback=lambda ctx, param, value: site_url(value),
              help="Public address of the site (default: office.site_url).")
@click.option("--no-pdf", is_flag=True, help="Skip the printable checklist PDFs (faster previews).")
def build(catalogue: Path, out: Path, build_dir: Path, as_of, site_url: str | None, no_pdf: bool) -> None:
    """Build the public website from the catalogue.

    Checks the catalogue first and stops with the report on any error. The previous site in
    --out stays exactly as it was unless the whole build succeeds.

    \b
    Examples:
      thutuc build                           # catalogue/ -> public/
      thutuc build --out /srv/www/thutuc --site-url https://thutuc.example.vn/
      thutuc build --as-of 2027-01-01        # preview the catalogue as on 1 January 2027
    """
    import signal

    from thutuc.catalogue.check import today_vn
    from thutuc.problems import format_text
    from thutuc.website.build import BuildError
    from thutuc.website.build import build as build_site

    # `kill` (SIGTERM) ends the build like Ctrl+C does: its half-made copy of the site is removed.
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))

    with no_traceback():
        try:
            summary = build_site(catalogue, out, gen=build_dir,
                                 as_of=as_of.date() if as_of else today_vn(), site_url=site_url,
                                 progress=lambda line: click.echo(f"  {line}", err=True), pdfs=not no_pdf)
        except BuildError as exc:
            if exc.result is not None:
                click.echo(format_text(exc.result.problems))
            click.echo(f"thutuc build: {exc}", err=True)
            sys.exit(1)
    seconds = f"{summary.seconds:.1f}"
    click.echo(_("Built {procedures} procedures, {pages} pages, {regenerated} PDFs regenerated / {reused} reused "
                 "in {seconds} s -> {index}").format(
        procedures=summary.procedures, pages=summary.pages, regenerated=summary.pdfs_regenerated,
        reused=summary.pdfs_reused, index=f"{summary.out}/index.html",
        seconds=seconds.replace(".", ",") if language() == "vi" else seconds))  # 16,3 giây in Vietnamese


@click.command()
@click.option("--catalogue", "catalogue", default="catalogue", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The catalogue folder.")
@click.option("--build-dir", default="build/preview", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where the preview's Markdown goes.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--as-of", "as_of", type=DAY, default=None,
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
    from thutuc.catalogue.check import today_vn
    from thutuc.website.serve import serve as run

    with no_traceback():
        run(catalogue, build_dir, host, port, as_of.date() if as_of else today_vn(), click.echo)



@click.command()
@click.option("--catalogue", default="catalogue", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="The catalogue folder.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "jsonld"]), default="json", show_default=True,
              help="json: every procedure in the versioned export shape (schemas/export/); csv: one row per "
                   "active or suspended procedure, for spreadsheets; jsonld: schema.org GovernmentService with CPSV-AP terms.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file, replaced in one step ('-' or no option: standard output).")
@click.option("--as-of", "as_of", type=DAY, default=None,
              help="Export the catalogue as on this date (YYYY-MM-DD): only papers and fees in force then. "
                   "Default: every paper and fee, with the dates it applies.")
def export(catalogue: Path, fmt: str, output: Path | None, as_of) -> None:
    """Export the catalogue as open data for other systems: JSON, CSV or JSON-LD.

    Checks the catalogue first and exports nothing when it has errors (exit 1). The same catalogue
    always gives the same bytes.

    \b
    Examples:
      thutuc export -o thu-tuc.json                  # the versioned JSON shape
      thutuc export --format csv -o thu-tuc.csv      # for Excel (UTF-8 with BOM)
      thutuc export --format jsonld -o thu-tuc.jsonld
      thutuc export --as-of 2027-01-01 | jq '.procedures | length'
    """
    from thutuc.catalogue.model import load
    from thutuc.outputs import write_output
    from thutuc.problems import format_text
    from thutuc.website.export import export as run
    from thutuc.website.export import exported_procedures, listed_procedures

    with no_traceback():
        day = as_of.date() if as_of else None
        result, cat = load(catalogue, today=day)
        if cat is None:
            click.echo(format_text(result.problems), err=True)
            click.echo("thutuc export: " + _("the catalogue has errors; nothing was exported"), err=True)
            sys.exit(1)
        text = run(cat, fmt, as_of=day)
        if output is None or str(output) == "-":
            sys.stdout.buffer.write(text.encode("utf-8"))  # UTF-8 whatever the terminal's locale
            sys.stdout.flush()
            return
        write_output(output, text, catalogue)
        count = len(exported_procedures(cat) if fmt == "json" else listed_procedures(cat))
        click.echo(_("{count} procedure(s) exported as {format} to {path}").format(
            count=count, format=fmt, path=output))
