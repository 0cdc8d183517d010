"""Endpoints of the witnessed draws: contestant numbers, stations and anonymous codes (加密号), and their records.
A 加密号 draw stays sealed (seed and result withheld) until its round is decrypted."""

from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Pagination, one

from .. import queries, services
from ..models import Draw
from ..rules import draws as draw_rules
from ..schemas.draws import DrawIn, DrawOut, DrawSummaryOut, RerunOut
from .common import TopicRouter, _actor, _rounds

router = TopicRouter(tags=["draws"])

DRAWS = {
    "contestant-numbers": services.draw_contestant_numbers,
    "stations": services.draw_stations,
    "codes": services.draw_codes,
}


def _draws(user: Any) -> QuerySet:
    """The draws the user may read: those of the rounds they may open, as on the draw pages."""
    return Draw.objects.for_user(user).select_related("round", "drawn_by")


def _sealed(draw: Draw) -> Draw:
    """A 加密号 draw stays sealed until its round is decrypted."""
    draw.sealed = draw.kind == draw_rules.CODES and draw.round is not None and draw.round.decrypted_at is None
    return draw


@router.post("/competitions/rounds/{round_id}/draws/{what}", response={201: DrawOut, **ERRORS},
             summary="Make a witnessed draw: contestant numbers, stations or codes")
def make_draw(request: HttpRequest, round_id: int, what: Literal["contestant-numbers", "stations", "codes"],
              payload: DrawIn) -> Any:
    """`contestant-numbers` closes registration and draws the 参赛号; after check-in, `stations` draws the 赛位号
    (absentees are marked), then `codes` draws the 加密号 from the station numbers only. The seed combines a
    fresh server secret with each witness's number; a second draw of the same thing is refused (400
    `already_drawn`)."""
    user = _actor(request)
    rnd = one(_rounds(user), round_id)
    witnesses = [w.dict() for w in payload.witnesses]
    draw = DRAWS[what](actor=user, rnd=rnd, witnesses=witnesses)
    return Status(201, _sealed(one(_draws(user), draw.pk)))


@router.get("/competitions/rounds/{round_id}/draws", response={200: list[DrawSummaryOut], **ERRORS},
            summary="The draws of a round")
@paginate(Pagination)
def list_draws(request: HttpRequest, round_id: int) -> Any:
    user = _actor(request)
    rnd = one(_rounds(user), round_id)
    return _draws(user).filter(round=rnd).defer("inputs", "result", "seed_parts").order_by("drawn_at", "id")


@router.get("/competitions/draws/{draw_id}", response={200: DrawOut, **ERRORS}, summary="A draw's record")
def get_draw(request: HttpRequest, draw_id: int) -> Any:
    """Seed, witnesses, input list, algorithm and result: enough to re-run the draw anywhere. A 加密号 draw is
    sealed (seed and result null) until its round is decrypted."""
    return _sealed(one(_draws(_actor(request)), draw_id))


@router.post("/competitions/draws/{draw_id}/rerun", response={200: RerunOut, **ERRORS},
             summary="Re-run a draw from its record")
def rerun_draw(request: HttpRequest, draw_id: int) -> Any:
    """Recomputes the seed from its recorded parts and the result from the seed and the input list; writes
    nothing. A sealed draw is re-run too (only the answer is given)."""
    return {"consistent": queries.rerun(one(_draws(_actor(request)), draw_id))}
