"""The assessments' pages: the province defines a rubric from its definition (every problem listed beside it) and
opens an assessment of its cities; Jinan's cadre fills in its sheet (the prefilled figure shows its source),
attaches evidence and submits; the province reviews item by item and confirms; the campaign's page shows the
completeness and, once ranked, the ranking (exportable); other unions get a 404."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongjiang.assessments.models import Campaign, Rubric
from gongjiang.assessments.samples import CITY_RUBRIC

from .test_services import snapshot


def test_the_rubric_form_starts_from_the_sample_and_lists_every_problem(client, sd):
    client.force_login(sd.province_admin)
    url = reverse("assessments:rubric_new") + f"?org={sd.province.pk}"
    page = client.get(url)
    assert page.status_code == 200 and "满分" in page.content.decode()
    data = copy.deepcopy(CITY_RUBRIC)
    data["maximum"] = 120
    del data["items"][7]["reason"]
    before = snapshot()
    r = client.post(url, {"title": "全省细则", "definition": json.dumps(data, ensure_ascii=False)})
    assert r.status_code == 400
    text = r.content.decode()
    assert "declared maximum 120" in text and "needs its reason" in text
    assert snapshot() == before
    r = client.post(url, {"title": "全省细则", "definition": page.context["form"].initial["definition"]})
    rubric = Rubric.objects.get()
    assert r.status_code == 302 and r["Location"] == rubric.get_absolute_url()
    assert client.get(rubric.get_absolute_url()).status_code == 200


def test_a_city_cannot_define_a_rubric_for_the_province(client, sd):
    client.force_login(sd.jinan_cadre)
    assert client.get(reverse("assessments:rubric_new") + f"?org={sd.province.pk}").status_code == 404


def test_the_province_opens_an_assessment_of_its_cities(client, aw):
    sd = aw.sd
    client.force_login(sd.province_admin)
    url = reverse("assessments:campaign_new") + f"?org={sd.province.pk}"
    assert client.get(url).status_code == 200
    r = client.post(url, {"title": "上半年考核", "year": aw.year, "rubric": aw.rubric.pk,
                          "assessed": [sd.jinan.pk]})
    assert r.status_code == 302
    assert Campaign.objects.get(title="上半年考核").sheets.get().org == sd.jinan
    before = snapshot()
    r = client.post(url, {"title": "上半年考核", "year": aw.year, "rubric": aw.rubric.pk, "assessed": [sd.jinan.pk]})
    assert r.status_code == 400 and "already has an assessment" in r.content.decode()
    assert snapshot() == before


def test_a_city_fills_in_its_sheet_with_evidence_and_submits(client, aw, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    sd = aw.sd
    sheet = aw.sheet(sd.jinan)
    client.force_login(sd.jinan_cadre)
    page = client.get(sheet.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200 and 'name="item_A1"' in text and "From the platform" in text
    before = snapshot()
    r = client.post(reverse("assessments:sheet_answers", args=[sheet.pk]),
                    {"item_A1": "优", "item_B1": "三", "item_V1": "是", "note_V1": ""})
    assert r.status_code == 400
    text = r.content.decode()
    assert "is not a number" in text and "reason for the veto" in text
    assert snapshot() == before
    answers = {f"item_{k}": v for k, v in {"A1": "优", "A2": "是", "B2": "良", "C2": "优", "E1": "0", "X1": "1",
                                            "X2": "0", "V1": "否"}.items()}
    assert client.post(reverse("assessments:sheet_answers", args=[sheet.pk]), answers).status_code == 302
    pdf = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    client.post(reverse("assessments:sheet_evidence", args=[sheet.pk]), {"item": "A2", "files": [pdf]})
    ev = sheet.answers.get(item="A2").evidence.get()
    assert client.get(ev.get_absolute_url()).status_code == 200
    assert client.post(reverse("assessments:sheet_action", args=[sheet.pk, "submit"])).status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == "submitted"
    assert 'name="item_A1"' not in client.get(sheet.get_absolute_url()).content.decode()  # locked
    export = client.get(sheet.get_absolute_url() + "?export=xlsx")
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]


def test_the_province_reviews_item_by_item_and_the_campaign_shows_completeness_and_ranking(client, aw):
    sd = aw.sd
    sheet = aw.fill(sd.jinan)
    client.force_login(sd.province_admin)
    url = reverse("assessments:sheet_review", args=[sheet.pk])
    assert 'class="review-form filters" id="review-B1"' in client.get(sheet.get_absolute_url()).content.decode()
    before = snapshot()
    r = client.post(url, {"item": "B1", "decision": "adjusted", "value": "10", "reason": ""})
    assert r.status_code == 400 and "reason for the adjustment" in r.content.decode()
    assert snapshot() == before
    assert client.post(url, {"item": "B1", "decision": "adjusted", "value": "10", "reason": "核减"}).status_code == 302
    for a in sheet.answers.exclude(item="B1"):
        client.post(url, {"item": a.item, "decision": "accepted"})
    client.post(reverse("assessments:sheet_action", args=[sheet.pk, "confirm"]))
    aw.fill(sd.qingdao, V1="是")
    aw.confirm(sd.qingdao)
    page = client.get(aw.campaign.get_absolute_url()).content.decode()
    assert "100% submitted, 100% confirmed" in page
    client.post(reverse("assessments:campaign_action", args=[aw.campaign.pk, "rank"]))
    page = client.get(aw.campaign.get_absolute_url()).content.decode()
    assert "Ranking" in page and "vetoed" in page
    export = client.get(aw.campaign.get_absolute_url() + "?export=xlsx")
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]


@pytest.mark.parametrize("who", ["county_cadre", "worker", "industry_cadre"])
def test_other_unions_get_a_404(client, aw, who):
    client.force_login(getattr(aw.sd, who))
    assert client.get(aw.campaign.get_absolute_url()).status_code == 404
    assert client.get(aw.sheet(aw.sd.jinan).get_absolute_url()).status_code == 404


def test_the_assessed_union_sees_its_own_sheet_only_and_no_ranking_before_publication(client, aw):
    sd = aw.sd
    client.force_login(sd.qingdao_cadre)
    assert client.get(aw.sheet(sd.jinan).get_absolute_url()).status_code == 404
    page = client.get(aw.campaign.get_absolute_url()).content.decode()
    assert "青岛市总工会" in page and "济南市总工会" not in page and "Completeness" not in page
    assert client.get(aw.campaign.get_absolute_url() + "?export=xlsx").status_code == 404
    assert client.get(reverse("assessments:campaign_list")).status_code == 200


def test_the_to_do_lists_sheets_to_fill_and_to_review(aw):
    from gongjiang.core import registry

    def count(user):
        return {i.label: i.count for i in registry.todo_items(user) if i.app == "assessments"}

    assert list(count(aw.sd.jinan_cadre).values()) == [1]
    aw.fill(aw.sd.jinan)
    assert list(count(aw.sd.province_admin).values()) == [1]


def test_once_published_the_assessed_union_sees_the_ranking_and_opens_only_its_own_sheet(client, aw):
    from gongjiang.assessments import services

    sd = aw.sd
    aw.fill(sd.jinan), aw.fill(sd.qingdao, V1="是")
    aw.confirm(sd.jinan), aw.confirm(sd.qingdao)
    services.rank_campaign(actor=sd.province_admin, campaign=aw.campaign)
    services.publish_campaign(actor=sd.province_admin, campaign=aw.campaign)
    client.force_login(sd.qingdao_cadre)
    page = client.get(aw.campaign.get_absolute_url()).content.decode()
    assert "Ranking" in page and "济南市总工会" in page
    assert aw.sheet(sd.jinan).get_absolute_url() not in page and aw.sheet(sd.qingdao).get_absolute_url() in page
    assert 'id="appeal-form"' in client.get(aw.sheet(sd.qingdao).get_absolute_url()).content.decode()
