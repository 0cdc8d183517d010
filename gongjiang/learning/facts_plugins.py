"""The learning figures in the fact store (gongjiang/orgs/facts.py), called from LearningConfig.ready: the seven
metrics (new learners, attempts, passes, contest participants, training sessions, training person-hours, mentor
pairs) and the one source that computes them from the rows — the store's truth, checked by `facts.differences`
and put back by `facts.rebuild(["learning"])`.

Who writes them as they happen: the fold (`learning.counters.fold`: the attempts, learners and contest participants
of the attempts it counts) and the training and mentorship verbs (`services.training`). So the source counts what
they count:
- attempts and passes: the folded attempts, at the attempt's unit, on the day of its submission in Asia/Shanghai
  (the fold's day; the start should the submission time ever be empty);
- learners: a worker's first folded attempt ever (the earliest submission, then the lowest id: the fold's order);
- contest participants: a worker's first folded attempt at each contest;
- training sessions and person-hours: every session at its union, on its first day (`starts_on`, person-hours as
  the session keeps them: hours × attendees, each attendee's own hours);
- mentor pairs: every pair at its union, on the day it starts (finishing or ending one changes nothing)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjiang.orgs import facts

FIELDS = ("learners", "attempts", "passes", "contest_takers", "trainings", "training_hours", "mentor_pairs")


def key(field: str) -> str:
    """The metric of a figure ("attempts" → "learning.attempts")."""
    return f"learning.{field}"


METRICS = (
    facts.Metric(key("learners"), _("New learners"), pgettext_lazy("unit", "people"), _(
        "Workers who submitted their first answer sheet ever (a level, a contest, a practice or a theory exam), "
        "counted on the day of that submission at their unit."), order=10),
    facts.Metric(key("attempts"), pgettext_lazy("learning figure", "Attempts"), pgettext_lazy("unit", "person-times"),
                 _("Answer sheets submitted (levels, contests, practice and theory exams), counted on the day of "
                   "submission at the worker's unit when they started."), order=11),
    facts.Metric(key("passes"), pgettext_lazy("learning figure", "Passes"), pgettext_lazy("unit", "person-times"),
                 _("Submitted answer sheets that reached the pass mark, counted on the day of submission."),
                 order=12),
    facts.Metric(key("contest_takers"), _("Contest participants"), pgettext_lazy("unit", "people"), _(
        "Workers who took part in a knowledge contest, each counted once per contest on the day of their first "
        "submission."), order=13),
    facts.Metric(key("trainings"), pgettext_lazy("learning figure", "Training sessions"),
                 pgettext_lazy("unit", "sessions"), _(
                     "Training sessions recorded by the unions, counted on their first day at the union holding "
                     "them."), order=20),
    facts.Metric(key("training_hours"), _("Training person-hours"), pgettext_lazy("unit", "person-hours"), _(
        "The hours of training times the attendees (each attendee with the hours credited to them), counted on "
        "the session's first day at the union holding it."), places=1, order=21),
    facts.Metric(key("mentor_pairs"), _("Mentor pairs"), pgettext_lazy("unit", "pairs"), _(
        "Mentor–apprentice pairs started, counted on the day they start at the union recording them."), order=30),
)


def rows() -> Iterator[facts.Row]:
    """(unit id, day, metric, value) from the rows, one GROUP BY per figure (see the module's docstring)."""
    from .choices import Purpose
    from .models import Attempt, MentorPair, TrainingSession

    folded = Attempt.objects.filter(folded=True).order_by()
    when = Coalesce("submitted_at", "started_at")
    day = TruncDate(when)  # in the current time zone: Asia/Shanghai, as the fold counts
    for unit_id, d, n, passed in folded.values_list("unit_id", day).annotate(
            n=Count("pk"), p=Count("pk", filter=Q(passed=True))):
        yield unit_id, d, key("attempts"), n
        yield unit_id, d, key("passes"), passed
    # A worker's first folded attempt ever (a new learner) and first at each contest (a participant): the first of
    # each partition by a window, in the fold's order (time of submission, then id). Only the firsts come back (one
    # per learner, one per participant), grouped here by unit and day: a correlated NOT EXISTS per attempt was
    # quadratic on SQLite at the demo's 126,000 attempts.
    order = [when.asc(), F("pk").asc()]
    for name, qs, partition in (
            ("learners", folded, [F("person_id")]),
            ("contest_takers", folded.filter(purpose=Purpose.CONTEST, contest__isnull=False),
             [F("person_id"), F("contest_id")])):
        firsts = (qs.annotate(at=when, rank=Window(RowNumber(), partition_by=partition, order_by=order))
                  .filter(rank=1).values_list("unit_id", "at"))
        counted: Counter[tuple[int, datetime.date]] = Counter(
            (unit_id, timezone.localtime(at).date()) for unit_id, at in firsts.iterator(chunk_size=10000))
        for (unit_id, d), n in counted.items():
            yield unit_id, d, key(name), n
    sessions = TrainingSession.objects.order_by().values_list("org_id", "starts_on")
    for org_id, start, n, hours in sessions.annotate(n=Count("pk"), h=Sum("person_hours")):
        yield org_id, start, key("trainings"), n
        yield org_id, start, key("training_hours"), hours or 0
    for org_id, start, n in MentorPair.objects.order_by().values_list("org_id", "starts_on").annotate(n=Count("pk")):
        yield org_id, start, key("mentor_pairs"), n


def register() -> None:
    facts.register_metric(*METRICS)
    facts.register_source(facts.Source("learning", tuple(m.key for m in METRICS), rows))
