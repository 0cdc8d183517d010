"""The question banks in the API under /api/v1: the same verbs and scopes as the pages — list the usable banks,
create one, add and edit questions, import files (Excel as a job, GIFT at once), export; refusals are a 400 naming the
field (or the file's lines), out of scope a 404, a shared bank above a 403 to change; nothing changed by any refusal."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongjiang.learning.models import Question
from gongjiang.orgs.tests.test_api import Api, assert_error

from .banks_factories import GIFT, GOOD_ROWS, bank_world, xlsx
from .chinese import _english_messages, client  # noqa: F401  (this module reads the Chinese messages)
from .test_banks_permissions import rows


@pytest.fixture
def bw(sd):
    return bank_world(sd)


QUESTION = {"kind": "multiple", "stem": "保证电气作业安全的技术措施有（  ）。",
            "options": ["停电", "验电", "接地", "工作票"],
            "answer": "A、B、C", "explanation": "工作票是组织措施。", "difficulty": 3, "score": "2", "tags": ["电工"]}


def test_the_banks_listed_are_the_own_and_the_shared_above(bw):
    listed = Api(bw.sd.county_cadre).get("/learning/banks").json()
    assert [(b["name"], b["can_change"]) for b in listed["items"]] == [("全省安全生产题库", False)]
    listed = Api(bw.sd.jinan_cadre).get("/learning/banks").json()
    assert {(b["name"], b["can_change"]) for b in listed["items"]} == {("全省安全生产题库", False),
                                                                       ("济南市电工题库", True)}
    assert_error(Api(bw.sd.qingdao_cadre).get(f"/learning/banks/{bw.jinan_bank.pk}"), 404)


def test_a_bank_is_created_and_a_bad_one_refused_by_field(bw):
    api = Api(bw.sd.jinan_cadre)
    made = api.post("/learning/banks", {"org_id": bw.sd.jinan.pk, "name": "焊工题库", "shared": True})
    assert made.status_code == 201 and made.json()["can_change"]
    before = rows()
    assert_error(api.post("/learning/banks", {"org_id": bw.sd.jinan.pk, "name": "焊工题库"}), 400, "invalid", "name")
    assert_error(api.post("/learning/banks", {"org_id": bw.sd.province.pk, "name": "越级"}), 404, None, "org_id")
    assert_error(api.post("/learning/banks", {"org_id": bw.sd.jinan.pk, "name": "x", "trade_code": "9-99"}), 400,
                 "invalid", "trade_code")
    assert rows() == before


def test_questions_are_added_listed_and_edited(bw):
    api = Api(bw.sd.jinan_cadre)
    r = api.post(f"/learning/banks/{bw.jinan_bank.pk}/questions", QUESTION)
    assert r.status_code == 201, r.content
    q = r.json()
    assert (q["answer"], q["tags"], q["version"], q["score"]) == ("ABC", ["电工"], 1, "2.0")
    listed = api.get(f"/learning/banks/{bw.jinan_bank.pk}/questions", kind="multiple").json()
    assert [x["id"] for x in listed["items"]] == [q["id"]]
    assert api.get(f"/learning/banks/{bw.jinan_bank.pk}/questions", kind="fill").json()["items"] == []
    Question.objects.filter(pk=q["id"]).update(drawn=True)
    edited = api.put(f"/learning/questions/{q['id']}", {**QUESTION, "answer": "ABCD"}).json()
    assert (edited["version"], edited["family"], edited["answer"]) == (2, q["id"], "ABCD")


def test_a_bad_question_is_refused_naming_its_fields(bw):
    api = Api(bw.sd.jinan_cadre)
    before = rows()
    body = assert_error(api.post(f"/learning/banks/{bw.jinan_bank.pk}/questions",
                                 {**QUESTION, "options": list("甲乙丙丁戊己庚"), "answer": "A"}),
                        400, "invalid", "options")
    assert body["errors"]["options"] == "每题最多6个选项（A–F），本题有7个。"
    assert_error(api.post(f"/learning/banks/{bw.jinan_bank.pk}/questions", {**QUESTION, "answer": "G"}), 400,
                 "invalid", "answer")
    assert_error(api.post(f"/learning/banks/{bw.jinan_bank.pk}/questions",
                          {**QUESTION, "kind": "truefalse", "options": [], "answer": "也许"}), 400, "invalid", "answer")
    assert rows() == before


def test_a_shared_bank_above_is_read_but_not_changed(bw):
    api = Api(bw.sd.jinan_cadre)
    assert api.get(f"/learning/banks/{bw.province_bank.pk}/questions").status_code == 200
    before = rows()
    assert_error(api.post(f"/learning/banks/{bw.province_bank.pk}/questions", QUESTION), 403, "forbidden")
    assert_error(Api(bw.sd.qingdao_cadre).post(f"/learning/banks/{bw.jinan_bank.pk}/questions", QUESTION), 404)
    assert rows() == before


def test_imports_and_exports(bw):
    api = Api(bw.sd.jinan_cadre)
    url = f"/learning/banks/{bw.jinan_bank.pk}/imports"
    job = api.upload(url, {"format": "excel", "file": xlsx(GOOD_ROWS)})
    assert job.status_code == 201 and job.json()["state"] == "done", job.content
    done = api.upload(url, {"format": "gift", "file": SimpleUploadedFile("a.txt", GIFT.encode())})
    assert done.status_code == 200 and done.json() == {"added": 3, "skipped": 0}
    before = rows()
    no_answer = SimpleUploadedFile("a.txt", "题\nA. 甲\n".encode())
    bad = assert_error(api.upload(url, {"format": "aiken", "file": no_answer}),
                       400, "invalid_file")
    assert bad["errors"] == {"line 2": "第1行开始的题目在选项之后缺少“ANSWER:”行。"}
    assert_error(api.upload(url, {"format": "pdf", "file": SimpleUploadedFile("a.txt", b"x")}), 400, None, "format")
    assert rows() == before
    xml = api.get(f"/learning/banks/{bw.jinan_bank.pk}/export.xml")
    assert xml.status_code == 200 and xml.content.count(b"<question ") >= 7
    assert api.get(f"/learning/banks/{bw.jinan_bank.pk}/export.xlsx").status_code == 200
