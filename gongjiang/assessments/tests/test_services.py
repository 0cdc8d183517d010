"""The assessments' verbs as a specification: the province defines its rubric and assesses 济南 and 青岛; each city's
sheet starts prefilled from the fact store with the figure's source; the city fills in the rest and submits; the
province reviews item by item, adjusts one with a reason and confirms; a veto zeroes 青岛; the ranking and grades are
published; an appeal is upheld with the items it changes. Bad input is refused with a message and changes nothing."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from django.utils import translation

from gongjiang.assessments import queries, services
from gongjiang.assessments.models import Answer, Campaign, Rubric, Sheet
from gongjiang.assessments.samples import CITY_RUBRIC
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent

D = Decimal


def snapshot():
    return (list(Answer.objects.order_by("id").values_list("value", "note", "review", "reviewed", "points")),
            list(Sheet.objects.order_by("id").values_list("state", "total")), AuditEvent.objects.count(),
            Rubric.objects.count(), Campaign.objects.count())


def test_sheets_start_prefilled_from_the_fact_store_with_the_figures_source(aw):
    jinan, qingdao = aw.sheet(aw.sd.jinan), aw.sheet(aw.sd.qingdao)
    b1 = jinan.answers.get(item="B1")
    assert b1.value == "7.00" and b1.points == 7
    assert b1.provenance["metric"] == "competitions.held" and b1.provenance["figure"] == "7.00"
    assert str(aw.year) in b1.provenance["period"] and b1.provenance["label"]
    assert jinan.answers.get(item="D1").value == "900.00"
    assert qingdao.answers.get(item="B1").value == "3.00"
    assert qingdao.answers.get(item="D1").value == "0.00"  # no figure: 0, with its source
    assert jinan.answers.get(item="A1").value is None
    assert jinan.total == 10 + 7 + 9 and aw.rubric.frozen is False
    aw.rubric.refresh_from_db()
    assert aw.rubric.frozen


def test_a_figure_changed_by_hand_says_so_and_is_not_overwritten(aw):
    import datetime

    from gongjiang.orgs import facts

    sheet = services.save_answers(actor=aw.sd.jinan_cadre, sheet=aw.sheet(aw.sd.jinan),
                                  answers={"B1": {"value": "8", "note": "含一项未录入平台的竞赛"}})
    b1 = sheet.answers.get(item="B1")
    assert b1.value == "8" and b1.provenance["changed"] and b1.provenance["figure"] == "7.00"
    facts.add(aw.sd.steel, datetime.date(aw.year, 2, 1), {"competitions.held": 1, "learning.learners": 100})
    assert services.refresh_figures(actor=aw.sd.jinan_cadre, campaign=aw.campaign) == 1  # D1 only
    assert sheet.answers.get(item="B1").value == "8"
    assert sheet.answers.get(item="D1").value == "1000.00"


def test_the_prefilled_figure_sent_back_as_shown_is_not_a_change_by_hand(aw):
    """The sheet shows the prefilled 7.00 as 7: saved as it is, the answer stays the platform's figure."""
    sheet = aw.sheet(aw.sd.jinan)
    before = snapshot()
    services.save_answers(actor=aw.sd.jinan_cadre, sheet=sheet, answers={"B1": {"value": "7"}, "D1": {"value": "900"}})
    assert snapshot() == before  # nothing changed, nothing audited
    services.save_answers(actor=aw.sd.jinan_cadre, sheet=sheet, answers={"B1": {"value": "7"}, "A1": {"value": "优"}})
    b1 = sheet.answers.get(item="B1")
    assert b1.value == "7.00" and "changed" not in b1.provenance


def test_the_whole_flow_adjust_veto_rank_publish_and_appeal(aw):
    sd = aw.sd
    jinan = aw.fill(sd.jinan)
    assert jinan.state == "submitted" and jinan.total == D("87.00")  # 10 + 10+10+12+12+10+10+12 −1 +2
    services.review_item(actor=sd.province_admin, sheet=jinan, item="B1", decision="adjusted", value="10",
                         reason="两项竞赛为上年举办")
    for key in ["A1", "A2", "B2", "C1", "C2", "D1", "E1", "X1", "X2", "V1"]:
        services.review_item(actor=sd.province_admin, sheet=jinan, item=key, decision="accepted")
    jinan = services.confirm_sheet(actor=sd.province_admin, sheet=jinan)
    assert jinan.state == "confirmed" and jinan.total == D("85.00") and queries.agrees(jinan)
    assert jinan.answers.get(item="B1").points == 10

    qingdao = aw.fill(sd.qingdao, V1="是")
    assert qingdao.total == 0 and qingdao.vetoed
    with pytest.raises(DomainError, match="not confirmed"):
        services.rank_campaign(actor=sd.province_admin, campaign=aw.campaign)
    aw.confirm(sd.qingdao)
    campaign = services.rank_campaign(actor=sd.province_admin, campaign=aw.campaign)
    jinan, qingdao = aw.sheet(sd.jinan), aw.sheet(sd.qingdao)
    assert (jinan.rank, jinan.grade, qingdao.rank, qingdao.grade) == (1, "good", 2, "fail")
    services.publish_campaign(actor=sd.province_admin, campaign=campaign)

    appeal = services.file_appeal(actor=sd.jinan_cadre, sheet=jinan, reason="B1 两项竞赛实为本年度举办，附通知")
    with pytest.raises(DomainError, match="waiting for its outcome"):
        services.file_appeal(actor=sd.jinan_cadre, sheet=jinan, reason="再次申诉")
    appeal = services.decide_appeal(actor=sd.province_admin, appeal=appeal, outcome="upheld",
                                    reply="经核实，两项竞赛为本年度举办", adjustments={"B1": "12"})
    assert (appeal.total_before, appeal.total_after) == (D("85.00"), D("87.00"))
    jinan = aw.sheet(sd.jinan)
    assert jinan.total == D("87.00") and jinan.rank == 1 and queries.agrees(jinan)
    verbs = list(AuditEvent.objects.filter(verb__startswith="assessments.").values_list("verb", flat=True))
    assert "assessments.appeal.decided" in verbs and "assessments.campaign.published" in verbs


def test_ties_share_a_rank_and_stars_carry_their_expiry(sd):
    from django.utils import timezone

    from .factories import assessments

    data = copy.deepcopy(CITY_RUBRIC)
    data["stars"], data["star_years"] = [60, 70, 80, 90, 95], 3
    aw = assessments(sd)
    rubric = services.revise_rubric(actor=sd.province_admin, rubric=aw.rubric, definition=data)
    assert rubric.version == 2 and rubric.previous == aw.rubric  # the first was frozen by its campaign
    campaign = services.open_campaign(actor=sd.province_admin, rubric=rubric, org=sd.province, year=aw.year,
                                      title="星级评定", assessed=[sd.jinan, sd.qingdao])
    aw.campaign = campaign
    aw.fill(sd.jinan, B1="10"), aw.fill(sd.qingdao, B1="10")
    aw.confirm(sd.jinan), aw.confirm(sd.qingdao)
    services.rank_campaign(actor=sd.province_admin, campaign=campaign)
    j, q = aw.sheet(sd.jinan), aw.sheet(sd.qingdao)
    assert j.total == q.total == D("85.00") and j.rank == q.rank == 1
    assert j.stars == 3 and j.stars_until.year == timezone.localdate().year + 3


def test_a_rubric_that_does_not_add_up_is_refused_with_every_problem_and_nothing_stored(sd):
    data = copy.deepcopy(CITY_RUBRIC)
    data["maximum"], data["items"][6]["cap"] = 90, 20
    del data["items"][7]["reason"]
    before = snapshot()
    with pytest.raises(DomainError) as e:
        services.define_rubric(actor=sd.province_admin, org=sd.province, title="考核细则", definition=data)
    assert "declared maximum 90" in e.value.message and "cap of all bonuses" in e.value.message
    assert "reason" in e.value.errors["definition"]
    with translation.override("zh-hans"), pytest.raises(DomainError) as e:
        services.define_rubric(actor=sd.province_admin, org=sd.province, title="考核细则", definition="{not json")
    assert "JSON" in e.value.message and e.value.field == "definition"
    with translation.override("zh-hans"), pytest.raises(DomainError) as e:
        services.define_rubric(actor=sd.province_admin, org=sd.province, title="考核细则", definition=data)
    assert "与标明的满分 90 分不符" in e.value.message and "一票否决项须写明否决情形" in e.value.message
    assert snapshot() == before


def test_a_self_assessment_cannot_change_after_submission(aw):
    sheet = aw.fill(aw.sd.jinan)
    before = snapshot()
    with pytest.raises(DomainError, match="submitted and is locked"):
        services.save_answers(actor=aw.sd.jinan_cadre, sheet=sheet, answers={"A1": {"value": "差"}})
    assert snapshot() == before


def test_once_returned_only_the_returned_items_change(aw):
    sd = aw.sd
    sheet = aw.fill(sd.jinan)
    with pytest.raises(DomainError, match="Return at least one item"):
        services.return_sheet(actor=sd.province_admin, sheet=sheet)
    services.review_item(actor=sd.province_admin, sheet=sheet, item="C2", decision="returned",
                         reason="请上传工作室命名文件")
    sheet = services.return_sheet(actor=sd.province_admin, sheet=sheet)
    with pytest.raises(DomainError, match="was not returned"):
        services.save_answers(actor=sd.jinan_cadre, sheet=sheet, answers={"A1": {"value": "差"}})
    services.save_answers(actor=sd.jinan_cadre, sheet=sheet, answers={"C2": {"value": "良"}})
    sheet = services.submit_sheet(actor=sd.jinan_cadre, sheet=sheet)
    assert sheet.answers.get(item="C2").review == "pending"


@pytest.mark.parametrize("kwargs, words", [
    ({"decision": "adjusted", "value": "5", "reason": ""}, "reason for the adjustment"),
    ({"decision": "adjusted", "value": "", "reason": "核减"}, "value after adjustment"),
    ({"decision": "adjusted", "value": "五", "reason": "核减"}, "not a number"),
    ({"decision": "returned", "reason": " "}, "to be corrected"),
    ({"decision": "maybe"}, "Accept, adjust or return"),
])
def test_a_review_decision_without_its_reason_or_value_is_refused(aw, kwargs, words):
    sheet = aw.fill(aw.sd.jinan)
    before = snapshot()
    with pytest.raises(DomainError, match=words):
        services.review_item(actor=aw.sd.province_admin, sheet=sheet, item="B1", **kwargs)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["jinan_cadre", "qingdao_cadre", "county_cadre", "jinan_viewer"])
def test_only_the_upper_union_reviews(aw, who):
    sheet = aw.fill(aw.sd.jinan)
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        services.review_item(actor=getattr(aw.sd, who), sheet=sheet, item="B1", decision="accepted")
    with pytest.raises(PermissionDeniedError):
        services.confirm_sheet(actor=getattr(aw.sd, who), sheet=sheet)
    assert snapshot() == before


def test_the_assessing_union_does_not_fill_in_the_self_assessment(aw):
    with pytest.raises(PermissionDeniedError, match="fills in its own"):
        services.save_answers(actor=aw.sd.province_admin, sheet=aw.sheet(aw.sd.jinan), answers={"A1": {"value": "优"}})


@pytest.mark.parametrize("answers, field, words", [
    ({"A1": {"value": "特优"}}, "item_A1", "Choose one of the levels"),
    ({"B1": {"value": "-3"}}, "item_B1", "at least 0"),
    ({"B1": {"value": "三"}}, "item_B1", "not a number"),
    ({"V1": {"value": "是"}}, "item_V1", "reason for the veto"),
    ({"Z9": {"value": "1"}}, "item_Z9", "no item Z9"),
])
def test_bad_answers_are_refused_naming_the_item_and_nothing_is_saved(aw, answers, field, words):
    before = snapshot()
    with pytest.raises(DomainError) as e:
        services.save_answers(actor=aw.sd.jinan_cadre, sheet=aw.sheet(aw.sd.jinan),
                              answers={"A1": {"value": "优"}, **answers})
    assert words in e.value.errors[field]
    assert snapshot() == before


def test_a_sheet_with_items_unanswered_is_not_submitted(aw):
    with pytest.raises(DomainError, match="missing: A1"):
        services.submit_sheet(actor=aw.sd.jinan_cadre, sheet=aw.sheet(aw.sd.jinan))


@pytest.mark.parametrize("kwargs, words", [
    ({"assessed": []}, "Choose the unions"),
    ({"assessed": "province"}, "not below"),
    ({"year": 1999}, "between 2000"),
    ({"title": ""}, "title"),
])
def test_a_campaign_with_bad_input_is_refused(aw, kwargs, words):
    sd = aw.sd
    args = {"rubric": aw.rubric, "org": sd.province, "year": aw.year, "title": "第二次考核",
            "assessed": [sd.jinan], **kwargs}
    if args["assessed"] == "province":
        args["assessed"] = [sd.province]
    before = snapshot()
    with pytest.raises(DomainError, match=words):
        services.open_campaign(actor=sd.province_admin, **args)
    assert snapshot() == before


def test_a_city_cannot_use_another_citys_rubric(aw):
    sd = aw.sd
    rubric = services.define_rubric(actor=sd.qingdao_cadre, org=sd.qingdao, title="青岛细则", definition=CITY_RUBRIC)
    with pytest.raises(DomainError, match="rubric of your union"):
        services.open_campaign(actor=sd.jinan_cadre, rubric=rubric, org=sd.jinan, year=aw.year, title="县区考核",
                               assessed=[sd.lixia])
    campaign = services.open_campaign(actor=sd.jinan_cadre, rubric=aw.rubric, org=sd.jinan, year=aw.year,
                                      title="县区考核", assessed=[sd.lixia])  # the province's rubric, below it
    assert campaign.sheets.get().org == sd.lixia


def test_scopes_the_assessed_union_sees_its_own_sheet_the_assessing_union_its_campaign(aw):
    sd = aw.sd
    assert set(Sheet.objects.for_user(sd.qingdao_cadre).values_list("org__name", flat=True)) == {"青岛市总工会"}
    assert Sheet.objects.for_user(sd.province_admin).count() == 2
    assert not Sheet.objects.for_user(sd.county_cadre).exists()
    assert not Sheet.objects.for_user(sd.worker).exists()
    assert Campaign.objects.for_user(sd.qingdao_cadre).get() == aw.campaign
    assert not Campaign.objects.for_user(sd.county_cadre).exists()
    assert not Campaign.objects.for_user(sd.qingdao_cadre, "change").exists()
    assert queries.sheets_to_fill(sd.jinan_cadre).count() == 1
    assert queries.sheets_to_fill(sd.province_admin).count() == 0
    aw.fill(sd.jinan)
    assert queries.sheets_to_review(sd.province_admin).count() == 1
    assert queries.sheets_to_review(sd.jinan_cadre).count() == 0


def test_evidence_is_checked_before_it_is_stored(aw, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    sheet = aw.sheet(aw.sd.jinan)
    bad = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError, match="only these file types"):
        services.add_evidence(actor=aw.sd.jinan_cadre, sheet=sheet, item="A2", uploads=[bad])
    good = SimpleUploadedFile("联席会议纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    [row] = services.add_evidence(actor=aw.sd.jinan_cadre, sheet=sheet, item="A2", uploads=[good])
    assert row.answer.item == "A2" and row.name == "联席会议纪要.pdf"


def test_a_rubric_with_a_points_item_is_answered_within_its_points(sd):
    """The engine's 打分 mode (the studios' assessment uses it) works in a union's 考核 too."""
    from gongjiang.assessments.samples import city_rubric
    from gongjiang.orgs import facts

    data = city_rubric(facts._metrics)
    data["items"][0]["children"][1] = {"key": "A2", "title": "联席会议制度运行情况", "mode": "points", "points": 10}
    rubric = services.define_rubric(actor=sd.province_admin, org=sd.province, title="含打分项的细则", definition=data)
    campaign = services.open_campaign(actor=sd.province_admin, rubric=rubric, org=sd.province, year=2025,
                                      title="2025年度考核", assessed=[sd.jinan])
    sheet = Sheet.objects.get(campaign=campaign, org=sd.jinan)
    before = snapshot()
    with pytest.raises(DomainError) as e:
        services.save_answers(actor=sd.jinan_cadre, sheet=sheet, answers={"A2": {"value": "10.5"}})
    assert "between 0 and 10" in e.value.message and snapshot() == before
    services.save_answers(actor=sd.jinan_cadre, sheet=sheet, answers={"A2": {"value": "7.5"}})
    assert sheet.answers.get(item="A2").points == D("7.5")
