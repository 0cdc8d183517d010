"""The markup of the archive's pages as a browser builds it: the queue's buttons inside their request's row (a form
between two cells is moved out of the table by the HTML parser, above it, where no row can be told from another),
the household form's inputs styled like every text input (an <input> without a type matches no input[type=text]),
every class of the templates defined by the style sheets."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.urls import reverse

VOID = {"input", "br", "meta", "link", "img", "hr"}


class _Markup(HTMLParser):
    """Each <form>'s action with the tags open around it (tag, id); each <input>'s attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self.inputs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append((a.get("action") or "", list(self.stack)))
        if tag == "input":
            self.inputs.append(a)
        if tag not in VOID:
            self.stack.append((tag, a.get("id") or ""))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def _parse(html: str) -> _Markup:
    m = _Markup()
    m.feed(html)
    return m


def test_the_queue_s_buttons_are_inside_their_request_s_row_cell(sd, cw, client):
    request = cw.file()
    client.force_login(sd.enterprise_cadre)
    m = _parse(client.get(reverse("care:queue")).content.decode())
    mine = [stack for action, stack in m.forms if f"/care/requests/{request.pk}/" in action]
    assert len(mine) == 2  # check (or approve) and return
    for stack in mine:
        assert stack[-1][0] == "td", stack  # a form directly in a <td>, not between cells
        assert ("tr", f"request-{request.pk}") in stack


def test_the_household_form_s_member_inputs_are_text_inputs(sd, cw, client):
    client.force_login(sd.enterprise_cadre)
    m = _parse(client.get(reverse("care:file_new")).content.decode())
    members = [a for a in m.inputs if (a.get("name") or "").startswith("m0-")]
    assert {a["name"] for a in members} == {"m0-name", "m0-id_number", "m0-monthly_income"}
    assert all(a.get("type") == "text" for a in members), members


def test_every_class_of_the_templates_is_styled():
    """An undefined class (`badge-error` for the style sheet's `badge-err`) left the queue's duplicate flags plain."""
    css = "".join(p.read_text() for p in Path(settings.BASE_DIR, "gongjiang").rglob("*.css"))
    defined = set(re.findall(r"\.([A-Za-z][\w-]*)", css))
    templates = Path(__file__).resolve().parents[1] / "templates"
    used = {c for t in templates.rglob("*.html")
            for attr in re.findall(r'class="([^"{]*)"', t.read_text()) for c in attr.split()}
    assert used and used - defined == set()
