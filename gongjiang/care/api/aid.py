"""Aid programmes and cycles under /api/v1/care/: programmes (list, create), cycles (list, detail with the totals
per budgeted union, create, build, confirm, approve, close, budgets), entitlements (list, add, remove), payments
(list, cash / in-kind with a signature, bank batch, reconcile from the bank's rows). Same verbs and scopes as the
pages; a refusal is a 400 naming its field in Chinese (code `over_budget`, `not_listed`, `paid_twice`,
`unknown_payment`, `wrong_state`); a body of the wrong shape a 422 in Chinese. Account numbers are masked here;
only the bank's Excel (the pages) carries them in clear."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Pagination, one
from gongjiang.core.errors import DomainError
from gongjiang.orgs.models import Org
from gongjiang.orgs.schemas import OrgRef

from .. import services
from ..models import Cycle, Entitlement, HouseholdFile, Payment, PaymentBatch, Programme
from ..queries import aid as queries

router = Router(tags=["care"])


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class CareProgrammeOut(Schema):
    id: int
    name: str
    kind: str
    owner: OrgRef
    eligibility: dict[str, Any]
    amount_rule: dict[str, Any]
    starts_on: datetime.date
    ends_on: datetime.date


class CareProgrammeIn(Schema):
    owner_id: Id
    name: str = Field(..., max_length=100)
    kind: str = Field(..., max_length=10)
    eligibility: dict[str, Any] = Field(default_factory=dict, description="grades, causes, university_child, "
                                                                          "women_age [min, max]")
    amount_rule: dict[str, Any] = Field(..., description='{"kind": "fixed", "amount"} | {"kind": "by_grade", '
                                                         '"amounts": {grade: yuan}, "monotone"} | {"kind": "by_cost", '
                                                         '"share", "cap"}')
    starts_on: datetime.date
    ends_on: datetime.date


class CareCycleIn(Schema):
    name: str = Field(..., max_length=100)
    year: int
    budget: str | float | int


class CareTotalOut(Schema):
    org: OrgRef
    budget: Decimal
    listed: int
    amount: Decimal
    paid: Decimal


class CareCycleOut(Schema):
    id: int
    name: str
    programme_id: int
    owner: OrgRef
    state: str
    year: int


class CareCycleDetail(CareCycleOut):
    totals: list[CareTotalOut]


class CareBudgetIn(Schema):
    org_id: Id
    amount: str | float | int


class CareEntitlementOut(Schema):
    id: int
    file_id: int
    union: OrgRef
    amount: Decimal
    state: str
    reasons: list[str]
    add_reason: str
    remove_reason: str


class CareAddIn(Schema):
    file_id: Id
    org_id: Id = Field(..., description="The level adding (a union the caller acts for).")
    reason: str = Field(..., max_length=400)
    cost: str | float | int | None = None


class CareRemoveIn(Schema):
    org_id: Id
    reason: str = Field(..., max_length=400)


class CarePaymentOut(Schema):
    id: int
    reference: str
    file_id: int
    method: str
    amount: Decimal
    state: str
    account_masked: str
    signed_by: str
    paid_on: datetime.date | None
    batch_id: int | None


class CarePaymentIn(Schema):
    file_id: Id
    method: str = Field(..., max_length=10)
    signed_by: str = Field(..., max_length=40)
    paid_on: datetime.date
    signature_note: str = Field("", max_length=200)


class CareBatchIn(Schema):
    org_id: Id


class CareBatchOut(Schema):
    id: int
    org: OrgRef
    payments: int


class CareReturnRow(Schema):
    reference: str = Field(..., max_length=30)
    result: str = Field(..., max_length=10, description="成功 or 失败")
    paid_on: datetime.date | None = None
    note: str = Field("", max_length=200)


class CareReturnIn(Schema):
    rows: list[CareReturnRow] = Field(..., max_length=20000)


class CareReconciled(Schema):
    paid: int
    failed: int


def _cycle(request: HttpRequest, pk: int) -> Cycle:
    return one(queries.cycles_for(_actor(request)), pk)


def _cycle_out(c: Cycle) -> dict[str, Any]:
    return {"id": c.pk, "name": c.name, "programme_id": c.programme_id, "owner": c.owner, "state": c.state,
            "year": c.year}


def _org(request: HttpRequest, pk: int) -> Org:
    return one(Org.objects.for_user(_actor(request), "view"), pk, "org_id")


@router.get("/care/programmes", response={200: list[CareProgrammeOut], **ERRORS}, summary="Aid programmes")
@paginate(Pagination)
def list_programmes(request: HttpRequest) -> Any:
    seen = set(queries.cycles_for(_actor(request)).values_list("programme_id", flat=True))
    own = set(Programme.objects.for_user(_actor(request), "view").values_list("pk", flat=True))
    return Programme.objects.filter(pk__in=seen | own).select_related("owner")


@router.post("/care/programmes", response={201: CareProgrammeOut, **ERRORS}, summary="Create a programme")
def create_programme(request: HttpRequest, payload: CareProgrammeIn) -> Any:
    owner = _org(request, payload.owner_id)
    return Status(201, services.create_programme(
        actor=_actor(request), owner=owner, name=payload.name, kind=payload.kind,
        eligibility_rule=payload.eligibility, amount_rule=payload.amount_rule, starts_on=payload.starts_on,
        ends_on=payload.ends_on))


@router.post("/care/programmes/{programme_id}/cycles", response={201: CareCycleOut, **ERRORS},
             summary="Create a cycle")
def create_cycle(request: HttpRequest, programme_id: int, payload: CareCycleIn) -> Any:
    programme = one(Programme.objects.for_user(_actor(request), "view"), programme_id)
    return Status(201, _cycle_out(services.create_cycle(actor=_actor(request), programme=programme,
                                                        name=payload.name, year=payload.year,
                                                        budget=payload.budget)))


@router.get("/care/cycles", response={200: list[CareCycleOut], **ERRORS}, summary="Aid cycles")
@paginate(Pagination)
def list_cycles(request: HttpRequest) -> Any:
    return [_cycle_out(c) for c in queries.cycles_for(_actor(request)).order_by("-year", "-id")[:2000]]


@router.get("/care/cycles/{cycle_id}", response={200: CareCycleDetail, **ERRORS}, summary="A cycle, with totals")
def get_cycle(request: HttpRequest, cycle_id: int) -> Any:
    c = _cycle(request, cycle_id)
    return {**_cycle_out(c), "totals": [{"org": t.budget.org, "budget": t.budget.amount, "listed": t.listed,
                                         "amount": t.amount, "paid": t.paid} for t in queries.totals(c)]}


@router.put("/care/cycles/{cycle_id}/budgets", response={200: CareTotalOut, **ERRORS},
            summary="Allocate a budget to a union")
def set_budget(request: HttpRequest, cycle_id: int, payload: CareBudgetIn) -> Any:
    c = _cycle(request, cycle_id)
    b = services.set_budget(actor=_actor(request), cycle=c, org=_org(request, payload.org_id), amount=payload.amount)
    total = next(t for t in queries.totals(c) if t.budget.pk == b.pk)
    return {"org": b.org, "budget": b.amount, "listed": total.listed, "amount": total.amount, "paid": total.paid}


@router.get("/care/cycles/{cycle_id}/entitlements", response={200: list[CareEntitlementOut], **ERRORS},
            summary="The cycle's list (the households the caller sees)")
@paginate(Pagination)
def list_entitlements(request: HttpRequest, cycle_id: int) -> Any:
    return queries.entitlements_for(_actor(request), _cycle(request, cycle_id))


@router.post("/care/cycles/{cycle_id}/entitlements", response={201: CareEntitlementOut, **ERRORS},
             summary="Add a household to the list")
def add_entitlement(request: HttpRequest, cycle_id: int, payload: CareAddIn) -> Any:
    c = _cycle(request, cycle_id)
    f = one(HouseholdFile.objects.for_user(_actor(request), "view").select_related("union"), payload.file_id,
            "file_id")
    return Status(201, services.add_entitlement(actor=_actor(request), cycle=c, file=f,
                                                org=_org(request, payload.org_id), reason=payload.reason,
                                                cost=payload.cost))


@router.post("/care/entitlements/{entitlement_id}/remove", response={200: CareEntitlementOut, **ERRORS},
             summary="Remove a household from the list")
def remove_entitlement(request: HttpRequest, entitlement_id: int, payload: CareRemoveIn) -> Any:
    e = one(Entitlement.objects.for_user(_actor(request), "view").select_related("cycle"), entitlement_id)
    return services.remove_entitlement(actor=_actor(request), entitlement=e, org=_org(request, payload.org_id),
                                       reason=payload.reason)


@router.get("/care/cycles/{cycle_id}/payments", response={200: list[CarePaymentOut], **ERRORS},
            summary="The cycle's payments (the households the caller sees)")
@paginate(Pagination)
def list_payments(request: HttpRequest, cycle_id: int) -> Any:
    return Payment.objects.for_user(_actor(request), "view").filter(cycle=_cycle(request, cycle_id))


@router.post("/care/cycles/{cycle_id}/payments", response={201: CarePaymentOut, **ERRORS},
             summary="Record a cash or in-kind payment against a signature")
def record_payment(request: HttpRequest, cycle_id: int, payload: CarePaymentIn) -> Any:
    c = _cycle(request, cycle_id)
    f = one(HouseholdFile.objects.for_user(_actor(request), "view").select_related("union"), payload.file_id,
            "file_id")
    return Status(201, services.record_payment(actor=_actor(request), cycle=c, file=f, method=payload.method,
                                               signed_by=payload.signed_by, paid_on=payload.paid_on,
                                               signature_note=payload.signature_note))


@router.post("/care/cycles/{cycle_id}/batches", response={201: CareBatchOut, **ERRORS},
             summary="Make a bank transfer batch")
def make_batch(request: HttpRequest, cycle_id: int, payload: CareBatchIn) -> Any:
    b = services.make_bank_batch(actor=_actor(request), cycle=_cycle(request, cycle_id),
                                 org=_org(request, payload.org_id))
    return Status(201, {"id": b.pk, "org": b.org, "payments": b.payments.count()})


@router.post("/care/batches/{batch_id}/reconcile", response={200: CareReconciled, **ERRORS},
             summary="Reconcile a batch from the bank's returned rows")
def reconcile(request: HttpRequest, batch_id: int, payload: CareReturnIn) -> Any:
    b = one(PaymentBatch.objects.for_user(_actor(request), "change"), batch_id)
    return services.reconcile_batch(actor=_actor(request), batch=b, rows=[r.dict() for r in payload.rows])


# Last: the step names must not shadow the routes above (entitlements, payments, batches).
STEPS = {"build": services.build_cycle, "confirm": services.confirm_list, "approve": services.approve_cycle,
         "close": services.close_cycle}


@router.post("/care/cycles/{cycle_id}/{step}", response={200: CareCycleOut, **ERRORS},
             summary="Build, confirm, approve or close a cycle")
def cycle_step(request: HttpRequest, cycle_id: int, step: str) -> Any:
    c = _cycle(request, cycle_id)
    if step not in STEPS:
        raise DomainError(_("Not found, or outside your scope."), code="not_found", status=404)
    STEPS[step](actor=_actor(request), cycle=c)
    return _cycle_out(Cycle.objects.select_related("owner").get(pk=c.pk))
