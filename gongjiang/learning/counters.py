"""The learning figures kept ahead of every reader: the learners (`Learner`: first attempt, points, badges), the
leaderboards (`Standing` per worker, `OrgStanding` per union over its whole reach) and the daily figures in the
fact store (orgs/facts.py: `learning.attempts`, `learning.learners`… declared in learning/facts_plugins.py), so a
leaderboard or a figures page reads a few rows, never a GROUP BY over attempts.

Submitting an attempt writes the attempt alone; the minute's timer (`manage.py fold_learning`, docs/deploy.md §4)
first submits the attempts left open past their deadline (`services.close_expired`), then `fold` counts the
attempts submitted since the last fold into those tables — in submission order, a batch at a time, the batch's rows
taken with SKIP LOCKED so two folds never count one attempt twice. Leaderboards are thus at most a minute behind
(each page says so); a worker's own result and progress are read from their attempts at once.

`rebuild` recomputes the learners and leaderboards from the attempts (folding them all again, from nothing, the
figures left alone), then the learning facts from their source (`facts.rebuild(["learning"])`: the attempts'
figures and those the training and mentorship verbs add with `facts.add`)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from gongjiang.orgs import facts
from gongjiang.orgs.models import Org
from gongjiang.orgs.scoping import ancestors

from .choices import AttemptState, BoardKind, Purpose
from .facts_plugins import key as metric
from .models import Attempt, Learner, Level, OrgStanding, Standing

BOARD_FIELDS = ("takers", "finishers", "attempts", "score_sum")


def _reach(units: Iterable[Org]) -> dict[int, list[int]]:
    """{unit id: ids of the unit and of every org above it, regionally and through its industry union}, in path
    order (two writers lock the rows in the same order): one query."""
    units = list(units)
    wanted: dict[int, list[str]] = {}
    for unit in units:
        paths = set(ancestors(unit.path))
        if unit.industry_path:
            paths |= set(ancestors(unit.industry_path))
        wanted[unit.pk] = sorted(paths)
    ids = dict(Org.objects.filter(path__in={p for paths in wanted.values() for p in paths}).values_list("path", "pk"))
    return {unit_id: [ids[p] for p in paths if p in ids] for unit_id, paths in wanted.items()}


def _add_boards(deltas: dict[tuple[str, int, int], dict[str, Any]], units: dict[int, Org]) -> None:
    """Add per (kind, board, unit) deltas to the OrgStanding rows of each unit's reach."""
    reach = _reach(units.values())
    per: dict[tuple[str, int, int], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    for (kind, board, unit_id), changes in deltas.items():
        for org_id in reach[unit_id]:
            for k, v in changes.items():
                per[(kind, board, org_id)][k] += v
    _upsert(OrgStanding, ("kind", "board", "org_id"), BOARD_FIELDS, per)


def _upsert(model: Any, keys: tuple[str, ...], fields: tuple[str, ...],
            per: dict[Any, dict[str, Any]]) -> None:
    """Add the deltas to the rows (creating those missing) in ONE statement sent for all of them (INSERT … ON
    CONFLICT DO UPDATE SET f = f + excluded.f, PostgreSQL and SQLite alike), in key order (two writers lock rows in
    the same order); a row per key of a batch, not an ORM UPDATE each."""
    rows = [(*key, *(changes.get(f, 0) for f in fields)) for key, changes in sorted(per.items())
            if any(changes.get(f) for f in fields)]
    # A negative delta cannot be the values of a row to insert (the counters are checked to be ≥ 0 before the
    # conflict is seen): such rows (none from the fold as it is) are added to one by one.
    lowered = [row for row in rows if any(v < 0 for v in row[len(keys):])]
    rows = [row for row in rows if row not in lowered]
    for row in lowered:
        match = dict(zip(keys, row[:len(keys)], strict=True))
        model.objects.bulk_create([model(**match)], ignore_conflicts=True)
        model.objects.filter(**match).update(**{f: F(f) + v for f, v in zip(fields, row[len(keys):], strict=True)
                                                if v})
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in (*keys, *fields))
    sets = ", ".join(f"{connection.ops.quote_name(f)} = {table}.{connection.ops.quote_name(f)} + excluded."
                     f"{connection.ops.quote_name(f)}" for f in fields)
    sql = (f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * (len(keys) + len(fields)))}) "
           f"ON CONFLICT ({', '.join(connection.ops.quote_name(k) for k in keys)}) DO UPDATE SET {sets}")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _put(model: Any, conflict: tuple[str, ...], update: tuple[str, ...], objs: list[Any]) -> None:
    """Write the rows as the fold left them in ONE statement sent for all of them: those missing inserted, the others
    (by the `conflict` columns) given their new `update` values (INSERT … ON CONFLICT DO UPDATE SET f = excluded.f,
    PostgreSQL and SQLite alike) — instead of bulk_update's UPDATE … CASE WHEN, whose branch per row is evaluated for
    every row it updates. The caller gives the rows in key order (two writers lock them in the same order)."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.auto_created]  # all but an automatic id
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    by_name = {f.attname: f for f in fields}
    sets = ", ".join(f"{q(by_name[u].column)} = excluded.{q(by_name[u].column)}" for u in update)
    sql = (f"INSERT INTO {table} ({', '.join(q(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) "
           f"ON CONFLICT ({', '.join(q(by_name[c].column) for c in conflict)}) DO UPDATE SET {sets}")
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _better(score: Decimal, seconds: int, than: Standing) -> bool:
    return (score, -seconds) > (than.score, -than.seconds)


def fold(limit: int = 20000, *, figures: bool = True) -> int:
    """Count the attempts submitted since the last fold (up to `limit`) into the learners, the standings and the
    daily figures (the fact store; not when `figures` is False: `rebuild` puts those back from their source);
    returns how many. (The timer submits the attempts left open past their deadline first: `services.close_expired`,
    manage.py fold_learning.)"""
    with transaction.atomic():
        batch = list(Attempt.objects.select_for_update(skip_locked=True)
                     .filter(folded=False).exclude(state=AttemptState.ACTIVE)
                     .order_by("submitted_at", "pk")
                     .only("pk", "person_id", "unit_id", "purpose", "level_id", "contest_id", "score", "passed",
                           "seconds", "started_at", "submitted_at")[:limit])
        if not batch:
            return 0
        _fold(batch, figures=figures)
        Attempt.objects.filter(pk__in=[a.pk for a in batch]).update(folded=True)
    return len(batch)


def _at(attempt: Attempt) -> datetime.datetime:
    """When a closed attempt was submitted (its start should the field ever be empty)."""
    return attempt.submitted_at or attempt.started_at


def _fold(batch: list[Attempt], *, figures: bool = True) -> None:
    units = Org.objects.in_bulk({a.unit_id for a in batch})
    persons = {a.person_id for a in batch}
    days: dict[tuple[int, datetime.date], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    boards: dict[tuple[str, int, int], dict[str, Any]] = defaultdict(lambda: defaultdict(int))

    def day_of(attempt: Attempt) -> datetime.date:
        """The day an attempt is counted on: its submission's, in Asia/Shanghai (facts_plugins.rows counts so)."""
        return timezone.localdate(_at(attempt))

    # learners: a worker's first attempt ever
    learners = Learner.objects.in_bulk(persons)
    new_learners: set[int] = set()
    for a in batch:
        if a.person_id not in learners:
            learners[a.person_id] = Learner(person_id=a.person_id, unit_id=a.unit_id, first_at=a.started_at)
            new_learners.add(a.person_id)
            days[(a.unit_id, day_of(a))]["learners"] += 1
        days[(a.unit_id, day_of(a))]["attempts"] += 1
        if a.passed:
            days[(a.unit_id, day_of(a))]["passes"] += 1

    # contests: the best score, then the shortest time
    contest_rows = [a for a in batch if a.purpose == Purpose.CONTEST and a.contest_id]
    standings = {(s.board, s.person_id): s for s in Standing.objects.filter(
        kind=BoardKind.CONTEST, board__in={a.contest_id for a in contest_rows}, person_id__in=persons)}
    touched: set[tuple[int, int]] = set()  # the standings this batch changes (others read stay as they are)
    for a in contest_rows:
        assert a.contest_id is not None
        key = (a.contest_id, a.person_id)
        touched.add(key)
        s = standings.get(key)
        board = (BoardKind.CONTEST.value, a.contest_id, a.unit_id)
        if s is None:
            s = standings[key] = Standing(kind=BoardKind.CONTEST, board=a.contest_id, person_id=a.person_id,
                                          unit_id=a.unit_id, score=a.score, seconds=a.seconds, levels=int(a.passed),
                                          attempts=0, reached_at=_at(a))
            boards[board]["takers"] += 1
            boards[board]["score_sum"] += a.score
            boards[board]["finishers"] += int(a.passed)
            days[(a.unit_id, day_of(a))]["contest_takers"] += 1
        elif _better(a.score, a.seconds, s):
            owner = (BoardKind.CONTEST.value, a.contest_id, s.unit_id)
            boards[owner]["score_sum"] += a.score - s.score
            if a.passed and not s.levels:
                boards[owner]["finishers"] += 1
            s.score, s.seconds, s.reached_at, s.levels = a.score, a.seconds, _at(a), max(s.levels,
                                                                                              int(a.passed))
        s.attempts += 1
        boards[(BoardKind.CONTEST.value, a.contest_id, s.unit_id)]["attempts"] += 1

    # challenges: levels cleared (first time) and their points; the challenge's badge when all are cleared
    level_rows = [a for a in batch if a.purpose == Purpose.LEVEL and a.level_id]
    levels = Level.objects.select_related("challenge").in_bulk({a.level_id for a in level_rows})
    challenge_of = {pk: lv.challenge_id for pk, lv in levels.items()}
    level_total: dict[int, int] = defaultdict(int)
    for challenge_id, n in _level_counts(set(challenge_of.values())).items():
        level_total[challenge_id] = n
    cleared = set(Attempt.objects.filter(purpose=Purpose.LEVEL, passed=True, folded=True, person_id__in=persons,
                                         level_id__in=levels).values_list("person_id", "level_id").distinct())
    ch_standings = {(s.board, s.person_id): s for s in Standing.objects.filter(
        kind=BoardKind.CHALLENGE, board__in=set(challenge_of.values()), person_id__in=persons)}
    ch_touched: set[tuple[int, int]] = set()
    earned: set[int] = set()  # the learners whose points or badges change
    for a in level_rows:
        assert a.level_id is not None
        level = levels[a.level_id]
        key = (level.challenge_id, a.person_id)
        ch_touched.add(key)
        s = ch_standings.get(key)
        if s is None:
            s = ch_standings[key] = Standing(kind=BoardKind.CHALLENGE, board=level.challenge_id, person_id=a.person_id,
                                             unit_id=a.unit_id, score=Decimal(0), seconds=0, levels=0, attempts=0,
                                             reached_at=_at(a))
            boards[(BoardKind.CHALLENGE.value, level.challenge_id, a.unit_id)]["takers"] += 1
        s.attempts += 1
        owner = (BoardKind.CHALLENGE.value, level.challenge_id, s.unit_id)
        boards[owner]["attempts"] += 1
        if a.passed and (a.person_id, a.level_id) not in cleared:
            cleared.add((a.person_id, a.level_id))
            s.levels += 1
            s.score += level.points
            s.seconds += a.seconds
            s.reached_at = _at(a)
            boards[owner]["score_sum"] += level.points
            learner = learners[a.person_id]
            earned.add(a.person_id)
            learner.points += level.points
            if level.badge and level.badge not in learner.badges:
                learner.badges = [*learner.badges, level.badge]
            if s.levels == level_total[level.challenge_id]:
                boards[owner]["finishers"] += 1
                badge = level.challenge.badge
                if badge and badge not in learner.badges:
                    learner.badges = [*learner.badges, badge]

    _put(Learner, ("person_id",), ("points", "badges"),
         [learners[pk] for pk in sorted(new_learners | earned)])
    _put(Standing, ("kind", "board", "person_id"), ("score", "seconds", "levels", "attempts", "reached_at"),
         [*(standings[k] for k in sorted(touched)), *(ch_standings[k] for k in sorted(ch_touched))])
    needed = {u for (_k, _b, u) in boards} | {u for (u, _d) in days}
    units.update(Org.objects.in_bulk(needed - set(units)))
    _add_boards(boards, units)
    if figures:
        facts.add_many([(units[unit_id], day, metric(f), v) for (unit_id, day), changes in days.items()
                        for f, v in changes.items()])


def _level_counts(challenge_ids: set[int]) -> dict[int, int]:
    from django.db.models import Count

    return dict(Level.objects.filter(challenge_id__in=challenge_ids).values_list("challenge_id")
                .order_by().annotate(n=Count("pk")))


def rebuild() -> int:
    """Recompute the learners and the standings from the attempts (folding them all again), then the learning
    figures of the fact store from their source (the attempts', the training sessions' and the mentor pairs');
    returns the attempts folded plus the fact rows changed. Attempts still open are not counted, as by `fold`."""
    with transaction.atomic():
        Learner.objects.all().delete()
        Standing.objects.all().delete()
        OrgStanding.objects.all().delete()
        Attempt.objects.filter(folded=True).update(folded=False)
    total = 0
    while True:
        n = fold(limit=50000, figures=False)
        total += n
        if not n:
            break
    return total + facts.rebuild(["learning"])
