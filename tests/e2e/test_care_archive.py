"""Journey: a needy worker's household enters the archive, is reviewed a year later and exits out of hardship.

济钢's union cadre files the household of 李强 (炼钢一班): the worker, his seriously ill wife without work and their
son at school, with each member's ID number and monthly income. A second filing, for 张伟 of the same works, lists
李强's son again: it is refused with the member named and the file where he already is, nothing saved. 济钢 checks
the filing from its queue, 历下区 (the approving county) approves it from its own; the file's page shows the grade
(深度困难) with its reasons. A year on (the test moves the review date) the home page's to-do says the file is due;
the cadre follows it, records the yearly review, then asks for the exit with its reason; 济钢 checks it, 历下区
approves it, and the file shows 已退出 with the reason kept."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from gongjiang.care.models import CareRequest, HouseholdFile
from gongjiang.care.tests.factories import care
from gongjiang.orgs.tests.factories import id_number, person

from .helpers import either, follow

WIFE = id_number(female=True)
SON = id_number(birth=datetime.date(2010, 5, 1))


def _member(page, i: int, relation: str, name: str, number: str, income: str, health: str = "healthy",
            schooling: str = "none", work: str = "employed") -> None:
    page.select_option(f"select[name=m{i}-relation]", relation)
    page.fill(f"input[name=m{i}-name]", name)
    page.fill(f"input[name=m{i}-id_number]", number)
    page.select_option(f"select[name=m{i}-health]", health)
    page.select_option(f"select[name=m{i}-schooling]", schooling)
    page.select_option(f"select[name=m{i}-work]", work)
    page.fill(f"input[name=m{i}-monthly_income]", income)


def _household(page, worker_id: str, housing: str, causes: tuple[str, ...]) -> None:
    page.fill("#id_worker_id", worker_id)
    page.select_option("#id_housing", housing)
    for cause in causes:
        page.check(f"input[name=causes][value={cause}]")


def _decide_in_queue(page, live_server, file: HouseholdFile, action: str, shot_name: str, shot) -> None:
    """Open the queue, find the file's open request and press check or approve."""
    page.goto(f"{live_server.url}/care/queue/")
    req = CareRequest.objects.get(file=file, state__in=("submitted", "checked"))
    row = page.locator(f"#queue #request-{req.pk}")
    expect(row).to_be_visible()
    shot(shot_name)
    follow(page, f"#request-{req.pk} form[action$='/{action}/'] button")
    expect(page.locator(".messages")).to_contain_text(
        either("Checked", "已审核") if action == "check" else either("Approved.", "已批准"))


def test_a_household_is_filed_approved_reviewed_and_exits(page, live_server, province, login, logout, shot):
    sd = province
    care(sd)  # the thresholds: 860 for the province, 1012 for 济南
    zhang = person(sd.steel, "张伟")

    # 济钢 files 李强's household: per capita (2400 / 3 = 800) below 济南's 1012, his wife seriously ill.
    login("enterprise_cadre")
    page.goto(f"{live_server.url}/care/")
    follow(page, "a[href='/care/new/']")
    _household(page, sd.worker_person.id_number, "rented", ("illness", "schooling"))
    _member(page, 0, "self", "李强", sd.worker_person.id_number, "2400")
    _member(page, 1, "spouse", "王秀英", WIFE, "0", health="serious", work="unable")
    _member(page, 2, "child", "李明", SON, "0", schooling="high", work="student")
    shot("filing-form")
    follow(page, "#household-form button[type=submit]")
    file = HouseholdFile.objects.get(person=sd.worker_person)
    assert page.url.endswith(f"/care/{file.pk}/")
    expect(page.locator(".messages")).to_contain_text(either("Filing application submitted", "建档申请已提交"))
    expect(page.locator("#members tbody tr")).to_have_count(3)
    expect(page.locator("#members")).not_to_contain_text(SON)  # masked
    shot("filed")

    # A second household lists 李强's son again: refused, naming him and the file he is in; nothing saved.
    follow(page, "a[href='/care/']")
    follow(page, "a[href='/care/new/']")
    _household(page, zhang.id_number, "owned", ("unemployment",))
    _member(page, 0, "self", "张伟", zhang.id_number, "1500")
    _member(page, 1, "child", "李明", SON, "0", schooling="high", work="student")
    with page.expect_navigation():
        page.click("#household-form button[type=submit]")
    errors = page.locator("#household-form")
    expect(errors).to_contain_text("李明")
    expect(errors).to_contain_text(either(f"file no. {file.pk}", f"第{file.pk}号困难职工档案"))
    expect(errors).to_contain_text("济南钢铁集团有限公司工会")
    assert HouseholdFile.objects.count() == 1
    shot("duplicate-member-refused")

    # 济钢 checks the filing from its queue.
    _decide_in_queue(page, live_server, file, "check", "enterprise-queue", shot)
    logout()

    # 历下区 approves it from its queue; the grade and its reasons.
    login("county_cadre")
    _decide_in_queue(page, live_server, file, "approve", "county-queue", shot)
    page.goto(f"{live_server.url}/care/{file.pk}/")
    expect(page.locator("#grade h2")).to_contain_text(either("Deep hardship", "深度困难"))
    expect(page.locator("#grade li")).not_to_have_count(0)
    expect(page.locator("#grade")).to_contain_text("1012")
    expect(page.locator("#file-facts")).to_contain_text(either("In the archive", "在档"))
    file.refresh_from_db()
    assert file.status == "active" and file.grade == "deep"
    shot("approved-with-the-grade")
    logout()

    # A year on: the review is due (the test moves the date); the home page's to-do leads to the file.
    HouseholdFile.objects.filter(pk=file.pk).update(next_review=timezone.localdate() - datetime.timedelta(days=1))
    login("enterprise_cadre")
    page.goto(f"{live_server.url}/todo/")
    todo = page.locator("main .todo-list a[href*='/care/?due=1']")
    expect(todo).to_contain_text("1")
    shot("review-due-in-the-todo")
    follow(page, "main .todo-list a[href*='/care/?due=1']")
    expect(page.locator("#files tbody tr")).to_have_count(1)
    follow(page, f"#files a[href='/care/{file.pk}/']")
    follow(page, f"form[action='/care/{file.pk}/review/'] button")
    expect(page.locator(".messages")).to_contain_text(either("Reviewed", "已复核"))
    file.refresh_from_db()
    assert file.next_review > timezone.localdate()
    shot("reviewed")

    # The son has found work: the exit is asked for with its reason, checked by 济钢 and approved by 历下区.
    reason = "子女毕业就业，家庭人均收入高于当地标准"
    follow(page, f"a[href='/care/{file.pk}/exit/']")
    page.fill("#id_reason", reason)
    shot("exit-request")
    follow(page, "#exit-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(either("Exit request submitted", "解困退出申请已提交"))
    _decide_in_queue(page, live_server, file, "check", "exit-in-the-enterprise-queue", shot)
    logout()
    login("county_cadre")
    _decide_in_queue(page, live_server, file, "approve", "exit-in-the-county-queue", shot)
    page.goto(f"{live_server.url}/care/{file.pk}/")
    expect(page.locator("#file-facts")).to_contain_text(either("Exited", "已退出"))
    expect(page.locator("#file-facts")).to_contain_text(reason)
    file.refresh_from_db()
    assert file.status == "exited" and file.exit_reason == reason
    shot("exited-with-the-reason")
