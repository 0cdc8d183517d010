"""Labour competitions (劳动竞赛/立功竞赛) through the services, as a specification: the Jinan federation runs
a key-project competition; its units are evaluated every month on weighted indicators by appointed
evaluators; closed months are scored and ranked; the year gives the ranking, the merits and the split of
the competition fund to the fen. Then every refusal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from gongjiang.competitions import queries, services
from gongjiang.competitions.choices import CompetitionKind, CompetitionState, Level, PeriodKind, PeriodState
from gongjiang.competitions.models import (
    CompetingUnit,
    Competition,
    Evaluation,
    Evaluator,
    Indicator,
    Period,
    PeriodResult,
)
from gongjiang.competitions.rules import labour as rules
from gongjiang.core import services as core_services
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, User
from gongjiang.orgs.tests import factories as of

D = Decimal
FLAT = ("progress", "quality", "safety", "innovation", "energy")


@dataclass
class Project:
    competition: Competition
    steel: CompetingUnit      # an enterprise (collective)
    workshop: CompetingUnit   # a 项目部/workshop (collective)
    team: CompetingUnit       # a 班组 (individual merits)
    person: CompetingUnit     # a named person (individual merits)
    periods: list[Period]
    a: User                   # evaluators
    b: User


def account(username: str, **kw: Any) -> User:
    return User.objects.create_user(username=username, password="Gongjiang-2026", full_name=username, **kw)


def project(sd: Any, *, fund: str = "10000.00", kind: str = PeriodKind.MONTH) -> Project:
    """济南市重点工程劳动竞赛 2026: four units, monthly periods, two evaluators."""
    cadre = sd.jinan_cadre
    c = services.create_labour_competition(actor=cadre, organiser=sd.jinan, name="济南市重点工程劳动竞赛", year=2026,
                                           fund_amount=D(fund))
    steel = services.add_unit(actor=cadre, competition=c, org=sd.steel)
    workshop = services.add_unit(actor=cadre, competition=c, org=sd.workshop, name="轨道交通项目部")
    team = services.add_unit(actor=cadre, competition=c, org=sd.team)
    person = services.add_unit(actor=cadre, competition=c, name="张伟")
    periods = services.open_periods(actor=cadre, competition=c, kind=kind)
    a, b = account("evaluator_a"), account("evaluator_b")
    services.appoint_evaluator(actor=cadre, competition=c, user=a)
    services.appoint_evaluator(actor=cadre, competition=c, user=b)
    return Project(c, steel, workshop, team, person, periods, a, b)


def indicators(c: Competition) -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(competition=c)}


def grid(user: User, period: Period, unit: CompetingUnit, values: dict[str, Any] | Any, *,
         veto: bool = False) -> None:
    """One evaluator fills a unit's row (a single value means the same value for every indicator)."""
    by_code = indicators(period.competition)
    values = values if isinstance(values, dict) else dict.fromkeys(FLAT, values)
    for code, value in values.items():
        services.enter_evaluation(actor=user, period=period, unit=unit, indicator=by_code[code],
                                  value=None if value is None else D(str(value)), veto=veto and code == "safety")


@pytest.fixture
def p(sd) -> Project:
    return project(sd)


def evaluate_first_month(p: Project) -> None:
    """January: 济钢 85 (mean of 90 and 80); the 项目部 85.5 (one evaluator); the team 85; 张伟 vetoed."""
    jan = p.periods[0]
    grid(p.a, jan, p.steel, 90)
    grid(p.b, jan, p.steel, 80)
    grid(p.a, jan, p.workshop, {"progress": 100, "quality": 90, "safety": 80, "innovation": 70, "energy": 60})
    grid(p.a, jan, p.team, 85)
    grid(p.a, jan, p.person, 95)
    grid(p.b, jan, p.person, {"safety": None}, veto=True)


def evaluate_second_month(p: Project) -> None:
    """February: 济钢 90, the 项目部 80, 张伟 70; the team is not evaluated."""
    feb = p.periods[1]
    grid(p.a, feb, p.steel, 90)
    grid(p.a, feb, p.workshop, 80)
    grid(p.a, feb, p.person, 70)


def state(obj: Any) -> Any:
    obj.refresh_from_db()
    return obj.state


# ---------------------------------------------------------------------------------------------
# Setting up


def test_a_labour_competition_is_created_with_the_standard_indicators(sd):
    c = services.create_labour_competition(actor=sd.jinan_cadre, organiser=sd.jinan, name="济南市重点工程劳动竞赛",
                                           year=2026, fund_amount=D("50000"))
    assert (c.kind, c.level, c.state, c.fund_amount) == (CompetitionKind.LABOUR, Level.CITY,
                                                         CompetitionState.PREPARING, D("50000"))
    got = [(i.code, i.weight, i.is_safety) for i in Indicator.objects.filter(competition=c)]
    assert got == [("progress", 30, False), ("quality", 25, False), ("safety", 25, True),
                   ("innovation", 10, False), ("energy", 10, False)]
    assert queries.indicator_set(list(c.indicators.all())).safety_veto
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"competitions.competition.created", "competitions.labour.indicators_set"} <= verbs


def test_only_cadres_who_may_change_the_organiser_create_one(sd):
    for actor in (sd.qingdao_cadre, sd.jinan_viewer, sd.worker):
        with pytest.raises(PermissionDeniedError):
            services.create_labour_competition(actor=actor, organiser=sd.jinan, name="越权竞赛", year=2026)
    with pytest.raises(DomainError, match="does not organise competitions"):
        services.create_labour_competition(actor=sd.jinan_cadre, organiser=sd.town, name="街道竞赛", year=2026)
    with pytest.raises(DomainError, match="whole number of fen"):
        services.create_labour_competition(actor=sd.jinan_cadre, organiser=sd.jinan, name="竞赛",
                                           fund_amount=D("1.005"))
    assert not Competition.objects.exists()


def test_indicator_weights_must_add_up_to_100_and_the_refusal_shows_the_sum(sd, p):
    before = [(i.code, i.weight) for i in p.competition.indicators.all()]
    rows = [{"code": "progress", "name": "进度", "weight": 40}, {"code": "quality", "name": "质量", "weight": 30},
            {"code": "safety", "name": "安全", "weight": 20, "is_safety": True}]
    with pytest.raises(DomainError, match=r"add up to 90, not 100") as e:
        services.set_indicators(actor=sd.jinan_cadre, competition=p.competition, indicators=rows)
    assert e.value.field == "indicators"
    assert [(i.code, i.weight) for i in p.competition.indicators.all()] == before
    rows[0]["weight"] = 50
    services.set_indicators(actor=sd.jinan_cadre, competition=p.competition, indicators=rows)
    assert [(i.code, i.weight, i.is_safety) for i in p.competition.indicators.all()] == [
        ("progress", 50, False), ("quality", 30, False), ("safety", 20, True)]


@pytest.mark.parametrize(("rows", "message"), [
    ([{"code": "a", "name": "进度", "weight": "60.5"}, {"code": "b", "name": "质量", "weight": "39.5"}],
     "must be a whole number"),
    ([{"code": "a", "name": "进度", "weight": 0}, {"code": "b", "name": "质量", "weight": 100}], "must be positive"),
    ([{"code": "a", "name": "进度", "weight": 50}, {"code": "a", "name": "质量", "weight": 50}], "appears twice"),
    ([{"code": "a", "name": "", "weight": 100}], "has no name"),
    ([{"code": "", "name": "进度", "weight": 100}], "has no code"),
    ([], "at least one indicator"),
    ([{"code": "a", "name": "进度", "weight": "abc"}], "must be a whole number"),
])
def test_bad_indicators_are_refused_and_nothing_changes(sd, p, rows, message):
    before = list(p.competition.indicators.values_list("code", "weight"))
    with pytest.raises(DomainError, match=message):
        services.set_indicators(actor=sd.jinan_cadre, competition=p.competition, indicators=rows)
    assert list(p.competition.indicators.values_list("code", "weight")) == before


def test_the_indicators_are_fixed_once_an_evaluation_is_entered(sd, p):
    grid(p.a, p.periods[0], p.steel, {"progress": 90})
    with pytest.raises(DomainError, match="can no longer be changed"):
        services.set_indicators(actor=sd.jinan_cadre, competition=p.competition,
                                indicators=[{"code": "x", "name": "综合", "weight": 100}])
    assert p.competition.indicators.count() == 5


def test_only_the_organiser_sets_indicators_units_periods_and_evaluators(sd, p):
    other = account("somebody")
    for actor in (sd.qingdao_cadre, sd.jinan_viewer, sd.worker, p.a):
        with pytest.raises(PermissionDeniedError):
            services.set_indicators(actor=actor, competition=p.competition, indicators=rules.standard_indicators())
        with pytest.raises(PermissionDeniedError):
            services.add_unit(actor=actor, competition=p.competition, name="越权单位")
        with pytest.raises(PermissionDeniedError):
            services.appoint_evaluator(actor=actor, competition=p.competition, user=other)
        with pytest.raises(PermissionDeniedError):
            services.close_period(actor=actor, period=p.periods[0])
        with pytest.raises(PermissionDeniedError):
            services.set_fund(actor=actor, competition=p.competition, amount=D("1"))
    # The province above the organiser may act for it.
    services.add_unit(actor=sd.province_admin, competition=p.competition, name="省直单位")
    assert p.competition.units.count() == 5


def test_competing_units_come_from_the_organisers_subtree_or_are_named(sd, p):
    c, cadre = p.competition, sd.jinan_cadre
    assert (p.steel.name, p.workshop.name, p.person.org) == ("济南钢铁集团有限公司工会", "轨道交通项目部", None)
    with pytest.raises(DomainError, match="is outside") as e:
        services.add_unit(actor=cadre, competition=c, org=sd.qd_enterprise)
    assert e.value.field == "org"
    with pytest.raises(DomainError, match="does not compete"):
        services.add_unit(actor=cadre, competition=c, org=sd.town)
    with pytest.raises(DomainError, match="already competing"):
        services.add_unit(actor=cadre, competition=c, org=sd.steel, name="济钢另一个名字")
    with pytest.raises(DomainError, match="A unit named 张伟 is already competing"):
        services.add_unit(actor=cadre, competition=c, name=" 张伟 ")
    with pytest.raises(DomainError, match="or enter a name"):
        services.add_unit(actor=cadre, competition=c, name="  ")
    closed = of.org(sd.town, "已撤销企业工会", OrgKind.GRASSROOTS, is_active=False)
    with pytest.raises(DomainError, match="no longer active"):
        services.add_unit(actor=cadre, competition=c, org=closed)
    assert c.units.count() == 4
    # Individuals (merits) are the team and the named person; the others are collectives.
    assert [queries.is_individual(u) for u in (p.steel, p.workshop, p.team, p.person)] == [False, False, True, True]


def test_a_unit_is_removed_only_before_it_is_evaluated(sd, p):
    spare = services.add_unit(actor=sd.jinan_cadre, competition=p.competition, name="备用单位")
    services.remove_unit(actor=sd.jinan_cadre, unit=spare)
    assert not CompetingUnit.objects.filter(pk=spare.pk).exists()
    grid(p.a, p.periods[0], p.steel, {"progress": 80})
    with pytest.raises(DomainError, match="can no longer be removed"):
        services.remove_unit(actor=sd.jinan_cadre, unit=p.steel)
    assert CompetingUnit.objects.filter(pk=p.steel.pk).exists()


def test_periods_are_generated_for_the_year_once(sd, p):
    assert len(p.periods) == 12 and all(x.state == PeriodState.OPEN for x in p.periods)
    assert (p.periods[1].starts_on, p.periods[1].ends_on) == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert p.periods[0].label == "1/2026"
    assert state(p.competition) == CompetitionState.RUNNING
    with pytest.raises(DomainError, match="opened already"):
        services.open_periods(actor=sd.jinan_cadre, competition=p.competition, kind=PeriodKind.QUARTER)
    assert Period.objects.filter(competition=p.competition).count() == 12


def test_quarters_and_the_preconditions_of_opening_periods(sd):
    c = services.create_labour_competition(actor=sd.jinan_cadre, organiser=sd.jinan, name="季度竞赛", year=2028)
    with pytest.raises(DomainError, match="months or quarters"):
        services.open_periods(actor=sd.jinan_cadre, competition=c, kind="week")
    quarters = services.open_periods(actor=sd.jinan_cadre, competition=c, kind=PeriodKind.QUARTER)
    assert [(q.label, q.starts_on, q.ends_on) for q in quarters] == [
        ("Q1 2028", datetime.date(2028, 1, 1), datetime.date(2028, 3, 31)),
        ("Q2 2028", datetime.date(2028, 4, 1), datetime.date(2028, 6, 30)),
        ("Q3 2028", datetime.date(2028, 7, 1), datetime.date(2028, 9, 30)),
        ("Q4 2028", datetime.date(2028, 10, 1), datetime.date(2028, 12, 31))]
    bare = services.create_labour_competition(actor=sd.jinan_cadre, organiser=sd.jinan, name="空竞赛", year=2026)
    Indicator.objects.filter(competition=bare).delete()
    with pytest.raises(DomainError, match="Set the indicators"):
        services.open_periods(actor=sd.jinan_cadre, competition=bare, kind=PeriodKind.MONTH)


def test_evaluators_are_appointed_once_and_only_active_accounts(sd, p):
    with pytest.raises(DomainError, match="already an evaluator"):
        services.appoint_evaluator(actor=sd.jinan_cadre, competition=p.competition, user=p.a)
    disabled = account("disabled", is_active=False)
    with pytest.raises(DomainError, match="disabled"):
        services.appoint_evaluator(actor=sd.jinan_cadre, competition=p.competition, user=disabled)
    assert Evaluator.objects.filter(competition=p.competition).count() == 2
    assert queries.is_evaluator(p.competition, p.a) and not queries.is_evaluator(p.competition, sd.jinan_cadre)


def test_skills_competitions_are_not_labour_competitions(sd):
    from gongjiang.competitions import services

    skills = services.create_competition(actor=sd.jinan_cadre, organiser=sd.jinan, name="技能大赛", year=2026)
    with pytest.raises(DomainError, match="not a labour competition"):
        services.add_unit(actor=sd.jinan_cadre, competition=skills, name="某单位")
    with pytest.raises(DomainError, match="not a labour competition"):
        services.open_periods(actor=sd.jinan_cadre, competition=skills, kind=PeriodKind.MONTH)


# ---------------------------------------------------------------------------------------------
# Evaluations


def test_an_evaluator_enters_updates_and_clears_a_cell(sd, p):
    jan, ind = p.periods[0], indicators(p.competition)
    e = services.enter_evaluation(actor=p.a, period=jan, unit=p.steel, indicator=ind["progress"], value=D("88.5"))
    assert (e.value, e.evaluator, e.veto) == (D("88.50"), p.a, False)
    services.enter_evaluation(actor=p.a, period=jan, unit=p.steel, indicator=ind["progress"], value=D("90"))
    assert Evaluation.objects.get().value == D("90.00")
    # The other evaluator's value is their own row.
    services.enter_evaluation(actor=p.b, period=jan, unit=p.steel, indicator=ind["progress"], value=D("70"))
    assert Evaluation.objects.count() == 2
    assert services.enter_evaluation(actor=p.a, period=jan, unit=p.steel, indicator=ind["progress"],
                                     value=None) is None
    assert list(Evaluation.objects.values_list("evaluator__username", "value")) == [("evaluator_b", D("70.00"))]
    assert AuditEvent.objects.filter(verb="competitions.labour.evaluations_entered").count() == 4


@pytest.mark.parametrize(("raw", "message"), [
    ("100.5", "between 0 and 100"), ("-1", "between 0 and 100"), ("101", "between 0 and 100"),
    ("88.555", "at most two decimals"), ("八十", "is not a number"), ("NaN", "is not a number"),
])
def test_a_value_outside_0_to_100_or_not_a_number_is_refused(sd, p, raw, message):
    with pytest.raises(DomainError, match=message):
        value = rules.clean_value(raw)
        services.enter_evaluation(actor=p.a, period=p.periods[0], unit=p.steel,
                                  indicator=indicators(p.competition)["quality"], value=value)
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("value", [D("100.01"), D("-0.01"), D("50.001")])
def test_the_service_itself_refuses_out_of_range_values(sd, p, value):
    with pytest.raises(DomainError) as e:
        services.enter_evaluation(actor=p.a, period=p.periods[0], unit=p.steel,
                                  indicator=indicators(p.competition)["quality"], value=value)
    assert e.value.field == "value"
    assert not Evaluation.objects.exists()


def test_blank_and_boundary_values(sd):
    assert rules.clean_value("") is None and rules.clean_value(None) is None
    assert rules.clean_value("0") == D("0.00") and rules.clean_value(" 100 ") == D("100.00")


def test_only_appointed_evaluators_enter_evaluations(sd, p):
    ind = indicators(p.competition)["progress"]
    for actor in (sd.jinan_cadre, sd.province_admin, sd.worker):
        with pytest.raises(PermissionDeniedError, match="Only the appointed evaluators"):
            services.enter_evaluation(actor=actor, period=p.periods[0], unit=p.steel, indicator=ind, value=D("80"))
    evaluator = Evaluator.objects.get(competition=p.competition, user=p.b)
    services.withdraw_evaluator(actor=sd.jinan_cadre, evaluator=evaluator)
    with pytest.raises(PermissionDeniedError):
        services.enter_evaluation(actor=p.b, period=p.periods[0], unit=p.steel, indicator=ind, value=D("80"))
    assert not Evaluation.objects.exists()


def test_the_unit_and_indicator_must_belong_to_the_competition(sd, p):
    other = project_for_qingdao(sd)
    ind = indicators(p.competition)["progress"]
    with pytest.raises(DomainError, match="does not compete"):
        services.enter_evaluation(actor=p.a, period=p.periods[0], unit=other.units.first(), indicator=ind,
                                  value=D("80"))
    with pytest.raises(DomainError, match="does not belong"):
        services.enter_evaluation(actor=p.a, period=p.periods[0], unit=p.steel,
                                  indicator=other.indicators.first(), value=D("80"))
    assert not Evaluation.objects.exists()


def project_for_qingdao(sd: Any) -> Competition:
    c = services.create_labour_competition(actor=sd.qingdao_cadre, organiser=sd.qingdao, name="青岛港劳动竞赛",
                                           year=2026)
    services.add_unit(actor=sd.qingdao_cadre, competition=c, org=sd.qd_enterprise)
    return c


def test_the_veto_is_flagged_only_on_a_safety_indicator(sd, p):
    ind = indicators(p.competition)
    with pytest.raises(DomainError, match="Only a safety indicator carries the veto"):
        services.enter_evaluation(actor=p.a, period=p.periods[0], unit=p.steel, indicator=ind["quality"],
                                  value=D("80"), veto=True)
    e = services.enter_evaluation(actor=p.a, period=p.periods[0], unit=p.steel, indicator=ind["safety"], value=None,
                                  veto=True)
    assert (e.value, e.veto) == (D("0.00"), True)


def test_a_whole_grid_is_saved_together_or_not_at_all(sd, p):
    ind = indicators(p.competition)
    cells = [services.Cell(p.steel.pk, ind["progress"].pk, D("90")),
             services.Cell(p.team.pk, ind["quality"].pk, D("80")),
             services.Cell(p.team.pk, ind["innovation"].pk, D("80"), veto=True)]
    with pytest.raises(DomainError) as e:
        services.enter_evaluations(actor=p.a, period=p.periods[0], cells=cells)
    assert list(e.value.errors) == [f"{p.team.pk}-{ind['innovation'].pk}"]
    assert not Evaluation.objects.exists()
    assert services.enter_evaluations(actor=p.a, period=p.periods[0], cells=cells[:2]) == 2
    assert Evaluation.objects.count() == 2


# ---------------------------------------------------------------------------------------------
# Closing a period


def test_closing_a_period_scores_and_ranks_the_units_by_the_rules(sd, p):
    evaluate_first_month(p)
    jan = p.periods[0]
    results = services.close_period(actor=sd.jinan_cadre, period=jan)
    got = {r.unit.name: (r.score, r.place, r.vetoed) for r in results}
    assert got == {
        "轨道交通项目部": (D("85.50"), 1, False),      # 30 + 22.5 + 20 + 7 + 6
        "济南钢铁集团有限公司工会": (D("85.00"), 2, False),  # mean of 90 and 80 on every indicator
        "炼钢一班": (D("85.00"), 2, False),            # ties share the place
        "张伟": (D("0.00"), 4, True),                 # a serious safety accident: 一票否决
    }
    # The same figures straight from the rules.
    ind_set = queries.indicator_set(list(p.competition.indicators.all()))
    steel = rules.period_score_of_evaluations([dict.fromkeys(FLAT, D(90)), dict.fromkeys(FLAT, D(80))], ind_set)
    workshop = rules.period_score({"progress": D(100), "quality": D(90), "safety": D(80), "innovation": D(70),
                                   "energy": D(60)}, ind_set)
    assert (steel, workshop) == (D("85.00"), D("85.50"))
    assert [(r.key, r.place) for r in rules.rank_period({"s": steel, "w": workshop, "t": D(85), "p": D(0)})] == [
        ("w", 1), ("s", 2), ("t", 2), ("p", 4)]
    assert state(jan) == PeriodState.CLOSED
    event = AuditEvent.objects.get(verb="competitions.labour.period_closed")
    assert event.after["period"] == jan.label and len(event.after["results"]) == 4


def test_a_closed_period_is_read_only_and_cannot_be_reopened(sd, p):
    evaluate_first_month(p)
    jan = p.periods[0]
    services.close_period(actor=sd.jinan_cadre, period=jan)
    before = list(Evaluation.objects.order_by("pk").values_list("value", flat=True))
    with pytest.raises(DomainError, match="is closed: its evaluations can no longer be changed"):
        services.enter_evaluation(actor=p.a, period=jan, unit=p.steel,
                                  indicator=indicators(p.competition)["progress"], value=D("10"))
    with pytest.raises(DomainError, match="is closed"):
        services.enter_evaluations(actor=p.a, period=jan, cells=[])
    with pytest.raises(DomainError, match="closed already"):
        services.close_period(actor=sd.jinan_cadre, period=jan)
    # No verb reopens a period (its results feed the year, the awards and the fund split): none is registered.
    assert not [name for name in core_services.VERBS if "reopen" in name and ".competitions." in name]
    assert list(Evaluation.objects.order_by("pk").values_list("value", flat=True)) == before
    assert state(jan) == PeriodState.CLOSED and PeriodResult.objects.filter(period=jan).count() == 4


def test_a_unit_evaluated_incompletely_blocks_the_close_naming_the_indicator(sd, p):
    jan = p.periods[0]
    grid(p.a, jan, p.steel, 90)
    grid(p.a, jan, p.team, {"progress": 80, "quality": 80})
    with pytest.raises(DomainError, match=r"炼钢一班 cannot be scored yet: No value for indicator safety") as e:
        services.close_period(actor=sd.jinan_cadre, period=jan)
    assert str(p.team.pk) in e.value.errors
    assert state(jan) == PeriodState.OPEN and not PeriodResult.objects.exists()
    # A unit nobody evaluated is simply not scored this period.
    grid(p.a, jan, p.team, {"safety": 80, "innovation": 80, "energy": 80})
    results = services.close_period(actor=sd.jinan_cadre, period=jan)
    assert {r.unit_id for r in results} == {p.steel.pk, p.team.pk}


def test_a_period_with_no_evaluation_is_not_closed(sd, p):
    with pytest.raises(DomainError, match="No unit has been evaluated"):
        services.close_period(actor=sd.jinan_cadre, period=p.periods[0])
    assert state(p.periods[0]) == PeriodState.OPEN


def test_the_period_sheet_previews_the_calculation_before_closing(sd, p):
    evaluate_first_month(p)
    sheet = queries.period_sheet(p.periods[0])
    by_name = {r.unit.name: r for r in sheet.rows}
    steel = by_name["济南钢铁集团有限公司工会"]
    assert (steel.evaluators, steel.means["progress"], steel.score, steel.place) == (2, D("85.00"), D("85.00"), 2)
    assert by_name["张伟"].vetoed and by_name["张伟"].score == D("0.00")
    assert sheet.rows[0].unit.name == "轨道交通项目部"
    assert not sheet.blocking and not sheet.not_evaluated


# ---------------------------------------------------------------------------------------------
# The year, the awards and the fund


def test_the_year_ranks_the_units_by_the_mean_or_the_sum_of_their_periods(sd, p):
    evaluate_first_month(p)
    services.close_period(actor=sd.jinan_cadre, period=p.periods[0])
    evaluate_second_month(p)
    services.close_period(actor=sd.jinan_cadre, period=p.periods[1])
    table = queries.year_table(p.competition)
    got = [(r.unit.name, r.year_score, r.rank, r.periods_scored) for r in table.rows]
    assert got == [("济南钢铁集团有限公司工会", D("87.50"), 1, 2), ("炼钢一班", D("85.00"), 2, 1),
                   ("轨道交通项目部", D("82.75"), 3, 2), ("张伟", D("35.00"), 4, 2)]
    assert len(table.periods) == 12 and len(table.closed_periods) == 2
    steel = table.rows[0]
    assert [(c.score, c.place) for c in steel.cells[:2]] == [(D("85.00"), 2), (D("90.00"), 1)]
    assert steel.cells[2:] == [None] * 10
    by_sum = queries.year_table(p.competition, "sum")
    assert [(r.unit.name, r.year_score, r.rank) for r in by_sum.rows] == [
        ("济南钢铁集团有限公司工会", D("175.00"), 1), ("轨道交通项目部", D("165.50"), 2),
        ("炼钢一班", D("85.00"), 3), ("张伟", D("70.00"), 4)]
    with pytest.raises(DomainError, match="Unknown method"):
        queries.year_table(p.competition, "median")


def test_merits_go_to_individuals_and_advanced_collective_to_collectives(sd, p):
    evaluate_first_month(p)
    services.close_period(actor=sd.jinan_cadre, period=p.periods[0])
    evaluate_second_month(p)
    services.close_period(actor=sd.jinan_cadre, period=p.periods[1])
    table = queries.year_table(p.competition)
    awards = {r.unit.name: (r.award, r.category_place) for r in table.rows}
    # Individuals (the team, the named person) ranked apart: 一等功 for the first, 二等功 up to place 3.
    assert awards["炼钢一班"] == (rules.FIRST_CLASS, 1)
    assert awards["张伟"] == (rules.SECOND_CLASS, 2)
    # Two collectives: 20 % of 2 is no place, so no 先进集体.
    assert awards["济南钢铁集团有限公司工会"] == ("", 1) and awards["轨道交通项目部"] == ("", 2)
    assert [r.unit.name for r in table.awarded(individual=True)] == ["炼钢一班", "张伟"]
    assert table.awarded(individual=False) == []


def test_the_top_fifth_of_the_collectives_are_advanced_collectives(sd):
    c = services.create_labour_competition(actor=sd.jinan_cadre, organiser=sd.jinan, name="项目部竞赛", year=2026)
    units = [services.add_unit(actor=sd.jinan_cadre, competition=c,
                               org=of.org(sd.steel, f"第{i}项目部", OrgKind.DEPARTMENT)) for i in range(10)]
    [jan, *_rest] = services.open_periods(actor=sd.jinan_cadre, competition=c, kind=PeriodKind.QUARTER)
    a = account("evaluator_c")
    services.appoint_evaluator(actor=sd.jinan_cadre, competition=c, user=a)
    for i, unit in enumerate(units):
        grid(a, jan, unit, 90 - i)
    services.close_period(actor=sd.jinan_cadre, period=jan)
    table = queries.year_table(c)
    assert [(r.unit.name, r.award_name) for r in table.awarded(individual=False)] == [
        ("第0项目部", "Advanced collective"), ("第1项目部", "Advanced collective")]


def test_the_fund_is_split_by_year_score_and_adds_up_exactly(sd, p):
    evaluate_first_month(p)
    services.close_period(actor=sd.jinan_cadre, period=p.periods[0])
    evaluate_second_month(p)
    services.close_period(actor=sd.jinan_cadre, period=p.periods[1])
    services.set_fund(actor=sd.jinan_cadre, competition=p.competition, amount=D("10000.01"))
    p.competition.refresh_from_db()
    table = queries.year_table(p.competition)
    assert table.split_total == D("10000.01") and not table.split_error
    scores = {r.unit.pk: r.year_score for r in table.rows}
    assert {line.unit.pk: line.calc.amount for line in table.split} == rules.split_fund(D("10000.01"), scores)
    steel = table.split[0]
    assert steel.unit == p.steel and steel.calc.share_percent == D("30.15")  # 87.5 / 290.25
    assert steel.calc.raw_amount == D("3014.6456")  # 1,000,001 fen × 87.5 ÷ 290.25
    assert table.score_total == D("290.25")
    assert table.extra_fen == sum(1 for line in table.split if line.calc.extra_fen) >= 1


def test_the_fen_left_over_go_to_the_largest_remainders(sd, p):
    services.set_fund(actor=sd.jinan_cadre, competition=p.competition, amount=D("100"))
    jan = p.periods[0]
    for unit in (p.steel, p.workshop, p.team):
        grid(p.a, jan, unit, 80)
    services.close_period(actor=sd.jinan_cadre, period=jan)
    p.competition.refresh_from_db()
    table = queries.year_table(p.competition)
    amounts = {line.unit.pk: (line.calc.amount, line.calc.extra_fen) for line in table.split}
    first = min(amounts)  # equal remainders: the smaller key gets the fen
    assert amounts[first] == (D("33.34"), True)
    assert sorted(a for a, _extra in amounts.values()) == [D("33.33"), D("33.33"), D("33.34")]
    assert table.split_total == D("100.00")


def test_no_split_before_any_period_is_closed_and_none_when_every_score_is_zero(sd, p):
    assert queries.year_table(p.competition).split == []
    grid(p.a, p.periods[0], p.steel, {"safety": None}, veto=True)
    services.close_period(actor=sd.jinan_cadre, period=p.periods[0])
    table = queries.year_table(p.competition)
    assert table.split == [] and "cannot be split" in table.split_error


@pytest.mark.parametrize(("amount", "message"), [("-1", "cannot be negative"), ("10.001", "whole number of fen"),
                                                 ("abc", "amount in yuan")])
def test_a_bad_fund_is_refused(sd, p, amount, message):
    with pytest.raises(DomainError, match=message):
        services.set_fund(actor=sd.jinan_cadre, competition=p.competition, amount=amount)
    p.competition.refresh_from_db()
    assert p.competition.fund_amount == D("10000.00")


def test_a_finished_competition_can_no_longer_be_changed(sd, p):
    Competition.objects.filter(pk=p.competition.pk).update(state=CompetitionState.FINISHED)
    with pytest.raises(DomainError, match="finished"):
        services.add_unit(actor=sd.jinan_cadre, competition=p.competition, name="迟到单位")
    with pytest.raises(DomainError, match="finished"):
        services.set_fund(actor=sd.jinan_cadre, competition=p.competition, amount=D("1"))


def test_the_organisers_subtree_includes_industry_affiliates(sd):
    c = services.create_labour_competition(actor=sd.industry_cadre, organiser=sd.metallurgy, name="冶金行业劳动竞赛",
                                           year=2026)
    assert c.level == Level.PROVINCE
    unit = services.add_unit(actor=sd.industry_cadre, competition=c, org=sd.team)
    assert unit.org == sd.team
    with pytest.raises(DomainError, match="is outside"):
        services.add_unit(actor=sd.industry_cadre, competition=c, org=sd.qd_enterprise)
    assert Org.objects.filter(pk=sd.team.pk).exists()
