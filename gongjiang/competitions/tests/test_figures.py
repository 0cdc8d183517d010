"""The competitions' figures in the fact store: after the verbs the store agrees with the source
(`facts.differences(["competitions"]) == {}`), and each figure lands at the right org and day."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongjiang.competitions import figures, labour_figures, services
from gongjiang.competitions.choices import EntrySource, EntryStatus
from gongjiang.competitions.models import Entry, Promotion
from gongjiang.competitions.tests.factories import end_notice, season, to_marking, worker
from gongjiang.competitions.tests.test_labour import evaluate_first_month, project
from gongjiang.competitions.tests.test_services import lock_all, mark_all, register_many
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact, Period


def value(org: Any, key: str, period: str = Period.DAY, start: datetime.date | None = None) -> Decimal:
    start = facts.period_start(period, start or timezone.localdate())
    row = Fact.objects.filter(org=org, metric=key, period=period, start=start).first()
    return row.value if row else Decimal(0)


def agree() -> None:
    assert facts.differences(["competitions"]) == {}


def run_round(sd: Any, rnd: Any) -> None:
    found = to_marking(sd, rnd)
    mark_all(rnd)
    lock_all(rnd, found["chief"])
    services.decrypt(actor=found["chief"].user, rnd=rnd, supervisor_username=found["supervisor"].user.username,
                     supervisor_password="Gongjiang-2026")
    services.publish_results(actor=sd.province_admin, rnd=rnd, publicity_until=timezone.localdate())
    end_notice(rnd)
    rnd.refresh_from_db()
    services.finalise_round(actor=sd.province_admin, rnd=rnd)


def test_registrations_count_at_the_workers_unit_the_day_they_are_accepted_and_leave_when_withdrawn(sd):
    s = season(sd, unit_quota=None, capacity=4)
    register_many(sd, s, n_jinan=4, n_qingdao=2)  # 济钢's union: 4 (李强 and three), Qingdao's port: 2
    agree()
    steel_union = Entry.objects.get(person=sd.worker_person).unit
    assert value(steel_union, figures.PARTICIPANTS) == 4
    assert value(sd.jinan, figures.PARTICIPANTS, Period.YEAR) == 4
    assert value(sd.metallurgy, figures.PARTICIPANTS, Period.MONTH) == 4  # through the industry union too
    assert value(sd.province, figures.PARTICIPANTS, Period.YEAR) == 6
    # the round is full (4): the next waits, then takes the withdrawn one's place
    waiting = services.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, "候补"), rnd=s.jinan_round)
    assert waiting.status == EntryStatus.WAITLISTED and waiting.accepted_on is None
    last = services.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, "后到"), rnd=s.jinan_round)
    assert last.status == EntryStatus.WAITLISTED
    assert value(sd.province, figures.PARTICIPANTS) == 6
    one = Entry.objects.filter(round=s.jinan_round, status=EntryStatus.REGISTERED).exclude(
        person=sd.worker_person).first()
    services.withdraw_entry(actor=sd.enterprise_cadre, entry=one, reason="出差")
    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.REGISTERED and waiting.accepted_on == timezone.localdate()
    assert value(sd.province, figures.PARTICIPANTS) == 6  # one out, one in
    agree()
    # withdrawn again: the last one waiting takes the place; then nobody waits and a withdrawal lowers the count
    services.withdraw_entry(actor=sd.enterprise_cadre, entry=waiting, reason="改期")
    last.refresh_from_db()
    assert last.status == EntryStatus.REGISTERED and value(sd.province, figures.PARTICIPANTS) == 6
    services.withdraw_entry(actor=sd.enterprise_cadre, entry=last, reason="改期")
    assert value(sd.province, figures.PARTICIPANTS) == 5
    assert value(steel_union, figures.PARTICIPANTS) == 3
    agree()
    # the withdrawn row registered again: counted once more, on the day it is accepted again
    services.register(actor=sd.enterprise_cadre, person=last.person, rnd=s.jinan_round)
    assert value(sd.province, figures.PARTICIPANTS) == 6
    agree()


def test_an_approved_registration_counts_when_approved_and_a_pending_one_not(sd):
    s = season(sd, requires_approval=True)
    entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    assert value(sd.province, figures.PARTICIPANTS) == 0
    services.approve_entry(actor=sd.jinan_cadre, entry=entry)
    assert value(sd.jinan, figures.PARTICIPANTS) == 1
    agree()


def test_a_finalised_round_is_held_at_its_organiser_with_its_winners_at_their_units(sd):
    s = season(sd, theory_weight=0, practical_weight=100)
    register_many(sd, s, n_jinan=3, n_qingdao=3)
    run_round(sd, s.jinan_round)
    today = timezone.localdate()
    assert s.jinan_round.__class__.objects.get(pk=s.jinan_round.pk).finalised_on == today
    assert value(sd.jinan, figures.HELD) == 1
    assert value(sd.qingdao, figures.HELD) == 0
    assert value(sd.province, figures.HELD, Period.YEAR) == 1
    assert value(sd.province, figures.TRADE_ROUNDS) == 0  # the event names no trade
    winners = Entry.objects.filter(round=s.jinan_round).exclude(prize="").count()
    assert winners >= 1
    assert value(sd.jinan, figures.PRIZES) == winners
    assert value(sd.qingdao, figures.PRIZES) == 0
    agree()
    run_round(sd, s.qingdao_round)  # both qualifiers final: the best enter the final
    finalists = Entry.objects.filter(round=s.final_round)
    assert finalists.exists() and set(finalists.values_list("source", flat=True)) == {EntrySource.ADVANCED}
    assert value(sd.province, figures.HELD) == 2
    assert value(sd.province, figures.PARTICIPANTS) == 6  # the finalists are the same workers: not again
    agree()


def test_an_approved_promotion_counts_at_the_workers_unit(sd):
    s = season(sd, theory_weight=0, practical_weight=100)
    e = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    Entry.objects.create(round=s.final_round, person=e.person, unit=e.unit, status=EntryStatus.REGISTERED,
                         source=EntrySource.ADVANCED, accepted_on=timezone.localdate())
    run_round(sd, s.final_round)
    assert value(sd.province, figures.PROMOTIONS) == 0  # proposed only
    promotion = Promotion.objects.get(entry__person=sd.worker_person)
    services.decide_promotion(actor=sd.province_admin, promotion=promotion, approve=True)
    assert value(e.unit, figures.PROMOTIONS) == 1
    assert value(sd.jinan, figures.PROMOTIONS, Period.YEAR) == 1
    agree()


def test_labour_competitions_started_and_periods_closed_at_the_organiser(sd):
    p = project(sd)
    assert value(sd.jinan, figures.LABOUR_STARTED) == 1
    assert value(sd.province, figures.LABOUR_STARTED, Period.YEAR) == 1
    assert value(sd.qingdao, figures.LABOUR_STARTED) == 0
    evaluate_first_month(p)
    services.close_period(actor=sd.jinan_cadre, period=p.periods[0])
    january = p.periods[0].ends_on
    assert value(sd.jinan, labour_figures.LABOUR_PERIODS, Period.DAY, january) == 1
    assert value(sd.province, labour_figures.LABOUR_PERIODS, Period.MONTH, january) == 1
    agree()


def test_rebuild_restores_what_the_rows_say(sd):
    s = season(sd)
    register_many(sd, s, n_jinan=2, n_qingdao=1)
    Fact.objects.filter(metric__startswith="competitions.").delete()
    assert facts.differences(["competitions"])
    facts.rebuild(["competitions"])
    agree()
    assert value(sd.province, figures.PARTICIPANTS) == 3


def test_a_bulk_registration_counts_its_new_and_reused_rows_once(sd):
    s = season(sd, unit_quota=None)
    gone = services.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, "退赛者"), rnd=s.jinan_round)
    services.withdraw_entry(actor=sd.enterprise_cadre, entry=gone, reason="出差")
    assert value(sd.province, figures.PARTICIPANTS) == 0
    people = [gone.person, *(worker(sd.workshop, f"批量{i}") for i in range(3))]
    summary = services.register_bulk(actor=sd.enterprise_cadre, competition=s.competition,
                                      items=[(p, s.event, "") for p in people])
    assert summary["registered"] == 4
    assert value(gone.unit, figures.PARTICIPANTS) == 4
    assert value(sd.metallurgy, figures.PARTICIPANTS, Period.YEAR) == 4
    agree()
