"""Extract thutuc's messages, merge them into the Vietnamese catalogue and compile it (`make messages`).

    python tool/update_messages.py [TRANSLATIONS.json ...]

New messages arrive with an empty translation: fill in msgstr in
tool/thutuc/locale/vi/LC_MESSAGES/thutuc.po and run this again (tests/test_i18n.py fails until
every message has one). JSON files ({"English message": "bản dịch"}) are merged in too, for
translating many messages at once. Messages no longer in the code are dropped. The output has no
dates and is sorted, so running this twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import unicodedata
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parent / "thutuc"
PO = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "thutuc.po"
FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)  # no dates that change on every run
KEYWORDS = {"_": None, "N_": None}


def extract() -> list[str]:
    found = {msg for _, _, msg, _, _ in extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")],
                                                         keywords=KEYWORDS) if isinstance(msg, str)}
    return sorted(found)


def main(extra: list[str]) -> None:
    known: dict[str, str] = {}
    if PO.exists():
        with open(PO, "rb") as f:
            known = {m.id: m.string for m in read_po(f, locale="vi") if m.id and m.string and not m.fuzzy}
    for name in extra:
        known.update(json.loads(Path(name).read_text(encoding="utf-8")))
    catalogue = Catalog(locale="vi", domain="thutuc", project="thutuc", version="1", msgid_bugs_address="",
                        last_translator="thutuc", language_team="thutuc",
                        creation_date=FIXED, revision_date=FIXED, fuzzy=False,
                        header_comment="# Vietnamese messages of thutuc: the tool's own words (the catalogue's\n"
                                       "# content is Vietnamese already and is not here). Update with\n"
                                       "# `make messages`, then translate every empty msgstr and run it again.")
    missing, messages = 0, extract()
    for message in messages:
        string = unicodedata.normalize("NFC", known.get(message, ""))
        missing += not string
        catalogue.add(message, string, flags=("python-brace-format",) if "{" in message else ())
    PO.parent.mkdir(parents=True, exist_ok=True)
    with open(PO, "wb") as f:
        write_po(f, catalogue, width=0, no_location=True, sort_output=True, ignore_obsolete=True)
    with open(PO, "rb") as f:  # compile what was written, exactly as the test does
        compiled = read_po(f, locale="vi")
    with open(PO.with_suffix(".mo"), "wb") as f:
        write_mo(f, compiled)
    print(f"{len(messages)} messages, {missing} without a translation: {PO}")


if __name__ == "__main__":
    main(sys.argv[1:])
