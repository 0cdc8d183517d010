"""The 6·18 exhibition's pages: the exhibitions of the user's reach (and setting one up), an exhibition's page — the
organiser's (counts, state, catalogue, suggestions, matches, slot grid, figures) or an enterprise union's (its offers,
needs, suggestions and matches) — the catalogue of offers and of needs (filters, Excel), entering an offer or a need,
an entry's page with the organiser's check, the suggestions (confirmed by the organiser, asked for by a union), the
matches (filters, Excel), the slot grid, and a match's page with its meetings, outcome steps and timeline."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongjiang.core import audit, history, pages
from gongjiang.core.errors import DomainError
from gongjiang.core.ids import mask_mobile
from gongjiang.core.types import logged_in
from gongjiang.orgs.models import Org, Person

from .. import queries, services
from ..choices import EntryState, ExpoState, MatchState
from ..exhibition_forms import (
    EntryFilterForm,
    ExhibitionForm,
    ImplementedForm,
    MatchFilterForm,
    MeetingForm,
    MetForm,
    NeedForm,
    OfferForm,
    ReasonForm,
    SignForm,
)
from ..models import Achievement, Match, Meeting, Need, Offer, Project
from ..rules import exhibition as rules
from .common import step_view

PER_PAGE = 50
ENTRY_SORTING = pages.Sorting({"created": ("created_at",), "title": ("title",), "org": ("org__name",),
                               "category": ("category",), "state": ("state",)}, default="-created",
                              first_descending=("created",))
MATCH_SORTING = pages.Sorting({"created": ("created_at",), "state": ("state_rank",), "value": ("contract_value",)},
                              default="-created", first_descending=("created", "value"),
                              annotations={"state_rank": pages.rank_of("state", MatchState.values)})


def _expo(request: HttpRequest, pk: int) -> Any:
    found = queries.exhibition_for(request.user, pk)
    if found is None:
        raise Http404
    return found


def _money(value: Any) -> str:
    return "" if value is None else f"{value:,.2f}"


@login_required
def exhibition_list(request: HttpRequest) -> HttpResponse:
    qs = queries.exhibitions(request.user)
    page = pages.paginate(request, qs, PER_PAGE)
    organisers = _organisers(request)
    return render(request, "innovation/exhibition/list.html", {
        "page": page, "rows": page.object_list, "can_create": organisers.exists()})


def _organisers(request: HttpRequest) -> Any:
    return Org.objects.for_user(request.user, "change").filter(kind__in=["province", "city"],
                                                               is_active=True).order_by("path")


@login_required
def exhibition_create(request: HttpRequest) -> HttpResponse:
    organisers = _organisers(request)
    if not organisers.exists():
        raise PermissionDenied(_("Exhibitions are organised by a province or city union."))
    form = ExhibitionForm(request.POST or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        made = pages.handle(form, lambda: services.create_exhibition(
            actor=logged_in(request.user), organiser=d["organiser"], name=d["name"], year=d["starts_on"].year,
            starts_on=d["starts_on"], ends_on=d["ends_on"], venue=d["venue"],
            registration_deadline=d["registration_deadline"], slot_minutes=d["slot_minutes"],
            day_start=d["day_start"], day_end=d["day_end"], tables=d["tables"]))
        if made is not None:
            messages.success(request, _("Exhibition set up. Open it for entries when the catalogue may be filled."))
            return redirect(made)
    return render(request, "innovation/exhibition/create.html", {"form": form},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def exhibition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    e = _expo(request, pk)
    user = request.user
    if e.can_run(user):
        signed = queries.signed_figures(e.organiser, e.year)
        return render(request, "innovation/exhibition/organiser.html", {
            "e": e, "counts": (c := queries.counts(e)), "suggestions": queries.suggestions(user, e, limit=10),
            "recent": list(queries.matches(user, e, queries.MatchFilters()).order_by("-created_at", "-id")[:10]),
            "next_state": ExpoState(e.next_state) if e.next_state else None, "signed": signed,
            "match_states": [(MatchState(s).label, s, c.matches.get(s, 0)) for s in MatchState.values],
            "waiting_offers": Offer.objects.filter(exhibition=e, state=EntryState.SUBMITTED).count(),
            "waiting_needs": Need.objects.filter(exhibition=e, state=EntryState.SUBMITTED).count()})
    mine = queries.EntryFilters()
    asked = [mt for mt in queries.meetings_asked(user, e) if mt.match.side(user) not in ("", mt.requested_by)]
    offers = list(queries.offers(user, e, mine).order_by("-created_at", "-id")[:50])
    needs = list(queries.needs(user, e, mine).order_by("-created_at", "-id")[:50])
    return render(request, "innovation/exhibition/participant.html", {
        "e": e, "offers": offers, "needs": needs, "suggestions": queries.suggestions(user, e, limit=20), "asked": asked,
        "matches": list(queries.matches(user, e, queries.MatchFilters()).order_by("-created_at", "-id")[:50]),
        "can_enter": e.registration_open() and queries.exhibition_orgs(user, e).exists(),
        "today": timezone.localdate()})


@login_required
@require_POST
def exhibition_state(request: HttpRequest, pk: int) -> HttpResponse:
    e = _expo(request, pk)
    pages.act(request, lambda: services.advance_exhibition(actor=logged_in(request.user), exhibition=e,
                                                           state=request.POST.get("state", "")),
              lambda x: _("The exhibition is now %(state)s.") % {"state": x.get_state_display()})
    return redirect(e)


def _entries(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    e = _expo(request, pk)
    form = EntryFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_bound and form.is_valid() else {}
    f = queries.EntryFilters(q=d.get("q") or "", category=d.get("category") or "", state=d.get("state") or "",
                             mode=d.get("mode") or "")
    qs = queries.offers(request.user, e, f) if kind == "offer" else queries.needs(request.user, e, f)
    sort = ENTRY_SORTING(request)
    qs = sort.apply(qs)
    organiser = e.can_run(request.user)
    if pages.wants_export(request):
        return _export_entries(e, kind, qs, organiser)
    page = pages.paginate(request, qs, PER_PAGE)
    return pages.render_page(request, "innovation/exhibition/entries.html", {
        "e": e, "kind": kind, "form": form, "page": page, "rows": page.object_list, "sort": sort,
        "organiser": organiser, "can_enter": e.registration_open()
        and queries.exhibition_orgs(request.user, e).exists()}, "innovation/exhibition/_entry_rows.html")


def _export_entries(e: Any, kind: str, qs: Any, organiser: bool) -> HttpResponse:
    phone = [_("Contact's mobile")] if organiser else []
    if kind == "offer":
        return pages.export(_("Offered achievements"), [
            _("Number"), _("Achievement"), _("Enterprise"), _("Category"), _("Transfer mode"),
            _("Asking price (yuan)"), _("Authors"), _("Contact person"), *phone, _("Check"), _("Summary")],
            ([o.number, o.title, o.org.name, o.get_category_display(), o.get_mode_display(), _money(o.price),
              o.authors, o.contact.name, *([o.contact.mobile] if organiser else []), o.get_state_display(),
              o.summary] for o in qs.iterator(chunk_size=2000)))
    return pages.export(_("Technical needs"), [
        _("Number"), _("Technical need"), _("Enterprise"), _("Category"), _("Budget (yuan)"), _("To be solved by"),
        _("Contact person"), *phone, _("Check"), _("Problem description")],
        ([n.number, n.title, n.org.name, n.get_category_display(), _money(n.budget), n.solve_by or "",
          n.contact.name, *([n.contact.mobile] if organiser else []), n.get_state_display(), n.description]
         for n in qs.iterator(chunk_size=2000)))


@login_required
def offer_list(request: HttpRequest, pk: int) -> HttpResponse:
    return _entries(request, pk, "offer")


@login_required
def need_list(request: HttpRequest, pk: int) -> HttpResponse:
    return _entries(request, pk, "need")


def _contact(org: Org, name: str, tail: str) -> Person:
    people = queries.people_named(org, name, tail)
    if not people:
        raise DomainError(_("%(name)s works in no unit of %(enterprise)s.") % {"name": name, "enterprise": org.name},
                          field="contact_name")
    if len(people) > 1:
        raise DomainError(_("Several colleagues are called %(name)s: add the last four digits of the mobile.") % {
            "name": name}, field="contact_name")
    return people[0]


def _enter(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    e = _expo(request, pk)
    orgs = queries.exhibition_orgs(request.user, e)
    if not orgs.exists():
        raise PermissionDenied(_("Offers and needs are entered by an enterprise's union in the exhibition's reach."))
    return _entry_form(request, e, kind, orgs)


def _entry_form(request: HttpRequest, e: Any, kind: str, orgs: Any, entry: Any = None) -> HttpResponse:
    """The form of an offer or a need: a new one (`entry` None), or a returned one corrected and submitted again
    (filled with what it says; its enterprise stays)."""
    user = logged_in(request.user)
    initial: dict[str, Any] = {}
    if entry is not None:
        initial = {f: getattr(entry, f) for f in (
            ("title", "summary", "category", "mode", "price", "authors", "project", "achievement") if kind == "offer"
            else ("title", "description", "category", "budget", "solve_by"))}
        initial.update(org=entry.org_id, contact_name=entry.contact.name,
                       contact_mobile_tail=(entry.contact.mobile or "")[-4:])
    if kind == "offer":
        projects = Project.objects.for_user(user, "change").filter(enterprise__in=orgs).order_by("-created_at")
        achievements = (Achievement.objects.for_user(user, "view").filter(enterprise__in=orgs)
                        .select_related("call").order_by("award", "-pk"))
        form: Any = OfferForm(request.POST or None, orgs=orgs, projects=projects, achievements=achievements,
                              initial=initial)
    else:
        form = NeedForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def call() -> Any:
            contact = _contact(d["org"], d["contact_name"], d["contact_mobile_tail"])
            if kind == "offer":
                fields = {"title": d["title"], "summary": d["summary"], "category": d["category"], "mode": d["mode"],
                          "price": d["price"], "authors": d["authors"], "project": d["project"],
                          "achievement": d["achievement"], "contact": contact}
                if entry is not None:
                    return services.resubmit_offer(actor=user, offer=entry, **fields)
                return services.submit_offer(actor=user, exhibition=e, org=d["org"], **fields)
            fields = {"title": d["title"], "description": d["description"], "category": d["category"],
                      "budget": d["budget"], "solve_by": d["solve_by"], "contact": contact}
            if entry is not None:
                return services.resubmit_need(actor=user, need=entry, **fields)
            return services.submit_need(actor=user, exhibition=e, org=d["org"], **fields)

        made = pages.handle(form, call, aliases={"contact": "contact_name", "exhibition": "__all__"})
        if made is not None:
            messages.success(request, (_("%(number)s submitted again: it waits for the organiser's check.")
                                       if entry is not None else
                                       _("%(number)s entered: it waits for the organiser's check.")) % {
                "number": made.number})
            return redirect(made)
    return render(request, "innovation/exhibition/entry_form.html", {"e": e, "form": form, "kind": kind,
                                                                     "entry": entry},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _enter(request, pk, "offer")


@login_required
def need_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _enter(request, pk, "need")


def _edit(model: Any, kind: str) -> Any:
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        """A returned entry corrected by its own union and submitted again (404 out of scope; refused with the
        reason in any other state or for another union)."""
        entry = _entry_or_404(request, pk, model)
        if not entry.is_own(request.user):
            raise PermissionDenied(_("Only the union that entered it corrects a returned entry."))
        if not entry.can_resubmit(request.user):
            messages.error(request, _("Only an entry the organiser returned is corrected and submitted again, "
                                      "while the exhibition is open for entries: this one is %(state)s.") % {
                "state": entry.get_state_display()})
            return redirect(entry)
        return _entry_form(request, entry.exhibition, kind, Org.objects.filter(pk=entry.org_id), entry)

    return view


offer_edit = _edit(Offer, "offer")
need_edit = _edit(Need, "need")


def _entry_or_404(request: HttpRequest, pk: int, model: Any, *, published: bool = False) -> Any:
    """An offer or need of the user's scope (their union's, or the organiser's); with `published`, also an entry of
    the published catalogue (accepted) of an exhibition the user sees — its page then shows no contact."""
    related = ("exhibition__organiser", "org", "contact", *(("achievement__call",) if model is Offer else ()))
    found = model.objects.for_user(request.user, "view").select_related(*related).filter(pk=pk).first()
    if found is None and published:
        found = queries.published(request.user, model).select_related(*related).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _entry_detail(request: HttpRequest, pk: int, model: Any, kind: str) -> HttpResponse:
    entry = _entry_or_404(request, pk, model, published=True)
    user = request.user
    e = entry.exhibition
    organiser = e.can_run(user)
    found = queries.suggestions(user, e, **{kind: entry}) if organiser or entry.is_own(user) else []
    return render(request, "innovation/exhibition/entry_detail.html", {
        "entry": entry, "e": e, "kind": kind, "organiser": organiser, "own": entry.is_own(user),
        "check_form": ReasonForm() if entry.can_check(user) else None, "suggestions": found,
        "can_resubmit": entry.can_resubmit(user),
        "matches": list(queries.matches(user, e, queries.MatchFilters()).filter(**{kind: entry})),
        "events": history.describe(audit.timeline(entry)) if organiser or entry.is_own(user) else [],
        "can_open_achievement": bool(getattr(entry, "achievement_id", None)) and Achievement.objects.for_user(
            user, "view").filter(pk=entry.achievement_id).exists()})


@login_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_detail(request, pk, Offer, "offer")


@login_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_detail(request, pk, Need, "need")


def _check(model: Any, kind: str) -> Any:
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        entry = _entry_or_404(request, pk, model)
        accept = request.POST.get("decision") == "accept"
        verb = services.check_offer if kind == "offer" else services.check_need
        pages.act(request, lambda: verb(actor=logged_in(request.user), accept=accept,
                                        reason=request.POST.get("reason", ""), **{kind: entry}),
                  _("Accepted into the catalogue.") if accept else _("Returned to the union with the reason."))
        return redirect(entry)

    return view


offer_check = _check(Offer, "offer")
need_check = _check(Need, "need")


@login_required
def suggestion_list(request: HttpRequest, pk: int) -> HttpResponse:
    e = _expo(request, pk)
    found = queries.suggestions(request.user, e)
    if pages.wants_export(request):
        return pages.export(_("Suggested matches"), [
            _("Achievement"), _("Offered by"), _("Technical need"), _("Needed by"), _("Match score"),
            _("Same category"), _("Words in common")],
            ([s.offer.title, s.offer.org.name, s.need.title, s.need.org.name, s.percent,
              _("yes") if s.same_category else "", "、".join(s.words)] for s in found))
    page = pages.paginate(request, found, PER_PAGE)
    return render(request, "innovation/exhibition/suggestions.html", {
        "e": e, "page": page, "rows": page.object_list, "organiser": e.can_run(request.user)})


@login_required
@require_POST
def match_make(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a suggestion (the organiser) or ask for a match (a union of either side)."""
    e = _expo(request, pk)
    offer = _entry_or_404_published(request, Offer, e, request.POST.get("offer", ""))
    need = _entry_or_404_published(request, Need, e, request.POST.get("need", ""))
    user = logged_in(request.user)
    note = request.POST.get("note", "")
    if e.can_run(user):
        def call() -> Match:
            return services.confirm_match(actor=user, offer=offer, need=need, note=note)
    else:
        def call() -> Match:
            return services.request_match(actor=user, offer=offer, need=need, note=note)
    result, refusal = pages.attempt(call)
    if refusal is not None:
        messages.error(request, refusal.message)
        return redirect(request.POST.get("back") or e.get_absolute_url())
    messages.success(request, _("Match %(number)s made: both unions have been told.") % {"number": result.number})
    return redirect(result)


def _entry_or_404_published(request: HttpRequest, model: Any, e: Any, pk: str) -> Any:
    """An entry of the exhibition the user sees, or one of its published catalogue (accepted) — what a suggestion
    shows a union of the other side."""
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(model.objects.filter(exhibition=e).select_related("org"), pk=int(pk),
                             state=EntryState.ACCEPTED)


@login_required
def match_list(request: HttpRequest, pk: int) -> HttpResponse:
    e = _expo(request, pk)
    form = MatchFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = queries.matches(request.user, e, queries.MatchFilters(state=d.get("state") or "", q=d.get("q") or ""))
    sort = MATCH_SORTING(request)
    qs = sort.apply(qs)
    if pages.wants_export(request):
        return pages.export(_("Matches"), [
            _("Number"), _("Achievement"), _("Offered by"), _("Technical need"), _("Needed by"), _("Made by"),
            _("Match state"), _("Met on"), _("Signed on"), _("Contract value (yuan)"), _("Implemented on"),
            _("Reason for closing")],
            ([m.number, m.offer.title, m.offer.org.name, m.need.title, m.need.org.name, m.get_origin_display(),
              m.get_state_display(), m.met_on or "", m.signed_on or "", _money(m.contract_value),
              m.implemented_on or "", m.close_reason] for m in qs.iterator(chunk_size=2000)))
    page = pages.paginate(request, qs, PER_PAGE)
    return pages.render_page(request, "innovation/exhibition/matches.html", {
        "e": e, "form": form, "page": page, "rows": page.object_list, "sort": sort},
        "innovation/exhibition/_match_rows.html")


@login_required
def slot_grid(request: HttpRequest, pk: int) -> HttpResponse:
    e = _expo(request, pk)
    return render(request, "innovation/exhibition/slots.html", {"e": e, "grid": queries.slot_grid(request.user, e),
                                                               "organiser": e.can_run(request.user)})


def match_or_404(request: HttpRequest, pk: int) -> Match:
    found = queries.match_detail(request.user, pk)
    if found is None:
        raise Http404
    return found


def _contact_of(entry: Any, visible: bool) -> dict[str, str]:
    mobile = entry.contact.mobile or ""
    return {"name": entry.contact.name, "mobile": mobile if visible else (mask_mobile(mobile) if mobile else "")}


@login_required
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    m = match_or_404(request, pk)
    user = request.user
    meetings = queries.meetings_of(m)
    side = m.side(user)
    can_follow = m.can_follow(user)
    today = timezone.localdate()
    open_match = m.state in rules.OPEN_MATCH
    return render(request, "innovation/exhibition/match_detail.html", {
        "m": m, "e": m.exhibition, "side": side, "meetings": meetings, "today": today, "now": timezone.now(),
        "offer_contact": _contact_of(m.offer, queries.contact_visible(user, m, "offer", meetings)),
        "need_contact": _contact_of(m.need, queries.contact_visible(user, m, "need", meetings)),
        "steps": [{"label": MatchState(s).label, "state": "current" if s == m.state else (
            "done" if m.state in rules.OUTCOME_ORDER and rules.OUTCOME_ORDER.index(s) < rules.OUTCOME_ORDER.index(
                m.state) else "")} for s in rules.OUTCOME_ORDER],
        "meeting_form": MeetingForm(slots=queries.free_slots(m.exhibition, m)) if side and open_match
        and m.exhibition.state in (ExpoState.OPEN, ExpoState.HELD) else None,
        "met_form": MetForm(initial={"met_on": today}) if can_follow and m.state == MatchState.MATCHED else None,
        "sign_form": SignForm(initial={"signed_on": today}) if can_follow and m.state == MatchState.MET else None,
        "implemented_form": ImplementedForm(initial={"implemented_on": today})
        if can_follow and m.state == MatchState.SIGNED else None,
        "close_form": ReasonForm(prefix="close") if can_follow and open_match else None,
        "events": history.describe(audit.timeline(m)) if can_follow else []})


def _back(request: HttpRequest, m: Match) -> HttpResponse:
    return redirect("innovation:match_detail", pk=m.pk)


def _step(form_class: Any, call: Any, success: Any) -> Any:
    return step_view(match_or_404, _back, form_class, call, success)


def _actor(request: HttpRequest) -> Any:
    return logged_in(request.user)


def _slot(value: str) -> datetime.datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        raise DomainError(_("Choose one of the exhibition's meeting slots."), field="starts_at")
    return parsed


def _meeting(request: HttpRequest, m: Match, d: dict[str, Any]) -> Any:
    return services.request_meeting(actor=_actor(request), match=m, starts_at=_slot(request.POST.get("starts_at",
                                                                                                     "")))


def _answer(request: HttpRequest, m: Match, d: dict[str, Any]) -> Any:
    meeting = get_object_or_404(Meeting, match=m, pk=d["meeting_pk"])
    if request.POST.get("decision") == "accept":
        return services.accept_meeting(actor=_actor(request), meeting=meeting)
    return services.decline_meeting(actor=_actor(request), meeting=meeting, reason=request.POST.get("reason", ""))


def _cancel(request: HttpRequest, m: Match, d: dict[str, Any]) -> Any:
    meeting = get_object_or_404(Meeting, match=m, pk=d["meeting_pk"])
    return services.cancel_meeting(actor=_actor(request), meeting=meeting, reason=request.POST.get("reason", ""))


meeting_request = _step(None, _meeting, gettext_lazy("Meeting requested: the other side has been asked."))
meeting_answer = _step(None, _answer, gettext_lazy("Meeting answered."))
meeting_cancel = _step(None, _cancel, gettext_lazy("Meeting cancelled: the other side has been told."))
met = _step(MetForm, lambda r, m, d: services.record_met(actor=_actor(r), match=m, met_on=d["met_on"],
                                                         note=d["note"]), gettext_lazy("Recorded: the two sides met."))
sign = _step(SignForm, lambda r, m, d: services.sign_match(
    actor=_actor(r), match=m, contract_value=d["contract_value"], signed_on=d["signed_on"], note=d["note"]),
    gettext_lazy("Contract recorded."))
implemented = _step(ImplementedForm, lambda r, m, d: services.record_implemented(
    actor=_actor(r), match=m, implemented_on=d["implemented_on"], note=d["note"]),
    gettext_lazy("Recorded: the achievement is implemented."))
close = _step(None, lambda r, m, d: services.close_match(actor=_actor(r), match=m,
                                                         reason=r.POST.get("close-reason", "")),
              gettext_lazy("Match closed without agreement."))
