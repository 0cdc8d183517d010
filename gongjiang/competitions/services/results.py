"""Results: theory scores (typed, or read whole from a workbook by `theory_import`), the re-check selection,
public notice (公示) and appeals. Scores and the ranking are computed by `scoring` inside these verbs; what a final
result earns — advancement into the next stage, grade promotions, certificates — is in `awards`; the results and
analysis pages read from `queries`."""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit, notices
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import verb
from gongjiang.orgs.models import User

from .. import notify, publicity
from ..choices import AmendmentKind, AppealState, EntryStatus, RoundState
from ..models import Appeal, Entry, Round, Scheme, Sheet
from ..queries.results import placed_entries
from ..rules import marking, ranking
from .chief import _chief, amend_mark
from .common import _require_round_organiser, _require_state
from .draws import _perform
from .scoring import CHUNK, _rank_round, _total

# ---------------------------------------------------------------------------------------------
# Scores


@verb
def set_theory_scores(*, actor: User, rnd: Round, scores: dict[int, Decimal], note: str = "") -> int:
    """Enter (or import) theory scores by entry id, 0–100; totals follow. Refused whole when one is wrong."""
    rnd = Round.objects.select_for_update(of=("self",)).select_related(
        "event__competition__organiser", "organiser").get(pk=rnd.pk)
    _require_round_organiser(rnd, actor)
    if rnd.state == RoundState.FINAL:
        raise DomainError(_("The results of this round are final."), code="state")
    scheme = Scheme.objects.filter(event=rnd.event_id).first() or Scheme(event=rnd.event)
    entries = Entry.objects.in_bulk(list(scores))
    errors: dict[str, str] = {}
    values: dict[int, int] = {}
    for pk, score in scores.items():
        entry = entries.get(pk)
        if entry is None or entry.round_id != rnd.pk:
            errors[str(pk)] = _("Entry %(id)s is not in this round.") % {"id": pk}
            continue
        try:
            value = marking.to_hundredths(Decimal(str(score)))
        except (ArithmeticError, ValueError, DomainError):
            errors[str(pk)] = _("The theory score of %(no)s is not a number: %(v)s.") % {"no": entry.contestant_no,
                                                                                       "v": score}
            continue
        if not 0 <= value <= 10000:
            errors[str(pk)] = _("The theory score of %(no)s must be between 0 and 100, not %(v)s.") % {
                "no": entry.contestant_no, "v": score}
            continue
        values[pk] = value
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    rows = list(entries.values())
    for e in rows:
        e.theory = values[e.pk]
        e.total = _total(rnd.event, scheme, e.theory, e.practical)
    Entry.objects.bulk_update(rows, ["theory", "total"], batch_size=CHUNK)
    audit.record(actor, "competitions.round.theory_entered", rnd, after={"entries": len(rows)}, note=note)
    if rnd.state in {RoundState.DECRYPTED, RoundState.PUBLICITY}:
        _rank_round(rnd)
    return len(rows)


@verb
def draw_recheck(*, actor: User, rnd: Round, witnesses: list[Any]) -> tuple[list[str], list[str]]:
    """复核: every entry of the top N % and a drawn sample of the rest (a recorded draw), by 加密号, once all
    sheets are locked and before decryption."""
    rnd = Round.objects.select_for_update(of=("self",)).select_related(
        "event__competition__organiser", "organiser").get(pk=rnd.pk)
    _chief(rnd, actor)
    _require_state(rnd, RoundState.LOCKED)
    _rank_round(rnd)
    event = rnd.event
    top, pool = ranking.recheck_pool(placed_entries(rnd), event.recheck_top_percent)
    codes: dict[Hashable, str] = dict(Entry.objects.filter(pk__in=[*top, *pool]).values_list("pk", "code"))
    k = -(-len(pool) * event.recheck_sample_percent // 100) if pool else 0
    draw = _perform(actor=actor, competition=event.competition, rnd=rnd, purpose=f"round {rnd.pk} / recheck",
                         kind="sample", items=[codes[p] for p in pool], witnesses=witnesses, k=k)
    top_codes = [codes[p] for p in top]
    audit.record(actor, "competitions.round.recheck_drawn", rnd, after={"top": top_codes, "sample": draw.result})
    return top_codes, list(draw.result)


# ---------------------------------------------------------------------------------------------
# Public notice and appeals


@verb
def publish_results(*, actor: User, rnd: Round, publicity_until: datetime.date | None = None,
                    working_days: int | None = None) -> Round:
    """成绩公示: the decrypted, ranked results go on public notice — a core notice (objections of the public) —
    until `publicity_until`, or for `working_days` working days of the Chinese calendar from today (holidays and
    调休 weekends counted as they are). Appeals and objections are accepted until the end of the last day."""
    rnd = Round.objects.select_for_update(of=("self",)).select_related(
        "event__competition__organiser", "organiser", "stage").get(pk=rnd.pk)
    _require_round_organiser(rnd, actor)
    _require_state(rnd, RoundState.DECRYPTED)
    if publicity_until is None and working_days is None:
        raise DomainError(_("Choose the last day of the public notice."), field="publicity_until")
    if publicity_until is not None and publicity_until < timezone.localdate():
        raise DomainError(_("The public notice cannot end in the past."), field="publicity_until")
    if rnd.event.theory_weight and Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN,
                                                        theory__isnull=True).exists():
        raise DomainError(_("Some contestants have no theory score yet."), code="incomplete")
    _rank_round(rnd)
    try:
        notice = notices.publish(
            actor=actor, kind=publicity.ROUND_NOTICE, owner=rnd, org_path=rnd.organiser.path,
            publisher_name=rnd.organiser.name, title=publicity.notice_title(rnd),
            ends_on=None if working_days is not None else publicity_until, working_days=working_days)
    except DomainError as refusal:  # core names its own fields; the round's is publicity_until
        raise DomainError(refusal.message, field="working_days" if "working_days" in refusal.errors
                          else "publicity_until", code=refusal.code) from None
    publicity_until = notice.ends_on
    rnd.state, rnd.publicity_until, rnd.notice = RoundState.PUBLICITY, publicity_until, notice
    rnd.save(update_fields=["state", "publicity_until", "notice"])
    audit.record(actor, "competitions.round.published", rnd, after={"until": publicity_until,
                                                                    "working_days": working_days})
    notify.results_on_notice(rnd)
    return rnd


@verb
def file_appeal(*, actor: User, entry: Entry, reason: str) -> Appeal:
    """申诉: the contestant or their unit objects to a result within the public-notice window."""
    entry = Entry.objects.select_related("round__notice", "unit").get(pk=entry.pk)
    is_self = getattr(actor, "person_id", None) == entry.person_id
    if not (is_self or entry.unit.in_scope(actor, "change")):
        raise PermissionDeniedError(_("Only the contestant or their unit may appeal."))
    rnd = entry.round
    if not publicity.notice_running(rnd):
        raise DomainError(_("Appeals are accepted only while the results are on public notice (until %(date)s).") % {
            "date": rnd.publicity_until or "—"}, code="window_closed")
    if not reason.strip():
        raise DomainError(_("Please give the grounds of the appeal."), field="reason")
    if Appeal.objects.filter(entry=entry, state=AppealState.FILED).exists():
        raise DomainError(_("An appeal for this entry is already being decided."), code="duplicate")
    appeal = Appeal.objects.create(entry=entry, filed_by=actor, reason=reason.strip())
    audit.record(actor, "competitions.appeal.filed", appeal, after={"reason": appeal.reason})
    return appeal


@dataclass(frozen=True)
class Amendment:
    """One mark changed by an upheld appeal: the sheet, the aspect and the new input (as `judging.mark_value`
    reads it: {"mark": "28"}, {"deviation": "0.01"}, {"achieved": True}, {"faults": {"S1": 1}}, {"score": 2})."""

    sheet_id: int
    aspect_id: int
    data: dict[str, Any]


@verb
def decide_appeal(*, actor: User, appeal: Appeal, upheld: bool, decision: str,
                  amendments: Iterable[Amendment] = (), reason: str = "") -> Appeal:
    """The arbitration decision (仲裁). When upheld, the `amendments` change the entry's locked marks through
    `chief.amend_mark(kind="appeal")` with `reason` (the decision when blank), which recomputes the scores,
    the ranking and the prizes; advancement follows when the round is finalised. All or nothing: a refused
    mark leaves the appeal undecided and every mark as it was. The entry's place, total and prize before and
    after are recorded (and set on the returned appeal as `before` / `after`)."""
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related(
        "entry__round__event__competition__organiser", "entry__round__organiser").get(pk=appeal.pk)
    _require_round_organiser(appeal.entry.round, actor)
    if appeal.state != AppealState.FILED:
        raise DomainError(_("This appeal has already been decided."), code="state")
    if not decision.strip():
        raise DomainError(_("Please write the decision."), field="decision")
    amendments = list(amendments)
    if amendments and not upheld:
        raise DomainError(_("Marks are changed only when the appeal is upheld."), field="upheld")
    entry = appeal.entry
    sheets = set(Sheet.objects.filter(entry=entry).values_list("pk", flat=True))
    if any(a.sheet_id not in sheets for a in amendments):
        raise DomainError(_("A changed mark must be on a sheet of the appealed entry."), field="amendments")
    before = _standing(entry.pk)
    appeal.state = AppealState.UPHELD if upheld else AppealState.DISMISSED
    appeal.decision, appeal.decided_by, appeal.decided_at = decision.strip(), actor, timezone.now()
    appeal.save(update_fields=["state", "decision", "decided_by", "decided_at"])
    for a in amendments:
        amend_mark(actor=actor, sheet_id=a.sheet_id, aspect_id=a.aspect_id, data=a.data,
                   reason=reason.strip() or appeal.decision, kind=AmendmentKind.APPEAL, appeal=appeal)
    after = _standing(entry.pk)
    audit.record(actor, "competitions.appeal.decided", appeal, before={"state": AppealState.FILED, **before},
                 after={"state": appeal.state, "marks_changed": len(amendments), **after}, note=appeal.decision)
    notify.appeal_decided(appeal)
    appeal.before, appeal.after = before, after  # type: ignore[attr-defined]
    return appeal


def _standing(entry_id: int) -> dict[str, Any]:
    place, total, prize = Entry.objects.filter(pk=entry_id).values_list("place", "total", "prize").get()
    return {"place": place, "total": total, "prize": prize}
