"""The round's judges tab (for the marking itself see `views.judging`): the judges assigned to the round as judge,
chief judge or supervisor, adding a judge to a pool (an existing account or a new one), declaring a conflict of
interest, and opening the marking once the codes are drawn.

A province lends its judges to a city round: the pool offered is the user's own and those of the orgs above
the round's organiser up to the competition's. Conflicts are recorded on the judge, by the cadres of the
judge's pool."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.orgs import scoping
from gongjiang.orgs.models import Org

from .. import queries, services
from ..choices import EntryStatus, JudgeRole, RoundState
from ..forms.rounds import AddJudgeForm, AssignJudgeForm, ConflictForm
from ..models import Conflict, Draw, Entry, Judge, Round, RoundJudge, Scheme
from .common import get_round, header_context, round_for_change


def pool_orgs(user: Any, rnd: Round) -> list[Org]:
    """The pools a user may add judges to for this round: the round's organiser and the competition's, where
    the user has change rights."""
    orgs = {rnd.organiser.pk: rnd.organiser, rnd.event.competition.organiser.pk: rnd.event.competition.organiser}
    return [o for o in orgs.values() if o.in_scope(user, "change")]


def pool_judges(user: Any, rnd: Round) -> QuerySet[Judge]:
    """Judges of the pools inside the user's scopes, and of the pools of the orgs above the round's organiser up
    to the competition's (a province lends its judges to a city round)."""
    above = Q(pool__path__in=scoping.ancestors(rnd.organiser.path))
    qs = scoping.scope_for(user, "view").apply(Judge.objects.filter(is_active=True), "pool__", also=above)
    return qs.select_related("unit", "pool").order_by("name", "pk")


def conflict_judges(user: Any, rnd: Round) -> QuerySet[Judge]:
    """The round's judges whose pool the user keeps: a conflict is recorded on the judge (for every round), so
    the cadres of the judge's pool declare it (services.judging.declare_conflict)."""
    return (Judge.objects.for_user(user, "change").filter(assignments__round=rnd)
            .select_related("unit").order_by("name"))


# The columns the round's judges sort by (?sort=name, ?sort=-unit): the role as the panel reads (chief judge, judges,
# supervisors) and by name within it — the default —, the unit in the tree's order.
JUDGE_SORTING = pages.Sorting(
    {"name": "judge__name", "role": ("role_rank", "judge__name"), "unit": "judge__unit__path"}, default="role",
    annotations={"role_rank": pages.rank_of("role", [JudgeRole.CHIEF, JudgeRole.JUDGE, JudgeRole.SUPERVISOR])})


def judges_context(request: HttpRequest, rnd: Round, *, assign_form: AssignJudgeForm | None = None,
                   conflict_form: ConflictForm | None = None, marking_error: str = "") -> dict[str, Any]:
    can_change = rnd.can_change(request.user)
    sort = JUDGE_SORTING(request)
    assigned = list(sort.apply(RoundJudge.objects.filter(round=rnd)
                               .select_related("judge__unit", "judge__pool", "judge__user")
                               .prefetch_related("judge__trades")))
    conflicts: dict[int, list[Conflict]] = {}
    for c in Conflict.objects.filter(judge__in=[rj.judge_id for rj in assigned]).select_related("person", "org"):
        conflicts.setdefault(c.judge_id, []).append(c)
    for rj in assigned:
        rj.conflicts = conflicts.get(rj.judge_id, [])
    roles = {r: sum(1 for rj in assigned if rj.role == r) for r in JudgeRole.values}
    scheme = Scheme.objects.filter(event=rnd.event_id).first()
    context = {**header_context(request, rnd, "judges"), "assigned": assigned, "roles": roles, "scheme": scheme,
               "marking_error": marking_error, "sort": sort,
               "list_path": reverse("competitions:round_judges", args=[rnd.pk]),
               "codes_drawn": Draw.objects.filter(round=rnd, purpose__endswith=f"/ {queries.CODE}").exists(),
               "can_assign": can_change and rnd.state in {RoundState.REGISTRATION, RoundState.CHECKIN}}
    if can_change:
        round_judges = conflict_judges(request.user, rnd)
        entries = list(Entry.objects.filter(round=rnd).exclude(status__in=[EntryStatus.WITHDRAWN,
                                                                           EntryStatus.REFUSED])
                       .select_related("person", "unit").order_by("unit__name", "person__name"))
        units = list({e.unit_id: e.unit for e in entries}.values())
        people = [(e.person_id, f"{e.person.name}（{e.unit.display_name}）") for e in entries]
        context["assign_form"] = assign_form or AssignJudgeForm(judges=pool_judges(request.user, rnd))
        context["conflict_form"] = conflict_form or ConflictForm(judges=round_judges, people=people, units=units)
    return context


@login_required
def round_judges(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_round(request, pk)
    return render(request, "competitions/rounds/judges.html", judges_context(request, rnd))


@login_required
@require_POST
def round_judge_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign a judge of the pool as judge, chief judge or supervisor (again with another role: a change)."""
    rnd = round_for_change(request, pk)
    form = AssignJudgeForm(request.POST, judges=pool_judges(request.user, rnd))
    if form.is_valid():
        d = form.cleaned_data
        rj = pages.handle(form, lambda: services.assign_judge(actor=request.user, rnd=rnd, judge=d["judge"],
                                                              role=d["role"]))
        if rj is not None:
            messages.success(request, _("%(name)s is %(role)s of this round.") % {
                "name": rj.judge.name, "role": rj.get_role_display()})
            return redirect("competitions:round_judges", pk=rnd.pk)
    return render(request, "competitions/rounds/judges.html", judges_context(request, rnd, assign_form=form),
                  status=400)


@login_required
def round_judge_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a judge into a pool (an existing account, or a new one with a generated initial password shown once)
    and, optionally, assign them to this round at once. All or nothing."""
    rnd = round_for_change(request, pk)
    pools = pool_orgs(request.user, rnd)
    if not pools:
        raise PermissionDenied(_("You may not add judges to a pool of this round's organisers."))
    form = AddJudgeForm(request.POST or None, pools=pools)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        added = pages.handle(form, lambda: services.enlist_judge(
            actor=request.user, rnd=rnd, pool=d["pool"], unit=d["unit"], name=d["name"], username=d["username"],
            new_account=d["account"] == AddJudgeForm.NEW, trades=d["trades"], qualification=d["qualification"],
            role=d["role"]))
        if added is not None:
            judge, account, password = added
            return render(request, "competitions/rounds/judge_added.html", {
                **header_context(request, rnd, "judges"), "judge": judge, "account": account,
                "password": password, "role": dict(form.fields["role"].choices).get(d["role"], "")})
    return render(request, "competitions/rounds/judge_add.html", {**header_context(request, rnd, "judges"),
                                                                   "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def round_judge_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    """Declare a conflict of interest of one of the round's judges with a contestant or a unit."""
    rnd = round_for_change(request, pk)
    judges_qs = conflict_judges(request.user, rnd)
    entries = list(Entry.objects.filter(round=rnd).select_related("person", "unit"))
    units = list({e.unit_id: e.unit for e in entries}.values())
    form = ConflictForm(request.POST, judges=judges_qs, units=units,
                        people=[(e.person_id, e.person.name) for e in entries])
    if form.is_valid():
        d = form.cleaned_data
        person = next((e.person for e in entries if e.person_id == d["person"]), None)
        unit = next((u for u in units if u.pk == d["unit"]), None)
        if pages.handle(form, lambda: services.declare_conflict(actor=request.user, judge=d["judge"],
                                                                reason=d["reason"], person=person,
                                                                org=unit)) is not None:
            messages.success(request, _("The conflict of interest of %(name)s has been recorded.") % {
                "name": d["judge"].name})
            return redirect("competitions:round_judges", pk=rnd.pk)
    return render(request, "competitions/rounds/judges.html", judges_context(request, rnd, conflict_form=form),
                  status=400)


@login_required
@require_POST
def round_open_marking(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the mark sheets and open marking; a refusal (e.g. a contestant, named by 加密号, left without enough
    judges free of conflict) is shown on the judges tab."""
    rnd = round_for_change(request, pk)
    sheets, refusal = pages.attempt(lambda: services.open_marking(actor=request.user, rnd=rnd))
    if refusal is not None:
        return render(request, "competitions/rounds/judges.html", judges_context(request, rnd,
                                                                                 marking_error=refusal.message),
                      status=400)
    messages.success(request, _("Marking is open: %(n)s mark sheets have been handed to the judges.") % {"n": sheets})
    return redirect("competitions:round_judges", pk=rnd.pk)


urlpatterns: list[URLPattern] = [
    path("competitions/rounds/<id:pk>/judges/", round_judges, name="round_judges"),
    path("competitions/rounds/<id:pk>/judges/assign/", round_judge_assign, name="round_judge_assign"),
    path("competitions/rounds/<id:pk>/judges/add/", round_judge_add, name="round_judge_add"),
    path("competitions/rounds/<id:pk>/judges/conflict/", round_judge_conflict, name="round_judge_conflict"),
    path("competitions/rounds/<id:pk>/marking/open/", round_open_marking, name="round_open_marking"),
]
