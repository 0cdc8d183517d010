"""Results: scores from the locked marks and the theory scores (typed, or checked whole from a workbook),
rankings (one SQL window UPDATE, whatever the size of the event), prizes, re-check selection, public
notice (公示) and appeals. What a final result earns — advancement into the next stage, grade promotions,
certificates — is in `awards`; the analysis pages read from `analysis`."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import audit, imports, notices
from gongjiang.core.errors import DomainError, PermissionDeniedError

from ..choices import AmendmentKind, AppealState, EntryStatus, Prize, RoundState, SheetState
from ..models import Appeal, Entry, Mark, Round, Scheme, Sheet, Team
from ..rules import marking, ranking, scoring
from . import notify, publicity
from .chief import _chief, amend_mark, entry_inputs
from .common import _require_round_organiser, _require_state
from .structure import scheme_of

CHUNK = 500
DEFAULT_PRIZE_RULE = {"bands": [{"prize": "first", "percent": 10}, {"prize": "second", "percent": 20},
                                {"prize": "third", "percent": 30}]}
TIE_BREAK_SQL = {"practical": "practical DESC NULLS LAST", "-practical": "practical ASC NULLS LAST",
                 "theory": "theory DESC NULLS LAST", "-theory": "theory ASC NULLS LAST",
                 "time_used": "time_used ASC NULLS LAST", "-time_used": "time_used DESC NULLS LAST"}


# ---------------------------------------------------------------------------------------------
# Scores


def _total(event: Any, scheme: Scheme, theory: int | None, practical: int | None) -> int | None:
    """The final total in hundredths: practical alone when the event has no theory part, else the weighted
    combination once both are in. Both parts are on the scheme's scale (normally 100)."""
    if practical is None:
        return None
    if event.theory_weight == 0:
        return practical
    if theory is None:
        return None
    rounding = marking.Rounding(mode=scheme.rounding_mode, places=scheme.rounding_places, level="total")
    return marking.to_hundredths(scoring.combine(marking.from_hundredths(theory), marking.from_hundredths(practical),
                                                 event.theory_weight, event.practical_weight, rounding))


def compute_scores(rnd: Round, entries: Iterable[Entry] | None = None) -> int:
    """Practical scores (and totals) of the round's checked-in entries whose sheets are all locked, from
    their marks by the scheme's rules, chunk by chunk (marks of 500 entries per query). Returns how many."""
    event = rnd.event
    scheme = Scheme.objects.get(event=event)
    aspects = list(scheme.aspects.all())
    rules_scheme = scheme_of(scheme, aspects)
    qs = Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN)
    if entries is not None:
        qs = qs.filter(pk__in=[e.pk for e in entries])
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        open_entries = set(Sheet.objects.filter(entry_id__in=chunk).exclude(state=SheetState.LOCKED)
                           .values_list("entry_id", flat=True))
        marks: dict[int, list[Mark]] = defaultdict(list)
        for m in Mark.objects.filter(sheet__entry_id__in=chunk).select_related("sheet").only(
                "aspect_id", "value", "raw", "sheet__entry_id"):
            marks[m.sheet.entry_id].append(m)
        rows = list(Entry.objects.filter(pk__in=chunk))
        for e in rows:
            if e.pk in open_entries or not marks.get(e.pk):
                continue
            result = scoring.score_sheet(rules_scheme, entry_inputs(scheme, aspects, marks[e.pk]))
            if not result.complete:
                continue
            e.practical = marking.to_hundredths(result.total)
            e.aspect_marks = {a.code: marking.to_hundredths(a.mark) for s in result.sections for c in s.criteria
                              for a in c.aspects}
            e.total = _total(event, scheme, e.theory, e.practical)
            done += 1
        Entry.objects.bulk_update(rows, ["practical", "aspect_marks", "total"], batch_size=CHUNK)
    return done


@transaction.atomic
def set_theory_scores(*, actor: Any, rnd: Round, scores: dict[int, Decimal], note: str = "") -> int:
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
        rank_round(rnd)
    return len(rows)


# ---------------------------------------------------------------------------------------------
# Theory scores from a workbook (参赛号, 理论成绩): checked whole, then `set_theory_scores`


def parse_theory(text: str, ctx: Any = None) -> Decimal:
    try:
        value = Decimal(text.replace("，", ".").strip())
    except ArithmeticError:
        raise imports.CellError(_("“%(v)s” is not a number.") % {"v": text}) from None
    if not value.is_finite():
        raise imports.CellError(_("“%(v)s” is not a number.") % {"v": text})
    if not 0 <= value <= 100:
        raise imports.CellError(_("A theory score is between 0 and 100, not %(v)s.") % {"v": text})
    if value != value.quantize(Decimal("0.01")):
        raise imports.CellError(_("A theory score has at most two decimals: %(v)s.") % {"v": text})
    return value


def _number_key(text: str) -> str:
    """参赛号 as typed or as Excel kept it: "007" and 7 are the same number."""
    text = text.strip()
    return str(int(text)) if text.isdigit() else text


class TheoryImport(imports.ImportSpec):
    """Not registered with the job pages: a round's theory scores are a small file checked and saved at once
    (`read_theory_workbook`); the spec gives the template, the header check and the per-cell errors."""

    kind = "competitions.theory"
    title = gettext_lazy("Theory scores")
    unique_keys = ("contestant_no",)
    columns = [
        imports.Column("contestant_no", "参赛号", required=True, example="001",
                       help="检录时抽取的参赛号"),
        imports.Column("theory", "理论成绩", required=True, parse=parse_theory, example="86.5",
                       help="0至100分，最多保留两位小数"),
    ]

    def prepare(self, job: Any, rows: list[dict[str, str]]) -> dict[str, int]:
        numbers = Entry.objects.filter(round=job, status=EntryStatus.CHECKED_IN).exclude(
            contestant_no="").values_list("contestant_no", "pk")
        return {_number_key(no): pk for no, pk in numbers}

    def clean_row(self, row: dict[str, Any], ctx: dict[str, int]) -> dict[str, str]:
        if _number_key(row["contestant_no"]) not in ctx:
            return {"contestant_no": _("No checked-in contestant of this round has the number %(no)s.") % {
                "no": row["contestant_no"]}}
        return {}


theory_import = TheoryImport()


def read_theory_workbook(rnd: Round, data: bytes, name: str = "theory.xlsx") -> tuple[
        dict[int, Decimal], list[imports.RowError]]:
    """The scores by entry id of an uploaded workbook, or every row and column error (nothing is saved)."""
    imports.check_upload(name, len(data), data[:4])
    headers, body = imports.read_xlsx(data, theory_import)
    result = imports.validate(theory_import, rnd, headers, body)
    if result.errors:
        return {}, result.errors
    return {result.ctx[_number_key(r["contestant_no"])]: r["theory"] for r in result.rows}, []


# ---------------------------------------------------------------------------------------------
# Ranking and prizes


def prize_rule(event: Any) -> ranking.PrizeRule:
    data = event.prize_rule or DEFAULT_PRIZE_RULE
    bands = tuple(ranking.Band(b["prize"], percent=b.get("percent"), count=b.get("count"))
                  for b in data.get("bands", []))

    def points(v: Any) -> int | None:
        return None if v in (None, "") else marking.to_hundredths(Decimal(str(v)))

    return ranking.PrizeRule(bands=bands, merit_from=points(data.get("merit_from")),
                             min_total=points(data.get("min_total")))


def _order_sql(event: Any) -> str:
    keys = [TIE_BREAK_SQL[k] for k in event.tie_breaks or [] if k in TIE_BREAK_SQL]
    return ", ".join(["total DESC", *keys])


def rank_round(rnd: Round) -> int:
    """Places (competition ranking "1224": total, then the event's tie-breaks) and prizes of every entry of
    the round in ONE UPDATE with a window function, whatever the size of the event; only rows whose place
    or prize changes are written, so re-ranking after one changed mark rewrites a handful of rows. Entries
    not taking part (absent, disqualified) or without a total lose any place and prize. Prize bands come from
    `rules.ranking`: an entrant's prize is the first band whose cumulative size reaches their place (so
    entrants tied at a band's edge all get the better prize, exactly as `ranking.prize_bands`)."""
    event = rnd.event
    rule = prize_rule(event)
    status = EntryStatus.CHECKED_IN.value
    ranked = Entry.objects.filter(round=rnd, status=status, total__isnull=False).count()
    cases, params = [], []
    cumulative = 0
    min_sql = "" if rule.min_total is None else f" AND r.total >= {int(rule.min_total)}"
    for band in rule.bands:
        cumulative += band.size(ranked)
        cases.append(f"WHEN r.rk <= %s{min_sql} THEN %s")
        params += [cumulative, band.prize]
    if rule.merit_from is not None:
        cases.append(f"WHEN r.total >= %s{min_sql} THEN %s")
        params += [int(rule.merit_from), Prize.MERIT]
    prize = "CASE WHEN r.rk IS NULL THEN '' " + " ".join(cases) + " ELSE '' END"
    table = Entry._meta.db_table
    taking = "status = %s AND total IS NOT NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH r AS (SELECT id, total, CASE WHEN {taking} THEN RANK() OVER (PARTITION BY {taking}"
            f" ORDER BY {_order_sql(event)}) END AS rk FROM {table} WHERE round_id = %s),"
            f" p AS (SELECT id, rk, {prize} AS prize FROM r)"
            f" UPDATE {table} AS e SET place = p.rk, prize = p.prize FROM p"
            f" WHERE e.id = p.id AND (e.place IS DISTINCT FROM p.rk OR e.prize <> p.prize)",
            [status, status, rnd.pk, *params])
    Round.objects.filter(pk=rnd.pk).update(ranked_at=timezone.now())
    if event.is_team:
        rank_teams(rnd)
    return ranked


def rank_teams(rnd: Round) -> None:
    """Team results: the sum of the members' totals (a team with a member without a total is not ranked)."""
    teams = list(Team.objects.filter(round=rnd).prefetch_related("members"))
    for t in teams:
        members = [m for m in t.members.all() if m.status == EntryStatus.CHECKED_IN]
        totals = [m.total for m in members]
        t.total = sum(totals) if members and None not in totals else None  # type: ignore[arg-type]
    placed = ranking.rank([ranking.Ranked(t.pk, t.total) for t in teams])
    places = {p.id: p.place for p in placed}
    prizes = ranking.prize_bands(placed, prize_rule(rnd.event))
    for t in teams:
        t.place, t.prize = places[t.pk], prizes.get(t.pk, "")
    Team.objects.bulk_update(teams, ["total", "place", "prize"])


def placed_entries(rnd: Round) -> list[ranking.Placed]:
    """The round's ranking as the rules see it (for re-check selection and advancement)."""
    rows = Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).values_list("pk", "place", "total")
    placed = [ranking.Placed(id=pk, place=place, total=total) for pk, place, total in rows]
    return sorted(placed, key=lambda p: (p.place is None, p.place or 0, p.id))


@transaction.atomic
def draw_recheck(*, actor: Any, rnd: Round, witnesses: list[Any]) -> tuple[list[str], list[str]]:
    """复核: every entry of the top N % and a drawn sample of the rest (a recorded draw), by 加密号, once all
    sheets are locked and before decryption."""
    from . import draws

    rnd = Round.objects.select_for_update(of=("self",)).select_related(
        "event__competition__organiser", "organiser").get(pk=rnd.pk)
    _chief(rnd, actor)
    _require_state(rnd, RoundState.LOCKED)
    rank_round(rnd)
    event = rnd.event
    top, pool = ranking.recheck_pool(placed_entries(rnd), event.recheck_top_percent)
    codes = dict(Entry.objects.filter(pk__in=[*top, *pool]).values_list("pk", "code"))
    k = -(-len(pool) * event.recheck_sample_percent // 100) if pool else 0
    draw = draws.perform(actor=actor, competition=event.competition, rnd=rnd, purpose=f"round {rnd.pk} / recheck",
                         kind="sample", items=[codes[p] for p in pool], witnesses=witnesses, k=k)
    top_codes = [codes[p] for p in top]
    audit.record(actor, "competitions.round.recheck_drawn", rnd, after={"top": top_codes, "sample": draw.result})
    return top_codes, list(draw.result)


# ---------------------------------------------------------------------------------------------
# Public notice and appeals


@transaction.atomic
def publish_results(*, actor: Any, rnd: Round, publicity_until: datetime.date | None = None,
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
    rank_round(rnd)
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


@transaction.atomic
def file_appeal(*, actor: Any, entry: Entry, reason: str) -> Appeal:
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


@transaction.atomic
def decide_appeal(*, actor: Any, appeal: Appeal, upheld: bool, decision: str,
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
