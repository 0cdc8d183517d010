"""The rubrics' pages: the list, a new rubric from its JSON definition (every problem listed beside it), a rubric's
page with its items as a tree and its revision (a new version once used)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongjiang.core import pages
from gongjiang.core.rubrics import rubric as rules
from gongjiang.core.types import logged_in
from gongjiang.orgs import facts
from gongjiang.orgs.queries.orgs import page_org

from .. import services
from ..forms import RubricForm, as_text
from ..models import Rubric


@login_required
def rubric_list(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    rows = list(Rubric.objects.for_user(request.user).select_related("org")[:200])
    return render(request, "assessments/rubrics.html", {
        "rows": rows, "org": org, "can_create": org is not None and org.in_scope(request.user, "change")})


@login_required
def rubric_new(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    if org is None or not org.in_scope(request.user, "change"):
        raise PermissionDenied(_("Choose a union of yours to define its rubric."))
    form = RubricForm(request.POST or None, initial=RubricForm.sample())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        rubric = pages.handle(form, lambda: services.define_rubric(
            actor=logged_in(request.user), org=org, title=d["title"], definition=d["definition"]))
        if rubric is not None:
            messages.success(request, _("Rubric defined."))
            return redirect("assessments:rubric_detail", pk=rubric.pk)
    return render(request, "assessments/rubric_form.html", {"form": form, "org": org},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def rubric_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = get_object_or_404(Rubric.objects.for_user(request.user).select_related("org"), pk=pk)
    can_change = rubric.can_change(request.user)
    labels = {m.key: str(m.label) for m in facts.metrics()}
    initial = {"title": rubric.title, "definition": as_text(rubric.rules, labels)}
    form = RubricForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("Only the owning union changes its rubric."))
        if form.is_valid():
            d = form.cleaned_data
            new = pages.handle(form, lambda: services.revise_rubric(
                actor=logged_in(request.user), rubric=rubric, title=d["title"], definition=d["definition"]))
            if new is not None:
                messages.success(request, _("Rubric saved as version %(v)s.") % {"v": new.version})
                return redirect("assessments:rubric_detail", pk=new.pk)
    parsed = rubric.rules
    rows = []

    def walk(items: tuple[rules.Item, ...], depth: int) -> None:
        for i in items:
            levels = "、".join(f"{n} {p.normalize():f}" for n, p in i.levels)
            rows.append({"item": i, "depth": depth, "metric": labels.get(i.metric, i.metric), "levels": levels})
            walk(i.children, depth + 1)

    walk(parsed.items, 0)
    return render(request, "assessments/rubric_detail.html", {
        "rubric": rubric, "parsed": parsed, "rows": rows, "form": form, "can_change": can_change},
        status=400 if form.is_bound and form.errors else 200)
