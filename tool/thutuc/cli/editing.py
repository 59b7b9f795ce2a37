"""Commands for reviewers and editors: review, retire, reviewed, reassign, diff."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from thutuc.cli.common import DAY, no_traceback
from thutuc.i18n import _


@click.command()
@click.argument("catalogue", default="catalogue", type=click.Path(file_okay=False, path_type=Path))
@click.option("--as-of", "as_of", type=DAY, default=None,
              help="Review as on this date (YYYY-MM-DD). Default: today in Vietnam.")
@click.option("--format", "fmt", type=click.Choice(["table", "md", "json"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file.")
@click.option("--fail-on", default="", metavar="KINDS",
              help="Exit 1 when findings of these kinds exist, e.g. overdue,repealed (for CI).")
def review(catalogue: Path, as_of, fmt: str, output: Path | None, fail_on: str) -> None:
    """What reviewers should look at, most urgent first, each with file:line and what to do.

    Kinds: repealed, expired, abolished-agency, abolished-level, abolished-referenced, overdue,
    not-in-force, expiring, due-soon, duplicate, unused, unknown, placeholder.

    \b
    Examples:
      thutuc review
      thutuc review --as-of 2027-01-01 --format md -o review.md
      thutuc review --fail-on overdue,repealed     # in CI
    """
    from thutuc.catalogue.check import check_catalogue, today_vn
    from thutuc.editing.review import KINDS, format_json, format_md, format_table
    from thutuc.editing.review import review as run
    from thutuc.outputs import write_output

    kinds = {k.strip() for k in fail_on.split(",") if k.strip()}
    unknown = kinds - set(KINDS)
    if unknown:
        raise click.BadParameter(_("unknown kind(s): {unknown}; use: {kinds}").format(
            unknown=", ".join(sorted(unknown)), kinds=", ".join(KINDS)), param_hint="--fail-on")
    with no_traceback():
        day = as_of.date() if as_of else today_vn()
        result = check_catalogue(catalogue, today=day)
        findings = run(result, day, catalogue)
        text = {"table": lambda: format_table(findings), "md": lambda: format_md(findings, day),
                "json": lambda: format_json(findings, day)}[fmt]()
        if output:
            write_output(output, text if text.endswith("\n") else text + "\n", catalogue)
            click.echo(_("{count} finding(s) written to {path}").format(count=len(findings), path=output))
        else:
            click.echo(text)
        if result.errors:
            click.echo(_("note: the catalogue has {count} error(s); run thutuc check").format(count=result.errors),
                       err=True)
        sys.exit(1 if any(f.kind in kinds for f in findings) else 0)


def _apply_edit(catalogue: Path, make_changes, dry_run: bool, done: str, **names: str) -> None:
    """Make the changes (a callable: the edit functions refuse with EditError), then write (or
    with dry_run show) them; ``done`` is the translated summary, filled in with ``names`` and
    {count}, the number of files changed."""
    from thutuc.editing.edit import EditError, apply
    from thutuc.problems import format_text

    with no_traceback():
        try:
            changes = make_changes()
            apply(catalogue, changes, dry_run=dry_run)
        except EditError as exc:
            if exc.result is not None:
                click.echo(format_text([p for p in exc.result.problems if p.severity == "error"]), err=True)
            click.echo(f"thutuc: {exc}", err=True)
            sys.exit(1)
        changed = [c for c in changes if c.after != c.before]
        if dry_run:
            for c in changed:
                click.echo(c.diff(catalogue.name), nl=False)
            click.echo(_("(dry run: {count} file(s) would change; nothing written)").format(count=len(changed)))
        else:
            click.echo(done.format(count=len(changed), **names))


def _date_option(value):
    from thutuc.catalogue.check import today_vn

    return value.date() if value else today_vn()


@click.command()
@click.argument("procedure")
@click.option("--catalogue", default="catalogue", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--on", "on", type=DAY, required=True, help="Date it is abolished (YYYY-MM-DD).")
@click.option("--reason", required=True, help="Why, in Vietnamese, as citizens will read it.")
@click.option("--superseded-by", default=None, help="Id of the active procedure that replaces it.")
@click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing.")
def retire(procedure, catalogue, on, reason, superseded_by, dry_run) -> None:
    """Abolish a procedure: its page stays, with the date, the reason and the successor.

    \b
    Example:
      thutuc retire cap-phep-cu --on 2026-07-01 --reason "Bãi bỏ theo Quyết định …" \\
          --superseded-by cap-giay-phep-xay-dung-nha-o-rieng-le --dry-run
    """
    from thutuc.editing.edit import retire as run

    _apply_edit(catalogue, lambda: [run(catalogue, procedure, on.date(), reason, superseded_by)], dry_run,
                _("retired {procedure}: {count} file(s) changed"), procedure=procedure)


@click.command()
@click.argument("procedure")
@click.option("--catalogue", default="catalogue", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--by", "by", required=True, help="Who reviewed it.")
@click.option("--on", "on", type=DAY, default=None, help="Date (default: today in Vietnam).")
@click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing.")
def reviewed(procedure, catalogue, by, on, dry_run) -> None:
    """Record that a procedure was checked against its sources (last_reviewed, reviewed_by).

    \b
    Example:
      thutuc reviewed dang-ky-khai-sinh --by "Nguyễn Thị Lan"
    """
    from thutuc.editing.edit import reviewed as run

    _apply_edit(catalogue, lambda: [run(catalogue, procedure, by, _date_option(on))], dry_run,
                _("recorded the review of {procedure}: {count} file(s) changed"), procedure=procedure)


@click.command()
@click.option("--catalogue", default="catalogue", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--from-agency", required=True, help="Agency id procedures move away from.")
@click.option("--to-agency", required=True, help="Agency id they move to.")
@click.option("--level", type=click.Choice(["bo", "tinh", "xa", "khac"]), default=None,
              help="Also replace the old agency's level by this one in the moved procedures.")
@click.option("--dry-run", is_flag=True, help="Show the changes as a diff; write nothing.")
def reassign(catalogue, from_agency, to_agency, level, dry_run) -> None:
    """Move every procedure from one agency to another, for reorganisations.

    \b
    Example (the 2025 reform):
      thutuc reassign --from-agency ubnd-huyen-dong-hung --to-agency ubnd-xa --level xa --dry-run
    """
    from thutuc.editing.edit import reassign as run

    _apply_edit(catalogue, lambda: run(catalogue, from_agency, to_agency, level), dry_run,
                _("moved procedures from {old} to {new}: {count} file(s) changed"), old=from_agency, new=to_agency)


@click.command()
@click.argument("old")
@click.argument("new", default="catalogue")
@click.option("--catalogue", default="catalogue", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="The catalogue folder whose git history revisions refer to.")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
def diff(old: str, new: str, catalogue: Path, fmt: str, output: Path | None) -> None:
    """Procedures added, amended (with what changed) and abolished between two versions.

    OLD and NEW are catalogue folders or git revisions (tags, commits, HEAD~3, …) of the
    repository holding --catalogue. NEW defaults to the catalogue folder as it is now.

    \b
    Examples:
      thutuc diff v2026.06 catalogue               # since a tag, to the working files
      thutuc diff HEAD~5 HEAD --format json
      thutuc diff ../old-catalogue catalogue -o cong-bo.md
    """
    from thutuc.editing.changes import (
        BrokenVersion,
        compare,
        format_json,
        format_md,
        load_version,
    )
    from thutuc.outputs import write_output

    with no_traceback():
        try:
            old_label, a = load_version(old, catalogue)
            new_label, b = load_version(new, catalogue)
        except BrokenVersion as exc:  # its procedures would be announced as abolished
            from thutuc.problems import format_text

            click.echo(format_text(exc.problems), err=True)
            click.echo(f"thutuc diff: {exc}", err=True)
            sys.exit(1)
        except ValueError as exc:
            click.echo(f"thutuc diff: {exc}", err=True)
            sys.exit(2)
        report = compare(a, b, old_label, new_label)
        text = format_json(report) if fmt == "json" else format_md(report)
        if output:
            write_output(output, text, catalogue)
            click.echo(_("written to {path}").format(path=output))
        else:
            click.echo(text, nl=False)
