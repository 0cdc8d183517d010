"""Verbs of rewards (奖励): a union sets its reward policy; the union pays the reward of an accounted proposal,
computed by the policy nearest to the proposal's unit and split among the proposers into the reward ledger."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import require, verb
from gongjiang.orgs import facts
from gongjiang.orgs.models import Org, User

from .. import metrics, notify
from ..choices import Grade, State
from ..models import Benefit, Proposal, RewardPayment, RewardPolicy
from ..models.proposals import policy_of
from ..queries.rewards import policy_for
from ..rules import rewards, workflow
from .common import _locked, _move, _require_change

PROBLEMS = {
    "range": gettext_lazy("This value is out of range."),
    "order": gettext_lazy("The first grade needs more than the second, the second more than the third."),
}
FIELD_OF = {"benefit_tiers": "first_benefit", "score_tiers": "first_score", "grade_points": "first_points"}


@verb
def set_reward_policy(*, actor: User, org: Org, **values: Any) -> RewardPolicy:
    """The reward policy of a union (its administrators and staff), for the proposals of its subtree."""
    require(org, actor, "change")
    unknown = set(values) - set(RewardPolicy.FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))},
                          field=sorted(unknown)[0])
    current = RewardPolicy.objects.select_for_update().filter(org=org).first()
    data = {**({f: getattr(current, f) for f in RewardPolicy.FIELDS} if current else {}), **values}
    missing = [f for f in RewardPolicy.FIELDS if f != "cap" and data.get(f) in (None, "")]
    if missing:
        raise DomainError(_("This field is required."), errors=dict.fromkeys(missing, _("This field is required.")))
    try:
        rule = policy_of(data)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Enter numbers."), field="share_percent") from None
    problems = rewards.policy_problems(rule)
    if problems:
        errors = {FIELD_OF.get(k, k): str(PROBLEMS[v]) for k, v in problems.items()}
        raise DomainError(next(iter(errors.values())), errors=errors)
    before = audit.snapshot(current, list(RewardPolicy.FIELDS)) if current else {}
    policy = current or RewardPolicy(org=org)
    for f in RewardPolicy.FIELDS:
        setattr(policy, f, data[f] if f != "cap" or data.get(f) not in ("",) else None)
    policy.updated_by = actor
    policy.save()
    old, new = audit.diff(before, audit.snapshot(policy, list(RewardPolicy.FIELDS)))
    audit.record(actor, "innovation.policy.set", policy, before=old, after=new)
    return policy


@verb
def pay_reward(*, actor: User, proposal: Proposal, voucher: str = "") -> list[RewardPayment]:
    """Pay the reward of a proposal whose benefit is accounted: computed by the nearest policy (share of the net
    hard benefit with a cap, or the grade's points × the amount per point), split among the proposers by their
    shares into the reward ledger."""
    proposal = _locked(proposal)
    _require_change(actor, proposal)
    if proposal.state in workflow.ORDER[:workflow.ORDER.index(State.ACCOUNTED)]:
        raise DomainError(_("The benefit of this proposal has not been accounted yet: a reward is paid after the "
                            "finance sign-off."), field="benefit", code="not_accounted")
    benefit = Benefit.objects.filter(proposal=proposal).first()
    net = benefit.net if benefit is not None and benefit.signed_off_at is not None and benefit.net else Decimal(0)
    result = rewards.calculate(policy_for(proposal.unit), net, proposal.score)
    _move(actor, proposal, State.REWARDED, "innovation.proposal.rewarded",
          after={"grade": result.grade, "reward": result.amount, "mode": result.mode})
    contributors = list(proposal.contributors.select_related("person").order_by("-is_lead", "id"))
    parts = rewards.split(result.amount, [c.share for c in contributors])
    now = timezone.now()
    year = timezone.localdate(now).year
    rows = RewardPayment.objects.bulk_create([
        RewardPayment(proposal=proposal, person=c.person, enterprise=proposal.enterprise, amount=part,
                      grade=result.grade, mode=result.mode, year=year, voucher=voucher.strip()[:40], paid_by=actor,
                      paid_at=now) for c, part in zip(contributors, parts, strict=True)])
    proposal.grade, proposal.reward = result.grade, result.amount
    proposal.save(update_fields=["grade", "reward", "updated_at"])
    facts.add(proposal.unit, timezone.localdate(now), {metrics.REWARDED: 1, metrics.REWARDS: result.amount})
    notify.rewarded(proposal, {c.person_id: part for c, part in zip(contributors, parts, strict=True)},
                    Grade(result.grade).label)
    return rows
