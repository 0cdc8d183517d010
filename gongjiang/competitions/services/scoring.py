"""The steps that compute a round's scores and ranking, called inside the verbs of `chief` (the last lock, a
change after it, decryption), `results` (theory scores, the re-check draw, publishing) and `awards` (finalising):
an entry's rules inputs from its judges' marks, the practical scores and totals, and the ranking with prizes (one
SQL window UPDATE, whatever the size of the event). Private: they check no permission (their verbs have) and are
no verbs themselves."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, cast

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError

from ..choices import AspectKind, EntryStatus, Prize, SheetState
from ..models import Aspect, Entry, Event, Mark, Round, Scheme, Sheet, Team
from ..queries.results import prize_rule
from ..queries.structure import scheme_of
from ..rules import marking, ranking, scoring
from .judging import _rule_round

CHUNK = 500
TIE_BREAK_SQL = {"practical": "practical DESC NULLS LAST", "-practical": "practical ASC NULLS LAST",
                 "theory": "theory DESC NULLS LAST", "-theory": "theory ASC NULLS LAST",
                 "time_used": "time_used ASC NULLS LAST", "-time_used": "time_used DESC NULLS LAST"}


def _entry_inputs(scheme: Scheme, aspects: list[Aspect], marks: list[Mark]) -> dict[str, Any]:
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
        hundredths = [cast(int, m.value) for m in ms]  # ms: the marks with a value
        if a.kind == AspectKind.JUDGEMENT:
            if scheme.judgement_method == marking.WORLDSKILLS:
                inputs[a.code] = [v // 100 for v in hundredths]
            else:
                inputs[a.code] = [marking.from_hundredths(v) for v in hundredths]
        elif a.kind == AspectKind.DIRECT:
            inputs[a.code] = sum(marking.from_hundredths(v) for v in hundredths) / len(ms) if len(ms) > 1 else \
                marking.from_hundredths(hundredths[0])
            inputs[a.code] = _rule_round(scheme, inputs[a.code])
        else:
            values = set(hundredths)
            if len(values) > 1:
                raise DomainError(_("%(aspect)s is a measurement and the judges recorded different results"
                                    " (%(values)s); they must agree.") % {
                    "aspect": a.code, "values": "、".join(str(marking.from_hundredths(v)) for v in sorted(values))},
                    field=a.code, code="disagreement")
            m = ms[0]
            readings: dict[str, Callable[..., Any]] = {AspectKind.BINARY: lambda m=m: m.raw.get("achieved"),
                                                      AspectKind.TOLERANCE: lambda m=m: m.raw.get("deviation"),
                                                      AspectKind.DEDUCTION: lambda m=m: m.raw.get("faults", {})}
            inputs[a.code] = readings[a.kind]()
    return inputs


def _total(event: Event, scheme: Scheme, theory: int | None, practical: int | None) -> int | None:
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


def _compute_scores(rnd: Round, entries: Iterable[Entry] | None = None) -> int:
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
            result = scoring.score_sheet(rules_scheme, _entry_inputs(scheme, aspects, marks[e.pk]))
            if not result.complete:
                continue
            # complete: the total and every aspect's mark are in
            e.practical = marking.to_hundredths(cast(Decimal, result.total))
            e.aspect_marks = {a.code: marking.to_hundredths(cast(Decimal, a.mark)) for s in result.sections
                              for c in s.criteria for a in c.aspects}
            e.total = _total(event, scheme, e.theory, e.practical)
            done += 1
        Entry.objects.bulk_update(rows, ["practical", "aspect_marks", "total"], batch_size=CHUNK)
    return done


def _order_sql(event: Event) -> str:
    keys = [TIE_BREAK_SQL[k] for k in event.tie_breaks or [] if k in TIE_BREAK_SQL]
    return ", ".join(["total DESC", *keys])


def _rank_round(rnd: Round) -> int:
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
    cases: list[str] = []
    params: list[int | str] = []
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
        _rank_teams(rnd)
    return ranked


def _rank_teams(rnd: Round) -> None:
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
