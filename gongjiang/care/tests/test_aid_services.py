"""Aid programmes and cycles: build over the archive, budgets down the tree, adjustments, approval, payments by bank
batch and against a signature, reconciliation, the fact store; and every bad input refused with nothing changed."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gongjiang.care import figures, services
from gongjiang.care.models import Budget, Cycle, Entitlement, HouseholdFile, JobMatch, Payment, Programme
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.orgs import facts

from .factories import approved, cycle, programme, second_admin


def _state() -> tuple:
    return (Programme.objects.count(), Cycle.objects.count(),
            tuple(Cycle.objects.order_by("pk").values_list("state", flat=True)),
            tuple(Budget.objects.order_by("pk").values_list("org_id", "amount")),
            tuple(Entitlement.objects.order_by("pk").values_list("file_id", "amount", "state")),
            tuple(Payment.objects.order_by("pk").values_list("file_id", "state", "paid_on")),
            AuditEvent.objects.filter(verb__startswith="care.").count())


def test_a_cycle_lists_every_eligible_household_with_its_amount_and_reasons(sd, cw):
    li, wang = cw.active(), cw.active(person=sd.qd_person)
    c = cycle(cw, eligibility_rule={"grades": ["deep"]})
    assert services.build_cycle(actor=sd.province_admin, cycle=c) == 2
    rows = {e.file_id: e for e in Entitlement.objects.filter(cycle=c)}
    assert rows[li.pk].amount == Decimal("1000.00") and rows[wang.pk].union_id == sd.qd_enterprise.pk
    assert any("admitted" in r for r in rows[li.pk].reasons)
    # a city's cycle lists only its own households
    jinan = services.create_cycle(actor=sd.jinan_cadre, programme=programme(cw, owner=sd.jinan), name="济南",
                                  year=2027, budget="5000")
    assert services.build_cycle(actor=sd.jinan_cadre, cycle=jinan) == 1


def test_budgets_are_allocated_down_the_tree_and_never_overspent(sd, cw):
    cw.active()
    cw.active(person=sd.qd_person)
    c = cycle(cw, budget="3000")
    services.set_budget(actor=sd.province_admin, cycle=c, org=sd.jinan, amount="1500")
    services.set_budget(actor=sd.jinan_cadre, cycle=c, org=sd.lixia, amount="1200")
    before = _state()
    with pytest.raises(DomainError, match=r"省总工会 has 3000\.00 yuan, 1500\.00 yuan of it allocated") as e:
        services.set_budget(actor=sd.province_admin, cycle=c, org=sd.qingdao, amount="2000")
    assert e.value.code == "over_budget" and _state() == before
    with pytest.raises(PermissionDeniedError):  # a county does not set its own budget
        services.set_budget(actor=sd.county_cadre, cycle=c, org=sd.lixia, amount="9000")
    with pytest.raises(DomainError, match=r"allocated 1200\.00 yuan"):
        services.set_budget(actor=sd.province_admin, cycle=c, org=sd.jinan, amount="1000")
    services.set_budget(actor=sd.jinan_cadre, cycle=c, org=sd.lixia, amount="500")
    before = _state()
    with pytest.raises(DomainError, match=r"Over budget: 历下区总工会 has a budget of 500\.00 yuan") as e:
        services.build_cycle(actor=sd.province_admin, cycle=c)
    assert "1000.00" in e.value.message and _state() == before
    services.set_budget(actor=sd.jinan_cadre, cycle=c, org=sd.lixia, amount="1000")
    assert services.build_cycle(actor=sd.province_admin, cycle=c) == 2


def test_each_level_adds_and_removes_with_reasons_within_its_budget(sd, cw):
    li = cw.active()
    cw.active(person=sd.qd_person)
    c = cycle(cw, budget="2000")
    services.build_cycle(actor=sd.province_admin, cycle=c)
    services.set_budget(actor=sd.province_admin, cycle=c, org=sd.jinan, amount="1000")
    entitlement = Entitlement.objects.get(cycle=c, file=li)
    removed = services.remove_entitlement(actor=sd.county_cadre, entitlement=entitlement, org=sd.lixia,
                                          reason="已享受其他救助")
    assert removed.state == "removed" and removed.removed_by_org == sd.lixia
    services.set_budget(actor=sd.province_admin, cycle=c, org=sd.jinan, amount="900")
    before = _state()
    with pytest.raises(DomainError, match=r"Over budget: 济南市总工会 has a budget of 900\.00 yuan") as e:
        services.add_entitlement(actor=sd.county_cadre, cycle=c, file=li, org=sd.lixia, reason="复核后仍困难")
    assert e.value.field == "amount" and _state() == before
    services.set_budget(actor=sd.province_admin, cycle=c, org=sd.jinan, amount="1000")
    again = services.add_entitlement(actor=sd.county_cadre, cycle=c, file=li, org=sd.lixia, reason="复核后仍困难")
    assert again.pk == entitlement.pk and again.state == "listed" and again.added_by_org == sd.lixia
    with pytest.raises(DomainError, match="already on the list"):
        services.add_entitlement(actor=sd.county_cadre, cycle=c, file=li, org=sd.lixia, reason="再加")
    with pytest.raises(PermissionDeniedError):  # Qingdao's cadre is not a level above 李强's union
        services.add_entitlement(actor=sd.qingdao_cadre, cycle=c, file=li, org=sd.lixia, reason="x")


def test_bad_amount_rules_create_nothing(sd, cw):
    before = _state()
    for rule, field in (({"kind": "by_cost", "share": "150%", "cap": "3000"}, "share"),
                        ({"kind": "by_cost", "share": "0.5", "cap": "-100"}, "cap")):
        with pytest.raises(DomainError) as e:
            programme(cw, amount_rule=rule)
        assert e.value.field == field
    assert _state() == before


def test_the_list_is_approved_by_another_account_then_paid_by_bank_and_reconciled(sd, cw):
    cw.active()
    cw.active(person=sd.qd_person)
    c = cycle(cw)
    services.build_cycle(actor=sd.province_admin, cycle=c)
    services.confirm_list(actor=sd.province_admin, cycle=c)
    with pytest.raises(PermissionDeniedError, match="another cadre"):
        services.approve_cycle(actor=sd.province_admin, cycle=c)
    services.approve_cycle(actor=second_admin(cw), cycle=c)
    li, wang = HouseholdFile.objects.get(person=sd.worker_person), HouseholdFile.objects.get(person=sd.qd_person)
    services.set_payee_account(actor=sd.enterprise_cadre, file=li, holder="李强", bank_name="工商银行济南分行",
                               number="6222020200112233445")
    batch = services.make_bank_batch(actor=sd.province_admin, cycle=c, org=sd.province)
    assert batch.payments.count() == 1 and Cycle.objects.get(pk=c.pk).state == "paying"
    sheet = load_workbook(io.BytesIO(services.export_batch(actor=sd.province_admin, batch=batch))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][2] == "6222020200112233445" and values[1][4] == 1000
    assert sd.worker_person.id_number not in str(values)  # no ID number goes to the bank
    payment = batch.payments.get()
    before = _state()
    with pytest.raises(DomainError, match="Row 3: no payment GJ99999") as e:
        services.reconcile_batch(actor=sd.province_admin, batch=batch, rows=[
            {"reference": payment.reference, "result": "成功"}, {"reference": "GJ99999-1", "result": "成功"}])
    assert e.value.code == "unknown_payment" and _state() == before
    done = services.reconcile_batch(actor=sd.province_admin, batch=batch, rows=[
        {"reference": payment.reference, "result": "成功", "paid_on": timezone.localdate().isoformat()}])
    assert done == {"paid": 1, "failed": 0}
    # 王芳 has no bank account: paid in cash against her signature
    with pytest.raises(DomainError, match="not paid yet"):
        services.close_cycle(actor=sd.province_admin, cycle=c)
    services.record_payment(actor=sd.qingdao_cadre, cycle=c, file=wang, method="cash", signed_by="王芳",
                            paid_on=timezone.localdate(), signature_note="签收单第3页")
    assert services.close_cycle(actor=sd.province_admin, cycle=c).state == "reconciled"
    today = timezone.localdate()
    got = facts.values([sd.province.pk], [figures.PAID["warmth"], figures.PEOPLE["warmth"]], "Y",
                       today.replace(month=1, day=1))
    assert got[(sd.province.pk, figures.PAID["warmth"])] == Decimal("2000")
    assert got[(sd.province.pk, figures.PEOPLE["warmth"])] == 2
    assert facts.differences() == {}


def test_a_payment_to_a_household_not_on_the_list_or_a_second_one_is_refused(sd, cw):
    c = approved(cw)
    li = HouseholdFile.objects.get(person=sd.worker_person)
    entitlement = Entitlement.objects.get(cycle=c, file=li)
    services.record_payment(actor=sd.enterprise_cadre, cycle=c, file=li, method="in_kind", signed_by="李强",
                            paid_on=timezone.localdate())
    before = _state()
    with pytest.raises(DomainError, match="nobody is paid twice") as e:
        services.record_payment(actor=sd.enterprise_cadre, cycle=c, file=li, method="cash", signed_by="李强",
                                paid_on=timezone.localdate())
    assert e.value.code == "paid_twice" and _state() == before
    Entitlement.objects.filter(pk=entitlement.pk).update(state="removed")
    wang = HouseholdFile.objects.get(person=sd.qd_person)
    Entitlement.objects.filter(cycle=c, file=wang).update(state="removed")
    before = _state()
    with pytest.raises(DomainError, match="is not on the list") as e:
        services.record_payment(actor=sd.qingdao_cadre, cycle=c, file=wang, method="cash", signed_by="王芳",
                                paid_on=timezone.localdate())
    assert e.value.code == "not_listed" and _state() == before


def test_a_failed_transfer_is_paid_again_in_cash_on_its_row(sd, cw):
    c = approved(cw)
    li = HouseholdFile.objects.get(person=sd.worker_person)
    services.set_payee_account(actor=sd.enterprise_cadre, file=li, holder="李强", bank_name="工商银行",
                               number="6222020200112233445")
    batch = services.make_bank_batch(actor=sd.jinan_cadre, cycle=c, org=sd.jinan)
    ref = batch.payments.get().reference
    assert services.reconcile_batch(actor=sd.jinan_cadre, batch=batch, rows=[
        {"reference": ref, "result": "失败", "note": "账户已销户"}]) == {"paid": 0, "failed": 1}
    paid = services.record_payment(actor=sd.enterprise_cadre, cycle=c, file=li, method="cash", signed_by="李强",
                                   paid_on=timezone.localdate())
    assert paid.reference == ref and paid.state == "paid" and Payment.objects.filter(cycle=c, file=li).count() == 1
    assert facts.differences() == {}


def test_a_bad_bank_account_is_refused(sd, cw):
    li = cw.active()
    with pytest.raises(DomainError) as e:
        services.set_payee_account(actor=sd.enterprise_cadre, file=li, holder="李强", bank_name="工行",
                                   number="62-22")
    assert e.value.field == "number"


def test_job_offers_are_matched_county_first_then_city_and_outcomes_counted(sd, cw):
    li = cw.active(causes=("illness", "unemployment"))
    offer = services.create_job_offer(actor=sd.county_cadre, org=sd.lixia, kind="job", employer="历下物业公司",
                                      title="保洁员", places=2)
    assert services.match_offer(actor=sd.county_cadre, offer=offer) == 1
    match = JobMatch.objects.get(offer=offer)
    assert match.file_id == li.pk and "same county" in match.reason
    assert services.match_offer(actor=sd.county_cadre, offer=offer) == 0  # no one twice
    city = services.create_job_offer(actor=sd.jinan_cadre, org=sd.jinan, kind="training", employer="济南技师学院",
                                     title="电工培训", places=5)
    services.match_offer(actor=sd.jinan_cadre, offer=city)
    assert "same city" in JobMatch.objects.get(offer=city).reason
    services.record_outcome(actor=sd.enterprise_cadre, match=match, outcome="employed")
    with pytest.raises(DomainError, match="recorded already"):
        services.record_outcome(actor=sd.enterprise_cadre, match=match, outcome="declined")
    with pytest.raises(DomainError) as e:
        services.create_job_offer(actor=sd.county_cadre, org=sd.lixia, kind="job", employer="x", title="y",
                                  places=0)
    assert e.value.field == "places"
    assert facts.differences() == {}
