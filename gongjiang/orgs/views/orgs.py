"""Organisation pages (组织机构): the tree browser with lazy HTMX children, search, the org page with its
figures, children and timeline, create/edit/move/deactivate/reactivate, and 导出Excel.

Views stay thin: read through `Org.objects.for_user` (out of scope is a 404), call a service, put a
refusal back on the form field it names. Every page runs a constant number of queries whatever the size
of the tree: subtree figures are sums of the pre-aggregated `person_count` / `member_count` over path
prefixes (one GROUP BY, or one correlated sum per listed row), never counts of Person rows."""

from __future__ import annotations

from collections.abc import Iterable
from copy import copy
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Concat, Substr
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import audit, history, registry
from gongjiang.core.errors import DomainError
from gongjiang.core.pages import Sorting, apply_domain_error, export, paginate, render_page, wants_export
from gongjiang.core.types import Actor, logged_in

from .. import queries, rules, services
from ..choices import Industry, OrgKind, Ownership
from ..forms.orgs import DeactivateForm, MoveForm, OrgForm, allowed_child_kinds
from ..models import Org
from ..scoping import STEP, ancestors, grant_orgs, scope_for

CHUNK = 100  # children per tree fragment; a "show more" row loads the next chunk
# The columns an org page's list of the units directly under it sorts by (?sort=name, ?sort=-people): the subtree
# figures are the pre-aggregated counters of each row (counters.py), so any order is the one query of the page. The
# default is the tree's own order (the path).
CHILDREN_SORTING = Sorting({"name": "name", "code": "code", "units": "tree_orgs", "people": "tree_people",
                            "members": "tree_members"}, default=("path",),
                           first_descending=("units", "people", "members"))
# The columns of the search results: "parent" is where a unit belongs, the tree's order (the default).
SEARCH_SORTING = Sorting({"name": "name", "parent": "path", "code": "code", "people": "person_count"},
                         default="parent", first_descending=("people",))
MOVE_CANDIDATES = 20
# Upper bound of any descendant's path after a given path (paths use 0-9A-Z), so the correlated subtree
# sums below are index range scans on SQLite and PostgreSQL alike.
_PATH_MAX = "Z" * 64


# ---------------------------------------------------------------------------------------------
# Reading helpers (scoped, constant query counts)


def _prefixes(p: str) -> list[str]:
    """The paths of the ancestors of the node at path `p`, root first."""
    return ancestors(p, include_self=False)


def _subtree(user: Actor, org: Org) -> QuerySet:
    """`Org.objects.for_user(user)` inside `org`'s subtree. When `org` lies in one of the user's regional
    scopes, its whole subtree does too, so the scope filter is left out: its OR over two paths keeps the
    database from using the path index alone."""
    qs = Org.objects.filter(path__startswith=org.path)
    scope = scope_for(user, "view")
    return qs if scope.covers_regionally(org.path) else scope.apply(qs)


def _active_only(request: HttpRequest) -> bool:
    return request.GET.get("inactive") == "hide"


def _int(value: Any, default: int = 0) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return default


def _children_groups(user: Actor, parent: Org, paths: list[str] | None, active_only: bool) -> dict[str, dict[str, int]]:
    """Subtree figures of the children of `parent` (only those at `paths`, or all of them) in ONE grouped
    query over the parent's subtree: units, active units, people and members summed per child's path."""
    width = (parent.depth + 1) * STEP  # a child's path: the prefix the grouped query sums by
    qs = _subtree(user, parent).filter(depth__gt=parent.depth)
    if active_only:
        qs = qs.filter(is_active=True)
    qs = qs.order_by().annotate(prefix=Substr("path", 1, width))
    if paths is not None:
        qs = qs.filter(prefix__in=paths)
    rows = qs.values("prefix").annotate(units=Count("pk"), active=Count("pk", filter=Q(is_active=True)),
                                        people=Sum("person_count"), members=Sum("member_count"))
    return {r["prefix"]: r for r in rows}


def _from_counters(orgs: Iterable[Org]) -> None:
    """Subtree figures straight from the pre-aggregated counters (counters.py): no query at all. Exact for
    any org the user may see, because a visible org's whole subtree is visible (both trees are inherited
    prefixes)."""
    for c in orgs:
        c.sub_orgs, c.sub_people, c.sub_members = c.tree_orgs, c.tree_people, c.tree_members


def _attach_figures(children: list[Org], groups: dict[str, dict[str, int]]) -> None:
    for c in children:
        r = groups.get(c.path)
        if r:
            c.sub_orgs, c.sub_people, c.sub_members = r["units"], r["people"] or 0, r["members"] or 0
        else:  # hidden by the filters: only the unit itself
            c.sub_orgs, c.sub_people, c.sub_members = 1, c.person_count, c.member_count


def _attach_children_figures(user: Actor, parent: Org, children: list[Org], active_only: bool) -> None:
    if not active_only:  # the counters include inactive units; "active only" sums the rows instead
        _from_counters(children)
    elif children:
        _attach_figures(children, _children_groups(user, parent, [c.path for c in children], active_only))


def _with_figures(qs: QuerySet[Org], user: Actor, active_only: bool = False) -> QuerySet[Org]:
    """Annotate listed orgs that are not siblings (an industry union's affiliated enterprise unions) with
    their subtree figures: correlated sums over each one's path range, so still one query per page. Meant
    for small subtrees: an enterprise with its departments and teams."""
    sub = Org.objects.for_user(user).order_by().filter(
        path__gte=OuterRef("path"), path__lte=Concat(OuterRef("path"), Value(_PATH_MAX), output_field=CharField()),
        path__startswith=OuterRef("path"))
    if active_only:
        sub = sub.filter(is_active=True)

    def total(function: str, field: str) -> Coalesce:
        expr = Func(F(field), function=function, output_field=IntegerField())
        return Coalesce(Subquery(sub.values(v=expr)[:1], output_field=IntegerField()), 0)

    annotated: QuerySet[Org] = qs.annotate(sub_orgs=total("COUNT", "pk"), sub_people=total("SUM", "person_count"),
                                           sub_members=total("SUM", "member_count"))
    return annotated


def _trails(orgs: Iterable[Org], user: Actor) -> dict[int, list[Org]]:
    """Each org's ancestors that the user may see, root first (not the org itself): ONE query for all.

    An org seen only through the industry tree (its regional chain is out of scope) gets the visible
    part of its industry union's chain instead, e.g. 山东省冶金工会 › 济南钢铁集团有限公司工会."""
    orgs = list(orgs)
    wanted: set[str] = set()
    for o in orgs:
        wanted.update(_prefixes(o.path))
        if o.industry_path:
            wanted.update([*_prefixes(o.industry_path), o.industry_path])
    found = {a.path: a for a in Org.objects.filter(path__in=wanted)} if wanted else {}
    scope = scope_for(user, "view")
    trails: dict[int, list[Org]] = {}
    for o in orgs:
        chain = [found[p] for p in _prefixes(o.path) if p in found and found[p].in_scope(user)]
        top = chain[0] if chain else o
        if o.industry_path and not scope.covers_regionally(top.path):
            industry = [found[p] for p in [*_prefixes(o.industry_path), o.industry_path]
                        if p in found and found[p].in_scope(user)]
            chain = [*industry, *chain]
        trails[o.pk] = chain
    return trails


def _search(qs: QuerySet, q: str) -> QuerySet:
    """The org search of every picker (`queries.orgs_q`): name or short name contains, code or credit code
    starts with."""
    return qs.filter(queries.orgs_q(q))


def _tree_roots(request: HttpRequest) -> list[Org]:
    """The user's scope roots: the current scope first, scopes inside another scope left out."""
    scopes = grant_orgs(request.user)
    roots = [o for o in scopes if not any(o.pk != r.pk and o.path.startswith(r.path) for r in scopes)]
    current = request.scope_org  # type: ignore[attr-defined]
    if current:
        roots.sort(key=lambda r: not current.path.startswith(r.path))
    return roots


def _subtree_figures(org: Org) -> dict[str, int]:
    return {"units": org.tree_orgs, "active": org.tree_active, "people": org.tree_people, "members": org.tree_members}


def _attach_root_figures(user: Actor, roots: list[Org], active_only: bool) -> None:
    """Subtree figures of the (few) scope roots: the counters, or (active only) ONE conditional-sum scan."""
    if not active_only:
        _from_counters(roots)
    if not roots or not active_only:
        return
    qs = Org.objects.order_by()  # the roots are the user's own scopes: their subtrees are all in scope
    if active_only:
        qs = qs.filter(is_active=True)
    qs = qs.filter(reduce(or_, [Q(path__startswith=r.path) for r in roots]))
    aggregates: dict[str, Any] = {}
    for i, r in enumerate(roots):
        within = Q(path__startswith=r.path)
        aggregates |= {f"u{i}": Count("pk", filter=within), f"p{i}": Sum("person_count", filter=within),
                       f"m{i}": Sum("member_count", filter=within)}
    figures = qs.aggregate(**aggregates)
    for i, r in enumerate(roots):
        r.sub_orgs, r.sub_people, r.sub_members = (figures[f"u{i}"] or 0, figures[f"p{i}"] or 0,
                                                   figures[f"m{i}"] or 0)


def _visible(request: HttpRequest, pk: int) -> Org:
    return get_object_or_404(Org.objects.for_user(request.user).select_related("industry_union"), pk=pk)


def _changeable(request: HttpRequest, pk: int) -> Org:
    """An org the user may change: out of sight is a 404, visible but read-only is a 403."""
    org = _visible(request, pk)
    if not org.can_change(request.user):
        raise PermissionDenied
    return org


def _restructurable(request: HttpRequest, pk: int) -> Org:
    """An org the user may deactivate, reactivate or move: one strictly below the org of their role (the union
    above decides about a role's own org); otherwise a 403 saying so, as the service and the API do."""
    org = _changeable(request, pk)
    if not org.can_restructure(request.user):
        raise PermissionDenied(org.restructure_refusal())
    return org


# ---------------------------------------------------------------------------------------------
# Timeline (履历)

# ---------------------------------------------------------------------------------------------
# Export (导出Excel)


def _export(user: Actor, base: QuerySet, selected: QuerySet | None, filename: str,
            order: Iterable[str] = ("path",)) -> HttpResponse:
    """Export `selected` (or all of `base`, in the tree's order) with each unit's visible path and subtree figures;
    `selected` in the list's `order`.

    `base` holds every org the user sees in the listed area: one pass over it in path order gives the
    names for the paths and the subtree sums, so the export takes three queries whatever its size."""
    fields = ["pk", "path", "name", "short_name", "code", "kind", "region_code", "credit_code", "industry",
              "ownership", "employee_count", "address", "contact_name", "contact_phone", "industry_union_id",
              "is_active", "person_count", "member_count"]
    everything = list(base.order_by("path").values_list(*fields, named=True))
    names = {r.path: r.short_name or r.name for r in everything}
    totals = {r.path: [1, r.person_count, r.member_count] for r in everything}
    for r in everything:
        for p in _prefixes(r.path):
            t = totals.get(p)
            if t is not None:
                t[0] += 1
                t[1] += r.person_count
                t[2] += r.member_count
    rows = everything if selected is None else list(selected.order_by(*order).values_list(*fields, named=True))
    union_ids = {r.industry_union_id for r in rows if r.industry_union_id}
    unions = dict(Org.objects.filter(pk__in=union_ids).values_list("pk", "name")) if union_ids else {}
    headers = [_("Unit full name"), _("Short name"), _("Unit code"), _("Kind of unit"), _("Parent units"),
               _("Region code"), _("Unified social credit code"), _("Industry"), _("Ownership"),
               _("Declared number of employees"), _("Address"), _("Contact person"), _("Contact phone"),
               _("Affiliated industry union"), _("Status"), _("Units in subtree"), _("Registered workers in subtree"),
               _("Members in subtree")]

    labels = {vocab: {value: str(text) for value, text in vocab.choices} for vocab in (OrgKind, Industry, Ownership)}

    def label(vocab: Any, value: str) -> str:
        return labels[vocab].get(value, value)

    def out() -> Iterable[list[Any]]:
        for r in rows:
            units, people, members = totals.get(r.path, [1, r.person_count, r.member_count])
            yield [r.name, r.short_name, r.code, label(OrgKind, r.kind),
                   " › ".join(names[p] for p in _prefixes(r.path) if p in names), r.region_code, r.credit_code,
                   label(Industry, r.industry), label(Ownership, r.ownership), r.employee_count, r.address,
                   r.contact_name, r.contact_phone, unions.get(r.industry_union_id, ""),
                   _("In use") if r.is_active else _("Deactivated"), units, people, members]

    return export(filename, headers, out())


# ---------------------------------------------------------------------------------------------
# Pages


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    """The tree from the user's scope roots (children load lazily), or search results with their paths."""
    user = request.user
    q = request.GET.get("q", "").strip()[:60]
    active_only = _active_only(request)
    scoped = Org.objects.for_user(user)
    if active_only:
        scoped = scoped.filter(is_active=True)
    sort = SEARCH_SORTING(request)
    results = _search(scoped, q) if q else None
    if wants_export(request):
        return _export(user, scoped, results, _("Search results") if q else _("Union organisations"),
                       order=sort.order_by())
    context: dict[str, Any] = {"q": q, "active_only": active_only, "sort": sort,
                               "child_query": "?inactive=hide" if active_only else ""}
    if results is not None:
        page = paginate(request, sort.apply(results))
        rows = list(page.object_list)
        trails = _trails(rows, user)
        for o in rows:
            o.trail = trails[o.pk]
        page.object_list = rows
        context["page"] = page
    else:
        roots = [copy(r) for r in _tree_roots(request)]
        _attach_root_figures(user, roots, active_only)
        context["roots"] = roots
    return render_page(request, "orgs/org_tree.html", context, fragment="orgs/_org_main.html")


@login_required
def org_children(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX fragment: one chunk of an org's children (and, for an industry union, its affiliates)."""
    user = request.user
    parent = _visible(request, pk)
    active_only = _active_only(request)
    offset = _int(request.GET.get("offset"))
    kids = _subtree(user, parent).filter(depth=parent.depth + 1)
    if active_only:
        kids = kids.filter(is_active=True)
    children = list(kids[offset:offset + CHUNK + 1])
    more = len(children) > CHUNK
    children = children[:CHUNK]
    _attach_children_figures(user, parent, children, active_only)
    affiliates: list[Org] = []
    if parent.kind == OrgKind.INDUSTRY and offset == 0:
        aff = Org.objects.for_user(user).filter(industry_union=parent).exclude(path__startswith=parent.path)
        if active_only:
            aff = aff.filter(is_active=True)
        affiliates = list((_with_figures(aff, user, True) if active_only else aff)[:CHUNK + 1])
        if not active_only:
            _from_counters(affiliates)
    child_query = "?inactive=hide" if active_only else ""
    more_query = f"?offset={offset + CHUNK}" + ("&inactive=hide" if active_only else "")
    return render_page(request, "orgs/_org_children.html", {
        "parent": parent, "children": children, "more": more, "more_query": more_query, "offset": offset,
        "affiliates": affiliates[:CHUNK], "more_affiliates": len(affiliates) > CHUNK, "child_query": child_query,
    })


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The org page: breadcrumbs, properties, figures, children, affiliates, links and timeline."""
    user = request.user
    org = _visible(request, pk)
    if wants_export(request):
        return _export(user, _subtree(user, org), None, org.display_name)
    trail = [*_trails([org], user)[org.pk], org]
    sort = CHILDREN_SORTING(request)
    kids = sort.apply(_subtree(user, org).filter(depth=org.depth + 1))
    regional = scope_for(user, "view").covers_regionally(org.path)
    page = paginate(request, kids, known_count=org.numchild if regional else None)
    children = list(page.object_list)
    _from_counters(children)
    page.object_list = children
    figures = {"units": org.tree_orgs, "active": org.tree_active, "people": org.tree_people,
               "members": org.tree_members}
    context: dict[str, Any] = {
        "org": org, "trail": trail, "page": page, "figures": figures, "sort": sort,
        "can_change": org.can_change(user), "can_add": bool(allowed_child_kinds(org)) and org.is_active,
        "can_restructure": org.can_restructure(user),
        "union_visible": org.industry_union is not None and org.industry_union.in_scope(user),
        "people_url": reverse("orgs:person_list") + f"?org={org.pk}",
        "import_url": reverse("core:import_list") + f"?org={org.pk}",
    }
    if org.kind == OrgKind.INDUSTRY:
        context["industry_figures"] = org.affiliate_totals(user)
        aff = Org.objects.for_user(user).filter(industry_union=org).exclude(path__startswith=org.path)
        apage = Paginator(aff, settings.PAGE_SIZE).get_page(request.GET.get("apage"))
        apage.object_list = list(apage.object_list)
        _from_counters(apage.object_list)
        context["affiliates"] = apage
    context["events"] = history.describe(audit.timeline(org, limit=50))
    context["panels"] = registry.detail_panels(request, "orgs.org", org)  # other apps' panels (honours held…)
    return render_page(request, "orgs/org_detail.html", context)


@login_required
def org_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a unit directly under the org `pk` (services.create_org)."""
    parent = _changeable(request, pk)
    kinds = allowed_child_kinds(parent)
    form = OrgForm(request.POST or None, user=request.user, parent=parent,
                   initial={"kind": kinds[0][0] if len(kinds) == 1 else "",
                            "region_code": parent.region_code} if request.method != "POST" else None)
    if request.method == "POST" and kinds and form.is_valid():
        data = form.service_data()
        try:
            org = services.create_org(actor=logged_in(request.user), parent=parent, **data)
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, _("%(name)s was added under %(parent)s.") % {
                "name": org.name, "parent": parent.name})
            if org.kind in rules.CREDIT_CODE_KINDS and not org.credit_code:
                messages.warning(request, _("No unified social credit code was entered; please add it when known."))
            return redirect("orgs:org_detail", pk=org.pk)
    return render_page(request, "orgs/org_form.html", {
        "form": form, "parent": parent, "kinds": kinds, "trail": [*_trails([parent], request.user)[parent.pk], parent],
        "creating": True})


@login_required
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _changeable(request, pk)
    parent = Org.objects.get_parent(org)
    form = OrgForm(request.POST or None, user=request.user, parent=parent, instance=org,
                   restructure=org.can_restructure(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_org(actor=logged_in(request.user), org=org, **form.service_data())
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, _("The changes to %(name)s were saved.") % {"name": form.cleaned_data["name"]})
            return redirect("orgs:org_detail", pk=org.pk)
    return render_page(request, "orgs/org_form.html", {
        "form": form, "org": org, "parent": parent, "trail": [*_trails([org], request.user)[org.pk], org],
        "creating": False})


@login_required
def org_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Re-parent a subtree: search for the new parent among the units the user may change."""
    user = request.user
    org = _restructurable(request, pk)
    form = MoveForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        new_parent = form.cleaned_data["parent"]
        try:
            services.move_org(actor=logged_in(user), org=org, new_parent=new_parent)
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, _("%(name)s now belongs to %(parent)s.") % {
                "name": org.name, "parent": new_parent.name})
            return redirect("orgs:org_detail", pk=org.pk)
    q = (request.GET.get("q") or request.POST.get("q") or "").strip()[:60]
    current_parent = Org.objects.get_parent(org)
    candidates: list[Org] = []
    if q:
        qs = Org.objects.for_user(user, "change").filter(
            kind__in=rules.ALLOWED_PARENTS.get(org.kind, set()), is_active=True).exclude(path__startswith=org.path)
        if current_parent is not None:
            qs = qs.exclude(pk=current_parent.pk)
        candidates = list(_search(qs, q)[:MOVE_CANDIDATES])
        trails = _trails(candidates, user)
        for c in candidates:
            c.trail = trails[c.pk]
    context = {"org": org, "form": form, "q": q, "candidates": candidates, "limit": MOVE_CANDIDATES,
               "current_parent": current_parent, "figures": _subtree_figures(org),
               "trail": [*_trails([org], user)[org.pk], org],
               "chosen": form.data.get("parent") if form.is_bound else None}
    return render_page(request, "orgs/org_move.html", context, fragment="orgs/_org_move_candidates.html")


@login_required
def org_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate a unit and its subtree, with a reason; units are never hard-deleted."""
    org = _restructurable(request, pk)
    form = DeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deactivate_org(actor=logged_in(request.user), org=org, reason=form.cleaned_data["reason"].strip())
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, _("%(name)s and the units under it were deactivated.") % {"name": org.name})
            return redirect("orgs:org_detail", pk=org.pk)
    affected = Org.objects.filter(path__startswith=org.path, is_active=True).order_by().aggregate(
        units=Count("pk"), people=Sum("person_count"), members=Sum("member_count"))
    return render_page(request, "orgs/org_deactivate.html", {
        "org": org, "form": form, "affected": {k: v or 0 for k, v in affected.items()},
        "trail": [*_trails([org], request.user)[org.pk], org]})


@login_required
@require_POST
def org_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    org = _restructurable(request, pk)
    try:
        services.reactivate_org(actor=logged_in(request.user), org=org)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("%(name)s and the units under it are active again.") % {"name": org.name})
    return redirect("orgs:org_detail", pk=org.pk)


urlpatterns = [
    path("orgs/", org_tree, name="org_tree"),
    path("orgs/<id:pk>/", org_detail, name="org_detail"),
    path("orgs/<id:pk>/children/", org_children, name="org_children"),
    path("orgs/<id:pk>/add/", org_create, name="org_create"),
    path("orgs/<id:pk>/edit/", org_edit, name="org_edit"),
    path("orgs/<id:pk>/move/", org_move, name="org_move"),
    path("orgs/<id:pk>/deactivate/", org_deactivate, name="org_deactivate"),
    path("orgs/<id:pk>/reactivate/", org_reactivate, name="org_reactivate"),
]
