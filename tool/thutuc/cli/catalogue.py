"""Commands for the catalogue files: check, fmt, new, schema."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from thutuc.cli.common import DAY, fast_exit, no_traceback
from thutuc.i18n import _


@click.command()
@click.argument("catalogue", default="catalogue", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one 'file:line:col: severity: key: message' line per problem; json: a list of objects.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--as-of", "as_of", type=DAY, default=None,
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
    from thutuc.catalogue.check import check_catalogue
    from thutuc.problems import format_json, format_text

    with no_traceback():
        result = check_catalogue(catalogue, today=as_of.date() if as_of else None)
    click.echo(format_json(result.problems) if fmt == "json" else format_text(result.problems))
    fast_exit(0 if result.ok(strict) else 1)



@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing: list the files that would change and exit 1 if any would (for CI, pre-commit).")
def fmt_command(paths: tuple[Path, ...], check_only: bool) -> None:
    """Give YAML files the catalogue's one layout, keeping every comment and word.

    Text in Unicode NFC, no trailing spaces, exactly one final newline, mappings indented by 2
    and lists by 4 with the dash at 2; comments, key order, quoting and blank lines between
    entries stay as they are. PATHS are files or folders (default: catalogue). Changed files are
    rewritten atomically.

    A file that is not valid YAML is reported as 'file:line:col: error: message' and left as it
    is; the other files are still formatted. Exit status: 0 when all is well, 1 when a file could
    not be formatted or, with --check, when a file would change; 2 for a usage error.

    \b
    Examples:
      thutuc fmt                      # every YAML file under catalogue/
      thutuc fmt --check              # in CI or pre-commit: exit 1 if a file would change
      thutuc fmt catalogue/procedures/ho-tich/dang-ky-khai-sinh.yaml
    """
    from thutuc.editing.fmt import format_paths

    if not paths:
        if not Path("catalogue").is_dir():
            raise click.UsageError(_("there is no catalogue folder here; give the files or folders to format"))
        paths = (Path("catalogue"),)
    with no_traceback():
        report = format_paths(paths, check=check_only)
    for r in report.results:
        for p in r.problems:
            click.echo(p.format())
        if r.changed:
            click.echo((_("would reformat {path}") if check_only else _("reformatted {path}")).format(path=r.display))
    changed, failed = len(report.changed), len(report.failed)
    same = len(report.results) - changed - failed
    if check_only and changed and failed:
        summary = _("{changed} file(s) would be reformatted, {same} already formatted, {failed} could not be "
                    "formatted (left as they are); run thutuc fmt to reformat them")
    elif check_only and changed:
        summary = _("{changed} file(s) would be reformatted, {same} already formatted; run thutuc fmt to "
                    "reformat them")
    elif check_only and failed:
        summary = _("{changed} file(s) would be reformatted, {same} already formatted, {failed} could not be "
                    "formatted (left as they are)")
    elif check_only:
        summary = _("{changed} file(s) would be reformatted, {same} already formatted")
    elif failed:
        summary = _("{changed} file(s) reformatted, {same} already formatted, {failed} could not be formatted "
                    "(left as they are)")
    else:
        summary = _("{changed} file(s) reformatted, {same} already formatted")
    click.echo(summary.format(changed=changed, same=same, failed=failed))
    sys.exit(0 if report.ok else 1)


@click.command("new")
@click.argument("procedure_id", metavar="ID")
@click.option("--field", "field_id", default=None, metavar="FIELD",
              help="Field (lĩnh vực) id from fields.yaml; the file goes into procedures/FIELD/. "
                   "With --from, defaults to the copied procedure's field.")
@click.option("--from", "source", default=None, metavar="EXISTING_ID",
              help="Start from a copy of this procedure (id or national code) instead of the template.")
@click.option("--title", default=None,
              help="The official title. Asked for on a terminal when not given; otherwise a placeholder "
                   "that check warns about.")
@click.option("--catalogue", default="catalogue", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the new file instead of writing it.")
def new_command(procedure_id: str, field_id: str | None, source: str | None, title: str | None,
                catalogue: Path, dry_run: bool) -> None:
    """Start a new procedure: catalogue/procedures/FIELD/ID.yaml, as a draft.

    From a template whose comments explain every key in Vietnamese, or with --from from a copy of
    an existing procedure (without its national code, result codes and review history). What is
    not known yet is marked TODO or unknown, so `thutuc check` lists it as warnings. The
    catalogue is checked with the new file before it is written; nothing is written if that
    would bring an error. Set lifecycle.status to active when the record is complete.

    \b
    Examples:
      thutuc new dang-ky-ket-hon-luu-dong --field ho-tich --title "Đăng ký kết hôn lưu động"
      thutuc new cap-ban-sao-trich-luc-khai-tu --from cap-ban-sao-trich-luc-ho-tich
      thutuc new thu-tuc-thu --field ho-tich --dry-run
    """
    from thutuc.editing.scaffold import ScaffoldError, new_procedure

    def prompt_title() -> str:
        return click.prompt(_("Title (tên thủ tục), as in the decision that publishes it"), err=True)

    ask = prompt_title if title is None and sys.stdin.isatty() else None
    with no_traceback():
        try:
            made = new_procedure(catalogue, procedure_id, field_id, source, title, ask, dry_run=dry_run)
        except ScaffoldError as exc:
            for p in exc.problems:
                click.echo(p.format(), err=True)
            click.echo(f"thutuc new: {exc}", err=True)
            sys.exit(1)
        except click.Abort:
            click.echo("thutuc new: " + _("cancelled; nothing was written"), err=True)
            sys.exit(1)
    if dry_run:
        click.echo(made.text, nl=False)
        click.echo(_("(dry run: {path} not written; {count} thing(s) to fill in)").format(
            path=made.display, count=len(made.problems)), err=True)
        return
    for p in made.problems:
        click.echo(p.format())
    click.echo(_("created {path} as a draft: {count} thing(s) to fill in, listed above; then set "
                 "lifecycle.status to active to publish it").format(path=made.display, count=len(made.problems)))
    if made.other_errors:
        click.echo(_("note: the catalogue already had {count} error(s) elsewhere; run thutuc check").format(
            count=made.other_errors), err=True)


@click.command("schema")
@click.argument("name", required=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Copy the schema files (all of them, or NAME) into this folder instead of printing.")
def schema_command(name: str | None, out: Path | None) -> None:
    """Print the JSON Schema NAME, list the schemas, or copy them into a folder.

    Editors use the schemas for completion and hover help: an office's own catalogue repository
    can keep copies in schemas/ next to its catalogue/ (the path every catalogue file names on
    its first line).

    \b
    Examples:
      thutuc schema                    # the names and which files each describes
      thutuc schema procedure > procedure.schema.json
      thutuc schema --out schemas      # all of them, e.g. into your own repository
    """
    from thutuc.editing.scaffold import (
        export_schemas,
        schema_file,
        schema_names,
        schema_uses,
    )

    try:
        path = schema_file(name) if name else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="NAME") from None
    with no_traceback():
        if out is not None:
            written = export_schemas(out, [name] if name else None)
            click.echo(_("{count} schema file(s) written to {path}: {names}").format(
                count=len(written), path=out, names=", ".join(p.name for p in written)))
        elif path is not None:
            sys.stdout.buffer.write(path.read_bytes())
            sys.stdout.flush()
        else:
            uses = schema_uses()
            shared = _("definitions the other schemas share")
            for n in schema_names():
                click.echo(f"{n:<10} {', '.join(uses.get(n, [shared]))}")
