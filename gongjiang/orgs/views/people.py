"""People pages (职工): the list of a subtree with filters and 导出Excel, a person's page with membership,
skill grades, transfers and timeline, and the small forms that call the services.

Views stay thin: read through `Person.objects.for_user` (out of scope is a 404), call a service, put a
refusal back on the form field it names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import audit, history, pages, registry
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.ids import mask_mobile
from gongjiang.core.types import logged_in

from .. import queries, services
from ..choices import MembershipStatus, TransferState
from ..forms.people import (
    JoinUnionForm,
    MembershipStatusForm,
    PersonFilterForm,
    PersonForm,
    SkillGradeForm,
    WorkerAccountForm,
)
from ..imports import roster_import
from ..models import Membership, Org, Person, PersonQuerySet, User

LIST_RELATED = ("employer", "trade", "membership")
# The columns the list sorts by (?sort=name, ?sort=-unit): each walks an index on the province's 2,000,000 people, so
# a page is the first rows of an index scan, never a sort of the whole subtree (docs/BENCHMARKS.md §2). The default,
# the newest registered first, is the primary key's index.
SORTING = pages.Sorting({"name": "name", "unit": ("employer__path",)}, default="-id")


# ---------------------------------------------------------------------------------------------
# Helpers


def subtree_q(org: Org, prefix: str = "") -> Q:
    """An org's subtree along the regional tree and, for an industry union, along its affiliates."""
    if org.covers_everything():
        return Q()  # the whole tree: no filter (it would only stop the database using the -id order)
    return Q(**{f"{prefix}path__startswith": org.path}) | Q(**{f"{prefix}industry_path__startswith": org.path})


def list_org(request: HttpRequest) -> Org | None:
    """The subtree the list shows: ?org=pk (must be in scope) or the current scope."""
    pk = request.GET.get("org")
    if pk:
        if not pk.isdigit():
            raise Http404
        return get_object_or_404(Org.objects.for_user(request.user, "view"), pk=pk)
    scope = request.scope_org  # type: ignore[attr-defined]
    if not scope:
        return None
    org: Org | None = getattr(scope, "_wrapped", scope)  # the Org itself, not the middleware's lazy proxy
    return org


def membership_of(person: Person) -> Membership | None:
    try:
        return person.membership
    except Membership.DoesNotExist:
        return None


def filter_people(qs: PersonQuerySet, form: PersonFilterForm) -> PersonQuerySet:
    """Apply the list filters. The search box is the one people search of every page (`queries.people_q`): a
    whole ID number is found by its keyed hash, nothing is ever decrypted."""
    d = form.cleaned_data
    if d.get("q"):
        problem = queries.search_problem(d["q"])
        if problem:
            form.add_error("q", problem)
            return qs.none()
        qs = queries.people_matching(qs, d["q"])
    if d.get("trade"):
        t = d["trade"].strip()
        qs = qs.filter(Q(trade__code=t) | Q(trade__name__startswith=t))
    if d.get("grade") not in (None, ""):
        qs = qs.filter(skill_grade=int(d["grade"]))
    if d.get("front_line") in ("0", "1"):
        qs = qs.filter(is_front_line=d["front_line"] == "1")
    if d.get("migrant") in ("0", "1"):
        qs = qs.filter(is_migrant=d["migrant"] == "1")
    if d.get("membership") == "none":
        qs = qs.filter(membership__isnull=True)
    elif d.get("membership"):
        qs = qs.filter(membership__status=d["membership"])
    return qs


def back_to(person: Person) -> HttpResponse:
    return redirect("orgs:person_detail", pk=person.pk)


def person_for_change(request: HttpRequest, pk: int) -> Person:
    """A person the user may see (else 404) and change (else 403)."""
    person = get_object_or_404(Person.objects.for_user(request.user, "view").select_related("employer", "trade"),
                               pk=pk)
    if not person.can_change(request.user):
        raise PermissionDenied(_("You do not have permission to change this person."))
    return person


def render_form(request: HttpRequest, person: Person | None, form: Any, *, title: str, submit: str,
                intro: str = "", org: Org | None = None, status: int = 200) -> HttpResponse:
    org = org or (person.employer if person else None)
    return render(request, "orgs/person_form.html", {
        "person": person, "form": form, "title": title, "submit": submit, "intro": intro, "org": org,
        "trail": org.ancestors_and_self() if org else [],
    }, status=status)


# ---------------------------------------------------------------------------------------------
# List and export


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    org = list_org(request)
    form = PersonFilterForm(request.GET or None)
    qs = Person.objects.for_user(request.user, "view")
    if org is not None:
        qs = qs.filter(subtree_q(org, "employer__"))
    filtered = False
    if form.is_bound and form.is_valid() and form.has_filters():
        filtered = True
        qs = filter_people(qs, form)
    elif not form.is_bound:
        form = PersonFilterForm()
    sort = SORTING(request)
    qs = sort.apply(qs.select_related(*LIST_RELATED))
    if pages.wants_export(request):
        return export_people(request, org, qs)
    known_count: int | None = None
    capped, probe = False, None
    if org is not None and not filtered:
        # Counting a province's 2,000,000 people on every page view is slow: the subtree counters
        # (counters.py) hold the total.
        known_count = org.reach_totals()["people"]
    elif filtered:
        probe, known_count, capped = _probe(qs)
    page = pages.paginate(request, qs if probe is None else probe, known_count=known_count)
    if probe is not None and page.end_index() > len(probe):  # a page past the first matches: read it
        page = pages.paginate(request, qs, known_count=known_count)
    page.object_list = list(page.object_list)
    queries.with_unit_paths(page.object_list)
    for p in page.object_list:
        p.membership_or_none = membership_of(p)
    context = {
        "org": org, "form": form, "page": page, "rows": page.object_list, "filtered": filtered, "sort": sort,
        "count_capped": capped, "count_cap": queries.COUNT_CAP,
        "trail": org.ancestors_and_self() if org is not None else [],
        "can_create": org is not None and org.employs_people and org.can_change(request.user),
        "can_import": org is not None and org.employs_people and org.can_change(request.user),
        "shows_full_ids": org is not None and org.can_manage(request.user),
    }
    return pages.render_page(request, "orgs/person_list.html", context, fragment="orgs/_person_rows.html")


SEARCH_PROBE = 500  # matches read at once: a search for one person (a full name) is answered by this read alone


def _probe(qs: QuerySet[Person]) -> tuple[list[Person], int | None, bool]:
    """A filtered list without counting a province: (its first matches, their count — None when they are all of
    them — and whether the count stopped at the cap). A name part or a tail is a LIKE '%…' no index serves, so
    each read may scan the subtree: the first SEARCH_PROBE matches are read once — a search for one person ends
    there, with no count and no second read — and only a longer result is counted, at most COUNT_CAP ("more
    than" beyond), its first pages still shown from that read. docs/BENCHMARKS.md §2 has the figures."""
    probe = list(qs[: SEARCH_PROBE + 1])
    if len(probe) <= SEARCH_PROBE:
        return probe, None, False
    n = qs.select_related(None).order_by().values("pk")[: queries.COUNT_CAP + 1].count()
    return probe, min(n, queries.COUNT_CAP), n > queries.COUNT_CAP


def export_people(request: HttpRequest, org: Org | None, qs: QuerySet) -> HttpResponse:
    """导出Excel of every filtered row, streamed from the database in chunks. Full ID numbers and phones
    only for administrators of the subtree, and such an export is audited."""
    full = org is not None and org.can_manage(request.user)
    header_of = {c.key: c.header for c in roster_import.columns}
    keys = ["name", "id_number", "gender", "birth_date", "mobile", "ethnicity", "education", "political_status",
            "employer", "post", "trade", "skill_grade", "is_front_line", "is_migrant", "employment_start",
            "member_since", "card_no"]
    headers = [header_of[k] for k in keys]
    if not full:  # the birth date would give away eight of the masked digits: the year only
        headers[keys.index("birth_date")] = _("Year of birth")
    headers[keys.index("employer") + 1:keys.index("employer") + 1] = [_("Unit")]
    headers.append(_("Membership status"))
    yes, no = _("Yes"), _("No")

    def rows() -> Iterator[list[Any]]:
        for p in qs.iterator(chunk_size=2000):
            m = membership_of(p)
            yield [
                p.name, p.id_number if full else p.id_masked, p.get_gender_display(),
                p.birth_date if full else p.birth_date.year,
                p.mobile if full else mask_mobile(p.mobile), p.ethnicity, p.get_education_display(),
                p.get_political_status_display(), p.employer.code, p.employer.name, p.post,
                p.trade.name if p.trade else "", p.get_skill_grade_display() if p.skill_grade else "",
                yes if p.is_front_line else no, yes if p.is_migrant else no, p.employment_start,
                m.member_since if m else None, m.card_no if m else "", m.get_status_display() if m else "",
            ]

    if full and org is not None:  # full: an org's administrator
        services.record_roster_export(actor=logged_in(request.user), org=org)
    name = f"{_('Workers')}-{org.display_name}" if org is not None else _("Workers")
    return pages.export(name, headers, rows())


# ---------------------------------------------------------------------------------------------
# Person page


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.for_user(request.user, "view").select_related("employer", "trade", "membership__union"),
        pk=pk)
    membership = membership_of(person)
    transfers = list(person.transfers.select_related("from_union", "to_union", "to_employer", "requested_by",
                                                     "decided_by"))
    can_change = person.can_change(request.user)
    return render(request, "orgs/person_detail.html", {
        "person": person,
        "membership": membership,
        "grades": person.grade_records.select_related("trade"),
        "transfers": transfers,
        "open_transfer": next((t for t in transfers if t.state == TransferState.REQUESTED), None),
        "timeline": history.describe(audit.timeline(person)),
        "can_change": can_change,
        "can_see_id": person.can_see_id(request.user),
        "has_account": User.objects.filter(person=person).exists() if can_change else True,
        "trail": person.employer.ancestors_and_self(),
        # what other apps show of the person (their competitions, prizes and certificates), within the viewer's reach
        "panels": registry.detail_panels(request, "orgs.person", person),
    })


@login_required
@require_POST
def person_reveal_id(request: HttpRequest, pk: int) -> HttpResponse:
    """显示完整身份证号: only for administrators of the person's subtree (and the worker); audited."""
    person = get_object_or_404(Person.objects.for_user(request.user, "view").select_related("employer"), pk=pk)
    try:
        number = services.reveal_id_number(actor=logged_in(request.user), person=person)
    except PermissionDeniedError as e:
        raise PermissionDenied(e.message) from None
    if pages.is_htmx(request):
        return render(request, "orgs/_person_id.html", {"person": person, "id_number": number})
    messages.info(request, _("ID number of %(name)s: %(number)s") % {"name": person.name, "number": number})
    return back_to(person)


# ---------------------------------------------------------------------------------------------
# Create and edit


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    """Register a worker in a unit (?org=pk: a grassroots union, department or team the user may change)."""
    pk = request.GET.get("org", "")
    if not pk.isdigit():
        raise Http404
    org = get_object_or_404(Org.objects.for_user(request.user, "view"), pk=pk)
    if not org.employs_people:
        raise Http404
    if not org.can_change(request.user):
        raise PermissionDenied
    form = PersonForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(actor=logged_in(request.user), employer=org,
                                            membership=form.membership_data(), **form.service_data())
        except DomainError as e:
            pages.apply_domain_error(form, e)
        else:
            messages.success(request, _("%(name)s has been registered.") % {"name": person.name})
            return back_to(person)
    return render_form(request, None, form, org=org, title=_("Register a worker in %(org)s") % {"org": org.name},
                       submit=_("Register"),
                       intro=_("Gender and birth date are read from the ID number. A person already registered "
                               "elsewhere cannot be registered twice: ask their union for a membership transfer."))


def person_initial(person: Person) -> dict[str, Any]:
    return {
        "name": person.name, "gender": person.gender, "mobile": person.mobile,
        "ethnicity": person.ethnicity, "education": person.education,
        "political_status": person.political_status, "employer": person.employer_id, "post": person.post,
        "trade": person.trade.code if person.trade else "", "is_front_line": person.is_front_line,
        "is_migrant": person.is_migrant, "employment_start": person.employment_start,
    }


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for_change(request, pk)
    union = person.employer.grassroots_union()
    employers = None
    if union is not None:
        # Inside one grassroots union a worker may move freely; leaving it is a membership transfer.
        employers = Org.objects.for_user(request.user, "change").filter(
            path__startswith=union.path, is_active=True, kind__in=["grassroots", "department", "team"])
    form = PersonForm(request.POST or None, creating=False, employers=employers, initial=person_initial(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(actor=logged_in(request.user), person=person, **form.service_data())
        except DomainError as e:
            pages.apply_domain_error(form, e)
        else:
            messages.success(request, _("The record of %(name)s has been saved.") % {"name": person.name})
            return back_to(person)
    return render_form(request, person, form, title=_("Edit %(name)s") % {"name": person.name},
                       submit=_("Save"))


# ---------------------------------------------------------------------------------------------
# Skill grade, membership, account


@login_required
def person_grade(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for_change(request, pk)
    form = SkillGradeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_skill_grade(actor=logged_in(request.user), person=person, grade=d["grade"],
                                        certificate_no=d.get("certificate_no") or "",
                                        certified_on=d.get("certified_on"), trade=d.get("trade"),
                                        source=_("Entered by the union"))
        except DomainError as e:
            pages.apply_domain_error(form, e)
        else:
            messages.success(request, _("The skill grade has been recorded."))
            return back_to(person)
    return render_form(request, person, form, title=_("Record a skill grade for %(name)s") % {"name": person.name},
                       submit=_("Record"),
                       intro=_("Enter the grade of the vocational skill certificate; earlier grades stay in the "
                               "history."))


@login_required
def person_membership(request: HttpRequest, pk: int) -> HttpResponse:
    """Join the union (or re-join), or change the membership status with a reason."""
    person = person_for_change(request, pk)
    membership = Membership.objects.filter(person=person).select_related("union").first()
    if membership is None or membership.status == MembershipStatus.TRANSFERRED:
        form: Any = JoinUnionForm(request.POST or None)
        title, submit = _("%(name)s joins the union") % {"name": person.name}, _("Join")
        intro = _("The worker becomes a member of the grassroots union of their unit.")
    else:
        form = MembershipStatusForm(request.POST or None, current=membership.status)
        title, submit = _("Change the membership of %(name)s") % {"name": person.name}, _("Change")
        intro = _("Record that the member left the union, that the membership is stopped, or that it is restored."
                  " To move a member to another union use a membership transfer.")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if isinstance(form, JoinUnionForm):
                services.join_union(actor=logged_in(request.user), person=person, member_since=d.get("member_since"),
                                    card_no=d.get("card_no") or "")
            else:
                services.change_membership_status(actor=logged_in(request.user), person=person, status=d["status"],
                                                  reason=d.get("reason") or "")
        except DomainError as e:
            pages.apply_domain_error(form, e)
        else:
            messages.success(request, _("The membership has been updated."))
            return back_to(person)
    return render_form(request, person, form, title=title, submit=submit, intro=intro)


@login_required
def person_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a self-service account for the worker (see and correct their own record)."""
    person = person_for_change(request, pk)
    if User.objects.filter(person=person).exists():
        messages.info(request, _("%(name)s already has an account.") % {"name": person.name})
        return back_to(person)
    form = WorkerAccountForm(request.POST or None, initial={"username": person.mobile})
    if request.method == "POST" and form.is_valid():
        try:
            services.create_worker_account(actor=logged_in(request.user), person=person,
                                           username=form.cleaned_data["username"],
                                           password=form.cleaned_data["password"])
        except DomainError as e:
            pages.apply_domain_error(form, e)
        else:
            messages.success(request, _("The account has been opened; give the worker the user name and the "
                                        "password."))
            return back_to(person)
    return render_form(request, person, form, title=_("Open an account for %(name)s") % {"name": person.name},
                       submit=_("Open account"),
                       intro=_("With this account the worker sees and corrects their own record on the phone."))


urlpatterns = [
    path("people/", person_list, name="person_list"),
    path("people/new/", person_create, name="person_create"),
    path("people/<id:pk>/", person_detail, name="person_detail"),
    path("people/<id:pk>/edit/", person_edit, name="person_edit"),
    path("people/<id:pk>/reveal-id/", person_reveal_id, name="person_reveal_id"),
    path("people/<id:pk>/grade/", person_grade, name="person_grade"),
    path("people/<id:pk>/membership/", person_membership, name="person_membership"),
    path("people/<id:pk>/account/", person_account, name="person_account"),
]
