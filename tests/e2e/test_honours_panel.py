"""Journey: the province's review panel (评审组) of a 工人先锋号 campaign. Three nominations have been submitted and
forwarded to the province (济钢's 炼钢一班, a private enterprise's 装配一班, 青岛港's 装卸一班). The province's
administrator sets up a scoring panel from the campaign's page: criteria whose weights add up to 90 are refused with
the sum and nothing saved; then three criteria (40 + 35 + 25) are accepted. Two experts are put on the panel, one of
them as chair. The chair scores in place (HTMX): a score over a criterion's maximum is refused on the spot, then all
three nominations are scored. The second expert declares a conflict of interest with 装配一班 — its form disappears —
and scores the other two. The administrator closes the panel and reads the ranking: the conflict is listed with its
reason, 装配一班 was scored by one member only."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from gongjiang.honours import standard
from gongjiang.honours.models import HonourType, Panel, PanelConflict, PanelScore

from .helpers import either, follow


def _score(page, nomination, points: dict[str, int]) -> None:
    card = page.locator(f"#n-{nomination.pk}")
    for key, value in points.items():
        card.locator(f"input[name={key}]").fill(str(value))
    card.locator(".mark-form button[type=submit]").click()


def test_a_cadre_sets_up_a_scoring_panel_two_members_score_and_the_cadre_reads_the_ranking(
        page, live_server, province, login, logout, shot):
    standard.load(HonourType)  # a transactional test before this one emptied the migration's rows
    from gongjiang.honours.tests.factories import honours
    from gongjiang.honours.tests.panel_factories import expert, forwarded_to, submitted

    hw = honours(province)
    sd = province
    steel = submitted(hw, sd.enterprise_cadre, sd.steel, sd.team)
    private = submitted(hw, hw.private_cadre, hw.private, hw.private_team)
    qingdao = submitted(hw, sd.qingdao_cadre, sd.qd_enterprise, name="装卸一班")
    steel, private, qingdao = (forwarded_to(hw, n, sd.province) for n in (steel, private, qingdao))  # the panel's level
    expert(sd.qingdao, "chair_expert", "赵组长")
    expert(sd.qingdao, "expert_one", "钱专家")
    assert timezone.localdate()

    # The province sets the panel up from the campaign's page.
    login("province_admin")
    page.goto(f"{live_server.url}/honours/campaigns/{hw.pioneer.pk}/")
    shot("campaign-page-without-panel", page.locator("#panels"))
    follow(page, "#new-panel")
    page.fill("#id_name", "省工人先锋号评审组")
    page.select_option("#id_mode", "score")
    for i, (name, weight, most) in enumerate((("先进事迹", 40, 40), ("创新成果", 35, 50), ("示范作用", 15, 10)), 1):
        page.fill(f"#id_name_{i}", name)
        page.fill(f"#id_weight_{i}", str(weight))
        page.fill(f"#id_max_{i}", str(most))
    follow(page, "#panel-form button[type=submit]")
    expect(page.locator("#panel-form")).to_contain_text(either("add up to 90", "合计为90"))
    assert not Panel.objects.exists()
    shot("weights-refused")
    page.fill("#id_weight_3", "25")
    follow(page, "#panel-form button[type=submit]")
    panel = Panel.objects.get()
    expect(page.locator("#criteria tbody tr")).to_have_count(3)
    for username, chair in (("chair_expert", True), ("expert_one", False)):
        page.fill("#id_username", username)
        if chair:
            page.check("#id_chair")
        follow(page, "#member-form button[type=submit]")
    expect(page.locator("#members tbody tr")).to_have_count(2)
    expect(page.locator("#members tbody tr").first).to_contain_text("赵组长")
    shot("panel-set-up")
    logout()

    # The chair scores in place; a score over the maximum is refused on the spot.
    login("chair_expert")
    page.goto(f"{live_server.url}/honours/panels/")
    shot("my-panels")
    follow(page, "#my-panels a")
    _score(page, steel, {"c1": 45, "c2": 40, "c3": 9})
    expect(page.locator(f"#n-{steel.pk} .error")).to_contain_text(either("between 0 and 40", "0至40"))
    assert not PanelScore.objects.exists()
    shot("score-over-the-maximum")
    _score(page, steel, {"c1": 38, "c2": 45, "c3": 9})
    expect(page.locator(f"#n-{steel.pk} [data-state=done]")).to_be_visible()
    _score(page, private, {"c1": 30, "c2": 35, "c3": 7})
    expect(page.locator(f"#n-{private.pk} [data-state=done]")).to_be_visible()
    _score(page, qingdao, {"c1": 25, "c2": 30, "c3": 6})
    expect(page.locator(f"#n-{qingdao.pk} [data-state=done]")).to_be_visible()
    shot("chair-scored")
    logout()

    # The second member declares a conflict with 装配一班 and scores the others.
    login("expert_one")
    page.goto(f"{live_server.url}/honours/panels/{panel.pk}/review/")
    card = page.locator(f"#n-{private.pk}")
    card.locator("details.conflict summary").click()
    card.locator("input[name=reason]").fill("本人曾在该企业任职")
    card.locator("details.conflict button[type=submit]").click()
    expect(page.locator(f"#n-{private.pk} [data-state=conflict]")).to_be_visible()
    expect(page.locator(f"#n-{private.pk} input[name=c1]")).to_have_count(0)
    assert PanelConflict.objects.count() == 1
    _score(page, steel, {"c1": 36, "c2": 40, "c3": 10})
    expect(page.locator(f"#n-{steel.pk} [data-state=done]")).to_be_visible()
    _score(page, qingdao, {"c1": 28, "c2": 33, "c3": 7})
    expect(page.locator(f"#n-{qingdao.pk} [data-state=done]")).to_be_visible()
    shot("member-with-a-conflict")
    logout()

    # The province closes the panel and reads the ranking.
    login("province_admin")
    page.goto(f"{live_server.url}/honours/panels/{panel.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "#close button")
    assert page.url.endswith(f"/honours/panels/{panel.pk}/results/")
    rows = page.locator("#ranking tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("炼钢一班")
    expect(rows.first.locator("td").first).to_have_text("1")
    expect(page.locator("#conflicts")).to_contain_text("本人曾在该企业任职")
    shot("ranking")
    panel.refresh_from_db()
    assert not panel.is_open
