"""The archive in the API under /api/v1/care/: file, check, approve through JSON; the detail audited, masked
unless the role may see clear numbers; refusals in Chinese (a duplicate member, a bad income, a malformed ID: 400
naming the field; the wrong approving level: 403; a body of the wrong shape: 422), nothing changed; out of scope a
404."""

from __future__ import annotations

from gongjiang.care.models import CareRequest, HouseholdFile, Member
from gongjiang.core.models import AuditEvent
from gongjiang.orgs.tests.test_api import Api, assert_error


def _state():
    return (HouseholdFile.objects.count(), Member.objects.count(),
            tuple(CareRequest.objects.order_by("pk").values_list("state", flat=True)))


def _body(cw, person, members=None):
    return {"person_id": person.pk, "housing": "rented", "causes": ["illness", "schooling"],
            "members": members or cw.household(person)}


def test_the_flow_through_the_api(sd, cw):
    made = Api(sd.enterprise_cadre).post("/care/files", _body(cw, sd.worker_person))
    assert made.status_code == 201, made.content
    rid = made.json()["id"]
    assert_error(Api(sd.county_cadre).post(f"/care/requests/{rid}/approve"), 400, "not_your_turn")
    assert Api(sd.enterprise_cadre).post(f"/care/requests/{rid}/check").json()["state"] == "checked"
    body = assert_error(Api(sd.enterprise_cadre).post(f"/care/requests/{rid}/approve"), 403, "not_approver")
    assert "历下区总工会" in body["detail"] and "审批" in body["detail"]
    assert Api(sd.county_cadre).post(f"/care/requests/{rid}/approve").json()["state"] == "approved"
    fid = HouseholdFile.objects.get().pk
    listed = Api(sd.jinan_viewer).get("/care/files").json()
    assert listed["items"][0]["grade"] == "deep" and "members" not in listed["items"][0]
    detail = Api(sd.jinan_viewer).get(f"/care/files/{fid}").json()
    assert detail["members"][0]["id_number"].startswith("*****") and detail["grade_reasons"]
    # Masked means the year only: the full birth date beside the last four digits and the county of the union
    # would give back all eighteen characters of the ID number.
    shown = detail["members"][0]["birth_date"]
    assert shown == sd.worker_person.id_number[6:10] + "-**-**"
    assert sd.worker_person.id_number[10:14] not in shown.replace("-", "")[4:]
    assert AuditEvent.objects.filter(verb="care.file.viewed", after__channel="api").count() == 1
    assert_error(Api(sd.jinan_viewer).get(f"/care/files/{fid}", ids="clear"), 403, "clear_ids")
    clear = Api(sd.enterprise_cadre).get(f"/care/files/{fid}", ids="clear").json()
    assert clear["members"][0]["id_number"] == sd.worker_person.id_number
    assert clear["members"][0]["birth_date"].replace("-", "") == sd.worker_person.id_number[6:14]
    assert Api(sd.qingdao_cadre).get(f"/care/files/{fid}").status_code == 404
    assert Api(sd.industry_cadre).get(f"/care/files/{fid}").status_code == 404
    assert Api(sd.enterprise_cadre).post(f"/care/files/{fid}/review").status_code == 200
    ex = Api(sd.enterprise_cadre).post(f"/care/files/{fid}/exit", {"reason": "本人再就业"})
    assert ex.status_code == 201 and ex.json()["kind"] == "exit"
    assert len(Api(sd.enterprise_cadre).get("/care/requests").json()["items"]) == 1


def test_bad_input_through_the_api_is_refused_in_chinese_with_nothing_changed(sd, cw):
    api = Api(sd.enterprise_cadre)
    before = _state()
    members = cw.household()
    members[1]["monthly_income"] = "-3"
    body = assert_error(api.post("/care/files", _body(cw, sd.worker_person, members)), 400, None,
                        "members.1.monthly_income")
    assert "不能为负" in body["errors"]["members.1.monthly_income"]
    members = cw.household()
    members[1]["monthly_income"] = "许多"
    body = assert_error(api.post("/care/files", _body(cw, sd.worker_person, members)), 400, None,
                        "members.1.monthly_income")
    assert "必须是" in body["errors"]["members.1.monthly_income"]
    members = cw.household()
    members[2]["id_number"] = "37010220100501001"
    body = assert_error(api.post("/care/files", _body(cw, sd.worker_person, members)), 400, None,
                        "members.2.id_number")
    assert "身份证号" in body["errors"]["members.2.id_number"]
    assert api.post("/care/files", {"person_id": sd.worker_person.pk}).status_code == 422
    assert _state() == before
    cw.active(person=sd.qd_person, members=[
        {"relation": "self", "name": "王芳", "id_number": sd.qd_person.id_number, "monthly_income": "300",
         "work": "unemployed"}, {"relation": "spouse", "name": "王秀英", "id_number": cw.household()[1]["id_number"],
                                 "monthly_income": "0"}])
    before = _state()
    members = cw.household()
    members[1]["id_number"] = Member.objects.get(name="王秀英").id_number
    body = assert_error(api.post("/care/files", _body(cw, sd.worker_person, members)), 400, "duplicate", "members")
    assert "王秀英" in body["detail"] and "青岛港集团有限公司工会" in body["detail"]
    assert _state() == before
