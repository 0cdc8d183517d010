"""Results: scores from the locked marks, rankings (one SQL window UPDATE, whatever the size of the event),
prizes, re-check selection, public notice (公示), appeals, advancement to the next stage, grade promotions
and certificates."""

from __future__ import annotations

import datetime
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import audit, imports
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.orgs.models import Org

from ..choices import (
    AmendmentKind,
    AppealState,
    CompetitionClass,
    EntrySource,
    EntryStatus,
    Prize,
    PromotionState,
    RoundState,
    SheetState,
)
from ..models import Appeal, Aspect, Certificate, Entry, Mark, Promotion, Round, Scheme, Sheet, Stage, Team
from ..rules import marking, ranking
from .common import require_round_organiser, require_state
from .judging import entry_inputs
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
    return marking.to_hundredths(marking.combine(marking.from_hundredths(theory), marking.from_hundredths(practical),
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
            result = marking.score_sheet(rules_scheme, entry_inputs(scheme, aspects, marks[e.pk]))
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
    require_round_organiser(rnd, actor)
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
    from .judging import _chief

    _chief(rnd, actor)
    require_state(rnd, RoundState.LOCKED)
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
def publish_results(*, actor: Any, rnd: Round, publicity_until: datetime.date) -> Round:
    """成绩公示: the decrypted, ranked results go on public notice until `publicity_until` (objections and
    appeals are accepted until the end of that day)."""
    rnd = Round.objects.select_for_update(of=("self",)).select_related(
        "event__competition__organiser", "organiser").get(pk=rnd.pk)
    require_round_organiser(rnd, actor)
    require_state(rnd, RoundState.DECRYPTED)
    if publicity_until < timezone.localdate():
        raise DomainError(_("The public notice cannot end in the past."), field="publicity_until")
    if rnd.event.theory_weight and Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN,
                                                        theory__isnull=True).exists():
        raise DomainError(_("Some contestants have no theory score yet."), code="incomplete")
    rank_round(rnd)
    rnd.state, rnd.publicity_until = RoundState.PUBLICITY, publicity_until
    rnd.save(update_fields=["state", "publicity_until"])
    audit.record(actor, "competitions.round.published", rnd, after={"until": publicity_until})
    return rnd


@transaction.atomic
def file_appeal(*, actor: Any, entry: Entry, reason: str) -> Appeal:
    """申诉: the contestant or their unit objects to a result within the public-notice window."""
    entry = Entry.objects.select_related("round", "unit").get(pk=entry.pk)
    is_self = getattr(actor, "person_id", None) == entry.person_id
    if not (is_self or entry.unit.in_scope(actor, "change")):
        raise PermissionDeniedError(_("Only the contestant or their unit may appeal."))
    rnd = entry.round
    if rnd.state != RoundState.PUBLICITY or (rnd.publicity_until and timezone.localdate() > rnd.publicity_until):
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
    `judging.amend_mark(kind="appeal")` with `reason` (the decision when blank), which recomputes the scores,
    the ranking and the prizes; advancement follows when the round is finalised. All or nothing: a refused
    mark leaves the appeal undecided and every mark as it was. The entry's place, total and prize before and
    after are recorded (and set on the returned appeal as `before` / `after`)."""
    from .judging import amend_mark

    appeal = Appeal.objects.select_for_update(of=("self",)).select_related(
        "entry__round__event__competition__organiser", "entry__round__organiser").get(pk=appeal.pk)
    require_round_organiser(appeal.entry.round, actor)
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
    appeal.before, appeal.after = before, after  # type: ignore[attr-defined]
    return appeal


def _standing(entry_id: int) -> dict[str, Any]:
    place, total, prize = Entry.objects.filter(pk=entry_id).values_list("place", "total", "prize").get()
    return {"place": place, "total": total, "prize": prize}


# ---------------------------------------------------------------------------------------------
# Final results: advancement, promotions, certificates


def next_stage(rnd: Round) -> Stage | None:
    return Stage.objects.filter(competition_id=rnd.stage.competition_id, order__gt=rnd.stage.order).order_by(
        "order").first()


@transaction.atomic
def finalise_round(*, actor: Any, rnd: Round) -> dict[str, int]:
    """After the public notice (and every appeal decided), the results become final: certificates for the
    prize winners, promotions proposed (in a stage of the competition's own level), and — when every round of
    the stage is final — the best advance into the next stage."""
    rnd = Round.objects.select_for_update(of=("self",)).select_related("event__competition__organiser", "organiser",
                                                           "stage").get(pk=rnd.pk)
    require_round_organiser(rnd, actor)
    require_state(rnd, RoundState.PUBLICITY)
    if rnd.publicity_until and timezone.localdate() <= rnd.publicity_until:
        raise DomainError(_("The public notice runs until %(date)s.") % {"date": rnd.publicity_until}, code="state")
    if Appeal.objects.filter(entry__round=rnd, state=AppealState.FILED).exists():
        raise DomainError(_("Some appeals are not decided yet."), code="state")
    rank_round(rnd)
    rnd.state = RoundState.FINAL
    rnd.save(update_fields=["state"])
    figures = {"certificates": issue_certificates(rnd), "promotions": 0, "advanced": 0}
    competition = rnd.event.competition
    if rnd.stage.level == competition.level:
        figures["promotions"] = propose_promotions(rnd)
    stage = next_stage(rnd)
    if stage is not None and not Round.objects.filter(stage=rnd.stage, event=rnd.event).exclude(
            state=RoundState.FINAL).exists():
        figures["advanced"] = advance(actor=actor, stage=rnd.stage, event=rnd.event, into=stage)
    audit.record(actor, "competitions.round.finalised", rnd, after=figures)
    return figures


def advance(*, actor: Any, stage: Stage, event: Any, into: Stage) -> int:
    """The best of every round of `stage` (the stage's advancement rule; per-city quotas for a final) are
    entered into the round of `into` that covers their unit."""
    rule = stage.advancement or {}
    if not rule:
        return 0
    rounds = list(Round.objects.filter(stage=stage, event=event).select_related("organiser"))
    quotas = {str(k): v for k, v in (rule.get("city_quotas") or {}).items()}
    adv_rule = ranking.AdvancementRule(
        top_n=rule.get("n") if rule["mode"] == "top_n" else None,
        top_percent=rule.get("percent") if rule["mode"] == "percent" else None,
        quotas={r.organiser.name: quotas[str(r.organiser_id)] for r in rounds if str(r.organiser_id) in quotas},
        ties=ranking.INCLUDE_TIED if rule.get("ties", "include") == "include" else ranking.STRICT)
    advancing = ranking.advancement({r.organiser.name: placed_entries(r) for r in rounds}, adv_rule)
    ids = [a.id for a in advancing]
    Entry.objects.filter(pk__in=ids).update(advanced=True)
    targets = list(Round.objects.filter(stage=into, event=event).select_related("organiser"))
    created = 0
    for e in Entry.objects.filter(pk__in=ids).select_related("person__employer", "unit"):
        path = e.person.employer.path
        covering = [r for r in targets if path.startswith(r.organiser.path)]
        if not covering:
            continue
        target = max(covering, key=lambda r: len(r.organiser.path))
        _obj, made = Entry.objects.get_or_create(round=target, person=e.person, defaults={
            "unit": e.unit, "city_path": e.city_path, "status": EntryStatus.REGISTERED,
            "source": EntrySource.ADVANCED, "advanced_from": e,
            "created_by": actor if getattr(actor, "pk", None) else None})
        created += made
    audit.record(actor, "competitions.stage.advanced", stage, after={"event": event.name, "advancing": len(ids),
                                                                      "entered": created})
    return created


def propose_promotions(rnd: Round) -> int:
    competition = rnd.event.competition
    klass = ranking.CLASS_ONE if competition.klass == CompetitionClass.CLASS1 else ranking.CLASS_TWO
    made = 0
    for e in Entry.objects.filter(round=rnd, place__isnull=False).exclude(prize="").select_related("person"):
        grade = ranking.promotion(e.place, competition.level, klass, e.person.skill_grade, won_prize=True)
        if grade is not None:
            _p, created = Promotion.objects.get_or_create(entry=e, defaults={
                "current_grade": e.person.skill_grade, "proposed_grade": grade})
            made += created
    return made


@transaction.atomic
def decide_promotion(*, actor: Any, promotion: Promotion, approve: bool) -> Promotion:
    """The organiser approves (the grade goes into the person's grade history) or rejects a proposal."""
    from gongjiang.orgs import services as org_services

    promotion = Promotion.objects.select_for_update(of=("self",)).select_related(
        "entry__round__event__competition__organiser", "entry__round__organiser", "entry__person").get(pk=promotion.pk)
    rnd = promotion.entry.round
    require_round_organiser(rnd, actor)
    if promotion.state != PromotionState.PROPOSED:
        raise DomainError(_("This promotion has already been decided."), code="state")
    promotion.state = PromotionState.APPROVED if approve else PromotionState.REJECTED
    promotion.decided_by, promotion.decided_at = actor, timezone.now()
    promotion.save(update_fields=["state", "decided_by", "decided_at"])
    if approve:
        org_services.record_skill_grade(actor=actor, person=promotion.entry.person, grade=promotion.proposed_grade,
                                        certified_on=timezone.localdate(), trade=rnd.event.trade,
                                        source=str(rnd.event.competition.name)[:60])
    audit.record(actor, "competitions.promotion.decided", promotion, after={
        "state": promotion.state, "grade": promotion.proposed_grade})
    return promotion


def issue_certificates(rnd: Round) -> int:
    """A numbered certificate with a verification token for every prize winner of a final round."""
    year = rnd.event.competition.year
    existing = set(Certificate.objects.filter(entry__round=rnd).values_list("entry_id", flat=True))
    winners = Entry.objects.filter(round=rnd).exclude(prize="").exclude(pk__in=existing).order_by("place", "pk")
    base = Certificate.objects.count()
    new = [Certificate(entry=e, prize=e.prize, number=f"GJ{year}{rnd.pk:05d}{base + i + 1:06d}",
                       token=secrets.token_urlsafe(12)) for i, e in enumerate(winners)]
    Certificate.objects.bulk_create(new)
    return len(new)


def certificate_issuer(certificate: Certificate) -> Org:
    """Who awards a certificate, and signs it: the union that ran the certificate's round (济南市总工会 for the
    Jinan round of a city qualifier, an enterprise union for its 基层赛), not the competition's organiser, which
    the certificate names with the competition's title. Needs `entry__round__organiser` selected."""
    return certificate.entry.round.organiser


@transaction.atomic
def revoke_certificate(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    """撤销证书: the organiser revokes a certificate (e.g. a result annulled for cheating); its verification page
    then says so. Audited with the reason."""
    certificate = Certificate.objects.select_for_update(of=("self",)).select_related(
        "entry__round__event__competition__organiser", "entry__round__organiser").get(pk=certificate.pk)
    require_round_organiser(certificate.entry.round, actor)
    if certificate.revoked_at is not None:
        raise DomainError(_("This certificate is already revoked."), code="state")
    if not reason.strip():
        raise DomainError(_("Please give the reason."), field="reason")
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["revoked_at"])
    audit.record(actor, "competitions.certificate.revoked", certificate, after={"number": certificate.number},
                 note=reason.strip())
    return certificate


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
    headers, body = imports.read_xlsx(data)
    result = imports.validate(theory_import, rnd, headers, body)
    if result.errors:
        return {}, result.errors
    return {result.ctx[_number_key(r["contestant_no"])]: r["theory"] for r in result.rows}, []


# ---------------------------------------------------------------------------------------------
# Analysis (reads): where contestants are weak; participation rolled up the tree


@dataclass
class AspectStats:
    code: str
    description: str
    section: str
    max_mark: int  # hundredths
    marked: int
    mean_percent: Decimal | None
    histogram: tuple[marking.HistogramBin, ...]


def aspect_analysis(rnd: Round, bins: int = 10) -> list[AspectStats]:
    """Per aspect of the event's scheme, the distribution of the entrants' marks as % of its max
    (`Entry.aspect_marks`, one query), in the scheme's order."""
    aspects = list(Aspect.objects.filter(scheme__event=rnd.event_id).order_by("order", "pk"))
    values: dict[str, list[int]] = defaultdict(list)
    marks = Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).exclude(aspect_marks={}).values_list(
        "aspect_marks", flat=True)
    for row in marks.iterator(chunk_size=2000):
        for code, value in (row or {}).items():
            if value is not None:
                values[code].append(value)
    stats = []
    for a in aspects:
        vs = [min(max(v, 0), a.max_mark) for v in values.get(a.code, [])]  # a scheme changed since: stay in range
        top = marking.from_hundredths(a.max_mark)
        histogram = marking.percent_of_max_histogram([marking.from_hundredths(v) for v in vs], top, bins) \
            if a.max_mark > 0 else ()
        mean = (marking.percent_of_max(Decimal(sum(vs)) / len(vs), a.max_mark).quantize(Decimal("0.1"))
                if vs and a.max_mark > 0 else None)
        stats.append(AspectStats(a.code, a.description, f"{a.section_code} {a.section_name}".strip(), a.max_mark,
                                 len(vs), mean, histogram))
    return stats


@dataclass
class ParticipationRow:
    org: Org
    entries: int
    checked_in: int
    winners: int


def participation(competition: Any, base: Org, stage: Stage | None = None) -> list[ParticipationRow]:
    """Entries of the competition by the children of `base` (cities under the province, counties under a
    city...): ONE GROUP BY over the prefix of the entries' unit paths one level below `base`, then one query
    for the children's names. Refused and withdrawn registrations are not counted."""
    from django.db.models import Count, Q
    from django.db.models.functions import Substr

    length = len(base.path) + Org.steplen
    qs = Entry.objects.filter(round__event__competition=competition, unit__path__startswith=base.path).exclude(
        status__in=[EntryStatus.REFUSED, EntryStatus.WITHDRAWN])
    if stage is not None:
        qs = qs.filter(round__stage=stage)
    grouped = (qs.annotate(prefix=Substr("unit__path", 1, length)).values("prefix").order_by("prefix")
               .annotate(entries=Count("pk"), checked_in=Count("pk", filter=Q(status=EntryStatus.CHECKED_IN)),
                         winners=Count("pk", filter=~Q(prize=""))))
    counts = {g["prefix"]: g for g in grouped}
    children = Org.objects.filter(path__in=[p for p in counts if len(p) == length]).order_by("path")
    rows = [ParticipationRow(o, counts[o.path]["entries"], counts[o.path]["checked_in"], counts[o.path]["winners"])
            for o in children]
    if base.path in counts:  # entered by the base org itself (a unit directly under it)
        own = counts[base.path]
        rows.insert(0, ParticipationRow(base, own["entries"], own["checked_in"], own["winners"]))
    return sorted(rows, key=lambda r: (-r.entries, r.org.path))
