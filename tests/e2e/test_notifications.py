"""Journey: a worker hears of his registration without asking.

济钢's cadre registers 李强 for 车工, an event whose registrations the organiser approves. The Jinan cadre approves
it on the round's page. 李强 logs in on his phone: the bell in the top bar shows 1 unread message; the inbox says
his registration is approved (报名已通过); opening it leads to his registration and the message is read. When the
contestant numbers are drawn, a second message gives him his 参赛号 and the way to his admission ticket."""

from __future__ import annotations

from playwright.sync_api import expect

from gongjiang.competitions import services
from gongjiang.competitions.choices import EntryStatus
from gongjiang.competitions.tests.factories import WITNESSES, season, worker
from gongjiang.core.models import Notification

from .helpers import either, follow

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_worker_sees_a_notification_after_a_registration_decision(page, live_server, province, login, logout, shot):
    s = season(province, requires_approval=True)
    rnd = s.jinan_round
    entry = services.register(actor=province.enterprise_cadre, person=province.worker_person, rnd=rnd)
    zhao = services.register(actor=province.enterprise_cadre, person=worker(province.workshop, "赵一"), rnd=rnd)
    assert entry.status == EntryStatus.PENDING
    round_url = f"/competitions/rounds/{rnd.pk}/"

    # The Jinan cadre approves 李强's registration on the round's page.
    login("jinan_cadre")
    page.goto(f"{live_server.url}{round_url}")
    follow(page, f"form[action='{round_url}entries/{entry.pk}/approve/'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("李强")
    assert Notification.objects.filter(recipient=province.worker).count() == 1
    # the cadre's own bell stays quiet: the message went to the worker only
    expect(page.locator("header .inbox-link .unread-badge")).to_have_count(0)
    logout()

    # 李强, on his phone: the bell shows one unread message.
    page.set_viewport_size(PHONE)
    login("worker")
    bell = page.locator("header a.inbox-link")
    expect(bell).to_be_visible()
    expect(bell.locator(".unread-badge")).to_contain_text("1")
    no_sideways_scroll(page)
    shot("bell-with-one-unread", full_page=False)

    follow(page, "header a.inbox-link")
    assert page.url.endswith("/inbox/")
    item = page.locator("ul.inbox-list li.inbox-item")
    expect(item).to_have_count(1)
    expect(item).to_have_class("inbox-item unread")
    expect(item.locator(".inbox-title")).to_contain_text(either("Registration approved", "报名已通过"))
    expect(item.locator(".inbox-title")).to_contain_text("车工")
    expect(item.locator(".inbox-body")).to_contain_text("济南市总工会")
    no_sideways_scroll(page)
    shot("inbox-unread")

    # Opening it leads to his registration, which is now registered; the message is read.
    follow(page, "ul.inbox-list li.inbox-item a")
    assert page.url.endswith(f"/competitions/my/#entry-{entry.pk}")
    card = page.locator(f"#entry-{entry.pk}")
    expect(card).to_contain_text("车工")
    expect(card.locator(".badge-ok")).to_be_visible()
    expect(page.locator("header .inbox-link .unread-badge")).to_have_count(0)
    shot("registration-approved", target=card)

    # The contestant numbers are drawn: a second message with his own 参赛号 and the link to his ticket.
    services.approve_entry(actor=province.jinan_cadre, entry=zhao)
    services.draw_contestant_numbers(actor=province.jinan_cadre, rnd=rnd, witnesses=WITNESSES)
    entry.refresh_from_db()
    page.reload()
    expect(page.locator("header .inbox-link .unread-badge")).to_contain_text("1")
    follow(page, "header a.inbox-link")
    items = page.locator("ul.inbox-list li.inbox-item")
    expect(items).to_have_count(2)
    newest = items.first
    expect(newest).to_have_class("inbox-item unread")
    expect(newest.locator(".inbox-title")).to_contain_text(either("Contestant number drawn", "参赛号已抽定"))
    expect(newest.locator(".inbox-body")).to_contain_text(entry.contestant_no)
    expect(items.nth(1)).to_have_class("inbox-item")  # the first message stays read
    no_sideways_scroll(page)
    shot("inbox-ticket")
    ticket = Notification.objects.get(recipient=province.worker, verb="competitions.entry.ticket_available")
    assert ticket.url == f"/competitions/entries/{entry.pk}/ticket.pdf"
    assert not Notification.objects.exclude(recipient=province.worker).exists()  # 赵一 has no account

    # 全部标为已读
    page.set_viewport_size({"width": 1280, "height": 860})
    follow(page, "form[action='/inbox/read-all/'] button[type=submit]")
    expect(page.locator("ul.inbox-list li.inbox-item.unread")).to_have_count(0)
    expect(page.locator("header .inbox-link .unread-badge")).to_have_count(0)
    shot("inbox-all-read")
