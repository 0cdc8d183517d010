"""What a final result earns: grade promotions (晋升技术等级) proposed when a round's results are confirmed, for
its organisers to approve into the person's grade history or reject; and the prize certificates (获奖证书) as
PDF — one, or every certificate of a round in parts — and their revocation. The certificates are core's (numbering,
the QR code's public verification page at /public/certificates/<token>/, revocation shown there)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import certificates, pages
from gongjiang.core.pdf import pdf_response, render_pdf
from gongjiang.orgs.choices import SkillGrade

from .. import queries, services
from ..choices import PromotionState
from ..forms.results import RevokeForm, promotion_state_choices
from ..models import Certificate, Competition, Entry, Promotion, Round
from .common import results_round_for_change
from .results import CERTIFICATES_PER_PDF

# ---------------------------------------------------------------------------------------------
# Grade promotions (晋升技术等级)


def _grade(value: int) -> str:
    return str(SkillGrade(value).label) if value in SkillGrade.values else str(value)


# The columns the promotions sort by (?sort=worker, ?sort=-place): a round as the competition lists its events, its
# contestants by place — the default —; the grades by their code (the highest grade first), the state in its own
# order (proposed, approved, rejected).
PROMOTION_SORTING = pages.Sorting(
    {"worker": "entry__person__name", "round": ("entry__round__event__order", "entry__round__pk", "entry__place"),
     "place": "entry__place", "current": "current_grade", "proposed": "proposed_grade", "state": "state_rank"},
    default="round", annotations={"state_rank": pages.rank_of("state", PromotionState.values)})


@login_required
def promotion_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Proposed grade promotions of a competition, for the organisers of its rounds to approve or reject."""
    competition = get_object_or_404(Competition.objects.for_user(request.user, "view").select_related("organiser"),
                                    pk=pk)
    qs = Promotion.objects.filter(entry__round__event__competition=competition)
    if not competition.can_change(request.user):
        mine = Round.objects.for_user(request.user, "change").filter(event__competition=competition)
        if not mine.exists():
            raise PermissionDenied(_("Only the organisers of this competition see its grade promotions."))
        qs = qs.filter(entry__round__in=mine)
    state = request.GET.get("state", "")
    if state in PromotionState.values:
        qs = qs.filter(state=state)
    sort = PROMOTION_SORTING(request)
    qs = sort.apply(qs.select_related("entry__person", "entry__unit", "entry__round__event__competition__organiser",
                                      "entry__round__stage", "entry__round__organiser", "decided_by"))
    if pages.wants_export(request):
        return pages.export(f"{competition.name}-{_('Grade promotions')}", [
            _("Name"), _("Unit"), _("Event"), _("Stage"), _("Round"), _("Place"), _("Prize"), _("Current grade"),
            _("Proposed grade"), _("State")], (
            [p.entry.person.name, p.entry.unit.name, p.entry.round.event.name, p.entry.round.stage.name,
             p.entry.round.organiser.display_name, p.entry.place, p.entry.get_prize_display(),
             _grade(p.current_grade), _grade(p.proposed_grade), p.get_state_display()]
            for p in qs.iterator(chunk_size=2000)))
    page = pages.paginate(request, qs)
    rows = list(page.object_list)
    for p in rows:
        p.current_label, p.proposed_label = _grade(p.current_grade), _grade(p.proposed_grade)
        p.can_decide = p.state == PromotionState.PROPOSED and p.entry.round.can_change(request.user)
    return pages.render_page(request, "competitions/results/promotion_list.html", {
        "competition": competition, "page": page, "rows": rows, "state": state, "sort": sort,
        "states": promotion_state_choices(),
    }, fragment="competitions/results/_promotion_rows.html")


@login_required
@require_POST
def promotion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    promotion = get_object_or_404(Promotion.objects.select_related("entry__round__event", "entry__person").filter(
        entry__round__in=Round.objects.for_user(request.user, "change")), pk=pk)
    approve = request.POST.get("approve") == "1"
    text = (_("The promotion of %(name)s to %(grade)s is approved and recorded in the grade history.") if approve
            else _("The promotion of %(name)s to %(grade)s is rejected."))
    pages.act(request, lambda: services.decide_promotion(actor=request.user, promotion=promotion, approve=approve),
              text % {"name": promotion.entry.person.name, "grade": _grade(promotion.proposed_grade)})
    back = reverse("competitions:promotion_list", args=[promotion.entry.round.event.competition_id])
    state, sort = request.POST.get("state", ""), request.POST.get("sort", "")
    query = urlencode({**({"state": state} if state in PromotionState.values else {}),
                       **({"sort": sort} if PROMOTION_SORTING.knows(sort) else {})})
    return redirect(f"{back}?{query}" if query else back)


# ---------------------------------------------------------------------------------------------
# Certificates (获奖证书) and their public verification


CERT_RELATED = ("entry__person", "entry__unit", "entry__round__event__competition__organiser", "entry__round__stage",
                "entry__round__organiser", "document")


def _certificate_context(request: HttpRequest, cert: Certificate) -> dict[str, Any]:
    """Core's context of the certificate (number, QR code of its verification link, issuer, date) and the round's
    particulars the competitions template words its text with."""
    entry = cert.entry
    competition = entry.round.event.competition
    return {**certificates.pdf_context(request, cert.document), "cert": cert, "entry": entry,
            "event": entry.round.event, "stage": entry.round.stage, "competition": competition,
            "organiser": competition.organiser, "issuer": queries.certificate_issuer(cert)}


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate as an A4 landscape PDF with the QR code of its verification page."""
    cert = get_object_or_404(Certificate.objects.select_related(*CERT_RELATED).filter(
        entry__in=Entry.objects.for_user(request.user, "view")), pk=pk)
    data = render_pdf("competitions/results/certificate_pdf.html", {"certificates": [_certificate_context(
        request, cert)]}, request=request)
    return pdf_response(data, f"{cert.number}-{cert.entry.person.name}.pdf")


@login_required
def round_certificates_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Every certificate of a round in one PDF (one per page), in parts of CERTIFICATES_PER_PDF."""
    rnd = results_round_for_change(request, pk)
    try:
        part = max(1, int(request.GET.get("part", "1")))
    except ValueError:
        part = 1
    start = (part - 1) * CERTIFICATES_PER_PDF
    certs = list(Certificate.objects.filter(entry__round=rnd, document__revoked_at__isnull=True)
                 .select_related(*CERT_RELATED).order_by("entry__place", "document__number")
                 [start:start + CERTIFICATES_PER_PDF])
    if not certs:
        raise Http404(_("This round has no certificates."))
    data = render_pdf("competitions/results/certificate_pdf.html", {
        "certificates": [_certificate_context(request, c) for c in certs]}, request=request)
    return pdf_response(data, f"{rnd.event.name}-{rnd.stage.name}-{_('certificates')}-{part}.pdf", inline=False)


@login_required
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(Certificate.objects.select_related(*CERT_RELATED).filter(
        entry__round__in=Round.objects.for_user(request.user, "change")), pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if pages.handle(form, lambda: services.revoke_certificate(actor=request.user, certificate=cert,
                                                                  reason=form.cleaned_data["reason"])) is not None:
            messages.success(request, _("Certificate %(no)s is revoked.") % {"no": cert.number})
            return redirect("competitions:round_results", pk=cert.entry.round_id)
    return render(request, "competitions/results/certificate_revoke.html", {"cert": cert, "form": form},
                  status=400 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("competitions/<id:pk>/promotions/", promotion_list, name="promotion_list"),
    path("competitions/promotions/<id:pk>/decide/", promotion_decide, name="promotion_decide"),
    path("competitions/rounds/<id:pk>/certificates.pdf", round_certificates_pdf, name="round_certificates_pdf"),
    path("competitions/certificates/<id:pk>.pdf", certificate_pdf, name="certificate_pdf"),
    path("competitions/certificates/<id:pk>/revoke/", certificate_revoke, name="certificate_revoke"),
]
