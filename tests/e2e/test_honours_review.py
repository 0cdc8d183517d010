"""Journey: a nomination goes up level by level, is shortlisted, published, objected to, conferred and verified.

济钢's union nominates 炼钢一班 (its 炼钢车间 was nominated too). 历下区 (the county) tries to return 炼钢车间 without a
reason (refused, nothing changed), returns it with one — 济钢 sees it returned with the reason — and forwards
炼钢一班; 济南 (the city) forwards it from its review list; the province shortlists it and puts the shortlist on
public notice. A member of the public files an objection on the notice's public page; the province investigates and
dismisses it with a reply. Conferring is refused while the notice runs; after the notice period (the test moves the
dates) the honour is conferred, and the certificate's QR link opens the public verification page."""

from __future__ import annotations

from playwright.sync_api import expect

from gongjiang.core import certificates, notices
from gongjiang.core.models import IssuedCertificate
from gongjiang.honours import publicity, services, standard
from gongjiang.honours.choices import Material, Subject
from gongjiang.honours.models import HonourType, Nomination
from gongjiang.honours.tests.factories import DEEDS, honours, pdf

from .helpers import either, follow

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _decide(page, decision: str, reason: str = "") -> None:
    page.check(f"#decide-form input[name=decision][value={decision}]")
    if reason:
        page.fill("#decide-form textarea[name=reason]", reason)
    follow(page, "#decide-form button")


def test_a_team_goes_up_level_by_level_and_is_conferred_after_the_public_notice(page, live_server, province, login,
                                                                               logout, shot, tmp_path):
    standard.load(HonourType)  # a transactional test before this one emptied the migration's rows
    sd = province
    hw = honours(sd)  # 省工人先锋号: 20 places; 济南 8; 历下区 3 (1 for non-public enterprises)
    workshop = services.nominate(actor=sd.enterprise_cadre, campaign=hw.pioneer, unit=sd.steel,
                                 subject=Subject.COLLECTIVE, nominee_org=sd.workshop, front_line=True, deeds=DEEDS)
    for kind in (Material.FORM, Material.DEEDS):
        services.add_nomination_files(actor=sd.enterprise_cadre, nomination=workshop, kind=kind, uploads=[pdf()])
    services.submit_nomination(actor=sd.enterprise_cadre, nomination=workshop)

    # 济钢 nominates 炼钢一班 and submits it.
    login("enterprise_cadre")
    page.goto(f"{live_server.url}/honours/campaigns/{hw.pioneer.pk}/")
    follow(page, "#nominate")
    page.select_option("#id_nominee_org", str(sd.team.pk))
    page.check("#id_front_line")
    page.fill("#id_deeds", DEEDS)
    follow(page, "#nomination-form button[type=submit]")
    team = Nomination.objects.get(nominee_org=sd.team)
    for kind, name in (("form", "推荐审批表.pdf"), ("deeds", "先进事迹材料.pdf")):
        f = tmp_path / name
        f.write_bytes(PDF)
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_files", str(f))
        follow(page, "#files-form button[type=submit]")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "#submit button")
    expect(page.locator("#waiting-at")).to_contain_text("历下区总工会")
    shot("submitted-waits-at-the-county")
    logout()

    # 历下区 reviews: the to-do leads to the campaign's list; a return needs a reason.
    login("county_cadre")
    page.goto(f"{live_server.url}/honours/review/")
    expect(page.locator("#review-campaigns")).to_contain_text(hw.pioneer.title)
    follow(page, "#review-campaigns a")
    expect(page.locator("#review tbody tr")).to_have_count(2)
    expect(page.locator("#level-quota")).to_contain_text("3")
    shot("county-review-list")
    page.goto(f"{live_server.url}/honours/nominations/{workshop.pk}/")
    _decide(page, "return")
    expect(page.locator(".messages")).to_contain_text(either("Give the reason", "请填写退回的理由"))
    assert Nomination.objects.get(pk=workshop.pk).state == "submitted"
    shot("return-without-a-reason-refused")
    _decide(page, "return", "推荐审批表缺少企业党组织意见，请补充后重新上报。")
    expect(page.locator(".page-head .badge")).to_contain_text(either("Returned", "已退回"))
    page.goto(f"{live_server.url}/honours/nominations/{team.pk}/")
    shot("county-decision-form")
    _decide(page, "forward")
    expect(page.locator("#waiting-at")).to_contain_text("济南市总工会")
    logout()

    # 济钢 sees the returned nomination with the reason, and can correct it.
    login("enterprise_cadre")
    page.goto(f"{live_server.url}/honours/nominations/{workshop.pk}/")
    expect(page.locator("#review-reason")).to_contain_text("缺少企业党组织意见")
    expect(page.locator("#submit")).to_be_visible()
    shot("returned-to-the-enterprise")
    logout()

    # 济南 forwards it from its review list (the bulk action).
    login("jinan_cadre")
    page.goto(f"{live_server.url}/honours/campaigns/{hw.pioneer.pk}/review/")
    expect(page.locator("#review tbody tr")).to_have_count(1)
    page.check(f"#bulk-forward input[name=ids][value='{team.pk}']")
    shot("city-review-list")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "#forward-selected")
    expect(page.locator(".messages")).to_contain_text(either("1 nominations forwarded", "已上报1项推荐"))
    logout()

    # The province shortlists it and publishes the shortlist.
    login("province_admin")
    page.goto(f"{live_server.url}/honours/nominations/{team.pk}/")
    _decide(page, "forward")
    expect(page.locator(".page-head .badge")).to_contain_text(either("Shortlisted", "拟表彰"))
    page.goto(f"{live_server.url}/honours/campaigns/{hw.pioneer.pk}/")
    shot("quota-table-with-forwarded-and-shortlisted")
    follow(page, "#shortlist-link")
    page.fill("#id_working_days", "5")
    shot("publish-the-shortlist")
    follow(page, "#publish-form button")
    expect(page.locator("#notice")).to_contain_text(either("running", "公示中"))
    notice = notices.notice_of(publicity.SHORTLIST_NOTICE, hw.pioneer)
    logout()

    # A member of the public objects on the notice's public page (no ID numbers, birth dates or phones on it).
    page.goto(f"{live_server.url}/public/notices/{notice.pk}/")
    expect(page.locator("main")).to_contain_text("炼钢一班")
    expect(page.locator("main")).to_contain_text("济南钢铁集团有限公司工会")
    shot("public-notice")
    page.fill("#id_name", "王建国")
    page.fill("#id_contact", "13905310000")
    page.fill("#id_subject", "炼钢一班")
    page.fill("#id_reason", "听说该班组去年发生过安全事故，与事迹材料不符，请核实。")
    follow(page, "#objection button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(either("received", "已受理"))
    shot("objection-filed")

    # The province investigates, dismisses it; conferring waits for the end of the notice.
    login("province_admin")
    page.goto(f"{live_server.url}/honours/campaigns/{hw.pioneer.pk}/shortlist/")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "#confer-form button")
    expect(page.locator(".messages")).to_contain_text(either("runs until", "公示结束后方可授予"))
    follow(page, "#objections .objection a")  # 调查核实: core's page of the objection (objector, notes)
    page.fill("textarea[name=text]", "已向济钢安全环保部核实：去年的事故发生在炼钢二班，炼钢一班全年无事故。")
    follow(page, "form:has(textarea[name=text]) button[type=submit]")
    expect(page.locator("main")).to_contain_text("炼钢二班")
    shot("investigation-note")
    page.goto(f"{live_server.url}/honours/campaigns/{hw.pioneer.pk}/shortlist/")
    form = page.locator(".objection-form").first
    form.locator("select[name=outcome]").select_option("dismissed")
    form.locator("textarea[name=reply]").fill("经核实，安全事故发生在其他班组，与炼钢一班无关，异议不成立。")
    shot("decide-the-objection")
    follow(page, ".objection-form button")
    expect(page.locator("#objections")).to_contain_text(either("Dismissed", "不成立", "驳回"))
    notice.starts_on = notice.starts_on.replace(year=notice.starts_on.year - 1)
    notice.ends_on = notice.ends_on.replace(year=notice.ends_on.year - 1)
    notice.save(update_fields=["starts_on", "ends_on"])  # the notice period is over
    page.reload()
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "#confer-form button")
    expect(page.locator(".messages")).to_contain_text(either("honours conferred", "已授予1项荣誉"))
    expect(page.locator("#shortlisted")).to_contain_text(either("Conferred", "已授予"))
    shot("conferred")

    # The certificate's QR code leads to the public verification page.
    doc = IssuedCertificate.objects.get(kind=publicity.HONOUR_CERTIFICATE, owner_id=team.pk)
    qr_url = certificates.pdf_context(None, doc)["verify_url"]
    logout()
    page.goto(f"{live_server.url}{qr_url}")
    expect(page.locator("main")).to_contain_text("炼钢一班")
    expect(page.locator("main")).to_contain_text("省工人先锋号")
    expect(page.locator("main")).to_contain_text(doc.number)
    shot("certificate-verified")

    # 评选统计: Jinan reads its share of the campaign, what was nominated and forwarded, and the title conferred.
    login("jinan_cadre")
    page.goto(f"{live_server.url}/honours/figures/?org={hw.sd.jinan.pk}")
    expect(page.locator("h1")).to_contain_text(either("Nomination figures", "评选统计"))
    expect(page.locator("#figures")).to_contain_text(hw.pioneer.title)
    page.wait_for_selector("[data-roster-chart] canvas")
    shot("nomination-figures")
