"""The demo's competitions (on the tiny demo province): a finished season and one in progress, consistent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from gongjiang.competitions import queries
from gongjiang.competitions.choices import CompetitionState, EntryStatus, RoundState, SheetState
from gongjiang.competitions.models import Certificate, Competition, Draw, Entry, Round, Sheet


class _Null:
    def write(self, *_a: object) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture
def tiny(db):
    call_command("load_demo", scale="tiny", include=["competitions"], stdout=_Null())


def test_the_demo_has_a_finished_season_one_in_progress_and_a_labour_competition(tiny):
    finished, current = Competition.objects.filter(kind="skills").order_by("year")
    assert finished.state == CompetitionState.FINISHED and current.state == CompetitionState.REGISTRATION
    assert set(finished.stages.values_list("name", flat=True)) == {"基层赛", "市级选拔赛", "省级决赛"}
    final_rounds = Round.objects.filter(stage__competition=finished, stage__name="省级决赛")
    run = [r for r in final_rounds if r.entries.count() >= 2]  # the tiny province leaves a final nearly empty
    assert run and all(r.state == RoundState.FINAL for r in run)
    finalists = Entry.objects.filter(round__in=final_rounds, status=EntryStatus.CHECKED_IN)
    assert finalists.filter(place=1).exists() and Certificate.objects.filter(entry__in=finalists).exists()
    assert Round.objects.filter(stage__competition=current, state=RoundState.MARKING).exists()
    assert Sheet.objects.filter(round__stage__competition=current, state=SheetState.OPEN).exists()
    assert Round.objects.filter(stage__competition=current, state=RoundState.PUBLICITY).exists()
    # every demo draw re-runs from its record
    records = list(Draw.objects.all())
    assert records and all(queries.rerun(d) for d in records)
    labour_has_ten_closed_months_and_november_open()


def test_the_demo_judge_personas_can_log_in_and_mark(tiny, client):
    assert client.login(username="judge", password="Gongjiang-2026")
    rnd = Round.objects.get(state=RoundState.MARKING)
    assert Sheet.objects.filter(round=rnd, judge__judge__user__username="judge").exists()
    assert rnd.judges.filter(judge__user__username="chief_judge", role="chief").exists()


def labour_has_ten_closed_months_and_november_open() -> None:
    from gongjiang.competitions.choices import CompetitionKind, PeriodState
    from gongjiang.competitions.models import PeriodResult

    labour = Competition.objects.get(kind=CompetitionKind.LABOUR)
    states = list(labour.periods.order_by("starts_on").values_list("state", flat=True))
    assert states[:10] == [PeriodState.CLOSED] * 10 and states[10] == PeriodState.OPEN
    assert PeriodResult.objects.filter(period__competition=labour, vetoed=True).count() == 1
    assert PeriodResult.objects.filter(period__competition=labour, place=1).count() >= 10
