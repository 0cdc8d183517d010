"""The content security policy allows only our own scripts: an inline handler (onclick="…", onchange="…") or a
javascript: link in a template is dead in the browser. None may come back."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "gongjiang"
INLINE = re.compile(r"""\son[a-z]+\s*=\s*["']|href\s*=\s*["']javascript:""", re.I)


def test_no_template_has_an_inline_handler():
    found = [f"{p.relative_to(ROOT)}:{n}" for p in ROOT.rglob("templates/**/*.html")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if INLINE.search(line)]
    assert found == []


def test_the_check_finds_one():
    assert INLINE.search('<input type="checkbox" onclick="go()">')
    assert not INLINE.search('<input data-batch-all form="x">')
