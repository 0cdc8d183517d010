"""Judging, the chief judge's side: returning a signed sheet to its judge, verifying and locking an entry's
sheets (the judges must agree on every measurement; the last lock computes the practical scores and locks
the round), decryption (解密) with the round's supervisor confirming by their own password, and changes to
locked marks — a re-check (复核) by the chief judge or an appeal decision by the organiser — with what the
chief judge's board reads (sheets by state, the changes made after the lock).

The judges' side (pool, assignments, conflicts, opening the marking, marks, sign-off) is in `judging`; a
change after the lock validates its input exactly as a judge's save does (`judging.mark_value`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError

from ..choices import AmendmentKind, AspectKind, JudgeRole, RoundState, SheetState
from ..models import Aspect, Entry, Mark, Round, RoundJudge, Scheme, Sheet
from ..rules import marking, scoring
from .common import _require_round_organiser, _require_state
from .judging import mark_value, rule_round
from .structure import scheme_of

# ---------------------------------------------------------------------------------------------
# Returning and locking sheets


def _chief(rnd: Round, actor: Any) -> RoundJudge:
    # By the account's id, which an anonymous visitor lacks (None matches no judge: a judge always has an account).
    chief = RoundJudge.objects.filter(round=rnd, role=JudgeRole.CHIEF,
                                      judge__user_id=getattr(actor, "pk", None)).first()
    if chief is None:
        raise PermissionDeniedError(_("Only the chief judge of this round may do this."))
    return chief


@transaction.atomic
def return_sheet(*, actor: Any, sheet_id: int, reason: str) -> Sheet:
    """The chief judge sends a signed sheet back to its judge for correction."""
    sheet = Sheet.objects.select_for_update(of=("self",)).select_related("round", "entry").get(pk=sheet_id)
    _chief(sheet.round, actor)
    if sheet.state != SheetState.SIGNED:
        raise DomainError(_("Only a signed sheet can be returned."), code="state")
    if not reason.strip():
        raise DomainError(_("Please give the reason."), field="reason")
    sheet.state, sheet.signed_at = SheetState.OPEN, None
    sheet.save(update_fields=["state", "signed_at"])
    audit.record(actor, "competitions.sheet.returned", sheet, note=reason)
    return sheet


def entry_inputs(scheme: Scheme, aspects: list[Aspect], marks: list[Mark]) -> dict[str, Any]:
    """The rules' inputs of one entry from its judges' marks: judgement and direct aspects take every judge's
    mark (aggregated by the scheme's method; direct marks by their mean); measurements are objective, so the
    judges who took them must agree (refused otherwise, naming the aspect)."""
    by_aspect: dict[int, list[Mark]] = defaultdict(list)
    for m in marks:
        by_aspect[m.aspect_id].append(m)
    inputs: dict[str, Any] = {}
    for a in aspects:
        ms = [m for m in by_aspect.get(a.pk, []) if m.value is not None]
        if not ms:
            continue
        if a.kind == AspectKind.JUDGEMENT:
            if scheme.judgement_method == marking.WORLDSKILLS:
                inputs[a.code] = [m.value // 100 for m in ms]
            else:
                inputs[a.code] = [marking.from_hundredths(m.value) for m in ms]
        elif a.kind == AspectKind.DIRECT:
            inputs[a.code] = sum(marking.from_hundredths(m.value) for m in ms) / len(ms) if len(ms) > 1 else \
                marking.from_hundredths(ms[0].value)
            inputs[a.code] = rule_round(scheme, inputs[a.code])
        else:
            values = {m.value for m in ms}
            if len(values) > 1:
                raise DomainError(_("%(aspect)s is a measurement and the judges recorded different results"
                                    " (%(values)s); they must agree.") % {
                    "aspect": a.code, "values": "、".join(str(marking.from_hundredths(v)) for v in sorted(values))},
                    field=a.code, code="disagreement")
            m = ms[0]
            inputs[a.code] = {AspectKind.BINARY: lambda m=m: m.raw.get("achieved"),
                              AspectKind.TOLERANCE: lambda m=m: m.raw.get("deviation"),
                              AspectKind.DEDUCTION: lambda m=m: m.raw.get("faults", {})}[a.kind]()
    return inputs


@transaction.atomic
def lock_entry(*, actor: Any, entry: Entry) -> list[Sheet]:
    """The chief judge verifies an entry's signed sheets and locks them together: every sheet signed, judges
    agreeing (WorldSkills scores within 1, measurements equal). When the last entry of the round is locked,
    the practical scores are computed and the round is locked."""
    from .results import compute_scores

    entry = Entry.objects.select_related("round__event").get(pk=entry.pk)
    rnd = Round.objects.select_for_update(of=("self",)).get(pk=entry.round_id)
    _chief(rnd, actor)
    _require_state(rnd, RoundState.MARKING)
    sheets = list(Sheet.objects.select_for_update(of=("self",)).filter(entry=entry))
    unsigned = [s for s in sheets if s.state == SheetState.OPEN]
    if unsigned:
        raise DomainError(_("%(code)s: %(n)s sheets are not signed yet.") % {"code": entry.code, "n": len(unsigned)},
                          code="incomplete")
    todo = [s for s in sheets if s.state == SheetState.SIGNED]
    if not todo:
        raise DomainError(_("%(code)s is already locked.") % {"code": entry.code}, code="state")
    scheme = Scheme.objects.get(event=rnd.event_id)
    aspects = list(scheme.aspects.all())
    rules_scheme = scheme_of(scheme, aspects)
    result = scoring.score_sheet(rules_scheme, entry_inputs(scheme, aspects, list(
        Mark.objects.filter(sheet__entry=entry))))
    result.require_complete()
    now = timezone.now()
    for s in todo:
        s.state, s.locked_at, s.locked_by = SheetState.LOCKED, now, actor
    Sheet.objects.bulk_update(todo, ["state", "locked_at", "locked_by"])
    audit.record(actor, "competitions.entry.locked", entry, after={"code": entry.code, "sheets": len(todo),
                                                                   "practical": str(result.total)})
    if not Sheet.objects.filter(round=rnd).exclude(state=SheetState.LOCKED).exists():
        compute_scores(rnd)
        rnd.state = RoundState.LOCKED
        rnd.save(update_fields=["state"])
        audit.record(actor, "competitions.round.locked", rnd)
    return todo


# ---------------------------------------------------------------------------------------------
# Decryption (解密) with the round's supervisor


def _require_decryptable(rnd: Round, actor: Any) -> None:
    _chief(rnd, actor)
    open_sheets = Sheet.objects.filter(round=rnd).exclude(state=SheetState.LOCKED).count()
    if rnd.state != RoundState.LOCKED or open_sheets:
        raise DomainError(_("Decryption waits until every mark sheet of the round is locked (%(n)s not yet).") % {
            "n": open_sheets}, code="state")


def _round_supervisor(rnd: Round, actor: Any, username: str, password: str) -> Any:
    """The round's supervisor, confirmed by their own password. Only this round's (active) supervisors are looked
    up: any other name — an unknown one, another judge, any account — gets the same refusal as a wrong password,
    without its password being checked or counted, so the form is no password oracle for other accounts. The
    supervisor's password check is throttled like a log-in (`orgs.throttle`), by the requesting user: failures
    refuse the chief judge's further tries, never lock the supervisor's own log-in."""
    from gongjiang.orgs import throttle
    from gongjiang.orgs.auth import check_throttled, find_account
    from gongjiang.orgs.models import User

    login = username.strip()
    supervisors = User.objects.filter(is_active=True, judge__assignments__round=rnd,
                                      judge__assignments__role=JudgeRole.SUPERVISOR)
    supervisor = find_account(login, supervisors) if login else None
    if supervisor is None or not check_throttled(supervisor, login, password, throttle.client_of_user(actor)):
        raise PermissionDeniedError(_("The supervisor's user name or password is incorrect, or there were too many "
                                      "attempts (try again later): the supervisor of this round must confirm with "
                                      "their own password."), field="supervisor", code="credentials")
    return supervisor


def decrypt(*, actor: Any, rnd: Round, supervisor_username: str, supervisor_password: str) -> Round:
    """解密: the chief judge, with the round's supervisor confirming by their own password, links the 加密号 to
    names — only once every sheet of the round is locked. Audited.

    Nothing is asked of the supervisor before the chief and the locks are checked; the password is checked
    outside the transaction, so a wrong one is counted against the chief judge's further tries (inside, the
    refusal would roll the count back and leave the password open to guessing)."""
    _require_decryptable(Round.objects.get(pk=rnd.pk), actor)
    supervisor = _round_supervisor(rnd, actor, supervisor_username, supervisor_password)
    return _decrypt(actor=actor, rnd=rnd, supervisor=supervisor)


@transaction.atomic
def _decrypt(*, actor: Any, rnd: Round, supervisor: Any) -> Round:
    rnd = Round.objects.select_for_update(of=("self",)).get(pk=rnd.pk)
    _require_decryptable(rnd, actor)  # again, under the lock
    rnd.state, rnd.decrypted_at, rnd.decrypted_by, rnd.decryption_witness = (
        RoundState.DECRYPTED, timezone.now(), actor, supervisor)
    rnd.save(update_fields=["state", "decrypted_at", "decrypted_by", "decryption_witness"])
    audit.record(actor, "competitions.round.decrypted", rnd, after={"supervisor": supervisor.get_username()})
    from .results import rank_round

    rank_round(rnd)
    return rnd


# ---------------------------------------------------------------------------------------------
# After the lock: re-check (复核) and appeal


@transaction.atomic
def amend_mark(*, actor: Any, sheet_id: int, aspect_id: int, data: dict[str, Any], reason: str,
               kind: str = AmendmentKind.RECHECK, appeal: Any = None) -> Mark:
    """Change a locked mark through a re-check (the chief judge) or an appeal decision (the organiser),
    with the reason; audited; the entry's scores and the round's ranking are recomputed."""
    from .results import compute_scores, rank_round

    sheet = Sheet.objects.select_for_update(of=("self",)).select_related("round__event__competition__organiser",
                                                                         "round__organiser", "entry").get(pk=sheet_id)
    rnd = sheet.round
    if kind == AmendmentKind.RECHECK:
        _chief(rnd, actor)
    else:
        _require_round_organiser(rnd, actor)
        if appeal is None:
            raise DomainError(_("A change on appeal names the appeal."), field="appeal")
    if sheet.state != SheetState.LOCKED:
        raise DomainError(_("This sheet is not locked: the judge corrects it."), code="state")
    if rnd.state == RoundState.FINAL:
        raise DomainError(_("The results of this round are final."), code="state")
    if not reason.strip():
        raise DomainError(_("Please give the reason for the change."), field="reason")
    aspect = Aspect.objects.select_related("scheme").get(pk=aspect_id, scheme__event=rnd.event_id)
    value, raw = mark_value(aspect, aspect.scheme, data)
    mark = Mark.objects.select_for_update(of=("self",)).filter(sheet=sheet, aspect=aspect).first()
    before = {"value": mark.value, "raw": mark.raw} if mark else {}
    if mark is None:
        mark = Mark.objects.create(sheet=sheet, aspect=aspect, value=value, raw=raw)
    else:
        mark.value, mark.raw = value, raw
        mark.save(update_fields=["value", "raw", "updated_at"])
    audit.record(actor, f"competitions.mark.amended_{kind}", sheet, before={aspect.code: before},
                 after={aspect.code: {"value": value, "raw": raw}}, note=reason)
    if rnd.state in {RoundState.LOCKED, RoundState.DECRYPTED, RoundState.PUBLICITY}:
        compute_scores(rnd, entries=[sheet.entry])
        if rnd.state != RoundState.LOCKED:
            rank_round(rnd)
    return mark


# ---------------------------------------------------------------------------------------------
# Reading for the chief judge's board: sheets by state, the changes made after the lock


def sheet_progress(rnd: Round) -> dict[str, int]:
    """Sheets by state, for the chief judge's board (one query)."""
    counts = dict(Sheet.objects.filter(round=rnd).values_list("state").annotate(n=Count("pk")))
    return {s: counts.get(s, 0) for s in SheetState.values}


AMENDED_VERBS = ("competitions.mark.amended_recheck", "competitions.mark.amended_appeal")


def amendments(rnd: Round, limit: int = 200) -> list[Any]:
    """The changes made to locked marks of the round (re-check and appeal), newest first, from the audit log,
    each with the sheet's 加密号 and judge (`code`, `judge_name`). Two queries."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from gongjiang.core.models import AuditEvent

    sheet_keys = Sheet.objects.filter(round=rnd).annotate(key=Cast("pk", CharField())).values("key")
    events = list(AuditEvent.objects.filter(verb__in=AMENDED_VERBS, content_type=ContentType.objects.get_for_model(
        Sheet), object_id__in=sheet_keys).select_related("actor").order_by("-created_at", "-id")[:limit])
    sheets = {str(s["pk"]): s for s in Sheet.objects.filter(pk__in=[int(e.object_id) for e in events]).values(
        "pk", "entry__code", "judge__judge__name")}
    for e in events:
        sheet = sheets.get(e.object_id, {})
        e.code, e.judge_name = sheet.get("entry__code", ""), sheet.get("judge__judge__name", "")
        e.kind = e.verb.rsplit("_", 1)[-1]
    return events
