"""Builders for the studios' tests: on the factory province (`sd`), 济钢's union hosts a 省级劳模创新工作室 recognised
by the province (lead 李强, two members) and a 市级职工创新工作室 recognised by Jinan; points that pass, fail or
excel under the default rubric."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongjiang.honours import services
from gongjiang.honours.models import Assessment, Rubric, Studio
from gongjiang.honours.studio_choices import MemberRole
from gongjiang.honours.studio_counters import studio_metric, year_day
from gongjiang.orgs import facts
from gongjiang.orgs.models import Org, Period, Person
from gongjiang.orgs.tests.factories import person

# the default rubric's items: organisation 15, projects 25, proposals 20, training 20, benefit 15, funding 5
GOOD = {"organisation": 14, "projects": 23, "proposals": 18, "training": 18, "benefit": 13, "funding": 5}  # 91
FAIR = {"organisation": 12, "projects": 15, "proposals": 12, "training": 12, "benefit": 8, "funding": 4}  # 63
POOR = {"organisation": 8, "projects": 10, "proposals": 8, "training": 8, "benefit": 5, "funding": 2}  # 41


@dataclass
class Studios:
    sd: Any
    studio: Studio  # 省级, recognised by the province
    city_studio: Studio  # 市级, recognised by Jinan
    member: Person
    apprentice: Person

    def assess(self, year: int, points: dict[str, int] | None = None, studio: Studio | None = None) -> Assessment:
        return services.self_assess(actor=self.sd.enterprise_cadre, studio=studio or self.studio, year=year,
                                    points={k: Decimal(v) for k, v in (points or FAIR).items()},
                                    notes={"projects": "完成攻关项目三项"}, apprentices=3, summary="年度工作总结")

    def confirm(self, assessment: Assessment, actor: Any = None, **kw: Any) -> Assessment:
        return services.confirm_assessment(actor=actor or self.sd.province_admin, assessment=assessment, **kw)

    def fail_two_years(self) -> Studio:
        year = timezone.localdate().year
        self.confirm(self.assess(year - 1, POOR))
        self.confirm(self.assess(year, POOR))
        self.studio.refresh_from_db()
        return self.studio


def studios(sd: Any) -> Studios:
    year = timezone.localdate().year
    member = person(sd.team, "赵磊")
    apprentice = person(sd.workshop, "孙浩")
    assert Rubric.objects.exists()
    studio = services.register_studio(
        actor=sd.province_admin, name="李强劳模创新工作室", kind="model", lead=sd.worker_person, host=sd.steel,
        level="province", year=year - 3, recognised_by=sd.province, specialty="炼钢工艺",
        members=[(member, MemberRole.CORE), (apprentice, MemberRole.APPRENTICE)])
    city_studio = services.register_studio(
        actor=sd.jinan_cadre, name="炼钢职工创新工作室", kind="worker", lead=member, host=sd.steel, level="city",
        year=year - 2, recognised_by=sd.jinan)
    return Studios(sd, studio, city_studio, member, apprentice)


def everything(sd: Any) -> Studios:
    """Every studio verb once (journey.everything runs it for the timelines, scoping and no-English tests): two
    studios registered, members and funding changed, two years of failing assessments (one with a bonus and
    evidence attached, one adjusted with reasons and vetoed) suspending the provincial studio, which the province
    revokes; Jinan's city studio suspended for a fault and reinstated, its entry corrected; a studio imported from
    Excel."""
    from .factories import pdf

    st = studios(sd)
    year = timezone.localdate().year
    services.change_studio_members(actor=sd.enterprise_cadre, studio=st.studio, lead=st.member,
                                   add=[(person(sd.team, "钱进"), MemberRole.MEMBER)], remove=[st.apprentice])
    services.record_funding(actor=sd.enterprise_cadre, studio=st.studio, year=year - 1, amount=Decimal("12.5"),
                            source="省总工会创新补助资金")
    last = st.assess(year - 1, {**POOR, "national_honour": 1})  # a bonus counted
    services.add_assessment_files(actor=sd.enterprise_cadre, assessment=last, item="projects",
                                  uploads=[pdf("攻关报告.pdf")])
    st.confirm(last)
    st.confirm(st.assess(year, POOR), points={"projects": 6, "safety": True},  # a veto, with its reason
               reasons={"projects": "攻关项目未按计划验收", "safety": "当年发生重大安全生产责任事故"})
    services.revoke_studio(actor=sd.province_admin, studio=st.studio, reason="连续两年考核不合格，整改无效",
                           decision=f"鲁工发〔{year}〕12号")
    services.suspend_studio(actor=sd.jinan_cadre, studio=st.city_studio, reason="发生较大安全生产责任事故")
    services.reinstate_studio(actor=sd.jinan_cadre, studio=st.city_studio, reason="整改到位，恢复在册",
                              decision=f"济工发〔{year}〕3号")
    services.update_studio(actor=sd.jinan_cadre, studio=st.city_studio, specialty="炼钢设备维护", year=year - 3,
                           reason="命名文件年度登记有误")
    _import_one(sd, year)
    return st


def _import_one(sd: Any, year: int) -> None:
    """The province imports one studio from Excel (the studios' import, through core's framework)."""
    from gongjiang.honours import studio_imports
    from gongjiang.orgs.tests.factories import id_number, xlsx_upload

    number = id_number()
    person(sd.team, "冯工", id_number=number)
    headers = [c.header for c in studio_imports.studio_import.columns]
    job = studio_imports.start_studio_import(actor=sd.province_admin, union=sd.province, upload=xlsx_upload(
        headers, [["冯工高技能人才创新工作室", "高技能人才创新工作室", "省级", str(year - 1), sd.steel.code, number,
                   "轧钢"]], "工作室.xlsx"))
    assert job.state == "done", (job.state, job.message, job.errors)


def figure(org: Org, year: int, level: str, field: str) -> int:
    """A union's studio figure of a year and level, as the figures page reads it (the fact store's year row)."""
    key = studio_metric(field, level)
    return int(facts.values([org.pk], [key], Period.YEAR, year_day(year)).get((org.pk, key), 0))
