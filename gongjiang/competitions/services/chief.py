"""Judging, the chief judge's side: returning a signed sheet to its judge, verifying and locking an entry's
sheets (the judges must agree on every measurement; the last lock computes the practical scores and locks
the round), decryption (解密) with the round's supervisor confirming by their own password, and changes to
locked marks — a re-check (复核) by the chief judge or an appeal decision by the organiser. What the chief judge's
board reads is in `queries.chief`.

The judges' side (pool, assignments, conflicts, opening the marking, marks, sign-off) is in `judging`; a
change after the lock validates its input exactly as a judge's save does (`judging._mark_value`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import verb
from gongjiang.orgs.models import User

from ..choices import AmendmentKind, JudgeRole, RoundState, SheetState
from ..models import Appeal, Aspect, Entry, Mark, Round, RoundJudge, Scheme, Sheet
from ..queries.structure import scheme_of
from ..rules import marking, scoring
from .common import _require_round_organiser, _require_state
from .judging import _mark_value
from .scoring import _compute_scores, _entry_inputs, _rank_round

# ---------------------------------------------------------------------------------------------
# Returning and locking sheets


def _chief(rnd: Round, actor: User) -> RoundJudge:
    chief = RoundJudge.objects.filter(round=rnd, role=JudgeRole.CHIEF, judge__user_id=actor.pk).first()
    if chief is None:
        raise PermissionDeniedError(_("Only the chief judge of this round may do this."))
    return chief


@verb
def return_sheet(*, actor: User, sheet_id: int, reason: str) -> Sheet:
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


@verb
def lock_entry(*, actor: User, entry: Entry) -> list[Sheet]:
    """The chief judge verifies an entry's signed sheets and locks them together: every sheet signed, judges
    agreeing (WorldSkills scores within 1, measurements equal). When the last entry of the round is locked,
    the practical scores are computed and the round is locked."""
    entry = Entry.objects.select_related("round__event").get(pk=entry.pk)
    rnd = Round.objects.select_for_update(of=("self",)).get(pk=entry.round_id)
    _chief(rnd, actor)
    _require_state(rnd, RoundState.MARKING)
    sheets = list(Sheet.objects.select_for_update(of=("self",)).filter(entry=entry))
    scheme = Scheme.objects.get(event=rnd.event_id)
    aspects = list(scheme.aspects.all())
    marks = list(Mark.objects.filter(sheet__entry=entry))
    todo = _lock_sheets(actor, entry, sheets, scheme, aspects, scheme_of(scheme, aspects), marks)
    _lock_round_when_done(actor, rnd)
    return todo


@dataclass
class LockReport:
    """What locking several entries at once did: the 加密号 locked, those refused with the reason (the entry's own
    refusal, as locking it alone would give), and whether the round is now locked. Codes only: the chief judge
    never learns more about an entry than its 加密号."""

    locked: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    round_locked: bool = False


@verb
def lock_entries(*, actor: User, rnd: Round, codes: Sequence[str]) -> LockReport:
    """锁定所选: the chief judge locks the sheets of several entries, named by their 加密号, in one action. Each entry
    is verified as `lock_entry` verifies it; one that cannot be locked (a sheet unsigned, judges disagreeing, an
    unknown or already locked code) is left as it is and reported with its reason, and the others are locked — a
    chief judge who ticks forty entries wants the thirty-eight good ones locked and told which two wait, not
    nothing. Each locked entry is audited as a single lock is; the round locks when its last sheet does."""
    rnd = Round.objects.select_for_update(of=("self",)).get(pk=rnd.pk)
    _chief(rnd, actor)
    _require_state(rnd, RoundState.MARKING)
    wanted = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    if not wanted:
        raise DomainError(_("Choose the contestants whose sheets you lock."), field="codes")
    entries = {e.code: e for e in Entry.objects.filter(round=rnd, code__in=wanted).exclude(code="")}
    sheets: dict[int, list[Sheet]] = defaultdict(list)
    for s in Sheet.objects.select_for_update(of=("self",)).filter(entry__in=list(entries.values())).order_by("pk"):
        sheets[s.entry_id].append(s)
    marks: dict[int, list[Mark]] = defaultdict(list)
    for m in Mark.objects.filter(sheet__entry__in=list(entries.values())).annotate(entry_key=F("sheet__entry_id")):
        marks[m.entry_key].append(m)
    scheme = Scheme.objects.get(event=rnd.event_id)
    aspects = list(scheme.aspects.all())
    rules_scheme = scheme_of(scheme, aspects)
    report = LockReport()
    for code in wanted:
        entry = entries.get(code)
        if entry is None:
            report.refused.append((code, _("%(code)s is not an anonymous code of this round.") % {"code": code}))
            continue
        try:
            with transaction.atomic():  # a refusal leaves this entry as it was
                _lock_sheets(actor, entry, sheets[entry.pk], scheme, aspects, rules_scheme, marks[entry.pk])
        except DomainError as e:
            report.refused.append((code, e.message))
        else:
            report.locked.append(code)
    if report.locked:
        report.round_locked = _lock_round_when_done(actor, rnd)
    return report


def _lock_sheets(actor: User, entry: Entry, sheets: list[Sheet], scheme: Scheme, aspects: list[Aspect],
                 rules_scheme: marking.Scheme, marks: list[Mark]) -> list[Sheet]:
    """Verify one entry's sheets (locked for update by the caller) and lock the signed ones, audited; DomainError
    with the reason when they cannot be locked."""
    unsigned = [s for s in sheets if s.state == SheetState.OPEN]
    if unsigned:
        raise DomainError(_("%(code)s: %(n)s sheets are not signed yet.") % {"code": entry.code, "n": len(unsigned)},
                          code="incomplete")
    todo = [s for s in sheets if s.state == SheetState.SIGNED]
    if not todo:
        raise DomainError(_("%(code)s is already locked.") % {"code": entry.code}, code="state")
    result = scoring.score_sheet(rules_scheme, _entry_inputs(scheme, aspects, marks))
    result.require_complete()
    now = timezone.now()
    for s in todo:
        s.state, s.locked_at, s.locked_by = SheetState.LOCKED, now, actor
    Sheet.objects.bulk_update(todo, ["state", "locked_at", "locked_by"])
    audit.record(actor, "competitions.entry.locked", entry, after={"code": entry.code, "sheets": len(todo),
                                                                   "practical": str(result.total)})
    return todo


def _lock_round_when_done(actor: User, rnd: Round) -> bool:
    """Once every sheet of the round is locked: the practical scores are computed and the round is locked."""
    if Sheet.objects.filter(round=rnd).exclude(state=SheetState.LOCKED).exists():
        return False
    _compute_scores(rnd)
    rnd.state = RoundState.LOCKED
    rnd.save(update_fields=["state"])
    audit.record(actor, "competitions.round.locked", rnd)
    return True


# ---------------------------------------------------------------------------------------------
# Decryption (解密) with the round's supervisor


def _require_decryptable(rnd: Round, actor: User) -> None:
    _chief(rnd, actor)
    open_sheets = Sheet.objects.filter(round=rnd).exclude(state=SheetState.LOCKED).count()
    if rnd.state != RoundState.LOCKED or open_sheets:
        raise DomainError(_("Decryption waits until every mark sheet of the round is locked (%(n)s not yet).") % {
            "n": open_sheets}, code="state")


def _round_supervisor(rnd: Round, actor: User, username: str, password: str) -> User:
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


@verb(atomic=False)
def decrypt(*, actor: User, rnd: Round, supervisor_username: str, supervisor_password: str) -> Round:
    """解密: the chief judge, with the round's supervisor confirming by their own password, links the 加密号 to
    names — only once every sheet of the round is locked. Audited.

    Nothing is asked of the supervisor before the chief and the locks are checked; the password is checked
    outside the transaction, so a wrong one is counted against the chief judge's further tries (inside, the
    refusal would roll the count back and leave the password open to guessing)."""
    _require_decryptable(Round.objects.get(pk=rnd.pk), actor)
    supervisor = _round_supervisor(rnd, actor, supervisor_username, supervisor_password)
    return _decrypt(actor=actor, rnd=rnd, supervisor=supervisor)


@transaction.atomic
def _decrypt(*, actor: User, rnd: Round, supervisor: User) -> Round:
    rnd = Round.objects.select_for_update(of=("self",)).get(pk=rnd.pk)
    _require_decryptable(rnd, actor)  # again, under the lock
    rnd.state, rnd.decrypted_at, rnd.decrypted_by, rnd.decryption_witness = (
        RoundState.DECRYPTED, timezone.now(), actor, supervisor)
    rnd.save(update_fields=["state", "decrypted_at", "decrypted_by", "decryption_witness"])
    audit.record(actor, "competitions.round.decrypted", rnd, after={"supervisor": supervisor.get_username()})
    _rank_round(rnd)
    return rnd


# ---------------------------------------------------------------------------------------------
# After the lock: re-check (复核) and appeal


@verb
def amend_mark(*, actor: User, sheet_id: int, aspect_id: int, data: dict[str, Any], reason: str,
               kind: str = AmendmentKind.RECHECK, appeal: Appeal | None = None) -> Mark:
    """Change a locked mark through a re-check (the chief judge) or an appeal decision (the organiser),
    with the reason; audited; the entry's scores and the round's ranking are recomputed."""
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
    value, raw = _mark_value(aspect, aspect.scheme, data)
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
        _compute_scores(rnd, entries=[sheet.entry])
        if rnd.state != RoundState.LOCKED:
            _rank_round(rnd)
    return mark
