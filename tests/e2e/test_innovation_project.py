"""Journey: an adopted proposal becomes an innovation project (攻关课题) and goes all the way to 推广转化.

济钢's union cadre opens 李强's adopted proposal and starts a project from it: the form comes filled from the
proposal (title, problem, goal, 李强 as leader), the cadre names 炼钢一班 as the team holding it and asks for 3万元 of
the innovation subsidy. On the project's page the cadre plans a milestone, puts 周明 on the team as a core member,
grants the subsidy and enters a spending, files the survey report. A tampered form that tries to jump from 问题查找
straight to 应用试验 is refused with a message naming the stages missing, and nothing changes. Then the cadre decides
each stage in turn, with a reason, until 推广转化; the stage bar, the stage decisions and the timeline tell the
story, on a phone too, and the proposal's page links to the project."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from gongjiang.innovation.choices import Stage, State
from gongjiang.innovation.models import Project
from gongjiang.innovation.rules import projects as rules
from gongjiang.innovation.tests.factories import PDF, innovation

from .helpers import either, follow

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
REASONS = {
    Stage.APPROVED: "问题调研清楚，攻关目标明确，同意立项",
    Stage.TACKLING: "实施方案经专家论证可行，进入攻关",
    Stage.TRIAL: "样机研制完成，具备现场试验条件",
    Stage.IMPROVING: "试验中喷头冷却不均，转入改进提升",
    Stage.APPRAISED: "改进后连续运行三个月寿命稳定在150炉以上，申请鉴定",
    Stage.TRANSFERRED: "鉴定结论为国内先进水平，同意在三座转炉推广",
}


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_cadre_takes_a_project_from_an_adopted_proposal_to_promotion(page, live_server, province, login, shot,
                                                                       tmp_path: Path):
    inn = innovation(province)
    proposal = inn.bring(inn.submit("转炉氧枪喷头寿命提升"), State.ADOPTED)

    # The proposal's page offers to start a project from it; the form comes filled from the proposal.
    page.set_viewport_size(DESKTOP)
    login("enterprise_cadre")
    page.goto(f"{live_server.url}/innovation/proposals/{proposal.pk}/")
    follow(page, "#projects a.btn")
    expect(page.locator("#id_title")).to_have_value("转炉氧枪喷头寿命提升")
    expect(page.locator("#id_leader_name")).to_have_value("李强")
    page.select_option("#id_holder", "team")
    page.select_option("#id_org", str(province.team.pk))
    page.fill("#id_requested", "30000")
    shot("register-from-proposal")
    follow(page, "#project-form button[type=submit]")
    p = Project.objects.get()
    assert page.url.endswith(f"/innovation/projects/{p.pk}/") and p.proposal == proposal
    expect(page.locator(".messages")).to_contain_text(p.number)
    expect(page.locator(".stage-bar li.current")).to_contain_text(either("Problem finding", "问题查找"))

    # Plan: a milestone, a core member, the subsidy, a spending, the survey report.
    page.fill("#milestone-add input[name=title]", "完成现场调研")
    page.fill("#milestone-add input[name=due]", "2030-06-30")
    follow(page, "#milestone-add button[type=submit]")
    page.fill("#member-add input[name=name]", "周明")
    page.select_option("#member-add select[name=role]", "core")
    follow(page, "#member-add button[type=submit]")
    expect(page.locator("#members")).to_contain_text("周明")
    page.fill("#funding-form input[name=granted]", "30000")
    follow(page, "#funding-form button[type=submit]")
    page.fill("#spending-form input[name=amount]", "8600")
    page.fill("#spending-form input[name=purpose]", "紫铜喷头试制材料")
    follow(page, "#spending-form button[type=submit]")
    report = tmp_path / "现场调研报告.pdf"
    report.write_bytes(PDF)
    page.set_input_files("#files-form input[type=file]", str(report))
    follow(page, "#files-form button[type=submit]")
    expect(page.locator("#files")).to_contain_text("现场调研报告.pdf")
    expect(page.locator("#funding")).to_contain_text("21,400.00")
    shot("planned")

    # A tampered form jumping to 应用试验 is refused, naming the stages in between; nothing changes.
    page.eval_on_selector("#advance input[name=stage]", "el => el.value = 'trial'")
    page.fill("#advance textarea[name=reason]", "想直接试验")
    follow(page, "#advance button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(either("Project approval", "课题立项"))
    expect(page.locator(".messages")).to_contain_text(either("Tackling", "项目攻关"))
    p.refresh_from_db()
    assert p.stage == Stage.FINDING
    shot("stage-skip-refused")

    # Each stage in turn, with its reason.
    for stage in rules.ORDER[1:]:
        page.fill("#advance textarea[name=reason]", REASONS[stage])
        follow(page, "#advance button[type=submit]")
        p.refresh_from_db()
        assert p.stage == stage
        if stage == Stage.TRIAL:
            page.fill("#progress input[name=progress]", "60")
            follow(page, "#progress button[type=submit]")
            shot("at-application-trial")
    expect(page.locator(".stage-bar li.current")).to_contain_text(either("Promotion and transfer", "推广转化"))
    expect(page.locator("#advance")).to_have_count(0)
    expect(page.locator("#decisions li")).to_have_count(7)
    expect(page.locator("#decisions")).to_contain_text(REASONS[Stage.TRANSFERRED])
    shot("transferred")

    # On a phone: the same page without sideways scrolling; the proposal links to its project.
    page.set_viewport_size(PHONE)
    page.reload()
    no_sideways_scroll(page, PHONE["width"])
    shot("transferred-phone")
    page.goto(f"{live_server.url}/innovation/proposals/{proposal.pk}/")
    expect(page.locator("#projects")).to_contain_text(p.number)
    page.goto(f"{live_server.url}/innovation/projects/")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    no_sideways_scroll(page, PHONE["width"])
    shot("list-phone")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/innovation/figures/?org={province.steel.pk}")
    expect(page.locator("#project-figures")).to_be_visible()
    shot("figures")
