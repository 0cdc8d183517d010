"""Journey: an exhibition match signed (6·18 成果展洽会, 技术对接).

The province's exhibition is open; 济钢's union has offered its 转炉煤气余热发电技术 and 济南重工's union has entered
its need for 加热炉余热发电改造, both accepted into the catalogue. The province's organiser opens the exhibition's page,
sees the pair suggested with the words they share and confirms it into a match. 济南重工's cadre, on a phone, opens
the match from the union's page and requests a meeting in the first free slot; the contact's phone of the other side
stays masked. 济钢's cadre accepts the meeting — now each side reads the other's phone —, cancels it with a reason (a
breakdown that day: the slot is offered again), records that the two sides met, tries to record the contract without
its value (refused, naming the field, nothing changed), then records it with 65万元. The match's page shows 已签约 with
the value and its timeline; the figures of 济钢 and of the province count the signed match and its value."""

from __future__ import annotations

from playwright.sync_api import expect

from gongjiang.innovation import services
from gongjiang.innovation.choices import MatchState
from gongjiang.innovation.models import Match
from gongjiang.innovation.tests.exhibition_factories import expo
from gongjiang.innovation.tests.factories import innovation

from .helpers import either, follow

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_an_exhibition_match_is_suggested_met_and_signed(page, live_server, province, login, logout, shot):
    inn = innovation(province)
    ex = expo(inn)
    offer, need = ex.pair()
    services.check_offer(actor=ex.organiser, accept=True, offer=ex.offer("有限空间作业气体监测技术",
                                                                         category="safety"))
    e = ex.exhibition
    base = live_server.url

    # The organiser confirms the suggested pair (explained by the words it shares) into a match.
    page.set_viewport_size(DESKTOP)
    login("province_admin")
    page.goto(f"{base}/innovation/exhibitions/{e.pk}/")
    pair = page.locator("#expo-suggestions li.suggestion").filter(has_text=offer.title).filter(has_text=need.title)
    expect(pair).to_have_count(1)
    expect(pair.locator("mark").first).to_contain_text("余热发电")
    shot("organiser-suggestions")
    follow(page, f"#expo-suggestions li.suggestion:has(a[href$='/exhibition-needs/{need.pk}/']) button")
    m = Match.objects.get()
    assert page.url.endswith(f"/innovation/exhibition-matches/{m.pk}/")
    expect(page.locator(".messages")).to_contain_text(m.number)
    shot("match-made")
    logout()

    # 济南重工's cadre, on a phone, requests a meeting in the first free slot.
    page.set_viewport_size(PHONE)
    login("zhonggong_cadre")
    page.goto(f"{base}/innovation/exhibitions/{e.pk}/")
    no_sideways_scroll(page, PHONE["width"])
    shot("union-page-phone")
    follow(page, f"#my-matches a[href$='/exhibition-matches/{m.pk}/']")
    expect(page.locator("#offer-side .contact-phone")).not_to_contain_text(province.worker_person.mobile)
    follow(page, "#meeting-form button[type=submit]")
    expect(page.locator("#meetings")).to_contain_text(either("Requested", "待答复"))
    no_sideways_scroll(page, PHONE["width"])
    shot("meeting-requested-phone")
    logout()

    # 济钢's cadre accepts the meeting: now the phones are shown; records the meeting and the contract.
    page.set_viewport_size(DESKTOP)
    login("enterprise_cadre")
    page.goto(f"{base}/innovation/exhibition-matches/{m.pk}/")
    follow(page, ".answer-form button[value=accept]")
    expect(page.locator("#need-side .contact-phone")).to_contain_text(ex.partner_person.mobile)
    shot("meeting-accepted")
    # A breakdown that day: 济钢 cancels the accepted meeting with a reason; its slot is offered again.
    page.fill(".cancel-form input[name=reason]", "设备检修，改约时间")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, ".cancel-form button[type=submit]")
    expect(page.locator("#meetings")).to_contain_text(either("Cancelled", "已取消"))
    expect(page.locator("#meetings")).to_contain_text("设备检修，改约时间")
    first = e.slots()[0].isoformat()
    expect(page.locator(f"#meeting-form option[value='{first}']")).to_have_count(1)
    shot("meeting-cancelled")
    follow(page, "#met-form button[type=submit]")
    follow(page, "#sign-form button[type=submit]")  # no contract value: refused, naming it
    expect(page.locator(".messages")).to_contain_text(either("contract value", "合同金额"))
    m.refresh_from_db()
    assert m.state == MatchState.MET and m.contract_value is None
    shot("signature-without-value-refused")
    page.fill("#sign-form input[name=contract_value]", "650000")
    follow(page, "#sign-form button[type=submit]")
    m.refresh_from_db()
    assert (m.state, m.contract_value) == (MatchState.SIGNED, 650000)
    expect(page.locator("#contract-value")).to_contain_text("650,000.00")
    expect(page.locator(".stage-bar li.current")).to_contain_text(either("Signed", "已签约"))
    expect(page.locator("#timeline")).to_contain_text(either("Contract signed", "签约"))
    shot("signed")

    # The figures count it: 济钢's, and the province's (once, though both unions are below it).
    page.goto(f"{base}/innovation/figures/?org={province.steel.pk}")
    expect(page.locator("#expo-figures tr.total")).to_contain_text("65.00")
    shot("figures-enterprise")
    logout()
    login("province_admin")
    page.goto(f"{base}/innovation/figures/?org={province.province.pk}")
    expect(page.locator("#expo-figures tr.total")).to_contain_text("65.00")
    page.goto(f"{base}/innovation/exhibitions/{e.pk}/")
    expect(page.locator("#expo-counts")).to_contain_text("650,000.00")
    shot("organiser-counts")
