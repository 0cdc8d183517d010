"""The 6·18 exhibition in the API under /api/v1: the same verbs and scopes as the pages — 济钢's union offers an
achievement, 济南重工's enters a need, the organiser checks both and confirms the match, the need's union books a
meeting, the offer's accepts, they meet and sign; each refusal names its field (a taken slot, a signature without a
value or before meeting, an entry after the deadline, an org out of scope), out of sight is a 404, nothing changed
by any refusal; OpenAPI documents it."""

from __future__ import annotations

import datetime

from django.utils import timezone

from gongjiang.orgs.tests.test_api import API, Api, assert_error

from .test_services import rows


def _offer(ex, **kw):
    return {"org_id": ex.sd.steel.pk, "title": "转炉煤气余热发电技术",
            "summary": "利用转炉煤气余热发电，吨钢回收电量提高30%。", "category": "energy", "mode": "licence",
            "price": "800000.00", "contact_id": ex.sd.worker_person.pk, **kw}


def _need(ex, **kw):
    return {"org_id": ex.partner.pk, "title": "加热炉余热发电改造",
            "description": "加热炉烟气余热未回收，希望引进余热发电技术。", "category": "energy",
            "contact_id": ex.partner_person.pk, **kw}


def test_an_offer_and_a_need_are_matched_met_and_signed_through_the_api(ex):
    e = ex.exhibition
    steel, partner, organiser = Api(ex.sd.enterprise_cadre), Api(ex.partner_cadre), Api(ex.organiser)
    r = steel.post(f"/innovation/exhibitions/{e.pk}/offers", _offer(ex))
    assert r.status_code == 201, r.content
    offer = r.json()
    assert offer["state"] == "submitted" and offer["contact"]["mobile"] == ex.sd.worker_person.mobile
    need = partner.post(f"/innovation/exhibitions/{e.pk}/needs", _need(ex)).json()
    for kind, x in (("offers", offer), ("needs", need)):
        r = organiser.post(f"/innovation/exhibition-{kind}/{x['id']}/check", {"accept": True})
        assert r.status_code == 200 and r.json()["state"] == "accepted"
    s = organiser.get(f"/innovation/exhibitions/{e.pk}/suggestions").json()
    assert s[0]["offer_id"] == offer["id"] and s[0]["need_id"] == need["id"] and s[0]["same_category"]
    assert any("余热发电" in w for w in s[0]["words"])
    # the need's union sees the offer in the published catalogue, without its contact
    published = partner.get(f"/innovation/exhibition-offers/{offer['id']}").json()
    assert published["title"] == offer["title"] and published["contact"] is None
    r = organiser.post(f"/innovation/exhibitions/{e.pk}/matches", {"offer_id": offer["id"], "need_id": need["id"]})
    assert r.status_code == 201, r.content
    m = r.json()
    assert m["origin"] == "suggested" and m["need_contact"]["mobile"] == ex.partner_person.mobile
    slot = partner.get(f"/innovation/exhibitions/{e.pk}").json()["slots"][0]
    r = partner.post(f"/innovation/exhibition-matches/{m['id']}/meetings", {"starts_at": slot})
    assert r.status_code == 201, r.content
    assert r.json()["offer_contact"]["mobile"] is None  # not before the meeting is accepted
    meeting = r.json()["meetings"][0]
    r = steel.post(f"/innovation/exhibition-matches/{m['id']}/meetings/{meeting['id']}/accept", {})
    assert r.status_code == 200 and r.json()["meetings"][0]["state"] == "accepted"
    assert partner.get(f"/innovation/exhibition-matches/{m['id']}").json()["offer_contact"]["mobile"] == \
        ex.sd.worker_person.mobile
    today = timezone.localdate().isoformat()
    assert steel.post(f"/innovation/exhibition-matches/{m['id']}/met", {"met_on": today}).status_code == 200
    r = steel.post(f"/innovation/exhibition-matches/{m['id']}/sign", {"contract_value": "650000.00",
                                                                        "signed_on": today})
    assert r.status_code == 200 and r.json()["state"] == "signed" and r.json()["contract_value"] == "650000.00"
    listed = organiser.get(f"/innovation/exhibitions/{e.pk}/matches", state="signed").json()
    assert listed["count"] == 1
    figures = steel.get("/innovation/figures", org_id=ex.sd.steel.pk, year=timezone.localdate().year)
    assert figures.status_code == 200


def test_refusals_name_their_field_and_change_nothing(ex):
    e = ex.exhibition
    m = ex.match()
    steel, partner = Api(ex.sd.enterprise_cadre), Api(ex.partner_cadre)
    today = timezone.localdate().isoformat()
    slot = e.slots()[0].isoformat()
    partner.post(f"/innovation/exhibition-matches/{m.pk}/meetings", {"starts_at": slot, "table": 1})
    before = rows()
    assert_error(steel.post(f"/innovation/exhibition-matches/{m.pk}/meetings", {"starts_at": slot}), 400, "busy",
                 "starts_at")
    assert_error(steel.post(f"/innovation/exhibition-matches/{m.pk}/sign", {"contract_value": "1000",
                                                                             "signed_on": today}),
                 400, "step_skipped", "state")
    assert_error(steel.post(f"/innovation/exhibition-matches/{m.pk}/meetings", {
        "starts_at": (e.slots()[0] + datetime.timedelta(minutes=5)).isoformat()}), 400, "no_slot", "starts_at")
    assert_error(steel.post(f"/innovation/exhibitions/{e.pk}/offers", _offer(ex, org_id=ex.sd.qd_enterprise.pk)),
                 404, "not_found", "org_id")
    assert_error(Api(ex.sd.qingdao_cadre).get(f"/innovation/exhibition-matches/{m.pk}"), 404, "not_found")
    assert_error(Api(ex.sd.jinan_viewer).post(f"/innovation/exhibition-matches/{m.pk}/met", {"met_on": today}), 403,
                 "forbidden")
    assert_error(steel.post(f"/innovation/exhibitions/{e.pk}/offers", _offer(ex, summary="短")), 400, "invalid",
                 "summary")
    assert rows() == before
    steel.post(f"/innovation/exhibition-matches/{m.pk}/met", {"met_on": today})
    before = rows()
    for value in (None, "-5", "0"):
        assert_error(steel.post(f"/innovation/exhibition-matches/{m.pk}/sign", {"contract_value": value,
                                                                                 "signed_on": today}),
                     400, None, "contract_value")
    e.registration_deadline = timezone.localdate() - datetime.timedelta(days=1)
    e.save(update_fields=["registration_deadline"])
    before = rows()
    assert_error(steel.post(f"/innovation/exhibitions/{e.pk}/offers", _offer(ex)), 400, "deadline_passed",
                 "exhibition")
    assert rows() == before


def test_a_returned_entry_is_corrected_and_submitted_again_through_the_api(ex):
    e = ex.exhibition
    steel, partner, organiser = Api(ex.sd.enterprise_cadre), Api(ex.partner_cadre), Api(ex.organiser)
    offer = steel.post(f"/innovation/exhibitions/{e.pk}/offers", _offer(ex)).json()
    fields = {k: v for k, v in _offer(ex, title="转炉煤气余热发电技术（二期）").items() if k != "org_id"}
    before = rows()
    assert_error(steel.put(f"/innovation/exhibition-offers/{offer['id']}", fields), 400, "wrong_state", "state")
    organiser.post(f"/innovation/exhibition-offers/{offer['id']}/check", {"accept": False, "reason": "未鉴定"})
    before = rows()
    assert_error(partner.put(f"/innovation/exhibition-offers/{offer['id']}", fields), 404, "not_found")
    assert_error(steel.put(f"/innovation/exhibition-offers/{offer['id']}", {**fields, "summary": "短"}), 400,
                 "invalid", "summary")
    assert rows() == before
    r = steel.put(f"/innovation/exhibition-offers/{offer['id']}", fields)
    assert r.status_code == 200, r.content
    assert (r.json()["state"], r.json()["title"], r.json()["return_reason"]) == (
        "submitted", "转炉煤气余热发电技术（二期）", "")
    need = partner.post(f"/innovation/exhibitions/{e.pk}/needs", _need(ex)).json()
    organiser.post(f"/innovation/exhibition-needs/{need['id']}/check", {"accept": False, "reason": "描述不清"})
    r = partner.put(f"/innovation/exhibition-needs/{need['id']}", {
        k: v for k, v in _need(ex, budget="300000.00").items() if k != "org_id"})
    assert r.status_code == 200 and r.json()["state"] == "submitted" and r.json()["budget"] == "300000.00"


def test_an_accepted_meeting_is_cancelled_through_the_api(ex):
    m = ex.match()
    steel, partner = Api(ex.sd.enterprise_cadre), Api(ex.partner_cadre)
    slot = ex.exhibition.slots()[0].isoformat()
    meeting = partner.post(f"/innovation/exhibition-matches/{m.pk}/meetings", {"starts_at": slot}).json()["meetings"][0]
    url = f"/innovation/exhibition-matches/{m.pk}/meetings/{meeting['id']}/cancel"
    before = rows()
    assert_error(steel.post(url, {"reason": "不去了"}), 400, "wrong_state", "meeting")
    steel.post(f"/innovation/exhibition-matches/{m.pk}/meetings/{meeting['id']}/accept")
    before = rows()
    assert_error(steel.post(url, {"reason": ""}), 400, None, "reason")
    assert_error(Api(ex.sd.qingdao_cadre).post(url, {"reason": "不合适"}), 404, "not_found")
    assert_error(Api(ex.sd.jinan_viewer).post(url, {"reason": "不合适"}), 403, "forbidden")
    assert rows() == before
    r = steel.post(url, {"reason": "设备检修"})
    assert r.status_code == 200, r.content
    done = r.json()["meetings"][0]
    assert (done["state"], done["cancelled_by"], done["cancel_reason"]) == ("cancelled", "offer", "设备检修")
    assert_error(partner.post(url, {"reason": "再取消"}), 400, "wrong_state", "meeting")
    again = partner.post(f"/innovation/exhibition-matches/{m.pk}/meetings", {"starts_at": slot, "table": 1})
    assert again.status_code == 201  # the table is free again


def test_an_offer_and_a_need_keep_their_shape(client, ex):
    """The offer's and the need's JSON (one shared schema under both): every key of each, in the list, one entry and
    the check, and the OpenAPI's properties."""
    e = ex.exhibition
    steel, organiser = Api(ex.sd.enterprise_cadre), Api(ex.organiser)
    offer_keys = {"id", "number", "title", "summary", "org", "category", "mode", "price", "authors", "project_id",
                  "achievement_id", "state", "return_reason", "contact"}
    need_keys = {"id", "number", "title", "description", "org", "category", "budget", "solve_by", "state",
                 "return_reason", "contact"}
    offer = steel.post(f"/innovation/exhibitions/{e.pk}/offers", _offer(ex)).json()
    need = Api(ex.partner_cadre).post(f"/innovation/exhibitions/{e.pk}/needs", _need(ex)).json()
    for kind, x, keys in (("offer", offer, offer_keys), ("need", need, need_keys)):
        assert set(x) == keys
        assert set(organiser.get(f"/innovation/exhibition-{kind}s/{x['id']}").json()) == keys
        assert set(organiser.get(f"/innovation/exhibitions/{e.pk}/{kind}s").json()["items"][0]) == keys
        checked = organiser.post(f"/innovation/exhibition-{kind}s/{x['id']}/check", {"accept": True}).json()
        assert set(checked) == keys and checked["state"] == "accepted"
    assert offer["contact"] == {"name": ex.sd.worker_person.name, "mobile": ex.sd.worker_person.mobile}
    assert offer["org"]["id"] == ex.sd.steel.pk and offer["price"] == "800000.00" and offer["return_reason"] == ""
    schemas = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    assert set(schemas["OfferOut"]["properties"]) == offer_keys
    assert set(schemas["NeedOut"]["properties"]) == need_keys


def test_the_openapi_documents_the_exhibition(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert {f"{API}/innovation/{p}" for p in (
        "exhibitions", "exhibitions/{exhibition_id}", "exhibitions/{exhibition_id}/state",
        "exhibitions/{exhibition_id}/offers", "exhibitions/{exhibition_id}/needs",
        "exhibitions/{exhibition_id}/suggestions", "exhibitions/{exhibition_id}/matches",
        "exhibition-offers/{offer_id}/check", "exhibition-needs/{need_id}/check", "exhibition-matches/{match_id}",
        "exhibition-matches/{match_id}/meetings", "exhibition-matches/{match_id}/meetings/{meeting_id}/accept",
        "exhibition-matches/{match_id}/meetings/{meeting_id}/decline",
        "exhibition-matches/{match_id}/meetings/{meeting_id}/cancel", "exhibition-matches/{match_id}/met",
        "exhibition-matches/{match_id}/sign", "exhibition-matches/{match_id}/implemented",
        "exhibition-matches/{match_id}/close")} <= set(paths)
