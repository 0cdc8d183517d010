"""Endpoints of results: the ranking, theory scores, public notice (公示), appeals (申诉), finalisation, grade
promotions and the public check of a certificate."""

from collections.abc import Callable
from typing import Any

from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Listing, Pagination, one
from gongjiang.core.errors import PermissionDeniedError

from .. import services
from ..choices import EntryStatus
from ..models import Appeal, Certificate, Entry, Promotion
from ..schemas.results import (
    AppealDecisionIn,
    AppealIn,
    AppealOut,
    CertificateOut,
    CountOut,
    FinaliseOut,
    PromotionDecisionIn,
    PromotionOut,
    PublishIn,
    RankingRowOut,
    TheoryIn,
)
from ..schemas.structure import RoundDetailOut
from .common import DECRYPTED, PUBLISHED, TopicRouter, _actor, _entries, _results_rounds, _round_detail, fixed_paths

router = TopicRouter(tags=["results"])


def _appeals(user: Any) -> QuerySet:
    return Appeal.objects.filter(entry__in=Entry.objects.for_user(user)).select_related(
        "entry__person", "entry__unit")


def _promotions(user: Any) -> QuerySet:
    return Promotion.objects.filter(entry__in=Entry.objects.for_user(user)).select_related("entry__person")


def _of_round(request: HttpRequest, round_id: int, visible: Callable[[Any], QuerySet], *order: str) -> QuerySet:
    """The appeals or promotions (`visible` to the user) of a round the user sees, in `order`."""
    user = _actor(request)
    rnd = one(_results_rounds(user), round_id)
    return visible(user).filter(entry__round=rnd).order_by(*order)


def _decided(request: HttpRequest, pk: int, visible: Callable[[Any], QuerySet],
             decide: Callable[[Any, Any], object]) -> Any:
    """An appeal or a promotion the user sees (else 404), after `decide(user, it)` — read again, as decided."""
    user = _actor(request)
    decide(user, one(visible(user), pk))
    return one(visible(user), pk)


@router.get("/competitions/rounds/{round_id}/ranking", response={200: list[RankingRowOut], **ERRORS},
            summary="The ranking of a round")
@paginate(Pagination)
def ranking(request: HttpRequest, round_id: int) -> Any:
    """The round's organisers see it as soon as practical scores exist — by 加密号 and practical score only
    until decryption, then with names, units and every score. Everyone else who sees the round sees it once
    the results are on public notice (公示). Best first."""
    user = _actor(request)
    rnd = one(_results_rounds(user), round_id)
    organiser = rnd.can_change(user)
    if not organiser and rnd.state not in PUBLISHED:
        raise PermissionDeniedError(_("The results of this round are not published yet."), code="not_published")
    show_names = rnd.state in DECRYPTED
    qs = Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).select_related("person", "unit")
    if show_names:
        qs = qs.order_by(F("place").asc(nulls_last=True), F("total").desc(nulls_last=True), "code", "id")
    else:
        qs = qs.exclude(practical__isnull=True).order_by("-practical", "code", "id")

    def decorate(rows: list[Entry]) -> None:
        for e in rows:
            e.show_names = show_names

    return Listing(qs, decorate=decorate)


@router.put("/competitions/rounds/{round_id}/theory", response={200: CountOut, **ERRORS},
            summary="Enter theory scores")
def set_theory(request: HttpRequest, round_id: int, payload: TheoryIn) -> Any:
    """Theory scores (0–100) by entry id; totals follow (and the ranking, once decrypted). Refused whole when
    one is wrong (`errors` keyed by entry id)."""
    user = _actor(request)
    rnd = one(_results_rounds(user), round_id)
    scores = {s.entry: s.score for s in payload.scores}
    return {"updated": services.set_theory_scores(actor=user, rnd=rnd, scores=scores, note=payload.note)}


@router.post("/competitions/rounds/{round_id}/publish", response={200: RoundDetailOut, **ERRORS},
             summary="Put the results on public notice (公示)")
def publish(request: HttpRequest, round_id: int, payload: PublishIn) -> Any:
    """After decryption (and every theory score); appeals are accepted until `publicity_until`."""
    user = _actor(request)
    rnd = one(_results_rounds(user), round_id)
    services.publish_results(actor=user, rnd=rnd, publicity_until=payload.publicity_until)
    return _round_detail(user, one(_results_rounds(user), rnd.pk))


# ---------------------------------------------------------------------------------------------
# Appeals


@router.post("/competitions/entries/{entry_id}/appeals", response={201: AppealOut, **ERRORS},
             summary="File an appeal (申诉)")
def file_appeal(request: HttpRequest, entry_id: int, payload: AppealIn) -> Any:
    """The contestant or their unit, while the results are on public notice; one open appeal per entry."""
    user = _actor(request)
    appeal = services.file_appeal(actor=user, entry=one(_entries(user), entry_id), reason=payload.reason)
    return Status(201, one(_appeals(user), appeal.pk))


@router.get("/competitions/rounds/{round_id}/appeals", response={200: list[AppealOut], **ERRORS},
            summary="The appeals of a round")
@paginate(Pagination)
def list_appeals(request: HttpRequest, round_id: int) -> Any:
    """The organisers see every appeal; a unit its own entries' appeals; a worker their own."""
    return _of_round(request, round_id, _appeals, "filed_at", "id")


@router.post("/competitions/appeals/{appeal_id}/decide", response={200: AppealOut, **ERRORS},
             summary="Decide an appeal (仲裁, organiser)")
def decide_appeal(request: HttpRequest, appeal_id: int, payload: AppealDecisionIn) -> Any:
    """Upheld or dismissed, with the written decision. An upheld appeal's marks are then changed by the
    organiser (re-mark), which recomputes the scores and the ranking."""
    return _decided(request, appeal_id, _appeals, lambda user, appeal: services.decide_appeal(
        actor=user, appeal=appeal, upheld=payload.upheld, decision=payload.decision))


# ---------------------------------------------------------------------------------------------
# Final results: promotions and certificates


@router.post("/competitions/rounds/{round_id}/finalise", response={200: FinaliseOut, **ERRORS},
             summary="Make the results final")
def finalise(request: HttpRequest, round_id: int) -> Any:
    """After the public notice, with every appeal decided: certificates for the prize winners, promotions
    proposed (in a stage of the competition's level), and — once every round of the stage is final — the best
    advance into the next stage."""
    user = _actor(request)
    rnd = one(_results_rounds(user), round_id)
    return services.finalise_round(actor=user, rnd=rnd)


@router.get("/competitions/rounds/{round_id}/promotions", response={200: list[PromotionOut], **ERRORS},
            summary="Grade promotions proposed by a round")
@paginate(Pagination)
def list_promotions(request: HttpRequest, round_id: int) -> Any:
    return _of_round(request, round_id, _promotions, "entry__place", "id")


@router.post("/competitions/promotions/{promotion_id}/decide", response={200: PromotionOut, **ERRORS},
             summary="Approve or reject a grade promotion (organiser)")
def decide_promotion(request: HttpRequest, promotion_id: int, payload: PromotionDecisionIn) -> Any:
    """Approved: the grade goes into the person's grade history."""
    return _decided(request, promotion_id, _promotions, lambda user, promotion: services.decide_promotion(
        actor=user, promotion=promotion, approve=payload.approve))


@fixed_paths.get("/competitions/certificates/{token}", response={200: CertificateOut, **ERRORS}, auth=None,
                 tags=["results"], summary="Verify a certificate (public)")
def verify_certificate(request: HttpRequest, token: str) -> Any:
    """The page a certificate's QR code opens: anyone may check that a certificate is genuine (holder, prize,
    competition, event, stage; `valid` is false once revoked). No login; an unknown token is a 404."""
    cert = (Certificate.objects.select_related("entry__person", "entry__unit", "entry__round__stage", "document",
                                               "entry__round__event__competition")
            .filter(document__token=token).first())
    if cert is None:
        raise Http404
    return cert
