"""The question banks' permission matrix (DESIGN §4.7): every bank verb is tried by an anonymous visitor, a cadre of
another city (Qingdao), a viewer of Jinan, a worker and a county cadre below Jinan (who may *use* a shared bank above
but not change it); each is refused and nothing changes. The right actor succeeds from the same state. Every bank
page is tried by the same personas: out of reach is a 404 (or the log-in page for a visitor), seen but not theirs
to change a 403."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from gongjiang.core.errors import PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.learning import services
from gongjiang.learning.models import Bank, Question
from gongjiang.learning.services import banks as bank_services

from .banks_factories import BankWorld, bank_world, draft
from .chinese import _english_messages, client  # noqa: F401  (this module reads the Chinese messages)

Row = Callable[[BankWorld], tuple[str, dict[str, Any]]]

MATRIX: dict[str, Row] = {
    "create_bank": lambda bw: ("jinan_cadre", {"org": bw.sd.jinan, "name": "新题库"}),
    "update_bank": lambda bw: ("jinan_cadre", {"bank": bw.jinan_bank, "name": "改名", "shared": True}),
    "add_question": lambda bw: ("jinan_cadre", {"bank": bw.jinan_bank, "draft": draft()}),
    "edit_question": lambda bw: ("jinan_cadre", {"question": bw.question(), "draft": draft(answer="B")}),
    "retire_question": lambda bw: ("jinan_cadre", {"question": bw.question()}),
    "import_questions": lambda bw: ("jinan_cadre", {"bank": bw.jinan_bank, "drafts": [draft()]}),
}
OUTSIDERS = ("anonymous", "qingdao_cadre", "jinan_viewer", "worker", "county_cadre")


@pytest.fixture
def bw(sd):
    return bank_world(sd)


def actor(bw: BankWorld, persona: str) -> Any:
    return AnonymousUser() if persona == "anonymous" else getattr(bw.sd, persona)


def rows() -> tuple[Any, ...]:
    return (Bank.objects.count(), list(Bank.objects.order_by("pk").values_list("name", "shared", "question_count")),
            list(Question.objects.order_by("pk").values_list("pk", "current", "answer")),
            AuditEvent.objects.count())


def verbs() -> dict[str, Any]:
    return {name: fn for name, fn in inspect.getmembers(bank_services, inspect.isfunction)
            if not name.startswith("_") and fn.__module__ == bank_services.__name__}


def test_every_bank_verb_has_a_row():
    assert set(verbs()) == set(MATRIX)
    assert all(getattr(services, name) is fn for name, fn in verbs().items())


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_an_outsider_is_refused_and_nothing_changes(bw, name, persona):
    _right, kwargs = MATRIX[name](bw)
    before = rows()
    with pytest.raises(PermissionDeniedError):
        verbs()[name](actor=actor(bw, persona), **kwargs)
    assert rows() == before


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_right_actor_succeeds(bw, name):
    right, kwargs = MATRIX[name](bw)
    before = rows()
    assert verbs()[name](actor=actor(bw, right), **kwargs) is not None
    assert rows() != before


def test_a_shared_bank_above_is_used_below_but_changed_only_by_its_owner(bw):
    q = bw.question(bank=bw.province_bank)
    for who in (bw.sd.jinan_cadre, bw.sd.county_cadre, bw.sd.qingdao_cadre):
        before = rows()
        with pytest.raises(PermissionDeniedError):
            services.edit_question(actor=who, question=q, draft=draft(answer="B"))
        with pytest.raises(PermissionDeniedError):
            services.update_bank(actor=who, bank=bw.province_bank, name="改名")
        assert rows() == before


# ---------------------------------------------------------------------------------------------
# Pages

PASSWORD = "Gongjiang-2026"


def client_for(bw: BankWorld, persona: str) -> Client:
    c = Client()
    if persona != "anonymous":
        user = getattr(bw.sd, persona)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        c.force_login(user)
    return c


def pages(bw: BankWorld) -> dict[str, tuple[str, str]]:
    """name -> (address, method) of every bank page, on the Jinan bank (not shared) and its question."""
    from gongjiang.learning import banks_imports

    from .banks_factories import GOOD_ROWS, xlsx

    q = bw.question()
    b = bw.jinan_bank.pk
    job = banks_imports.start_excel_import(actor=bw.sd.jinan_cadre, bank=bw.jinan_bank, upload=xlsx(GOOD_ROWS))
    return {
        "bank_import_status": (reverse("learning:bank_import_status", args=[job.pk]), "get"),
        "bank_list": (reverse("learning:bank_list"), "get"),
        "bank_create": (reverse("learning:bank_create"), "get"),
        "bank_import_template": (reverse("learning:bank_import_template"), "get"),
        "bank_detail": (reverse("learning:bank_detail", args=[b]), "get"),
        "bank_edit": (reverse("learning:bank_edit", args=[b]), "get"),
        "question_add": (reverse("learning:question_add", args=[b]), "get"),
        "bank_import": (reverse("learning:bank_import", args=[b]), "get"),
        "bank_export_xlsx": (reverse("learning:bank_export_xlsx", args=[b]), "get"),
        "bank_export_xml": (reverse("learning:bank_export_xml", args=[b]), "get"),
        "question_edit": (reverse("learning:question_edit", args=[q.pk]), "get"),
        "question_retire": (reverse("learning:question_retire", args=[q.pk]), "post"),
    }


# The answer of each persona to each page of the Jinan bank: 200 (or 302 after a POST), 403 or 404.
EXPECTED = {
    "jinan_cadre": {"question_retire": 302},
    "jinan_viewer": {"bank_create": 403, "bank_edit": 403, "question_add": 403, "bank_import": 403,
                     "question_edit": 403, "question_retire": 403},
    "county_cadre": {"bank_import_status": 404, "bank_detail": 404, "bank_edit": 404, "question_add": 404,
                     "bank_import": 404,
                     "bank_export_xlsx": 404, "bank_export_xml": 404, "question_edit": 404, "question_retire": 404},
    "worker": dict.fromkeys(["bank_import_status", "bank_list", "bank_create", "bank_import_template", "bank_detail",
                             "bank_edit",
                             "question_add", "bank_import", "bank_export_xlsx", "bank_export_xml", "question_edit",
                             "question_retire"], 403),
}
EXPECTED["qingdao_cadre"] = EXPECTED["county_cadre"]


def test_every_bank_page_is_in_the_matrix(bw):
    from gongjiang.learning.views import banks as views

    assert {p.name for p in views.urlpatterns} == set(pages(bw))


@pytest.mark.parametrize("persona", ["jinan_cadre", "jinan_viewer", "county_cadre", "qingdao_cadre", "worker"])
def test_each_persona_gets_the_answer_of_the_matrix(bw, persona):
    c = client_for(bw, persona)
    urls = pages(bw)
    before = rows()
    for name, (url, method) in urls.items():
        expected = EXPECTED[persona].get(name, 200)
        response = getattr(c, method)(url)
        assert response.status_code == expected, (persona, name, response.status_code)
    if persona != "jinan_cadre":
        assert rows() == before


def test_a_visitor_is_sent_to_log_in_from_every_bank_page(bw):
    c = Client()
    for name, (url, method) in pages(bw).items():
        response = getattr(c, method)(url)
        assert response.status_code == 302 and "/login" in response["Location"], name


def test_the_shared_province_bank_is_read_below_but_not_changed(bw):
    bw.question(bank=bw.province_bank)
    c = client_for(bw, "county_cadre")
    b = bw.province_bank.pk
    assert c.get(reverse("learning:bank_detail", args=[b])).status_code == 200
    assert c.get(reverse("learning:bank_export_xlsx", args=[b])).status_code == 200
    assert c.get(reverse("learning:bank_import", args=[b])).status_code == 403
    assert c.get(reverse("learning:question_add", args=[b])).status_code == 403
