"""Verbs of the valuation (评估) and the decision: the union assigns valuators in bulk, hands a leaving valuator's
open work over to a successor, each valuator gives an opinion and a score, and the union adopts the proposal
(with its forecast benefit, locked from then on) — or does not (services.proposals.reject_proposal)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.scoping import covers
from gongjiang.core.services import require, verb
from gongjiang.orgs import facts
from gongjiang.orgs.models import Org, User

from .. import metrics, notify
from ..choices import Duty, Opinion, State
from ..models import Appointment, Assignment, Benefit, Proposal
from ..rules import rewards, workflow
from .common import _locked, _move, _require_change

MAX_BULK = 500
MAX_VALUATORS = 7


def _valuator_paths(users: Sequence[User]) -> dict[int, list[str]]:
    """{user id: paths of the unions where they are an active valuator} (one query)."""
    found: dict[int, list[str]] = {u.pk: [] for u in users}
    for uid, path in Appointment.objects.filter(user_id__in=list(found), duty=Duty.VALUATOR, active=True
                                                ).values_list("user_id", "org__path"):
        found[uid].append(path)
    return found


@verb
def assign_valuators(*, actor: User, proposals: Sequence[Proposal], valuators: Sequence[User]
                     ) -> list[Assignment]:
    """Assign the valuators to every proposal (in bulk, from the union's list): each proposal must be accepted or
    under evaluation and in the actor's scope, each valuator appointed in a union covering its enterprise. An
    accepted proposal moves to "under evaluation". A valuator already on a proposal is not assigned twice."""
    if not proposals:
        raise DomainError(_("Choose at least one proposal."), field="proposals")
    if len(proposals) > MAX_BULK:
        raise DomainError(_("At most %(n)s proposals at a time.") % {"n": MAX_BULK}, field="proposals")
    if not valuators:
        raise DomainError(_("Choose at least one valuator."), field="valuators")
    if len({v.pk for v in valuators}) > MAX_VALUATORS:
        raise DomainError(_("At most %(n)s valuators per proposal.") % {"n": MAX_VALUATORS}, field="valuators")
    locked = list(Proposal.objects.select_for_update().select_related("unit", "enterprise")
                  .filter(pk__in=[p.pk for p in proposals]).order_by("pk"))
    paths = _valuator_paths(list(valuators))
    made: list[Assignment] = []
    moved: list[Proposal] = []
    for proposal in locked:
        _require_change(actor, proposal)
        if proposal.state not in workflow.VALUATION_OPEN:
            raise DomainError(_("%(title)s is %(state)s: valuators are assigned once it is accepted.") % {
                "title": proposal.title, "state": proposal.get_state_display()}, field="proposals",
                code="wrong_state")
        for v in valuators:
            if not any(covers(p, proposal.enterprise.path) for p in paths.get(v.pk, [])):
                raise DomainError(_("%(name)s is not a valuator of %(enterprise)s.") % {
                    "name": v, "enterprise": proposal.enterprise.name}, field="valuators")
        have = set(proposal.assignments.filter(active=True).values_list("valuator_id", flat=True))
        new = [Assignment(proposal=proposal, valuator=v, assigned_by=actor) for v in valuators if v.pk not in have]
        made += Assignment.objects.bulk_create(new)
        if new:
            audit.record(actor, "innovation.proposal.valuators_assigned", proposal,
                         after={"valuators": [str(v) for v in valuators if v.pk not in have]})
        if proposal.state == State.ACCEPTED:
            _move(actor, proposal, State.EVALUATING, "innovation.proposal.evaluating")
            moved.append(proposal)
    for proposal in moved:
        notify.step(proposal, "evaluating")
    by_valuator: dict[int, list[Proposal]] = {}
    for a in made:
        by_valuator.setdefault(a.valuator_id, []).append(a.proposal)
    for uid, found in by_valuator.items():
        notify.assigned(found, [uid])
    return made


@verb
def hand_over_valuations(*, actor: User, org: Org, leaving: User, successor: User) -> int:
    """A valuator leaves: their open assignments on the proposals of `org`'s subtree go to `successor` (appointed
    there too); their valuations already given stay theirs. Returns how many were handed over."""
    require(org, actor, "change")
    if leaving.pk == successor.pk:
        raise DomainError(_("Choose another valuator to take over."), field="successor")
    if not any(covers(p, org.path) or covers(org.path, p) for p in _valuator_paths([successor])[successor.pk]):
        raise DomainError(_("%(name)s is not a valuator of %(org)s.") % {"name": successor, "org": org.name},
                          field="successor")
    open_ = list(Assignment.objects.select_for_update().select_related("proposal__unit").filter(
        valuator=leaving, active=True, valued_at__isnull=True, proposal__state__in=workflow.VALUATION_OPEN,
        proposal__unit__path__startswith=org.path).order_by("pk"))
    if not open_:
        raise DomainError(_("%(name)s has no open valuations in %(org)s.") % {"name": leaving, "org": org.name},
                          field="leaving")
    taken = set(Assignment.objects.filter(valuator=successor, active=True,
                                          proposal_id__in=[a.proposal_id for a in open_])
                .values_list("proposal_id", flat=True))
    Assignment.objects.filter(pk__in=[a.pk for a in open_]).update(active=False)
    Assignment.objects.bulk_create([Assignment(proposal_id=a.proposal_id, valuator=successor, assigned_by=actor)
                                    for a in open_ if a.proposal_id not in taken])
    for a in open_:
        audit.record(actor, "innovation.proposal.valuator_replaced", a.proposal,
                     before={"valuators": [str(leaving)]}, after={"valuators": [str(successor)]})
    notify.assigned([a.proposal for a in open_], [successor.pk])
    return len(open_)


@verb
def submit_valuation(*, actor: User, assignment: Assignment, opinion: str, score: int, comment: str = ""
                     ) -> Assignment:
    """A valuator's opinion on a proposal under evaluation, with a score 0–100 (given once)."""
    assignment = Assignment.objects.select_for_update().select_related("proposal__unit").get(pk=assignment.pk)
    if assignment.valuator_id != actor.pk or not assignment.active:
        raise PermissionDeniedError(_("Only the assigned valuator gives this valuation."))
    if assignment.proposal.state != State.EVALUATING:
        raise DomainError(_("This proposal is no longer under evaluation."), field="state", code="wrong_state")
    if assignment.valued_at is not None:
        raise DomainError(_("You have valued this proposal already."), field="opinion")
    errors = {}
    if opinion not in Opinion.values:
        errors["opinion"] = _("Choose your recommendation.")
    if not 0 <= score <= 100:
        errors["score"] = _("A score is a whole number from 0 to 100.")
    if opinion == Opinion.REJECT and not comment.strip():
        errors["comment"] = _("Say why you recommend not adopting it.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    assignment.opinion, assignment.score, assignment.comment = opinion, score, comment.strip()
    assignment.valued_at = timezone.now()
    assignment.save(update_fields=["opinion", "score", "comment", "valued_at"])
    audit.record(actor, "innovation.proposal.valued", assignment.proposal,
                 after={"opinion": opinion, "score": score})
    return assignment


@verb
def adopt_proposal(*, actor: User, proposal: Proposal, forecast: Decimal, forecast_soft: str = "",
                   note: str = "") -> Proposal:
    """采纳: the union adopts a proposal its valuators have valued, with the forecast benefit — hard (yuan) and
    soft (words) — which is locked from now on (a finance officer may revise it, with a reason)."""
    proposal = _locked(proposal)
    _require_change(actor, proposal)
    scores: list[int | None] = []
    if proposal.state == State.EVALUATING:
        scores = list(proposal.assignments.filter(valued_at__isnull=False).values_list("score", flat=True))
        if not scores:
            raise DomainError(_("No valuator has given an opinion yet: a proposal is adopted after it is valued."),
                              field="state", code="not_valued")
    if forecast < 0:
        raise DomainError(_("The forecast hard benefit is an amount of at least 0 yuan."), field="forecast")
    if forecast == 0 and not forecast_soft.strip():
        raise DomainError(_("Give the forecast benefit: an amount, or the soft benefit in words."),
                          field="forecast_soft")
    _move(actor, proposal, State.ADOPTED, "innovation.proposal.adopted",
          after={"forecast": forecast, "forecast_soft": forecast_soft.strip()}, note=note.strip())
    proposal.score = rewards.mean_score([s for s in scores if s is not None])
    proposal.save(update_fields=["score", "updated_at"])
    now = timezone.now()
    Benefit.objects.create(proposal=proposal, forecast=forecast, forecast_soft=forecast_soft.strip(),
                           forecast_locked_at=now)
    facts.add(proposal.unit, timezone.localdate(now), {metrics.ADOPTED: 1})
    notify.step(proposal, "adopted")
    return proposal
