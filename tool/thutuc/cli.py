"""The `thutuc` command line: thin click commands over the library."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from thutuc import __version__
from thutuc.i18n import LANGUAGES, _, language, set_language

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Day(click.DateTime):
    """A day written YYYY-MM-DD, within the years whose days off thutuc knows: a date outside
    them cannot be shown, counted or reviewed, so it is a usage error, not a crash further on."""

    name = "date"

    def __init__(self) -> None:
        super().__init__(["%Y-%m-%d"])

    def convert(self, value, param, ctx):
        from thutuc.workdays import FIRST_YEAR, LAST_YEAR

        day = super().convert(value, param, ctx)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.fail(_("{date} is outside the years whose days off thutuc knows ({first}–{last})").format(
                date=day.date().isoformat(), first=FIRST_YEAR, last=LAST_YEAR), param, ctx)
        return day


DAY = Day()


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="thutuc")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Language of thutuc's messages: en or vi (tiếng Việt). "
                   "Default: vi when LC_ALL, LC_MESSAGES or LANG starts with vi, else en.")
def main(lang: str | None) -> None:
    """thutuc keeps a public office's administrative procedures as validated YAML and builds a
    citizens' website and per-applicant checklists from them.

    \b
    Examples:
      thutuc check catalogue
      thutuc check catalogue --format json
    """
    set_language(lang)


@main.command()
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
    from thutuc.check import check_catalogue
    from thutuc.problems import format_json, format_text

    with _no_traceback():
        result = check_catalogue(catalogue, today=as_of.date() if as_of else None)
    click.echo(format_json(result.problems) if fmt == "json" else format_text(result.problems))
    _fast_exit(0 if result.ok(strict) else 1)


def _fast_exit(status: int) -> None:
    """Exit without freeing, one by one, the millions of objects a big catalogue loads into
    (0.3 s at 5,000 procedures). Only for a command that has written all it had to write."""
    sys.stdout.flush()
    sys.stderr.flush()
    if "pytest" in sys.modules:  # click's test runner catches SystemExit; os._exit would end the tests
        sys.exit(status)
    os._exit(status)


@contextmanager
def _no_traceback():
    """A bug must not greet an editor with a traceback: say what happened, keep details opt-in."""
    from thutuc.outputs import OutputError

    try:
        yield
    except (click.ClickException, click.Abort, click.exceptions.Exit):
        raise  # click reports these itself (a usage error, Ctrl+C at a prompt): they are no bug
    except OutputError as exc:  # a place thutuc will not or cannot write: the user's to choose
        click.echo(f"thutuc: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("THUTUC_DEBUG"):
            raise
        click.echo("thutuc: " + _("internal error ({error}). This is a bug in thutuc, not in your files; run "
                                  "again with THUTUC_DEBUG=1 and report the output.").format(
                                      error=f"{type(exc).__name__}: {exc}"), err=True)
        sys.exit(1)


def _site_url(value: str | None) -> str | None:
    """--site-url is written into every page: http(s) only, nothing that could end an attribute."""
    from thutuc.escaping import valid_url

    if value is not None and not valid_url(value):
        raise click.BadParameter(_("'{value}' is not a web address: use http:// or https:// with no spaces, quotes, "
                                   "angle brackets, braces, backslashes or backticks").format(value=value))
    return value


@main.command()
@click.option("--catalogue", "catalogue", default="catalogue", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The catalogue folder.")
@click.option("--out", default="public", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where the site is published; replaced whole, only when the build succeeds.")
@click.option("--build-dir", default="build/site", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Where the generated Markdown and mkdocs.yml go (never into site/).")
@click.option("--as-of", "as_of", type=DAY, default=None,
              help="Show the catalogue as on this date (YYYY-MM-DD). Default: today in Vietnam.")
@click.option("--site-url", default=None, callback=lambda ctx, param, value: _site_url(value),
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

    from thutuc.build import BuildError, build as build_site
    from thutuc.check import today_vn
    from thutuc.problems import format_text

    # `kill` (SIGTERM) ends the build like Ctrl+C does: its half-made copy of the site is removed.
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))

    with _no_traceback():
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


@main.command()
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
    from thutuc.check import today_vn
    from thutuc.serve import serve as run

    with _no_traceback():
        run(catalogue, build_dir, host, port, as_of.date() if as_of else today_vn(), click.echo)


def _load_catalogue(catalogue: Path):
    """The model (cached while the catalogue is unchanged), or the check report and exit 1."""
    from thutuc.model import load_model
    from thutuc.problems import format_text

    result, cat = load_model(catalogue)
    if cat is None:
        click.echo(format_text(result.problems), err=True)
        click.echo("thutuc: " + _("the catalogue has errors; fix them first (thutuc check)"), err=True)
        sys.exit(1)
    return cat


def _ask(proc, missing):
    """Ask the missing questions (the catalogue's, in Vietnamese) on a terminal; keep asking until an
    answer fits."""
    from thutuc.tailor import AnswerError, counted, parse_answer

    answers, whole = {}, counted(proc)
    click.echo(_("Procedure: {title}").format(title=proc.title), err=True)
    for q in missing:
        hint = ""
        if q.type == "boolean":
            hint = " (" + _("yes/no") + ")"
        elif q.type == "choice":
            for i, o in enumerate(q.options, 1):
                click.echo(f"  {i}. {o['label']}", err=True)
            hint = f" (1–{len(q.options)})"
        elif q.type == "number" and q.unit:
            hint = f" ({q.unit})"
        elif q.type == "date":
            hint = " (dd/mm/yyyy)"
        while True:
            raw = click.prompt(f"{q.ask}{hint}", err=True)
            try:
                answers[q.key] = parse_answer(q, raw, q.key in whole)
                break
            except AnswerError as exc:
                click.echo(f"  {exc}", err=True)
    return answers


@main.command()
@click.argument("procedure", required=False)
@click.option("--catalogue", default="catalogue", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("-a", "--answer", "answer", multiple=True, metavar="KEY=VALUE",
              help="An answer, e.g. -a nop_thay=khong. Repeat for each question.")
@click.option("--answers", "answers_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Answers from a YAML or JSON file (a mapping of key: value).")
@click.option("--generic", is_flag=True, help="The general list for everyone: papers that depend on answers marked 'Nếu …'.")
@click.option("--channel", type=click.Choice(["in_person", "online", "post"]), default="in_person", show_default=True)
@click.option("--applicant", default="", help="Applicant's full name.")
@click.option("--address", default="", help="Applicant's address.")
@click.option("--phone", default="", help="Applicant's phone.")
@click.option("--email", default="", help="Applicant's e-mail.")
@click.option("--submitted", default=None, help="When the file is (or was) handed in, e.g. '2026-11-26 15:30'. Default: now, Vietnam time.")
@click.option("--as-of", "as_of", type=DAY, default=None,
              help="The catalogue as on this date (fees, papers in force); the file counts as handed in at 08:00 that day unless --submitted says otherwise.")
@click.option("--have", multiple=True, metavar="DOC",
              help="A paper the applicant brought (its id or name). With --have the output is the request to complete the file when something is missing.")
@click.option("--receipt", is_flag=True, help="With --have: when nothing is missing, print the receipt with the appointment date.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html", "md", "json"]), default="pdf", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file ('-' for standard output). Default: <procedure>-<date>.<format> here.")
@click.option("--code", default=None, help="Make again the checklist with this code (printed at the bottom of every checklist).")
@click.option("--batch", "batch_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A CSV file with one applicant per row (answer keys as columns; optional applicant, address, phone, email, channel, submitted, procedure).")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("checklists"), show_default=True,
              help="Where --batch writes its files.")
@click.option("--append-forms", is_flag=True, help="Append the blank PDF forms of the listed papers (PDF output).")
def checklist(procedure, catalogue, answer, answers_file, generic, channel, applicant, address, phone, email,
              submitted, as_of, have, receipt, fmt, output, code, batch_file, out_dir, append_forms) -> None:
    """Make the checklist for one applicant: their papers, fees, and the date the result is due.

    PROCEDURE is the procedure's id or national code. Missing answers are asked on a terminal;
    elsewhere the command lists them and exits 1.

    \b
    Examples:
      thutuc checklist 1.001193 -a dung_han=co -a giay_to_ve_viec_sinh=giay_chung_sinh \\
          -a mang_thai_ho=khong -a nop_thay=khong -a so_ban_sao=1 --applicant "Nguyễn Văn An"
      thutuc checklist dang-ky-ket-hon --generic --format html -o ket-hon.html
      thutuc checklist 1.001193 --have to-khai --have tuy-than ...   # what is still missing
      thutuc checklist --code 1.001193_7407e2_i2611261530_1.0.0.0.2_4G
      thutuc checklist du-tuyen-giao-vien --batch ung-vien.csv --out-dir phieu/
    """
    from thutuc import checklist as ck
    from thutuc.outputs import write_output
    from thutuc.produce import check_printable, filename, now, parse_when, read_batch, render_checklist, run_batch
    from thutuc.render import MissingGlyph
    from thutuc.tailor import AnswerError, match_documents, read_answers, read_answers_file
    from thutuc.workdays import CalendarError

    with _no_traceback():
        cat = _load_catalogue(catalogue)
        try:
            when = (parse_when(submitted) if submitted
                    else parse_when(f"{as_of.date().isoformat()} 08:00") if as_of else now())
            if batch_file:
                with click.progressbar(length=len(read_batch(batch_file)),
                                       label=_("Making checklists"), file=sys.stderr) as bar:
                    results = run_batch(cat, procedure, batch_file, out_dir, fmt, channel, when, lambda: bar.update(1))
                bad = [r for r in results if r.error]
                for r in bad:
                    click.echo(_("{file}: row {row}: {error}").format(file=batch_file, row=r.row, error=r.error),
                               err=True)
                click.echo(_("{made} checklist(s) in {folder}, {failed} row(s) failed").format(
                    made=len(results) - len(bad), folder=f"{out_dir}/", failed=len(bad)))
                sys.exit(1 if bad else 0)
            if code:
                decoded = ck.decode(cat, code)
                if not cat.version.startswith(decoded.version):
                    click.echo(_("warning: this code was made with catalogue version {then}; the catalogue is "
                                 "now {now}, so the list may differ").format(then=decoded.version,
                                                                            now=cat.version[:6]), err=True)
                proc, answers, channel, when = decoded.procedure, decoded.answers, decoded.channel, decoded.submitted
            else:
                if not procedure:
                    raise click.UsageError(_("give a PROCEDURE (id or national code), --code or --batch"))
                proc = ck.find_procedure(cat, procedure)
                given, where = read_answers_file(answers_file) if answers_file else ({}, {})
                for item in answer:
                    key, sep, value = item.partition("=")
                    if not sep:
                        raise AnswerError(_("--answer {answer}: write it as KEY=VALUE, e.g. nop_thay=khong").format(
                            answer=repr(item)))
                    given[key.strip()] = value.strip()
                    where.pop(key.strip(), None)
                if generic:
                    answers = None
                else:
                    answers, missing = read_answers(proc, given, where)
                    if missing and sys.stdin.isatty():
                        answers.update(_ask(proc, missing))
                    elif missing:
                        lines = "\n".join(f"  -a {q.key}=…   {q.ask}" for q in missing)
                        raise AnswerError(_("missing answers for procedure '{id}':\n{lines}").format(
                            id=proc.id, lines=lines))
            check_printable(fmt, {"--applicant": applicant, "--address": address, "--phone": phone,
                                  "--email": email})
            have_ids = match_documents(proc, have) if have else None
            cl = ck.make(cat, proc, answers, channel, when,
                         ck.Applicant(applicant, address, phone, email), have=have_ids, receipt=receipt)
        except (AnswerError, CalendarError) as exc:
            click.echo(f"thutuc checklist: {exc}", err=True)
            sys.exit(1)
        try:
            data = render_checklist(cl, fmt, cat, append_forms,
                                    warn=lambda message: click.echo(f"thutuc checklist: warning: {message}", err=True))
        except MissingGlyph as exc:  # a catalogue text `check` let through: still no traceback
            click.echo(f"thutuc checklist: {exc}", err=True)
            sys.exit(1)
        if output is not None and str(output) == "-":
            sys.stdout.buffer.write(data)
            return
        target = output or Path(filename(cl, fmt))
        write_output(target, data, catalogue)
        if cl.due and cl.answers is not None:
            message = {"checklist": _("checklist written to {path} (code {code}; result due {due})"),
                       "missing": _("request to complete the file written to {path} (code {code}; result due {due})"),
                       "receipt": _("receipt written to {path} (code {code}; result due {due})")}[cl.kind]
        else:
            message = {"checklist": _("checklist written to {path} (code {code})"),
                       "missing": _("request to complete the file written to {path} (code {code})"),
                       "receipt": _("receipt written to {path} (code {code})")}[cl.kind]
        click.echo(message.format(path=target, code=cl.code,
                                  due=cl.due.at.strftime("%H:%M %d/%m/%Y") if cl.due else ""))


@main.command()
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
    from thutuc.check import check_catalogue, today_vn
    from thutuc.outputs import write_output
    from thutuc.review import KINDS, format_json, format_md, format_table, review as run

    kinds = {k.strip() for k in fail_on.split(",") if k.strip()}
    unknown = kinds - set(KINDS)
    if unknown:
        raise click.BadParameter(_("unknown kind(s): {unknown}; use: {kinds}").format(
            unknown=", ".join(sorted(unknown)), kinds=", ".join(KINDS)), param_hint="--fail-on")
    with _no_traceback():
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
    from thutuc.edit import EditError, apply
    from thutuc.problems import format_text

    with _no_traceback():
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
    from thutuc.check import today_vn

    return value.date() if value else today_vn()


@main.command()
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
    from thutuc.edit import retire as run

    _apply_edit(catalogue, lambda: [run(catalogue, procedure, on.date(), reason, superseded_by)], dry_run,
                _("retired {procedure}: {count} file(s) changed"), procedure=procedure)


@main.command()
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
    from thutuc.edit import reviewed as run

    _apply_edit(catalogue, lambda: [run(catalogue, procedure, by, _date_option(on))], dry_run,
                _("recorded the review of {procedure}: {count} file(s) changed"), procedure=procedure)


@main.command()
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
    from thutuc.edit import reassign as run

    _apply_edit(catalogue, lambda: run(catalogue, from_agency, to_agency, level), dry_run,
                _("moved procedures from {old} to {new}: {count} file(s) changed"), old=from_agency, new=to_agency)


@main.command()
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
    from thutuc.changes import BrokenVersion, compare, format_json, format_md, load_version
    from thutuc.outputs import write_output

    with _no_traceback():
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


@main.command()
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
    from thutuc.export import export as run, exported_procedures, listed_procedures
    from thutuc.model import load
    from thutuc.outputs import write_output
    from thutuc.problems import format_text

    with _no_traceback():
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


@main.command("fmt")
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
    from thutuc.fmt import format_paths

    if not paths:
        if not Path("catalogue").is_dir():
            raise click.UsageError(_("there is no catalogue folder here; give the files or folders to format"))
        paths = (Path("catalogue"),)
    with _no_traceback():
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


@main.command("new")
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
    from thutuc.scaffold import ScaffoldError, new_procedure

    def prompt_title() -> str:
        return click.prompt(_("Title (tên thủ tục), as in the decision that publishes it"), err=True)

    ask = prompt_title if title is None and sys.stdin.isatty() else None
    with _no_traceback():
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


@main.command("schema")
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
    from thutuc.scaffold import export_schemas, schema_file, schema_names, schema_uses

    try:
        path = schema_file(name) if name else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="NAME") from None
    with _no_traceback():
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
