"""Judging, the judges' side: the judge pool, assignments, conflicts of interest, opening the marking (mark sheets),
marks and sign-off (what the judging pages read — marks as % of max, calibration — is in `queries.judging`). The
chief judge's side — returning and locking sheets, decryption with the supervisor, changes after the lock — is in
`chief`.

Sheets: marking opens once the 加密号 are drawn; every judge of the round gets one sheet per entry they may
mark (conflicts of interest excluded automatically: same unit; same city in a provincial final; declared by
hand), `judges_per_entry` judges per entry, the load spread evenly. A judge knows an entry only by its 加密号.

Marks are saved one by one as the judge types (nothing is lost if the page closes); each save locks only
the judge's own sheet, so two judges saving at the same moment never touch each other's rows. Individual
saves before sign-off are not audited (the sheet is, in full, when signed); every change after sign-off is."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit, statements
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import require, verb
from gongjiang.orgs import scoping
from gongjiang.orgs.models import Occupation, Org, Person, User

from ..choices import AspectKind, EntryStatus, JudgeRole, RoundState, SheetState
from ..models import Aspect, Conflict, Entry, Judge, Mark, Round, RoundJudge, Scheme, Sheet
from ..queries.structure import aspect_of
from ..rules import aspect_marks, marking
from ..rules import conflicts as conflict_rules
from .common import _require_round_organiser, _require_state

# ---------------------------------------------------------------------------------------------
# Pool and assignments


@verb
def add_judge(*, actor: User, pool: Org, user: User, unit: Org, name: str, trades: list[Occupation] | None = None,
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


@verb
def enlist_judge(*, actor: User, rnd: Round, pool: Org, unit: Org, name: str, username: str, new_account: bool,
                 trades: list[Occupation] | None = None, qualification: str = "",
                 role: str = "") -> tuple[Judge, Any, str]:
    """From a round's judges tab: put a judge into the pool of the round's organiser or the competition's — an
    existing active account by its user name, or a new one opened by orgs' account service with an initial
    password — and, with a `role`, assign them to the round at once. All or nothing. Returns the judge, the
    account and the initial password ("" for an existing account), which is shown once."""
    from gongjiang.orgs import services as org_services
    from gongjiang.orgs.models import User

    rnd = Round.objects.select_related("event__competition__organiser", "organiser").get(pk=rnd.pk)
    if pool.pk not in {rnd.organiser_id, rnd.event.competition.organiser_id}:
        raise DomainError(_("A judge of this round joins the pool of its organiser or of the competition's."),
                          field="pool")
    require(pool, actor)
    password = ""
    if new_account:
        try:
            account, password = org_services.create_account(actor=actor, org=pool, username=username, full_name=name)
        except DomainError as refusal:
            if refusal.code != "username_taken":
                raise
            raise DomainError(_("The user name %(u)s is taken; choose “Use an existing account” if it is the "
                                "judge's.") % {"u": username.strip()}, field="username") from None
    else:
        existing = User.objects.filter(username=username.strip(), is_active=True).first()
        if existing is None:
            raise DomainError(_("No active account has the user name %(u)s.") % {"u": username.strip()},
                              field="username")
        account = existing
    judge = add_judge(actor=actor, pool=pool, user=account, unit=unit, name=name, trades=trades,
                      qualification=qualification)
    if role:
        assign_judge(actor=actor, rnd=rnd, judge=judge, role=role)
    return judge, account, password


@verb
def assign_judge(*, actor: User, rnd: Round, judge: Judge, role: str = JudgeRole.JUDGE) -> RoundJudge:
    """Assign a judge of a pool inside the organiser's reach to a round, as judge, chief judge or supervisor.
    A judge must be qualified for the event's trade (when the judge's trades are recorded)."""
    rnd = Round.objects.select_for_update(of=("self",)).select_related("event__competition__organiser", "organiser",
                                                           "event__trade").get(pk=rnd.pk)
    _require_round_organiser(rnd, actor)
    _require_state(rnd, RoundState.REGISTRATION, RoundState.CHECKIN)
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


@verb
def declare_conflict(*, actor: User, judge: Judge, reason: str, person: Person | None = None,
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
    affected = affected.filter(entry__person=person) if org is None else affected.filter(  # a person or an org
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
    wanted = {a for p in paths for a in scoping.ancestors(p)}
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
            declared_org_paths=frozenset(c.org.path for c in declared[rj.judge_id] if c.org is not None)))
    entry_infos = []
    for e in entries:
        path = e.person.employer.path
        entry_infos.append(conflict_rules.ContestantInfo(
            key=e.pk, code=e.code, person_keys=frozenset({e.person_id}),
            grassroots_path=conflict_rules.grassroots_path(path, kinds) or e.unit.path,
            city_path=conflict_rules.city_path(path, kinds), employer_paths=frozenset({path})))
    return judge_infos, entry_infos


@verb
def open_marking(*, actor: User, rnd: Round) -> int:
    """Create the mark sheets and open marking (after the 加密号 draw). Each entry gets `judges_per_entry`
    judges free of conflict, the least loaded first; a panel leaving an entry short is refused, naming the
    加密号. Returns the number of sheets."""
    rnd = Round.objects.select_for_update(of=("self",)).select_related("event__competition__organiser", "organiser",
                                                           "stage").get(pk=rnd.pk)
    _require_round_organiser(rnd, actor)
    _require_state(rnd, RoundState.CHECKIN)
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


def _own_sheet(actor: User, sheet_id: int) -> Sheet:
    """The judge's own sheet, locked for the save. Anything else — another judge's sheet, an entry the judge
    was never given (unassigned or conflicted) — is refused without saying why (judges must not learn who is
    behind a code)."""
    sheet = (Sheet.objects.select_for_update(of=("self",)).select_related("round", "judge__judge", "entry")
             .filter(pk=sheet_id, judge__judge__user_id=actor.pk).first())
    if sheet is None:
        raise PermissionDeniedError(_("This entry is not assigned to you."))
    return sheet


def _mark_value(aspect: Aspect, scheme: Scheme, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Validate one judge's input for an aspect and return (value in hundredths, raw input to keep).

    Inputs: binary {"achieved": bool}; tolerance {"deviation": "0.03"}; deduction {"faults": {item: n}};
    judgement {"mark": "7.5"} (WorldSkills: {"score": 0–3}); direct {"mark": "7.5"}."""
    rule = aspect_of(aspect)
    if aspect.kind == AspectKind.BINARY:
        achieved = data.get("achieved")
        if not isinstance(achieved, bool):
            raise DomainError(_("%(aspect)s: say whether it is achieved.") % {"aspect": aspect.code}, field=aspect.code)
        return marking.to_hundredths(aspect_marks.binary_mark(rule, achieved)), {"achieved": achieved}
    if aspect.kind == AspectKind.TOLERANCE:
        deviation = str(data.get("deviation") or "").strip()
        if not deviation:
            raise DomainError(_("%(aspect)s: enter the measured deviation.") % {"aspect": aspect.code},
                              field=aspect.code)
        mark = aspect_marks.tolerance_mark(rule, deviation)
        return marking.to_hundredths(_rule_round(scheme, mark)), {"deviation": deviation}
    if aspect.kind == AspectKind.DEDUCTION:
        faults = data.get("faults") or {}
        if not isinstance(faults, dict):
            raise DomainError(_("%(aspect)s: the faults are counts per item.") % {"aspect": aspect.code},
                              field=aspect.code)
        faults = {str(k): v for k, v in faults.items() if v not in (0, "0", "", None)}
        mark = aspect_marks.deduction_mark(rule, {k: int(v) if str(v).isdigit() else v for k, v in faults.items()})
        return marking.to_hundredths(mark), {"faults": faults}
    if aspect.kind == AspectKind.JUDGEMENT and scheme.judgement_method == marking.WORLDSKILLS:
        score = aspect_marks.validate_worldskills_score(rule, data.get("score", data.get("mark")))
        return score * 100, {"score": score}
    value = data.get("mark")
    if value is None or str(value).strip() == "":
        raise DomainError(_("%(aspect)s: enter a mark.") % {"aspect": aspect.code}, field=aspect.code)
    mark = aspect_marks.validate_mark(rule, str(value).strip())
    return marking.to_hundredths(mark), {}


def _rule_round(scheme: Scheme, mark: Decimal) -> Decimal:
    return marking.Rounding(mode=scheme.rounding_mode, places=2, level="aspect").quantize(mark)


# The judge's save is the hot path of a final (every judge, every keystroke): one statement finds the judge's
# own sheet, its round's state and the aspect with its scheme's settings, and one statement upserts the mark if
# the sheet is still open (`_MARK_SAVE_SQL`, see `save_mark`). They are written out once here rather than compiled
# by the ORM on every save (the compilation of three querysets was most of a save's CPU time: docs/BENCHMARKS.md §5).
_MARK_TARGET_SQL = """
SELECT s.id, s.round_id, s.entry_id, s.judge_id, s.state, r.state, r.event_id,
       a.id, a.scheme_id, a.code, a.description, a.kind, a.max_mark, a.step, a.bands, a.deductions,
       sc.judgement_method, sc.rounding_mode
  FROM {sheet} s
  JOIN {round} r ON r.id = s.round_id
  JOIN {roundjudge} rj ON rj.id = s.judge_id
  JOIN {judge} j ON j.id = rj.judge_id
  LEFT JOIN {scheme} sc ON sc.event_id = r.event_id
  LEFT JOIN {aspect} a ON a.id = %s AND a.scheme_id = sc.id
 WHERE s.id = %s AND j.user_id = %s"""

_MARK_UPSERT_SQL = """
INSERT INTO {mark} (sheet_id, aspect_id, value, raw, updated_at) VALUES (%s, %s, %s, %s, %s)
ON CONFLICT (sheet_id, aspect_id) DO UPDATE
   SET value = EXCLUDED.value, raw = EXCLUDED.raw, updated_at = EXCLUDED.updated_at
RETURNING id"""

# The upsert of a save made without a transaction: it writes only while the sheet is the judge's own and open and
# its round marking, locking the sheet's row as it reads it (SQLite: the statement holds the write lock from its
# start), and returns no row otherwise.
_MARK_SAVE_SQL = """
INSERT INTO {mark} (sheet_id, aspect_id, value, raw, updated_at)
SELECT s.id, %s, %s, %s, %s
  FROM {sheet} s
  JOIN {round} r ON r.id = s.round_id
 WHERE s.id = %s AND s.judge_id = %s AND s.state = %s AND r.state = %s{lock}
ON CONFLICT (sheet_id, aspect_id) DO UPDATE
   SET value = EXCLUDED.value, raw = EXCLUDED.raw, updated_at = EXCLUDED.updated_at
RETURNING id"""

# A whole save in one statement, for an aspect whose settings an earlier save read (`_KNOWN_ASPECTS`): the upsert
# writes only if the sheet is the judge's own and open, its round marking, and the aspect belongs to the round's
# event with exactly the settings the mark was checked against (its scheme's too); no row otherwise. Prepared once
# per PostgreSQL connection (`core.statements`); the checks are single-table scalar subqueries rather than joins,
# which PostgreSQL plans in a fraction of the time (where it plans the statement on every save).
_MARK_FAST_SQL = """
INSERT INTO {mark} (sheet_id, aspect_id, value, raw, updated_at)
SELECT s.id, %s, %s, %s, %s
  FROM {sheet} s
 WHERE s.id = %s AND s.state = %s
   AND (SELECT (SELECT j.user_id FROM {judge} j WHERE j.id = rj.judge_id)
          FROM {roundjudge} rj WHERE rj.id = s.judge_id) = %s
   AND (SELECT r.state = %s AND r.event_id = (
               SELECT sc.event_id FROM {scheme} sc
                WHERE sc.judgement_method = %s AND sc.rounding_mode = %s AND sc.id = %s)
          FROM {round} r WHERE r.id = s.round_id)
   AND (SELECT a.code = %s AND a.description = %s AND a.kind = %s AND a.max_mark = %s AND a.step = %s
               AND a.bands{text} = %s AND a.deductions{text} = %s
          FROM {aspect} a WHERE a.id = %s AND a.scheme_id = %s){lock}
ON CONFLICT (sheet_id, aspect_id) DO UPDATE
   SET value = EXCLUDED.value, raw = EXCLUDED.raw, updated_at = EXCLUDED.updated_at
RETURNING id"""

# Aspects an earlier save of this process read: id -> (the aspect with its scheme's settings, those settings as the
# database returned them). Aspects are never edited (a new scheme replaces them, with new ids), but the cache is
# never trusted alone: the fast statement compares every setting, and any refusal is given by the careful path.
_KNOWN_ASPECTS: dict[int, tuple[Aspect, tuple[Any, ...]]] = {}
_KNOWN_ASPECTS_MAX = 10_000
# The types of `_MARK_FAST_SQL`'s parameters, in order (its PREPARE).
_MARK_FAST_TYPES = ("bigint", "integer", "jsonb", "timestamptz", "bigint", "text", "bigint", "text", "text", "text",
                    "bigint", "text", "text", "text", "integer", "integer", "text", "text", "bigint", "bigint")


def _tables() -> dict[str, str]:
    return {cast(str, m._meta.model_name): m._meta.db_table  # every concrete model has a name
            for m in (Sheet, Round, RoundJudge, Judge, Scheme, Aspect, Mark)}


_MARK_SQL: dict[tuple[str, str], str] = {}  # (vendor, which) -> the statement with its tables, formatted once


def _mark_sql(which: str) -> str:
    """"target" (unlocked), "target_locked", "upsert", "save" or "fast", for the database in use."""
    key = (connection.vendor, which)
    sql = _MARK_SQL.get(key)
    if sql is None:
        lock = " FOR UPDATE OF s" if connection.features.has_select_for_update_of else ""
        sql = {"target": _MARK_TARGET_SQL.format(**_tables()),
               # SQLite: the transaction of the locked read is itself IMMEDIATE (a write lock)
               "target_locked": _MARK_TARGET_SQL.format(**_tables()) + lock,
               "upsert": _MARK_UPSERT_SQL.format(**_tables()),
               "save": _MARK_SAVE_SQL.format(**_tables(), lock=lock),
               # PostgreSQL reads the JSON settings as the text of their jsonb: compare that text
               "fast": _MARK_FAST_SQL.format(**_tables(), lock=lock,
                                             text="::text" if connection.vendor == "postgresql" else "")}[which]
        _MARK_SQL[key] = sql
    return sql


def _mark_target(actor: User, sheet_id: int, aspect_id: int, *, lock: bool) -> tuple[Sheet, str, Aspect | None]:
    """(the judge's own sheet, locked if `lock`; its round's state; the aspect if it belongs to the round's event,
    with its scheme's settings). Anything else than the judge's own sheet — another judge's, an entry the judge
    was never given (unassigned or conflicted) — is refused without saying why."""
    sql = _mark_sql("target_locked" if lock else "target")
    with connection.cursor() as cursor:
        cursor.execute(sql, [aspect_id, sheet_id, getattr(actor, "pk", None)])
        row = cursor.fetchone()
    if row is None:
        raise PermissionDeniedError(_("This entry is not assigned to you."))
    (s_id, round_id, entry_id, judge_id, s_state, round_state, event_id,
     a_id, scheme_id, code, description, kind, max_mark, step, bands, deductions, method, rounding) = row
    sheet = Sheet(id=s_id, round_id=round_id, entry_id=entry_id, judge_id=judge_id, state=s_state)
    if a_id is None:
        return sheet, round_state, None
    json_field = Aspect._meta.get_field("bands")
    # from_db_value without an expression (a raw row; JSONField looks at it only for a key transform): the stubs
    # want one, hence the two ignores.
    aspect = Aspect(id=a_id, scheme_id=scheme_id, code=code, description=description, kind=kind, max_mark=max_mark,
                    step=step, bands=json_field.from_db_value(bands, None, connection),  # type: ignore[arg-type]
                    deductions=json_field.from_db_value(deductions, None, connection))  # type: ignore[arg-type]
    aspect.scheme = Scheme(id=scheme_id, event_id=event_id, judgement_method=method, rounding_mode=rounding)
    if len(_KNOWN_ASPECTS) >= _KNOWN_ASPECTS_MAX:
        _KNOWN_ASPECTS.clear()
    _KNOWN_ASPECTS[a_id] = (aspect, (method, rounding, scheme_id, code, description, kind, max_mark, step, bands,
                                     deductions, a_id, scheme_id))
    return sheet, round_state, aspect


@verb(atomic=False)
def save_mark(*, actor: User, sheet_id: int, aspect_id: int, data: dict[str, Any]) -> Mark:
    """A judge saves one mark on their own open sheet (validated: range, step, kind); shown back at once.

    Two statements and no transaction: the sheet, its round and the aspect are read and the input checked, then
    one statement (INSERT … SELECT … ON CONFLICT DO UPDATE, atomic by itself) writes the mark only if the sheet is
    still the judge's own and open and its round still marking, locking the sheet's row as it does — a sign-off or
    a lock at the same moment waits for the save, or the save for it and then sees the sheet signed or locked. If
    the sheet changed between the two statements, the save is made again with the sheet locked first, in a
    transaction (`_save_mark_locked`), which gives the refusal (or saves, should the sheet be open again).

    One statement when this process has read the aspect before (`_fast_save`): the mark is checked against its
    known settings, and the upsert compares them with the database's besides the sheet's checks; anything else —
    a refusal, a changed setting, a sheet not open — takes the way above."""
    known = _KNOWN_ASPECTS.get(aspect_id)
    if known is not None:
        fast = _fast_save(actor, sheet_id, known, data)
        if fast is not None:
            return fast
    sheet, mark = _checked_mark(actor, sheet_id, aspect_id, data, lock=False)
    with connection.cursor() as cursor:
        cursor.execute(_mark_sql("save"), [mark.aspect_id, *_mark_values(mark), sheet.pk, sheet.judge_id,
                                           SheetState.OPEN.value, RoundState.MARKING.value])
        row = cursor.fetchone()
    if row is None:
        return _save_mark_locked(actor, sheet_id, aspect_id, data)
    mark.pk = row[0]
    return mark


def _fast_save(actor: User, sheet_id: int, known: tuple[Aspect, tuple[Any, ...]],
               data: dict[str, Any]) -> Mark | None:
    """The save in one statement, with the aspect's settings known (`_KNOWN_ASPECTS`); None when the input is
    refused or the statement wrote nothing (the careful path then decides, from what the database holds)."""
    aspect, settings = known
    try:
        value, raw = _mark_value(aspect, aspect.scheme, data)
    except DomainError:
        return None
    mark = Mark(sheet_id=sheet_id, aspect=aspect, value=value, raw=raw, updated_at=timezone.now())
    with connection.cursor() as cursor:
        statements.execute(cursor, "gj_mark_fast", _mark_sql("fast"), _MARK_FAST_TYPES, [
            aspect.pk, *_mark_values(mark), sheet_id, SheetState.OPEN.value, getattr(actor, "pk", None),
            RoundState.MARKING.value, *settings])
        row = cursor.fetchone()
    if row is None:
        return None
    mark.pk = row[0]
    return mark


@transaction.atomic
def _save_mark_locked(actor: User, sheet_id: int, aspect_id: int, data: dict[str, Any]) -> Mark:
    """`save_mark` with the judge's sheet locked for the transaction, checked, then the mark upserted in one
    statement (INSERT … ON CONFLICT DO UPDATE) whether it is new or typed over."""
    sheet, mark = _checked_mark(actor, sheet_id, aspect_id, data, lock=True)
    with connection.cursor() as cursor:
        cursor.execute(_mark_sql("upsert"), [sheet.pk, mark.aspect_id, *_mark_values(mark)])
        mark.pk = cursor.fetchone()[0]
    return mark


def _checked_mark(actor: User, sheet_id: int, aspect_id: int, data: dict[str, Any], *,
                  lock: bool) -> tuple[Sheet, Mark]:
    """The judge's own sheet (locked if `lock`) and the unsaved mark `data` gives for the aspect, or the refusal:
    marking not open, the sheet locked or signed, an aspect of another scheme, an input the aspect refuses."""
    sheet, round_state, aspect = _mark_target(actor, sheet_id, aspect_id, lock=lock)
    if round_state != RoundState.MARKING:
        raise DomainError(_("Marking is not open in this round."), code="state")
    if sheet.state == SheetState.LOCKED:
        raise DomainError(_("This sheet is locked; a mark now changes only through a re-check or an appeal."),
                          code="locked")
    if sheet.state == SheetState.SIGNED:
        raise DomainError(_("You have signed this sheet; ask the chief judge to return it before changing a mark."),
                          code="signed")
    if aspect is None:
        raise DomainError(_("This aspect is not part of the event's marking scheme."), field="aspect")
    value, raw = _mark_value(aspect, aspect.scheme, data)
    return sheet, Mark(sheet=sheet, aspect=aspect, value=value, raw=raw, updated_at=timezone.now())


def _mark_values(mark: Mark) -> list[Any]:
    """The value, raw input and time of an unsaved mark as the upserts take them."""
    return [mark.value, Mark._meta.get_field("raw").get_db_prep_value(mark.raw, connection),
            connection.ops.adapt_datetimefield_value(mark.updated_at)]


def _sheet_marks(sheet: Sheet) -> dict[str, Any]:
    return {m.aspect.code: {"value": m.value, "raw": m.raw} for m in sheet.marks.select_related("aspect")}


@verb
def sign_sheet(*, actor: User, sheet_id: int) -> Sheet:
    """The judge signs their sheet once every aspect is marked; the marks are audited in full."""
    sheet = _own_sheet(actor, sheet_id)
    if sheet.state != SheetState.OPEN:
        raise DomainError(_("This sheet is already signed."), code="state")
    aspects = Aspect.objects.filter(scheme__event=sheet.round.event_id)
    marked = set(sheet.marks.filter(value__isnull=False).values_list("aspect_id", flat=True))
    missing = [f"{a.code} {a.description}" for a in aspects if a.pk not in marked]
    if missing:
        raise DomainError(_("Not every aspect is marked yet: %(codes)s.") % {"codes": "、".join(missing)},
                          code="incomplete")
    sheet.state, sheet.signed_at = SheetState.SIGNED, timezone.now()
    sheet.save(update_fields=["state", "signed_at"])
    audit.record(actor, "competitions.sheet.signed", sheet, after={"code": sheet.entry.code,
                                                                   "marks": _sheet_marks(sheet)})
    return sheet
