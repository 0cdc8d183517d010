"""Journeys of the knowledge contests and the online theory rounds:

(a) a worker takes a province contest on a phone: answers two questions, reloads the page (the answers are still
    there, the clock goes on), finishes and submits, and sees the result and the review;
(b) a round's organiser sets up the online theory exam of the 济南 round and opens it, the contestant 李强 takes it
    on a phone, the organiser closes it and sends the scores, and 李强's theory score is in the round's results
    (the round's theory scores page)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from gongjiang.competitions.models import Entry
from gongjiang.competitions.tests.factories import season, to_marking
from gongjiang.competitions.tests.test_services import register_many
from gongjiang.learning.models import Attempt
from gongjiang.learning.tests.contest_factories import bank, contest

from .helpers import either, follow

PHONE = {"width": 390, "height": 844}
RIGHT = "防护头部"


def answer_shown(page: Page) -> None:
    """Answer the question on screen right (the option whose text is the right one) and wait until it is saved."""
    section = page.locator("section.question:visible")
    with page.expect_response(lambda r: "/learning/answer/" in r.url) as sent:
        section.locator("label.choice", has_text=RIGHT).click()
    assert sent.value.ok, sent.value.text()


def test_a_contest_attempt_survives_a_reload(page: Page, live_server: Any, province: Any, login: Any,
                                             shot: Any) -> None:
    sd = province
    c = contest(sd, bank(sd.province, n=10), title="安全生产知识竞赛", max_attempts=1, draw=[{"count": 4}])
    page.set_viewport_size(PHONE)
    login("worker")
    page.goto(f"{live_server.url}/learning/my/contests/")
    expect(page.locator(f"[data-contest='{c.pk}']")).to_contain_text("安全生产知识竞赛")
    shot("open-contests")
    with page.expect_navigation():
        page.click(f"[data-contest='{c.pk}'] [data-enter]")
    attempt = Attempt.objects.get(person=sd.worker_person, contest=c)
    assert page.url.endswith(f"/learning/attempts/{attempt.pk}/")
    shot("attempt")
    answer_shown(page)
    page.click("section.question:visible [data-go='1']")
    answer_shown(page)
    shot("two-answered")
    page.reload()
    expect(page.locator("input[name=a0]:checked")).to_have_count(1)
    expect(page.locator("input[name=a1]:checked")).to_have_count(1)
    expect(page.locator("input[name=a2]:checked")).to_have_count(0)
    expect(page.locator("[data-jump].answered")).to_have_count(2)
    shot("after-reload")
    page.click("[data-jump='2']")
    answer_shown(page)
    page.click("section.question:visible [data-go='1']")
    answer_shown(page)
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.click("[data-submit]")
    expect(page.locator(".result .score")).to_contain_text("20")
    shot("result")
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.correct == 4
    page.goto(f"{live_server.url}/learning/my/contests/{c.pk}/")
    expect(page.locator("#my-result")).to_contain_text("20")
    shot("my-result")


def test_a_theory_rounds_scores_appear_in_the_competition_round(page: Page, live_server: Any, province: Any,
                                                                login: Any, logout: Any, shot: Any) -> None:
    sd = province
    s = season(sd)
    register_many(sd, s)
    to_marking(sd, s.jinan_round)  # contestant numbers, check-in, anonymous codes
    b = bank(sd.jinan, n=10)
    code = Entry.objects.get(round=s.jinan_round, person=sd.worker_person).code
    login("jinan_cadre")
    page.goto(f"{live_server.url}/learning/theory/")
    follow(page, f"a[href='/learning/theory/new/{s.jinan_round.pk}/']")
    now = timezone.localtime()
    page.fill("input[name=opens_at]", (now - datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=closes_at]", (now + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.check(f"input[name=banks][value='{b.pk}']")
    page.fill("input[name=count_1]", "3")
    page.fill("input[name=minutes]", "20")
    shot("set-up")
    with page.expect_navigation():
        page.click("#theory-form button[type=submit]")
    with page.expect_navigation():
        page.click("#open-exam")
    expect(page.locator("#exam-state")).to_contain_text(either("Open", "已开放"))
    expect(page.locator("#candidates")).to_contain_text(code)
    expect(page.locator("#candidates")).not_to_contain_text("李强")
    exam_url = page.url
    logout()

    page.set_viewport_size(PHONE)
    login("worker")
    page.goto(f"{live_server.url}/learning/my/contests/")
    follow(page, "[data-theory] a")
    shot("contestant")
    with page.expect_navigation():
        page.click("#start-theory")
    for n in range(3):
        answer_shown(page)
        if n < 2:
            page.click("section.question:visible [data-go='1']")
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.click("[data-submit]")
    expect(page.locator(".result .score")).to_be_visible()
    logout()

    page.set_viewport_size({"width": 1280, "height": 860})
    login("jinan_cadre")
    page.goto(exam_url)
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.click("#close-exam")
    expect(page.locator("#exam-state")).to_contain_text(either("Scores sent", "成绩已报送"))
    shot("sent")
    assert Entry.objects.get(round=s.jinan_round, person=sd.worker_person).theory == 10000
    page.goto(f"{live_server.url}/competitions/rounds/{s.jinan_round.pk}/results/theory/")  # the round's own page
    expect(page.locator("tr", has_text="李强")).to_contain_text("100")
    expect(page.locator("tr", has_text="济钢0")).to_contain_text("—")  # not taken online: still to be entered
    shot("round-theory-scores")
