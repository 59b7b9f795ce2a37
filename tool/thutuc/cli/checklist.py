"""The checklist command: one applicant's papers, slips and receipts."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from thutuc.cli.common import DAY, load_catalogue, no_traceback
from thutuc.i18n import _


def ask(proc, answers):
    """Ask the questions still unanswered (the catalogue's, in Vietnamese) on a terminal, in order,
    each only if the answers before it ask it (its when); keep asking until an answer fits.
    Returns the answers given here."""
    from thutuc.checklist.tailor import AnswerError, asked, counted, parse_answer

    given, decided, whole = {}, {}, counted(proc)
    click.echo(_("Procedure: {title}").format(title=proc.title), err=True)
    for q in proc.questions:
        if asked(q, decided) is not True:
            decided[q.key] = None
            continue
        if q.key in answers:
            decided[q.key] = answers[q.key]
            continue
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
                given[q.key] = decided[q.key] = parse_answer(q, raw, q.key in whole)
                break
            except AnswerError as exc:
                click.echo(f"  {exc}", err=True)
    return given


def _only_if(proc, q, answers) -> str:
    """' (chỉ khi …)' after a missing question that the answers still missing may not ask."""
    from thutuc.checklist.tailor import asked
    from thutuc.wording import describe_condition

    if q.when is None or asked(q, answers) is True:
        return ""
    return "   " + _("(only if {condition})").format(condition=describe_condition(q.when, proc))


@click.command()
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
@click.option("--lookup-failed", "lookup_failed", multiple=True, metavar='DOC="REASON"',
              help="A paper the office looks up but could not read, with the reason, e.g. "
                   "--lookup-failed cu-tru=\"không có dữ liệu\". Its fallback goes on the request to complete the file. "
                   "Repeat for each.")
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
              submitted, as_of, have, lookup_failed, receipt, fmt, output, code, batch_file, out_dir,
              append_forms) -> None:
    """Make the checklist for one applicant: their papers, fees, and the date the result is due.

    PROCEDURE is the procedure's id or national code. Missing answers are asked on a terminal;
    elsewhere the command lists them and exits 1.

    \b
    Examples:
      thutuc checklist 1.001193 -a dung_han=co -a giay_to_ve_viec_sinh=giay_chung_sinh \\
          -a mang_thai_ho=khong -a nop_thay=khong -a so_ban_sao=1 --applicant "Nguyễn Văn An"
      thutuc checklist dang-ky-ket-hon --generic --format html -o ket-hon.html
      thutuc checklist 1.001193 --have to-khai --have tuy-than ...   # what is still missing
      thutuc checklist dang-ky-thuong-tru ... --have to-khai --lookup-failed cho-o="không có dữ liệu" --receipt
      thutuc checklist --code 1.001193_7407e2_i2611261530_1.0.0.0.2_4G
      thutuc checklist du-tuyen-giao-vien --batch ung-vien.csv --out-dir phieu/
    """
    from thutuc.checklist import make as ck
    from thutuc.checklist.produce import (
        check_printable,
        filename,
        now,
        parse_when,
        read_batch,
        render_checklist,
        run_batch,
    )
    from thutuc.checklist.render import MissingGlyph
    from thutuc.checklist.tailor import (
        AnswerError,
        documents_for,
        match_documents,
        match_lookup_failed,
        read_answers,
        read_answers_file,
    )
    from thutuc.checklist.workdays import CalendarError
    from thutuc.outputs import write_output

    with no_traceback():
        cat = load_catalogue(catalogue)
        try:
            when = (parse_when(submitted) if submitted
                    else parse_when(f"{as_of.date().isoformat()} 08:00") if as_of else now())
            if batch_file:
                with click.progressbar(length=len(read_batch(batch_file)),
                                       label=_("Making checklists"), file=sys.stderr) as bar:
                    results = run_batch(cat, procedure, batch_file, out_dir, fmt, channel, when, lambda: bar.update(1))
                bad = [r for r in results if r.error]
                for r in results:
                    for message in r.warnings:
                        click.echo(_("{file}: row {row}: warning: {message}").format(
                            file=batch_file, row=r.row, message=message), err=True)
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
                for message in decoded.warnings:
                    click.echo(_("thutuc checklist: warning: {message}").format(message=message), err=True)
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
                    ignored: list[str] = []
                    answers, missing = read_answers(proc, given, where, ignored)
                    for message in ignored:
                        click.echo(_("thutuc checklist: warning: {message}").format(message=message), err=True)
                    if missing and sys.stdin.isatty():
                        answers.update(ask(proc, answers))
                    elif missing:
                        lines = "\n".join(f"  -a {q.key}=…   {q.ask}" + _only_if(proc, q, answers) for q in missing)
                        raise AnswerError(_("missing answers for procedure '{id}':\n{lines}").format(
                            id=proc.id, lines=lines))
            check_printable(fmt, {"--applicant": applicant, "--address": address, "--phone": phone,
                                  "--email": email})
            have_ids = match_documents(proc, have) if have else None
            failed = None
            if lookup_failed:
                check_printable(fmt, {"--lookup-failed": " ".join(lookup_failed)})
                case_docs = [d for d, _c in documents_for(proc, answers, channel, when.date())]
                failed = match_lookup_failed(proc, lookup_failed, case_docs)
            cl = ck.make(cat, proc, answers, channel, when,
                         ck.Applicant(applicant, address, phone, email), have=have_ids, receipt=receipt,
                         lookup_failed=failed)
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
        if any(r.own for r in cl.results):  # each result on its own date: "Biển số xe 10:00 01/12/2026; …"
            due_text = "; ".join(f"{r.result.name} {r.due.at.strftime('%H:%M %d/%m/%Y')}" for r in cl.results if r.due)
        else:
            due_text = cl.due.at.strftime("%H:%M %d/%m/%Y") if cl.due else ""
        click.echo(message.format(path=target, code=cl.code, due=due_text))
