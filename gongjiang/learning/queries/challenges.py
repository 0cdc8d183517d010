"""What the challenges' pages, API and verbs read: the banks a union may draw from (`usable_banks`; the banks part
writes the app-wide `queries.banks.usable_banks` in parallel: this one is the challenges' own, small), the pools each
draw rule matches (`pools`), the challenges open to a worker (`open_challenges`), a worker's map of levels
(`level_map`), progress, points and badges (`progress`), the wrong-answer notebook (`mistakes`), and the
leaderboards by person (`person_board`, `my_rank`) and by org (`org_board`) read from the folded standings
(Standing, OrgStanding) — never a GROUP BY over attempts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from gongjiang.core.types import Actor
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.scoping import ancestors, within

from ..choices import AttemptState, BoardKind, Purpose
from ..models import Attempt, Bank, Challenge, Level, Mistake, OrgStanding, Question, Standing
from ..rules import challenges as rules

DONE = (AttemptState.SUBMITTED, AttemptState.EXPIRED)
BOARD_SIZE = 100


def _above(org: Org) -> list[str]:
    """The paths of the unions above `org` and of `org` itself, regionally and along its industry tree."""
    paths = ancestors(org.path)
    if org.industry_path:
        paths += ancestors(org.industry_path)
    return paths


def usable_banks(org: Org) -> QuerySet[Bank]:
    """The banks a union may draw from: its own and those of its subtree, and the banks a union above it (regionally
    or along its industry tree) shares downward."""
    return Bank.objects.filter(Q(org__path__startswith=org.path)
                               | Q(shared=True, org__path__in=_above(org))).select_related("org")


def practice_banks(person: Person) -> QuerySet[Bank]:
    """The banks shared with a worker's unions (daily practice draws from them): a bank of the worker's employer or
    one a union above it shares downward."""
    employer = person.employer
    return Bank.objects.filter(Q(org=employer) | Q(shared=True, org__path__in=_above(employer)))


def matching(bank_ids: Iterable[int], rule: Mapping[str, Any]) -> QuerySet[Question]:
    """The current questions of the banks that a draw rule matches (kinds, difficulties, knowledge points: an empty
    list matches all; a fixed rule: the named questions found in the banks)."""
    qs = Question.objects.filter(bank_id__in=list(bank_ids), current=True)
    if "questions" in rule:
        return qs.filter(pk__in=rule["questions"])
    if rule.get("kinds"):
        qs = qs.filter(kind__in=rule["kinds"])
    if rule.get("difficulty"):
        qs = qs.filter(difficulty__in=rule["difficulty"])
    if rule.get("tags"):
        qs = qs.filter(pk__in=Question.objects.filter(tags__name__in=rule["tags"]).values("pk"))
    return qs


def pools(bank_ids: Sequence[int], draw: Sequence[Mapping[str, Any]]) -> list[list[int]]:
    """The ids each rule may draw from (for `rules.draw.shortfall`)."""
    return [list(matching(bank_ids, rule).values_list("pk", flat=True)) for rule in draw]


def challenges_for(user: Actor) -> QuerySet[Challenge]:
    """The challenges a cadre sees: organised in their scope."""
    return (Challenge.objects.for_user(user, "view").select_related("org")
            .annotate(level_count=Count("levels")).order_by("-opens_on", "-id"))


def open_challenges(person: Person, today: datetime.date | None = None) -> QuerySet[Challenge]:
    """The published challenges open today to a worker: organised by one of the unions above the worker's employer
    (regionally or along its industry tree)."""
    today = today or timezone.localdate()
    return (Challenge.objects.filter(published=True, opens_on__lte=today, org__path__in=_above(person.employer))
            .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today)).select_related("org")
            .order_by("-opens_on", "id"))


def visible_to_worker(person: Person, challenge: Challenge) -> bool:
    """A published challenge of a union above the worker (open or closed: the map and the boards stay readable)."""
    return challenge.published and within(person.employer, challenge.org)


def is_open(challenge: Challenge, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (challenge.published and challenge.opens_on <= today
            and (challenge.closes_on is None or challenge.closes_on >= today))


def cleared(person: Person, challenge_ids: Iterable[int]) -> dict[int, set[int]]:
    """challenge id → the ids of the levels the worker cleared (an attempt passed)."""
    found: dict[int, set[int]] = {}
    for challenge_id, level_id in (Attempt.objects.filter(person=person, purpose=Purpose.LEVEL, passed=True,
                                                          state__in=DONE, level__challenge_id__in=list(challenge_ids))
                                   .values_list("level__challenge_id", "level_id").distinct()):
        found.setdefault(challenge_id, set()).add(level_id)
    return found


@dataclass
class LevelRow:
    level: Level
    state: str
    best: Decimal | None
    used: int
    left: int | None  # None: unlimited

    @property
    def can_enter(self) -> bool:
        return self.state != rules.LOCKED and (self.left is None or self.left > 0)


def level_map(person: Person, challenge: Challenge) -> list[LevelRow]:
    """The levels of a challenge for one worker: locked, open or cleared, with the best score and attempts used."""
    levels = list(challenge.levels.order_by("number"))
    stats: dict[int, Mapping[str, Any]] = {row["level_id"]: row for row in Attempt.objects.filter(
        person=person, purpose=Purpose.LEVEL, level__challenge=challenge).order_by().values("level_id").annotate(
        n=Count("id"), best=Max("score", filter=Q(state__in=DONE)),
        passes=Count("id", filter=Q(passed=True, state__in=DONE)))}
    done = {lv.number for lv in levels if stats.get(lv.pk, {}).get("passes")}
    states = rules.states([lv.number for lv in levels], done)
    rows = []
    for lv in levels:
        s: Mapping[str, Any] = stats.get(lv.pk, {})
        used = int(s.get("n", 0))
        rows.append(LevelRow(lv, states[lv.number], s.get("best"), used,
                             max(lv.max_attempts - used, 0) if lv.max_attempts else None))
    return rows


@dataclass
class ChallengeProgress:
    challenge: Challenge
    levels: int
    cleared: int
    badges: list[str]


@dataclass
class Progress:
    """A worker's learning at a glance (我的学习)."""

    challenges: list[ChallengeProgress] = field(default_factory=list)
    level_points: int = 0
    practice_points: int = 0
    practice_days: int = 0
    streak: int = 0
    practised_today: bool = False
    badges: list[str] = field(default_factory=list)
    mistakes: int = 0

    @property
    def points(self) -> int:
        return self.level_points + self.practice_points


def practice_days(person: Person) -> list[datetime.date]:
    """The days (local) on which the worker submitted a daily practice."""
    days = set()
    for when in Attempt.objects.filter(person=person, purpose=Purpose.PRACTICE, state__in=DONE,
                                       submitted_at__isnull=False).values_list("submitted_at", flat=True):
        days.add(timezone.localdate(when))
    return sorted(days)


def progress(person: Person, today: datetime.date | None = None) -> Progress:
    """Points, badges, streak and the open challenges with the levels cleared, from the worker's own rows (a few
    queries whatever the province's size)."""
    today = today or timezone.localdate()
    open_now = list(open_challenges(person, today))
    cleared_ids = [lid for lid, in Attempt.objects.filter(
        person=person, purpose=Purpose.LEVEL, passed=True, state__in=DONE).values_list("level_id").distinct()]
    levels = list(Level.objects.filter(Q(pk__in=cleared_ids) | Q(challenge__in=open_now))
                  .select_related("challenge").order_by("challenge", "number"))
    by_challenge: dict[int, list[Level]] = {}
    for lv in levels:
        by_challenge.setdefault(lv.challenge_id, []).append(lv)
    done = set(cleared_ids)
    out = Progress(level_points=rules.level_points({lv.pk: lv.points for lv in levels}, done))
    for lvs in by_challenge.values():
        c = lvs[0].challenge
        earned = rules.badges([rules.LevelBadge(lv.pk, lv.badge) for lv in lvs], c.badge, done)
        out.badges += earned
    for c in open_now:
        lvs = by_challenge.get(c.pk, [])
        out.challenges.append(ChallengeProgress(c, len(lvs), sum(1 for lv in lvs if lv.pk in done),
                                                rules.badges([rules.LevelBadge(lv.pk, lv.badge) for lv in lvs],
                                                             c.badge, done)))
    days = practice_days(person)
    out.practice_days = len(days)
    out.practice_points = rules.practice_points(days)
    out.streak = rules.streak(days, today)
    out.practised_today = today in days
    out.badges += rules.streak_badges(days)
    out.mistakes = open_mistakes(person).count()
    return out


def _hidden_questions(person: Person) -> list[int]:
    """The questions of the worker's attempt in progress: their answers are not shown anywhere before it ends."""
    active = Attempt.objects.filter(person=person, state=AttemptState.ACTIVE).values_list("paper", flat=True).first()
    return [int(item[0]) for item in active or []]


def open_mistakes(person: Person) -> QuerySet[Mistake]:
    """The worker's wrong answers not yet cleared, newest first, without the questions of an attempt in progress."""
    return (Mistake.objects.filter(person=person, cleared=False).exclude(question_id__in=_hidden_questions(person))
            .select_related("question").order_by("-last_at", "-id"))


@dataclass(frozen=True)
class MistakeRow:
    mistake: Mistake
    options: list[tuple[str, str]]  # (letter, text) in the question's own order
    answer: str  # the correct answer as shown: letters, 正确/错误, or the blanks' accepted texts


def mistake_rows(mistakes: Iterable[Mistake]) -> list[MistakeRow]:
    from django.utils.translation import gettext as _

    from ..rules.scoring import LETTERS

    rows = []
    for m in mistakes:
        q = m.question
        if q.kind == "truefalse":
            answer = _("True") if q.answer == "T" else _("False")
        elif q.kind == "fill":
            answer = "；".join(" / ".join(variants) for variants in q.blanks)
        else:
            answer = q.answer
        rows.append(MistakeRow(m, list(zip(LETTERS, q.options, strict=False)), answer))
    return rows


# ------------------------------------------------------------------------------------------------
# Leaderboards (read from the fold's standings)


def _board(challenge: Challenge) -> QuerySet[Standing]:
    return Standing.objects.filter(kind=BoardKind.CHALLENGE, board=challenge.pk)


def person_board(challenge: Challenge, limit: int = BOARD_SIZE) -> list[Standing]:
    """The top learners: most levels cleared, then points, then the shortest time, then who got there first."""
    return list(_board(challenge).select_related("person", "unit")
                .order_by("-levels", "-score", "seconds", "reached_at", "person_id")[:limit])


def my_rank(challenge: Challenge, person: Person) -> tuple[int, Standing] | None:
    """The worker's place on the board and their line (None before their first folded attempt)."""
    mine = _board(challenge).filter(person=person).first()
    if mine is None:
        return None
    better = _board(challenge).filter(
        Q(levels__gt=mine.levels) | Q(levels=mine.levels, score__gt=mine.score)
        | Q(levels=mine.levels, score=mine.score, seconds__lt=mine.seconds)
        | Q(levels=mine.levels, score=mine.score, seconds=mine.seconds, reached_at__lt=mine.reached_at)).count()
    return better + 1, mine


@dataclass(frozen=True)
class OrgRow:
    org: Org
    takers: int
    finishers: int
    members: int
    mean: Decimal | None
    drill: bool  # has children (or affiliates) to drill into

    @property
    def rate(self) -> Decimal | None:
        """Participation rate (percent): takers over the union's members."""
        if not self.members:
            return None
        return (Decimal(self.takers * 100) / self.members).quantize(Decimal("0.1"))


def board_children(parent: Org) -> list[Org]:
    """The unions one step below `parent` on the leaderboard: its children in the regional tree and, for an
    industry union, the units affiliated to it outside its own subtree."""
    qs = Org.objects.filter(path__startswith=parent.path, depth=parent.depth + 1, is_active=True)
    if parent.kind == OrgKind.INDUSTRY:
        qs = qs | Org.objects.filter(industry_union=parent, is_active=True).exclude(path__startswith=parent.path)
    return list(qs.order_by("path"))


def org_board(challenge: Challenge, parent: Org) -> list[OrgRow]:
    """The children of `parent` with their figures on this challenge: takers, finishers, participation rate (takers
    over the child's members, from the orgs counters) and the mean points, best participation first."""
    children = board_children(parent)
    standings = {s.org_id: s for s in OrgStanding.objects.filter(kind=BoardKind.CHALLENGE, board=challenge.pk,
                                                                 org__in=children)}
    rows = []
    for child in children:
        s = standings.get(child.pk)
        members = child.reach_totals()["members"] if child.kind == OrgKind.INDUSTRY else child.tree_members
        takers = s.takers if s else 0
        mean = (s.score_sum / s.takers).quantize(Decimal("0.1")) if s and s.takers else None
        rows.append(OrgRow(child, takers, s.finishers if s else 0, members, mean,
                           child.numchild > 0 or child.kind == OrgKind.INDUSTRY))
    rows.sort(key=lambda r: (-(r.rate or 0), -r.takers, r.org.path))
    return rows


def org_total(challenge: Challenge, org: Org) -> OrgStanding | None:
    return OrgStanding.objects.filter(kind=BoardKind.CHALLENGE, board=challenge.pk, org=org).first()


def reached(challenge: Challenge) -> list[tuple[Level, int]]:
    """For each level, how many learners have cleared at least up to it (from the standings: one small GROUP BY
    over the challenge's board, by levels cleared)."""
    counts = dict(_board(challenge).order_by().values_list("levels").annotate(n=Count("id")))
    levels = list(challenge.levels.order_by("number"))
    out = []
    for i, lv in enumerate(levels, start=1):
        out.append((lv, sum(n for k, n in counts.items() if k >= i)))
    return out


def board_allowed(user: Actor, challenge: Challenge) -> bool:
    """Who reads a challenge's leaderboards: cadres who see the challenge, and workers it is open to."""
    if Challenge.objects.for_user(user, "view").filter(pk=challenge.pk).exists():
        return True
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return False
    person = Person.objects.select_related("employer").filter(pk=person_id).first()
    return person is not None and visible_to_worker(person, challenge)


def board_parent(challenge: Challenge, org_id: int | None) -> Org | None:
    """The union whose children a board by org shows: the organiser, or one within its reach (a drill-down)."""
    if not org_id:
        return challenge.org
    org = Org.objects.filter(pk=org_id).first()
    if org is None or not within(org, challenge.org):
        return None
    return org
