"""The labour-protection pages: the checks (list, detail with the hazards and their follow-up, overdue highlighted),
the hazards past their deadline (the county union's to-do), and the 安康杯 (the years, a year's board with the entries,
indicators, ranking with reasons and awards). Every write goes through a verb; what the user may not see is a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import pages
from gongjiang.core.types import logged_in
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org
from gongjiang.orgs.scoping import ancestors

from .. import queries, services
from ..models import AnkangCampaign, AnkangEntry, Hazard, SafetyCheck
from ..models.protection import AwardKind, CheckKind, Severity
from ..queries import protection as pq
from ..rules import ankang as rules
from . import _cadre, _form_page, _org

DATE = forms.DateInput(attrs={"type": "date"})
HAZARD_ROWS = 3


# ---------------------------------------------------------------------------------------------
# Forms (each feeds one verb, which checks everything again)


class _HazardFields(forms.Form):
    def add_hazard_rows(self, required_first: bool = False) -> None:
        for i in range(1, HAZARD_ROWS + 1):
            self.fields[f"hazard_{i}"] = forms.CharField(
                label=gettext_lazy("Hazard %(n)d") % {"n": i}, max_length=300, required=required_first and i == 1)
            self.fields[f"severity_{i}"] = forms.ChoiceField(label=gettext_lazy("severity"),
                                                             choices=Severity.choices, initial=Severity.GENERAL)
            self.fields[f"deadline_{i}"] = forms.DateField(label=gettext_lazy("follow-up deadline"), widget=DATE,
                                                           required=False)

    def hazards(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        return [{"description": d[f"hazard_{i}"], "severity": d[f"severity_{i}"], "deadline": d[f"deadline_{i}"]}
                for i in range(1, HAZARD_ROWS + 1) if d.get(f"hazard_{i}")]


class CheckForm(_HazardFields):
    enterprise = forms.ModelChoiceField(label=gettext_lazy("enterprise"), queryset=Org.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=CheckKind.choices)
    checked_on = forms.DateField(label=gettext_lazy("checked on"), widget=DATE)
    inspectors = forms.CharField(label=gettext_lazy("inspectors"), max_length=200)
    findings = forms.CharField(label=gettext_lazy("findings"), widget=forms.Textarea(attrs={"rows": 3}),
                               required=False)

    def __init__(self, *args: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.add_hazard_rows()


class HazardsForm(_HazardFields):
    found_on = forms.DateField(label=gettext_lazy("found on"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_hazard_rows(required_first=True)


class CloseHazardForm(forms.Form):
    closed_on = forms.DateField(label=gettext_lazy("closed on"), widget=DATE)
    evidence = forms.CharField(label=gettext_lazy("evidence"), max_length=300)


class CloseCheckForm(forms.Form):
    closed_on = forms.DateField(label=gettext_lazy("closed on"), widget=DATE)


class AnkangForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("year"))
    title = forms.CharField(label=gettext_lazy("title"), max_length=120)
    quota_enterprises = forms.IntegerField(label=gettext_lazy("quota of winning enterprises"), min_value=0)
    quota_teams = forms.IntegerField(label=gettext_lazy("quota of winning teams"), min_value=0)
    quota_organisers = forms.IntegerField(label=gettext_lazy("quota of outstanding organising units"), min_value=0)


class EnterForm(forms.Form):
    units = forms.ModelMultipleChoiceField(label=gettext_lazy("enterprises and teams"), queryset=Org.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    registered_on = forms.DateField(label=gettext_lazy("registered on"), widget=DATE)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class IndicatorsForm(forms.Form):
    workers = forms.IntegerField(label=rules.LABELS["workers"])
    accidents = forms.IntegerField(label=rules.LABELS["accidents"], initial=0)
    serious_accidents = forms.IntegerField(label=rules.LABELS["serious_accidents"], initial=0)
    deaths = forms.IntegerField(label=rules.LABELS["deaths"], initial=0)
    hazards_found = forms.IntegerField(label=rules.LABELS["hazards_found"], initial=0)
    hazards_fixed = forms.IntegerField(label=rules.LABELS["hazards_fixed"], initial=0)
    training_sessions = forms.IntegerField(label=rules.LABELS["training_sessions"], initial=0)
    people_trained = forms.IntegerField(label=rules.LABELS["people_trained"], initial=0)


class EvaluateForm(forms.Form):
    evaluated_on = forms.DateField(label=gettext_lazy("evaluated on"), widget=DATE)


class AwardForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("award"), choices=AwardKind.choices)
    orgs = forms.ModelMultipleChoiceField(label=gettext_lazy("units"), queryset=Org.objects.none(),
                                          widget=forms.CheckboxSelectMultiple)
    conferred_on = forms.DateField(label=gettext_lazy("conferred on"), widget=DATE)

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["orgs"].queryset = orgs


# ---------------------------------------------------------------------------------------------
# Checks


@login_required
def checks(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    qs = pq.checks_for(request.user)
    state = request.GET.get("state", "")
    if state == "open":
        qs = qs.filter(closed_on=None)
    elif state == "overdue":
        qs = qs.filter(overdue_hazards__gt=0)
    org = _org(request)
    return render(request, "rights/protection/checks.html", {
        "page": pages.paginate(request, qs, 50), "state": state, "org": org,
        "overdue": pq.overdue(request.user).count(), "can_record": org.in_scope(request.user, "change")})


@login_required
def check_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Org.objects.for_user(request.user, "change"), pk=pk)
    enterprises = queries.enterprises_in(org).order_by("path") if org.kind != OrgKind.GRASSROOTS \
        else Org.objects.filter(pk=org.pk)
    form = CheckForm(request.POST or None, enterprises=enterprises,
                     initial={"checked_on": timezone.localdate(), "kind": CheckKind.SUPERVISION})
    return _form_page(
        request, form, lambda d: services.record_check(
            actor=logged_in(request.user), org=org, enterprise=d["enterprise"], kind=d["kind"],
            checked_on=d["checked_on"], inspectors=d["inspectors"], findings=d["findings"], hazards=form.hazards()),
        title=_("Record a labour protection check") + f" · {org.display_name}", back=reverse("rights:checks"),
        done=lambda c: c.get_absolute_url(), success=_("Check recorded; the enterprise's union was told of the "
                                                       "hazards."),
        intro=_("Give each hazard a follow-up deadline of today or later; more hazards can be added on the check's "
                "page."))


@login_required
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    check = get_object_or_404(SafetyCheck.objects.for_user(request.user).select_related("org", "enterprise"), pk=pk)
    today = timezone.localdate()
    hazards = list(check.hazards.all())
    can_close_hazards = check.org.in_scope(request.user, "change") or check.enterprise.in_scope(request.user,
                                                                                               "change")
    return render(request, "rights/protection/check.html", {
        "check": check, "rows": [(h, h.overdue(today)) for h in hazards],
        "open": sum(1 for h in hazards if not h.is_closed), "today": today,
        "can_change": check.org.in_scope(request.user, "change"), "can_close_hazards": can_close_hazards})


@login_required
def hazards_add(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(SafetyCheck.objects.for_user(request.user, "change").select_related("enterprise"),
                              pk=pk)
    form = HazardsForm(request.POST or None, initial={"found_on": timezone.localdate()})
    return _form_page(
        request, form, lambda d: services.add_hazards(actor=logged_in(request.user), check=check,
                                                      hazards=form.hazards(), found_on=d["found_on"]),
        title=_("Add hazards") + f" · {check}", back=check.get_absolute_url(),
        done=lambda _h: check.get_absolute_url(), success=_("Hazards added."))


@login_required
def hazard_close(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = get_object_or_404(Hazard.objects.for_user(request.user, "change").select_related("safety_check"),
                               pk=pk)
    check = hazard.safety_check
    form = CloseHazardForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    return _form_page(
        request, form, lambda d: services.close_hazard(actor=logged_in(request.user), hazard=hazard, **d),
        title=_("Close a hazard") + f" · {hazard.description}", back=check.get_absolute_url(),
        done=lambda _h: check.get_absolute_url(), success=_("Hazard closed."),
        intro=_("Note the evidence that it was put right: photos filed, a re-inspection, a receipt."))


@login_required
def check_close(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(SafetyCheck.objects.for_user(request.user, "change").select_related("enterprise"),
                              pk=pk)
    form = CloseCheckForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    return _form_page(
        request, form, lambda d: services.close_check(actor=logged_in(request.user), check=check, **d),
        title=_("Close the check") + f" · {check}", back=check.get_absolute_url(),
        done=lambda c: c.get_absolute_url(), success=_("Check closed."))


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    return render(request, "rights/protection/overdue.html", {
        "page": pages.paginate(request, pq.overdue(request.user), 50), "today": timezone.localdate()})


# ---------------------------------------------------------------------------------------------
# The 安康杯


@login_required
def ankang_list(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    org = _org(request)
    return render(request, "rights/protection/ankang_list.html", {
        "campaigns": list(pq.campaigns_for(request.user)[:100]), "org": org,
        "can_open": org.in_scope(request.user, "change") and org.kind not in (OrgKind.TEAM, OrgKind.DEPARTMENT)})


@login_required
def ankang_new(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    if not org.in_scope(request.user, "change"):
        raise PermissionDenied(_("Choose a union of yours."))
    year = timezone.localdate().year
    form = AnkangForm(request.POST or None, initial={
        "year": year, "title": _("%(year)d Ankang Cup competition of %(org)s") % {"year": year,
                                                                                 "org": org.display_name},
        "quota_enterprises": 3, "quota_teams": 5, "quota_organisers": 2})
    return _form_page(
        request, form, lambda d: services.open_ankang(actor=logged_in(request.user), org=org, **d),
        title=_("Open an Ankang Cup competition") + f" · {org.display_name}", back=reverse("rights:ankang_list"),
        done=lambda c: c.get_absolute_url(), success=_("Competition opened: enter the enterprises and teams next."),
        intro=_("Scored by the standard rules: base 40; hazard fix rate up to 25, training sessions up to 15, "
                "workers trained up to 20; 10 points off an accident (at most 30), 20 off a serious one (at most "
                "40); a death disqualifies."))


@login_required
def ankang_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    campaign = get_object_or_404(pq.campaigns_for(request.user), pk=pk)
    can_change = campaign.org.in_scope(request.user, "change")
    return render(request, "rights/protection/ankang.html", {
        "campaign": campaign, "board": pq.board(campaign, request.user), "can_change": can_change,
        "quotas": [(k, campaign.quota(k)) for k in AwardKind], "rubric": campaign.rubric,
        "evaluate_form": EvaluateForm(initial={"evaluated_on": timezone.localdate()}) if can_change else None})


@login_required
def ankang_enter(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(pq.campaigns_for(request.user), pk=pk)
    o = campaign.org
    reach = Org.objects.for_user(request.user, "change").filter(path__startswith=o.path,
                                                                kind__in=(OrgKind.GRASSROOTS, OrgKind.TEAM),
                                                                is_active=True)
    units = reach.exclude(pk__in=campaign.entries.values("unit_id")).order_by("path")
    if not units.exists() and not o.in_scope(request.user, "change"):
        raise PermissionDenied(_("None of your units can be entered here."))
    form = EnterForm(request.POST or None, units=Org.objects.filter(pk__in=list(units.values_list("pk",
                                                                                                    flat=True)[:500])),
                     initial={"registered_on": timezone.localdate()})
    return _form_page(
        request, form, lambda d: services.enter_ankang(actor=logged_in(request.user), campaign=campaign,
                                                       units=list(d["units"]), registered_on=d["registered_on"]),
        title=_("Enter enterprises and teams") + f" · {campaign.title}", back=campaign.get_absolute_url(),
        done=lambda _e: campaign.get_absolute_url(), success=_("Entered; their unions were told."))


@login_required
def entry_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(AnkangEntry.objects.for_user(request.user, "change").select_related("campaign",
                                                                                                 "unit"), pk=pk)
    initial = {n: getattr(entry, n) for n in rules.Indicators.names() if getattr(entry, n) is not None}
    form = IndicatorsForm(request.POST or None, initial=initial)
    return _form_page(
        request, form, lambda d: services.record_indicators(actor=logged_in(request.user), entry=entry, **d),
        title=_("The year's indicators") + f" · {entry.unit.display_name}", back=entry.campaign.get_absolute_url(),
        done=lambda _e: entry.campaign.get_absolute_url(), success=_("Indicators recorded."),
        intro=_("A serious accident counts among the accidents too; deaths are recorded with their accident."))


@login_required
def ankang_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(AnkangCampaign.objects.for_user(request.user, "change"), pk=pk)
    form = EvaluateForm(request.POST or None, initial={"evaluated_on": timezone.localdate()})
    return _form_page(
        request, form, lambda d: services.evaluate_ankang(actor=logged_in(request.user), campaign=campaign, **d),
        title=_("Evaluate the year") + f" · {campaign.title}", back=campaign.get_absolute_url(),
        done=lambda c: c.get_absolute_url(), success=_("Evaluated: the ranking and its reasons are on the board."))


@login_required
def ankang_award(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(AnkangCampaign.objects.for_user(request.user, "change").select_related("org"),
                                 pk=pk)
    kind = request.POST.get("kind") or request.GET.get("kind") or AwardKind.ENTERPRISE
    if kind == AwardKind.ORGANISER:
        paths = {a for p in campaign.entries.values_list("unit__path", flat=True) for a in ancestors(p)}
        orgs = Org.objects.filter(path__in=paths, path__startswith=campaign.org.path).exclude(
            pk=campaign.org_id).exclude(kind__in=(OrgKind.TEAM, OrgKind.DEPARTMENT))
    else:
        orgs = Org.objects.filter(pk__in=campaign.entries.filter(is_team=kind == AwardKind.TEAM, disqualified=False)
                                  .exclude(place=None).values("unit_id"))
    form = AwardForm(request.POST or None, orgs=orgs.order_by("path"),
                     initial={"kind": kind, "conferred_on": timezone.localdate()})
    return _form_page(
        request, form, lambda d: services.confer_ankang_awards(actor=logged_in(request.user), campaign=campaign,
                                                               kind=d["kind"], orgs=list(d["orgs"]),
                                                               conferred_on=d["conferred_on"]),
        title=_("Confer awards") + f" · {campaign.title}", back=campaign.get_absolute_url(),
        done=lambda _a: campaign.get_absolute_url(), success=_("Awards conferred; the units' unions were told."),
        intro=_("Within the quota of each award; a disqualified entry is never awarded."))
