"""The interface is Chinese: the zh_Hans catalogue is complete, compiled, and used by default."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdf]|%[sd]")


def test_every_message_has_a_chinese_translation_with_the_same_placeholders():
    po = polib.pofile(str(PO))
    assert len(po) > 500
    untranslated = [e.msgid for e in po if not (e.msgstr or any(e.msgstr_plural.values()))]
    assert untranslated == []
    assert [e.msgid for e in po if "fuzzy" in e.flags] == []
    for e in po:
        if e.msgstr:
            assert sorted(PLACEHOLDER.findall(e.msgid)) == sorted(PLACEHOLDER.findall(e.msgstr)), e.msgid


def test_every_plural_translation_names_what_its_msgid_names():
    """Chinese has one plural form; it uses the placeholders of the English plural, no other (a stale guess of
    msgmerge once put "%(code)s 不能锁定：%(reason)s" on the bulk lock's report, a KeyError for every chief judge, and
    "查看会籍转接" on the batch confirmation that must say how many)."""
    for e in polib.pofile(str(PO)):
        if e.msgid_plural and "fuzzy" not in e.flags:
            for text in e.msgstr_plural.values():
                if text:
                    assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(e.msgid_plural)), e.msgid


def test_the_compiled_catalogue_matches_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    polib.pofile(str(PO)).save_as_mofile(str(compiled))
    assert compiled.read_bytes() == PO.with_suffix(".mo").read_bytes()


def test_chinese_is_the_default_language(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()
    with translation.override("zh-hans"):
        assert translation.gettext("Grassroots union") == "基层工会"
