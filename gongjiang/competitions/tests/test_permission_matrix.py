"""The competitions permission matrix (DESIGN §4.7, the style of orgs/tests/test_scopes.py): every verb of
`competitions.services` — every public function of its modules, found by inspecting them —
is tried by an anonymous visitor, a cadre of another city, a viewer of the right subtree and a worker (and, for
the judges' and the chief judge's verbs, a judge of another round and a judge of the same panel), on realistic
objects of the factory province in the state where the right actor succeeds. Each must be refused with
`PermissionDeniedError` (the competitions services' convention: none answers "not found") and change nothing:
no row of any competitions table, no audit event, no notification, no login attempt.

A second test proves every builder: the right actor succeeds from the same state and changes something. A third
fails when a verb is added without its row, or a row outlives its verb.

The state is built once per verb and only as far as the verb needs it (`World`: registration costs a season,
marking a panel and three draws, finalising the whole pipeline), in a transaction rolled back after that verb's
tests; each test runs in a savepoint of its own (`built`)."""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from gongjiang.competitions import services
from gongjiang.competitions.choices import (
    AmendmentKind,
    CompetitionState,
    EntrySource,
    EntryStatus,
    JudgeRole,
    Level,
    PeriodKind,
)
from gongjiang.competitions.models import (
    Appeal,
    Certificate,
    CompetingUnit,
    Entry,
    Evaluator,
    Judge,
    Period,
    Promotion,
    Round,
    Sheet,
    Team,
)
from gongjiang.competitions.tests.factories import (
    FULL_MARKS,
    SCHEME,
    WITNESSES,
    Season,
    end_notice,
    judge,
    panel,
    season,
    to_marking,
    worker,
)
from gongjiang.competitions.tests.test_labour import Project, grid, indicators, project
from gongjiang.competitions.tests.test_services import lock_all, mark_all
from gongjiang.core.errors import PermissionDeniedError
from gongjiang.orgs.models import Person, User

PASSWORD = "Gongjiang-2026"
D = Decimal

# ---------------------------------------------------------------------------------------------
# What "nothing changed" means


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row and column of every table of competitions and of the apps its verbs write to (core: audit
    events, notifications, public notices, certificates; orgs: people's grades, login attempts…), read with plain
    SQL (twice per test: the ORM would spend more time compiling the queries than running them). A model or column
    added later is covered without editing this file."""
    quote = connection.ops.quote_name
    tables = set(connection.introspection.table_names())  # a model whose migration is still being written waits
    found = {}
    with connection.cursor() as cursor:
        for app in ("competitions", "core", "orgs"):
            for model in apps.get_app_config(app).get_models(include_auto_created=True):
                meta = model._meta
                if meta.proxy or meta.db_table not in tables:
                    continue
                cursor.execute(f"SELECT * FROM {quote(meta.db_table)} ORDER BY {quote(meta.pk.column)}")
                found[meta.label] = cursor.fetchall()
    return found


# ---------------------------------------------------------------------------------------------
# The world: the factory province with what a verb needs, built on demand

# The Jinan round of the city qualifier, from registration to its final results, one step after the other.
STAGES = ("registration", "checkin", "checked_in", "stations", "codes", "marking", "signed", "locked", "decrypted",
          "publicity", "closing", "final")


class World:
    """The factory province (`sd`) and, built when first asked for, the provincial season (`season()`), the
    Jinan round brought to a stage through the services, a team event, a provincial final with a proposed
    promotion, judges and a Jinan labour competition (`test_labour.project`). The Jinan round holds two entries:
    the worker persona's own (李强, registered by himself) and a colleague's (registered by their unit)."""

    def __init__(self, sd: Any) -> None:
        self.sd = sd
        self.reached = -1

    # -- personas ------------------------------------------------------------------------------

    def actor(self, persona: str) -> Any:
        if persona == "anonymous":
            return AnonymousUser()
        found = {
            "chief": lambda: self.panel["chief"].user,
            "sheet_judge": lambda: self.sheet.judge.judge.user,
            "fellow_judge": lambda: self.fellow_judge,
            "judge_of_another_round": lambda: self.judge_of_another_round,
            "pool_judge": lambda: self.jinan_judge.user,
            "evaluator": lambda: self.project.a,
        }.get(persona)
        return found() if found else getattr(self.sd, persona)

    @cached_property
    def judge_of_another_round(self) -> User:
        """The chief judge of the Qingdao round: a judge, but of no sheet, entry or decision in Jinan."""
        j = judge(self.sd, "qingdao_chief", self.sd.metallurgy, name="青岛裁判长")
        services.assign_judge(actor=self.sd.province_admin, rnd=self.s.qingdao_round, judge=j, role=JudgeRole.CHIEF)
        return j.user

    @property
    def fellow_judge(self) -> User:
        """Another judge of the Jinan panel than the sheet's (with sheets of their own for the same entry)."""
        self.jinan("checkin")
        return self.panel["judges"][-1].user

    # -- the season and its Jinan round --------------------------------------------------------

    @cached_property
    def s(self) -> Season:
        return season(self.sd, theory_weight=0, practical_weight=100)

    def newcomer(self, name: str = "济钢新人") -> Person:
        """A worker of the Jinan steelworks with no entry yet (the worker persona's colleague)."""
        return worker(self.sd.workshop, name)

    def jinan(self, stage: str) -> Round:
        """The Jinan round, brought to `stage` (and fetched afresh)."""
        target = STAGES.index(stage)
        while self.reached < target:
            self.reached += 1
            getattr(self, f"_to_{STAGES[self.reached]}")()
        return Round.objects.get(pk=self.s.jinan_round.pk)

    def _to_registration(self) -> None:
        sd, rnd = self.sd, self.s.jinan_round
        self.own_entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=rnd)
        self.entry = services.register(actor=sd.enterprise_cadre, person=self.newcomer("济钢同事"), rnd=rnd)

    def _to_checkin(self) -> None:
        self.panel = panel(self.sd, self.s.jinan_round, judges=3)
        services.draw_contestant_numbers(actor=self.sd.jinan_cadre, rnd=self.s.jinan_round, witnesses=WITNESSES)

    def _to_checked_in(self) -> None:
        for e in Entry.objects.filter(round=self.s.jinan_round, status=EntryStatus.REGISTERED):
            services.check_in(actor=self.sd.jinan_cadre, entry=e)

    def _to_stations(self) -> None:
        services.draw_stations(actor=self.sd.jinan_cadre, rnd=self.s.jinan_round, witnesses=WITNESSES)

    def _to_codes(self) -> None:
        services.draw_codes(actor=self.sd.jinan_cadre, rnd=self.s.jinan_round, witnesses=WITNESSES)

    def _to_marking(self) -> None:
        services.open_marking(actor=self.sd.jinan_cadre, rnd=self.s.jinan_round)

    def _to_signed(self) -> None:
        mark_all(self.s.jinan_round)

    def _to_locked(self) -> None:
        lock_all(self.s.jinan_round, self.panel["chief"])

    def _to_decrypted(self) -> None:
        services.decrypt(actor=self.panel["chief"].user, rnd=self.s.jinan_round,
                         supervisor_username=self.panel["supervisor"].user.username, supervisor_password=PASSWORD)

    def _to_publicity(self) -> None:
        services.publish_results(actor=self.sd.jinan_cadre, rnd=self.s.jinan_round,
                                 publicity_until=timezone.localdate())

    def _to_closing(self) -> None:
        """The public notice is over (as if its last day had passed)."""
        end_notice(self.s.jinan_round)

    def _to_final(self) -> None:
        services.finalise_round(actor=self.sd.jinan_cadre, rnd=self.jinan("closing"))

    @property
    def sheet(self) -> Sheet:
        """The first judge's mark sheet of the colleague's entry (the round must be in marking or later; every
        judge of the panel marks every entry)."""
        return Sheet.objects.select_related("judge__judge__user").get(entry=self.entry,
                                                                      judge__judge=self.panel["judges"][0])

    def aspect(self, code: str = "B1.1") -> Any:
        return self.s.event.scheme.aspects.get(code=code)

    @cached_property
    def appeal(self) -> Appeal:
        """The colleague's unit appeals while the results are on public notice."""
        self.jinan("publicity")
        return services.file_appeal(actor=self.sd.enterprise_cadre, entry=self.entry, reason="表面质量评分有误")

    # -- other pieces --------------------------------------------------------------------------

    @cached_property
    def team_round(self) -> Round:
        """The Jinan round of a team event (three members, one of them drawn from the unit's roster)."""
        admin = self.sd.province_admin
        event = services.add_event(actor=admin, competition=self.s.competition, name="数控车团体", is_team=True,
                                   team_size=3, team_drawn=1, members_only=False, theory_weight=0,
                                   practical_weight=100)
        rounds = services.open_rounds(actor=admin, stage=self.s.qualifier, events=[event])
        return next(r for r in rounds if r.organiser_id == self.sd.jinan.pk)

    def members(self) -> list[Person]:
        return [self.newcomer("队员甲"), self.newcomer("队员乙")]

    @cached_property
    def team(self) -> Team:
        return services.form_team(actor=self.sd.enterprise_cadre, rnd=self.team_round, unit=self.sd.steel,
                                  members=self.members())

    @cached_property
    def jinan_judge(self) -> Judge:
        """A judge of the Jinan federation's own pool."""
        account = User.objects.create_user("jinan_judge", password=PASSWORD, full_name="济南裁判")
        return services.add_judge(actor=self.sd.jinan_cadre, pool=self.sd.jinan, user=account, unit=self.sd.lixia,
                                  name="济南裁判")

    @cached_property
    def promotion(self) -> Promotion:
        """The provincial final (a stage of the competition's own level) run to its end: its winner's grade
        promotion is proposed, awaiting the organiser's (the province's) decision."""
        sd, rnd = self.sd, self.s.final_round
        Entry.objects.create(round=rnd, person=self.newcomer("决赛选手"), unit=sd.steel, status=EntryStatus.REGISTERED,
                             source=EntrySource.ADVANCED)  # as advancement would
        found = to_marking(sd, rnd)
        mark_all(rnd)
        lock_all(rnd, found["chief"])
        services.decrypt(actor=found["chief"].user, rnd=rnd, supervisor_username=found["supervisor"].user.username,
                         supervisor_password=PASSWORD)
        services.publish_results(actor=sd.province_admin, rnd=rnd, publicity_until=timezone.localdate())
        end_notice(rnd)
        services.finalise_round(actor=sd.province_admin, rnd=rnd)
        return Promotion.objects.get(entry__round=rnd)

    @cached_property
    def project(self) -> Project:
        """济南市重点工程劳动竞赛: four competing units, monthly periods, two evaluators (`a`, `b`)."""
        return project(self.sd)

    def evaluated_january(self) -> Period:
        """January, with the steelworks evaluated on every indicator (ready to close)."""
        p = self.project
        grid(p.a, p.periods[0], p.steel, 90)
        return p.periods[0]


# ---------------------------------------------------------------------------------------------
# The verbs: for each, a builder that puts the world in the state where `right` succeeds and returns the call


@dataclass(frozen=True)
class Row:
    """One row of the matrix: `build` puts the world in the state where `right` succeeds and returns the call."""

    build: Callable[[World], Callable[[Any], Any]]
    right: str                # the persona who succeeds
    judges: bool = False      # also tried by a judge of another round and a judge of the same panel


VERBS: dict[str, Row] = {}
# Self-service: what the personas of the matrix legitimately do on their own objects (the matrix gives them a
# colleague's): each is a positive case only.
SELF_SERVICE: dict[str, Row] = {}


def verb(name: str, right: str, *, judges: bool = False,
         table: dict[str, Row] = VERBS) -> Callable[[Callable[[World], Callable[[Any], Any]]], Any]:
    """Register the builder of `name` ("module.function", or "module.function:variant" for a second way of
    calling the same verb)."""
    def register(build: Callable[[World], Callable[[Any], Any]]) -> Callable[[World], Callable[[Any], Any]]:
        assert name not in table, name
        table[name] = Row(build, right, judges)
        return build
    return register


# -- structure (the provincial season is organised by the province: a city's cadre is as far outside it as the
# -- Qingdao cadre is from Jinan's objects below; a new competition is organised by Jinan) ---------------------


@verb("structure.create_competition", "jinan_cadre")
def _create_competition(w: World) -> Callable[[Any], Any]:
    return lambda a: services.create_competition(actor=a, organiser=w.sd.jinan, name="济南市职工技能大赛", year=2026,
                                                 level=Level.CITY)


@verb("structure.update_competition", "province_admin")
def _update_competition(w: World) -> Callable[[Any], Any]:
    competition = w.s.competition
    return lambda a: services.update_competition(actor=a, competition=competition, name="山东省第十一届职工技能大赛")


@verb("structure.change_state", "province_admin")
def _change_state(w: World) -> Callable[[Any], Any]:
    competition = w.s.competition
    return lambda a: services.change_state(actor=a, competition=competition, state=CompetitionState.CLOSED)


@verb("structure.add_stage", "province_admin")
def _add_stage(w: World) -> Callable[[Any], Any]:
    competition = w.s.competition
    return lambda a: services.add_stage(actor=a, competition=competition, name="全国总决赛选拔", level=Level.PROVINCE)


@verb("structure.add_event", "province_admin")
def _add_event(w: World) -> Callable[[Any], Any]:
    competition = w.s.competition
    return lambda a: services.add_event(actor=a, competition=competition, name="钳工", members_only=False)


@verb("structure.update_event", "province_admin")
def _update_event(w: World) -> Callable[[Any], Any]:
    event = w.s.event
    return lambda a: services.update_event(actor=a, event=event, capacity=30)


@verb("structure.set_scheme", "province_admin")
def _set_scheme(w: World) -> Callable[[Any], Any]:
    event = w.s.event
    return lambda a: services.set_scheme(actor=a, event=event, aspects=SCHEME, expected_total=D(100))


@verb("structure.update_scheme_settings", "province_admin")
def _update_scheme_settings(w: World) -> Callable[[Any], Any]:
    event = w.s.event
    return lambda a: services.update_scheme_settings(
        actor=a, event=event, expected_total=D(100), judgement_method="mean", trim=0, rounding_mode="half_up",
        rounding_places=1, rounding_level="aspect", judges_per_entry=3)


@verb("structure.open_rounds", "province_admin")
def _open_rounds(w: World) -> Callable[[Any], Any]:
    event = services.add_event(actor=w.sd.province_admin, competition=w.s.competition, name="焊工",
                               members_only=False)
    return lambda a: services.open_rounds(actor=a, stage=w.s.qualifier, events=[event])


@verb("structure.set_round_details", "jinan_cadre")
def _set_round_details(w: World) -> Callable[[Any], Any]:
    rnd = w.s.jinan_round
    return lambda a: services.set_round_details(actor=a, rnd=rnd, venue="济南市技师学院")


# -- registration (the Jinan round; the unit registers its people) ----------------------------------


@verb("registration.register", "enterprise_cadre")
def _register(w: World) -> Callable[[Any], Any]:
    person, rnd = w.newcomer(), w.s.jinan_round
    return lambda a: services.register(actor=a, person=person, rnd=rnd)


@verb("registration.register:self", "worker", table=SELF_SERVICE)
def _register_self(w: World) -> Callable[[Any], Any]:
    rnd = w.s.jinan_round
    return lambda a: services.register(actor=a, person=w.sd.worker_person, rnd=rnd)


def pending(w: World) -> Entry:
    """A registration awaiting the organiser's approval."""
    services.update_event(actor=w.sd.province_admin, event=w.s.event, requires_approval=True)
    entry = services.register(actor=w.sd.enterprise_cadre, person=w.newcomer(), rnd=w.s.jinan_round)
    assert entry.status == EntryStatus.PENDING
    return entry


@verb("registration.approve_entry", "jinan_cadre")
def _approve_entry(w: World) -> Callable[[Any], Any]:
    entry = pending(w)
    return lambda a: services.approve_entry(actor=a, entry=entry)


@verb("registration.refuse_entry", "jinan_cadre")
def _refuse_entry(w: World) -> Callable[[Any], Any]:
    entry = pending(w)
    return lambda a: services.refuse_entry(actor=a, entry=entry, reason="名额已满")


@verb("registration.withdraw_entry", "enterprise_cadre")
def _withdraw_entry(w: World) -> Callable[[Any], Any]:
    w.jinan("registration")
    return lambda a: services.withdraw_entry(actor=a, entry=w.entry, reason="工作安排")


@verb("registration.withdraw_entry:self", "worker", table=SELF_SERVICE)
def _withdraw_own_entry(w: World) -> Callable[[Any], Any]:
    w.jinan("registration")
    return lambda a: services.withdraw_entry(actor=a, entry=w.own_entry, reason="身体原因")


@verb("registration.form_team", "enterprise_cadre")
def _form_team(w: World) -> Callable[[Any], Any]:
    rnd, members = w.team_round, w.members()
    return lambda a: services.form_team(actor=a, rnd=rnd, unit=w.sd.steel, members=members, name="济钢队")


@verb("registration.register_bulk", "enterprise_cadre")
def _register_bulk(w: World) -> Callable[[Any], Any]:
    items = [(w.newcomer("济钢甲"), w.s.event, ""), (w.newcomer("济钢乙"), w.s.event, "单位推荐")]
    competition = w.s.competition
    return lambda a: services.register_bulk(actor=a, competition=competition, items=items)


# -- draws (the Jinan round's organiser) ------------------------------------------------------------


@verb("draws.draw_contestant_numbers", "jinan_cadre")
def _draw_contestant_numbers(w: World) -> Callable[[Any], Any]:
    rnd = w.jinan("registration")
    return lambda a: services.draw_contestant_numbers(actor=a, rnd=rnd, witnesses=WITNESSES)


@verb("draws.check_in", "jinan_cadre")
def _check_in(w: World) -> Callable[[Any], Any]:
    w.jinan("checkin")
    return lambda a: services.check_in(actor=a, entry=w.entry)


@verb("draws.draw_stations", "jinan_cadre")
def _draw_stations(w: World) -> Callable[[Any], Any]:
    rnd = w.jinan("checked_in")
    return lambda a: services.draw_stations(actor=a, rnd=rnd, witnesses=WITNESSES)


@verb("draws.draw_codes", "jinan_cadre")
def _draw_codes(w: World) -> Callable[[Any], Any]:
    rnd = w.jinan("stations")
    return lambda a: services.draw_codes(actor=a, rnd=rnd, witnesses=WITNESSES)


@verb("draws.draw_team_members", "jinan_cadre")
def _draw_team_members(w: World) -> Callable[[Any], Any]:
    team = w.team
    return lambda a: services.draw_team_members(actor=a, team=team, witnesses=WITNESSES)


# -- judging: the pool, the panel, the marks --------------------------------------------------------


@verb("judging.add_judge", "jinan_cadre")
def _add_judge(w: World) -> Callable[[Any], Any]:
    account = User.objects.create_user("new_judge", password=PASSWORD, full_name="新裁判")
    return lambda a: services.add_judge(actor=a, pool=w.sd.jinan, user=account, unit=w.sd.lixia, name="新裁判")


@verb("judging.enlist_judge", "jinan_cadre")
def _enlist_judge(w: World) -> Callable[[Any], Any]:
    rnd = w.s.jinan_round
    return lambda a: services.enlist_judge(actor=a, rnd=rnd, pool=w.sd.jinan, unit=w.sd.lixia, name="新裁判",
                                           username="new_judge", new_account=True, role=JudgeRole.JUDGE)


@verb("judging.assign_judge", "jinan_cadre")
def _assign_judge(w: World) -> Callable[[Any], Any]:
    j, rnd = w.jinan_judge, w.s.jinan_round
    return lambda a: services.assign_judge(actor=a, rnd=rnd, judge=j)


@verb("judging.declare_conflict", "jinan_cadre", judges=True)
def _declare_conflict(w: World) -> Callable[[Any], Any]:
    j, person = w.jinan_judge, w.newcomer("裁判的亲属")
    return lambda a: services.declare_conflict(actor=a, judge=j, reason="近亲属", person=person)


@verb("judging.declare_conflict:self", "pool_judge", table=SELF_SERVICE)
def _declare_own_conflict(w: World) -> Callable[[Any], Any]:
    return _declare_conflict(w)


@verb("judging.open_marking", "jinan_cadre")
def _open_marking(w: World) -> Callable[[Any], Any]:
    rnd = w.jinan("codes")
    return lambda a: services.open_marking(actor=a, rnd=rnd)


@verb("judging.save_mark", "sheet_judge", judges=True)
def _save_mark(w: World) -> Callable[[Any], Any]:
    w.jinan("marking")
    sheet, aspect = w.sheet, w.aspect()
    return lambda a: services.save_mark(actor=a, sheet_id=sheet.pk, aspect_id=aspect.pk, data={"mark": "27.5"})


@verb("judging.sign_sheet", "sheet_judge", judges=True)
def _sign_sheet(w: World) -> Callable[[Any], Any]:
    w.jinan("marking")
    sheet = w.sheet
    for aspect in w.s.event.scheme.aspects.all():
        services.save_mark(actor=sheet.judge.judge.user, sheet_id=sheet.pk, aspect_id=aspect.pk,
                           data=FULL_MARKS[aspect.code])
    return lambda a: services.sign_sheet(actor=a, sheet_id=sheet.pk)


# -- chief: the chief judge's side (the organiser only for a change on appeal) ---------------------


@verb("chief.return_sheet", "chief", judges=True)
def _return_sheet(w: World) -> Callable[[Any], Any]:
    w.jinan("signed")
    sheet = w.sheet
    return lambda a: services.return_sheet(actor=a, sheet_id=sheet.pk, reason="复核测量")


@verb("chief.lock_entry", "chief", judges=True)
def _lock_entry(w: World) -> Callable[[Any], Any]:
    w.jinan("signed")
    return lambda a: services.lock_entry(actor=a, entry=w.entry)


@verb("chief.lock_entries", "chief", judges=True)
def _lock_entries(w: World) -> Callable[[Any], Any]:
    rnd = w.jinan("signed")
    code = Entry.objects.get(pk=w.entry.pk).code  # drawn after the entry was made
    return lambda a: services.lock_entries(actor=a, rnd=rnd, codes=[code])


@verb("chief.decrypt", "chief", judges=True)
def _decrypt(w: World) -> Callable[[Any], Any]:
    rnd = w.jinan("locked")
    supervisor = w.panel["supervisor"].user.username
    return lambda a: services.decrypt(actor=a, rnd=rnd, supervisor_username=supervisor, supervisor_password=PASSWORD)


@verb("chief.amend_mark", "chief", judges=True)
def _amend_mark(w: World) -> Callable[[Any], Any]:
    w.jinan("locked")
    sheet, aspect = w.sheet, w.aspect()
    return lambda a: services.amend_mark(actor=a, sheet_id=sheet.pk, aspect_id=aspect.pk, data={"mark": "25"},
                                         reason="复核：表面有划痕")


@verb("chief.amend_mark:appeal", "jinan_cadre", judges=True)
def _amend_mark_on_appeal(w: World) -> Callable[[Any], Any]:
    appeal, sheet, aspect = w.appeal, w.sheet, w.aspect()
    return lambda a: services.amend_mark(actor=a, sheet_id=sheet.pk, aspect_id=aspect.pk, data={"mark": "29"},
                                         reason="仲裁决定", kind=AmendmentKind.APPEAL, appeal=appeal)


# -- results -----------------------------------------------------------------------------------------


@verb("results.set_theory_scores", "jinan_cadre")
def _set_theory_scores(w: World) -> Callable[[Any], Any]:
    rnd = w.jinan("registration")
    return lambda a: services.set_theory_scores(actor=a, rnd=rnd, scores={w.entry.pk: D("86.5")}, note="理论考试")


@verb("results.draw_recheck", "chief", judges=True)
def _draw_recheck(w: World) -> Callable[[Any], Any]:
    rnd = w.jinan("locked")
    return lambda a: services.draw_recheck(actor=a, rnd=rnd, witnesses=WITNESSES)


@verb("results.publish_results", "jinan_cadre")
def _publish_results(w: World) -> Callable[[Any], Any]:
    rnd = w.jinan("decrypted")
    return lambda a: services.publish_results(actor=a, rnd=rnd,
                                              publicity_until=timezone.localdate() + datetime.timedelta(days=7))


@verb("results.file_appeal", "enterprise_cadre")
def _file_appeal(w: World) -> Callable[[Any], Any]:
    w.jinan("publicity")
    return lambda a: services.file_appeal(actor=a, entry=w.entry, reason="表面质量评分有误")


@verb("results.file_appeal:self", "worker", table=SELF_SERVICE)
def _file_own_appeal(w: World) -> Callable[[Any], Any]:
    w.jinan("publicity")
    return lambda a: services.file_appeal(actor=a, entry=w.own_entry, reason="工艺评分偏低")


@verb("results.decide_appeal", "jinan_cadre")
def _decide_appeal(w: World) -> Callable[[Any], Any]:
    appeal = w.appeal
    return lambda a: services.decide_appeal(actor=a, appeal=appeal, upheld=False, decision="经复议，维持原成绩")


# -- awards ------------------------------------------------------------------------------------------


@verb("awards.finalise_round", "jinan_cadre")
def _finalise_round(w: World) -> Callable[[Any], Any]:
    rnd = w.jinan("closing")
    return lambda a: services.finalise_round(actor=a, rnd=rnd)


@verb("awards.revoke_certificate", "jinan_cadre")
def _revoke_certificate(w: World) -> Callable[[Any], Any]:
    w.jinan("final")
    certificate = Certificate.objects.get(entry=w.entry)
    return lambda a: services.revoke_certificate(actor=a, certificate=certificate, reason="成绩作废")


@verb("awards.decide_promotion", "province_admin")
def _decide_promotion(w: World) -> Callable[[Any], Any]:
    promotion = w.promotion
    return lambda a: services.decide_promotion(actor=a, promotion=promotion, approve=True)


# -- labour competitions (organised by the Jinan federation) -----------------------------------------


@verb("labour.create_labour_competition", "jinan_cadre")
def _create_labour_competition(w: World) -> Callable[[Any], Any]:
    return lambda a: services.create_labour_competition(actor=a, organiser=w.sd.jinan, name="济南市节能减排劳动竞赛",
                                                        year=2026)


@verb("labour.set_indicators", "jinan_cadre")
def _set_indicators(w: World) -> Callable[[Any], Any]:
    rows = [{"code": "progress", "name": "进度", "weight": 60}, {"code": "safety", "name": "安全", "weight": 40,
                                                              "is_safety": True}]
    competition = w.project.competition
    return lambda a: services.set_indicators(actor=a, competition=competition, indicators=rows)


@verb("labour.set_fund", "jinan_cadre")
def _set_fund(w: World) -> Callable[[Any], Any]:
    competition = w.project.competition
    return lambda a: services.set_fund(actor=a, competition=competition, amount=D("20000.00"))


@verb("labour.add_unit", "jinan_cadre")
def _add_unit(w: World) -> Callable[[Any], Any]:
    competition = w.project.competition
    return lambda a: services.add_unit(actor=a, competition=competition, name="济南地铁项目部")


@verb("labour.remove_unit", "jinan_cadre")
def _remove_unit(w: World) -> Callable[[Any], Any]:
    pk = w.project.person.pk  # fetched at each call: a successful removal deletes the instance it is given
    return lambda a: services.remove_unit(actor=a, unit=CompetingUnit.objects.get(pk=pk))


@verb("labour.open_periods", "jinan_cadre")
def _open_periods(w: World) -> Callable[[Any], Any]:
    c = services.create_labour_competition(actor=w.sd.jinan_cadre, organiser=w.sd.jinan, name="季度竞赛", year=2026)
    return lambda a: services.open_periods(actor=a, competition=c, kind=PeriodKind.QUARTER)


@verb("labour.appoint_evaluator", "jinan_cadre")
def _appoint_evaluator(w: World) -> Callable[[Any], Any]:
    account = User.objects.create_user("evaluator_c", password=PASSWORD, full_name="考评员丙")
    competition = w.project.competition
    return lambda a: services.appoint_evaluator(actor=a, competition=competition, user=account)


@verb("labour.withdraw_evaluator", "jinan_cadre")
def _withdraw_evaluator(w: World) -> Callable[[Any], Any]:
    pk = Evaluator.objects.get(competition=w.project.competition, user=w.project.b).pk  # as for remove_unit
    return lambda a: services.withdraw_evaluator(actor=a, evaluator=Evaluator.objects.get(pk=pk))


@verb("evaluation.enter_evaluation", "evaluator")
def _enter_evaluation(w: World) -> Callable[[Any], Any]:
    p = w.project
    progress = indicators(p.competition)["progress"]
    return lambda a: services.enter_evaluation(actor=a, period=p.periods[0], unit=p.steel, indicator=progress,
                                               value=D("88.5"))


@verb("evaluation.enter_evaluations", "evaluator")
def _enter_evaluations(w: World) -> Callable[[Any], Any]:
    p = w.project
    by_code = indicators(p.competition)
    cells = [services.Cell(p.steel.pk, by_code["progress"].pk, D("90")),
             services.Cell(p.team.pk, by_code["safety"].pk, None, veto=True)]
    return lambda a: services.enter_evaluations(actor=a, period=p.periods[0], cells=cells)


@verb("evaluation.close_period", "jinan_cadre")
def _close_period(w: World) -> Callable[[Any], Any]:
    january = w.evaluated_january()
    return lambda a: services.close_period(actor=a, period=january)


# ---------------------------------------------------------------------------------------------
# The matrix

PERSONAS = ("qingdao_cadre", "jinan_viewer", "worker", "anonymous")
JUDGE_PERSONAS = ("judge_of_another_round", "fellow_judge")
ROWS = {**VERBS, **SELF_SERVICE}


def personas(row: Row) -> tuple[str, ...]:
    return PERSONAS + (JUDGE_PERSONAS if row.judges else ())


@dataclass
class Built:
    world: World
    row: Row
    call: Callable[[Any], Any]
    actors: dict[str, Any]


@pytest.fixture(scope="module")
def built(request, django_db_setup, django_db_blocker):
    """The world in the state where the verb's right actor succeeds (`request.param` names the row), with every
    persona's account, built once for all the tests of that verb — pytest runs them one after the other, the
    refusals before the success — inside a transaction rolled back after them. Each test runs in a savepoint of
    its own (pytest-django's `db`), so what one changes never reaches the next."""
    from gongjiang.orgs.tests.factories import build_province

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            world = World(build_province())
            row = ROWS[request.param]
            call = row.build(world)
            actors = {p: world.actor(p) for p in (*personas(row), row.right) if p != "anonymous"}
        yield Built(world, row, call, actors)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def cases() -> list[Any]:
    # `case` is unique to each test, so pytest groups the tests by `built` alone: one build per verb, the refusals
    # first and the right actor's success last.
    return [pytest.param(name, (name, persona), id=f"{name}-{persona}")
            for name, row in sorted(VERBS.items()) for persona in personas(row)]


@pytest.mark.parametrize(("built", "case"), cases(), indirect=["built"], scope="module")
def test_every_verb_refuses_an_actor_out_of_scope_and_changes_nothing(built, case, db):
    # The objects are a colleague's, never the worker persona's own (李强 registering, withdrawing or appealing for
    # himself is self-service, see SELF_SERVICE), so the worker is refused everywhere: no verb is skipped.
    _verb, persona = case
    actor = AnonymousUser() if persona == "anonymous" else built.actors[persona]
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        built.call(actor)
    assert snapshot() == before


@pytest.mark.parametrize("built", sorted(ROWS), indirect=True)
def test_the_right_actor_succeeds_from_the_same_state(built, db):
    """Proves each builder: the refusals above are about the actor, never about the state."""
    actor = built.actors[built.row.right]
    before = snapshot()
    built.call(actor)
    assert snapshot() != before


def public_verbs() -> set[str]:
    """"module.function" of every public function of competitions.services: every one is a verb
    (tests/test_verb_contract.py), the package's re-exports aside."""
    found = set()
    modules = [services] + [importlib.import_module(f"{services.__name__}.{m.name}")
                            for m in pkgutil.iter_modules(services.__path__)]
    for module in modules:
        short = module.__name__.removeprefix(services.__name__).lstrip(".")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and fn.__module__ == module.__name__:
                found.add(f"{short}.{name}" if short else name)
    return found


def test_the_matrix_has_a_row_for_every_verb_and_none_for_a_verb_that_is_gone():
    verbs = public_verbs()
    rows = {name.split(":")[0] for name in ROWS}
    assert verbs - rows == set(), "a verb without its row in the permission matrix"
    assert rows - verbs == set(), "a row for a verb that no longer exists"
