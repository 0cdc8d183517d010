"""Verbs of review panels (评审组): the level's cadres set a panel up (scoring against weighted criteria, or voting),
put members on it and take them off, and close it; members declare their conflicts of interest and score or vote
while it is open. The panel advises: the level decides with the review verbs.

Taking a member off drops their scores and votes (counted in the audit event): a panel's results are those of its
current members, and a vote's quorum counts current members, so a departed member's marks cannot stay in them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import verb
from gongjiang.orgs.models import User

from ..models import (
    Allocation,
    Campaign,
    Nomination,
    Panel,
    PanelConflict,
    PanelMember,
    PanelMode,
    PanelScore,
    PanelVote,
    VoteChoice,
)
from ..queries import panels as reads
from ..rules import panels as rules
from ..rules.eligibility import Problem

NAME_MAX = 80
REASON_MAX = 200


def _message(p: Problem) -> str:
    a = p.params
    texts = {
        "no_criteria": lambda: _("A scoring panel needs at least one criterion."),
        "too_many_criteria": lambda: _("At most %(n)s criteria.") % a,
        "criterion_name": lambda: _("Criterion %(i)s has no name.") % a,
        "criterion_twice": lambda: _("The criterion %(name)s is named twice.") % a,
        "weight_positive": lambda: _("Criterion %(i)s (%(name)s): the weight must be more than 0.") % a,
        "max_range": lambda: _("Criterion %(i)s (%(name)s): the maximum points lie between 1 and %(most)s.") % a,
        "criterion_key": lambda: _("Two criteria have the same key."),
        "weights_sum": lambda: _("The criteria's weights add up to %(total)s; they must add up to 100.") % a,
        "score_missing": lambda: _("%(name)s: give the points.") % a,
        "score_number": lambda: _("%(name)s: the points are a whole number.") % a,
        "score_range": lambda: _("%(name)s: %(value)s points, but the points lie between 0 and %(max)s.") % a,
        "score_unknown": lambda: _("Unknown criterion: %(key)s.") % a,
    }
    return texts[p.code]()


def _refuse(problems: Sequence[Problem], code: str = "invalid") -> None:
    """One DomainError with every problem, each on its field (a criterion's key for a score)."""
    if not problems:
        return
    errors: dict[str, list[str]] = {}
    for p in problems:
        errors.setdefault(p.field, []).append(_message(p))
    raise DomainError("；".join(m for ms in errors.values() for m in ms),
                      errors={k: "；".join(v) for k, v in errors.items()}, code=code)


def _locked(panel: Panel) -> Panel:
    return (Panel.objects.select_for_update(of=("self",)).select_related("allocation__org", "campaign")
            .get(pk=panel.pk))


def _require_manager(actor: User, panel: Panel) -> None:
    if not panel.can_manage(actor):
        raise PermissionDeniedError(_("Only the cadres of %(org)s set up its review panels.") % {
            "org": panel.allocation.org.name})


def _require_open(panel: Panel) -> None:
    if not panel.is_open:
        raise DomainError(_("The panel %(name)s is closed: its scores and votes are final.") % {"name": panel.name},
                          field="panel", code="closed")


def _seat(actor: User, panel: Panel) -> PanelMember:
    found = PanelMember.objects.filter(panel=panel, user_id=actor.pk).first()
    if found is None:
        raise PermissionDeniedError(_("Only the members of the panel %(name)s score or vote in it.") % {
            "name": panel.name}, field="member")
    return found


def _in_panel(panel: Panel, nomination: Nomination) -> Nomination:
    found = reads.panel_nominations(panel).select_related("unit").filter(pk=nomination.pk).first()
    if found is None:
        raise DomainError(_("%(name)s is not among the nominations this panel reviews.") % {"name": nomination.name},
                          field="nomination", code="outside")
    return found


def _free(seat: PanelMember, nomination: Nomination) -> None:
    """Refuse a member with a conflict (declared, or working in the nominating union) on this nomination."""
    if PanelConflict.objects.filter(member=seat, nomination=nomination).exists() or reads.automatic_conflict(
            seat, nomination):
        raise PermissionDeniedError(_("You have a conflict of interest with %(name)s: you do not score or vote on "
                                      "it.") % {"name": nomination.name}, field="nomination", code="conflict")


@verb
def create_panel(*, actor: User, campaign: Campaign, allocation: Allocation, name: str, mode: str,
                 criteria: Sequence[Mapping[str, Any]] = ()) -> Panel:
    """A review panel of a level of the campaign (the allocation of the union whose cadres set it up): a name, and
    either scoring criteria (names, weights adding up to 100, maximum points) or voting. Every problem of the
    criteria is listed at once."""
    allocation = Allocation.objects.select_related("org").get(pk=allocation.pk)
    if not allocation.org.in_scope(actor, "change"):
        raise PermissionDeniedError(_("Only the cadres of %(org)s set up its review panels.") % {
            "org": allocation.org.name})
    if allocation.campaign_id != campaign.pk:
        raise DomainError(_("This level belongs to another campaign."), field="allocation")
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise DomainError(_("Give the panel's name (at most %(n)s characters).") % {"n": NAME_MAX}, field="name")
    if mode not in PanelMode.values:
        raise DomainError(_("Choose scoring or voting."), field="mode")
    stored: list[dict[str, Any]] = []
    if mode == PanelMode.SCORE:
        parsed = rules.criteria_from([{**c, "key": f"c{i}"} for i, c in enumerate(criteria, 1)])
        _refuse(rules.criteria_problems(parsed))
        stored = [{"key": c.key, "name": c.name, "weight": c.weight, "max": c.max} for c in parsed]
    if Panel.objects.filter(allocation=allocation, name=name).exists():
        raise DomainError(_("%(org)s has a panel named %(name)s already.") % {"org": allocation.org.name,
                                                                              "name": name}, field="name")
    panel = Panel.objects.create(campaign=campaign, allocation=allocation, name=name, mode=mode, criteria=stored,
                                 created_by=actor)
    audit.record(actor, "honours.panel.created", panel, after={"name": name, "mode": mode, "criteria": stored})
    return panel


@verb
def add_panel_member(*, actor: User, panel: Panel, user: User, chair: bool = False) -> PanelMember:
    """Put an account of the level's reach on the panel (the chair replaces the previous one). Their conflicts with
    nominations of their own union are automatic."""
    panel = _locked(panel)
    _require_manager(actor, panel)
    _require_open(panel)
    if not reads.appointable_users(panel.allocation.org).filter(pk=user.pk).exists():
        raise DomainError(_("%(name)s has no account in %(org)s: a panel's members are accounts of its union and "
                            "those below.") % {"name": user, "org": panel.allocation.org.name}, field="user")
    if PanelMember.objects.filter(panel=panel, user=user).exists():
        raise DomainError(_("%(name)s is on the panel already.") % {"name": user}, field="user", code="duplicate")
    if chair:
        PanelMember.objects.filter(panel=panel, is_chair=True).update(is_chair=False)
    member = PanelMember.objects.create(panel=panel, user=user, is_chair=chair, added_by=actor)
    audit.record(actor, "honours.panel.member_added", panel, after={"member": str(user), "chair": chair})
    return member


@verb
def remove_panel_member(*, actor: User, member: PanelMember) -> Panel:
    """Take a member off an open panel; their scores and votes are dropped (the audit event counts them), their
    declared conflicts with them."""
    panel = _locked(member.panel)
    _require_manager(actor, panel)
    _require_open(panel)
    member = PanelMember.objects.select_related("user").get(pk=member.pk, panel=panel)
    dropped = {"scores": member.scores.count(), "votes": member.votes.count()}
    name = str(member.user)
    member.delete()
    audit.record(actor, "honours.panel.member_removed", panel, after={"member": name, **dropped})
    return panel


@verb
def declare_panel_conflict(*, actor: User, panel: Panel, nomination: Nomination, reason: str) -> PanelConflict:
    """A member declares a conflict of interest with a nomination (回避), with the reason: the form is no longer
    shown to them and their score or vote on it, if any, is withdrawn."""
    panel = _locked(panel)
    seat = _seat(actor, panel)
    _require_open(panel)
    nomination = _in_panel(panel, nomination)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for the conflict of interest."), field="reason")
    if PanelConflict.objects.filter(member=seat, nomination=nomination).exists():
        raise DomainError(_("You have declared a conflict with %(name)s already.") % {"name": nomination.name},
                          field="nomination", code="duplicate")
    withdrawn = PanelScore.objects.filter(member=seat, nomination=nomination).delete()[0] + \
        PanelVote.objects.filter(member=seat, nomination=nomination).delete()[0]
    conflict = PanelConflict.objects.create(panel=panel, member=seat, nomination=nomination,
                                            reason=reason[:REASON_MAX])
    audit.record(actor, "honours.panel.conflict_declared", panel, after={
        "nominee": nomination.name, "withdrawn": withdrawn}, note=reason[:REASON_MAX])
    return conflict


@verb
def score_in_panel(*, actor: User, panel: Panel, nomination: Nomination, points: Mapping[str, Any]) -> PanelScore:
    """A member scores a nomination on every criterion (a whole number from 0 to its maximum; every problem at
    once); scoring again replaces their points while the panel is open."""
    panel = _locked(panel)
    seat = _seat(actor, panel)
    _require_open(panel)
    if not panel.scoring:
        raise DomainError(_("This panel votes: it takes no points."), field="panel")
    nomination = _in_panel(panel, nomination)
    _free(seat, nomination)
    criteria = panel.rule_criteria
    _refuse(rules.score_problems(criteria, points))
    clean = rules.clean_points(criteria, points)
    total = rules.weighted_total(criteria, clean)
    score, _created = PanelScore.objects.update_or_create(
        member=seat, nomination=nomination,
        defaults={"panel": panel, "points": clean, "total_cents": int(total * 100)})
    audit.record(actor, "honours.panel.scored", panel, after={
        "nominee": nomination.name, "points": [[c.name, clean[c.key]] for c in criteria], "score_total": str(total)})
    return score


@verb
def vote_in_panel(*, actor: User, panel: Panel, nomination: Nomination, choice: str) -> PanelVote:
    """A member votes on a nomination (赞成, 反对, 弃权); voting again replaces the vote while the panel is open."""
    panel = _locked(panel)
    seat = _seat(actor, panel)
    _require_open(panel)
    if panel.scoring:
        raise DomainError(_("This panel scores: it takes no votes."), field="panel")
    nomination = _in_panel(panel, nomination)
    _free(seat, nomination)
    if choice not in VoteChoice.values:
        raise DomainError(_("Vote in favour, against or abstain."), field="choice")
    vote, _created = PanelVote.objects.update_or_create(member=seat, nomination=nomination,
                                                        defaults={"panel": panel, "choice": choice})
    audit.record(actor, "honours.panel.voted", panel, after={"nominee": nomination.name, "vote": choice})
    return vote


@verb
def close_panel(*, actor: User, panel: Panel) -> Panel:
    """The level's cadres close the panel: its scores and votes are frozen and its results final."""
    panel = _locked(panel)
    _require_manager(actor, panel)
    _require_open(panel)
    panel.is_open, panel.closed_at = False, timezone.now()
    panel.save(update_fields=["is_open", "closed_at"])
    audit.record(actor, "honours.panel.closed", panel, before={"open": True}, after={"open": False})
    return panel
