"""The review in the API: the county's list and quota, forward / return / reject (a 403 for another level, a 400
naming the field otherwise, nothing changed), the bulk forward all or nothing, the shortlist's notice, the outcome
of an objection and the conferral; the review list in a constant number of queries."""

from __future__ import annotations

from gongjiang.core import notices
from gongjiang.honours.choices import NominationState
from gongjiang.honours.models import Allocation
from gongjiang.orgs.tests.test_api import Api, assert_error

from .test_review_services import end_notice, fresh, objection, shortlisted, submitted, up_to_the_province
from .test_services import rows


def test_the_county_reads_its_level_and_list_and_decides(hw):
    a, b = submitted(hw), submitted(hw, team=hw.sd.workshop)
    county = Api(hw.sd.county_cadre)
    level = county.get(f"/honours/campaigns/{hw.pioneer.pk}/review/level").json()
    assert (level["org"]["name"], level["quota"], level["forwarded"]) == ("历下区总工会", 3, 0)
    listed = county.get(f"/honours/campaigns/{hw.pioneer.pk}/review").json()
    assert [i["id"] for i in listed["items"]] == [a.pk, b.pk]
    assert listed["items"][0]["waiting_at"]["name"] == "历下区总工会"
    before = rows()
    assert_error(Api(hw.sd.jinan_cadre).post(f"/honours/nominations/{a.pk}/forward", {}), 403)
    assert_error(county.post(f"/honours/nominations/{a.pk}/return", {"reason": " "}), 400, None, "reason")
    assert_error(Api(hw.sd.qingdao_cadre).post(f"/honours/nominations/{a.pk}/forward", {}), 404)
    assert rows() == before
    done = county.post(f"/honours/nominations/{a.pk}/forward", {}).json()
    assert done["waiting_at"]["name"] == "济南市总工会"
    back = county.post(f"/honours/nominations/{b.pk}/reject", {"reason": "不符合条件"}).json()
    assert (back["state"], back["reason"]) == ("rejected", "不符合条件")
    forwarded = county.get(f"/honours/campaigns/{hw.pioneer.pk}/review", state="forwarded").json()
    assert [i["id"] for i in forwarded["items"]] == [a.pk]
    assert_error(Api(hw.sd.enterprise_cadre).get(f"/honours/campaigns/{hw.pioneer.pk}/review"), 403)


def test_bulk_forward_is_all_or_nothing(hw):
    a, b = submitted(hw), submitted(hw, team=hw.sd.workshop)
    Allocation.objects.filter(pk=hw.share(hw.sd.lixia).pk).update(reserve_non_public=2)
    county = Api(hw.sd.county_cadre)
    before = rows()
    body = assert_error(county.post(f"/honours/campaigns/{hw.pioneer.pk}/forward",
                                    {"nomination_ids": [a.pk, b.pk]}), 400, "refused", "nominations")
    assert "炼钢车间" in body["detail"] and rows() == before
    Allocation.objects.filter(pk=hw.share(hw.sd.lixia).pk).update(reserve_non_public=1)
    done = county.post(f"/honours/campaigns/{hw.pioneer.pk}/forward", {"nomination_ids": [a.pk, b.pk]})
    assert done.status_code == 200 and len(done.json()) == 2


def test_the_province_publishes_decides_and_confers(hw):
    n = shortlisted(hw)
    admin = Api(hw.sd.province_admin)
    base = f"/honours/campaigns/{hw.pioneer.pk}"
    assert_error(Api(hw.sd.jinan_cadre).post(f"{base}/shortlist/notice", {"working_days": 5}), 403)
    made = admin.post(f"{base}/shortlist/notice", {"working_days": 5})
    assert made.status_code == 201
    notice = notices.notice_of("honours.shortlist", hw.pioneer)
    o = objection(notice)
    assert_error(admin.post(f"{base}/confer", {}), 400, "notice_running", "notice")
    before = rows()
    assert_error(admin.post(f"{base}/shortlist/objections/{o.pk}", {"outcome": "upheld", "reply": "属实"}), 400,
                 None, "nomination")
    assert rows() == before
    decided = admin.post(f"{base}/shortlist/objections/{o.pk}", {"outcome": "upheld", "reply": "经核实情况属实",
                                                                 "nomination_id": n.pk})
    assert decided.status_code == 200 and decided.json()["open_objections"] == 0
    assert fresh(n).state == NominationState.NOT_CONFERRED
    end_notice(notice)
    assert_error(admin.post(f"{base}/confer", {}), 400, "empty")


def test_conferral_through_the_api(hw):
    n = shortlisted(hw)
    admin = Api(hw.sd.province_admin)
    base = f"/honours/campaigns/{hw.pioneer.pk}"
    admin.post(f"{base}/shortlist/notice", {"working_days": 5})
    end_notice(notices.notice_of("honours.shortlist", hw.pioneer))
    done = admin.post(f"{base}/confer", {})
    assert done.status_code == 200 and [d["state"] for d in done.json()] == ["conferred"]
    assert fresh(n).state == NominationState.CONFERRED


def test_the_review_list_costs_the_same_for_one_or_many(hw, django_assert_max_num_queries):
    up_to_the_province(hw, submitted(hw))
    admin = Api(hw.sd.province_admin)
    url = f"/honours/campaigns/{hw.pioneer.pk}/review"
    admin.get(url)
    with django_assert_max_num_queries(20) as few:
        assert len(admin.get(url).json()["items"]) == 1
    up_to_the_province(hw, submitted(hw, team=hw.sd.workshop))
    up_to_the_province(hw, submitted(hw, team=hw.private_team, unit=hw.private, actor=hw.private_cadre))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(admin.get(url).json()["items"]) == 3
