"""The permission matrix of rights cases and their confidentiality: every verb tried by the wrong actors (nothing
changes) and then by the right one; every page opened by each persona; and the worker's identity seen by the
handling union and those above it only — not by the employer's enterprise union when the county handles the case,
neither in the list, the detail, the timeline, a filter, an export, a document, the figures, the audit log nor the
API (joining two outputs must not reveal who complained)."""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from gongjiang.core.errors import PermissionDeniedError
from gongjiang.core.models import AuditEvent, Notification
from gongjiang.orgs.tests.factories import Province
from gongjiang.rights import services
from gongjiang.rights import urls as rights_urls
from gongjiang.rights.models import Case, CaseDocument, CaseEntry

from .case_factories import accepted, hotline_case, pdf, phone_case

D = datetime.date
COUNTY, STEEL, WORKER, VIEWER = "county_cadre", "enterprise_cadre", "worker", "jinan_viewer"
ALL_WRONG = ["anonymous", "qingdao_cadre", VIEWER, WORKER, STEEL]


def _county_case(sd: Province) -> Case:
    """The worker's complaint against the steel works, taken to the county (the steel works' union in view scope)."""
    return accepted(sd, phone_case(sd, ask_county=True))


# verb → (right actor, wrong actors, arguments)
Row = Callable[[Province], tuple[str, list[str], dict[str, Any]]]
MATRIX: dict[str, Row] = {
    "file_case": lambda sd: (COUNTY, ["anonymous", "qingdao_cadre", VIEWER, WORKER, STEEL], {
        "channel": "hotline", "kind": "wages", "summary": "欠薪", "employer_name": "劳务队", "region": sd.town,
        "worker_name": "赵大勇", "worker_phone": "13712345678"}),
    "accept_case": lambda sd: (COUNTY, ALL_WRONG, {"case": phone_case(sd, ask_county=True)}),
    "advance_case": lambda sd: (COUNTY, ALL_WRONG, {"case": _county_case(sd), "step": "investigating"}),
    "add_case_note": lambda sd: (COUNTY, ALL_WRONG, {"case": _county_case(sd), "text": "已约谈"}),
    "add_case_documents": lambda sd: (COUNTY, ["anonymous", "qingdao_cadre", VIEWER, STEEL],
                                      {"case": _county_case(sd), "uploads": [pdf()]}),
    "transfer_case": lambda sd: (COUNTY, ALL_WRONG, {"case": _county_case(sd), "to": sd.town, "reason": "属地"}),
    "close_case": lambda sd: (COUNTY, ALL_WRONG, {"case": _county_case(sd), "result": "resolved",
                                                  "recovered": Decimal(100), "helped": 1}),
    "open_case": lambda sd: (COUNTY, ["anonymous", "qingdao_cadre"], {"case": _county_case(sd)}),
    "export_cases": lambda sd: (COUNTY, ["anonymous", "qingdao_cadre", WORKER, STEEL], {
        "org": sd.lixia, "case_ids": [_county_case(sd).pk]}),
}


def _actor(sd: Any, name: str) -> Any:
    return AnonymousUser() if name == "anonymous" else getattr(sd, name)


def _state() -> tuple[Any, ...]:
    return (AuditEvent.objects.count(), CaseEntry.objects.count(), CaseDocument.objects.count(),
            list(Case.objects.values_list("pk", "step", "handler_id", "result")))


def test_every_case_verb_has_its_row():
    assert set(MATRIX) == set(services.CASE_VERBS)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_case_verb_refuses_the_wrong_actors_and_lets_the_right_one(sd, name):
    right, wrong, kwargs = MATRIX[name](sd)
    verb = getattr(services, name)
    assert "actor" in inspect.signature(verb).parameters
    before = _state()
    for who in wrong:
        with pytest.raises(PermissionDeniedError):
            verb(actor=_actor(sd, who), **kwargs)
        assert _state() == before, who
    verb(actor=_actor(sd, right), **kwargs)
    assert AuditEvent.objects.count() > before[0]


def test_a_worker_files_only_for_themselves(sd):
    with pytest.raises(PermissionDeniedError):
        services.file_case(actor=AnonymousUser(), channel="phone", kind="wages", summary="欠薪", employer=sd.steel)
    case = services.file_case(actor=sd.worker, channel="phone", kind="wages", summary="欠薪", employer=sd.steel,
                              worker_name="冒名", worker=sd.qd_person)
    assert case.worker == sd.worker_person and case.worker_name == "李强"  # the account's own person, always


# ---------------------------------------------------------------------------------------------
# Pages


def _pages(sd: Province) -> dict[str, str]:
    case = _county_case(sd)
    doc = services.add_case_documents(actor=sd.county_cadre, case=case, uploads=[pdf()])[0]
    return {
        "my_cases": reverse("rights:my_cases"),
        "case_file": reverse("rights:case_file"),
        "my_case": reverse("rights:my_case", args=[case.pk]),
        "case_list": reverse("rights:case_list") + f"?org={sd.lixia.pk}",
        "case_new": reverse("rights:case_new"),
        "case_detail": reverse("rights:case_detail", args=[case.pk]),
        "case_document": reverse("rights:case_document", args=[case.pk, doc.pk]),
        "case_action": reverse("rights:case_action", args=[case.pk, "note"]),
    }


CASE_PAGES = {"my_cases", "case_file", "my_case", "case_list", "case_new", "case_detail", "case_document",
              "case_action"}
# status per page for: county cadre, Qingdao cadre, the worker, Jinan's viewer, the steel works' union
EXPECTED = {
    "my_cases": (200, 200, 200, 200, 200),  # everyone's own (empty) list
    "case_file": (200, 200, 200, 200, 200),
    "my_case": (404, 404, 200, 404, 404),
    "case_list": (200, 404, 403, 200, 404),  # the steel works' union: ?org=历下区 is outside its reach
    "case_new": (200, 200, 403, 200, 200),  # its own unions in the form
    "case_detail": (200, 404, 403, 200, 200),  # the steel works' union: without the worker (see below)
    "case_document": (200, 404, 200, 200, 404),
}


def test_every_case_page_has_its_row(sd):
    names = {p.name for p in rights_urls.urlpatterns}
    assert CASE_PAGES <= names and set(_pages(sd)) == CASE_PAGES


def test_every_case_page_for_every_actor(sd, client):
    pages = _pages(sd)
    for name, url in pages.items():
        client.logout()
        assert client.get(url).status_code == 302, name
        if name == "case_action":
            continue
        for who, status in zip((COUNTY, "qingdao_cadre", WORKER, VIEWER, STEEL), EXPECTED[name], strict=True):
            client.force_login(getattr(sd, who))
            assert client.get(url).status_code == status, (name, who)
    url = pages["case_action"]
    for who, status in ((COUNTY, 302), ("qingdao_cadre", 404), (WORKER, 403), (VIEWER, 403), (STEEL, 403)):
        client.force_login(getattr(sd, who))
        assert client.post(url, {"text": "已约谈"}).status_code == status, who
    assert CaseEntry.objects.filter(kind="note").count() == 1


# ---------------------------------------------------------------------------------------------
# Confidentiality


def test_the_employer_union_sees_a_county_case_but_not_who_complained(sd, client):
    case = _county_case(sd)
    services.add_case_note(actor=sd.county_cadre, case=case, text="李强称已三个月未发工资")
    hidden = ["李强", "1391234", "5678", "2026年3月起", "18000", "已三个月"]
    client.force_login(sd.enterprise_cadre)
    views_before = AuditEvent.objects.filter(verb="rights.case.viewed").count()
    listing = client.get(reverse("rights:case_list") + f"?org={sd.steel.pk}").content.decode()
    assert case.number in listing and "confidential" in listing
    detail = client.get(reverse("rights:case_detail", args=[case.pk])).content.decode()
    assert 'id="confidential"' in detail and "历下区总工会" in detail
    for text in hidden:
        assert text not in listing and text not in detail, text
    # nothing personal was shown: nothing to audit
    assert AuditEvent.objects.filter(verb="rights.case.viewed").count() == views_before
    # a filter on what the list hides does not reveal it; the export leaves the case out
    migrant = client.get(reverse("rights:case_list") + f"?org={sd.steel.pk}&migrant=1").content.decode()
    assert case.number not in migrant
    export = client.get(reverse("rights:case_list") + f"?org={sd.steel.pk}&export=xlsx")
    assert export.status_code == 200 and "李强".encode() not in export.content
    # the employer's union neither handles, nor is told, nor finds the events in its audit log
    assert not Notification.objects.filter(recipient=sd.enterprise_cadre, verb__startswith="rights.case").exists()
    assert not AuditEvent.objects.for_user(sd.enterprise_cadre).filter(verb__startswith="rights.case.").exists()
    assert not case.can_handle(sd.enterprise_cadre)


def test_the_handling_union_and_those_above_see_the_worker_and_each_view_is_audited(sd, client):
    case = _county_case(sd)
    for who in (sd.county_cadre, sd.jinan_viewer, sd.province_admin):
        client.force_login(who)
        detail = client.get(reverse("rights:case_detail", args=[case.pk])).content.decode()
        assert "李强" in detail and "13912345678" in detail
        assert AuditEvent.objects.filter(verb="rights.case.viewed", actor_id=who.pk, object_id=str(case.pk)).exists()
    client.force_login(sd.county_cadre)
    listing = client.get(reverse("rights:case_list") + f"?org={sd.lixia.pk}&migrant=1").content.decode()
    assert case.number in listing and "李*" in listing and "李强" not in listing  # masked in lists
    export = client.get(reverse("rights:case_list") + f"?org={sd.lixia.pk}&export=xlsx")
    assert export.status_code == 200
    assert AuditEvent.objects.filter(verb="rights.cases.exported", actor_id=sd.county_cadre.pk).exists()


def test_an_enterprise_union_handling_its_own_case_sees_the_worker(sd, client):
    case = accepted(sd, phone_case(sd), actor=sd.enterprise_cadre)
    assert case.can_see_worker(sd.enterprise_cadre) and case.can_handle(sd.enterprise_cadre)
    client.force_login(sd.enterprise_cadre)
    assert "李强" in client.get(reverse("rights:case_detail", args=[case.pk])).content.decode()
    # the industry union reaches the steel works through its tree, but is no regional ancestor of the handler
    assert not case.can_see_worker(sd.industry_cadre)


def test_after_a_transfer_the_old_union_no_longer_sees_the_worker(sd):
    case = hotline_case(sd, region=sd.town)
    case = accepted(sd, case)
    services.transfer_case(actor=sd.county_cadre, case=case, to=sd.qingdao, reason="用工地在青岛")
    case.refresh_from_db()
    assert case.can_see_worker(sd.qingdao_cadre) and not case.can_see_worker(sd.county_cadre)
    assert Case.objects.for_user(sd.county_cadre).filter(pk=case.pk).exists()  # the workplace is in its reach
