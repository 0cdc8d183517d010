"""The import of paper-era proposals: a register of 济钢's past proposals arrives whole (archived or not adopted,
with benefit, reward and figures), or — one bad row — not at all, with the error report naming the cells."""

from __future__ import annotations

import datetime
from decimal import Decimal

from gongjiang.core.imports import start_import
from gongjiang.core.models import ImportJob
from gongjiang.innovation.choices import State
from gongjiang.innovation.models import Proposal, RewardPayment
from gongjiang.orgs.tests.factories import xlsx_upload

from .factories import facts_agree, year_facts

HEADERS = ["提出人身份证号", "提出人姓名", "建议标题", "存在问题", "建议内容", "类别", "类型", "提出日期", "是否采纳",
           "经济效益（万元）", "奖金（元）", "未采纳原因"]


def register(inn, *rows):
    return xlsx_upload(HEADERS, [list(r) for r in rows], "合理化建议台账.xlsx")


def good_rows(inn):
    li, zhou = inn.sd.worker_person, inn.colleague
    return [
        [li.id_number, "李强", "转炉氧枪喷头改进", "喷头寿命短", "改用紫铜喷头", "成本", "合理化建议", "2024-05-12",
         "是", "12.5", "3000", ""],
        [zhou.id_number, "周明", "安全帽佩戴检查看板", "佩戴不规范", "设置检查看板", "安全", "金点子", "2024-07-01",
         "是", "", "200", ""],
        [li.id_number, "李强", "食堂排队取餐流程优化", "排队时间长", "增加窗口", "管理", "", "2025-03-02", "否", "",
         "", "不属于技术革新"],
    ]


def test_a_paper_register_is_imported_whole(inn):
    sd = inn.sd
    job = start_import(actor=sd.enterprise_cadre, kind="innovation_proposals", target=sd.steel,
                       upload=register(inn, *good_rows(inn)))
    assert job.state == ImportJob.State.DONE, job.summary
    assert job.summary == {"created": 3, "adopted": 2, "rewarded": 2}
    states = dict(Proposal.objects.values_list("title", "state"))
    assert states == {"转炉氧枪喷头改进": State.ARCHIVED, "安全帽佩戴检查看板": State.ARCHIVED,
                      "食堂排队取餐流程优化": State.REJECTED}
    first = Proposal.objects.get(title="转炉氧枪喷头改进")
    assert first.benefit.net == Decimal(125000) and first.grade == 2 and first.year == 2024
    assert first.submitted_at.date() == datetime.date(2024, 5, 12)
    assert sum(RewardPayment.objects.values_list("amount", flat=True)) == Decimal(3200)
    f = year_facts(sd.jinan, 2024)
    assert (f["proposals_submitted"], f["proposals_adopted"], f["benefit"], f["rewards"]) == (
        2, 2, Decimal(125000), Decimal(3200))
    assert year_facts(sd.jinan, 2023) == {}
    facts_agree()


def test_one_bad_row_and_nothing_is_imported(inn):
    sd = inn.sd
    rows = good_rows(inn)
    rows[1][1] = "周敏"  # the name does not match the ID number
    rows[2][-1] = ""  # not adopted without a reason
    job = start_import(actor=sd.enterprise_cadre, kind="innovation_proposals", target=sd.steel,
                       upload=register(inn, *rows))
    assert job.state == ImportJob.State.INVALID
    assert not Proposal.objects.exists() and year_facts(sd.province, 2024) == {}
    assert {(e["row"], e["column"]) for e in job.errors} == {(3, "提出人姓名"), (4, "未采纳原因")}


def test_only_the_unions_cadres_import_into_it(inn):
    import pytest

    from gongjiang.core.errors import PermissionDeniedError

    for actor in (inn.sd.qingdao_cadre, inn.sd.jinan_viewer):
        with pytest.raises(PermissionDeniedError):
            start_import(actor=actor, kind="innovation_proposals", target=inn.sd.steel,
                         upload=register(inn, *good_rows(inn)))
    assert not ImportJob.objects.exists()
