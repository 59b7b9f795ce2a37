"""The language of thutuc's own messages: English in the code, Vietnamese from a gettext catalogue.

Messages are written in English inside ``_()`` with named ``{placeholders}`` filled in *after*
translation (``_("no agency has id '{id}'").format(id=...)``), so a translator sees whole
sentences and can move the words around them. ``make messages`` extracts them with Babel into
``locale/thutuc.pot``, merges them into ``locale/vi/LC_MESSAGES/thutuc.po`` and compiles the
``.mo`` file read here by the standard library; a test fails on any message without a Vietnamese
translation.

Catalogue content (procedure titles, the website, the checklists) is Vietnamese and is not
translated: this is only about what the tool itself says to the editor.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path
from typing import Mapping

DOMAIN = "thutuc"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "vi")

_current: gettext.NullTranslations | None = None
_language = "en"


def language_from_env(environ: Mapping[str, str] = os.environ) -> str:
    """'vi' when the locale (LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them) is
    Vietnamese, else 'en'."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"


def set_language(language: str | None = None) -> str:
    """Use ``language`` ('en' or 'vi'; None: from the environment) from now on; returns it."""
    global _current, _language
    _language = language or language_from_env()
    if _language == "en":
        _current = gettext.NullTranslations()
    else:
        _current = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language])
    return _language


def language() -> str:
    if _current is None:
        set_language()
    return _language


def _(message: str) -> str:
    """``message`` in the current language."""
    if _current is None:
        set_language()
    return _current.gettext(message)


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; translate it with _() where it is used."""
    return message
