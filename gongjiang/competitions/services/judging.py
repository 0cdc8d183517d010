"""Judging: the judge pool, assignments, conflicts of interest, mark sheets, marks, sign-off, the chief
judge's lock, decryption with a supervisor, and changes after the lock (re-check, appeal).

Sheets: marking opens once the 加密号 are drawn; every judge of the round gets one sheet per entry they may
mark (conflicts of interest excluded automatically: same unit; same city in a provincial final; declared by
hand), `judges_per_entry` judges per entry, the load spread evenly. A judge knows an entry only by its 加密号.

Marks are saved one by one as the judge types (nothing is lost if the page closes); each save locks only
the judge's own sheet, so two judges saving at the same moment never touch each other's rows. Individual
saves before sign-off are not audited (the sheet is, in full, when signed); every change after sign-off is."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.orgs.models import Occupation, Org, Person

from ..choices import AmendmentKind, AspectKind, EntryStatus, JudgeRole, RoundState, SheetState
from ..models import Aspect, Conflict, Entry, Judge, Mark, Round, RoundJudge, Scheme, Sheet
from ..rules import conflicts as conflict_rules
from ..rules import marking
from .common import require, require_round_organiser, require_state
from .structure import aspect_of, scheme_of

# ---------------------------------------------------------------------------------------------
# Pool and assignments


@transaction.atomic
def add_judge(*, actor: Any, pool: Org, user: Any, unit: Org, name: str, trades: list[Occupation] | None = None,
              qualification: str = "") -> Judge:
    """Put an account into an org's judge pool, with the unit they work in (for conflicts of interest)."""
    require(pool, actor)
    if not (name or "").strip():
        raise DomainError(_("Please enter the judge's name."), field="name")
    if Judge.objects.filter(user=user).exists():
        raise DomainError(_("%(name)s is already in a judge pool.") % {"name": name}, field="user")
    judge = Judge.objects.create(user=user, pool=pool, unit=unit, name=name.strip(), qualification=qualification)
    if trades:
        judge.trades.set(trades)
    audit.record(actor, "competitions.judge.added", judge, after={
        "name": judge.name, "unit": unit.name, "trades": [t.name for t in trades or []]})
    return judge


@transaction.atomic
def assign_judge(*, actor: Any, rnd: Round, judge: Judge, role: str = JudgeRole.JUDGE) -> RoundJudge:
    """Assign a judge of a pool inside the organiser's reach to a round, as judge, chief judge or supervisor.
    A judge must be qualified for the event's trade (when the judge's trades are recorded)."""
    rnd = Round.objects.select_for_update().select_related("event__competition__organiser", "organiser",
                                                           "event__trade").get(pk=rnd.pk)
    require_round_organiser(rnd, actor)
    require_state(rnd, RoundState.REGISTRATION, RoundState.CHECKIN)
    if role not in JudgeRole.values:
        raise DomainError(_("Unknown judge role."), field="role")
    if not judge.is_active:
        raise DomainError(_("%(name)s is no longer an active judge.") % {"name": judge.name}, field="judge")
    trade = rnd.event.trade
    if role == JudgeRole.JUDGE and trade is not None:
        trades = set(judge.trades.values_list("pk", flat=True))
        if trades and trade.pk not in trades:
            raise DomainError(_("%(name)s is not qualified to judge %(trade)s.") % {
                "name": judge.name, "trade": trade.name}, field="judge")
    if role == JudgeRole.CHIEF and RoundJudge.objects.filter(round=rnd, role=JudgeRole.CHIEF).exclude(
            judge=judge).exists():
        raise DomainError(_("This round already has a chief judge."), field="role")
    assignment, created = RoundJudge.objects.update_or_create(round=rnd, judge=judge, defaults={"role": role})
    audit.record(actor, "competitions.judge.assigned", rnd, after={"judge": judge.name, "role": role},
                 note="" if created else _("role changed"))
    return assignment


@transaction.atomic
def declare_conflict(*, actor: Any, judge: Judge, reason: str, person: Person | None = None,
                     org: Org | None = None) -> Conflict:
    """Declare a conflict of interest by hand (the judge themself, or a cadre of the pool). Sheets of the judge
    for the entries concerned that are not locked yet are withdrawn from the judge."""
    is_self = judge.user_id == getattr(actor, "pk", None)
    if not is_self:
        require(judge.pool, actor)
    if (person is None) == (org is None):
        raise DomainError(_("Name either a person or a unit."), field="person")
    if not reason.strip():
        raise DomainError(_("Please give the reason."), field="reason")
    conflict = Conflict.objects.create(judge=judge, person=person, org=org, reason=reason.strip(),
                                       declared_by=actor if getattr(actor, "pk", None) else None)
    affected = Sheet.objects.filter(judge__judge=judge).exclude(state=SheetState.LOCKED)
    affected = affected.filter(entry__person=person) if person else affected.filter(
        Q(entry__person__employer__path__startswith=org.path) | Q(entry__unit__path__startswith=org.path))
    withdrawn = list(affected.values_list("entry__code", flat=True))
    affected.delete()
    audit.record(actor, "competitions.judge.conflict_declared", judge, after={
        "person": person.name if person else None, "org": org.name if org else None, "reason": conflict.reason,
        "sheets_withdrawn": withdrawn})
    return conflict


# ---------------------------------------------------------------------------------------------
# Opening the marking: sheets for every non-conflicted judge and entry


def _kinds_of_ancestors(paths: set[str]) -> dict[str, str]:
    wanted = {p[:i] for p in paths for i in range(Org.steplen, len(p) + 1, Org.steplen)}
    return dict(Org.objects.filter(path__in=wanted).values_list("path", "kind")) if wanted else {}


def _panel_infos(rnd: Round, judges: list[RoundJudge], entries: list[Entry]) -> tuple[
        list[conflict_rules.JudgeInfo], list[conflict_rules.ContestantInfo]]:
    """The rules' view of a round's judges and entries, with the units' and cities' paths resolved in one
    query over the ancestors of every path involved."""
    declared = defaultdict(list)
    for c in Conflict.objects.filter(judge__in=[j.judge_id for j in judges]).select_related("org"):
        declared[c.judge_id].append(c)
    paths = {j.judge.unit.path for j in judges} | {e.person.employer.path for e in entries}
    kinds = _kinds_of_ancestors(paths)
    judge_infos = []
    for rj in judges:
        path = rj.judge.unit.path
        judge_infos.append(conflict_rules.JudgeInfo(
            key=rj.pk, person_key=rj.judge.user.person_id, label=rj.judge.name,
            grassroots_path=conflict_rules.grassroots_path(path, kinds),
            city_path=conflict_rules.city_path(path, kinds),
            declared_persons=frozenset(c.person_id for c in declared[rj.judge_id] if c.person_id),
            declared_org_paths=frozenset(c.org.path for c in declared[rj.judge_id] if c.org_id)))
    entry_infos = []
    for e in entries:
        path = e.person.employer.path
        entry_infos.append(conflict_rules.ContestantInfo(
            key=e.pk, code=e.code, person_keys=frozenset({e.person_id}),
            grassroots_path=conflict_rules.grassroots_path(path, kinds) or e.unit.path,
            city_path=conflict_rules.city_path(path, kinds), employer_paths=frozenset({path})))
    return judge_infos, entry_infos


@transaction.atomic
def open_marking(*, actor: Any, rnd: Round) -> int:
    """Create the mark sheets and open marking (after the 加密号 draw). Each entry gets `judges_per_entry`
    judges free of conflict, the least loaded first; a panel leaving an entry short is refused, naming the
    加密号. Returns the number of sheets."""
    rnd = Round.objects.select_for_update().select_related("event__competition__organiser", "organiser",
                                                           "stage").get(pk=rnd.pk)
    require_round_organiser(rnd, actor)
    require_state(rnd, RoundState.CHECKIN)
    scheme = Scheme.objects.filter(event=rnd.event_id).first()
    if scheme is None or not scheme.aspects.exists():
        raise DomainError(_("The event has no marking scheme yet."), code="state")
    entries = list(Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN)
                   .select_related("person__employer", "unit").order_by("code"))
    if not entries or any(not e.code for e in entries):
        raise DomainError(_("Draw the anonymous codes first."), code="state")
    judges = list(RoundJudge.objects.filter(round=rnd, role=JudgeRole.JUDGE)
                  .select_related("judge__unit", "judge__user").order_by("pk"))
    if not RoundJudge.objects.filter(round=rnd, role=JudgeRole.CHIEF).exists():
        raise DomainError(_("Assign a chief judge first."), code="state")
    required = scheme.judges_per_entry
    judge_infos, entry_infos = _panel_infos(rnd, judges, entries)
    allowed = conflict_rules.panel_check(judge_infos, entry_infos, rnd.stage.level, required=required)
    load = dict.fromkeys((j.pk for j in judges), 0)
    sheets = []
    for e in entries:
        free = sorted((j for j in judges if e.pk in allowed[j.pk]), key=lambda j: (load[j.pk], j.pk))
        for j in free[:required]:
            load[j.pk] += 1
            sheets.append(Sheet(round=rnd, entry=e, judge=j))
    Sheet.objects.bulk_create(sheets, batch_size=2000)
    rnd.state = RoundState.MARKING
    rnd.save(update_fields=["state"])
    audit.record(actor, "competitions.round.marking_opened", rnd, after={
        "sheets": len(sheets), "entries": len(entries), "judges": len(judges), "per_entry": required})
    return len(sheets)


# ---------------------------------------------------------------------------------------------
# Marks


def _own_sheet(actor: Any, sheet_id: int) -> Sheet:
    """The judge's own sheet, locked for the save. Anything else — another judge's sheet, an entry the judge
    was never given (unassigned or conflicted) — is refused without saying why (judges must not learn who is
    behind a code)."""
    sheet = (Sheet.objects.select_for_update(of=("self",)).select_related("round", "judge__judge", "entry")
             .filter(pk=sheet_id, judge__judge__user=actor).first())
    if sheet is None:
        raise PermissionDeniedError(_("This entry is not assigned to you."))
    return sheet


def mark_value(aspect: Aspect, scheme: Scheme, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Validate one judge's input for an aspect and return (value in hundredths, raw input to keep).

    Inputs: binary {"achieved": bool}; tolerance {"deviation": "0.03"}; deduction {"faults": {item: n}};
    judgement {"mark": "7.5"} (WorldSkills: {"score": 0–3}); direct {"mark": "7.5"}."""
    rule = aspect_of(aspect)
    if aspect.kind == AspectKind.BINARY:
        achieved = data.get("achieved")
        if not isinstance(achieved, bool):
            raise DomainError(_("%(aspect)s: say whether it is achieved.") % {"aspect": aspect.code}, field=aspect.code)
        return marking.to_hundredths(marking.binary_mark(rule, achieved)), {"achieved": achieved}
    if aspect.kind == AspectKind.TOLERANCE:
        deviation = str(data.get("deviation", "")).strip()
        mark = marking.tolerance_mark(rule, deviation)
        return marking.to_hundredths(rule_round(scheme, mark)), {"deviation": deviation}
    if aspect.kind == AspectKind.DEDUCTION:
        faults = data.get("faults") or {}
        if not isinstance(faults, dict):
            raise DomainError(_("%(aspect)s: the faults are counts per item.") % {"aspect": aspect.code},
                              field=aspect.code)
        faults = {str(k): v for k, v in faults.items() if v not in (0, "0", "", None)}
        mark = marking.deduction_mark(rule, {k: int(v) if str(v).isdigit() else v for k, v in faults.items()})
        return marking.to_hundredths(mark), {"faults": faults}
    if aspect.kind == AspectKind.JUDGEMENT and scheme.judgement_method == marking.WORLDSKILLS:
        score = marking.validate_worldskills_score(rule, data.get("score", data.get("mark")))
        return score * 100, {"score": score}
    value = data.get("mark")
    if value is None or str(value).strip() == "":
        raise DomainError(_("%(aspect)s: enter a mark.") % {"aspect": aspect.code}, field=aspect.code)
    mark = marking.validate_mark(rule, str(value).strip())
    return marking.to_hundredths(mark), {}


def rule_round(scheme: Scheme, mark: Decimal) -> Decimal:
    return marking.Rounding(mode=scheme.rounding_mode, places=2, level="aspect").quantize(mark)


@transaction.atomic
def save_mark(*, actor: Any, sheet_id: int, aspect_id: int, data: dict[str, Any]) -> Mark:
    """A judge saves one mark on their own open sheet (validated: range, step, kind); shown back at once."""
    sheet = _own_sheet(actor, sheet_id)
    if sheet.round.state != RoundState.MARKING:
        raise DomainError(_("Marking is not open in this round."), code="state")
    if sheet.state == SheetState.LOCKED:
        raise DomainError(_("This sheet is locked; a mark now changes only through a re-check or an appeal."),
                          code="locked")
    if sheet.state == SheetState.SIGNED:
        raise DomainError(_("You have signed this sheet; ask the chief judge to return it before changing a mark."),
                          code="signed")
    aspect = Aspect.objects.select_related("scheme").filter(pk=aspect_id, scheme__event=sheet.round.event_id).first()
    if aspect is None:
        raise DomainError(_("This aspect is not part of the event's marking scheme."), field="aspect")
    value, raw = mark_value(aspect, aspect.scheme, data)
    mark, _created = Mark.objects.update_or_create(sheet=sheet, aspect=aspect, defaults={"value": value, "raw": raw})
    return mark


def sheet_marks(sheet: Sheet) -> dict[str, Any]:
    return {m.aspect.code: {"value": m.value, "raw": m.raw} for m in sheet.marks.select_related("aspect")}


@transaction.atomic
def sign_sheet(*, actor: Any, sheet_id: int) -> Sheet:
    """The judge signs their sheet once every aspect is marked; the marks are audited in full."""
    sheet = _own_sheet(actor, sheet_id)
    if sheet.state != SheetState.OPEN:
        raise DomainError(_("This sheet is already signed."), code="state")
    aspects = Aspect.objects.filter(scheme__event=sheet.round.event_id)
    marked = set(sheet.marks.filter(value__isnull=False).values_list("aspect_id", flat=True))
    missing = [a.code for a in aspects if a.pk not in marked]
    if missing:
        raise DomainError(_("Not every aspect is marked yet: %(codes)s.") % {"codes": "、".join(missing)},
                          code="incomplete")
    sheet.state, sheet.signed_at = SheetState.SIGNED, timezone.now()
    sheet.save(update_fields=["state", "signed_at"])
    audit.record(actor, "competitions.sheet.signed", sheet, after={"code": sheet.entry.code,
                                                                   "marks": sheet_marks(sheet)})
    return sheet


def _chief(rnd: Round, actor: Any) -> RoundJudge:
    chief = RoundJudge.objects.filter(round=rnd, role=JudgeRole.CHIEF, judge__user=actor).first()
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
    rnd = Round.objects.select_for_update().get(pk=entry.round_id)
    _chief(rnd, actor)
    require_state(rnd, RoundState.MARKING)
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
    result = marking.score_sheet(rules_scheme, entry_inputs(scheme, aspects, list(
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


@transaction.atomic
def decrypt(*, actor: Any, rnd: Round, supervisor_username: str, supervisor_password: str) -> Round:
    """解密: the chief judge, with the round's supervisor confirming by their own password, links the 加密号 to
    names — only once every sheet of the round is locked. Audited."""
    rnd = Round.objects.select_for_update().get(pk=rnd.pk)
    _chief(rnd, actor)
    open_sheets = Sheet.objects.filter(round=rnd).exclude(state=SheetState.LOCKED).count()
    if rnd.state != RoundState.LOCKED or open_sheets:
        raise DomainError(_("Decryption waits until every mark sheet of the round is locked (%(n)s not yet).") % {
            "n": open_sheets}, code="state")
    supervisor = authenticate(username=supervisor_username, password=supervisor_password)
    if supervisor is None or not RoundJudge.objects.filter(round=rnd, role=JudgeRole.SUPERVISOR,
                                                           judge__user=supervisor).exists():
        raise PermissionDeniedError(_("The supervisor of this round must confirm with their own password."),
                                    field="supervisor")
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
        require_round_organiser(rnd, actor)
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
    mark = Mark.objects.select_for_update().filter(sheet=sheet, aspect=aspect).first()
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


def sheet_progress(rnd: Round) -> dict[str, int]:
    """Sheets by state, for the chief judge's board (one query)."""
    counts = dict(Sheet.objects.filter(round=rnd).values_list("state").annotate(n=Count("pk")))
    return {s: counts.get(s, 0) for s in SheetState.values}
