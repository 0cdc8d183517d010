"""Journey: 李强 leaves 济南钢铁 for 青岛港. The steel company's cadre requests the membership transfer
(会籍转接); the Qingdao city cadre finds it under 待我方接收 and accepts it; 李强 and his membership now
belong to 青岛港集团有限公司工会."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from gongjiang.orgs.models import Membership, MembershipTransfer, Person

from .helpers import either, follow


def test_a_transfer_requested_in_jinan_is_accepted_in_qingdao(page, live_server, province, login, logout, shot):
    li = province.worker_person
    qd = province.qd_enterprise

    # 济钢's cadre finds 李强 in 职工 and opens his page.
    login("enterprise_cadre")
    follow(page, "aside.sidenav a[href='/people/']")
    follow(page, f"#person-rows a[href='/people/{li.pk}/']")
    expect(page.locator("h1")).to_contain_text("李强")
    # Only members can be transferred: she first records that he joined the union in 2015.
    follow(page, f".page-head a[href='/people/{li.pk}/membership/']")
    page.fill("input[name=member_since]", "2015-09-01")
    follow(page, "form.stacked button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    shot("member")

    # 申请会籍转接: search the receiving unit (HTMX), choose it, give the reason.
    follow(page, f".page-head a[href='/people/{li.pk}/transfer/']")
    page.fill("main input[name=q]", "青岛港")
    choice = page.locator(f"#destinations input[type=radio][name=to_employer][value='{qd.pk}']")
    expect(choice).to_be_visible()
    expect(page.locator("#destinations")).to_contain_text("青岛市总工会")  # the city tells similar names apart
    choice.check()
    page.fill("textarea[name=reason]", "调入青岛港集团工作")
    shot("request-form")
    follow(page, "form.stacked button[type=submit]")
    assert page.url.endswith(f"/people/{li.pk}/")
    expect(page.locator(".alert-warn")).to_contain_text("青岛港集团有限公司工会")  # waiting for acceptance
    shot("requested")
    transfer = MembershipTransfer.objects.get(person=li)
    assert transfer.state == "requested" and transfer.to_union == qd
    assert Person.objects.get(pk=li.pk).employer == province.team, "nothing moves before acceptance"
    logout()

    # Qingdao's cadre: 会籍转接 opens on 待我方接收, with 李强 waiting.
    login("qingdao_cadre")
    follow(page, "aside.sidenav a[href='/transfers/']")
    current_tab = page.locator("nav.tabs [aria-current=page]")
    expect(current_tab).to_contain_text(either("Awaiting our acceptance", "待我方接收"))
    row = page.locator("#transfer-rows tbody tr", has_text="李强")
    expect(row).to_contain_text("济南钢铁集团有限公司工会")
    expect(row).to_contain_text("调入青岛港集团工作")
    shot("incoming")
    page.once("dialog", lambda dialog: dialog.accept())  # "Take over 李强 as a member of your union?"
    follow(page, f"form[action='/transfers/{transfer.pk}/accept/'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("李强")
    expect(page.locator("#transfer-rows")).not_to_contain_text("李强")
    shot("accepted")

    # 李强 now works at 青岛港 and is a member of its union; the transfer is in the history.
    transfer.refresh_from_db()
    assert transfer.state == "accepted"
    assert Person.objects.get(pk=li.pk).employer == qd
    assert Membership.objects.get(person=li).union == qd
    follow(page, "nav.tabs a[href='?tab=history']")
    expect(page.locator("#transfer-rows tbody tr", has_text="李强").locator(".badge-ok")).to_be_visible()
    page.goto(f"{live_server.url}/people/{li.pk}/")
    expect(page.locator(f"dl.props a[href='/orgs/{qd.pk}/']")).to_have_text(qd.name)
    expect(page.locator("body")).to_contain_text(re.compile(r"2015-09-01"))
    shot("person-in-qingdao")
