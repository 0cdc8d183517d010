"""What the contest pages and the API read: the banks a union may draw from, the pools of a paper's draw rules,
the contests a worker may enter, the ranking and one's own place (from the standings the fold keeps, never a GROUP
BY over attempts), the results per unit (the org standings of the organiser's children, with participation rates
from the orgs counters), and the suspicious-pattern report."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Lag, RowNumber, TruncMinute
from django.utils import timezone

from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.scoping import ancestors, within

from ..choices import AttemptState, BoardKind
from ..models import Answer, Attempt, Bank, Contest, ContestAward, OrgStanding, Question, Standing
from ..rules import contests as rules

DONE = [AttemptState.SUBMITTED, AttemptState.EXPIRED]


# ---------------------------------------------------------------------------------------------
# Banks and pools


def usable_banks(org: Org) -> QuerySet[Bank]:
    """The banks a union may draw from: those owned in its subtree, and those an ancestor shares downward."""
    above = ancestors(org.path, include_self=False)
    return Bank.objects.filter(Q(org__path__startswith=org.path) | Q(org__path__in=above, shared=True))


def pools(bank_ids: Sequence[int], rules_: Sequence[dict[str, Any]]) -> list[list[int]]:
    """For each draw rule, the ids of the current questions of the banks that match it (a fixed rule: those of its
    questions that are current questions of the banks)."""
    out = []
    for rule in rules_:
        qs = Question.objects.filter(bank_id__in=list(bank_ids), current=True)
        if "questions" in rule:
            found = set(qs.filter(pk__in=rule["questions"]).values_list("pk", flat=True))
            out.append([q for q in rule["questions"] if q in found])
            continue
        if rule.get("kinds"):
            qs = qs.filter(kind__in=rule["kinds"])
        if rule.get("difficulty"):
            qs = qs.filter(difficulty__in=rule["difficulty"])
        if rule.get("tags"):
            qs = qs.filter(tags__name__in=rule["tags"])
        out.append(list(qs.order_by("pk").values_list("pk", flat=True).distinct()))
    return out


# ---------------------------------------------------------------------------------------------
# Contests


def cadre_contests(user: Actor) -> QuerySet[Contest]:
    return Contest.objects.for_user(user, "view").select_related("org")


def open_to(person: Person, now: datetime.datetime | None = None) -> list[Contest]:
    """The published contests whose organiser's tree (regional or industry) holds the worker's unit and that have
    not ended (or ended within the last 30 days, for the results), soonest first."""
    now = now or timezone.now()
    employer = person.employer
    paths = ancestors(employer.path)
    if employer.industry_path:
        paths += ancestors(employer.industry_path)
    found = (Contest.objects.filter(published=True, org__path__in=paths,
                                    closes_at__gte=now - datetime.timedelta(days=30))
             .select_related("org").order_by("opens_at", "id"))
    return [c for c in found if within(employer, c.org)]


def may_enter(person: Person | None, contest: Contest) -> bool:
    return person is not None and within(person.employer, contest.org)


@dataclass
class Figures:
    """A contest's live figures: takers and submitted attempts (from the organiser's org standing, kept by the
    fold), attempts in progress now, prizes awarded."""

    takers: int = 0
    attempts: int = 0
    mean: Decimal | None = None
    active: int = 0
    prizes: int = 0


def figures(contest: Contest) -> Figures:
    row = OrgStanding.objects.filter(kind=BoardKind.CONTEST, board=contest.pk, org=contest.org_id).first()
    f = Figures(active=Attempt.objects.filter(contest=contest, state=AttemptState.ACTIVE).count(),
                prizes=ContestAward.objects.filter(contest=contest).count())
    if row is not None:
        f.takers, f.attempts = row.takers, row.attempts
        f.mean = (row.score_sum / row.takers).quantize(Decimal("0.1")) if row.takers else None
    return f


@dataclass
class Ranked:
    place: int
    person_id: int
    name: str
    unit: str
    score: Decimal
    seconds: int
    attempts: int
    reached_at: datetime.datetime
    prize: str = ""
    unit_id: int = 0


def standings(contest: Contest) -> QuerySet[Standing]:
    return (Standing.objects.filter(kind=BoardKind.CONTEST, board=contest.pk)
            .order_by("-score", "seconds", "reached_at", "person_id"))


def ranking(contest: Contest, limit: int | None = None, offset: int = 0) -> list[Ranked]:
    """The ranking (best score, then time, then when reached), places shared by rows equal on all three, with the
    prize each place earns (`Contest.prizes`). Read from the standings' index, `limit` rows from `offset`."""
    qs = standings(contest).select_related("person", "unit")
    start_place = 1
    if offset:
        first = qs[offset:offset + 1].first()
        if first is None:
            return []
        start_place = 1 + _better(contest, first.score, first.seconds, first.reached_at)
    rows = list(qs[offset:offset + limit] if limit is not None else qs[offset:])
    keys = [(r.score, r.seconds, r.reached_at) for r in rows]
    # On a later page the places follow from the first row's, counted over the whole board.
    placed = _continue_places(keys, start_place, offset) if offset and rows else rules.places(keys)
    prizes = rules.prizes(placed, contest.prizes or {})
    return [Ranked(pl, r.person_id, r.person.name, r.unit.display_name, r.score, r.seconds, r.attempts,
                   r.reached_at, pz, r.unit_id) for r, pl, pz in zip(rows, placed, prizes, strict=True)]


def _continue_places(keys: list[tuple[Decimal, int, Any]], first_place: int, offset: int) -> list[int]:
    out = [first_place]
    for i in range(1, len(keys)):
        out.append(out[-1] if keys[i] == keys[i - 1] else offset + i + 1)
    return out


def _better(contest: Contest, score: Decimal, seconds: int, reached_at: datetime.datetime) -> int:
    """How many standings rank strictly before (score, seconds, reached_at)."""
    return standings(contest).filter(
        Q(score__gt=score) | Q(score=score, seconds__lt=seconds)
        | Q(score=score, seconds=seconds, reached_at__lt=reached_at)).count()


@dataclass
class Mine:
    """A worker's own result in a contest: best score, time, attempts, place out of how many, prize."""

    standing: Standing | None
    place: int | None
    of: int
    award: ContestAward | None
    attempts: list[Attempt] = field(default_factory=list)


def my_result(contest: Contest, person: Person) -> Mine:
    s = Standing.objects.filter(kind=BoardKind.CONTEST, board=contest.pk, person=person).first()
    place = 1 + _better(contest, s.score, s.seconds, s.reached_at) if s is not None else None
    return Mine(s, place, standings(contest).count(), ContestAward.objects.filter(contest=contest, person=person)
                .first(), list(Attempt.objects.filter(contest=contest, person=person).order_by("number")))


# ---------------------------------------------------------------------------------------------
# Results per unit


@dataclass
class UnitRow:
    org: Org
    members: int
    takers: int
    attempts: int
    rate: Decimal | None  # percent
    mean: Decimal | None
    prizes: dict[str, int]
    has_children: bool


def by_unit(contest: Contest, parent: Org) -> list[UnitRow]:
    """The results of each child of `parent` (the organiser or a union below it): takers, participation rate
    (takers over the members of its subtree, from the orgs counters), attempts, mean score, prizes won."""
    children = list(Org.objects.filter(path__startswith=parent.path, depth=parent.depth + 1, is_active=True)
                    .order_by("path"))
    rows = {s.org_id: s for s in OrgStanding.objects.filter(kind=BoardKind.CONTEST, board=contest.pk,
                                                              org__in=children)}
    awards = list(ContestAward.objects.filter(contest=contest, unit__path__startswith=parent.path)
                  .values_list("unit__path", "prize"))
    out = []
    for child in children:
        s = rows.get(child.pk)
        takers = s.takers if s else 0
        prizes: dict[str, int] = {}
        for path, prize in awards:
            if path.startswith(child.path):
                prizes[prize] = prizes.get(prize, 0) + 1
        members = child.tree_members
        out.append(UnitRow(
            child, members, takers, s.attempts if s else 0,
            (Decimal(takers * 100) / members).quantize(Decimal("0.1")) if members else None,
            (s.score_sum / takers).quantize(Decimal("0.1")) if s and takers else None, prizes, child.numchild > 0))
    return out


# ---------------------------------------------------------------------------------------------
# Suspicious patterns


@dataclass
class SameAnswers:
    signature: str
    score: Decimal
    attempts: list[Attempt]


@dataclass
class Burst:
    unit: Org
    minute: datetime.datetime
    count: int


@dataclass
class Report:
    same: list[SameAnswers]
    fast: list[Attempt]
    bursts: list[Burst]
    min_score: Decimal
    floor: Decimal
    burst: int
    rapid: list[tuple[Attempt, int]] = field(default_factory=list)  # attempts and their longest run of quick answers
    gap: Decimal = Decimal(1)
    run: int = 5


DEFAULT_MIN_SCORE = 60  # percent of full marks: identical wrong guesses are not worth a look
DEFAULT_FLOOR = Decimal(2)  # seconds per question
DEFAULT_BURST = 30  # attempts started by one unit within one minute
DEFAULT_GAP = Decimal(1)  # seconds between two answers: faster is no reading
DEFAULT_RUN = 5  # answers in a row that fast
LIMIT = 500


def suspicious(contest: Contest, *, min_score: int = DEFAULT_MIN_SCORE, floor: Decimal = DEFAULT_FLOOR,
               burst: int = DEFAULT_BURST, gap: Decimal = DEFAULT_GAP, run: int = DEFAULT_RUN) -> Report:
    """四类可疑: attempts with the same answer signature scoring at least `min_score` % of full marks (grouped);
    attempts faster than `floor` seconds per question; attempts with `run` answers or more in a row each saved less
    than `gap` seconds after the one before (fired by a script or copied, even when the whole attempt took a normal
    time); units starting `burst` attempts or more in one minute."""
    done = Attempt.objects.filter(contest=contest, state__in=DONE)
    full = contest_full_marks(contest)
    threshold = (Decimal(full) * min_score / 100) if full else Decimal(0)
    shared = list(done.exclude(signature="").filter(score__gte=threshold).values("signature")
                  .annotate(n=Count("pk")).filter(n__gte=2).order_by("-n").values_list("signature", flat=True)[:LIMIT])
    groups: dict[str, list[Attempt]] = {}
    for a in (done.filter(signature__in=shared, score__gte=threshold).select_related("person", "unit")
              .order_by("signature", "started_at")):
        groups.setdefault(a.signature, []).append(a)
    same = sorted((SameAnswers(sig, rows[0].score, rows) for sig, rows in groups.items()),
                  key=lambda g: (-len(g.attempts), -g.score))
    questions = contest.question_count
    fast = list(done.filter(seconds__lt=floor * questions).select_related("person", "unit")
                .order_by("seconds", "pk")[:LIMIT]) if questions else []
    minutes = list(Attempt.objects.filter(contest=contest).annotate(minute=TruncMinute("started_at"))
                   .values("unit", "minute").annotate(n=Count("pk")).filter(n__gte=burst)
                   .order_by("-n")[:LIMIT])
    units = Org.objects.in_bulk([m["unit"] for m in minutes])
    bursts = [Burst(units[m["unit"]], m["minute"], m["n"]) for m in minutes]
    return Report(same, fast, bursts, Decimal(min_score), floor, burst, _rapid(contest, gap, run), gap, run)


def _rapid(contest: Contest, gap: Decimal, run: int) -> list[tuple[Attempt, int]]:
    """The submitted attempts of `contest` with `run` or more answers in a row saved less than `gap` seconds apart,
    longest run first: the gaps by a window over the answers in the order they were saved (one statement; only the
    quick answers come back), the runs by `rules.rapid_runs`."""
    saved = [F("saved_at").asc(), F("position").asc()]
    quick = (Answer.objects.filter(attempt__contest=contest, attempt__state__in=DONE)
             .annotate(previous=Window(Lag("saved_at"), partition_by=[F("attempt_id")], order_by=saved),
                       rank=Window(RowNumber(), partition_by=[F("attempt_id")], order_by=saved))
             .filter(previous__gt=F("saved_at") - datetime.timedelta(seconds=float(gap))))
    runs = {a: n for a, n in rules.rapid_runs(list(quick.values_list("attempt_id", "rank"))).items() if n >= run}
    if not runs:
        return []
    found = Attempt.objects.filter(pk__in=sorted(runs, key=lambda a: (-runs[a], a))[:LIMIT]).select_related(
        "person", "unit")
    return sorted(((a, runs[a.pk]) for a in found), key=lambda r: (-r[1], r[0].pk))


def contest_full_marks(contest: Contest) -> Decimal:
    """The full marks of the contest's attempts (the largest max_score seen: drawn papers may differ slightly)."""
    found = (Attempt.objects.filter(contest=contest, state__in=DONE).order_by("-max_score")
             .values_list("max_score", flat=True).first())
    return found or Decimal(0)


def report_rows(report: Report) -> Iterable[list[Any]]:
    """The report as rows for the Excel export: kind, group, name, unit, score, seconds, started."""
    from django.utils.translation import gettext as _

    for i, g in enumerate(report.same, start=1):
        for a in g.attempts:
            yield [_("Identical answers"), i, a.person.name, a.unit.display_name, a.score, a.seconds,
                   timezone.localtime(a.started_at)]
    for a in report.fast:
        yield [_("Impossible speed"), "", a.person.name, a.unit.display_name, a.score, a.seconds,
               timezone.localtime(a.started_at)]
    for a, n in report.rapid:
        yield [_("Answers in quick succession"), n, a.person.name, a.unit.display_name, a.score, a.seconds,
               timezone.localtime(a.started_at)]
    for b in report.bursts:
        yield [_("Many attempts from one unit at once"), b.count, "", b.unit.display_name, "", "",
               timezone.localtime(b.minute)]
