"""Test builders for competitions on the factory province (`sd`): a provincial skills competition with a
city qualifier and a provincial final, a 车工 event with a marking scheme of every aspect kind, judges."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongjiang.competitions import services
from gongjiang.competitions.choices import CompetitionState, JudgeRole, Level
from gongjiang.competitions.models import Competition, Event, Judge, Round, RoundJudge, Stage
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person, User
from gongjiang.orgs.tests import factories as of

# 100 points: A (measurements 40) + B (judgement 60)
SCHEME = [
    {"section_code": "A", "section_name": "尺寸精度", "criterion_code": "A1", "criterion_name": "外圆",
     "code": "A1.1", "description": "外圆直径 Φ40±0.02", "kind": "tolerance", "max_mark": "20", "step": "1",
     "bands": [["0.02", "20"], ["0.05", "10"]]},
    {"section_code": "A", "section_name": "尺寸精度", "criterion_code": "A1", "criterion_name": "外圆",
     "code": "A1.2", "description": "倒角完整", "kind": "binary", "max_mark": "5", "step": "5"},
    {"section_code": "A", "section_name": "尺寸精度", "criterion_code": "A2", "criterion_name": "安全文明",
     "code": "A2.1", "description": "安全文明生产", "kind": "deduction", "max_mark": "15", "step": "1",
     "deductions": [["S1", "2", "未戴护目镜"], ["S2", "5", "违规操作"]]},
    {"section_code": "B", "section_name": "工艺评价", "criterion_code": "B1", "criterion_name": "表面质量",
     "code": "B1.1", "description": "表面粗糙度与纹理", "kind": "judgement", "max_mark": "30", "step": "0.5"},
    {"section_code": "B", "section_name": "工艺评价", "criterion_code": "B1", "criterion_name": "表面质量",
     "code": "B1.2", "description": "工艺合理性", "kind": "judgement", "max_mark": "30", "step": "0.5"},
]
FULL_MARKS = {"A1.1": {"deviation": "0.01"}, "A1.2": {"achieved": True}, "A2.1": {"faults": {}},
              "B1.1": {"mark": "30"}, "B1.2": {"mark": "30"}}


@dataclass
class Season:
    competition: Competition
    qualifier: Stage
    final: Stage
    event: Event
    jinan_round: Round
    qingdao_round: Round
    final_round: Round


def season(sd: Any, *, state: str = CompetitionState.REGISTRATION, **event_kw: Any) -> Season:
    """山东省第十届职工职业技能大赛: 市级选拔赛 (direct registration, top 2 advance) and 省级决赛."""
    admin = sd.province_admin
    competition = services.create_competition(actor=admin, organiser=sd.province, name="山东省第十届职工职业技能大赛",
                                              year=2026, level=Level.PROVINCE, klass=1)
    qualifier = services.add_stage(actor=admin, competition=competition, name="市级选拔赛", level=Level.CITY,
                                   direct_registration=True, advancement={"mode": "top_n", "n": 2})
    final = services.add_stage(actor=admin, competition=competition, name="省级决赛", level=Level.PROVINCE)
    event = services.add_event(actor=admin, competition=competition, name="车工", **{
        "members_only": False, "exclude_leaders": True, "min_age": 18, "max_age": 55,
        "age_reference_date": datetime.date(2026, 9, 1), **event_kw})
    services.set_scheme(actor=admin, event=event, aspects=SCHEME, expected_total=Decimal(100))
    rounds = services.open_rounds(actor=admin, stage=qualifier)
    [final_round] = services.open_rounds(actor=admin, stage=final)
    if state != CompetitionState.PREPARING:
        services.change_state(actor=admin, competition=competition, state=CompetitionState.REGISTRATION)
    by_org = {r.organiser_id: r for r in rounds}
    return Season(competition, qualifier, final, event, by_org[sd.jinan.pk], by_org[sd.qingdao.pk], final_round)


def worker(employer: Org, name: str, **kw: Any) -> Person:
    kw.setdefault("birth_date", None)
    birth = kw.pop("birth_date") or datetime.date(1990, 5, 1)
    return of.person(employer, name, id_number=of.id_number(birth=birth), **kw)


def judge(sd: Any, username: str, unit: Org, *, name: str | None = None) -> Judge:
    account = User.objects.create_user(username=username, password="Gongjiang-2026", full_name=name or username)
    return services.add_judge(actor=sd.province_admin, pool=sd.province, user=account, unit=unit,
                              name=name or username)


def panel(sd: Any, rnd: Round, judges: int = 3) -> dict[str, Any]:
    """Judges from a unit outside every city (the industry union) plus a chief judge and a supervisor."""
    outside = Org.objects.filter(kind=OrgKind.INDUSTRY).first()
    found: dict[str, Any] = {"judges": []}
    for i in range(judges):
        j = judge(sd, f"judge{rnd.pk}_{i}", outside, name=f"裁判{i + 1}")
        found["judges"].append(j)
        services.assign_judge(actor=sd.province_admin, rnd=rnd, judge=j)
    found["chief"] = judge(sd, f"chief{rnd.pk}", outside, name="裁判长")
    services.assign_judge(actor=sd.province_admin, rnd=rnd, judge=found["chief"], role=JudgeRole.CHIEF)
    found["supervisor"] = judge(sd, f"super{rnd.pk}", outside, name="监督")
    services.assign_judge(actor=sd.province_admin, rnd=rnd, judge=found["supervisor"], role=JudgeRole.SUPERVISOR)
    return found


def assigned(rnd: Round) -> list[RoundJudge]:
    return list(RoundJudge.objects.filter(round=rnd, role=JudgeRole.JUDGE).select_related("judge__user"))


WITNESSES = [{"name": "监督员王某", "number": "17"}, {"name": "选手代表李某", "number": "42"}]


def to_marking(sd: Any, rnd: Round, judges: int = 3) -> dict[str, Any]:
    """Panel, contestant numbers, check-in of everybody registered, stations, codes, sheets (through the
    services): the round ready for its judges."""
    from gongjiang.competitions import services
    from gongjiang.competitions.choices import EntryStatus
    from gongjiang.competitions.models import Entry

    found = panel(sd, rnd, judges)
    services.draw_contestant_numbers(actor=sd.province_admin, rnd=rnd, witnesses=WITNESSES)
    for e in Entry.objects.filter(round=rnd, status=EntryStatus.REGISTERED):
        services.check_in(actor=sd.province_admin, entry=e)
    services.draw_stations(actor=sd.province_admin, rnd=rnd, witnesses=WITNESSES)
    services.draw_codes(actor=sd.province_admin, rnd=rnd, witnesses=WITNESSES)
    services.open_marking(actor=sd.province_admin, rnd=rnd)
    return found


def end_notice(rnd: Round) -> None:
    """The round's public notice ended yesterday: its core notice's last day (and the round's copy of it) moved
    back. Moving `Round.publicity_until` alone no longer ends it: the notice's period is core's."""
    from django.utils import timezone

    from gongjiang.core.models import PublicNotice

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Round.objects.filter(pk=rnd.pk).update(publicity_until=yesterday)
    notice_id = Round.objects.filter(pk=rnd.pk).values_list("notice_id", flat=True).get()
    PublicNotice.objects.filter(pk=notice_id).update(starts_on=yesterday, ends_on=yesterday)
