"""Aid programmes and cycles (帮扶项目与批次): programmes with their rules as data, cycles built over the archive in
a few set-based statements, adjusted by each level within its budget, confirmed and approved by two accounts of the
owning union, paid by bank batch or in cash / in kind against a signature, reconciled; the budgets allocated down
the tree. A cycle is never overspent and nobody is paid twice in one cycle."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.scoping import scope_for
from gongjiang.core.services import verb
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, User

from .. import figures, notify
from ..choices import (
    CycleState,
    EntitlementState,
    FileStatus,
    PaymentMethod,
    PaymentState,
    ProgrammeKind,
)
from ..household import require_caseworker_side
from ..models import Budget, Cycle, Entitlement, HouseholdFile, PayeeAccount, Payment, PaymentBatch, Programme
from ..rules import amounts, eligibility
from ..rules.eligibility import RuleError

ZERO = Decimal("0.00")


def _require_level(actor: User, org: Org) -> None:
    """Staff or administrators of `org` or of a union above it, along the regional tree (the archive's reach)."""
    if not scope_for(actor, "change").covers_regionally(org.path):
        raise PermissionDeniedError(_("Only the staff of %(org)s or of a union above it may do this.")
                                    % {"org": org.display_name})


def _text(value: str, field: str, limit: int = 100) -> str:
    text = (value or "").strip()
    if not text or len(text) > limit:
        raise DomainError(_("Fill in this field (at most %(n)d characters).") % {"n": limit}, field=field)
    return text


def _rule_error(e: RuleError) -> DomainError:
    return DomainError(e.message, field=e.field)


def _locked_cycle(cycle: Cycle) -> Cycle:
    found: Cycle = Cycle.objects.select_for_update(of=("self",)).select_related("programme", "owner").get(pk=cycle.pk)
    return found


def _state(cycle: Cycle, *allowed: str) -> None:
    if cycle.state not in allowed:
        raise DomainError(_("The cycle is %(state)s: this cannot be done now.") % {"state": cycle.get_state_display()},
                          code="wrong_state")


def _under(org: Org, cycle: Cycle) -> None:
    if not org.path.startswith(cycle.owner.path):
        raise DomainError(_("%(org)s is not under %(owner)s, the cycle's owner.")
                          % {"org": org.display_name, "owner": cycle.owner.display_name}, field="org")


# Programmes and cycles -------------------------------------------------------------------------------------------

@verb
def create_programme(*, actor: User, owner: Org, name: str, kind: str, eligibility_rule: Mapping[str, Any],
                     amount_rule: Mapping[str, Any], starts_on: datetime.date, ends_on: datetime.date) -> Programme:
    """A programme of a province, city or county federation, its rules checked (a share above 100%, a negative cap,
    an unknown grade are refused naming the field)."""
    _require_level(actor, owner)
    if owner.kind not in (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY):
        raise DomainError(_("An aid programme is run by a province, city or county federation."), field="owner")
    name = _text(name, "name")
    if kind not in ProgrammeKind.values:
        raise DomainError(_("Choose the programme kind from the list."), field="kind")
    try:
        rule = eligibility.read_rule(eligibility_rule)
        amount = amounts.read_rule(amount_rule)
    except RuleError as e:
        raise _rule_error(e) from None
    if ends_on < starts_on:
        raise DomainError(_("The programme cannot end before it starts."), field="ends_on")
    programme = Programme.objects.create(name=name, kind=kind, owner=owner, eligibility=rule, amount_rule=amount,
                                         starts_on=starts_on, ends_on=ends_on, created_by=actor)
    audit.record(actor, "care.programme.created", programme,
                 after={"name": name, "programme_kind": kind, "eligibility": rule, "amount_rule": amount})
    return programme


@verb
def create_cycle(*, actor: User, programme: Programme, name: str, year: int, budget: Any) -> Cycle:
    """A cycle of the programme (草拟), with the owner's budget for it."""
    _require_level(actor, programme.owner)
    name = _text(name, "name")
    if isinstance(year, bool) or not 2000 <= year <= 2100:
        raise DomainError(_("Give the cycle's year."), field="year")
    try:
        amount = amounts.read_yuan(budget, "budget", amounts.BUDGET_LIMIT)
    except RuleError as e:
        raise _rule_error(e) from None
    cycle = Cycle.objects.create(programme=programme, name=name, owner=programme.owner, year=year,
                                 created_by=actor)
    Budget.objects.create(cycle=cycle, org=programme.owner, amount=amount)
    audit.record(actor, "care.cycle.created", cycle, after={"name": name, "year": year, "budget": amount})
    return cycle


def _budgets(cycle: Cycle) -> list[tuple[str, Budget]]:
    return [(b.org.path, b) for b in cycle.budgets.select_related("org").order_by("org__path")]


def _listed(cycle: Cycle) -> Any:
    return Entitlement.objects.filter(cycle=cycle, state=EntitlementState.LISTED)


def _spent_under(cycle: Cycle, path: str) -> Decimal:
    total = _listed(cycle).filter(union__path__startswith=path).aggregate(s=Sum("amount"))["s"]
    return Decimal(total or 0)


def _refuse_over(org: Org, budget: Decimal, spent: Decimal, adding: Decimal) -> None:
    raise DomainError(_("Over budget: %(org)s has a budget of %(budget)s yuan in this cycle, %(spent)s yuan is "
                        "listed already; %(adding)s yuan more would overspend it by %(over)s yuan.")
                      % {"org": org.display_name, "budget": budget, "spent": spent, "adding": adding,
                         "over": spent + adding - budget}, field="amount", code="over_budget")


def _check_budget(cycle: Cycle, union: Org, adding: Decimal) -> None:
    """Every budget of the cycle above (or at) `union` must hold `adding` more."""
    for path, b in _budgets(cycle):
        if union.path.startswith(path):
            spent = _spent_under(cycle, path)
            if spent + adding > b.amount:
                _refuse_over(b.org, b.amount, spent, adding)


def _between(budgets: Sequence[tuple[str, Budget]], low: str, high: str) -> bool:
    """Whether a budget lies strictly between the paths `high` (above) and `low` (below)."""
    return any(low.startswith(p) and p.startswith(high) and p not in (low, high) for p, _b in budgets)


@verb
def set_budget(*, actor: User, cycle: Cycle, org: Org, amount: Any) -> Budget:
    """Allocate part of a budget down the tree (a city's share of the province's): set by the level holding the
    budget above `org` (the owner's own budget by the owner). The allocations directly under a budget never exceed
    it, and a budget never falls below what is already listed or allocated under it."""
    cycle = _locked_cycle(cycle)
    _state(cycle, CycleState.DRAFT)
    _under(org, cycle)
    budgets = [(p, b) for p, b in _budgets(cycle) if b.org_id != org.pk]
    above = [(p, b) for p, b in budgets if org.path.startswith(p)]
    parent = above[-1][1] if above else None
    _require_level(actor, parent.org if parent is not None else cycle.owner)
    try:
        value = amounts.read_yuan(amount, "amount", amounts.BUDGET_LIMIT)
    except RuleError as e:
        raise _rule_error(e) from None
    allocated = sum((b.amount for p, b in budgets if p.startswith(org.path) and not _between(budgets, p, org.path)),
                    ZERO)
    if allocated > value:
        raise DomainError(_("%(org)s has already allocated %(allocated)s yuan to the unions below it; its budget "
                            "cannot be less.") % {"org": org.display_name, "allocated": allocated},
                          field="amount", code="over_budget")
    spent = _spent_under(cycle, org.path)
    if spent > value:
        raise DomainError(_("%(spent)s yuan is already listed under %(org)s; its budget cannot be less.")
                          % {"spent": spent, "org": org.display_name}, field="amount", code="over_budget")
    if parent is not None:
        top = parent.org.path
        given = sum((b.amount for p, b in budgets if p.startswith(top) and p != top and not p.startswith(org.path)
                     and not _between(budgets, p, top)), ZERO)
        if given + value > parent.amount:
            raise DomainError(_("Over budget: %(parent)s has %(budget)s yuan, %(given)s yuan of it allocated "
                                "already; %(amount)s yuan for %(org)s would overspend it.")
                              % {"parent": parent.org.display_name, "budget": parent.amount, "given": given,
                                 "amount": value, "org": org.display_name}, field="amount", code="over_budget")
    found = Budget.objects.filter(cycle=cycle, org=org).first()
    before = {"budget": found.amount} if found else {}
    if found is None:
        found = Budget.objects.create(cycle=cycle, org=org, amount=value)
    else:
        found.amount = value
        found.save(update_fields=["amount"])
    audit.record(actor, "care.budget.set", cycle, before=before, after={"budget": value, "level": org.display_name},
                 org=org)
    return found


# Building and adjusting the list ----------------------------------------------------------------------------------

def _candidates(cycle: Cycle, day: datetime.date) -> list[tuple[int, int, str, Decimal, list[str]]]:
    """The eligible files of the archive under the cycle's owner, with their amounts and reasons: two queries (the
    files; their members, only when the rule reads them), then the pure rules in memory."""
    programme = cycle.programme
    rule, amount_rule = programme.eligibility, programme.amount_rule
    files = list(HouseholdFile.objects.filter(status=FileStatus.ACTIVE, union__path__startswith=cycle.owner.path)
                 .values_list("pk", "union_id", "grade", "causes_text").order_by("pk"))
    members: dict[int, list[eligibility.MemberBrief]] = defaultdict(list)
    wanted = eligibility.member_filter(rule)
    if wanted:
        from django.db.models import Q

        from ..models import Member

        which = Q(pk__in=[])
        for relation, schooling in wanted.items():
            which |= Q(relation=relation, **({"schooling": schooling} if schooling else {}))
        for file_id, relation, gender, born, school in (
                Member.objects.filter(which, file__status=FileStatus.ACTIVE,
                                      file__union__path__startswith=cycle.owner.path)
                .values_list("file_id", "relation", "gender", "birth_date", "schooling").iterator(chunk_size=10000)):
            members[file_id].append(eligibility.MemberBrief(relation, gender, born, school))
    judge = eligibility.Judge(rule, day)
    values: dict[str, Decimal] = {}
    out = []
    for pk, union_id, grade, causes_text, in files:
        verdict = judge(eligibility.FileFacts(grade, tuple(c for c in causes_text.split(",") if c),
                                              tuple(members.get(pk, ()))))
        if not verdict.eligible:
            continue
        if grade not in values:
            values[grade] = amounts.amount(amount_rule, grade)
        if values[grade] > 0:
            out.append((pk, union_id, grade, values[grade], list(verdict.reasons)))
    return out


@verb
def build_cycle(*, actor: User, cycle: Cycle) -> int:
    """Build (or rebuild, while 草拟) the cycle's list over the archive: every active file under the owner that the
    programme's rules admit, with its amount and reasons, in one bulk insert. Refused, with nothing changed, when
    the list would overspend a budget (naming the union and the amounts). Returns the households listed."""
    cycle = _locked_cycle(cycle)
    _require_level(actor, cycle.owner)
    _state(cycle, CycleState.DRAFT)
    if amounts.needs_cost(cycle.programme.amount_rule):
        raise DomainError(_("This programme pays a share of each household's cost: add the households one by one "
                            "with their cost."), code="by_cost")
    rows = _candidates(cycle, timezone.localdate())
    paths = dict(Org.objects.filter(pk__in={r[1] for r in rows}).values_list("pk", "path"))
    for path, b in _budgets(cycle):
        total = sum((r[3] for r in rows if paths[r[1]].startswith(path)), ZERO)
        if total > b.amount:
            _refuse_over(b.org, b.amount, ZERO, total)
    Entitlement.objects.filter(cycle=cycle).delete()
    Entitlement.objects.bulk_create([Entitlement(cycle=cycle, file_id=pk, union_id=union_id, amount=value,
                                                 reasons=reasons) for pk, union_id, _grade, value, reasons in rows],
                                    batch_size=2000)
    cycle.built_at = timezone.now()
    cycle.save(update_fields=["built_at"])
    audit.record(actor, "care.cycle.built", cycle, after={"rows": len(rows),
                                                          "total": sum((r[3] for r in rows), ZERO)})
    return len(rows)


@verb
def add_entitlement(*, actor: User, cycle: Cycle, file: HouseholdFile, org: Org, reason: str,
                    cost: Any = None) -> Entitlement:
    """Add a household to the list by the level `org` (the actor's union or one it covers), with the reason, within
    every budget above the household (a refusal names the union and the amounts). A household removed before is
    listed again on its row."""
    cycle = _locked_cycle(cycle)
    _require_level(actor, org)
    _state(cycle, CycleState.DRAFT)
    _under(org, cycle)
    file = HouseholdFile.objects.select_related("union").get(pk=file.pk)
    if not file.union.path.startswith(org.path):
        raise DomainError(_("Household file no. %(no)s is not under %(org)s.") % {"no": file.pk,
                                                                                  "org": org.display_name},
                          field="file")
    if file.status != FileStatus.ACTIVE:
        raise DomainError(_("Only a household file in the archive can be listed."), field="file")
    reason = _text(reason, "reason", 400)
    rule = cycle.programme.amount_rule
    try:
        value = amounts.amount(rule, file.grade, amounts.read_yuan(cost, "cost") if cost not in (None, "") else None)
    except RuleError as e:
        raise _rule_error(e) from None
    if value <= 0:
        raise DomainError(_("By the programme's amount rule this household receives nothing."), field="file")
    found = Entitlement.objects.filter(cycle=cycle, file=file).first()
    if found is not None and found.state == EntitlementState.LISTED:
        raise DomainError(_("Household file no. %(no)s is already on the list.") % {"no": file.pk}, field="file",
                          code="listed")
    _check_budget(cycle, file.union, value)
    verdict = eligibility.judge(cycle.programme.eligibility, _facts(file), timezone.localdate())
    if found is None:
        found = Entitlement(cycle=cycle, file=file, union=file.union)
    found.amount, found.cost, found.state = value, cost if cost not in (None, "") else None, EntitlementState.LISTED
    found.reasons = list(verdict.reasons)
    found.added_by_org, found.add_reason = org, reason
    found.removed_by_org, found.remove_reason = None, ""
    if found.cost is not None:
        found.cost = amounts.read_yuan(found.cost, "cost")
    found.save()
    audit.record(actor, "care.entitlement.added", found, after={"amount": value, "reason": reason,
                                                                "level": org.display_name, "cycle": cycle.name})
    return found


def _facts(file: HouseholdFile) -> eligibility.FileFacts:
    return eligibility.FileFacts(file.grade, tuple(file.causes), tuple(
        eligibility.MemberBrief(m.relation, m.gender, m.birth_date, m.schooling) for m in file.members.all()))


@verb
def remove_entitlement(*, actor: User, entitlement: Entitlement, org: Org, reason: str) -> Entitlement:
    """Remove a household from the list by the level `org`, with the reason (the row stays, marked removed)."""
    cycle = _locked_cycle(entitlement.cycle)
    entitlement = Entitlement.objects.select_for_update(of=("self",)).select_related("union").get(pk=entitlement.pk)
    _require_level(actor, org)
    _state(cycle, CycleState.DRAFT)
    _under(org, cycle)
    if not entitlement.union.path.startswith(org.path):
        raise DomainError(_("Household file no. %(no)s is not under %(org)s.") % {"no": entitlement.file_id,
                                                                                  "org": org.display_name},
                          field="file")
    if entitlement.state != EntitlementState.LISTED:
        raise DomainError(_("This household is not on the list."), field="file")
    reason = _text(reason, "reason", 400)
    entitlement.state, entitlement.removed_by_org, entitlement.remove_reason = EntitlementState.REMOVED, org, reason
    entitlement.save(update_fields=["state", "removed_by_org", "remove_reason"])
    audit.record(actor, "care.entitlement.removed", entitlement, after={"amount": entitlement.amount,
                                                                        "reason": reason, "level": org.display_name,
                                                                        "cycle": cycle.name})
    return entitlement


@verb
def confirm_list(*, actor: User, cycle: Cycle) -> Cycle:
    """The owner confirms the list (名单确认); it then awaits the approval of another account of the owner."""
    cycle = _locked_cycle(cycle)
    _require_level(actor, cycle.owner)
    _state(cycle, CycleState.DRAFT)
    n = _listed(cycle).count()
    if not n:
        raise DomainError(_("The list is empty: build it or add households first."), code="empty")
    cycle.state, cycle.listed_by = CycleState.LISTED, actor
    cycle.save(update_fields=["state", "listed_by"])
    audit.record(actor, "care.cycle.listed", cycle, after={"rows": n, "total": _spent_under(cycle, "")})
    notify.cycle(cycle, "listed", [cycle.owner])
    return cycle


@verb
def approve_cycle(*, actor: User, cycle: Cycle) -> Cycle:
    """The owner's approval (已批准), by another account than the one that confirmed the list."""
    cycle = _locked_cycle(cycle)
    _require_level(actor, cycle.owner)
    _state(cycle, CycleState.LISTED)
    if cycle.listed_by_id == actor.pk:
        raise PermissionDeniedError(_("You confirmed this list: another cadre of %(org)s approves it.")
                                    % {"org": cycle.owner.display_name}, code="same_account")
    cycle.state, cycle.approved_by, cycle.approved_at = CycleState.APPROVED, actor, timezone.now()
    cycle.save(update_fields=["state", "approved_by", "approved_at"])
    audit.record(actor, "care.cycle.approved", cycle, after={"total": _spent_under(cycle, "")})
    notify.cycle(cycle, "approved", [b.org for b in cycle.budgets.select_related("org")])
    return cycle


# Payments ---------------------------------------------------------------------------------------------------------

def _mask_account(number: str) -> str:
    return "*" * max(len(number) - 4, 0) + number[-4:]


@verb
def set_payee_account(*, actor: User, file: HouseholdFile, holder: str, bank_name: str, number: str) -> PayeeAccount:
    """The bank account a household's aid is paid into (the caseworker's side): 8 to 30 digits."""
    from gongjiang.core.crypto import encrypt

    require_caseworker_side(actor, file)
    holder, bank_name = _text(holder, "holder", 40), _text(bank_name, "bank_name", 60)
    digits = (number or "").replace(" ", "")
    if not digits.isdigit() or not 8 <= len(digits) <= 30:
        raise DomainError(_("The bank account must be 8 to 30 digits."), field="number")
    found = PayeeAccount.objects.filter(file=file).first() or PayeeAccount(file=file)
    found.holder, found.bank_name = holder, bank_name
    found.number_encrypted, found.number_masked = encrypt(digits), _mask_account(digits)
    found.save()
    audit.record(actor, "care.account.set", file, after={"holder": holder, "account": found.number_masked})
    return found


def _reference(cycle: Cycle, file_id: int) -> str:
    return f"GJ{cycle.pk:05d}-{file_id:08d}"


@verb
def make_bank_batch(*, actor: User, cycle: Cycle, org: Org) -> PaymentBatch:
    """A bank transfer batch of the approved cycle for the households under `org` that have an account and are not
    paid yet: one payment each (sent), the account copied as it is today. The cycle is then 发放中."""
    cycle = _locked_cycle(cycle)
    _require_level(actor, org)
    _state(cycle, CycleState.APPROVED, CycleState.PAYING)
    _under(org, cycle)
    rows = list(_listed(cycle).filter(union__path__startswith=org.path, payment__isnull=True,
                                      file__account__isnull=False)
                .values_list("pk", "file_id", "union_id", "amount", "file__account__number_encrypted",
                             "file__account__number_masked", "file__account__holder", "file__account__bank_name"))
    if not rows:
        raise DomainError(_("No household under %(org)s waits for a bank transfer (each needs a bank account and no "
                            "payment yet).") % {"org": org.display_name}, code="empty")
    batch = PaymentBatch.objects.create(cycle=cycle, org=org, created_by=actor)
    Payment.objects.bulk_create([
        Payment(cycle=cycle, file_id=file_id, entitlement_id=pk, union_id=union_id, batch=batch,
                method=PaymentMethod.BANK, amount=amount, state=PaymentState.SENT,
                reference=_reference(cycle, file_id), account_encrypted=enc, account_masked=masked,
                account_name=holder, bank_name=bank, recorded_by=actor)
        for pk, file_id, union_id, amount, enc, masked, holder, bank in rows], batch_size=2000)
    if cycle.state == CycleState.APPROVED:
        cycle.state = CycleState.PAYING
        cycle.save(update_fields=["state"])
    audit.record(actor, "care.batch.made", batch, after={"rows": len(rows),
                                                         "total": sum((r[3] for r in rows), ZERO)})
    return batch


BANK_HEADERS = ("付款参考号", "户名", "银行账号", "开户行", "金额（元）", "工会")


@verb
def export_batch(*, actor: User, batch: PaymentBatch) -> bytes:
    """The batch as the bank's Excel: reference, holder, the account number in clear (the bank pays into it), bank,
    amount, union — no ID number, no grade or cause. Only the paying union's staff; every export audited."""
    from gongjiang.core.crypto import decrypt
    from gongjiang.core.imports import write_xlsx

    _require_level(actor, batch.org)
    payments = (batch.payments.select_related("union").order_by("id")
                .values_list("reference", "account_name", "account_encrypted", "bank_name", "amount",
                             "union__name"))
    rows = [(ref, holder, decrypt(enc), bank, amount, union) for ref, holder, enc, bank, amount, union in payments]
    batch.exported_at = timezone.now()
    batch.save(update_fields=["exported_at"])
    audit.record(actor, "care.batch.exported", batch, after={"rows": len(rows)}, note=_("Bank export"))
    return write_xlsx(str(batch), list(BANK_HEADERS), rows)


def _paid(payment: Payment) -> None:
    assert payment.paid_on is not None
    kind = Programme.objects.filter(cycles=payment.cycle_id).values_list("kind", flat=True)[0]
    facts.add(payment.union, payment.paid_on, figures.paid(kind, payment.amount))


@verb
def record_payment(*, actor: User, cycle: Cycle, file: HouseholdFile, method: str, signed_by: str,
                   paid_on: datetime.date, signature_note: str = "") -> Payment:
    """A payment in cash or in kind against the recipient's signature (the signature record kept), for a household
    on the approved list; a failed bank transfer is paid this way on its row. Refused for a household not on the
    list or paid (or sent to the bank) already in this cycle."""
    cycle = _locked_cycle(cycle)
    _require_level(actor, file.union)
    _state(cycle, CycleState.APPROVED, CycleState.PAYING)
    if method not in (PaymentMethod.CASH, PaymentMethod.IN_KIND):
        raise DomainError(_("Record cash or in-kind payments here; bank transfers go in a batch."), field="method")
    entitlement = _listed(cycle).filter(file=file).first()
    if entitlement is None:
        raise DomainError(_("Household file no. %(no)s is not on the list of %(cycle)s: it cannot be paid in it.")
                          % {"no": file.pk, "cycle": cycle.name}, field="file", code="not_listed")
    found = Payment.objects.select_for_update().filter(cycle=cycle, file=file).first()
    if found is not None and found.state != PaymentState.FAILED:
        raise DomainError(_("Household file no. %(no)s is already paid in %(cycle)s (%(ref)s, %(state)s): nobody is "
                            "paid twice in one cycle.") % {"no": file.pk, "cycle": cycle.name, "ref": found.reference,
                                                           "state": found.get_state_display()},
                          field="file", code="paid_twice")
    signed_by = _text(signed_by, "signed_by", 40)
    if paid_on > timezone.localdate():
        raise DomainError(_("The payment date cannot be in the future."), field="paid_on")
    if found is None:
        found = Payment(cycle=cycle, file=file, entitlement=entitlement, union=file.union,
                        reference=_reference(cycle, file.pk))
    found.method, found.amount, found.state, found.batch = method, entitlement.amount, PaymentState.PAID, None
    found.signed_by, found.signature_note = signed_by, (signature_note or "").strip()[:200]
    found.paid_on, found.reconciled, found.recorded_by, found.failure = paid_on, True, actor, found.failure
    try:
        found.save()
    except IntegrityError:  # a concurrent payment of the same household: the constraint holds
        raise DomainError(_("Household file no. %(no)s is already paid in this cycle.") % {"no": file.pk},
                          field="file", code="paid_twice") from None
    if cycle.state == CycleState.APPROVED:
        cycle.state = CycleState.PAYING
        cycle.save(update_fields=["state"])
    _paid(found)
    audit.record(actor, "care.payment.recorded", found, after={"method": method, "amount": found.amount,
                                                              "signed_by": signed_by, "paid_on": paid_on})
    return found


RESULTS = {"成功": PaymentState.PAID, "paid": PaymentState.PAID, "success": PaymentState.PAID,
           "失败": PaymentState.FAILED, "failed": PaymentState.FAILED, "退回": PaymentState.FAILED}


@verb
def reconcile_batch(*, actor: User, batch: PaymentBatch, rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """The bank's return for a batch: each row names a payment by its reference and says 成功 (with the date) or
    失败 (with the reason). Every row is checked before anything is written: an unknown reference, a payment of
    another batch, a result not understood or a bad date refuses the whole return, naming the row."""
    batch = PaymentBatch.objects.select_for_update(of=("self",)).select_related("cycle", "org").get(pk=batch.pk)
    _require_level(actor, batch.org)
    _state(batch.cycle, CycleState.PAYING)
    sent = {p.reference: p for p in batch.payments.select_for_update(of=("self",)).select_related("union")}
    plan: list[tuple[Payment, str, datetime.date, str]] = []
    today = timezone.localdate()
    for i, row in enumerate(rows, start=2):
        ref = str(row.get("reference") or "").strip()
        payment = sent.get(ref)
        if payment is None:
            raise DomainError(_("Row %(row)d: no payment %(ref)s in this batch.") % {"row": i, "ref": ref or "—"},
                              field="reference", code="unknown_payment")
        found_result = RESULTS.get(str(row.get("result") or "").strip().lower())
        if found_result is None:
            raise DomainError(_("Row %(row)d: the result must be 成功 or 失败.") % {"row": i}, field="result")
        result = str(found_result)
        day: Any = row.get("paid_on") or today
        if isinstance(day, str):
            try:
                day = datetime.date.fromisoformat(day.strip()[:10])
            except ValueError:
                raise DomainError(_("Row %(row)d: the date must be like 2027-01-20.") % {"row": i},
                                  field="paid_on") from None
        if not isinstance(day, datetime.date) or day > today:
            raise DomainError(_("Row %(row)d: the payment date cannot be in the future.") % {"row": i},
                              field="paid_on")
        if payment.state != PaymentState.SENT and payment.state != result:
            raise DomainError(_("Row %(row)d: payment %(ref)s is already reconciled as %(state)s.")
                              % {"row": i, "ref": ref, "state": payment.get_state_display()}, field="result")
        plan.append((payment, result, day, str(row.get("note") or "").strip()[:200]))
    done = {"paid": 0, "failed": 0}
    kind = batch.cycle.programme.kind
    changed: list[Payment] = []
    paid_facts: list[tuple[Any, datetime.date, str, Any]] = []
    for payment, result, day, note in plan:
        if payment.state != PaymentState.SENT:
            continue
        payment.state, payment.reconciled = result, True
        if result == PaymentState.PAID:
            payment.paid_on = day
            paid_facts += [(payment.union, day, key, value)
                           for key, value in figures.paid(kind, payment.amount).items()]
            done["paid"] += 1
        else:
            payment.failure = note or _("Returned by the bank")
            done["failed"] += 1
        changed.append(payment)
    groups: dict[tuple[str, Any, str], list[int]] = defaultdict(list)  # one UPDATE per result, date and reason
    for payment in changed:
        groups[(payment.state, payment.paid_on, payment.failure)].append(payment.pk)
    for (state, day, failure), ids in groups.items():
        for start in range(0, len(ids), 2000):
            Payment.objects.filter(pk__in=ids[start:start + 2000]).update(state=state, reconciled=True, paid_on=day,
                                                                          failure=failure)
    facts.add_many(paid_facts)
    if not batch.payments.filter(state=PaymentState.SENT).exists():
        batch.reconciled_at = timezone.now()
        batch.save(update_fields=["reconciled_at"])
    audit.record(actor, "care.batch.reconciled", batch, after={"rows": len(plan), **done})
    return done


@verb
def close_cycle(*, actor: User, cycle: Cycle) -> Cycle:
    """已对账: every household on the list paid (a failed transfer paid again in cash first); nothing at the bank."""
    cycle = _locked_cycle(cycle)
    _require_level(actor, cycle.owner)
    _state(cycle, CycleState.PAYING)
    unpaid = _listed(cycle).exclude(payment__state=PaymentState.PAID).count()
    if unpaid:
        raise DomainError(_("%(n)d households on the list are not paid yet (or their transfer failed)."
                            ) % {"n": unpaid}, code="unpaid")
    cycle.state, cycle.reconciled_at = CycleState.RECONCILED, timezone.now()
    cycle.save(update_fields=["state", "reconciled_at"])
    paid = Payment.objects.filter(cycle=cycle, state=PaymentState.PAID).aggregate(s=Sum("amount"))["s"]
    audit.record(actor, "care.cycle.reconciled", cycle, after={"total": Decimal(paid or 0)})
    return cycle
