"""Fill Chinese translations into the gettext catalogue from a JSON object {msgid: msgstr}.

Usage: .venv/bin/python scripts/po_fill.py translations.json
Only entries present in the catalogue are filled (run `manage.py makemessages -l zh_Hans` first);
the catalogue is locked while it is rewritten, so several people can fill at once. A string marked
with a context (`pgettext("screening result", "Clear")`) is keyed "context\u0004msgid", as gettext
itself keys it; a plain key fills only entries without a context.
"""

import fcntl
import json
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"


def fill(translations: dict) -> tuple[int, list[str]]:
    with open(CATALOGUE.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        catalogue = polib.pofile(str(CATALOGUE))
        filled = 0
        for entry in catalogue:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            if key not in translations:
                continue
            text = translations[key]
            if isinstance(text, list):  # [singular, plural]: Chinese uses one form
                text = text[0]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: text}  # Chinese has one plural form
            else:
                entry.msgstr = text
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
        catalogue.save()
        missing = [e.msgid for e in catalogue.untranslated_entries()]
    return filled, missing


if __name__ == "__main__":
    filled, missing = fill(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    print(f"filled {filled}; still untranslated: {len(missing)}")
    for msgid in missing[:50]:
        print("  ", msgid)
