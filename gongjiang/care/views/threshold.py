"""The local threshold's page: the value that applies at the chosen union (its own or inherited) and, for its
administrators, the form to set it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongjiang.core import pages
from gongjiang.core.types import logged_in
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.queries.orgs import page_org

from .. import services
from ..forms import ThresholdForm
from ..household import threshold_for
from ..models import CareSetting
from .files import _cadre


@login_required
def threshold(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    org = page_org(request)
    value, set_by = threshold_for(org) if org is not None else (None, None)
    can_set = (org is not None and org.can_manage(request.user)
               and org.kind in (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY))
    form = ThresholdForm(request.POST or None, initial={"monthly_minimum": value})
    if request.method == "POST" and can_set and form.is_valid() and org is not None:
        if pages.handle(form, lambda: services.set_threshold(
                actor=logged_in(request.user), org=org,
                monthly_minimum=form.cleaned_data["monthly_minimum"])) is not None:
            messages.success(request, _("Local threshold saved."))
            return redirect(f"{request.path}?org={org.pk}")
    below = list(CareSetting.objects.for_user(request.user, "view").select_related("org")
                 .filter(org__path__startswith=org.path).order_by("org__path")[:200]) if org else []
    return render(request, "care/threshold.html", {"org": org, "value": value, "set_by": set_by, "form": form,
                                                   "can_set": can_set, "below": below},
                  status=400 if form.is_bound and form.errors else 200)
