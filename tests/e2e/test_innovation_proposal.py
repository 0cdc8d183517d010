"""Journey: a worker's golden idea, from his phone to its adoption.

李强 (炼钢一班, 济钢) opens "提建议" on a 390 px phone and starts typing the title of his idea; before he has finished,
the page shows that his colleague 周明 already proposed something similar (its title and state, no author, no link),
so he words his own as an improvement on it and submits it with a co-proposer. 济钢's union cadre finds it waiting
for acceptance, accepts it and routes it to the steelmaking workshop, assigns the valuator; the valuator recommends
it on his phone; the cadre adopts it with a forecast of 20万元 (locked from then on). 李强's inbox has heard of every
step, and the proposal's page shows the timeline."""

from __future__ import annotations

from playwright.sync_api import expect

from gongjiang.core.models import Notification
from gongjiang.innovation import services
from gongjiang.innovation.choices import Category, State
from gongjiang.innovation.models import Proposal
from gongjiang.innovation.tests.factories import innovation

from .helpers import either, follow

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_worker_submits_sees_a_similar_one_and_the_union_adopts_it(page, live_server, province, login, logout,
                                                                      shot):
    inn = innovation(province)
    older = services.submit_proposal(actor=inn.colleague_user, title="转炉氧枪喷头改进延长使用寿命",
                                     problem="氧枪喷头平均寿命只有80炉，更换频繁。",
                                     solution="喷头改用铸造紫铜材料，寿命可提高到120炉。", category=Category.COST)

    # 李强 on his phone: the similar proposal appears while he types.
    page.set_viewport_size(PHONE)
    login("worker")
    page.goto(f"{live_server.url}/innovation/submit/")
    page.locator("#id_title").press_sequentially("改进转炉氧枪喷头冷却水道", delay=30)
    similar = page.locator("#similar .similar-item")
    expect(similar).to_have_count(1)
    expect(similar).to_contain_text("转炉氧枪喷头改进延长使用寿命")
    expect(page.locator("#similar")).not_to_contain_text("周明")
    assert page.locator("#similar a").count() == 0  # a colleague's proposal: its title only
    no_sideways_scroll(page)
    shot("similar-while-typing")

    page.select_option("#id_category", "cost")
    page.select_option("#id_kind", "golden_idea")
    page.fill("#id_problem", "氧枪喷头冷却水道易结垢，喷头烧损后需停炉更换。")
    page.fill("#id_solution", "在现有紫铜喷头基础上改为双路冷却水道，并加装过滤器。")
    page.fill("#id_expected_benefit", "每年节约备件和停炉损失约20万元")
    page.fill("#id_co_proposers", "周明 20")
    with page.expect_navigation():
        page.click("#submit-form button[type=submit]")
    mine = Proposal.objects.exclude(pk=older.pk).get()
    assert page.url.endswith(f"/innovation/proposals/{mine.pk}/")
    expect(page.locator(".messages")).to_contain_text(mine.number)
    no_sideways_scroll(page)
    shot("submitted")
    logout()

    # 济钢's union cadre: accept, route, assign the valuator (desktop).
    page.set_viewport_size({"width": 1280, "height": 860})
    login("enterprise_cadre")
    page.goto(f"{live_server.url}/innovation/proposals/?waiting=acceptance")
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(2)
    shot("union-list-waiting-for-acceptance")
    follow(page, f"a[href='/innovation/proposals/{mine.pk}/']")
    page.select_option("#accept select[name=department]", str(province.workshop.pk))
    follow(page, "#accept button[type=submit]")
    page.check(f"#assign input[name=valuators][value='{inn.valuator.pk}']")
    follow(page, "#assign button[type=submit]")
    expect(page.locator(".page-head .badge")).to_contain_text(either("Under evaluation", "评估中"))
    logout()

    # The valuator recommends it on his phone.
    page.set_viewport_size(PHONE)
    login("valuator")
    assert page.url.endswith("/innovation/valuations/")
    follow(page, f"a[href^='/innovation/proposals/{mine.pk}/']")
    page.check("#value input[name=opinion][value=adopt]")
    page.fill("#value input[name=score]", "88")
    page.fill("#value textarea[name=comment]", "方案可行，投入小见效快")
    follow(page, "#value button[type=submit]")
    no_sideways_scroll(page)
    shot("valued")
    logout()

    # The cadre adopts it with the forecast; the forecast is locked and the timeline tells the story.
    page.set_viewport_size({"width": 1280, "height": 860})
    login("enterprise_cadre")
    page.goto(f"{live_server.url}/innovation/proposals/{mine.pk}/")
    page.fill("#adopt input[name=forecast]", "20")
    page.fill("#adopt textarea[name=forecast_soft]", "减少停炉换枪次数")
    follow(page, "#adopt button[type=submit]")
    mine.refresh_from_db()
    assert mine.state == State.ADOPTED and mine.benefit.forecast == 200000
    expect(page.locator("#benefit")).to_contain_text("20.00")
    expect(page.locator("#timeline li")).to_have_count(6)
    shot("adopted")
    said = set(Notification.objects.filter(recipient=province.worker).values_list("verb", flat=True))
    assert {"innovation.proposal.submitted", "innovation.proposal.accepted", "innovation.proposal.evaluating",
            "innovation.proposal.adopted"} <= said


def test_a_proposal_without_co_proposers_or_files_goes_by_the_forms_own_path(page, live_server, province, login,
                                                                            shot):
    """李强 sends a short idea on his phone: the page's script sends it with the form's ticket (one request, nothing
    read first) and lands on the new proposal with its confirmation; a too-short problem is told in place by the
    form's ordinary post, nothing stored."""
    innovation(province)
    page.set_viewport_size(PHONE)
    login("worker")
    page.goto(f"{live_server.url}/innovation/submit/")
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.fill("#id_title", "皮带托辊加装自动调偏装置")
    page.select_option("#id_category", "efficiency")
    page.fill("#id_problem", "太短")
    page.fill("#id_solution", "在托辊架上加装自动调偏装置，由班组自制安装。")
    with page.expect_navigation():
        page.click("#submit-form button[type=submit]")
    expect(page.locator("#submit-form")).to_contain_text(either("at least 10 characters", "至少"))
    assert not Proposal.objects.exists()
    assert any(u.endswith("/innovation/send/") for u in sent) and sent[-1].endswith("/innovation/submit/")
    shot("refused-in-place")
    page.fill("#id_problem", "皮带跑偏频繁，每班需停机调整两到三次。")
    sent.clear()
    with page.expect_navigation(url="**/innovation/proposals/*/?sent=1"):
        page.click("#submit-form button[type=submit]")
    mine = Proposal.objects.get()
    assert [u for u in sent if "/innovation/" in u] == [f"{live_server.url}/innovation/send/"]
    assert mine.title == "皮带托辊加装自动调偏装置" and mine.state == State.SUBMITTED
    expect(page.locator(".messages")).to_contain_text(mine.number)
    no_sideways_scroll(page)
    shot("sent")
