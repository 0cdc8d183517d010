"""The roster's pages: the cadres' roster of holders with its filters and export, the statistics by city and
industry (from the counters), a holder's record with its status changes (record one, revoke the title), and the
public roster (no login: name, unit, honour, year, revoked — nothing else)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import pages
from gongjiang.core.types import logged_in
from gongjiang.orgs.plugins import is_cadre

from .. import services
from ..choices import HolderStatus
from ..models import Holder
from ..queries import roster
from ..roster_forms import RevokeForm, StatusForm
from ..rules import roster as rules
from .common import page_org

PER_PAGE = 50
AGE_LABELS = {"u35": "≤35", "36_45": "36–45", "46_55": "46–55", "56_": "≥56"}


def _cadre(request: HttpRequest) -> None:
    if not is_cadre(request.user):
        raise PermissionDenied(_("The roster of honour holders is for union cadres."))


def _export(request: HttpRequest, org: Any, qs: Any) -> HttpResponse:
    """导出Excel of every filtered row: no ID number, birth date or phone (the age band only); by the union's
    staff, audited."""
    if not org.can_change(request.user):
        raise PermissionDenied(_("You do not have permission for %(org)s.") % {"org": org.name})
    year = timezone.localdate().year
    bands = dict(AGE_LABELS)
    yes, no = _("Yes"), _("No")
    rows = [[h.name, h.honour_type.name, h.year, h.unit.name, h.city.name if h.city else "",
             h.industry.name if h.industry else "", {"M": _("Male"), "F": _("Female")}.get(h.gender, ""),
             bands.get(rules.age_band(h.birth_year, year) or "", ""), yes if h.front_line else no,
             h.get_status_display(), h.status_on] for h in qs.iterator(chunk_size=2000)]
    services.record_holder_export(actor=logged_in(request.user), org=org, rows=len(rows))
    return pages.export(f"{_('Roster of honour holders')}-{org.display_name}", [
        _("holder"), _("honour type"), _("year"), _("unit"), _("city"), _("industry union"), _("gender"),
        _("Age band"), _("front-line"), _("status"), _("status since")], rows)


@login_required
def roster_list(request: HttpRequest) -> HttpResponse:
    """荣誉获得者名册: the holders of the cadre's subtree (of the union chosen in the top bar), filtered."""
    _cadre(request)
    org = page_org(request)
    filters = roster.Filters.parse(request.GET)
    qs = roster.roster_for(request.user, filters, org)
    if pages.wants_export(request):
        if org is None:
            raise Http404
        return _export(request, org, qs)
    page = pages.paginate(request, qs, PER_PAGE,
                          known_count=roster.counted_total(filters, org) if org is not None else None)
    return render(request, "honours/roster_list.html", {
        "org": org, "page": page, "filters": filters, "choices": roster.choices(org),
        "statuses": HolderStatus.choices, "bands": list(AGE_LABELS.items()),
        "can_export": org is not None and org.can_change(request.user),
        "query": filters.query()})


@login_required
def roster_stats(request: HttpRequest) -> HttpResponse:
    """Holders by city and by industry union (from the counters), a table and a chart each; for one honour or one
    year, the holders by city and industry union together (a cross table)."""
    _cadre(request)
    org = page_org(request)
    if org is None:
        raise Http404
    filters = roster.Filters.parse(request.GET, public=True)
    cities = roster.by_units(org, "city", filters.honour_type, filters.year)
    industries = roster.by_units(org, "industry", filters.honour_type, filters.year)
    chart = {"empty": _("No holders yet"), "names": [_("Holders"), _("Alive"), _("In post")]}
    for key, rows in (("cities", cities), ("industries", industries)):
        chart[key] = {"labels": [o.display_name for o, _c in rows],
                      "holders": [c["holders"] for _o, c in rows], "alive": [c["alive"] for _o, c in rows],
                      "active": [c["active"] for _o, c in rows]}
    return render(request, "honours/roster_stats.html", {
        "org": org, "filters": filters, "choices": roster.choices(org), "cities": cities,
        "industries": industries, "chart": chart, "types": roster.types_with_counts(org, filters.year),
        "cross": roster.city_by_industry(org, filters.honour_type, filters.year)})


def _holder_or_404(request: HttpRequest, pk: int) -> Holder:
    found = roster.holder_detail(request.user, pk)
    if found is None:
        raise Http404
    return found


def _detail(request: HttpRequest, holder: Holder, status_form: StatusForm | None = None,
            revoke_form: RevokeForm | None = None, status: int = 200) -> HttpResponse:
    bodies = roster.revoking_bodies(holder)
    can_revoke = not holder.is_revoked and any(b.can_change(request.user) for b in bodies)
    can_record = (holder.can_record(request.user) and holder.honour_type.subject == "person"
                  and any(rules.allowed("person", holder.status, s) for s in HolderStatus.values
                          if s != HolderStatus.REVOKED))
    return render(request, "honours/holder_detail.html", {
        "holder": holder, "events": roster.events_of(holder), "can_record": can_record, "can_revoke": can_revoke,
        "age_band": AGE_LABELS.get(rules.age_band(holder.birth_year, timezone.localdate().year) or "", ""),
        "status_form": status_form or StatusForm(initial={"on": timezone.localdate()}, allowed=[
            s for s in HolderStatus.values if s != HolderStatus.REVOKED
            and rules.allowed(holder.honour_type.subject, holder.status, s)]),
        "revoke_form": revoke_form or RevokeForm(bodies=bodies, initial={"on": timezone.localdate()})},
        status=status)


@login_required
def holder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _holder_or_404(request, pk))


@login_required
def holder_status(request: HttpRequest, pk: int) -> HttpResponse:
    holder = _holder_or_404(request, pk)
    if request.method != "POST":
        return redirect(holder)
    form = StatusForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        done = pages.handle(form, lambda: services.record_holder_status(
            actor=logged_in(request.user), holder=holder, status=d["status"], on=d["on"], reason=d["reason"],
            document=d["document"]))
        if done is not None:
            messages.success(request, _("Status recorded."))
            return redirect(holder)
    return _detail(request, holder, status_form=form, status=400)


@login_required
def holder_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    holder = _holder_or_404(request, pk)
    if request.method != "POST":
        return redirect(holder)
    form = RevokeForm(request.POST, bodies=roster.revoking_bodies(holder))
    if form.is_valid():
        d = form.cleaned_data
        done = pages.handle(form, lambda: services.revoke_honour(
            actor=logged_in(request.user), holder=holder, reason=d["reason"], document=d["document"],
            body=d["body"], on=d["on"]))
        if done is not None:
            messages.success(request, _("The title has been revoked."))
            return redirect(holder)
    return _detail(request, holder, revoke_form=form, status=400)


def public_rows(qs: Any) -> list[dict[str, Any]]:
    """The public roster's rows: exactly these fields (the status only as revoked or not)."""
    return [{"name": r["name"], "unit": r["unit__name"], "honour": r["honour_type__name"], "year": r["year"],
             "revoked": r["status"] == HolderStatus.REVOKED} for r in qs]


def public_roster(request: HttpRequest) -> HttpResponse:
    """荣誉榜 (no login): every holder by type, year, city and industry — name, unit, honour, year, revoked —, a page
    after (?after=) or before (?before=) a cursor (keyset pagination: as quick on the last page as on the first)."""
    filters = roster.Filters.parse(request.GET, public=True)
    after, before = roster.Cursor.parse(request.GET.get("after")), roster.Cursor.parse(request.GET.get("before"))
    page = roster.public_page(filters, PER_PAGE, after=after, before=None if after else before)
    total = roster.counted_total(filters)
    query = filters.query()
    return render(request, "honours/public_roster.html", {
        "rows": public_rows(page.rows), "filters": filters, "choices": roster.choices(None),
        "total": total if total is not None else roster.public_roster(filters).count(),
        "first_url": "?" + urlencode(query) if page.before else "",  # "?" alone: the page without filters
        "prev_url": "?" + urlencode({**query, "before": str(page.before)}) if page.before else "",
        "next_url": "?" + urlencode({**query, "after": str(page.after)}) if page.after else ""})
