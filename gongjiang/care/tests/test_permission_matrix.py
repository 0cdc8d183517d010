"""The archive's permission matrix (DESIGN §4.7): every verb of `care.services` is tried, in the state where the
right actor succeeds, by an anonymous visitor, a cadre of another city (Qingdao), a viewer of Jinan (for the
writing verbs), the industry union the enterprise is affiliated to (it never sees needy workers) and a worker. Each
is refused with PermissionDeniedError and nothing changes; then the right actor succeeds. A verb added without its
row fails the last test. Then every page and API read of a file's personal data: out of scope a 404, each opening
audited."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from gongjiang.care import services
from gongjiang.care.models import (
    Budget,
    CareRequest,
    CareSetting,
    Cycle,
    Entitlement,
    HouseholdFile,
    JobMatch,
    JobOffer,
    Member,
    PayeeAccount,
    Payment,
    Programme,
)
from gongjiang.core.errors import PermissionDeniedError
from gongjiang.core.models import AuditEvent

from .factories import Care, approved, cycle, programme, second_admin

Row = Callable[[Care], tuple[str, dict[str, Any]]]
OUTSIDERS = ["anonymous", "qingdao_cadre", "industry_cadre", "worker"]
WRITERS_ONLY = ["jinan_viewer"]


def _filed(cw: Care) -> CareRequest:
    return cw.file()


def _checked(cw: Care) -> CareRequest:
    return services.check_request(actor=cw.sd.enterprise_cadre, request=cw.file())


def _built(cw: Care) -> Cycle:
    cw.active()
    c = cycle(cw)
    services.build_cycle(actor=cw.sd.province_admin, cycle=c)
    return c


def _listed(cw: Care) -> Cycle:
    c = _built(cw)
    cw.sd.province_admin2 = second_admin(cw)
    return services.confirm_list(actor=cw.sd.province_admin, cycle=c)


def _paying(cw: Care) -> Cycle:
    c = approved(cw)
    for e in Entitlement.objects.filter(cycle=c).select_related("file"):
        services.record_payment(actor=cw.sd.province_admin, cycle=c, file=e.file, method="cash", signed_by="本人",
                                paid_on=e.cycle.created_at.date())
    return c


def _with_account(cw: Care) -> Cycle:
    c = approved(cw)
    li = HouseholdFile.objects.get(person=cw.sd.worker_person)
    services.set_payee_account(actor=cw.sd.enterprise_cadre, file=li, holder="李强", bank_name="工商银行",
                               number="6222020200112233445")
    return c


def _batch(cw: Care) -> Any:
    return services.make_bank_batch(actor=cw.sd.province_admin, cycle=_with_account(cw), org=cw.sd.province)


def _offer(cw: Care) -> JobOffer:
    cw.active(causes=("unemployment",))
    return services.create_job_offer(actor=cw.sd.county_cadre, org=cw.sd.lixia, kind="job", employer="物业公司",
                                     title="保洁员", places=2)


def _match(cw: Care) -> JobMatch:
    offer = _offer(cw)
    services.match_offer(actor=cw.sd.county_cadre, offer=offer)
    return JobMatch.objects.get(offer=offer)


def _li_approved(cw: Care) -> dict[str, Any]:
    c = approved(cw)
    return {"cycle": c, "file": HouseholdFile.objects.get(person=cw.sd.worker_person), "method": "cash",
            "signed_by": "李强", "paid_on": c.created_at.date()}


def _rows(b: Any) -> list[dict[str, str]]:
    return [{"reference": p.reference, "result": "成功"} for p in b.payments.all()]


AID_ROWS: dict[str, tuple[Row, list[str]]] = {
    "create_programme": (lambda cw: ("province_admin", {
        "owner": cw.sd.province, "name": "送温暖", "kind": "warmth", "eligibility_rule": {},
        "amount_rule": {"kind": "fixed", "amount": "500"}, "starts_on": datetime.date(2027, 1, 1),
        "ends_on": datetime.date(2027, 2, 1)}), [*OUTSIDERS, *WRITERS_ONLY, "county_cadre", "jinan_cadre"]),
    "create_cycle": (lambda cw: ("province_admin", {"programme": programme(cw), "name": "2027年春节送温暖",
                                                    "year": 2027, "budget": "1000"}),
                     [*OUTSIDERS, *WRITERS_ONLY, "county_cadre", "jinan_cadre"]),
    "set_budget": (lambda cw: ("province_admin", {"cycle": cycle(cw), "org": cw.sd.jinan, "amount": "500"}),
                   [*OUTSIDERS, *WRITERS_ONLY, "jinan_cadre", "county_cadre"]),
    "build_cycle": (lambda cw: ("province_admin", {"cycle": cycle(cw)}),
                    [*OUTSIDERS, *WRITERS_ONLY, "jinan_cadre"]),
    "add_entitlement": (lambda cw: ("county_cadre", {"cycle": cycle(cw), "file": cw.active(), "org": cw.sd.lixia,
                                                     "reason": "临时困难"}), [*OUTSIDERS, *WRITERS_ONLY]),
    "remove_entitlement": (lambda cw: ("county_cadre", {
        "entitlement": Entitlement.objects.get(cycle=_built(cw)), "org": cw.sd.lixia, "reason": "已就业"}),
        [*OUTSIDERS, *WRITERS_ONLY]),
    "confirm_list": (lambda cw: ("province_admin", {"cycle": _built(cw)}), [*OUTSIDERS, *WRITERS_ONLY,
                                                                            "jinan_cadre"]),
    "approve_cycle": (lambda cw: ("province_admin2", {"cycle": _listed(cw)}),
                      [*OUTSIDERS, *WRITERS_ONLY, "jinan_cadre", "province_admin"]),
    "set_payee_account": (lambda cw: ("enterprise_cadre", {"file": cw.active(), "holder": "李强",
                                                           "bank_name": "工商银行", "number": "6222020200112233"}),
                          [*OUTSIDERS, *WRITERS_ONLY]),
    "make_bank_batch": (lambda cw: ("province_admin", {"cycle": _with_account(cw), "org": cw.sd.province}),
                        [*OUTSIDERS, *WRITERS_ONLY]),
    "export_batch": (lambda cw: ("province_admin", {"batch": _batch(cw)}),
                     [*OUTSIDERS, *WRITERS_ONLY, "county_cadre", "jinan_cadre"]),
    "record_payment": (lambda cw: ("enterprise_cadre", _li_approved(cw)), [*OUTSIDERS, *WRITERS_ONLY]),
    "reconcile_batch": (lambda cw: ("province_admin", (lambda b: {"batch": b, "rows": _rows(b)})(_batch(cw))),
                        [*OUTSIDERS, *WRITERS_ONLY, "jinan_cadre"]),
    "close_cycle": (lambda cw: ("province_admin", {"cycle": _paying(cw)}), [*OUTSIDERS, *WRITERS_ONLY,
                                                                            "jinan_cadre"]),
    "create_job_offer": (lambda cw: ("county_cadre", {"org": cw.sd.lixia, "kind": "training", "employer": "技校",
                                                      "title": "电工", "places": 3}), [*OUTSIDERS, *WRITERS_ONLY]),
    "match_offer": (lambda cw: ("county_cadre", {"offer": _offer(cw)}), [*OUTSIDERS, *WRITERS_ONLY]),
    "record_outcome": (lambda cw: ("enterprise_cadre", {"match": _match(cw), "outcome": "employed"}),
                       [*OUTSIDERS, *WRITERS_ONLY]),
}


ROWS: dict[str, tuple[Row, list[str]]] = {
    "set_threshold": (lambda cw: ("jinan_cadre", {"org": cw.sd.jinan, "monthly_minimum": "1200"}),
                      [*OUTSIDERS, *WRITERS_ONLY, "county_cadre"]),
    "file_household": (lambda cw: ("enterprise_cadre", {
        "person": cw.sd.worker_person, "union": cw.sd.steel, "housing": "rented", "causes": ["illness"],
        "members": cw.household()}), [*OUTSIDERS, *WRITERS_ONLY]),
    "request_change": (lambda cw: ("enterprise_cadre", {
        "file": cw.active(), "housing": "owned", "causes": ["illness"], "members": cw.household()}),
        [*OUTSIDERS, *WRITERS_ONLY]),
    "request_exit": (lambda cw: ("enterprise_cadre", {"file": cw.active(), "reason": "已就业"}),
                     [*OUTSIDERS, *WRITERS_ONLY]),
    "review_file": (lambda cw: ("county_cadre", {"file": cw.active()}), [*OUTSIDERS, *WRITERS_ONLY]),
    "check_request": (lambda cw: ("enterprise_cadre", {"request": _filed(cw)}), [*OUTSIDERS, *WRITERS_ONLY]),
    "approve_request": (lambda cw: ("county_cadre", {"request": _checked(cw)}),
                        [*OUTSIDERS, *WRITERS_ONLY, "enterprise_cadre"]),
    "return_request": (lambda cw: ("enterprise_cadre", {"request": _filed(cw), "reason": "材料不全"}),
                       [*OUTSIDERS, *WRITERS_ONLY]),
    "open_file": (lambda cw: ("jinan_viewer", {"file": cw.active()}), OUTSIDERS),
    "export_files": (lambda cw: ("jinan_viewer", {"org": cw.sd.steel, "file_ids": [cw.active().pk]}), OUTSIDERS),
    **AID_ROWS,
}


def _actor(sd: Any, name: str) -> Any:
    return AnonymousUser() if name == "anonymous" else getattr(sd, name)


def _counts() -> tuple[Any, ...]:
    return (HouseholdFile.objects.count(), Member.objects.count(),
            tuple(CareRequest.objects.order_by("pk").values_list("state", flat=True)),
            tuple(HouseholdFile.objects.order_by("pk").values_list("status", "grade", "next_review")),
            tuple(CareSetting.objects.order_by("pk").values_list("monthly_minimum", flat=True)),
            AuditEvent.objects.filter(verb__startswith="care.").count(), Programme.objects.count(),
            tuple(Cycle.objects.order_by("pk").values_list("state", flat=True)),
            tuple(Budget.objects.order_by("pk").values_list("amount", flat=True)),
            tuple(Entitlement.objects.order_by("pk").values_list("state", flat=True)),
            tuple(Payment.objects.order_by("pk").values_list("state", flat=True)), PayeeAccount.objects.count(),
            JobOffer.objects.count(), tuple(JobMatch.objects.order_by("pk").values_list("outcome", flat=True)))


@pytest.mark.parametrize("name", sorted(ROWS))
def test_every_verb_refuses_the_wrong_actors_and_lets_the_right_one(sd, cw, name):
    row, wrong = ROWS[name]
    right, kwargs = row(cw)
    verb = getattr(services, name)
    before = _counts()
    for who in wrong:
        with pytest.raises(PermissionDeniedError):
            verb(actor=_actor(sd, who), **kwargs)
        assert _counts() == before, who
    verb(actor=getattr(sd, right), **kwargs)


def test_every_verb_has_its_row():
    assert set(services.__all__) == set(ROWS)


def test_clear_ids_are_for_the_caseworker_and_the_enterprise_union_only(sd, cw):
    f = cw.active()
    assert services.open_file(actor=sd.enterprise_cadre, file=f, clear_ids=True) is True
    for who in ("county_cadre", "jinan_cadre", "jinan_viewer", "province_admin"):
        with pytest.raises(PermissionDeniedError, match="full ID numbers"):
            services.open_file(actor=getattr(sd, who), file=f, clear_ids=True)
        with pytest.raises(PermissionDeniedError, match="full ID numbers"):
            services.export_files(actor=getattr(sd, who), org=sd.steel, file_ids=[f.pk], clear_ids=True)
        assert services.open_file(actor=getattr(sd, who), file=f) is False
    assert services.export_files(actor=sd.enterprise_cadre, org=sd.steel, file_ids=[f.pk], clear_ids=True) == 1
