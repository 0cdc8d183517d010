"""The rights pages: the rates of an org with drill-down and the enterprises lacking each item, an enterprise's
record, congress and session pages, contracts, the 要约 campaigns' boards and the contracts expiring. Every write
goes through a verb; what the user may not see is a 404."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongjiang.core import pages
from gongjiang.core.types import logged_in
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.plugins import is_cadre
from gongjiang.orgs.queries.orgs import page_org
from gongjiang.orgs.scoping import grant_orgs

from .. import queries, services
from ..choices import WOMEN_ITEMS, CongressForm, ContractKind, OfferState
from ..forms import (
    AdvanceOfferForm,
    BoardSeatForm,
    CampaignForm,
    ContractForm,
    DateForm,
    DelegatesForm,
    HandleMotionForm,
    MatterForm,
    MotionForm,
    OffersForm,
    OpennessForm,
    RecordCongressForm,
    SessionForm,
)
from ..models import BargainingCampaign, Congress, Contract, Motion, Offer, Session


def _cadre(request: HttpRequest) -> None:
    if not is_cadre(request.user):
        raise PermissionDenied(_("This page is for union cadres."))


def _org(request: HttpRequest) -> Org:
    """The org of the page: ?org=, the top bar's scope, or the user's first role."""
    org = page_org(request)
    if org is None:
        roots = grant_orgs(request.user)
        if not roots:
            raise Http404
        org = roots[0]
    return org


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    this = queries.today().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this + 3 else this


def _form_page(request: HttpRequest, form: forms.Form, call: Callable[[dict[str, Any]], Any], *, title: str,
               back: str, done: Callable[[Any], str], success: str, intro: str = "") -> HttpResponse:
    """A page with one form feeding one verb: shown again with the refusal beside its field, or on to `done`."""
    if request.method == "POST" and form.is_valid():
        result = pages.handle(form, lambda: call(form.cleaned_data))
        if result is not None:
            messages.success(request, success)
            return redirect(done(result))
    return render(request, "rights/form.html", {"form": form, "title": title, "back": back, "intro": intro},
                  status=400 if form.is_bound and form.errors else 200)


def _enterprise(request: HttpRequest, pk: int, action: str = "view") -> Org:
    return get_object_or_404(Org.objects.for_user(request.user, action).filter(kind=OrgKind.GRASSROOTS), pk=pk)


def _roster(enterprises: list[Org]) -> Any:
    from django.db.models import Q

    q = Q(pk__in=[])
    for e in enterprises:
        q |= Q(employer__path__startswith=e.path)
    return Person.objects.filter(q).select_related("employer").order_by("employer__path", "name")


# ---------------------------------------------------------------------------------------------
# Rates and gaps


@login_required
def rates(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    org, year = _org(request), _year(request)
    own, rows = queries.rate_rows(org, year)
    if pages.wants_export(request):
        headers = [_("union"), _("enterprises"), *[str(label) for _k, _m, label in queries.ITEMS],
                   _("workers covered"), _("coverage (%)")]
        return pages.export(f"{org.display_name}{year}", headers, [
            [r.org.display_name, r.enterprises, *[f"{n}（{rate}%）" for _k, n, rate, _gap in r.rates], r.covered,
             r.coverage] for r in [own, *rows]])
    return render(request, "rights/rates.html", {
        "org": org, "year": year, "own": own, "rows": rows, "items": queries.ITEMS,
        "years": list(range(queries.today().year + 1, queries.today().year - 5, -1)),
        "trail": [o for o in org.ancestors_and_self() if o.in_scope(request.user, "view")]})


@login_required
def lacking(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    org, year, item = _org(request), _year(request), request.GET.get("item", "congress")
    if item not in queries.ITEM_KEYS:
        raise Http404
    page = pages.paginate(request, queries.lacking(org, year, item), 50)
    label = next(label for k, _m, label in queries.ITEMS if k == item)
    return render(request, "rights/lacking.html", {"org": org, "year": year, "item": item, "label": label,
                                                   "page": page, "items": queries.ITEMS})


# ---------------------------------------------------------------------------------------------
# An enterprise's democratic management


@login_required
def enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    org = _enterprise(request, pk)
    return render(request, "rights/enterprise.html", {
        "record": queries.enterprise_record(org), "org": org, "can_change": org.in_scope(request.user, "change"),
        "women_items": WOMEN_ITEMS})


@login_required
def congress_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Org.objects.for_user(request.user, "change"), pk=pk)
    regional = org.kind != OrgKind.GRASSROOTS
    form = RecordCongressForm(request.POST or None, enterprises=queries.enterprises_in(org) if regional else None,
                              initial={"form": CongressForm.REGIONAL if regional else CongressForm.CONGRESS})
    return _form_page(
        request, form, lambda d: services.record_congress(
            actor=logged_in(request.user), org=org, form=d["form"], established_on=d["established_on"],
            term_years=d["term_years"], enterprises=list(d.get("enterprises") or []), note=d["note"]),
        title=_("Record a workers' congress") + f" · {org.display_name}",
        back=org.get_absolute_url() if regional else _url("rights:enterprise", org.pk),
        done=lambda c: c.get_absolute_url(), success=_("Congress recorded: now add its delegates."),
        intro=_("A term lasts three to five years; a session needs two thirds of the delegates present."))


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@login_required
def congress_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    congress = get_object_or_404(Congress.objects.for_user(request.user).select_related("org"), pk=pk)
    return render(request, "rights/congress.html", {
        "congress": congress, "shares": queries.congress_shares(congress),
        "delegates": list(congress.delegates.select_related("person__employer")),
        "sessions": list(congress.sessions.all()), "enterprises": list(congress.enterprises.order_by("path")),
        "can_change": congress.org.in_scope(request.user, "change")})


@login_required
def delegates_add(request: HttpRequest, pk: int) -> HttpResponse:
    congress = get_object_or_404(Congress.objects.for_user(request.user, "change"), pk=pk)
    people = _roster(list(congress.enterprises.all())).exclude(
        pk__in=congress.delegates.values("person_id"))
    form = DelegatesForm(request.POST or None, people=people, initial={"elected_on": congress.established_on})
    return _form_page(
        request, form, lambda d: services.elect_delegates(actor=logged_in(request.user), congress=congress,
                                                          people=list(d["people"]), elected_on=d["elected_on"]),
        title=_("Elect delegates") + f" · {congress}", back=congress.get_absolute_url(),
        done=lambda _r: congress.get_absolute_url(), success=_("Delegates added."))


@login_required
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    congress = get_object_or_404(Congress.objects.for_user(request.user, "change"), pk=pk)
    form = SessionForm(request.POST or None)
    return _form_page(
        request, form, lambda d: services.hold_session(actor=logged_in(request.user), congress=congress,
                                                       held_on=d["held_on"], present=d["present"], kind=d["kind"],
                                                       note=d["note"]),
        title=pgettext("congress", "Record a session") + f" · {congress}", back=congress.get_absolute_url(),
        done=lambda s: s.get_absolute_url(), success=_("Session recorded."))


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    session = get_object_or_404(Session.objects.for_user(request.user).select_related("congress__org"), pk=pk)
    return render(request, "rights/session.html", {
        "session": session, "motions": list(session.motions.all()), "matters": list(session.matters.all()),
        "can_change": session.congress.org.in_scope(request.user, "change")})


@login_required
def motion_new(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.for_user(request.user, "change"), pk=pk)
    return _form_page(
        request, MotionForm(request.POST or None), lambda d: services.submit_motion(
            actor=logged_in(request.user), session=session, title=d["title"], proposer=d["proposer"]),
        title=_("Record a motion") + f" · {session}", back=session.get_absolute_url(),
        done=lambda _m: session.get_absolute_url(), success=_("Motion recorded."))


@login_required
def motion_handle(request: HttpRequest, pk: int) -> HttpResponse:
    motion = get_object_or_404(Motion.objects.for_user(request.user, "change").select_related("session"), pk=pk)
    return _form_page(
        request, HandleMotionForm(request.POST or None), lambda d: services.handle_motion(
            actor=logged_in(request.user), motion=motion, state=d["state"], handled_on=d["handled_on"],
            handler=d["handler"], reply=d["reply"]),
        title=_("Handle the motion") + f" · {motion.title}", back=motion.session.get_absolute_url(),
        done=lambda _m: motion.session.get_absolute_url(), success=_("Handling recorded."))


@login_required
def matter_new(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.for_user(request.user, "change"), pk=pk)
    return _form_page(
        request, MatterForm(request.POST or None), lambda d: services.record_matter(
            actor=logged_in(request.user), session=session, **d),
        title=_("Record a matter reviewed") + f" · {session}", back=session.get_absolute_url(),
        done=lambda _m: session.get_absolute_url(), success=_("Matter recorded."))


@login_required
def openness_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = _enterprise(request, pk, "change")
    return _form_page(
        request, OpennessForm(request.POST or None), lambda d: services.publish_openness(
            actor=logged_in(request.user), enterprise=org, **d),
        title=_("Record an item made public") + f" · {org.display_name}", back=_url("rights:enterprise", org.pk),
        done=lambda _i: _url("rights:enterprise", org.pk), success=_("Item recorded."))


@login_required
def seat_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = _enterprise(request, pk, "change")
    form = BoardSeatForm(request.POST or None, people=_roster([org]))
    return _form_page(
        request, form, lambda d: services.elect_board_seat(actor=logged_in(request.user), enterprise=org, **d),
        title=_("Record an employee director or supervisor") + f" · {org.display_name}",
        back=_url("rights:enterprise", org.pk), done=lambda _s: _url("rights:enterprise", org.pk),
        success=_("Seat recorded."))


# ---------------------------------------------------------------------------------------------
# Contracts


@login_required
def contract_new(request: HttpRequest, pk: int) -> HttpResponse:
    """An enterprise's own contract (a regional or industry contract covering several firms: the API)."""
    org = _enterprise(request, pk, "change")
    renews = None
    if request.GET.get("renews", "").isdigit():
        renews = get_object_or_404(Contract.objects.for_user(request.user, "change"), pk=request.GET["renews"])
    initial: dict[str, Any] = {"employer_party": org.name.removesuffix("工会"), "workers": org.employee_count or None}
    if renews is not None:
        initial.update(kind=renews.kind, title=renews.title, starts_on=renews.last_day + datetime.timedelta(days=1),
                       min_wage=renews.min_wage, weekly_hours=renews.weekly_hours, women_items=renews.women_items)
    form = ContractForm(request.POST or None, initial=initial)
    return _form_page(
        request, form, lambda d: services.draft_contract(
            actor=logged_in(request.user), org=org, kind=d["kind"], title=d["title"],
            employer_party=d["employer_party"], starts_on=d["starts_on"], ends_on=d["ends_on"],
            coverage=[(org, d["workers"])], min_wage=d["min_wage"], wage_increase=d["wage_increase"],
            weekly_hours=d["weekly_hours"], women_items=d["women_items"], renews=renews),
        title=(_("Renew the contract") if renews else _("Record a collective contract")) + f" · {org.display_name}",
        back=_url("rights:enterprise", org.pk), done=lambda c: c.get_absolute_url(),
        success=_("Contract recorded as a draft: record its signing next."),
        intro=_("A term of at most three years, not overlapping another contract of the same kind."))


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    contract = get_object_or_404(queries.contracts_for(request.user), pk=pk)
    return render(request, "rights/contract.html", {
        "contract": contract, "coverage": list(contract.coverage.select_related("enterprise")),
        "women_items": [WOMEN_ITEMS[i] for i in contract.women_items if i in WOMEN_ITEMS],
        "renewal": Contract.objects.filter(renews=contract).first(),
        "expiring": contract.in_force and queries.contract_rules.expiring(contract.last_day, queries.today()),
        "can_change": contract.org.in_scope(request.user, "change")})


CONTRACT_ACTIONS = {"sign", "file", "terminate"}


@login_required
def contract_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    contract = get_object_or_404(Contract.objects.for_user(request.user, "change").select_related("org"), pk=pk)
    if action not in CONTRACT_ACTIONS:
        raise Http404
    form = DateForm(request.POST or None, initial={"on": queries.today()})
    if action != "file":
        del form.fields["filed_with"]
    if action != "terminate":
        del form.fields["reason"]
    actor = logged_in(request.user)

    def call(d: dict[str, Any]) -> Contract:
        if action == "sign":
            return services.sign_contract(actor=actor, contract=contract, signed_on=d["on"])
        if action == "file":
            return services.file_contract(actor=actor, contract=contract, filed_on=d["on"],
                                          filed_with=d["filed_with"])
        return services.terminate_contract(actor=actor, contract=contract, terminated_on=d["on"],
                                           reason=d["reason"])

    titles = {"sign": _("Record the signing"), "file": _("Record the filing with the labour authority"),
              "terminate": _("Terminate the contract")}
    return _form_page(request, form, call, title=f"{titles[action]} · {contract.title}",
                      back=contract.get_absolute_url(), done=lambda c: c.get_absolute_url(), success=_("Recorded."))


@login_required
def expiring(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    page = pages.paginate(request, queries.expiring(request.user), 50)
    return render(request, "rights/expiring.html", {"page": page, "days": queries.contract_rules.EXPIRY_NOTICE_DAYS})


# ---------------------------------------------------------------------------------------------
# 要约 campaigns


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    org = _org(request)
    campaigns = list(queries.campaigns_for(request.user)[:100])
    counts = queries.campaign_counts(campaigns)
    return render(request, "rights/campaigns.html", {
        "org": org, "rows": [(c, [counts[c.pk].get(s.value, 0) for s in OfferState]) for c in campaigns],
        "states": list(OfferState), "can_open": org.in_scope(request.user, "change")})


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    if not org.in_scope(request.user, "change"):
        raise PermissionDenied(_("Choose a union of yours."))
    year = queries.today().year
    form = CampaignForm(request.POST or None, initial={
        "year": year, "title": _("%(year)d wage bargaining offer campaign of %(org)s") % {
            "year": year, "org": org.display_name}, "kind": ContractKind.WAGES})
    return _form_page(
        request, form, lambda d: services.open_bargaining_campaign(actor=logged_in(request.user), org=org, **d),
        title=_("Open a bargaining campaign") + f" · {org.display_name}", back=_url("rights:campaign_list"),
        done=lambda c: c.get_absolute_url(), success=_("Campaign opened: send the offers next."))


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    campaign = get_object_or_404(queries.campaigns_for(request.user), pk=pk)
    board = queries.campaign_board(campaign, request.user)
    return render(request, "rights/campaign.html", {
        "campaign": campaign, "columns": [(s, board[s.value]) for s in OfferState],
        "can_change": campaign.org.in_scope(request.user, "change")})


@login_required
def offers_send(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(BargainingCampaign.objects.for_user(request.user, "change").select_related("org"),
                                 pk=pk)
    candidates = queries.enterprises_in(campaign.org).exclude(
        pk__in=campaign.offers.values("enterprise_id")).order_by("path")[:500]
    form = OffersForm(request.POST or None, enterprises=queries.enterprises_in(campaign.org).filter(
        pk__in=[o.pk for o in candidates]), initial={"sent_on": queries.today()})
    return _form_page(
        request, form, lambda d: services.send_offers(actor=logged_in(request.user), campaign=campaign,
                                                      enterprises=list(d["enterprises"]), sent_on=d["sent_on"]),
        title=_("Send offers") + f" · {campaign.title}", back=campaign.get_absolute_url(),
        done=lambda _o: campaign.get_absolute_url(), success=_("Offers recorded; the enterprise unions were told."))


@login_required
def offer_advance(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.for_user(request.user, "change").select_related("campaign",
                                                                                             "enterprise"), pk=pk)
    form = AdvanceOfferForm(request.POST or None, initial={"on": queries.today()})
    return _form_page(
        request, form, lambda d: services.advance_offer(actor=logged_in(request.user), offer=offer, **d),
        title=_("Next step of the offer") + f" · {offer.enterprise.display_name}",
        back=offer.campaign.get_absolute_url(), done=lambda _o: offer.campaign.get_absolute_url(),
        success=_("Step recorded."))
