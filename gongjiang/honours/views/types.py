"""The honour types: the list every cadre reads, and the federation administrators' form to define or change
one (its eligibility criteria as data)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongjiang.core import pages
from gongjiang.core.types import logged_in
from gongjiang.orgs.models import Org

from .. import services
from ..forms import HonourTypeForm
from ..models import HonourType


def _manages_types(request: HttpRequest) -> bool:
    return any(root.in_scope(request.user, "manage") for root in Org.objects.filter(depth=1))


@login_required
def type_list(request: HttpRequest) -> HttpResponse:
    rows = list(HonourType.objects.order_by("level", "subject", "name"))
    names = {t.code: t.name for t in rows}
    return render(request, "honours/types.html", {
        "rows": [(t, "、".join(names.get(c, c) for c in t.requires_any), "、".join(names.get(c, c) for c in t.excludes))
                 for t in rows],
        "can_manage": _manages_types(request)})


@login_required
def type_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not _manages_types(request):
        raise PermissionDenied(_("Only the administrators of the provincial federation manage honour types."))
    honour = get_object_or_404(HonourType, pk=pk) if pk is not None else None
    initial = {f: getattr(honour, f) for f in ("code", *services.types.FIELDS)} if honour else None
    form = HonourTypeForm(request.POST or None, initial=initial, editing=honour is not None)
    if request.method == "POST" and form.is_valid():
        d = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        actor = logged_in(request.user)
        done = pages.handle(form, lambda: services.change_honour_type(actor=actor, honour_type=honour, **d)
                            if honour is not None else
                            services.define_honour_type(actor=actor, code=form.cleaned_data["code"], **d))
        if done is not None:
            messages.success(request, _("Honour type saved."))
            return redirect("honours:type_list")
    return render(request, "honours/type_form.html", {"form": form, "honour": honour},
                  status=400 if form.is_bound and form.errors else 200)
