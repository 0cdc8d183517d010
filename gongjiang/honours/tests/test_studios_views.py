"""The studios' pages: the registry and its filters and export seen within the scope, a studio's page (out of scope
a 404) with its forms and their refusals (nothing changed), the assessment forms of the host and the assessing
union, the to-do, the figures with their chart data — and the registry and the studio page in a constant number of
queries."""

from __future__ import annotations

import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongjiang.honours import services
from gongjiang.honours.models import Studio
from gongjiang.honours.studio_choices import StudioStatus
from gongjiang.orgs.tests.factories import person

from .studio_factories import FAIR, GOOD, POOR
from .test_services import rows

YEAR = timezone.localdate().year


def test_the_registry_is_seen_within_the_scope_and_filtered(client, st):
    client.force_login(st.sd.jinan_cadre)
    page = client.get(reverse("honours:studio_list"))
    assert page.status_code == 200
    assert [s.name for s in page.context["page"].object_list] == ["炼钢职工创新工作室", "李强劳模创新工作室"]
    page = client.get(reverse("honours:studio_list"), {"level": "city"})
    assert [s.name for s in page.context["page"].object_list] == ["炼钢职工创新工作室"]
    page = client.get(reverse("honours:studio_list"), {"city": st.sd.jinan.pk, "status": "active", "result": "none",
                                                        "kind": "model"})
    assert [s.name for s in page.context["page"].object_list] == ["李强劳模创新工作室"]
    client.force_login(st.sd.qingdao_cadre)
    assert not client.get(reverse("honours:studio_list")).context["page"].object_list
    assert client.get(reverse("honours:studio_detail", args=[st.studio.pk])).status_code == 404
    client.force_login(st.sd.worker)
    assert client.get(reverse("honours:studio_detail", args=[st.studio.pk])).status_code == 404


def test_the_registry_exports_what_it_shows(client, st):
    client.force_login(st.sd.province_admin)
    response = client.get(reverse("honours:studio_list"), {"export": "xlsx", "level": "province"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == "studio name" and [r[0] for r in values[1:]] == ["李强劳模创新工作室"]


def test_the_province_registers_a_studio_from_the_page_and_a_bad_one_names_its_field(client, st):
    client.force_login(st.sd.province_admin)
    url = reverse("honours:studio_create") + f"?org={st.sd.province.pk}"
    assert client.get(url).status_code == 200
    data = {"name": "新劳模创新工作室", "kind": "model", "level": "province", "year": YEAR, "host_code": "E0001",
            "lead_id": "110101199003071234", "specialty": ""}
    before = rows()
    bad = client.post(url, data)
    assert bad.status_code == 400 and rows() == before
    lead = person(st.sd.team, "周强")
    data["lead_id"] = _id_of(lead)
    ok = client.post(url, data)
    assert ok.status_code == 302
    assert Studio.objects.get(name="新劳模创新工作室").lead == lead
    client.force_login(st.sd.enterprise_cadre)
    assert client.get(reverse("honours:studio_create") + f"?org={st.sd.steel.pk}").status_code == 403


def _id_of(p):
    from gongjiang.core.crypto import decrypt

    return decrypt(p.id_encrypted)


def test_the_host_union_keeps_members_and_funding_on_the_studio_page(client, st):
    client.force_login(st.sd.enterprise_cadre)
    url = reverse("honours:studio_detail", args=[st.studio.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["can_change"] and not page.context["can_decide"]
    before = rows()
    bad = client.post(url, {"step": "funding", "year": YEAR, "amount": "0", "source": "企业配套"})
    assert bad.status_code == 400 and rows() == before
    assert client.post(url, {"step": "funding", "year": YEAR, "amount": "8.5", "source": "企业配套"}).status_code == 302
    assert client.post(url, {"step": "members", "remove": [str(st.apprentice.pk)], "role": "member"}).status_code == 302
    assert not st.studio.members.filter(person=st.apprentice).exists()
    assert client.post(url, {"step": "decision", "action": "suspend", "reason": "严重问题"}).status_code == 403


def test_the_recognising_union_revokes_on_the_page_and_without_a_decision_is_refused(client, st):
    studio = st.fail_two_years()
    client.force_login(st.sd.province_admin)
    url = reverse("honours:studio_detail", args=[studio.pk])
    before = rows()
    bad = client.post(url, {"step": "decision", "action": "revoke", "reason": "连续两年考核不合格", "decision": ""})
    assert bad.status_code == 400 and rows() == before
    assert client.post(url, {"step": "decision", "action": "revoke", "reason": "连续两年考核不合格",
                             "decision": "鲁工发〔2026〕12号"}).status_code == 302
    studio.refresh_from_db()
    assert studio.status == StudioStatus.REVOKED
    page = client.get(url)
    assert "revoked-note" in page.content.decode() and not page.context["can_change"]


def test_the_host_fills_and_the_assessing_union_confirms_on_the_assessment_page(client, st):
    url = reverse("honours:assessment_detail", args=[st.studio.pk, YEAR])
    client.force_login(st.sd.enterprise_cadre)
    assert client.get(url).status_code == 200
    data = {"step": "self", "apprentices": 2, "summary": "总结",
            **{f"points_{k}": v for k, v in GOOD.items()}, **{f"note_{k}": "说明" for k in GOOD}}
    before = rows()
    assert client.post(url, {**data, "points_projects": "26"}).status_code == 400 and rows() == before
    assert client.post(url, data).status_code == 302
    client.force_login(st.sd.jinan_cadre)  # a provincial studio: Jinan reads, does not confirm
    page = client.get(url)
    assert page.status_code == 200 and not page.context["can_confirm"]
    client.force_login(st.sd.province_admin)
    confirm = {"step": "confirm", **{f"points_{k}": v for k, v in GOOD.items()}, "points_projects": "10"}
    before = rows()
    bad = client.post(url, confirm)
    assert bad.status_code == 400 and rows() == before
    assert "an adjustment needs its reason" in bad.content.decode()
    assert client.post(url, {**confirm, "reason_projects": "项目未验收"}).status_code == 302
    a = st.studio.assessments.get(year=YEAR)
    assert a.total == Decimal(78) and a.result == "pass"


def test_the_assessment_page_counts_a_bonus_and_a_deduction_and_shows_a_veto_with_its_reason(client, st):
    url = reverse("honours:assessment_detail", args=[st.studio.pk, YEAR])
    client.force_login(st.sd.enterprise_cadre)
    page = client.get(url).content.decode()
    assert "申报、考核材料弄虚作假的，考核结果为不合格" in page and 'name="points_fraud"' in page
    assert 'name="points_national_honour"' in page and 'name="points_funds_misused"' in page
    data = {"step": "self", "apprentices": 2, "summary": "总结", **{f"points_{k}": v for k, v in FAIR.items()},
            "points_national_honour": "1", "points_funds_misused": "1", "points_fraud": "0", "points_safety": "0"}
    before = rows()
    assert client.post(url, {**data, "points_fraud": "maybe"}).status_code == 400 and rows() == before
    assert client.post(url, {**data, "points_national_honour": "-1"}).status_code == 400 and rows() == before
    assert client.post(url, data).status_code == 302
    a = st.studio.assessments.get(year=YEAR)
    assert a.self_total == Decimal(63)  # 63 + 5 − 5
    client.force_login(st.sd.province_admin)
    page = client.get(url)
    assert page.context["score"].bonus == 5 and page.context["score"].deducted == 5
    veto = {"step": "confirm", "points_fraud": "1"}
    before = rows()
    bad = client.post(url, veto)
    assert bad.status_code == 400 and rows() == before and "an adjustment needs its reason" in bad.content.decode()
    assert client.post(url, {**veto, "reason_fraud": "核查发现攻关项目材料系伪造"}).status_code == 302
    a.refresh_from_db()
    assert a.total == 0 and a.result == "fail"
    page = client.get(url).content.decode()
    assert 'id="score-parts"' in page and "弄虚作假" in page and "核查发现攻关项目材料系伪造" in page


def test_the_todo_and_the_figures(client, st):
    st.assess(YEAR, FAIR)
    st.confirm(st.assess(YEAR - 1, POOR))
    client.force_login(st.sd.province_admin)
    page = client.get(reverse("honours:studio_todo"))
    assert [a.studio.name for a in page.context["waiting"]] == ["李强劳模创新工作室"]
    assert [s.name for s in page.context["due"].object_list] == ["炼钢职工创新工作室"]
    client.force_login(st.sd.enterprise_cadre)
    page = client.get(reverse("honours:studio_todo"))
    assert not page.context["waiting"] and len(page.context["due"].object_list) == 1
    client.force_login(st.sd.province_admin)
    page = client.get(reverse("honours:studio_figures"), {"org": st.sd.province.pk, "year": YEAR - 1})
    assert page.status_code == 200
    chart = page.context["chart"]
    assert [s["values"] for s in chart["series"]] == [[0, 0, 0], [0, 0, 0], [0, 1, 0]]
    xlsx = client.get(reverse("honours:studio_figures"), {"org": st.sd.province.pk, "year": YEAR - 1,
                                                          "export": "xlsx"})
    assert xlsx.status_code == 200


def _many(st, n: int) -> None:
    for i in range(n):
        s = services.register_studio(actor=st.sd.province_admin, name=f"工作室{i}", kind="skilled",
                                     lead=st.sd.worker_person, host=st.sd.steel, level="province", year=YEAR - 2,
                                     recognised_by=st.sd.province, members=[(person(st.sd.team, f"成员{i}"), "core")])
        services.record_funding(actor=st.sd.province_admin, studio=s, year=YEAR, amount=Decimal(1), source="省总")


def test_the_registry_and_the_studio_page_cost_a_constant_number_of_queries(client, st):
    client.force_login(st.sd.jinan_cadre)
    for url in (reverse("honours:studio_list"), reverse("honours:studio_detail", args=[st.studio.pk])):
        client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("honours:studio_list"))
    with CaptureQueriesContext(connection) as small_detail:
        client.get(reverse("honours:studio_detail", args=[st.studio.pk]))
    _many(st, 12)
    for i in range(4):
        services.change_studio_members(actor=st.sd.enterprise_cadre, studio=st.studio,
                                       add=[(person(st.sd.team, f"新成员{i}"), "member")])
        services.record_funding(actor=st.sd.enterprise_cadre, studio=st.studio, year=YEAR, amount=Decimal(2),
                                source="企业配套")
    st.confirm(st.assess(YEAR - 1, FAIR))
    st.assess(YEAR, FAIR)
    with CaptureQueriesContext(connection) as big:
        page = client.get(reverse("honours:studio_list"))
    assert len(page.context["page"].object_list) == 14
    assert len(big) == len(small), [q["sql"] for q in big]
    with CaptureQueriesContext(connection) as big_detail:
        client.get(reverse("honours:studio_detail", args=[st.studio.pk]))
    assert len(big_detail) == len(small_detail), [q["sql"] for q in big_detail]
