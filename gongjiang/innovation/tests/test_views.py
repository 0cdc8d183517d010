"""The innovation pages: who opens what (out of scope is a 404), the worker's phone form with the similar proposals
over htmx, the union's list (filters, sorting, Excel, bulk valuators) in a constant number of queries, a proposal's
page with its timeline and the forms of its next step, each step through its POST, and the scoped downloads."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gongjiang.innovation.choices import State
from gongjiang.innovation.models import Assignment, Proposal

from .factories import pdf

PASSWORD = "Gongjiang-2026"


def as_(client, user):
    client.force_login(user)
    return client


def test_a_worker_submits_on_the_phone_form(client, inn):
    c = as_(client, inn.sd.worker)
    assert c.get(reverse("innovation:submit")).status_code == 200
    r = c.post(reverse("innovation:submit"), {
        "title": "转炉氧枪喷头改进延长使用寿命", "category": "cost", "kind": "proposal",
        "problem": "氧枪喷头平均寿命只有80炉，更换频繁。", "solution": "喷头改用铸造紫铜并优化冷却水道。",
        "co_proposers": "周明 30", "files": [pdf()]})
    p = Proposal.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("innovation:proposal_detail", args=[p.pk])
    assert p.contributors.count() == 2 and p.attachments.count() == 1
    page = c.get(reverse("innovation:my_proposals"))
    assert page.status_code == 200 and "转炉氧枪喷头" in page.content.decode()


def test_a_bad_submission_is_shown_again_with_the_field_named(client, inn):
    c = as_(client, inn.sd.worker)
    r = c.post(reverse("innovation:submit"), {"title": "喷头", "category": "cost", "kind": "proposal",
                                              "problem": "太短", "solution": "也太短", "co_proposers": "不存在 20"})
    assert r.status_code == 400 and not Proposal.objects.exists()
    assert "at least 10 characters" in r.content.decode()
    r = c.post(reverse("innovation:submit"), {"title": "喷头改进", "category": "cost", "kind": "proposal",
                                              "problem": "喷头寿命短更换频繁影响生产",
                                              "solution": "改用紫铜材料并优化水道设计",
                                              "files": [pdf("病毒.exe", b"MZ\x90\x00")]})
    assert r.status_code == 400 and "病毒.exe" in r.content.decode() and not Proposal.objects.exists()


def test_similar_proposals_appear_as_the_worker_types(client, inn):
    inn.submit("转炉氧枪喷头改进延长使用寿命")
    c = as_(client, inn.colleague_user)
    r = c.get(reverse("innovation:similar"), {"title": "改进转炉氧枪喷头", "problem": ""}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and "转炉氧枪喷头改进延长使用寿命" in html
    assert "李强" not in html and "href" not in html  # a colleague's proposal: its title, not its page or author
    assert "转炉" not in as_(client, inn.sd.qingdao_cadre).get(reverse("innovation:similar"),
                                                              {"title": "改进转炉氧枪喷头"}).content.decode()


def test_out_of_scope_is_a_404(client, inn):
    p = inn.submit()
    for user in (inn.sd.qingdao_cadre, inn.colleague_user):
        assert as_(client, user).get(reverse("innovation:proposal_detail", args=[p.pk])).status_code == 404
    for user in (inn.sd.worker, inn.sd.enterprise_cadre, inn.sd.jinan_viewer, inn.sd.province_admin):
        assert as_(client, user).get(reverse("innovation:proposal_detail", args=[p.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("innovation:proposal_list")).status_code == 302


def test_every_step_through_the_pages(client, inn):
    sd = inn.sd
    p = inn.submit()
    c = as_(client, sd.enterprise_cadre)
    detail = reverse("innovation:proposal_detail", args=[p.pk])
    assert 'id="accept"' in c.get(detail).content.decode()
    c.post(reverse("innovation:proposal_accept", args=[p.pk]), {"department": sd.workshop.pk})
    c.post(reverse("innovation:proposal_assign", args=[p.pk]), {"valuators": [inn.valuator.pk]})
    p.refresh_from_db()
    assert p.state == State.EVALUATING
    v = as_(client, inn.valuator)
    assert 'id="value"' in v.get(detail).content.decode()
    assert v.get(reverse("innovation:valuations")).status_code == 200
    v.post(reverse("innovation:proposal_value", args=[p.pk]), {"opinion": "adopt", "score": 88, "comment": "可行"})
    c = as_(client, sd.enterprise_cadre)
    c.post(reverse("innovation:proposal_adopt", args=[p.pk]), {"forecast": "20", "forecast_soft": ""})
    c.post(reverse("innovation:proposal_implement", args=[p.pk]))
    c.post(reverse("innovation:proposal_benefit", args=[p.pk]), {"gross": "26", "cost": "4", "soft": "",
                                                                "evidence": [pdf("核算表.pdf")]})
    as_(client, inn.finance).post(reverse("innovation:proposal_sign_off", args=[p.pk]))
    c = as_(client, sd.enterprise_cadre)
    page = c.get(detail).content.decode()
    assert 'id="reward"' in page and "11,000" in page
    c.post(reverse("innovation:proposal_reward", args=[p.pk]), {"voucher": "JL-001"})
    c.post(reverse("innovation:proposal_archive", args=[p.pk]))
    p.refresh_from_db()
    assert p.state == State.ARCHIVED and p.benefit.forecast == Decimal(200000) and p.reward == Decimal("11000.00")
    page = c.get(detail).content.decode()
    assert "timeline" in page and page.count("<li>") >= 10


def test_a_refused_step_says_why_and_changes_nothing(client, inn):
    p = inn.bring(inn.submit(), State.IMPLEMENTING)
    c = as_(client, inn.sd.enterprise_cadre)
    r = c.post(reverse("innovation:proposal_reward", args=[p.pk]), {"voucher": ""}, follow=True)
    assert "has not been accounted" in r.content.decode()
    r = c.post(reverse("innovation:proposal_benefit", args=[p.pk]), {"gross": "-1", "cost": "0"}, follow=True)
    assert "Gross hard benefit" in r.content.decode()
    p.refresh_from_db()
    assert p.state == State.IMPLEMENTING and p.benefit.recorded_at is None
    qingdao = as_(client, inn.sd.qingdao_cadre)
    assert qingdao.post(reverse("innovation:proposal_archive", args=[p.pk])).status_code == 404
    assert as_(client, inn.sd.jinan_viewer).post(reverse("innovation:proposal_implement", args=[p.pk])).status_code \
        == 403


def test_the_list_filters_sorts_exports_and_assigns_in_bulk(client, inn):
    sd = inn.sd
    made = [inn.submit(f"{t}改进方案") for t in ("转炉氧枪", "皮带托辊", "焊接工装")]
    c = as_(client, sd.enterprise_cadre)
    for p in made[:2]:
        c.post(reverse("innovation:proposal_accept", args=[p.pk]))
    page = c.get(reverse("innovation:proposal_list"), {"waiting": "acceptance"}).content.decode()
    assert "焊接工装" in page and "转炉氧枪" not in page
    page = c.get(reverse("innovation:proposal_list"), {"sort": "title"}).content.decode()
    assert page.index("焊接工装") < page.index("皮带托辊") < page.index("转炉氧枪") or "aria-sort" in page
    r = c.post(reverse("innovation:assign"), {"proposal": [made[0].pk, made[1].pk], "valuators": [inn.valuator.pk]})
    assert r.status_code == 302 and Assignment.objects.count() == 2
    x = c.get(reverse("innovation:proposal_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet.max_row == 4 and "焊接工装改进方案" in [cell.value for cell in sheet["B"]]
    assert as_(client, sd.qingdao_cadre).get(reverse("innovation:proposal_list")).content.decode().count(
        "改进方案") == 0


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_and_a_page_cost_a_constant_number_of_queries(client, inn):
    first = inn.bring(inn.submit("转炉氧枪喷头改进"), State.REWARDED)
    # similar to the first; the bulk valuators' form is shown
    inn.bring(inn.submit("转炉氧枪喷头改进方法"), State.EVALUATING)
    c = as_(client, inn.sd.enterprise_cadre)
    url = reverse("innovation:proposal_list")
    detail = reverse("innovation:proposal_detail", args=[first.pk])
    few, page = _queries(c, url), _queries(c, detail)
    for i in range(8):
        inn.bring(inn.submit(f"第{i}号焊接工装改进"), State.EVALUATING if i % 2 else State.REWARDED)
    assert _queries(c, url) == few
    more = inn.bring(inn.submit("转炉氧枪喷头改进二"), State.REWARDED)
    assert _queries(c, reverse("innovation:proposal_detail", args=[more.pk])) == page


def test_files_are_downloaded_through_the_scope(client, inn):
    p = inn.submit(files=[pdf()])
    a = p.attachments.get()
    url = reverse("innovation:attachment", args=[p.pk, a.pk])
    r = as_(client, inn.sd.enterprise_cadre).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert as_(client, inn.sd.qingdao_cadre).get(url).status_code == 404
    assert as_(client, inn.colleague_user).get(url).status_code == 404
    assert not a.file.name.startswith("/") and "图纸" not in a.file.name  # stored under a random name


@pytest.mark.parametrize("name", ["figures", "policy", "ledger", "appointments"])
def test_the_union_pages_open(client, inn, name):
    inn.bring(inn.submit(), State.REWARDED)
    c = as_(client, inn.sd.jinan_cadre)
    r = c.get(reverse(f"innovation:{name}"), {"org": inn.sd.steel.pk})
    assert r.status_code == 200
    if name in ("figures", "ledger"):
        assert c.get(reverse(f"innovation:{name}"), {"org": inn.sd.steel.pk, "export": "xlsx"}).status_code == 200
    assert as_(client, inn.sd.qingdao_cadre).get(reverse(f"innovation:{name}"),
                                                 {"org": inn.sd.steel.pk}).status_code == 404


def test_a_policy_and_an_appointment_through_their_pages(client, inn):
    sd = inn.sd
    c = as_(client, sd.enterprise_cadre)
    data = {"share_percent": "8", "cap": "", "point_value": "80", "first_benefit": "500000",
            "second_benefit": "100000", "third_benefit": "10000", "first_score": "90", "second_score": "80",
            "third_score": "70", "first_points": "20", "second_points": "10", "third_points": "5",
            "encouragement_points": "1"}
    bad = c.post(reverse("innovation:policy") + f"?org={sd.steel.pk}", {**data, "third_benefit": "900000"})
    assert bad.status_code == 400
    assert c.post(reverse("innovation:policy") + f"?org={sd.steel.pk}", data).status_code == 302
    j = as_(client, sd.jinan_cadre)
    r = j.post(reverse("innovation:appointments") + f"?org={sd.steel.pk}", {"username": "county_cadre",
                                                                             "duty": "finance"})
    assert r.status_code == 302
    home = j.get(reverse("orgs:home"))
    assert home.status_code == 200 and "innovation-figures" in home.content.decode()


def test_the_reward_preview_shows_a_capped_share_and_the_points_of_a_soft_benefit(inn, client):
    """Before paying, the page shows how the policy gives the reward: the share over the cap, and for a proposal
    without a hard benefit the grade's points × the amount per point; and each proposer's part."""
    from decimal import Decimal as D

    from gongjiang.innovation import services as svc
    from gongjiang.innovation.choices import Category, State

    big = inn.bring(inn.submit("高炉风口寿命提升", co_proposers=[svc.CoProposer("周明", 30)]), State.ACCOUNTED,
                    gross=D(2000000), cost=D(0))
    soft = inn.bring(inn.submit("安全帽佩戴检查看板", category=Category.SAFETY), State.ACCOUNTED, forecast=D(0),
                     gross=D(0), cost=D(0))
    client.force_login(inn.sd.enterprise_cadre)
    page = client.get(f"/innovation/proposals/{big.pk}/").content.decode()
    assert "net benefit 200.00 × 10,000 yuan × 5% = 100,000.00 yuan" in page
    assert "over the cap of 50,000" in page
    assert "35,000.00" in page and "15,000.00" in page  # 70 % and 30 % of the cap
    page = client.get(f"/innovation/proposals/{soft.pk}/").content.decode()
    assert "10 points × 100 yuan = 1,000.00 yuan" in page  # score 86: second grade, 10 points
    assert "graded by the valuation score 86" in page


def test_benefit_evidence_is_not_listed_to_a_proposer_who_could_not_open_it(inn, client):
    from gongjiang.innovation.choices import State

    p = inn.bring(inn.submit(), State.ACCOUNTED)
    link = f"/innovation/proposals/{p.pk}/files/"
    client.force_login(inn.sd.worker)
    assert link not in client.get(f"/innovation/proposals/{p.pk}/").content.decode()  # (the timeline names it)
    client.force_login(inn.finance)
    assert link in client.get(f"/innovation/proposals/{p.pk}/").content.decode()
