"""Journey: a member of the public objects to a round's 成绩公示 on their phone, and the Jinan organiser looks
into it, records what they found and the outcome with the reply; only then can the results be confirmed."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from gongjiang.competitions import services
from gongjiang.competitions.choices import RoundState
from gongjiang.competitions.models import Round
from gongjiang.competitions.tests.factories import end_notice
from gongjiang.core.models import Objection

from .helpers import either, follow
from .test_competition_judging import PHONE, decrypted


def test_the_public_objects_to_a_rounds_notice_and_the_organiser_records_the_outcome(
        page, live_server, province, login, logout, shot):
    rnd, _found = decrypted(province, {"李强": "20", "济钢0": "25", "济钢1": "22", "济钢2": "24"})
    until = timezone.localdate() + datetime.timedelta(days=5)
    services.publish_results(actor=province.jinan_cadre, rnd=rnd, publicity_until=until)
    rnd.refresh_from_db()

    # 王五, who watched the contest, reads the notice on his phone: no log-in, the form under the ranking.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/public/results/{rnd.pk}/")
    assert "/login/" not in page.url
    form = page.locator("#objection form")
    expect(form).to_be_visible()
    expect(page.locator("#objection")).to_contain_text(either("real name", "实名"))
    # Sent without a name and with a wrong number: told beside each field, nothing is stored.
    form.locator("input[name=contact]").fill("12345")
    form.locator("input[name=subject]").fill("济钢0（济南钢铁集团有限公司工会）")
    form.locator("textarea[name=reason]").fill("该选手在实操中使用了未经检录的量具。")
    follow(page, "#objection button[type=submit]")
    expect(page.locator(".field.has-error")).to_have_count(2)
    expect(page.locator(".field.has-error").first).to_contain_text(either("anonymous", "匿名"))
    assert not Objection.objects.exists()
    shot("objection-refused")
    form = page.locator("#objection form")
    form.locator("input[name=name]").fill("王五")
    form.locator("input[name=contact]").fill("138 0013 8000")
    follow(page, "#objection button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(either("has been received", "已受理"))
    assert page.url.endswith(f"/public/results/{rnd.pk}/")
    objection = Objection.objects.get()
    expect(page.locator(".messages")).to_contain_text(objection.reference)
    assert "13800138000" not in page.content() and "王五" not in page.locator("main").inner_text()
    shot("objection-received")

    # The notice ends; the organiser cannot confirm the results while the objection is open.
    end_notice(rnd)
    page.set_viewport_size({"width": 1280, "height": 900})
    login("jinan_cadre")
    page.goto(f"{live_server.url}/competitions/rounds/{rnd.pk}/results/")
    link = page.locator(f"a[href='/notices/{rnd.notice_id}/objections/']")
    expect(link).to_contain_text("1")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, f"form[action='/competitions/rounds/{rnd.pk}/results/finalise/'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(either("objections", "异议"))
    assert Round.objects.get(pk=rnd.pk).state == RoundState.PUBLICITY

    # The objection: the objector's name and number in clear for the organiser, a note, then the outcome.
    follow(page, f"a[href='/notices/{rnd.notice_id}/objections/']")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    expect(page.locator("table.list")).to_contain_text("138****8000")
    shot("objection-list")
    follow(page, f"a[href='/notices/objections/{objection.pk}/']")
    expect(page.locator("dl.props")).to_contain_text("王五")
    expect(page.locator("dl.props")).to_contain_text("13800138000")
    page.fill("textarea[name=text]", "经查检录记录，济钢0所用量具已于检录时登记，编号LJ-017。")
    follow(page, "form:has(input[value=note]) button[type=submit]")
    expect(page.locator("ol.notes")).to_contain_text("LJ-017")
    page.select_option("select[name=outcome]", "dismissed")
    page.fill("textarea[name=reply]", "经核实，所用量具已检录登记，异议不成立。已于电话中答复反映人。")
    shot("objection-decide")
    follow(page, "#decide button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(objection.reference)
    objection.refresh_from_db()
    assert (objection.state, objection.outcome) == ("decided", "dismissed")
    shot("objection-decided")

    # Now the results can be confirmed.
    page.goto(f"{live_server.url}/competitions/rounds/{rnd.pk}/results/")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, f"form[action='/competitions/rounds/{rnd.pk}/results/finalise/'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(either("certificates issued", "颁发获奖证书"))
    assert Round.objects.get(pk=rnd.pk).state == RoundState.FINAL
    logout()
