"""Correcting a studio's registry entry (更正) by the recognising union: the name, field of work, host, lead, level and
year — each bad input refused with its Chinese message on its field and nothing changed; a correction of the host,
level or year needs a reason and moves the studio's figures; the page and the API; the host union, a union below the
recognising one and the others refused."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongjiang.core.models import AuditEvent
from gongjiang.honours import services
from gongjiang.honours.models import StudioMember
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.tests.factories import id_number, org, person
from gongjiang.orgs.tests.test_api import Api, assert_error

from .studio_factories import GOOD, figure
from .test_studios_services import refused

YEAR = timezone.localdate().year


def _other_host(st):
    other = org(st.sd.town, "历下精密仪器有限公司工会", OrgKind.GRASSROOTS, "E0009")
    return other, person(other, "韩梅", id_number=id_number("370102", female=True))


def test_the_name_and_field_of_work_are_corrected_and_audited(st):
    s = services.update_studio(actor=st.sd.province_admin, studio=st.studio, name="李强炼钢创新工作室",
                               specialty="转炉炼钢工艺")
    s.refresh_from_db()
    assert (s.name, s.specialty) == ("李强炼钢创新工作室", "转炉炼钢工艺")
    event = AuditEvent.objects.get(verb="honours.studio.updated")
    assert event.before == {"name": "李强劳模创新工作室", "specialty": "炼钢工艺"}
    assert event.after == {"name": "李强炼钢创新工作室", "specialty": "转炉炼钢工艺"}


def test_a_new_host_and_lead_move_the_studio_and_its_figures(st):
    other, lead = _other_host(st)
    st.confirm(st.assess(YEAR, GOOD, studio=st.city_studio), actor=st.sd.jinan_cadre)
    refused(lambda: services.update_studio(actor=st.sd.jinan_cadre, studio=st.city_studio, host=other, lead=lead),
            "理由", "reason")
    services.update_studio(actor=st.sd.jinan_cadre, studio=st.city_studio, host=other, lead=lead,
                           reason="依托单位登记错误，予以更正")
    st.city_studio.refresh_from_db()
    assert (st.city_studio.host, st.city_studio.lead, st.city_studio.city) == (other, lead, st.sd.jinan)
    assert facts.differences(["honours"]) == {}
    assert figure(other, YEAR - 2, "city", "recognised") == 1
    assert figure(other, YEAR, "city", "excellent") == 1
    assert figure(st.sd.steel, YEAR - 2, "city", "recognised") == 0
    assert AuditEvent.objects.get(verb="honours.studio.updated").note == "依托单位登记错误，予以更正"


def test_the_level_and_year_corrected_move_every_figure_it_counted(st):
    st.fail_two_years()  # two 不合格 and a suspension counted under 省级
    services.update_studio(actor=st.sd.province_admin, studio=st.studio, level="national", year=YEAR - 5,
                           reason="命名文件为全国总工会文件")
    assert facts.differences(["honours"]) == {}
    assert figure(st.sd.province, YEAR - 5, "national", "recognised") == 1
    assert figure(st.sd.province, YEAR, "national", "failed") == 1


def test_a_member_who_becomes_the_lead_leaves_the_members(st):
    services.update_studio(actor=st.sd.province_admin, studio=st.studio, lead=st.member)
    assert not StudioMember.objects.filter(studio=st.studio, person=st.member).exists()
    st.studio.refresh_from_db()
    assert st.studio.lead == st.member


def test_bad_corrections_are_refused_on_their_field_and_change_nothing(st):
    sd, admin = st.sd, st.sd.province_admin
    s = st.studio
    refused(lambda: services.update_studio(actor=admin, studio=s, name="  "), "名称", "name")
    refused(lambda: services.update_studio(actor=admin, studio=s, name=s.name), "无需更改", "name")
    refused(lambda: services.update_studio(actor=admin, studio=s, specialty="工" * 121), "120", "specialty")
    refused(lambda: services.update_studio(actor=admin, studio=s, host=sd.jinan, reason="依托单位有误"),
            "基层工会", "host")
    refused(lambda: services.update_studio(actor=admin, studio=s, host=sd.qd_enterprise, lead=sd.qd_person,
                                           reason="依托单位有误"), "赵磊", "host")  # the members work at 济钢
    refused(lambda: services.update_studio(actor=admin, studio=s, lead=sd.qd_person), "王芳", "lead")
    refused(lambda: services.update_studio(actor=sd.jinan_cadre, studio=st.city_studio, level="province",
                                           reason="级别有误"), "济南市总工会", "level")
    refused(lambda: services.update_studio(actor=admin, studio=s, year=YEAR + 1, reason="年度有误"), "年", "year")
    st.assess(YEAR - 1)
    refused(lambda: services.update_studio(actor=admin, studio=s, year=YEAR, reason="年度有误"), str(YEAR - 1),
            "year")
    services.register_studio(actor=admin, name="炼钢创新工作室", kind="model", lead=st.member, host=sd.steel,
                             level="province", year=YEAR, recognised_by=sd.province)
    refused(lambda: services.update_studio(actor=admin, studio=s, name="炼钢创新工作室"), "同名", "name")


def test_only_the_recognising_union_corrects_and_not_a_revoked_studio(st):
    sd = st.sd
    for who in (sd.enterprise_cadre, sd.jinan_cadre, sd.qingdao_cadre):  # the host, below, beside
        refused(lambda who=who: services.update_studio(actor=who, studio=st.studio, name="新名称"), "",
                permission=True)
    st.fail_two_years()
    services.revoke_studio(actor=sd.province_admin, studio=st.studio, reason="连续两年考核不合格",
                           decision="鲁工发〔2026〕12号")
    refused(lambda: services.update_studio(actor=sd.province_admin, studio=st.studio, name="新名称"), "取消资格",
            "status")


def test_the_correction_page(client, st):
    sd = st.sd
    url = reverse("honours:studio_edit", args=[st.studio.pk])
    client.force_login(sd.enterprise_cadre)  # the host: reads the studio, does not correct it
    assert client.get(url).status_code == 403
    assert 'id="edit-studio"' not in client.get(st.studio.get_absolute_url()).content.decode()
    client.force_login(sd.qingdao_cadre)
    assert client.get(url).status_code == 404
    client.force_login(sd.province_admin)
    assert 'id="edit-studio"' in client.get(st.studio.get_absolute_url()).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "李强劳模创新工作室" in page.content.decode()
    data = {"name": st.studio.name, "specialty": "炼钢", "host_code": "NOPE", "lead_id": "", "level": "province",
            "year": YEAR - 3, "reason": ""}
    bad = client.post(url, data, headers={"Accept-Language": "zh-hans"})
    assert bad.status_code == 400 and "NOPE" not in str(AuditEvent.objects.filter(verb="honours.studio.updated"))
    assert bad.context["form"].errors["host_code"]
    no_reason = client.post(url, {**data, "host_code": sd.steel.code, "year": YEAR - 4})
    assert no_reason.status_code == 400 and no_reason.context["form"].errors["reason"]
    ok = client.post(url, {**data, "host_code": sd.steel.code})
    assert ok.status_code == 302
    st.studio.refresh_from_db()
    assert st.studio.specialty == "炼钢"


def test_the_correction_through_the_api(st):
    sd = st.sd
    path = f"/honours/studios/{st.studio.pk}"
    assert_error(Api(sd.enterprise_cadre).patch(path, {"name": "新名称"}), 403)
    assert_error(Api(sd.qingdao_cadre).patch(path, {"name": "新名称"}), 404)
    admin = Api(sd.province_admin)
    assert_error(admin.patch(path, {"year": YEAR - 4}), 400, "invalid", "reason")
    ok = admin.patch(path, {"year": YEAR - 4, "reason": "命名年度登记有误", "specialty": "炼钢"})
    assert ok.status_code == 200 and ok.json()["year"] == YEAR - 4 and ok.json()["specialty"] == "炼钢"
    assert facts.differences(["honours"]) == {}
