"""The technical association pages: the network of the user's scope (an indented tree with each association's
members and activities, Excel), founding an association, an association's page (profile, place in the network,
figures of this year and last — its own and its union's whole reach —, councils with their seats, the forms of its
officer), its members and its activities (filters, sorting, Excel, the forms of each verb) and one activity. Every
form is a POST answered by a redirect back (core.pages.act through `step_view`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import audit, history, pages
from gongjiang.core.errors import DomainError
from gongjiang.core.types import logged_in
from gongjiang.orgs.models import Org

from .. import queries, services
from ..choices import ActivityKind, ActivityState, Honour
from ..models import Activity, MemberHonour, Seat, TechAssociation, TechMember
from ..services.techassoc import ORG_KINDS
from ..techassoc_forms import (
    ActivityFilterForm,
    ActivityForm,
    CloseForm,
    CouncilForm,
    DissolveForm,
    FoundForm,
    HoldForm,
    HonourForm,
    JoinForm,
    LeaveForm,
    MemberFilterForm,
    NetworkFilterForm,
    ProfileForm,
    SeatForm,
    split_names,
    yuan,
)
from .common import scope_org, step_view

PER_PAGE = 50
MEMBER_SORTING = pages.Sorting({"name": ("person__name",), "unit": ("person__employer__path",),
                                "trade": ("trade",), "joined": ("joined_on",)},
                               default="-joined", first_descending=("joined",))
ACTIVITY_SORTING = pages.Sorting({"date": ("held_on",), "title": ("title",), "kind": ("kind_rank",),
                                  "value": ("value",), "participants": ("participants",)},
                                 default="-date", first_descending=("date", "value", "participants"),
                                 annotations={"kind_rank": pages.rank_of("kind", ActivityKind.values)})


def association_or_404(request: HttpRequest, pk: int) -> TechAssociation:
    """An association the user may see (a 404 for anything else: out of scope says nothing of it)."""
    found = queries.association_detail(request.user, pk)
    if found is None:
        raise Http404
    return found


def runnable_or_403(request: HttpRequest, pk: int) -> TechAssociation:
    """An association the user may see and run (a 404 out of scope, a 403 to a reader): the POSTs, before they look
    anybody up by name."""
    found = association_or_404(request, pk)
    if not found.can_run(request.user):
        raise PermissionDenied(_("You do not have permission for %(org)s.") % {"org": found.name})
    return found


def _actor(request: HttpRequest) -> Any:
    return logged_in(request.user)


def _safe_next(request: HttpRequest, a: TechAssociation) -> str:
    nxt = request.POST.get("next", "")
    base = reverse("innovation:techassoc_detail", args=[a.pk])
    return nxt if nxt.startswith(base) else base


def _back_safe(request: HttpRequest, a: TechAssociation) -> HttpResponse:
    return redirect(_safe_next(request, a))


# ---------------------------------------------------------------------------------------------
# The network


@login_required
def network(request: HttpRequest) -> HttpResponse:
    form = NetworkFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_bound and form.is_valid() else {}
    within = scope_org(request) if request.GET.get("org") else None
    rows = queries.network(request.user, q=d.get("q") or "", state=d.get("state") or "", within=within)
    if pages.wants_export(request):
        return pages.export(_("Technical associations"), [
            _("Level in the network"), _("Association name"), _("Union"), _("State"), _("Founded on"),
            _("Registration number"), _("Members"), _("Activities held"), _("Contact person"), _("Contact phone")],
            ([r.level + 1, r.association.name, r.association.org.name, r.association.get_state_display(),
              r.association.founded_on, r.association.registration_no, r.association.member_count,
              r.association.activity_count, r.association.contact, r.association.phone] for r in rows))
    page = pages.paginate(request, rows, 100)
    return pages.render_page(request, "innovation/techassoc/list.html", {
        "form": form, "page": page, "rows": page.object_list, "total": len(rows),
        "members": sum(r.association.member_count for r in rows),
        "can_found": _foundable(request).exists(),
    }, "innovation/techassoc/_rows.html")


def _foundable(request: HttpRequest) -> Any:
    """The unions in the user's change scope that may found an association and have none (tree order, at most 300)."""
    ids = list(Org.objects.for_user(request.user, "change").filter(kind__in=ORG_KINDS, is_active=True,
                                                                   tech_association__isnull=True)
               .order_by("path").values_list("pk", flat=True)[:300])
    return Org.objects.filter(pk__in=ids).order_by("path")


@login_required
def found(request: HttpRequest) -> HttpResponse:
    orgs = _foundable(request)
    if not orgs:
        raise PermissionDenied(_("You may not found an association here."))
    initial: dict[str, Any] = {"founded_on": timezone.localdate()}
    asked = request.GET.get("org", "")
    if asked.isdigit():
        org = orgs.filter(pk=int(asked)).first()
        if org is not None:
            initial.update(org=org.pk, name=f"{org.display_name.removesuffix('工会').removesuffix('总')}职工技术协会")
    form = FoundForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        a = pages.handle(form, lambda: services.found_association(
            actor=_actor(request), org=d["org"], name=d["name"], founded_on=d["founded_on"],
            registration_no=d["registration_no"], address=d["address"], contact=d["contact"], phone=d["phone"]))
        if a is not None:
            messages.success(request, _("%(name)s founded.") % {"name": a.name})
            return redirect(a.get_absolute_url())
    return render(request, "innovation/techassoc/found.html", {"form": form},
                  status=400 if form.is_bound and form.errors else 200)


# ---------------------------------------------------------------------------------------------
# An association


def _tabs(a: TechAssociation, current: str) -> list[dict[str, Any]]:
    return [{"label": label, "url": reverse(name, args=[a.pk]), "current": key == current}
            for key, label, name in (("profile", _("Profile and council"), "innovation:techassoc_detail"),
                                     ("members", _("Members"), "innovation:techassoc_members"),
                                     ("activities", _("Activities"), "innovation:techassoc_activities"))]


def _figure_export(a: TechAssociation) -> HttpResponse:
    years = sorted(set(queries.recorded_years(a.org, own=True)) | set(queries.recorded_years(a.org, own=False)))
    own = queries.figure_years(a.org, own=True, years=years)
    reach = queries.figure_years(a.org, own=False, years=years)
    kinds = [str(k.label) for k in ActivityKind]
    rows = []
    for label, found in ((_("This association"), own), (_("With the associations below it"), reach)):
        for f in found:
            rows.append([label, f.year, f.joined, f.left, f.active, *[f.kinds.get(k, 0) for k in ActivityKind.values],
                         f.contracts, f.contract_value_wan])
    return pages.export(f"{a.name}{_('Figures')}", [
        _("Figures of"), _("Year"), _("Members joined"), _("Members left"), _("Members at the year's end"), *kinds,
        _("Four-services contracts"), _("Contract value (10,000 yuan)")], rows)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = association_or_404(request, pk)
    if pages.wants_export(request):
        return _figure_export(a)
    return _detail_page(request, a)


def _detail_page(request: HttpRequest, a: TechAssociation, bound: dict[str, Any] | None = None) -> HttpResponse:
    """The association's page; `bound` holds a refused form by its name in the page (shown again with what was typed
    and its errors, the page answered 400)."""
    user = request.user
    can_change = a.can_change(user)
    year = timezone.localdate().year
    figures = queries.techassoc_this_and_last(a, year)
    terms = queries.councils(a)
    current = terms[0] if terms and terms[0][0].current else None
    bound = bound or {}
    return render(request, "innovation/techassoc/detail.html", {
        "a": a, "tabs": _tabs(a, "profile"), "can_change": can_change, "year": year,
        "own": figures["own"], "reach": figures["reach"], "kinds": [str(k.label) for k in ActivityKind],
        "parent": queries.network_parent(a), "children": queries.network_children(user, a),
        "current": current, "past": [t for t in terms if not t[0].current],
        "next_number": (terms[0][0].number + 1) if terms else 1,
        "profile_form": bound.get("profile_form") or (ProfileForm(initial={
            f: getattr(a, f) for f in ProfileForm.base_fields}) if can_change else None),
        "council_form": bound.get("council_form") or (CouncilForm(initial={
            "number": (terms[0][0].number + 1) if terms else 1, "starts_on": timezone.localdate()})
            if can_change else None),
        "seat_form": bound.get("seat_form") or (SeatForm() if can_change and current else None),
        "dissolve_form": bound.get("dissolve_form") or (DissolveForm(initial={"dissolved_on": timezone.localdate()})
                                                        if a.is_active and a.org.in_scope(user, "change") else None),
        "refused": next(iter(bound), ""),
        "events": history.describe(audit.timeline(a)) if a.can_run(user) else [],
    }, status=400 if bound else 200)


def _again(page: Any, name: str) -> Any:
    """A step's `page`: the page shown again with the refused form in its place."""
    return lambda request, a, _data, form: page(request, a, {name: form})


def _edit(request: HttpRequest, a: TechAssociation, d: dict[str, Any]) -> Any:
    return services.update_association(actor=_actor(request), association=a, name=d["name"],
                                       founded_on=d["founded_on"], registration_no=d["registration_no"],
                                       address=d["address"], contact=d["contact"], phone=d["phone"])


def _member_named(a: TechAssociation, name: str, field: str) -> TechMember:
    found, unknown = queries.members_named(a, [name])
    if unknown:
        raise DomainError(_("%(name)s is not a current member of %(association)s (or several members share the "
                            "name).") % {"name": name, "association": a.name}, field=field)
    return found[0]


def _council(request: HttpRequest, a: TechAssociation, d: dict[str, Any]) -> Any:
    chair = _member_named(a, d["chair"], "chair")
    return services.start_council(actor=_actor(request), association=a, number=d["number"],
                                  starts_on=d["starts_on"], ends_on=d["ends_on"], chair=chair)


def _seat(request: HttpRequest, a: TechAssociation, d: dict[str, Any]) -> Any:
    council = queries.current_council(a)
    if council is None:
        raise DomainError(_("Start the council's term first."), field="council")
    member = _member_named(a, d["name"], "name")
    return services.set_seat(actor=_actor(request), council=council, member=member, post=d["post"],
                             former_post=d["former_post"])


def _seat_remove(request: HttpRequest, a: TechAssociation, d: dict[str, Any]) -> Any:
    seat = get_object_or_404(Seat, council__association=a, pk=d["seat_pk"])
    return services.remove_seat(actor=_actor(request), seat=seat)


def _dissolve(request: HttpRequest, a: TechAssociation, d: dict[str, Any]) -> Any:
    return services.dissolve_association(actor=_actor(request), association=a, dissolved_on=d["dissolved_on"],
                                         reason=d["reason"])


def _step(form_class: Any, call: Any, success: Any, page: Any = None) -> Any:
    return step_view(runnable_or_403, _back_safe, form_class, call, success, page,
                     aliases={"value": "value_wan", "person": "name", "member": "name", "honours": "honour",
                              "transferred_on": "joined_on"})


edit = _step(ProfileForm, _edit, gettext_lazy("Profile saved."), _again(_detail_page, "profile_form"))
council = _step(CouncilForm, _council, gettext_lazy("The new council term has started."),
                _again(_detail_page, "council_form"))
seat = _step(SeatForm, _seat, gettext_lazy("Seat saved."), _again(_detail_page, "seat_form"))
seat_remove = _step(None, _seat_remove, gettext_lazy("Seat removed."))
dissolve = _step(DissolveForm, _dissolve, gettext_lazy("The association was dissolved."),
                 _again(_detail_page, "dissolve_form"))


# ---------------------------------------------------------------------------------------------
# Members


def _honours_text(m: TechMember) -> str:
    return "、".join(f"{h.get_honour_display()}（{h.year}）" for h in m.honours.all())


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    return _members_page(request, association_or_404(request, pk))


def _members_page(request: HttpRequest, a: TechAssociation, bound: dict[str, Any] | None = None) -> HttpResponse:
    """The members' tab; `bound`: a refused join form (`join_form`), or a refused honour or leaving form of one row
    (`failed`: the member's id, which form, what was typed and the errors naming their fields), shown again (400)."""
    bound = bound or {}
    form = MemberFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_bound and form.is_valid() else {}
    f = queries.MemberFilters(q=d.get("q") or "", honour=d.get("honour") or "", trade=d.get("trade") or "",
                              status=d.get("status") or "active")
    sort = MEMBER_SORTING(request)
    qs = sort.apply(queries.member_list(a, f))
    if pages.wants_export(request) and not bound:
        return pages.export(f"{a.name}{_('Members')}", [
            _("Name"), _("Unit"), _("Trade"), _("Speciality"), _("Honours"), _("Joined on"), _("Left on"),
            _("Reason for leaving")],
            ([m.person.name, m.person.employer.name, m.trade, m.speciality, _honours_text(m), m.joined_on,
              m.left_on, m.left_reason] for m in qs.iterator(chunk_size=2000)))
    page = pages.paginate(request, qs, PER_PAGE, known_count=a.member_count if not form.is_bound else None)
    can_change = a.can_change(request.user)
    today = timezone.localdate()
    context = {
        "a": a, "tabs": _tabs(a, "members"), "form": form, "page": page, "rows": page.object_list, "sort": sort,
        "can_change": can_change, "today": today, "this_year": today.year,
        "join_form": bound.get("join_form") or (JoinForm(initial={"joined_on": today}) if can_change else None),
        "failed": bound.get("failed"), "back_to": _safe_next(request, a) if bound else "",
        "honours": Honour.choices,
    }
    if bound:
        return render(request, "innovation/techassoc/members.html", context, status=400)
    return pages.render_page(request, "innovation/techassoc/members.html", context,
                             "innovation/techassoc/_member_rows.html")


def _row_again(kind: str) -> Any:
    """A row's honour or leaving form refused: the members' tab again with that row's form open, filled with what was
    typed and its errors named by their fields."""
    def page(request: HttpRequest, a: TechAssociation, data: dict[str, Any], form: Any) -> HttpResponse:
        said = [f"{form.fields[k].label}：{e}" if k in form.fields else str(e)
                for k, errors in form.errors.items() for e in errors]
        return _members_page(request, a, {"failed": {"pk": data.get("member_pk"), "kind": kind,
                                                     "data": form.data, "errors": said}})
    return page


def _join(request: HttpRequest, a: TechAssociation, d: dict[str, Any]) -> Any:
    people = queries.people_within(a, d["name"], d["mobile_tail"])
    if not people:
        raise DomainError(_("%(name)s works in no unit of %(org)s.") % {"name": d["name"], "org": a.org.name},
                          field="name")
    if len(people) > 1:
        raise DomainError(_("Several colleagues are called %(name)s: add the last four digits of the mobile.") % {
            "name": d["name"]}, field="name")
    person = people[0]
    honours = [(d["honour"], d["honour_year"], d["conferred_by"])] if d.get("honour") else []
    current = queries.active_member_of(person)
    if d.get("transfer") and current is not None and current.association_id != a.pk:
        moved = services.transfer_member(actor=_actor(request), member=current, to=a, transferred_on=d["joined_on"],
                                         trade=d["trade"], speciality=d["speciality"])
        for code, year, body in honours:
            if not moved.honours.filter(honour=code).exists():
                services.add_honour(actor=_actor(request), member=moved, honour=code, year=year, conferred_by=body)
        return moved
    return services.join_association(actor=_actor(request), association=a, person=person, trade=d["trade"],
                                     speciality=d["speciality"], joined_on=d["joined_on"], honours=honours)


def _member_of(a: TechAssociation, d: dict[str, Any]) -> TechMember:
    return get_object_or_404(TechMember.objects.select_related("person"), association=a, pk=d["member_pk"])


def _honour(request: HttpRequest, a: TechAssociation, d: dict[str, Any]) -> Any:
    return services.add_honour(actor=_actor(request), member=_member_of(a, d), honour=d["honour"], year=d["year"],
                               conferred_by=d["conferred_by"])


def _honour_remove(request: HttpRequest, a: TechAssociation, d: dict[str, Any]) -> Any:
    honour = get_object_or_404(MemberHonour, member__association=a, pk=d["honour_pk"])
    return services.remove_honour(actor=_actor(request), honour=honour)


def _leave(request: HttpRequest, a: TechAssociation, d: dict[str, Any]) -> Any:
    return services.leave_association(actor=_actor(request), member=_member_of(a, d), left_on=d["left_on"],
                                      reason=d["reason"])


join = _step(JoinForm, _join, gettext_lazy("Member registered."), _again(_members_page, "join_form"))
honour = _step(HonourForm, _honour, gettext_lazy("Honour recorded."), _row_again("honour"))
honour_remove = _step(None, _honour_remove, gettext_lazy("Honour removed."))
leave = _step(LeaveForm, _leave, gettext_lazy("The member has left."), _row_again("leave"))


# ---------------------------------------------------------------------------------------------
# Activities


@login_required
def activities(request: HttpRequest, pk: int) -> HttpResponse:
    return _activities_page(request, association_or_404(request, pk))


def _activities_page(request: HttpRequest, a: TechAssociation, bound: dict[str, Any] | None = None) -> HttpResponse:
    """The activities' tab; `bound`: a refused activity form shown again (400)."""
    bound = bound or {}
    form = ActivityFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_bound and form.is_valid() else {}
    f = queries.ActivityFilters(q=d.get("q") or "", kind=d.get("kind") or "", state=d.get("state") or "",
                                year=d.get("year"), four=bool(d.get("four")))
    sort = ACTIVITY_SORTING(request)
    qs = sort.apply(queries.activity_list(a, f))
    if pages.wants_export(request) and not bound:
        return pages.export(f"{a.name}{_('Activities')}", [
            _("Activity date"), _("Activity kind"), _("Activity title"), _("Host unit"), _("Activity place"),
            _("Participants"), _("Members involved"), _("Client enterprise"), _("Contract value (10,000 yuan)"),
            _("State"), _("Outcome")],
            ([x.held_on, x.get_kind_display(), x.title, x.unit.name, x.place, x.participants, x.involved_count,
              x.client, x.value_wan, x.get_state_display(), x.outcome] for x in qs.iterator(chunk_size=2000)))
    page = pages.paginate(request, qs, PER_PAGE)
    can_change = a.can_change(request.user)
    activity_form = bound.get("activity_form")
    if activity_form is not None:
        activity_form.fields["unit"].queryset = queries.association_units(a)
    context = {
        "a": a, "tabs": _tabs(a, "activities"), "form": form, "page": page, "rows": page.object_list, "sort": sort,
        "can_change": can_change, "back_to": _safe_next(request, a) if bound else "",
        "activity_form": activity_form or (ActivityForm(units=queries.association_units(a), initial={
            "held_on": timezone.localdate(), "unit": a.org_id}) if can_change else None),
    }
    if bound:
        return render(request, "innovation/techassoc/activities.html", context, status=400)
    return pages.render_page(request, "innovation/techassoc/activities.html", context,
                             "innovation/techassoc/_activity_rows.html")


def _record(request: HttpRequest, a: TechAssociation, d: dict[str, Any]) -> Any:
    found, unknown = queries.members_named(a, split_names(d.get("members") or ""))
    if unknown:
        raise DomainError(_("Members involved: %(names)s — not current members of %(association)s (or several "
                            "share the name).") % {"names": "、".join(unknown), "association": a.name},
                          field="members")
    return services.record_activity(actor=_actor(request), association=a, kind=d["kind"], title=d["title"],
                                    held_on=d["held_on"], unit=d["unit"], place=d["place"],
                                    participants=d["participants"] or 0, members=found, client=d["client"],
                                    value=yuan(d["value_wan"]))


class _ActivityForm(ActivityForm):
    """The activity form as a step posts it: the host unit is any org here, the verb checks it lies in the scope (so
    a unit outside is refused by the verb with its message, not hidden by the form)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=Org.objects.all(), **kwargs)


def _activity_of(a: TechAssociation, d: dict[str, Any]) -> Activity:
    return get_object_or_404(Activity, association=a, pk=d["activity_pk"])


def _activity_again(name: str) -> Any:
    """The activity's page again with its refused hold or close form."""
    return lambda request, a, data, form: _activity_page(request, a, data["activity_pk"], {name: form})


record = _step(_ActivityForm, _record, gettext_lazy("Activity recorded."), _again(_activities_page, "activity_form"))
hold = _step(HoldForm, lambda r, a, d: services.hold_activity(
    actor=_actor(r), activity=_activity_of(a, d), held_on=d["held_on"], participants=d["participants"]),
    gettext_lazy("The activity is recorded as held."), _activity_again("hold_form"))
close = _step(CloseForm, lambda r, a, d: services.close_activity(
    actor=_actor(r), activity=_activity_of(a, d), outcome=d["outcome"]),
    gettext_lazy("The contract is closed with its outcome."), _activity_again("close_form"))


@login_required
def activity(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    return _activity_page(request, association_or_404(request, pk), activity_pk)


def _activity_page(request: HttpRequest, a: TechAssociation, activity_pk: int,
                   bound: dict[str, Any] | None = None) -> HttpResponse:
    found = queries.activity_detail(a, activity_pk)
    if found is None:
        raise Http404
    bound = bound or {}
    can_change = a.can_change(request.user)
    nxt = found.next_states()
    return render(request, "innovation/techassoc/activity.html", {
        "a": a, "x": found, "tabs": _tabs(a, "activities"), "involved": [m.member for m in found.involved.all()],
        "hold_form": bound.get("hold_form") or (HoldForm(initial={
            "held_on": timezone.localdate(), "participants": found.participants})
            if can_change and ActivityState.HELD in nxt else None),
        "close_form": bound.get("close_form") or (CloseForm() if can_change and ActivityState.CLOSED in nxt
                                                  else None),
        "back_to": _safe_next(request, a) if bound else "",
    }, status=400 if bound else 200)
