"""Endpoints of judging. Judges reach their rounds and sheets through their own assignments
(`Sheet.objects.for_judge`), never through an org scope, and only ever by 加密号."""

from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest
from ninja import Query
from ninja.pagination import paginate

from gongjiang.core.api import ERRORS, Pagination, one
from gongjiang.core.errors import PermissionDeniedError

from .. import queries, services
from ..models import Aspect, Entry, Mark, Round, RoundJudge, Scheme, Sheet
from ..schemas.judging import (
    DecryptIn,
    JudgeRoundDetailOut,
    JudgeRoundOut,
    LockOut,
    MarkIn,
    MarkOut,
    ReturnIn,
    SheetDetailOut,
    SheetFilter,
    SheetOut,
)
from .common import TopicRouter, _actor

router = TopicRouter(tags=["judging"])

# What a judge's answers select with their round assignment.
ASSIGNMENT = ("round__event__competition__organiser", "round__stage", "round__organiser")


def _judged_rounds(user: Any) -> QuerySet:
    """Rounds where the user is a judge, chief judge or supervisor (a judge has no org scope)."""
    return Round.objects.filter(judges__judge__user=user).select_related(
        "event__competition__organiser", "stage", "organiser").distinct()


def _sheets(user: Any) -> QuerySet:
    marked = (Mark.objects.filter(sheet=OuterRef("pk"), value__isnull=False).order_by().values("sheet")
              .annotate(n=Count("pk")).values("n"))
    return (Sheet.objects.for_judge(user)
            .select_related("round__event", "round__stage", "entry", "judge__judge")
            .only("id", "round_id", "state", "signed_at", "locked_at", "entry__code", "round__event__name",
                  "round__stage__name", "round__state", "round__event_id", "judge__judge__name",
                  "judge__judge__user_id")
            .annotate(marked=Subquery(marked, output_field=IntegerField())))


# ---------------------------------------------------------------------------------------------
# Rounds


@router.get("/judging/rounds", response={200: list[JudgeRoundOut], **ERRORS}, summary="The rounds I judge")
@paginate(Pagination)
def my_judge_rounds(request: HttpRequest) -> Any:
    return RoundJudge.objects.filter(judge__user=_actor(request)).select_related(*ASSIGNMENT).order_by("-round_id")


def _judge_round(user: Any, round_id: int) -> RoundJudge:
    assignment = RoundJudge.objects.filter(judge__user=user, round_id=round_id).select_related(*ASSIGNMENT).first()
    if assignment is None:
        raise Http404
    assignment.sheet_counts = queries.sheet_progress(assignment.round)
    return assignment


@router.get("/judging/rounds/{round_id}", response={200: JudgeRoundDetailOut, **ERRORS},
            summary="A round I judge, with its sheets by state")
def my_judge_round(request: HttpRequest, round_id: int) -> Any:
    return _judge_round(_actor(request), round_id)


# ---------------------------------------------------------------------------------------------
# Sheets and marks


@router.get("/judging/sheets", response={200: list[SheetOut], **ERRORS}, summary="My mark sheets")
@paginate(Pagination)
def my_sheets(request: HttpRequest, filters: Query[SheetFilter]) -> Any:
    """Your sheets (a chief judge or supervisor: every sheet of their rounds; `mine=true` for your own only),
    by round and 加密号. Never a name."""
    user = _actor(request)
    qs = _sheets(user)
    if filters.round:
        qs = qs.filter(round_id=filters.round)
    if filters.state:
        qs = qs.filter(state=filters.state.value)
    if filters.mine:
        qs = qs.filter(judge__judge__user=user)
    return qs.order_by("round_id", "entry__code", "id")


def _sheet_detail(user: Any, sheet_id: int) -> Sheet:
    sheet = one(_sheets(user), sheet_id)
    scheme = Scheme.objects.filter(event_id=sheet.round.event_id).first()
    if scheme is None:
        raise Http404
    marks = {m.aspect_id: m for m in Mark.objects.filter(sheet=sheet).select_related("aspect")}
    aspects = list(Aspect.objects.filter(scheme=scheme))
    for a in aspects:
        a.sheet_mark = marks.get(a.pk)
    sheet.scheme, sheet.aspects_list = scheme, aspects
    return sheet


@router.get("/judging/sheets/{sheet_id}", response={200: SheetDetailOut, **ERRORS},
            summary="A mark sheet with its aspects and marks")
def get_sheet(request: HttpRequest, sheet_id: int) -> Any:
    return _sheet_detail(_actor(request), sheet_id)


@router.put("/judging/sheets/{sheet_id}/marks/{aspect_id}", response={200: MarkOut, **ERRORS},
            summary="Save one mark")
def save_mark(request: HttpRequest, sheet_id: int, aspect_id: int, payload: MarkIn) -> Any:
    """Saved at once (nothing is lost if the page closes) and shown back. The input follows the aspect's kind:
    binary `{"achieved": true}`; tolerance `{"deviation": "0.03"}`; deduction `{"faults": {"S1": 2}}`;
    judgement or direct `{"mark": "7.5"}` (WorldSkills `{"score": 2}`). Refused (nothing saved): out of range
    or off the step, a sheet signed or locked, a sheet that is not yours."""
    user = _actor(request)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    for key in ("mark", "deviation"):
        if isinstance(data.get(key), Decimal):
            data[key] = str(data[key])
    try:  # the service finds the judge's own sheet itself: the hot path makes no other query
        mark = services.save_mark(actor=user, sheet_id=sheet_id, aspect_id=aspect_id, data=data)
    except PermissionDeniedError:
        one(Sheet.objects.for_judge(user), sheet_id)  # a sheet the user cannot even see is a 404
        raise
    return mark  # its aspect is loaded: no query for the response


@router.post("/judging/sheets/{sheet_id}/sign", response={200: SheetOut, **ERRORS}, summary="Sign my sheet")
def sign_sheet(request: HttpRequest, sheet_id: int) -> Any:
    """Once every aspect is marked; afterwards a mark changes only if the chief judge returns the sheet."""
    user = _actor(request)
    sheet = one(Sheet.objects.for_judge(user), sheet_id)
    services.sign_sheet(actor=user, sheet_id=sheet.pk)
    return one(_sheets(user), sheet.pk)


@router.post("/judging/sheets/{sheet_id}/return", response={200: SheetOut, **ERRORS},
             summary="Return a signed sheet to its judge (chief judge)")
def return_sheet(request: HttpRequest, sheet_id: int, payload: ReturnIn) -> Any:
    user = _actor(request)
    sheet = one(Sheet.objects.for_judge(user), sheet_id)
    services.return_sheet(actor=user, sheet_id=sheet.pk, reason=payload.reason)
    return one(_sheets(user), sheet.pk)


# ---------------------------------------------------------------------------------------------
# Locking and decryption (chief judge)


@router.post("/judging/rounds/{round_id}/entries/{code}/lock", response={200: LockOut, **ERRORS},
             summary="Verify and lock an entry's sheets (chief judge)")
def lock_entry(request: HttpRequest, round_id: int, code: str) -> Any:
    """Every sheet of the 加密号 signed and the judges agreeing (measurements equal, WorldSkills scores within
    1); when the last entry is locked the round is locked and its practical scores computed."""
    user = _actor(request)
    rnd = one(_judged_rounds(user), round_id)
    entry = Entry.objects.filter(round=rnd, code=code).exclude(code="").first()
    if entry is None:
        raise Http404
    locked = services.lock_entry(actor=user, entry=entry)
    rnd.refresh_from_db(fields=["state"])
    return {"code": entry.code, "locked_sheets": len(locked), "round_state": rnd.state}


@router.post("/judging/rounds/{round_id}/decrypt", response={200: JudgeRoundDetailOut, **ERRORS},
             summary="Decrypt a round (chief judge, with the supervisor's password)")
def decrypt(request: HttpRequest, round_id: int, payload: DecryptIn) -> Any:
    """解密: links the 加密号 to names, only once every sheet is locked; the round's supervisor confirms with their
    own username and password. Audited; the round is ranked."""
    user = _actor(request)
    rnd = one(_judged_rounds(user), round_id)
    services.decrypt(actor=user, rnd=rnd, supervisor_username=payload.supervisor_username,
                     supervisor_password=payload.supervisor_password)
    return _judge_round(user, rnd.pk)
