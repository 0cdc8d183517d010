"""Read models of review panels: the nominations a panel reviews (those that reached its level), the accounts a level
may appoint, a member's list of nominations with their conflicts and own marks, and the results (ranking,
per-criterion means, tallies, conflicts) — computed on read from the frozen scores in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gongjiang.core.scoping import ancestors, path_step
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, User

from ..choices import NominationState
from ..models import Campaign, Nomination, NominationFile, Panel, PanelMember
from ..rules import panels as rules

# Past the top of the campaign: a nomination shortlisted (then conferred or not) has reached every level.
PAST_THE_TOP = (NominationState.SHORTLISTED, NominationState.CONFERRED, NominationState.NOT_CONFERRED)


def panel_nominations(panel: Panel) -> QuerySet[Nomination]:
    """The nominations a panel reviews: those of its campaign that reached the panel's level — waiting for the
    level's decision, forwarded beyond it (still in review above, or shortlisted and after). A nomination still at a
    level below (a county's, before the county forwards it to the city) is not the panel's, nor one returned below
    it, a draft, or one not recommended (its panel scores stay, unread). The province's panel: what reached the
    province; Jinan's: what reached Jinan from its counties and enterprises."""
    org = panel.allocation.org
    return (Nomination.objects.filter(campaign_id=panel.campaign_id, unit__path__startswith=org.path)
            .filter(Q(state=NominationState.SUBMITTED, at__org__path__in=ancestors(org.path, path_step()))
                    | Q(state__in=PAST_THE_TOP)))


def appointable_users(org: Org) -> QuerySet[User]:
    """The accounts a level may put on its panels: active, holding a role in the level's subtree or the account of a
    worker employed there (the reach of the level's own account management)."""
    return (User.objects.filter(is_active=True)
            .filter(Q(grants__org__path__startswith=org.path) | Q(person__employer__path__startswith=org.path))
            .distinct())


def panels_for(user: Actor, campaign: Campaign) -> list[Panel]:
    """A campaign's panels a user deals with: those of the levels in their scope, and those they sit on."""
    managed = Panel.objects.for_user(user, "view").filter(campaign=campaign)
    sitting = Panel.objects.filter(campaign=campaign, members__user_id=user.pk) if user.pk else Panel.objects.none()
    return list((managed | sitting).distinct().select_related("allocation__org").order_by("-id"))


def managed_panel(user: Actor, pk: int, action: str = "view") -> Panel | None:
    return (Panel.objects.for_user(user, action).select_related("campaign__honour_type", "allocation__org")
            .filter(pk=pk).first())


def membership(user: Actor, pk: int) -> PanelMember | None:
    """The user's seat on panel `pk` (None when they are no member)."""
    if not user.is_authenticated or user.pk is None:
        return None
    return (PanelMember.objects.select_related("panel__campaign__honour_type", "panel__allocation__org", "user")
            .filter(panel_id=pk, user_id=user.pk).first())


def can_read_results(user: Actor, panel: Panel, member: PanelMember | None) -> bool:
    """The level's cadres (and those above) and the panel's chair."""
    return panel.allocation.org.in_scope(user, "view") or bool(member and member.is_chair)


def _member_paths(members: list[PanelMember]) -> dict[int, str]:
    """The employer's path of each member who is a worker of the tree (for the automatic conflicts)."""
    ids = [m.user_id for m in members]
    found = dict(User.objects.filter(pk__in=ids, person__isnull=False).values_list("pk", "person__employer__path"))
    return {m.pk: found[m.user_id] for m in members if found.get(m.user_id)}


def conflicts(panel: Panel, members: list[PanelMember], nominations: list[Nomination]
              ) -> dict[tuple[int, int], tuple[str, bool]]:
    """(member id, nomination id) → (reason, automatic): the conflicts declared, and those of a member whose own
    worker record lies in the nominating union (automatic: they need not declare it)."""
    found: dict[tuple[int, int], tuple[str, bool]] = {
        (m, n): (r, False) for m, n, r in panel.conflicts.values_list("member_id", "nomination_id", "reason")}
    paths = _member_paths(members)
    if paths:
        for n in nominations:
            for member_id, path in paths.items():
                if path.startswith(n.unit.path) and (member_id, n.pk) not in found:
                    found[(member_id, n.pk)] = (_("Works in the nominating union"), True)
    return found


def member_file(member: PanelMember, nomination_pk: int, file_pk: int) -> NominationFile | None:
    """A material of a nomination on the member's panel, for a member free to review it (no conflict declared, not
    working in the nominating union); None otherwise (the page answers 404)."""
    nomination = panel_nominations(member.panel).select_related("unit").filter(pk=nomination_pk).first()
    if nomination is None or member.conflicts.filter(nomination=nomination).exists() or automatic_conflict(
            member, nomination):
        return None
    return NominationFile.objects.filter(nomination=nomination, pk=file_pk).first()


def automatic_conflict(member: PanelMember, nomination: Nomination) -> bool:
    path = (User.objects.filter(pk=member.user_id, person__isnull=False)
            .values_list("person__employer__path", flat=True).first())
    return bool(path and path.startswith(nomination.unit.path))


@dataclass
class Assignment:
    """One nomination on a member's list: its conflict (None when free), their points or vote."""

    nomination: Nomination
    conflict: str | None = None
    points: dict[str, int] | None = None
    total: Decimal | None = None
    vote: str | None = None

    @property
    def done(self) -> bool:
        return self.points is not None or self.vote is not None


def assignments(member: PanelMember) -> list[Assignment]:
    """The nominations of the member's panel in tree order, each with the member's conflict and marks (4 queries)."""
    panel = member.panel
    nominations = list(panel_nominations(panel).select_related("unit").prefetch_related("files")
                       .order_by("unit__path", "id"))
    found = conflicts(panel, [member], nominations)
    if panel.scoring:
        marks = {n: (p, t) for n, p, t in panel.scores.filter(member=member).values_list(
            "nomination_id", "points", "total_cents")}
    else:
        votes = dict(panel.votes.filter(member=member).values_list("nomination_id", "choice"))
    rows = []
    for n in nominations:
        row = Assignment(n, conflict=found.get((member.pk, n.pk), (None, False))[0])
        if panel.scoring and n.pk in marks:
            row.points, row.total = marks[n.pk][0], Decimal(marks[n.pk][1]) / 100
        elif not panel.scoring:
            row.vote = votes.get(n.pk)
        rows.append(row)
    return rows


def pending(user: Actor) -> list[tuple[Panel, int]]:
    """The open panels the user sits on with how many of their nominations still wait for the user's mark (not
    marked, no conflict declared, not the member's own union): two counts per seat, whatever the nominations."""
    if not user.is_authenticated or user.pk is None:
        return []
    seats = list(PanelMember.objects.filter(user_id=user.pk, panel__is_open=True)
                 .select_related("panel__allocation__org", "panel__campaign"))
    if not seats:
        return []
    own = (User.objects.filter(pk=user.pk, person__isnull=False).values_list("person__employer__path", flat=True)
           .first())
    above = ancestors(own, path_step()) if own else []
    out = []
    for seat in seats:
        nominations = panel_nominations(seat.panel)
        marks = seat.scores if seat.panel.scoring else seat.votes
        done = nominations.filter(Q(pk__in=marks.values("nomination_id"))
                                  | Q(pk__in=seat.conflicts.values("nomination_id")) | Q(unit__path__in=above))
        left = nominations.count() - done.count()
        if left:
            out.append((seat.panel, left))
    return out


@dataclass
class Row:
    """A nomination's line of the results."""

    nomination: Nomination
    rank: int | None = None
    result: rules.Result | None = None
    means: dict[str, Decimal | None] = field(default_factory=dict)
    tally: rules.Tally | None = None
    conflicted: int = 0


@dataclass
class Results:
    panel: Panel
    members: list[PanelMember]
    rows: list[Row]
    conflicts: list[dict[str, Any]]
    criteria: list[rules.Criterion]
    scored: dict[int, int]  # member id → how many nominations they marked


def results(panel: Panel) -> Results:
    """The panel's results: for a scoring panel every nomination's mean (trimmed from 5 totals), rank and mean points
    per criterion; for a voting panel the tally of each with its quorum and outcome; the conflicts (who, on which
    nomination, why). Members with a conflict are left out of a nomination's result. Five queries, whatever the
    number of nominations and members."""
    members = list(panel.members.select_related("user").order_by("-is_chair", "id"))
    nominations = list(panel_nominations(panel).select_related("unit").order_by("unit__path", "id"))
    found = conflicts(panel, members, nominations)
    criteria = panel.rule_criteria
    by_nomination: dict[int, list[Any]] = defaultdict(list)
    scored: dict[int, int] = defaultdict(int)
    marks = (panel.scores.values_list("member_id", "nomination_id", "points") if panel.scoring
             else panel.votes.values_list("member_id", "nomination_id", "choice"))
    for member_id, nomination_id, mark in marks:
        if (member_id, nomination_id) in found:
            continue  # a member with a conflict does not count (their marks were withdrawn on declaring)
        by_nomination[nomination_id].append(mark)
        scored[member_id] += 1
    rows = []
    for n in nominations:
        conflicted = sum(1 for m in members if (m.pk, n.pk) in found)
        row = Row(n, conflicted=conflicted)
        if panel.scoring:
            sheets = by_nomination.get(n.pk, [])
            row.result = rules.result([rules.weighted_total(criteria, s) for s in sheets])
            row.means = rules.criterion_means(criteria, sheets)
        else:
            row.tally = rules.tally(by_nomination.get(n.pk, []), len(members) - conflicted)
        rows.append(row)
    if panel.scoring:
        by_id = {r.nomination.pk: r for r in rows}
        ranked = rules.ranking({r.nomination.pk: r.result.mean if r.result else None for r in rows})
        for rank, pk in ranked:
            by_id[pk].rank = rank
        rows = [by_id[pk] for _rank, pk in ranked]
    else:
        rows.sort(key=lambda r: (not (r.tally and r.tally.passed), -(r.tally.yes if r.tally else 0)))
    names = {m.pk: str(m.user) for m in members}
    nominees = {n.pk: n.name for n in nominations}
    listed = [{"member": names[m], "nomination": nominees[n], "reason": reason, "automatic": auto}
              for (m, n), (reason, auto) in sorted(found.items()) if m in names and n in nominees]
    return Results(panel, members, rows, listed, criteria, dict(scored))
