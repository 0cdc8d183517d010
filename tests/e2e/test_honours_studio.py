"""Journey: a studio fails its yearly assessment two years running and the recognising union revokes it.

The province's administrator registers 李强劳模创新工作室 (省级, hosted by 济钢) and records its funding. 济钢's union
fills the self-assessment of last year with weak points (the form shows the vetoes with their conditions); the
province confirms it: 不合格. This year again, with a national honour (a bonus): the province first lowers an item and
answers the safety veto without reasons (refused, nothing saved), then gives them — the veto zeroes the total and the
second 不合格 in a row suspends the studio. The province tries to revoke it without a decision (refused), then
revokes it with the decision and the reason. The studio's page shows 取消资格 with its status history, the registry
still lists it, marked, and 济钢's cadre finds the notification in the inbox."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from gongjiang.core.crypto import decrypt
from gongjiang.honours import studio_rubrics
from gongjiang.honours.models import Rubric, Studio

from .helpers import either, follow

POOR = {"organisation": 8, "projects": 10, "proposals": 8, "training": 8, "benefit": 5, "funding": 2}


def _self_assess(page, live_server, studio, year, shot, name, honours: int = 0) -> None:
    page.goto(f"{live_server.url}/honours/studios/{studio.pk}/assessments/{year}/")
    # a veto shows its condition
    expect(page.locator("#self-form")).to_contain_text("申报、考核材料弄虚作假的，考核结果为不合格")
    for code, points in POOR.items():
        page.fill(f"#id_points_{code}", str(points))
    page.fill("#id_points_national_honour", str(honours))  # a bonus (国家级荣誉), capped
    page.fill("#id_note_projects", "本年度攻关项目一项，尚未完成")
    page.fill("#id_apprentices", "1")
    shot(name)
    follow(page, "#self-form button[type=submit]")
    expect(page.locator("#assessment-state")).to_contain_text(either("Self-assessed", "已自评"))


def test_a_studio_failing_twice_is_suspended_and_revoked(page, live_server, province, login, logout, shot):
    studio_rubrics.load(Rubric)  # a transactional test before this one emptied the migration's rows
    sd, year = province, timezone.localdate().year

    # The province registers the studio and records its funding.
    login("province_admin")
    page.goto(f"{live_server.url}/honours/studios/?org={sd.province.pk}")
    follow(page, "#register-studio")
    page.fill("#id_name", "李强劳模创新工作室")
    page.select_option("#id_kind", "model")
    page.select_option("#id_level", "province")
    page.fill("#id_year", str(year - 3))
    page.fill("#id_host_code", "E0001")
    page.fill("#id_lead_id", decrypt(sd.worker_person.id_encrypted))
    page.fill("#id_specialty", "炼钢工艺")
    shot("register")
    follow(page, "#studio-form button[type=submit]")
    studio = Studio.objects.get()
    expect(page.locator("#studio-status")).to_contain_text(either("On the register", "在册"))
    page.click("#funding summary")
    page.fill("#id_year", str(year - 1))
    page.fill("#id_amount", "15")
    page.fill("#id_source", "省总工会创新补助资金")
    follow(page, "#funding-form button[type=submit]")
    expect(page.locator("#funding table")).to_contain_text("15.00")
    shot("studio-registered")
    logout()

    # Last year: 济钢 self-assesses, the province confirms a fail.
    login("enterprise_cadre")
    _self_assess(page, live_server, studio, year - 1, shot, "self-assessment-last-year")
    logout()
    login("province_admin")
    page.goto(f"{live_server.url}/honours/studios/{studio.pk}/assessments/{year - 1}/")
    follow(page, "#confirm-form button[type=submit]")
    expect(page.locator("#assessment-result")).to_contain_text(either("Fail", "不合格"))
    shot("last-year-fail")
    logout()

    # This year: again; an adjustment without its reason is refused.
    login("enterprise_cadre")
    _self_assess(page, live_server, studio, year, shot, "self-assessment-this-year", honours=1)
    logout()
    login("province_admin")
    page.goto(f"{live_server.url}/honours/studios/todo/")
    expect(page.locator("#to-confirm")).to_contain_text("李强劳模创新工作室")
    shot("to-do")
    page.goto(f"{live_server.url}/honours/studios/{studio.pk}/assessments/{year}/")
    assert studio.assessments.get(year=year).self_total == 41 + 5  # the national honour's bonus counted
    page.fill("#id_points_projects", "6")
    page.select_option("#id_points_safety", "1")  # the veto: a serious safety accident happened
    follow(page, "#confirm-form button[type=submit]")
    expect(page.locator("#confirm-form")).to_contain_text(either("needs its reason", "须说明理由"))
    assert studio.assessments.get(year=year).state == "self"
    shot("adjustment-without-reason-refused")
    page.fill("#id_reason_projects", "攻关项目未按计划完成验收")
    page.fill("#id_reason_safety", "当年发生重大安全生产责任事故")
    follow(page, "#confirm-form button[type=submit]")
    expect(page.locator("#assessment-result")).to_contain_text(either("Fail", "不合格"))
    expect(page.locator("#score-parts")).to_contain_text("发生重大安全事故")
    assert studio.assessments.get(year=year).total == 0
    page.goto(f"{live_server.url}/honours/studios/{studio.pk}/")
    expect(page.locator("#studio-status")).to_contain_text(either("Suspended", "暂停"))
    shot("suspended-after-two-fails")

    # Revocation: refused without a decision, then recorded.
    page.click("#status-history summary")
    page.select_option("#id_action", "revoke")
    page.fill("#id_reason", "连续两年考核不合格，整改无效")
    follow(page, "#decision-form button[type=submit]")
    expect(page.locator("#decision-form")).to_contain_text(either("Give the decision", "请填写取消资格的决定文件"))
    studio.refresh_from_db()
    assert studio.status == "suspended"
    shot("revocation-without-decision-refused")
    page.fill("#id_decision", f"鲁工发〔{year}〕12号")
    follow(page, "#decision-form button[type=submit]")
    expect(page.locator("#studio-status")).to_contain_text(either("Revoked", "取消资格"))
    expect(page.locator("#revoked-note")).to_be_visible()
    expect(page.locator("#status-history table")).to_contain_text(f"鲁工发〔{year}〕12号")
    shot("revoked")
    page.goto(f"{live_server.url}/honours/studios/?status=revoked")
    expect(page.locator("#studios")).to_contain_text("李强劳模创新工作室")
    shot("registry-revoked")
    page.goto(f"{live_server.url}/honours/studios/figures/?org={sd.province.pk}")
    expect(page.locator("#studio-figures")).to_be_visible()
    page.wait_for_timeout(600)
    shot("figures")
    logout()

    # 济钢's cadre reads the notification.
    login("enterprise_cadre")
    page.goto(f"{live_server.url}/inbox/")
    expect(page.locator("main")).to_contain_text("李强劳模创新工作室")
    expect(page.locator("main")).to_contain_text(either("revoked", "取消资格"))
    shot("host-cadre-inbox")
