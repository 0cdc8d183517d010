"""The demo's learning activity at the tests' scale: the province's ten-level safety challenge, last month's finished
energy-saving contest with its attempts and their answers, daily practice and the learner persona — every stored
answer marks to the points kept with it, every attempt's score is the sum of its answers', and the standings and
daily figures the loader rebuilt are what a rebuild gives again. The banks' demo loader ("learning.banks") makes
the banks; in a tree without it `fallback_banks` stands in, registered for these tests only."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from gongjiang.core import registry
from gongjiang.learning import demo_activity
from gongjiang.learning.choices import AttemptState, BoardKind, Purpose
from gongjiang.learning.figures_plugins import DEMO_KEY
from gongjiang.learning.models import Answer, Attempt, Challenge, Contest, Mistake, Question, Standing
from gongjiang.learning.rules.scoring import LETTERS, Key, mark
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact, User

from .activity_factories import fallback_banks
from .training_factories import learning_facts


class _Log:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, line: str) -> None:
        self.lines.append(line)


@pytest.fixture
def demo(db):
    """The tiny demo province, the stand-in banks, then the activity, through the registered loaders in order."""
    added = "learning.banks" not in registry._demo
    if added:
        registry.register_demo(registry.DemoLoader("learning.banks", fallback_banks, after=("orgs",)))
    try:
        loaders = registry.demo_loaders([DEMO_KEY])
        assert [x.key for x in loaders][-1] == DEMO_KEY and "learning.banks" in [x.key for x in loaders]
        log = _Log()
        for loader in loaders:
            line = loader.load("tiny", log, False)
        yield line
    finally:
        if added:
            registry._demo.pop("learning.banks", None)


def test_the_province_publishes_a_ten_level_challenge_and_a_finished_contest(demo):
    challenge = Challenge.objects.get(title=demo_activity.CHALLENGE_TITLE)
    assert challenge.published and challenge.org.depth == 1
    assert list(challenge.levels.values_list("number", flat=True)) == list(range(1, 11))
    contest = Contest.objects.get(title=demo_activity.CONTEST_TITLE)
    assert contest.published and contest.results_published and contest.closes_at < timezone.now()
    assert contest.opens_at.astimezone(timezone.get_current_timezone()).month == \
        (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).month
    taken = Attempt.objects.filter(contest=contest)
    assert taken.count() == demo_activity.SCALES["tiny"][0] + 1  # and the persona's
    assert not taken.exclude(state=AttemptState.SUBMITTED).exists()
    assert not taken.filter(started_at__lt=contest.opens_at).exists()
    assert not taken.filter(started_at__gt=contest.closes_at).exists()
    assert taken.filter(passed=True).exists() and taken.filter(passed=False).exists()
    assert taken.aggregate(n=Count("person", distinct=True))["n"] < taken.count()  # several tries each
    assert Attempt.objects.filter(purpose=Purpose.LEVEL).exists() and \
        Attempt.objects.filter(purpose=Purpose.PRACTICE).exists()
    assert "contest" in demo


def test_every_stored_answer_marks_to_its_points_and_every_score_is_their_sum(demo):
    keys = {q.pk: q for q in Question.objects.all()}
    sums: dict[int, Decimal] = defaultdict(Decimal)
    attempts = {a.pk: a for a in Attempt.objects.select_related("contest", "level")}
    answers = list(Answer.objects.all())
    assert len(answers) >= sum(len(a.paper) for a in attempts.values()) * 0.9
    for ans in answers:
        attempt = attempts[ans.attempt_id]
        question_id, order = attempt.paper[ans.position]
        q = keys[question_id]
        own = ans.given if not order else "".join(sorted(order[LETTERS.index(c)] for c in ans.given))
        partial = attempt.contest.partial if attempt.contest_id else (attempt.level.partial if attempt.level_id else 50)
        m = mark(Key(q.kind, q.score, q.answer, q.blanks, q.weights), own, partial)
        assert (m.points, m.correct) == (ans.points, ans.correct)
        sums[ans.attempt_id] += ans.points
    for pk, total in sums.items():
        assert attempts[pk].score == total
        assert attempts[pk].max_score == sum(keys[q].score for q, _ in attempts[pk].paper)


def test_the_standings_and_figures_agree_with_the_attempts_and_a_rebuild(demo):
    from gongjiang.learning import counters

    contest = Contest.objects.get(title=demo_activity.CONTEST_TITLE)
    board = Standing.objects.filter(kind=BoardKind.CONTEST, board=contest.pk)
    assert board.count() == Attempt.objects.filter(contest=contest).values("person").distinct().count()
    province = contest.org
    years = Fact.objects.filter(org=province, period="Y")
    assert years.filter(metric="learning.attempts").aggregate(n=Sum("value"))["n"] == Attempt.objects.count()
    assert years.filter(metric="learning.contest_takers").aggregate(n=Sum("value"))["n"] == board.count()
    assert facts.differences(["learning"]) == {}
    kept = sorted(board.values_list("person", "score", "seconds"))
    days = learning_facts()
    counters.rebuild()
    assert sorted(board.values_list("person", "score", "seconds")) == kept
    assert learning_facts() == days


def test_the_learner_persona_has_cleared_three_levels_and_has_wrong_answers(demo, client):
    user = User.objects.get(username=demo_activity.LEARNER)
    person = user.person
    assert person is not None and person.is_front_line
    assert user.check_password(demo_activity.LEARNER_PASSWORD)
    levels = Attempt.objects.filter(person=person, purpose=Purpose.LEVEL)
    assert sorted(levels.filter(passed=True).values_list("level__number", flat=True)) == [1, 2, 3]
    assert list(levels.filter(passed=False).values_list("level__number", flat=True)) == [4]
    assert Mistake.objects.filter(person=person, cleared=False).exists()
    assert Attempt.objects.filter(person=person, purpose=Purpose.CONTEST).count() == 1
    assert demo_activity.LEARNER in [p.username for p in registry._personas]
    client.force_login(User.objects.get(username="province_admin"))
    page = client.get(reverse("learning:figures"), {"period": "year", "year": str(timezone.localdate().year)})
    from gongjiang.learning.queries.figures import labels

    assert page.status_code == 200 and dict(page.context["tiles"])[labels()["attempts"]] > 0


def test_the_loader_says_it_is_loaded_and_wipes_what_it_made(demo):
    assert demo_activity.loaded()
    demo_activity.wipe()
    assert not demo_activity.loaded()
    assert not Attempt.objects.exists() and not Standing.objects.exists()
    assert not Fact.objects.filter(metric="learning.attempts").exclude(value=0).exists()
    assert facts.differences(["learning"]) == {}
    assert not User.objects.filter(username=demo_activity.LEARNER).exists()
