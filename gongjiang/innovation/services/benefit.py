"""Verbs of implementation and benefit accounting (效益核算): the union starts the implementation, records the actual
benefit with its evidence, a finance officer signs it off (the figures count it then) and — only a finance
officer — revises a locked forecast."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import verb
from gongjiang.orgs import facts
from gongjiang.orgs.models import User

from .. import metrics, notify
from ..choices import AttachmentKind, Duty, State
from ..models import Benefit, Proposal
from ..models.proposals import holds_duty
from ..rules import rewards, workflow
from .common import _locked, _move, _require_change, _store


def _benefit(proposal: Proposal) -> Benefit:
    found = Benefit.objects.select_for_update().filter(proposal=proposal).first()
    if found is None:
        raise DomainError(_("This proposal has not been adopted: it has no benefit to account."), field="benefit",
                          code="no_benefit")
    return found


def _require_finance(actor: User, proposal: Proposal, field: str) -> None:
    if not holds_duty(actor, Duty.FINANCE, proposal.enterprise):
        raise PermissionDeniedError(_("Only a finance officer of %(enterprise)s may do this.") % {
            "enterprise": proposal.enterprise.name}, field=field)


@verb
def start_implementation(*, actor: User, proposal: Proposal, note: str = "") -> Proposal:
    """实施: an adopted proposal is being put into practice."""
    proposal = _locked(proposal)
    _require_change(actor, proposal)
    _move(actor, proposal, State.IMPLEMENTING, "innovation.proposal.implementing", note=note.strip())
    notify.step(proposal, "implementing")
    return proposal


@verb
def record_benefit(*, actor: User, proposal: Proposal, gross: Decimal, cost: Decimal, soft: str = "",
                   evidence: Sequence[UploadedFile] = ()) -> Benefit:
    """The actual benefit of a proposal being implemented: gross hard benefit and the cost of implementing it
    (yuan), the soft benefit in words, and the evidence (at least one file, given now or before). It waits for a
    finance officer's sign-off; until then it may be recorded again."""
    proposal = _locked(proposal)
    _require_change(actor, proposal)
    if proposal.state != State.IMPLEMENTING:
        if proposal.state in (State.ACCOUNTED, State.REWARDED):
            raise DomainError(_("The benefit has been signed off: only a finance officer may revise the figures."),
                              field="gross", code="locked")
        missing = workflow.missing_steps(proposal.state, State.ACCOUNTED)
        raise DomainError(_("This proposal is %(state)s: its benefit is recorded while it is implemented.") % {
            "state": proposal.get_state_display()} + (" " + _("Missing: %(steps)s.") % {"steps": "、".join(
                str(State(s).label) for s in missing)} if missing else ""), field="state", code="wrong_state")
    benefit = _benefit(proposal)
    errors = {}
    if gross < 0:
        errors["gross"] = _("The gross hard benefit is an amount of at least 0 yuan.")
    if cost < 0:
        errors["cost"] = _("The cost is an amount of at least 0 yuan.")
    if not errors and gross == 0 and not soft.strip():
        errors["soft"] = _("Give the benefit: an amount, or the soft benefit in words.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    if evidence:
        _store(actor, proposal, list(evidence), AttachmentKind.EVIDENCE, field="evidence")
    elif not proposal.attachments.filter(kind=AttachmentKind.EVIDENCE).exists():
        raise DomainError(_("Attach the evidence of the benefit (a financial statement, a test report, photos)."),
                          field="evidence")
    before = audit.snapshot(benefit, ["gross", "cost", "soft"])
    benefit.gross, benefit.cost, benefit.soft = gross, cost, soft.strip()
    benefit.recorded_by, benefit.recorded_at = actor, timezone.now()
    benefit.save(update_fields=["gross", "cost", "soft", "recorded_by", "recorded_at"])
    old, new = audit.diff(before, audit.snapshot(benefit, ["gross", "cost", "soft"]))
    audit.record(actor, "innovation.benefit.recorded", proposal, before=old, after=new)
    return benefit


@verb
def sign_off_benefit(*, actor: User, proposal: Proposal) -> Benefit:
    """A finance officer of the enterprise (or above) signs off the recorded benefit: the proposal's benefit is
    accounted and counted in the year's figures."""
    proposal = _locked(proposal)
    _require_finance(actor, proposal, "benefit")
    benefit = _benefit(proposal)
    if proposal.state == State.IMPLEMENTING and benefit.recorded_at is None:
        raise DomainError(_("No actual benefit has been recorded yet."), field="gross", code="not_recorded")
    net = benefit.net or Decimal(0)
    _move(actor, proposal, State.ACCOUNTED, "innovation.proposal.accounted", after={"net": net})
    benefit.signed_off_by, benefit.signed_off_at = actor, timezone.now()
    benefit.save(update_fields=["signed_off_by", "signed_off_at"])
    facts.add(proposal.unit, timezone.localdate(benefit.signed_off_at), {metrics.ACCOUNTED: 1, metrics.BENEFIT: net})
    notify.step(proposal, "accounted", benefit=f"{rewards.wan(net):,.2f}")  # 22.00, as the pages show 万元
    return benefit


@verb
def revise_forecast(*, actor: User, proposal: Proposal, forecast: Decimal, forecast_soft: str, reason: str
                    ) -> Benefit:
    """The forecast was locked at adoption: only a finance officer changes it, with a reason (audited)."""
    proposal = _locked(proposal)
    if proposal.state not in workflow.FORECAST_LOCKED:
        raise DomainError(_("The forecast is given when the proposal is adopted."), field="forecast",
                          code="wrong_state")
    _require_finance(actor, proposal, "forecast")
    benefit = _benefit(proposal)
    errors = {}
    if forecast < 0:
        errors["forecast"] = _("The forecast hard benefit is an amount of at least 0 yuan.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for revising a locked forecast.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    before = audit.snapshot(benefit, ["forecast", "forecast_soft"])
    benefit.forecast, benefit.forecast_soft = forecast, forecast_soft.strip()
    benefit.save(update_fields=["forecast", "forecast_soft"])
    old, new = audit.diff(before, audit.snapshot(benefit, ["forecast", "forecast_soft"]))
    audit.record(actor, "innovation.benefit.forecast_revised", proposal, before=old, after=new,
                 note=reason.strip())
    return benefit
