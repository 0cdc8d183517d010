"""The review's pages: the campaigns waiting for the user's decision, a level's review list in a campaign (its
quota and what it has forwarded per reserve at the top, filters by state and by the union below, bulk forward),
the decision on a nomination's page, and the organiser's shortlist page (the public notice, its objections, the
conferral, the certificates)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.types import logged_in

from .. import queries, services
from ..choices import NominationState
from ..models import Nomination
from ..queries import reviews
from ..review_forms import DecisionForm, ObjectionDecisionForm, PublishForm
from ..rules import quotas
from .common import campaign_or_404, nomination_or_404


@login_required
def review_home(request: HttpRequest) -> HttpResponse:
    """The campaigns with nominations waiting at one of the user's unions, with their counts (one query)."""
    return render(request, "honours/review_home.html", {"rows": reviews.waiting_by_campaign(request.user)})


@login_required
def review_list(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_or_404(request, pk)
    levels = reviews.levels_for(request.user, campaign)
    if not levels:
        raise PermissionDenied(_("Your union holds no share of this campaign: there is nothing for it to review."))
    chosen = request.GET.get("level")
    level = next((a for a in levels if str(a.pk) == chosen), levels[0])
    children = queries.quota_table(level)
    child = next((a for a in children if str(a.pk) == request.GET.get("child")), None)
    which = request.GET.get("state") if request.GET.get("state") in reviews.FILTERS else "waiting"
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        chosen_rows = list(Nomination.objects.for_user(request.user, "view").filter(campaign=campaign, pk__in=ids))
        if pages.act(request, lambda: services.forward_nominations(actor=logged_in(request.user),
                                                                   nominations=chosen_rows),
                     lambda done: _("%(n)s nominations forwarded.") % {"n": len(done)}):
            return redirect(request.get_full_path())
    rows = pages.paginate(request, reviews.review_list(level, which, child), 50)
    return render(request, "honours/review_list.html", {
        "campaign": campaign, "level": level, "levels": levels, "children": children, "child": child,
        "which": which, "filters": reviews.FILTERS, "rows": rows, "top": level.parent_id is None,
        "reserves": [(k, getattr(level, f"reserve_{k}"), getattr(level, f"forwarded_{k}")) for k in quotas.RESERVES],
        "forward_left": max(level.quota - level.forwarded, 0)},
        status=400 if request.method == "POST" else 200)


def review_context(request: HttpRequest, nomination: Nomination) -> dict[str, object]:
    """What a nomination's page shows of its review: the decision form for the level it waits at, its
    certificate once conferred."""
    can_decide = nomination.can_decide(request.user)
    doc = (reviews.certificates_of([nomination]).get(nomination.pk)
           if nomination.state == NominationState.CONFERRED else None)
    return {"can_decide": can_decide, "decision_form": DecisionForm() if can_decide else None, "certificate": doc,
            "top_level": can_decide and nomination.at is not None and nomination.at.parent_id is None}


@login_required
@require_POST
def nomination_decide(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = nomination_or_404(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the decision."))
        return redirect(nomination.get_absolute_url())
    actor = logged_in(request.user)
    decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
    if decision == "forward":
        pages.act(request, lambda: services.forward_nomination(actor=actor, nomination=nomination),
                  lambda n: _("Shortlisted.") if n.state == NominationState.SHORTLISTED else _(
                      "Forwarded to %(org)s.") % {"org": n.at.org.name})
    elif decision == "return":
        pages.act(request, lambda: services.return_nomination(actor=actor, nomination=nomination, reason=reason),
                  _("Nomination returned."))
    else:
        pages.act(request, lambda: services.reject_nomination(actor=actor, nomination=nomination, reason=reason),
                  _("Nomination not recommended."))
    return redirect(nomination.get_absolute_url())


@login_required
def shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_or_404(request, pk)
    if not campaign.can_change(request.user):
        raise PermissionDenied(_("Only %(org)s, which organises the campaign, does this.") % {
            "org": campaign.org.name})
    rows = reviews.shortlist(campaign)
    notice = reviews.notice(campaign)
    shortlisted = [n for n in rows if n.state == NominationState.SHORTLISTED]
    publish_form = PublishForm(request.POST if request.POST.get("step") == "publish" else None)
    decide_form = None
    actor = logged_in(request.user)
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "publish" and publish_form.is_valid():
            if pages.handle(publish_form, lambda: services.publish_shortlist(
                    actor=actor, campaign=campaign, working_days=publish_form.cleaned_data["working_days"])):
                messages.success(request, _("The shortlist is on public notice."))
                return redirect("honours:campaign_shortlist", pk=campaign.pk)
        elif step == "decide" and notice is not None:
            objection = notice.objections.filter(pk=request.POST.get("objection") or 0).first()
            if objection is None:
                raise Http404
            decide_form = ObjectionDecisionForm(request.POST, shortlisted=shortlisted)
            if decide_form.is_valid():
                d = decide_form.cleaned_data
                chosen = next((n for n in shortlisted if n.pk == d["nomination"]), None)
                if pages.handle(decide_form, lambda: services.decide_shortlist_objection(
                        actor=actor, campaign=campaign, objection=objection, outcome=d["outcome"],
                        reply=d["reply"], nomination=chosen)):
                    messages.success(request, _("The objection is decided."))
                    return redirect("honours:campaign_shortlist", pk=campaign.pk)
            decide_form.objection_pk = objection.pk  # type: ignore[attr-defined]
        elif step == "confer":
            if pages.act(request, lambda: services.confer_honours(actor=actor, campaign=campaign),
                         lambda done: _("%(n)s honours conferred; the certificates are issued.") % {"n": len(done)}):
                return redirect("honours:campaign_shortlist", pk=campaign.pk)
            return redirect("honours:campaign_shortlist", pk=campaign.pk)
    objections = list(notice.objections.order_by("filed_at")) if notice is not None else []
    unlinked = notice is not None and campaign.conferred_at is None and reviews.unlinked_upheld(
        campaign, notice)
    for o in objections:  # the form: undecided, or upheld elsewhere without naming the nomination
        o.decidable = campaign.conferred_at is None and (  # type: ignore[attr-defined]
            o.state != "decided" or (unlinked and o.outcome == "upheld"))
    docs = reviews.certificates_of(rows) if campaign.conferred_at else {}
    for n in rows:
        n.certificate = docs.get(n.pk)  # type: ignore[attr-defined]
    return render(request, "honours/shortlist.html", {
        "campaign": campaign, "rows": rows, "notice": notice, "objections": objections,
        "publish_form": publish_form, "decide_form": decide_form,
        "blank_decide": ObjectionDecisionForm(shortlisted=shortlisted),
        "can_publish": notice is None and bool(shortlisted)},
        status=400 if request.method == "POST" else 200)


@login_required
def nomination_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate of an honour conferred (A4 PDF with the QR code of its verification page), to whoever may
    see the nomination."""
    from gongjiang.core import certificates
    from gongjiang.core.pdf import pdf_response, render_pdf

    nomination = nomination_or_404(request, pk)
    doc = reviews.certificates_of([nomination]).get(nomination.pk)
    if doc is None:
        raise Http404
    data = render_pdf("core/certificates/certificate_pdf.html",
                      {"certificates": [certificates.pdf_context(request, doc)]}, request=request)
    return pdf_response(data, f"{doc.number}-{nomination.name}.pdf")

