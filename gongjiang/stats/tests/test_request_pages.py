"""Data requests' pages and API (报表): who may open what (the permission matrix of a request and a return), the form
of a new request with its errors in Chinese, a return filled, refused with every bad figure named and nothing
saved, reported, sent back; the completeness page with its totals and Excel; the to-do; the API's fields and its
422s — and nothing that a reporting union sees of another union's figures."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from gongjiang.core.registry import todo_items
from gongjiang.orgs.tests.test_api import Api, assert_error, token_for
from gongjiang.stats import services
from gongjiang.stats.choices import ReturnState
from gongjiang.stats.models import DataRequest, DataReturn

FORM = [{"metric": "alpha.held"}, {"metric": "beta.benefit"}, {"label": "培训期数", "unit": "期"}]


@pytest.fixture
def req(filled):
    sd = filled
    return services.issue_request(actor=sd.province_admin, org=sd.province, title="2026年主要指标", period="2026",
                                  due=timezone.localdate() + datetime.timedelta(days=7), indicators=FORM,
                                  recipients=[sd.jinan, sd.qingdao])


# persona → (sees the request page, sees Jinan's return, may fill Jinan's return)
MATRIX = {"province_admin": (True, True, False), "jinan_cadre": (True, True, True),
          "jinan_viewer": (True, True, False), "qingdao_cadre": (True, False, False),
          "county_cadre": (False, False, False), "industry_cadre": (False, False, False),
          "enterprise_cadre": (False, False, False)}


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_the_permission_matrix_of_a_request_and_a_return(client, req, filled, persona):
    sees_request, sees_return, fills = MATRIX[persona]
    user = getattr(filled, persona)
    client.force_login(user)
    jinan = req.returns.get(org=filled.jinan)
    assert client.get(reverse("stats:request_detail", args=[req.pk])).status_code == (200 if sees_request else 404)
    page = client.get(reverse("stats:return_detail", args=[jinan.pk]))
    assert page.status_code == (200 if sees_return else 404)
    if sees_return:
        assert (b'name="report"' in page.content) == fills
    posted = client.post(reverse("stats:return_detail", args=[jinan.pk]), {"alpha.held": "1", "save": ""})
    assert posted.status_code == (302 if fills else 403 if sees_return else 404)
    requesting = persona == "province_admin"
    for action in ("remind", "close"):
        answer = client.post(reverse("stats:request_action", args=[req.pk, action]))
        assert answer.status_code == (302 if requesting else 403 if sees_request else 404)
    req.refresh_from_db()
    assert req.is_open != requesting


def test_a_reporting_union_sees_its_own_figures_only(client, req, filled):
    sd = filled
    qingdao = req.returns.get(org=sd.qingdao)
    services.save_return(actor=sd.qingdao_cadre, ret=qingdao, values={**qingdao.values, "c1": "7"}, report=True)
    client.force_login(sd.jinan_cadre)
    html = client.get(reverse("stats:request_detail", args=[req.pk])).content.decode()
    assert "济南市总工会" in html and "青岛市总工会" not in html and "123.46" not in html
    assert "上报率" not in html
    assert client.get(reverse("stats:request_detail", args=[req.pk]), {"export": "xlsx"})["Content-Type"] \
        .startswith("text/html")
    got = Api(token=token_for(sd.jinan_cadre)).get(f"/stats/requests/{req.pk}").json()
    assert [r["org_name"] for r in got["returns"]] == ["济南市总工会"] and got["completeness"] is None
    assert_error(Api(token=token_for(sd.jinan_cadre)).get(f"/stats/returns/{qingdao.pk}"), 404)


def test_a_new_request_from_the_page(client, filled):
    sd = filled
    client.force_login(sd.province_admin)
    url = reverse("stats:request_new") + f"?org={sd.province.pk}"
    page = client.get(url)
    assert page.status_code == 200 and "举办次数" in page.content.decode() and "济南市总工会" in page.content.decode()
    bad = client.post(url, {"title": "月报", "period": "2026-13", "due": "2026-01-01", "recipients": [sd.jinan.pk]})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "不是月份" in html and "请至少选择一项指标" in html and "不能早于今天" in html
    assert DataRequest.objects.count() == 0
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    good = client.post(url, {"title": "月报", "period": "2026-05", "due": due, "metrics": ["alpha.held"],
                             "extra_1_label": "培训期数", "extra_1_unit": "期", "extra_1_places": "",
                             "recipients": [sd.jinan.pk, sd.qingdao.pk]})
    made = DataRequest.objects.get()
    assert good.status_code == 302 and good["Location"] == made.get_absolute_url()
    assert [i["label"] for i in made.indicators] == ["举办次数", "培训期数"]
    assert made.returns.get(org=sd.qingdao).values == {"alpha.held": "3"}
    client.force_login(sd.jinan_cadre)
    assert client.get(url).status_code == 404  # the province is outside Jinan's scope


def test_a_return_is_filled_refused_reported_sent_back_and_counted(client, req, filled):
    sd = filled
    jinan = req.returns.get(org=sd.jinan)
    url = reverse("stats:return_detail", args=[jinan.pk])
    client.force_login(sd.jinan_cadre)
    page = client.get(url).content.decode()
    assert 'value="3"' in page and "平台" in page and "第" not in page.split("<form")[0][-50:]
    bad = client.post(url, {"alpha.held": "三", "beta.benefit": "-1", "c1": "2.5", "report": ""})
    assert bad.status_code == 422
    html = bad.content.decode()
    assert "第1项「举办次数」：请填写数字" in html and "第2项「经济效益」不能为负数" in html
    assert "第3项「培训期数」应为整数" in html
    assert 'value="三"' in html  # what was typed stays to be corrected
    jinan.refresh_from_db()
    assert jinan.state == ReturnState.PENDING and jinan.values == {"alpha.held": "3", "beta.benefit": "0.00"}
    assert client.post(url, {"alpha.held": "3", "beta.benefit": "0", "c1": "4", "report": ""}).status_code == 302
    jinan.refresh_from_db()
    assert jinan.state == ReturnState.SUBMITTED
    assert b'name="report"' not in client.get(url).content  # locked
    assert client.post(url, {"c1": "5", "save": ""}).status_code == 403
    # the province sends it back with its reason; Jinan sees the reason
    client.force_login(sd.province_admin)
    assert client.post(reverse("stats:return_send_back", args=[jinan.pk]), {"reason": ""}).status_code == 302
    jinan.refresh_from_db()
    assert jinan.state == ReturnState.SUBMITTED
    client.post(reverse("stats:return_send_back", args=[jinan.pk]), {"reason": "培训期数请按台账核对"})
    client.force_login(sd.jinan_cadre)
    assert "培训期数请按台账核对" in client.get(url).content.decode()
    assert any("报表" in str(i.label) for i in todo_items(sd.jinan_cadre))


def test_the_completeness_page_and_its_excel(client, req, filled):
    sd = filled
    for ret, who in ((req.returns.get(org=sd.jinan), sd.jinan_cadre),
                     (req.returns.get(org=sd.qingdao), sd.qingdao_cadre)):
        services.save_return(actor=who, ret=ret, values={**ret.values, "c1": "5"}, report=True)
    client.force_login(sd.province_admin)
    url = reverse("stats:request_detail", args=[req.pk])
    page = client.get(url)
    html = page.content.decode()
    assert "100.0%" in html and "上报率" in html and "合计" in html
    assert page.context["view"].totals["alpha.held"] == 6
    book = openpyxl.load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("填报单位", "状态", "上报时间", "是否按时")
    assert rows[1][0] == "济南市总工会" and rows[1][4] == 3 and rows[2][5] == pytest.approx(123.46)
    # the list page shows its progress
    listing = client.get(reverse("stats:request_list")).content.decode()
    assert "2/2（100.0%）" in listing


def test_the_api_sends_fills_and_refuses(filled):
    sd = filled
    province = Api(token=token_for(sd.province_admin))
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    bad = province.post("/stats/requests", {"org_id": sd.province.pk, "title": "", "period": "2026-02-30",
                                            "due": due, "indicators": [], "recipient_ids": [sd.jinan.pk]})
    body = assert_error(bad, 400)
    assert {"title", "period", "indicators"} <= set(body["errors"]) and "不是" in body["errors"]["period"]
    made = province.post("/stats/requests", {"org_id": sd.province.pk, "title": "快报", "period": "2026",
                                             "due": due, "indicators": FORM,
                                             "recipient_ids": [sd.jinan.pk, sd.qingdao.pk]})
    assert made.status_code == 201, made.content
    got = made.json()
    assert got["completeness"]["expected"] == 2 and got["indicators"][1]["unit"] == "万元"
    jinan_id = next(r["id"] for r in got["returns"] if r["org_id"] == sd.jinan.pk)
    jinan = Api(token=token_for(sd.jinan_cadre))
    refused = jinan.put(f"/stats/returns/{jinan_id}", {"values": {"alpha.held": "x", "c1": -1}, "report": True})
    body = assert_error(refused, 400)
    assert set(body["errors"]) == {"alpha.held", "beta.benefit", "c1"}
    assert DataReturn.objects.get(pk=jinan_id).state == ReturnState.PENDING
    done = jinan.put(f"/stats/returns/{jinan_id}", {"values": {"alpha.held": 3, "beta.benefit": "0", "c1": "1,200"},
                                                    "report": True})
    assert done.status_code == 200 and done.json()["values"]["c1"] == "1200" and done.json()["on_time"]
    assert_error(province.put(f"/stats/returns/{jinan_id}", {"values": {}}), 403)
    assert province.post(f"/stats/requests/{got['id']}/remind").json() == {"reminded": 1}
    listing = province.get("/stats/requests").json()
    assert listing["items"][0]["completeness"]["reported"] == 1
