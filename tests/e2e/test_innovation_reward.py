"""Journey: benefit accounted and a reward paid.

李强's golden idea (with 周明 as co-proposer, 20 %) has been adopted by 济钢 with a forecast of 20万元. 济钢's union
cadre starts the implementation and, a few months on, records the actual benefit — 26万元 gross, 4万元 of cost — with
the financial statement as a PDF; it now waits for the finance officer. Neither the valuator nor the cadre holds the
finance duty: the page offers them no sign-off, and a tampered POST is refused in Chinese with nothing changed. The
finance officer (财务孙会计, appointed at 济钢) signs it off. The cadre has set 济钢's reward policy (6 % of the net
benefit); the proposal's page shows the calculation (22万元 × 6 % = 13,200 元, 二等) before the cadre pays it with a
voucher number. The reward ledger (奖励台账) lists 李强's 10,560 元 and 周明's 2,640 元 with the grade; 李强 sees his
part on his phone — on 我的建议, on the proposal's page and in 消息 — and nothing of 周明's."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from gongjiang.core.models import Notification
from gongjiang.innovation import services
from gongjiang.innovation.choices import Grade, RewardMode, State
from gongjiang.innovation.models import Benefit, RewardPayment, RewardPolicy
from gongjiang.innovation.tests.factories import PDF, innovation
from gongjiang.orgs.models import Fact

from .helpers import either, follow

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def post_sign_off(page, pk: int) -> int:
    """A tampered sign-off: the form the page does not offer, posted with the page's CSRF token; the status."""
    with page.expect_response(lambda r: r.url.endswith(f"/innovation/proposals/{pk}/sign-off/")) as answer:
        page.evaluate("""(url) => {
            const f = document.createElement('form'); f.method = 'post'; f.action = url;
            const t = document.createElement('input'); t.type = 'hidden'; t.name = 'csrfmiddlewaretoken';
            t.value = document.querySelector('input[name=csrfmiddlewaretoken]').value;
            f.appendChild(t); document.body.appendChild(f); f.submit(); }""", f"/innovation/proposals/{pk}/sign-off/")
    page.wait_for_load_state()
    return answer.value.status


def test_the_benefit_is_accounted_and_the_reward_paid(page, live_server, province, login, logout, shot,
                                                      tmp_path: Path):
    inn = innovation(province)
    proposal = inn.bring(inn.submit("转炉氧枪喷头寿命提升", co_proposers=[services.CoProposer("周明", 20)]),
                         State.ADOPTED)
    url = f"{live_server.url}/innovation/proposals/{proposal.pk}/"

    # 济钢's union sets its reward policy: 6 % of the net benefit (the rest as the default).
    page.set_viewport_size(DESKTOP)
    login("enterprise_cadre")
    page.goto(f"{live_server.url}/innovation/policy/?org={province.steel.pk}")
    page.fill("#id_share_percent", "6")
    follow(page, "form.card button[type=submit]")
    assert RewardPolicy.objects.get(org=province.steel).share_percent == 6
    shot("reward-policy")

    # The cadre starts the implementation, then records the actual benefit with the financial statement.
    page.goto(url)
    follow(page, "#implement button[type=submit]")
    proposal.refresh_from_db()
    assert proposal.state == State.IMPLEMENTING
    statement = tmp_path / "效益核算表.pdf"
    statement.write_bytes(PDF)
    page.fill("#record-benefit input[name=gross]", "26")
    page.fill("#record-benefit input[name=cost]", "4")
    page.fill("#record-benefit textarea[name=soft]", "减少停炉换枪时间，每年少停炉约30小时")
    page.set_input_files("#record-benefit input[type=file]", str(statement))
    shot("record-benefit-form")
    follow(page, "#record-benefit button[type=submit]")
    benefit = Benefit.objects.get(proposal=proposal)
    assert (benefit.gross, benefit.cost, benefit.net) == (260000, 40000, 220000)
    assert benefit.signed_off_at is None
    expect(page.locator("#benefit")).to_contain_text("22.00")
    expect(page.locator("#benefit")).to_contain_text(either("waiting", "待"))
    expect(page.locator("#files")).to_contain_text("效益核算表.pdf")
    # The cadre holds no finance duty: no sign-off on the page, and a tampered POST is refused, nothing changed.
    expect(page.locator("#sign-off")).to_have_count(0)
    shot("benefit-recorded-waiting-for-finance")
    # The record form now starts from what was recorded (to correct it before the sign-off).
    expect(page.locator("#record-benefit input[name=gross]")).to_have_value("26")
    expect(page.locator("#record-benefit")).to_contain_text(either("Correct the recorded benefit", "更正已登记的效益"))
    assert post_sign_off(page, proposal.pk) == 403
    expect(page.locator("main, body").first).to_contain_text("只有济南钢铁集团有限公司工会的财务核算员可以进行此操作")
    shot("cadre-sign-off-refused")
    proposal.refresh_from_db()
    benefit.refresh_from_db()
    assert proposal.state == State.IMPLEMENTING and benefit.signed_off_at is None
    logout()

    # The valuator may read the proposal but not sign off either.
    login("valuator")
    page.goto(url)
    expect(page.locator("#sign-off")).to_have_count(0)
    assert post_sign_off(page, proposal.pk) == 403
    expect(page.locator("body")).to_contain_text("只有济南钢铁集团有限公司工会的财务核算员可以进行此操作")
    shot("valuator-sign-off-refused")
    benefit.refresh_from_db()
    assert benefit.signed_off_at is None
    assert not Fact.objects.filter(org=province.steel, metric="innovation.benefits_accounted").exists()
    logout()

    # The finance officer finds it in the to-do list and signs it off.
    login("finance")
    page.goto(f"{live_server.url}/todo/")
    follow(page, "ul.todo-list a[href*='waiting=sign_off']")
    expect(page.locator("aside.sidenav a[href='/innovation/proposals/']")).to_have_count(1)  # in the menu too
    shot("finance-waiting-list")
    follow(page, f"a[href='/innovation/proposals/{proposal.pk}/']")
    expect(page.locator("#sign-off")).to_be_visible()
    expect(page.locator("#sign-off")).to_contain_text("22.00")
    expect(page.locator("#record-benefit")).to_have_count(0)
    shot("finance-sees-sign-off")
    page.once("dialog", lambda d: d.accept())
    follow(page, "#sign-off button[type=submit]")
    proposal.refresh_from_db()
    benefit.refresh_from_db()
    assert proposal.state == State.ACCOUNTED and benefit.signed_off_by == inn.finance
    assert Fact.objects.get(org=province.steel, metric="innovation.benefit", period="Y",
                            start=timezone.localdate(benefit.signed_off_at).replace(month=1, day=1)).value == 220000
    expect(page.locator(".page-head .badge")).to_contain_text(either("Benefit accounted", "效益已核算"))
    shot("signed-off")
    logout()

    # The cadre sees what the policy gives before paying it, and pays it with a voucher number.
    login("enterprise_cadre")
    page.goto(url)
    calculation = page.locator("#reward #reward-calculation")
    expect(calculation).to_contain_text("济南钢铁集团有限公司工会")  # whose policy applies
    expect(calculation).to_contain_text(either("net benefit 22.00 × 10,000 yuan × 6% = 13,200.00 yuan",
                                               "净效益22.00万元 × 6% = 13,200.00元"))
    expect(calculation).to_contain_text(either("Second grade", "二等"))
    expect(calculation).to_contain_text(either("李强 (80%): 10,560.00", "李强（80%）：10,560.00"))
    expect(calculation).to_contain_text(either("周明 (20%): 2,640.00", "周明（20%）：2,640.00"))
    assert not RewardPayment.objects.exists()  # shown, not paid yet
    shot("reward-calculation-before-paying")
    page.fill("#reward input[name=voucher]", "JG-2026-0815")
    follow(page, "#reward button[type=submit]")
    proposal.refresh_from_db()
    assert proposal.state == State.REWARDED and proposal.reward == 13200 and proposal.grade == Grade.SECOND
    paid = {p.person.name: p for p in RewardPayment.objects.filter(proposal=proposal).select_related("person")}
    assert {n: p.amount for n, p in paid.items()} == {"李强": Decimal("10560.00"), "周明": Decimal("2640.00")}
    assert {(p.grade, p.mode, p.voucher) for p in paid.values()} == {(Grade.SECOND, RewardMode.SHARE,
                                                                      "JG-2026-0815")}
    expect(page.locator("#ledger")).to_contain_text("10,560")
    shot("reward-paid")

    # The reward ledger lists both parts with the grade and the voucher.
    page.goto(f"{live_server.url}/innovation/ledger/?org={province.steel.pk}")
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="李强")).to_contain_text("10,560")
    expect(rows.filter(has_text="周明")).to_contain_text("2,640")
    expect(rows.first).to_contain_text(either("Second grade", "二等"))
    expect(rows.first).to_contain_text("JG-2026-0815")
    expect(rows.first).to_contain_text("13,200.00")  # the whole reward beside each part
    expect(page.locator("table.list thead")).to_contain_text(either("Enterprise", "所在企业"))
    shot("reward-ledger")
    logout()

    # 李强 on his phone: his proposals, the proposal's page and 消息 show his part, not 周明's.
    page.set_viewport_size(PHONE)
    login("worker")
    page.goto(f"{live_server.url}/innovation/my/")
    card = page.locator(f"#proposal-{proposal.pk}")
    expect(card).to_contain_text("13,200.00")
    expect(card).to_contain_text(either("your part: 10,560.00", "本人10,560.00"))
    no_sideways_scroll(page, PHONE["width"])
    shot("my-proposals-phone")
    follow(page, f"#proposal-{proposal.pk}")
    expect(page.locator("#ledger")).to_contain_text("10,560")
    expect(page.locator("#ledger")).not_to_contain_text("2,640")
    expect(page.locator("#files")).not_to_contain_text("效益核算表.pdf")  # the evidence is the union's, not listed
    no_sideways_scroll(page, PHONE["width"])
    shot("proposal-rewarded-phone")
    page.goto(f"{live_server.url}/inbox/")
    item = page.locator("ul.inbox-list li.inbox-item").filter(has_text="10,560.00")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(either("Second grade", "二等"))
    expect(page.locator("ul.inbox-list")).to_contain_text("22.00")  # the benefit accounted, in 万元
    expect(page.locator("ul.inbox-list")).not_to_contain_text("2,640")
    no_sideways_scroll(page, PHONE["width"])
    shot("inbox-phone")
    said = set(Notification.objects.filter(recipient=province.worker).values_list("verb", flat=True))
    assert {"innovation.proposal.implementing", "innovation.proposal.accounted",
            "innovation.proposal.rewarded"} <= said
