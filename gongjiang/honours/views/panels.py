"""The review panels' pages: a level's cadres set a panel up from the campaign's page (its criteria or voting), put
members on it, close it and read its results (ranking, means per criterion, tallies, conflicts; 导出Excel); a member
lists the panel's nominations and scores or votes on each in place (HTMX: one nomination per request), or declares a
conflict, after which the form is gone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.files import serve_file
from gongjiang.core.types import logged_in

from .. import services
from ..models import Allocation, Nomination, Panel, PanelMember, VoteChoice
from ..panel_forms import ConflictForm, MemberForm, PanelForm, points_from
from ..queries import panels as reads
from .common import campaign_or_404


def _levels(request: HttpRequest, campaign: Any) -> Any:
    return (Allocation.objects.for_user(request.user, "change").filter(campaign=campaign).select_related("org")
            .order_by("org__depth", "org__path"))


def _managed(request: HttpRequest, pk: int, action: str = "view") -> Panel:
    found = reads.managed_panel(request.user, pk, action)
    if found is None:
        raise Http404
    return found


def _seat(request: HttpRequest, pk: int) -> PanelMember:
    found = reads.membership(request.user, pk)
    if found is None:
        raise Http404
    return found


def campaign_card(request: HttpRequest, campaign: Any) -> dict[str, Any]:
    """The campaign page's review panels card (honours/_panels_card.html)."""
    return {"panels": reads.panels_for(request.user, campaign),
            "can_set_up_panel": _levels(request, campaign).exists()}


@login_required
def panel_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_or_404(request, pk)
    levels = _levels(request, campaign)
    if not levels.exists():
        raise PermissionDenied(_("Only the cadres of a union with a share of the campaign set up its review panels."))
    form = PanelForm(request.POST or None, levels=levels)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        panel = pages.handle(form, lambda: services.create_panel(
            actor=logged_in(request.user), campaign=campaign, allocation=d["allocation"], name=d["name"],
            mode=d["mode"], criteria=form.criteria()), aliases={"criteria": "name_1"})
        if panel is not None:
            messages.success(request, _("Panel set up: now put its members on it."))
            return redirect("honours:panel_detail", pk=panel.pk)
    return render(request, "honours/panel_form.html", {"form": form, "campaign": campaign},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The set-up page for the level's cadres; a member who is no cadre of the level goes to their list."""
    panel = reads.managed_panel(request.user, pk)
    if panel is None:
        _seat(request, pk)
        return redirect("honours:panel_review", pk=pk)
    form = MemberForm(request.POST or None)
    can_manage = panel.can_manage(request.user)
    if request.method == "POST" and can_manage and form.is_valid():
        account = reads.appointable_users(panel.allocation.org).filter(
            username=form.cleaned_data["username"].strip()).first()  # nobody outside the level is named
        if account is None:
            form.add_error("username", _("No account of %(org)s or of a union below it has this user name.") % {
                "org": panel.allocation.org.name})
        elif pages.handle(form, lambda: services.add_panel_member(
                actor=logged_in(request.user), panel=panel, user=account, chair=form.cleaned_data["chair"]),
                aliases={"user": "username"}) is not None:
            messages.success(request, _("%(name)s is on the panel.") % {"name": account})
            return redirect("honours:panel_detail", pk=panel.pk)
    members = list(panel.members.select_related("user"))
    return render(request, "honours/panel_detail.html", {
        "panel": panel, "members": members, "form": form, "can_manage": can_manage,
        "criteria": panel.rule_criteria, "seat": next((m for m in members if m.user_id == request.user.pk), None),
        "count": reads.panel_nominations(panel).count()},
        status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def panel_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    panel = _managed(request, pk)
    member = PanelMember.objects.filter(panel=panel, pk=member_pk).select_related("user").first()
    if member is None:
        raise Http404
    pages.act(request, lambda: services.remove_panel_member(actor=logged_in(request.user), member=member),
              _("%(name)s is off the panel; their scores and votes are dropped.") % {"name": member.user})
    return redirect("honours:panel_detail", pk=panel.pk)


@login_required
@require_POST
def panel_close(request: HttpRequest, pk: int) -> HttpResponse:
    panel = _managed(request, pk)
    if pages.act(request, lambda: services.close_panel(actor=logged_in(request.user), panel=panel),
                 _("The panel is closed: its results are final.")):
        return redirect("honours:panel_results", pk=panel.pk)
    return redirect("honours:panel_detail", pk=panel.pk)


def _review_context(seat: PanelMember) -> dict[str, Any]:
    panel = seat.panel
    return {"panel": panel, "seat": seat, "criteria": panel.rule_criteria, "choices": VoteChoice.choices}


@login_required
def panel_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's list: every nomination of the panel, conflicted ones without their form."""
    seat = _seat(request, pk)
    rows = reads.assignments(seat)
    return render(request, "honours/panel_review.html", {
        **_review_context(seat), "rows": rows, "left": sum(1 for r in rows if r.conflict is None and not r.done),
        "can_results": reads.can_read_results(request.user, seat.panel, seat)})


def _row(request: HttpRequest, seat: PanelMember, nomination_pk: int, errors: dict[str, str] | None = None,
         typed: dict[str, str] | None = None) -> HttpResponse:
    row = next((a for a in reads.assignments(seat) if a.nomination.pk == nomination_pk), None)
    if row is None:
        raise Http404
    # 200 even with a refusal: htmx swaps no 4xx answer, and the card shows the refusal where it was typed
    return render(request, "honours/_panel_row.html", {**_review_context(seat), "row": row, "errors": errors or {},
                                                        "typed": typed or {}})


def _nomination(seat: PanelMember, nomination_pk: int) -> Nomination:
    found = reads.panel_nominations(seat.panel).filter(pk=nomination_pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def panel_file(request: HttpRequest, pk: int, nomination_pk: int, file_pk: int) -> FileResponse:
    """A material of a nomination on the member's panel: for its members free to review it; a conflicted member, a
    member of another panel and everyone else get a 404 (the level's cadres read it on the nomination's page)."""
    found = reads.member_file(_seat(request, pk), nomination_pk, file_pk)
    if found is None:
        raise Http404
    return serve_file(found.file, found.name, found.content_type)


@login_required
@require_POST
def panel_mark(request: HttpRequest, pk: int, nomination_pk: int) -> HttpResponse:
    """Score (a number per criterion) or vote on one nomination; HTMX swaps the nomination's card."""
    seat = _seat(request, pk)
    nomination = _nomination(seat, nomination_pk)
    panel = seat.panel
    typed = points_from(request.POST, panel.rule_criteria) if panel.scoring else {}
    if panel.scoring:
        _done, refusal = pages.attempt(lambda: services.score_in_panel(
            actor=logged_in(request.user), panel=panel, nomination=nomination, points=typed))
    else:
        _done, refusal = pages.attempt(lambda: services.vote_in_panel(
            actor=logged_in(request.user), panel=panel, nomination=nomination,
            choice=request.POST.get("choice", "")))
    if pages.is_htmx(request):
        return _row(request, seat, nomination.pk, refusal.errors if refusal else None, typed)
    if refusal is not None:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Saved: %(name)s.") % {"name": nomination.name})
    return redirect(f"{reverse_review(pk)}#n-{nomination.pk}")


def reverse_review(pk: int) -> str:
    return reverse("honours:panel_review", args=[pk])


@login_required
@require_POST
def panel_conflict(request: HttpRequest, pk: int, nomination_pk: int) -> HttpResponse:
    seat = _seat(request, pk)
    nomination = _nomination(seat, nomination_pk)
    form = ConflictForm(request.POST)
    reason = form.data.get("reason", "")
    _done, refusal = pages.attempt(lambda: services.declare_panel_conflict(
        actor=logged_in(request.user), panel=seat.panel, nomination=nomination, reason=reason))
    if pages.is_htmx(request):
        return _row(request, seat, nomination.pk, refusal.errors if refusal else None)
    if refusal is not None:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Conflict of interest declared: %(name)s.") % {"name": nomination.name})
    return redirect(f"{reverse_review(pk)}#n-{nomination.pk}")


@login_required
def panel_results(request: HttpRequest, pk: int) -> HttpResponse:
    panel = reads.managed_panel(request.user, pk)
    seat = reads.membership(request.user, pk)
    if panel is None and seat is not None and seat.is_chair:
        panel = seat.panel
    if panel is None or not reads.can_read_results(request.user, panel, seat):
        raise Http404
    res = reads.results(panel)
    if pages.wants_export(request):
        return pages.export(f"{panel.name}·{_('results')}", *_export(res))
    return render(request, "honours/panel_results.html", {
        "panel": panel, "res": res, "can_manage": panel.can_manage(request.user),
        "scored": [(m, res.scored.get(m.pk, 0)) for m in res.members]})


def _export(res: reads.Results) -> tuple[list[str], list[list[Any]]]:
    panel = res.panel
    if panel.scoring:
        headers = [_("rank"), _("nominee"), _("nominating union"), _("Result"), _("Members who scored"),
                   _("Highest and lowest dropped"), *[f"{c.name}（{c.max}）" for c in res.criteria],
                   _("Members with a conflict")]
        rows = [[r.rank or "", r.nomination.name, r.nomination.unit.display_name,
                 r.result.mean if r.result and r.result.mean is not None else "", r.result.count if r.result else 0,
                 _("yes") if r.result and r.result.trimmed else _("no"),
                 *[r.means.get(c.key) if r.means.get(c.key) is not None else "" for c in res.criteria],
                 r.conflicted] for r in res.rows]
    else:
        headers = [_("nominee"), _("nominating union"), _("In favour"), _("Against"), _("Abstain"),
                   _("Members entitled to vote"), _("Quorum reached"), _("Passed"), _("Members with a conflict")]
        rows = [[r.nomination.name, r.nomination.unit.display_name, r.tally.yes, r.tally.no, r.tally.abstain,
                 r.tally.entitled, _("yes") if r.tally.quorum else _("no"), _("yes") if r.tally.passed else _("no"),
                 r.conflicted] for r in res.rows if r.tally]
    return headers, rows


@login_required
def my_panels(request: HttpRequest) -> HttpResponse:
    """The panels the user sits on, with what waits for them."""
    seats = list(PanelMember.objects.filter(user_id=request.user.pk)
                 .select_related("panel__campaign", "panel__allocation__org").order_by("-panel_id"))
    waiting = {p.pk: n for p, n in reads.pending(request.user)}
    return render(request, "honours/my_panels.html", {"seats": [(s, waiting.get(s.panel_id, 0)) for s in seats]})
