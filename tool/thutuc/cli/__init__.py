"""The `thutuc` command line: thin click commands over the library, one module per reader."""

from __future__ import annotations

import click

from thutuc import __version__
from thutuc.cli import catalogue, checklist, editing, website
from thutuc.cli.common import CONTEXT
from thutuc.i18n import LANGUAGES, set_language


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


for _module in (catalogue, website, checklist, editing):
    for _command in vars(_module).values():
        if isinstance(_command, click.Command):
            main.add_command(_command)
