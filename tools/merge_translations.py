#!/usr/bin/env python
"""Refresh the zh_Hans catalogue: makemessages, fill msgstr from gongjiang/locale/zh/*.json, compile.

    .venv/bin/python tools/merge_translations.py [--check]

A key "context|msgid" translates a pgettext entry. Existing translations in the .po win over the JSON
fragments (so a translator's edit in the .po is kept).
Prints the msgids still untranslated; --check exits 1 if there are any.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "gongjiang" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
FRAGMENTS = ROOT / "gongjiang" / "locale" / "zh"


def main() -> int:
    # A development tool: DEBUG=1 unless the caller says otherwise (settings default to production).
    env = {"DEBUG": "1", **os.environ, "DJANGO_SETTINGS_MODULE": "gongjiang.settings"}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location",
         "--ignore=.venv/*", "--ignore=var/*", "--ignore=tests/*", "--ignore=bench/*", "--ignore=tools/*",
         "--ignore=*/tests/*"],
        cwd=ROOT / "gongjiang", env=env, check=True, stdout=subprocess.DEVNULL,
    )
    known: dict[str, str] = {}
    for f in sorted(FRAGMENTS.glob("*.json")):
        known.update(json.loads(f.read_text(encoding="utf-8")))
    po = polib.pofile(str(PO))
    po.metadata["Language"] = "zh_Hans"
    po.metadata_is_fuzzy = False
    po.metadata["Project-Id-Version"] = "gongjiang"
    po.metadata["Language-Team"] = "Gongjiang <dev@gongjiang.invalid>"
    po.metadata["Last-Translator"] = "Gongjiang developers <dev@gongjiang.invalid>"
    po.metadata["PO-Revision-Date"] = po.metadata.get("POT-Creation-Date", "")
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = []
    for entry in po:
        if entry.msgid_plural:
            if not any(entry.msgstr_plural.values()) or "fuzzy" in entry.flags:
                text = known.get(entry.msgid) or known.get(entry.msgid_plural)
                if text:
                    entry.msgstr_plural = {0: text}
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
                else:
                    missing.append(entry.msgid)
        elif not entry.msgstr or "fuzzy" in entry.flags:
            key = f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid
            if key in known:
                entry.msgstr = known[key]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            else:
                missing.append(entry.msgid)
    po.save(str(PO))
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    for m in missing:
        print(f"untranslated: {m!r}")
    print(f"{len(po)} messages, {len(missing)} untranslated")
    return 1 if (missing and "--check" in sys.argv) else 0


if __name__ == "__main__":
    sys.exit(main())
