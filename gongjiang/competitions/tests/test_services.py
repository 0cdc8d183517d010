"""The competition services as a specification: a whole season, then every refusal of issue 3 §7."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from gongjiang.competitions import queries, services
from gongjiang.competitions.choices import (
    AppealState,
    CompetitionState,
    EntrySource,
    EntryStatus,
    PromotionState,
    RoundState,
    SheetState,
)
from gongjiang.competitions.models import Draw, Entry, Mark, Promotion, Sheet
from gongjiang.competitions.services import draws
from gongjiang.competitions.services.scoring import _rank_round
from gongjiang.competitions.tests.factories import (
    FULL_MARKS,
    WITNESSES,
    assigned,
    end_notice,
    panel,
    season,
    to_marking,
    worker,
)
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.orgs.models import Person, SkillGradeRecord


def register_many(sd: Any, s: Any, n_jinan: int = 4, n_qingdao: int = 3) -> list[Entry]:
    entries = [services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)]
    for i in range(n_jinan - 1):
        p = worker(sd.workshop, f"济钢{i}")
        entries.append(services.register(actor=sd.enterprise_cadre, person=p, rnd=s.jinan_round))
    entries.append(services.register(actor=sd.qingdao_cadre, person=sd.qd_person, rnd=s.qingdao_round))
    for i in range(n_qingdao - 1):
        p = worker(sd.qd_enterprise, f"青港{i}")
        entries.append(services.register(actor=sd.qingdao_cadre, person=p, rnd=s.qingdao_round))
    return entries


def mark_all(rnd: Any, marks_for: Any = None) -> None:
    """Every judge marks every sheet (full marks unless `marks_for(entry)` says otherwise) and signs."""
    for rj in assigned(rnd):
        user = rj.judge.user
        for sheet in Sheet.objects.filter(judge=rj).select_related("entry"):
            marks = marks_for(sheet.entry) if marks_for else FULL_MARKS
            for aspect in rnd.event.scheme.aspects.all():
                services.save_mark(actor=user, sheet_id=sheet.pk, aspect_id=aspect.pk, data=marks[aspect.code])
            services.sign_sheet(actor=user, sheet_id=sheet.pk)


def lock_all(rnd: Any, chief: Any) -> None:
    for e in Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN):
        services.lock_entry(actor=chief.user, entry=e)


def graded(points_by_name: dict[str, str]) -> Any:
    """Marks giving each named contestant a chosen B1.1 mark (everything else full)."""
    def marks(entry: Entry) -> dict[str, Any]:
        return {**FULL_MARKS, "B1.1": {"mark": points_by_name.get(entry.person.name, "30")}}
    return marks


# ---------------------------------------------------------------------------------------------
# A whole season


def test_a_season_from_registration_to_promotion_and_the_final(sd):
    s = season(sd, theory_weight=0, practical_weight=100)
    register_many(sd, s)
    assert Entry.objects.get(person=sd.worker_person).source == EntrySource.SELF
    found = to_marking(sd, s.jinan_round)
    rnd = s.jinan_round
    rnd.refresh_from_db()
    assert rnd.state == RoundState.MARKING
    codes = list(Entry.objects.filter(round=rnd).values_list("code", flat=True))
    assert all(len(c) == 6 for c in codes) and len(set(codes)) == 4
    assert Sheet.objects.filter(round=rnd).count() == 4 * 3  # three judges per entry
    mark_all(rnd, graded({"李强": "28", "济钢0": "25.5", "济钢1": "25.5", "济钢2": "20"}))
    lock_all(rnd, found["chief"])
    rnd.refresh_from_db()
    assert rnd.state == RoundState.LOCKED
    li = Entry.objects.get(round=rnd, person=sd.worker_person)
    assert li.practical == 9800 and li.total == 9800 and li.aspect_marks["B1.1"] == 2800
    services.decrypt(actor=found["chief"].user, rnd=rnd, supervisor_username=found["supervisor"].user.username,
                     supervisor_password="Gongjiang-2026")
    places = dict(Entry.objects.filter(round=rnd).values_list("person__name", "place"))
    assert places == {"李强": 1, "济钢0": 2, "济钢1": 2, "济钢2": 4}
    services.publish_results(actor=sd.province_admin, rnd=rnd, publicity_until=timezone.localdate())
    with pytest.raises(DomainError, match="public notice runs until"):
        services.finalise_round(actor=sd.province_admin, rnd=rnd)
    end_notice(rnd)
    rnd.refresh_from_db()
    figures = services.finalise_round(actor=sd.province_admin, rnd=rnd)
    assert figures["certificates"] >= 1 and figures["advanced"] == 0  # Qingdao's round is not final yet
    # Qingdao's round, then both qualifiers are final: the best two of each advance into the final.
    found_qd = to_marking(sd, s.qingdao_round)
    mark_all(s.qingdao_round)
    lock_all(s.qingdao_round, found_qd["chief"])
    services.decrypt(actor=found_qd["chief"].user, rnd=s.qingdao_round,
                     supervisor_username=found_qd["supervisor"].user.username,
                     supervisor_password="Gongjiang-2026")
    services.publish_results(actor=sd.province_admin, rnd=s.qingdao_round, publicity_until=timezone.localdate())
    end_notice(s.qingdao_round)
    figures = services.finalise_round(actor=sd.province_admin, rnd=s.qingdao_round)
    finalists = Entry.objects.filter(round=s.final_round)
    # Jinan: 李强, then 济钢0 and 济钢1 tied at the cut (ties included); Qingdao: all three tied
    assert set(finalists.values_list("person__name", flat=True)) == {"李强", "济钢0", "济钢1", "王芳", "青港0", "青港1"}
    assert set(finalists.values_list("source", flat=True)) == {EntrySource.ADVANCED}


def test_promotions_are_proposed_in_the_final_and_written_into_the_grade_history_when_approved(sd):
    s = season(sd, theory_weight=0, practical_weight=100)
    entries = [services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)]
    services.update_event(actor=sd.province_admin, event=s.event, unit_quota=None)
    # put the contestants straight into the final round (as advancement would)
    for e in entries:
        Entry.objects.create(round=s.final_round, person=e.person, unit=e.unit, status=EntryStatus.REGISTERED,
                             source=EntrySource.ADVANCED)
    found = to_marking(sd, s.final_round)
    mark_all(s.final_round)
    lock_all(s.final_round, found["chief"])
    services.decrypt(actor=found["chief"].user, rnd=s.final_round,
                     supervisor_username=found["supervisor"].user.username, supervisor_password="Gongjiang-2026")
    services.publish_results(actor=sd.province_admin, rnd=s.final_round, publicity_until=timezone.localdate())
    end_notice(s.final_round)
    services.finalise_round(actor=sd.province_admin, rnd=s.final_round)
    promotion = Promotion.objects.get(entry__person=sd.worker_person)
    assert promotion.proposed_grade == 1  # first place of a provincial class-I final: 高级技师
    services.decide_promotion(actor=sd.province_admin, promotion=promotion, approve=True)
    promotion.refresh_from_db()
    assert promotion.state == PromotionState.APPROVED
    sd.worker_person.refresh_from_db()
    assert sd.worker_person.skill_grade == 1
    assert SkillGradeRecord.objects.filter(person=sd.worker_person, grade=1).exists()


def test_an_upheld_appeal_changes_a_mark_and_the_ranking(sd):
    s = season(sd, theory_weight=0, practical_weight=100)
    register_many(sd, s, n_jinan=3, n_qingdao=1)
    rnd = s.jinan_round
    found = to_marking(sd, rnd)
    mark_all(rnd, graded({"李强": "20", "济钢0": "25", "济钢1": "22"}))
    lock_all(rnd, found["chief"])
    services.decrypt(actor=found["chief"].user, rnd=rnd, supervisor_username=found["supervisor"].user.username,
                     supervisor_password="Gongjiang-2026")
    services.publish_results(actor=sd.province_admin, rnd=rnd, publicity_until=timezone.localdate())
    li = Entry.objects.get(round=rnd, person=sd.worker_person)
    assert li.place == 3
    appeal = services.file_appeal(actor=sd.worker, entry=li, reason="表面质量评分有误")
    services.decide_appeal(actor=sd.province_admin, appeal=appeal, upheld=True, decision="经复议，B1.1 应为 30 分")
    aspect = s.event.scheme.aspects.get(code="B1.1")
    for sheet in Sheet.objects.filter(entry=li):
        services.amend_mark(actor=sd.province_admin, sheet_id=sheet.pk, aspect_id=aspect.pk, data={"mark": "30"},
                            reason="仲裁决定", kind="appeal", appeal=appeal)
    li.refresh_from_db()
    assert li.place == 1 and li.total == 10000
    appeal.refresh_from_db()
    assert appeal.state == AppealState.UPHELD
    assert AuditEvent.objects.filter(verb="competitions.mark.amended_appeal").count() == 3


def test_a_judge_never_marks_a_contestant_of_their_own_unit(sd):
    s = season(sd, theory_weight=0, practical_weight=100)
    register_many(sd, s, n_jinan=2, n_qingdao=2)
    rnd = s.qingdao_round
    panel(sd, rnd, judges=3)
    from gongjiang.competitions.tests.factories import judge as make_judge

    colleague = make_judge(sd, "qd_judge", sd.qd_enterprise, name="港口裁判")
    services.assign_judge(actor=sd.province_admin, rnd=rnd, judge=colleague)
    services.draw_contestant_numbers(actor=sd.province_admin, rnd=rnd, witnesses=WITNESSES)
    for e in Entry.objects.filter(round=rnd):
        services.check_in(actor=sd.province_admin, entry=e)
    services.draw_stations(actor=sd.province_admin, rnd=rnd, witnesses=WITNESSES)
    services.draw_codes(actor=sd.province_admin, rnd=rnd, witnesses=WITNESSES)
    services.open_marking(actor=sd.province_admin, rnd=rnd)
    assert not Sheet.objects.filter(judge__judge=colleague).exists()  # both contestants work at 青岛港
    sheet = Sheet.objects.filter(round=rnd).first()
    aspect = s.event.scheme.aspects.first()
    with pytest.raises(PermissionDeniedError, match="not assigned to you"):
        services.save_mark(actor=colleague.user, sheet_id=sheet.pk, aspect_id=aspect.pk, data={"deviation": "0"})
    assert not Mark.objects.exists()


# ---------------------------------------------------------------------------------------------
# Registration


def test_a_registration_breaking_the_rules_is_refused_with_every_reason_and_nothing_written(sd):
    s = season(sd, max_age=30, front_line_only=True)
    old = worker(sd.qd_enterprise, "老张", birth_date=datetime.date(1960, 1, 1), post="总经理")
    with pytest.raises(DomainError) as refused:
        services.register(actor=sd.qingdao_cadre, person=old, rnd=s.qingdao_round)
    message = refused.value.message
    assert "above the maximum age of 30" in message and "front-line" in message and "leaders" in message
    assert not Entry.objects.exists()
    assert not AuditEvent.objects.filter(verb="competitions.entry.registered").exists()


def test_a_duplicate_registration_is_refused(sd):
    s = season(sd)
    services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    with pytest.raises(DomainError, match="Already registered"):
        services.register(actor=sd.enterprise_cadre, person=sd.worker_person, rnd=s.jinan_round)
    assert Entry.objects.count() == 1


def test_the_unit_quota_refuses_and_a_full_round_puts_on_the_waiting_list_until_a_place_frees(sd):
    s = season(sd, unit_quota=2, capacity=3)
    a, b, c, d = (worker(sd.workshop, f"工{i}") for i in range(4))
    services.register(actor=sd.enterprise_cadre, person=a, rnd=s.jinan_round)
    services.register(actor=sd.enterprise_cadre, person=b, rnd=s.jinan_round)
    with pytest.raises(DomainError, match="quota of 2"):
        services.register(actor=sd.enterprise_cadre, person=c, rnd=s.jinan_round)
    other = worker(sd.steel, "外单位")
    from gongjiang.orgs.tests.factories import org

    elsewhere = org(sd.town, "另一企业工会", "grassroots")
    x, y = worker(elsewhere, "甲"), worker(elsewhere, "乙")
    services.register(actor=sd.county_cadre, person=x, rnd=s.jinan_round)
    waiting = services.register(actor=sd.county_cadre, person=y, rnd=s.jinan_round)
    assert waiting.status == EntryStatus.WAITLISTED
    first = Entry.objects.get(person=a)
    services.withdraw_entry(actor=sd.enterprise_cadre, entry=first, reason="生病")
    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.REGISTERED
    assert other and d


def test_a_worker_registers_only_themself_and_a_cadre_only_their_own_units(sd):
    s = season(sd)
    with pytest.raises(PermissionDeniedError):
        services.register(actor=sd.worker, person=sd.qd_person, rnd=s.qingdao_round)
    with pytest.raises(PermissionDeniedError):
        services.register(actor=sd.jinan_cadre, person=sd.qd_person, rnd=s.qingdao_round)
    with pytest.raises(DomainError, match="outside the area"):
        services.register(actor=sd.worker, person=sd.worker_person, rnd=s.qingdao_round)


def test_registration_is_refused_before_the_competition_opens_it(sd):
    s = season(sd, state=CompetitionState.PREPARING)
    with pytest.raises(DomainError, match="not open"):
        services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)


def test_an_organiser_approves_registrations_when_the_event_requires_it(sd):
    s = season(sd, requires_approval=True)
    entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    assert entry.status == EntryStatus.PENDING
    with pytest.raises(PermissionDeniedError):
        services.approve_entry(actor=sd.qingdao_cadre, entry=entry)
    services.approve_entry(actor=sd.jinan_cadre, entry=entry)  # the Jinan round's own organiser
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REGISTERED


# ---------------------------------------------------------------------------------------------
# Draws


def test_a_second_draw_is_refused_and_every_draw_re_runs_from_its_record(sd):
    s = season(sd)
    register_many(sd, s, n_jinan=3, n_qingdao=1)
    draw = services.draw_contestant_numbers(actor=sd.province_admin, rnd=s.jinan_round, witnesses=WITNESSES)
    assert queries.rerun(draw)
    with pytest.raises(DomainError):
        services.draw_contestant_numbers(actor=sd.province_admin, rnd=s.jinan_round, witnesses=WITNESSES)
    with pytest.raises(DomainError, match="already made"):
        draws._perform(actor=sd.province_admin, competition=s.competition, rnd=s.jinan_round, purpose=draw.purpose,
                       kind="shuffle", items=[1, 2], witnesses=WITNESSES)
    assert Draw.objects.count() == 1
    draw.result[0][1] = "999"  # a tampered record no longer checks out
    assert not queries.rerun(draw)


def test_a_draw_needs_two_witnesses(sd):
    s = season(sd)
    register_many(sd, s, n_jinan=2, n_qingdao=1)
    with pytest.raises(DomainError, match="two witnesses"):
        services.draw_contestant_numbers(actor=sd.province_admin, rnd=s.jinan_round, witnesses=["王某"])
    assert not Draw.objects.exists()


def test_the_code_draw_sees_station_numbers_only(sd):
    s = season(sd)
    register_many(sd, s, n_jinan=3, n_qingdao=1)
    to_marking(sd, s.jinan_round)
    code_draw = Draw.objects.get(purpose__endswith="/ code")
    stations = set(Entry.objects.filter(round=s.jinan_round).values_list("station_no", flat=True))
    assert set(code_draw.inputs) == stations
    names = set(Person.objects.values_list("name", flat=True))
    assert not names & {str(x) for x in code_draw.inputs}


# ---------------------------------------------------------------------------------------------
# Judging refusals (issue 3 §7)


@pytest.fixture
def marking_round(sd):
    s = season(sd, theory_weight=0, practical_weight=100)
    register_many(sd, s, n_jinan=2, n_qingdao=1)
    found = to_marking(sd, s.jinan_round)
    rj = assigned(s.jinan_round)[0]
    sheet = Sheet.objects.filter(judge=rj).first()
    aspects = {a.code: a for a in s.event.scheme.aspects.all()}
    return s, found, rj, sheet, aspects


def test_a_mark_above_the_max_or_off_the_step_is_refused_and_nothing_saved(marking_round):
    _s, _found, rj, sheet, aspects = marking_round
    with pytest.raises(DomainError, match="above its maximum 30"):
        services.save_mark(actor=rj.judge.user, sheet_id=sheet.pk, aspect_id=aspects["B1.1"].pk, data={"mark": "31"})
    with pytest.raises(DomainError, match=r"not a multiple of the step 0\.5"):
        services.save_mark(actor=rj.judge.user, sheet_id=sheet.pk, aspect_id=aspects["B1.1"].pk, data={"mark": "7.3"})
    assert not Mark.objects.exists()
    mark = services.save_mark(actor=rj.judge.user, sheet_id=sheet.pk, aspect_id=aspects["B1.1"].pk,
                              data={"mark": "7.5"})
    assert mark.value == 750
    again = services.save_mark(actor=rj.judge.user, sheet_id=sheet.pk, aspect_id=aspects["B1.1"].pk,
                               data={"mark": "8"})
    assert again.pk == mark.pk and Mark.objects.get().value == 800  # saved over, never duplicated


def test_a_save_of_a_known_aspect_is_one_statement_that_checks_everything_again(marking_round, sd):
    """Once a save has read an aspect, the next saves of it are one guarded statement; a refusal, another judge, a
    signed sheet or settings that changed under it still get exactly the careful path's answer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongjiang.competitions.models import Aspect

    s, _found, rj, sheet, aspects = marking_round
    user, b11 = rj.judge.user, aspects["B1.1"]
    services.save_mark(actor=user, sheet_id=sheet.pk, aspect_id=b11.pk, data={"mark": "7"})  # reads the aspect
    with CaptureQueriesContext(connection) as saved:
        mark = services.save_mark(actor=user, sheet_id=sheet.pk, aspect_id=b11.pk, data={"mark": "7.5"})
    assert len(saved) == 1 and mark.aspect.code == "B1.1" and Mark.objects.get().value == 750
    with pytest.raises(DomainError, match="above its maximum 30"):
        services.save_mark(actor=user, sheet_id=sheet.pk, aspect_id=b11.pk, data={"mark": "31"})
    stranger = panel(sd, s.qingdao_round, judges=1)["judges"][0]
    with pytest.raises(PermissionDeniedError):
        services.save_mark(actor=stranger.user, sheet_id=sheet.pk, aspect_id=b11.pk, data={"mark": "1"})
    Aspect.objects.filter(pk=b11.pk).update(max_mark=500)  # never done by the app: the statement must notice
    with pytest.raises(DomainError, match="above its maximum 5"):
        services.save_mark(actor=user, sheet_id=sheet.pk, aspect_id=b11.pk, data={"mark": "6"})
    services.save_mark(actor=user, sheet_id=sheet.pk, aspect_id=b11.pk, data={"mark": "4"})
    Sheet.objects.filter(pk=sheet.pk).update(state=SheetState.SIGNED)
    with pytest.raises(DomainError, match="You have signed this sheet"):
        services.save_mark(actor=user, sheet_id=sheet.pk, aspect_id=b11.pk, data={"mark": "3"})
    assert Mark.objects.get().value == 400


def test_a_mark_after_the_lock_is_refused(marking_round, sd):
    s, found, rj, sheet, aspects = marking_round
    mark_all(s.jinan_round)
    services.lock_entry(actor=found["chief"].user, entry=sheet.entry)
    with pytest.raises(DomainError, match="locked"):
        services.save_mark(actor=rj.judge.user, sheet_id=sheet.pk, aspect_id=aspects["B1.1"].pk, data={"mark": "1"})
    assert Mark.objects.get(sheet=sheet, aspect=aspects["B1.1"]).value == 3000


def test_a_judge_of_another_round_cannot_mark(marking_round, sd):
    s, _found, _rj, sheet, aspects = marking_round
    stranger = panel(sd, s.qingdao_round, judges=1)["judges"][0]
    with pytest.raises(PermissionDeniedError):
        services.save_mark(actor=stranger.user, sheet_id=sheet.pk, aspect_id=aspects["B1.1"].pk, data={"mark": "1"})


def test_decryption_before_every_sheet_is_locked_is_refused(marking_round):
    s, found, _rj, _sheet, _aspects = marking_round
    with pytest.raises(DomainError, match="every mark sheet"):
        services.decrypt(actor=found["chief"].user, rnd=s.jinan_round,
                         supervisor_username=found["supervisor"].user.username,
                         supervisor_password="Gongjiang-2026")
    s.jinan_round.refresh_from_db()
    assert s.jinan_round.decrypted_at is None


def test_decryption_needs_the_supervisors_own_password(marking_round):
    s, found, rj, _sheet, _aspects = marking_round
    mark_all(s.jinan_round)
    lock_all(s.jinan_round, found["chief"])
    with pytest.raises(PermissionDeniedError, match="supervisor"):
        services.decrypt(actor=found["chief"].user, rnd=s.jinan_round,
                         supervisor_username=found["supervisor"].user.username, supervisor_password="wrong")
    with pytest.raises(PermissionDeniedError):  # a judge is not the chief
        services.decrypt(actor=rj.judge.user, rnd=s.jinan_round,
                         supervisor_username=found["supervisor"].user.username,
                         supervisor_password="Gongjiang-2026")


def test_a_sheet_cannot_be_signed_with_aspects_unmarked(marking_round):
    _s, _found, rj, sheet, aspects = marking_round
    services.save_mark(actor=rj.judge.user, sheet_id=sheet.pk, aspect_id=aspects["B1.1"].pk, data={"mark": "7"})
    with pytest.raises(DomainError, match="Not every aspect"):
        services.sign_sheet(actor=rj.judge.user, sheet_id=sheet.pk)
    sheet.refresh_from_db()
    assert sheet.state == SheetState.OPEN


def test_measurements_on_which_judges_disagree_cannot_be_locked(marking_round):
    s, found, _rj, sheet, aspects = marking_round
    def marks(entry):
        return FULL_MARKS
    mark_all(s.jinan_round, marks)
    other = Sheet.objects.filter(entry=sheet.entry).exclude(pk=sheet.pk).first()
    services.return_sheet(actor=found["chief"].user, sheet_id=other.pk, reason="复核测量")
    services.save_mark(actor=other.judge.judge.user, sheet_id=other.pk, aspect_id=aspects["A1.1"].pk,
                       data={"deviation": "0.04"})
    services.sign_sheet(actor=other.judge.judge.user, sheet_id=other.pk)
    with pytest.raises(DomainError, match="must agree"):
        services.lock_entry(actor=found["chief"].user, entry=sheet.entry)
    assert not Sheet.objects.filter(entry=sheet.entry, state=SheetState.LOCKED).exists()


def test_worldskills_scores_more_than_one_apart_cannot_be_locked(sd):
    s = season(sd, theory_weight=0, practical_weight=100)
    aspects = [{**a, "kind": "judgement", "max_mark": "50", "step": "0.01", "bands": [], "deductions": []}
               for a in [structure_row("J1"), structure_row("J2")]]
    services.set_scheme(actor=sd.province_admin, event=s.event, aspects=aspects, expected_total=Decimal(100),
                        judgement_method="worldskills")
    register_many(sd, s, n_jinan=2, n_qingdao=1)
    found = to_marking(sd, s.jinan_round)
    entry = Entry.objects.filter(round=s.jinan_round).first()
    scores = iter([0, 2, 3])
    for sheet in Sheet.objects.filter(entry=entry).select_related("judge__judge__user"):
        score = next(scores)
        for aspect in s.event.scheme.aspects.all():
            services.save_mark(actor=sheet.judge.judge.user, sheet_id=sheet.pk, aspect_id=aspect.pk,
                               data={"score": score})
        services.sign_sheet(actor=sheet.judge.judge.user, sheet_id=sheet.pk)
    with pytest.raises(DomainError, match="re-score required"):
        services.lock_entry(actor=found["chief"].user, entry=entry)


def structure_row(code: str) -> dict[str, Any]:
    return {"section_code": "J", "section_name": "评价", "criterion_code": "J0", "criterion_name": "综合",
            "code": code, "description": code}


def test_an_appeal_after_the_window_is_refused(marking_round, sd):
    s, found, _rj, _sheet, _aspects = marking_round
    mark_all(s.jinan_round)
    lock_all(s.jinan_round, found["chief"])
    services.decrypt(actor=found["chief"].user, rnd=s.jinan_round,
                     supervisor_username=found["supervisor"].user.username, supervisor_password="Gongjiang-2026")
    services.publish_results(actor=sd.province_admin, rnd=s.jinan_round, publicity_until=timezone.localdate())
    end_notice(s.jinan_round)
    li = Entry.objects.get(round=s.jinan_round, person=sd.worker_person)
    with pytest.raises(DomainError, match="public notice"):
        services.file_appeal(actor=sd.worker, entry=li, reason="不服")
    assert not li.appeals.exists()


def test_a_marking_scheme_whose_weights_do_not_add_up_is_refused_and_the_old_one_kept(sd):
    s = season(sd)
    from gongjiang.competitions.tests.factories import SCHEME

    short = [dict(a) for a in SCHEME[:-1]]
    with pytest.raises(DomainError, match=r"do not add up"):
        services.set_scheme(actor=sd.province_admin, event=s.event, aspects=short, expected_total=Decimal(100))
    assert s.event.scheme.aspects.count() == len(SCHEME)


def test_the_competition_moves_only_along_its_states(sd):
    s = season(sd)
    with pytest.raises(DomainError, match="cannot go from"):
        services.change_state(actor=sd.province_admin, competition=s.competition, state=CompetitionState.FINISHED)
    with pytest.raises(PermissionDeniedError):
        services.change_state(actor=sd.jinan_cadre, competition=s.competition, state=CompetitionState.CLOSED)
    services.change_state(actor=sd.province_admin, competition=s.competition, state=CompetitionState.CLOSED)
    s.competition.refresh_from_db()
    assert s.competition.state == CompetitionState.CLOSED


def test_ranking_in_sql_matches_the_rules_on_ties_and_prizes(sd):
    """The SQL window UPDATE gives the places and prizes `rules.ranking` gives, ties included."""
    from gongjiang.competitions.rules import ranking

    s = season(sd, theory_weight=0, practical_weight=100, tie_breaks=["time_used"])
    rnd = s.jinan_round
    totals = [9000, 9500, 9500, 9500, 8000, 8000, 7000, None, 6000, 9500]
    times = [100, 300, 200, 200, None, 50, 10, 10, 10, 200]
    entries = []
    for i, (t, u) in enumerate(zip(totals, times, strict=True)):
        p = worker(sd.workshop, f"排{i}")
        entries.append(Entry.objects.create(round=rnd, person=p, unit=sd.steel, status=EntryStatus.CHECKED_IN,
                                            total=t, practical=t, time_used=u))
    _rank_round(rnd)
    placed = ranking.rank([ranking.Ranked(e.pk, e.total, {"time_used": e.time_used}) for e in entries],
                          [ranking.TieBreak("time_used", descending=False)])
    prizes = ranking.prize_bands(placed, queries.prize_rule(s.event))
    got = {e.pk: (e.place, e.prize) for e in Entry.objects.filter(round=rnd)}
    assert got == {p.id: (p.place, prizes.get(p.id, "")) for p in placed}
