"""The review panels in the API: the province sets up a panel and puts a member on it, the member reads their
nominations, scores, votes are refused on a scoring panel, a conflict hides the deeds, the cadres read the results;
refusals name their fields and change nothing; out of scope is a 404."""

from __future__ import annotations

from gongjiang.orgs.tests.test_api import Api, assert_error

from .panel_factories import CRITERIA, FULL, panels
from .test_services import rows


def test_a_panel_through_the_api(hw):
    pn = panels(hw)
    admin = Api(hw.sd.province_admin)
    cid = hw.pioneer.pk
    listed = admin.get(f"/honours/campaigns/{cid}/panels").json()
    assert {p["name"] for p in listed} == {"省工人先锋号评审组", "济南市评审组"}
    before = rows()
    bad = assert_error(admin.post(f"/honours/campaigns/{cid}/panels", {
        "allocation_id": hw.root().pk, "name": "复审组", "mode": "score",
        "criteria": [{**CRITERIA[0], "weight": 10}, CRITERIA[1], CRITERIA[2]]}), 400, "invalid", "criteria")
    assert "70" in bad["detail"]
    assert rows() == before
    made = admin.post(f"/honours/campaigns/{cid}/panels", {"allocation_id": hw.root().pk, "name": "复审组",
                                                           "mode": "score", "criteria": CRITERIA})
    assert made.status_code == 201, made.content
    pid = made.json()["id"]
    assert [c["key"] for c in made.json()["criteria"]] == ["c1", "c2", "c3"]
    added = admin.post(f"/honours/panels/{pid}/members", {"user_id": pn.expert.pk, "chair": True})
    assert added.status_code == 201 and added.json()["members"][0]["chair"] is True
    # Qingdao's cadre neither sees the province's panel nor adds to it; Jinan cannot name a Qingdao account
    qd = Api(hw.sd.qingdao_cadre)
    assert_error(qd.get(f"/honours/panels/{pid}"), 404)
    assert_error(qd.post(f"/honours/panels/{pid}/members", {"user_id": pn.chair.pk}), 404)
    assert_error(Api(hw.sd.jinan_cadre).post(f"/honours/panels/{pn.vote_panel.pk}/members",
                                             {"user_id": pn.chair.pk}), 404, "not_found", "user_id")

    member = Api(pn.expert)
    mine = member.get(f"/honours/panels/{pid}/assignments").json()
    assert {a["nominee"] for a in mine} == {"炼钢一班", "装配一班", "装卸一班"}
    before = rows()
    over = assert_error(member.put(f"/honours/panels/{pid}/nominations/{pn.steel_n.pk}/score",
                                   {"points": {"c1": 41, "c2": 50, "c3": 10}}), 400, "invalid", "c1")
    assert "40" in over["detail"]
    assert_error(member.put(f"/honours/panels/{pid}/nominations/{pn.steel_n.pk}/vote", {"choice": "yes"}),
                 400, "invalid", "panel")
    assert rows() == before
    ok = member.put(f"/honours/panels/{pid}/nominations/{pn.steel_n.pk}/score", {"points": FULL})
    assert ok.status_code == 200 and float(ok.json()["total"]) == 100
    declared = member.post(f"/honours/panels/{pid}/nominations/{pn.private_n.pk}/conflict", {"reason": "同事"})
    assert declared.status_code == 201 and declared.json()["conflict"] == "同事" and declared.json()["deeds"] == ""
    assert_error(member.put(f"/honours/panels/{pid}/nominations/{pn.private_n.pk}/score", {"points": FULL}),
                 403, "conflict", "nomination")
    # a member of another panel sees nothing of this one
    assert_error(Api(pn.jinan_member).get(f"/honours/panels/{pid}/assignments"), 404)
    assert_error(Api(pn.jinan_member).put(f"/honours/panels/{pid}/nominations/{pn.steel_n.pk}/score",
                                          {"points": FULL}), 404)

    # the chair (the member) and the cadres read the results
    res = member.get(f"/honours/panels/{pid}/results").json()
    first = res["rows"][0]
    assert (first["nominee"], first["rank"], float(first["result"])) == ("炼钢一班", 1, 100.0)
    assert res["conflicts"] == [{"member": "钱专家", "nomination": "装配一班", "reason": "同事", "automatic": False}]
    assert admin.post(f"/honours/panels/{pid}/close").json()["is_open"] is False
    assert_error(member.put(f"/honours/panels/{pid}/nominations/{pn.qingdao_n.pk}/score", {"points": FULL}),
                 400, "closed", "panel")
    assert_error(Api(hw.sd.qingdao_cadre).get(f"/honours/panels/{pid}/results"), 404)


def test_votes_and_their_tally_through_the_api(hw):
    pn = panels(hw)
    pid = pn.vote_panel.pk
    voter = Api(pn.jinan_member)
    assert_error(voter.put(f"/honours/panels/{pid}/nominations/{pn.steel_n.pk}/vote", {"choice": "yes"}),
                 403, "conflict")  # 郑专家 works at 济钢
    assert voter.put(f"/honours/panels/{pid}/nominations/{pn.private_n.pk}/vote", {"choice": "yes"}).status_code == 200
    assert_error(voter.put(f"/honours/panels/{pid}/nominations/{pn.qingdao_n.pk}/vote", {"choice": "yes"}), 404)
    rows_ = Api(hw.sd.jinan_cadre).get(f"/honours/panels/{pid}/results").json()["rows"]
    private = next(r for r in rows_ if r["nominee"] == "装配一班")
    assert (private["yes"], private["entitled"], private["quorum"], private["passed"]) == (1, 1, True, True)
    member_id = Api(hw.sd.jinan_cadre).get(f"/honours/panels/{pid}").json()["members"][0]["id"]
    assert_error(Api(hw.sd.qingdao_cadre).delete(f"/honours/panels/{pid}/members/{member_id}"), 404)
    left = Api(hw.sd.jinan_cadre).delete(f"/honours/panels/{pid}/members/{member_id}")
    assert left.status_code == 200 and left.json()["members"] == []
