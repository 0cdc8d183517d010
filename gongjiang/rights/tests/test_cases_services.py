"""The rights-case verbs: filing (phone, hotline), routing, steps, notes, documents, transfer, closing; the worker
told at each step; the figures in the fact store; every bad input refused with nothing changed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongjiang.core.errors import DomainError
from gongjiang.core.models import AuditEvent, Notification
from gongjiang.orgs import facts
from gongjiang.orgs.fact_models import Fact, Period
from gongjiang.rights import case_figures, services
from gongjiang.rights.models import Case, CaseDocument, CaseEntry

from .case_factories import accepted, closed, hotline_case, pdf, phone_case

D = datetime.date


def fact(org, key, year=None):
    year = year or datetime.date.today().year
    row = Fact.objects.filter(org=org, metric=key, period=Period.YEAR, start=D(year, 1, 1)).first()
    return row.value if row else 0


def state():
    return (Case.objects.count(), CaseEntry.objects.count(), CaseDocument.objects.count(), AuditEvent.objects.count(),
            Notification.objects.count(), list(Case.objects.values_list("step", "handler_id", "result", "recovered")))


def test_a_worker_files_on_the_phone_and_it_goes_to_the_enterprise_union(sd):
    case = phone_case(sd)
    assert case.handler == sd.steel and case.site == sd.steel and case.worker == sd.worker_person
    assert case.account == sd.worker and case.worker_name == "李强" and case.step == "filed"
    assert case.due_on == case.filed_on + datetime.timedelta(days=3)
    assert Notification.objects.filter(recipient=sd.worker, verb="rights.case.filed").exists()
    assert Notification.objects.filter(recipient=sd.enterprise_cadre, verb="rights.case.assigned").exists()
    ev = AuditEvent.objects.get(verb="rights.case.filed")
    assert "李强" not in str(ev.after) and "1391234" not in str(ev.after)  # no personal data in the audit
    assert fact(sd.steel, case_figures.kind_metric("wages")) == 1
    assert fact(sd.province, case_figures.MIGRANTS) == 2
    assert facts.differences(["rights"]) == {}


def test_asked_the_county_or_without_a_union_it_goes_to_the_county(sd):
    case = phone_case(sd, ask_county=True)
    assert case.handler == sd.lixia and case.site == sd.steel
    assert fact(sd.steel, case_figures.kind_metric("wages")) == 0  # the enterprise's figures do not tell
    assert fact(sd.lixia, case_figures.kind_metric("wages")) == 1
    free = hotline_case(sd)
    assert free.handler == sd.lixia and free.site == sd.town and free.employer is None
    assert free.channel == "hotline" and free.account is None


def test_a_hotline_case_with_an_id_number_is_encrypted_and_finds_the_person(sd):
    from gongjiang.orgs.tests.factories import person

    p = person(sd.team, "孙红", id_number="370102199001011231")
    case = hotline_case(sd, worker_id_number="370102199001011231")
    assert case.worker == p and case.worker_id_masked.endswith("1231") and "1990" not in case.worker_id_masked
    assert "370102199001011231" not in case.worker_id_encrypted
    with pytest.raises(DomainError) as e:
        hotline_case(sd, worker_id_number="370102199001011232")
    assert e.value.field == "worker_id_number"


def test_steps_forward_with_deadlines_and_the_worker_is_told(sd):
    case = phone_case(sd)
    case = services.accept_case(actor=sd.enterprise_cadre, case=case)
    assert case.step == "accepted" and case.due_on == case.step_since + datetime.timedelta(days=5)
    case = services.advance_case(actor=sd.enterprise_cadre, case=case, step="investigating", note="走访车间")
    case = services.advance_case(actor=sd.enterprise_cadre, case=case, step="mediating")
    case = services.advance_case(actor=sd.enterprise_cadre, case=case, step="legal")
    case = services.close_case(actor=sd.enterprise_cadre, case=case, result="awarded", recovered=Decimal("20000"),
                               helped=3, reason="含经济补偿金2000元")
    assert case.step == "closed" and case.due_on is None and case.closed_on is not None
    verbs = list(Notification.objects.filter(recipient=sd.worker).order_by("pk").values_list("verb", flat=True))
    assert verbs == ["rights.case.filed", "rights.case.accepted", "rights.case.investigating",
                     "rights.case.mediating", "rights.case.legal", "rights.case.closed"]
    assert list(case.entries.filter(kind="step").values_list("step", flat=True)) == [
        "filed", "accepted", "investigating", "mediating", "legal", "closed"]
    assert fact(sd.steel, case_figures.RECOVERED) == Decimal("20000")
    assert fact(sd.province, case_figures.result_metric("awarded")) == 1
    assert fact(sd.lixia, case_figures.HELPED) == 3
    assert facts.differences(["rights"]) == {}


def test_notes_documents_and_the_transfer(sd):
    case = accepted(sd, hotline_case(sd, region=sd.lixia))
    services.add_case_note(actor=sd.county_cadre, case=case, text="已电话联系包工头", public=True)
    docs = services.add_case_documents(actor=sd.county_cadre, case=case, uploads=[pdf()])
    assert docs[0].file.name.startswith("rights/cases/") and docs[0].content_type == "application/pdf"
    assert "工资条" not in docs[0].file.name  # stored under a random name
    case = services.transfer_case(actor=sd.county_cadre, case=case, to=sd.town, reason="属街道辖区")
    assert case.handler == sd.town
    assert fact(sd.town, case_figures.kind_metric("wages")) == 1
    assert fact(sd.lixia, case_figures.kind_metric("wages")) == 1  # the town is below the county
    assert facts.differences(["rights"]) == {}
    other = services.transfer_case(actor=sd.county_cadre, case=case, to=sd.qingdao, reason="用工地在青岛")
    assert other.handler == sd.qingdao and fact(sd.lixia, case_figures.kind_metric("wages")) == 0
    assert facts.differences(["rights"]) == {}


def test_a_case_the_worker_took_to_the_county_never_goes_back_to_the_enterprise_union(sd):
    case = phone_case(sd, ask_county=True)
    before = state()
    with pytest.raises(DomainError) as e:
        services.transfer_case(actor=sd.county_cadre, case=case, to=sd.steel, reason="由企业工会处理")
    assert e.value.field == "to" and state() == before


# ---------------------------------------------------------------------------------------------
# Bad input: a clear message naming the field, nothing changed


def refused(call, field, text=""):
    before = state()
    with pytest.raises(DomainError) as e:
        call()
    assert e.value.field == field or field in e.value.errors, e.value.errors
    assert text in e.value.message or any(text in m for m in e.value.errors.values()), e.value.errors
    assert state() == before


def test_a_case_closed_without_an_outcome(sd):
    case = accepted(sd, hotline_case(sd))
    refused(lambda: services.close_case(actor=sd.county_cadre, case=case, result=""), "result", "outcome")


def test_a_case_step_out_of_order(sd):
    case = hotline_case(sd)
    refused(lambda: services.advance_case(actor=sd.county_cadre, case=case, step="mediating"), "step", "Accept")
    refused(lambda: services.close_case(actor=sd.county_cadre, case=case, result="resolved"), "step", "Accept")
    case = services.advance_case(actor=sd.county_cadre, case=accepted(sd, case), step="mediating")
    refused(lambda: services.advance_case(actor=sd.county_cadre, case=case, step="investigating"), "step",
            "forward only")
    case = accepted(sd, hotline_case(sd))
    refused(lambda: services.advance_case(actor=sd.county_cadre, case=case, step="legal"), "step", "straight")
    refused(lambda: services.accept_case(actor=sd.county_cadre, case=case), "step")
    refused(lambda: services.advance_case(actor=sd.county_cadre, case=case, step="closed"), "step", "outcome")


def test_more_recovered_than_claimed_without_a_reason(sd):
    case = accepted(sd, hotline_case(sd))
    refused(lambda: services.close_case(actor=sd.county_cadre, case=case, result="resolved",
                                        recovered=Decimal("96000.01"), helped=12), "reason", "reason")
    services.close_case(actor=sd.county_cadre, case=case, result="resolved", recovered=Decimal("100000"),
                        helped=12, reason="含拖欠期间的经济补偿")


def test_negative_amounts(sd):
    refused(lambda: hotline_case(sd, claimed=Decimal("-1")), "claimed", "negative")
    case = accepted(sd, hotline_case(sd))
    refused(lambda: services.close_case(actor=sd.county_cadre, case=case, result="partly",
                                        recovered=Decimal("-5"), helped=1), "recovered", "negative")
    refused(lambda: services.close_case(actor=sd.county_cadre, case=case, result="partly",
                                        recovered=Decimal("5"), helped=13), "helped")


def test_an_attachment_of_a_forbidden_type(sd):
    case = accepted(sd, hotline_case(sd))
    exe = SimpleUploadedFile("工资条.pdf", b"MZ\x90\x00 renamed executable", content_type="application/pdf")
    refused(lambda: services.add_case_documents(actor=sd.county_cadre, case=case, uploads=[pdf(), exe]), "files",
            "only these file types")
    refused(lambda: services.add_case_documents(
        actor=sd.county_cadre, case=case, uploads=[SimpleUploadedFile("a.exe", b"MZ")]), "files")


def test_other_bad_filings(sd):
    refused(lambda: hotline_case(sd, kind="fraud"), "kind")
    refused(lambda: hotline_case(sd, migrants=13), "migrants", "More migrant workers")
    refused(lambda: hotline_case(sd, people=0), "people")
    refused(lambda: hotline_case(sd, employer_name=""), "employer_name")
    refused(lambda: hotline_case(sd, region=None), "region")
    refused(lambda: hotline_case(sd, employer=sd.workshop), "employer")
    refused(lambda: hotline_case(sd, worker_phone="12345"), "worker_phone")
    refused(lambda: hotline_case(sd, summary="  "), "summary")
    refused(lambda: hotline_case(sd, filed_on=datetime.date.today() + datetime.timedelta(days=1)), "filed_on")
    case = closed(sd, hotline_case(sd), recovered=Decimal(1000), helped=2)
    refused(lambda: services.close_case(actor=sd.county_cadre, case=case, result="resolved"), "step", "closed")
    refused(lambda: services.transfer_case(actor=sd.county_cadre, case=case, to=sd.town, reason="x"), "step")
