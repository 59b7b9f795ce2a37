"""What every command shares: the date type, the way errors end a command, loading the model."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from thutuc.i18n import _

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Day(click.DateTime):
    """A day written YYYY-MM-DD, within the years whose days off thutuc knows: a date outside
    them cannot be shown, counted or reviewed, so it is a usage error, not a crash further on."""

    name = "date"

    def __init__(self) -> None:
        super().__init__(["%Y-%m-%d"])

    def convert(self, value, param, ctx):
        from thutuc.checklist.workdays import FIRST_YEAR, LAST_YEAR

        day = super().convert(value, param, ctx)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.fail(_("{date} is outside the years whose days off thutuc knows ({first}–{last})").format(
                date=day.date().isoformat(), first=FIRST_YEAR, last=LAST_YEAR), param, ctx)
        return day


DAY = Day()


def fast_exit(status: int) -> None:
    """Exit without freeing, one by one, the millions of objects a big catalogue loads into
    (0.3 s at 5,000 procedures). Only for a command that has written all it had to write."""
    sys.stdout.flush()
    sys.stderr.flush()
    if "pytest" in sys.modules:  # click's test runner catches SystemExit; os._exit would end the tests
        sys.exit(status)
    os._exit(status)


@contextmanager
def no_traceback():
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


def site_url(value: str | None) -> str | None:
    """--site-url is written into every page: http(s) only, nothing that could end an attribute."""
    from thutuc.escaping import valid_url

    if value is not None and not valid_url(value):
        raise click.BadParameter(_("'{value}' is not a web address: use http:// or https:// with no spaces, quotes, "
                                   "angle brackets, braces, backslashes or backticks").format(value=value))
    return value


def load_catalogue(catalogue: Path):
    """The model (cached while the catalogue is unchanged), or the check report and exit 1."""
    from thutuc.catalogue.model import load_model
    from thutuc.problems import format_text

    result, cat = load_model(catalogue)
    if cat is None:
        click.echo(format_text(result.problems), err=True)
        click.echo("thutuc: " + _("the catalogue has errors; fix them first (thutuc check)"), err=True)
        sys.exit(1)
    return cat
