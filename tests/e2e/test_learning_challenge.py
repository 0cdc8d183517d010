"""Journey: a learner clears two levels of a challenge on a phone.

李强 (炼钢一班, 济钢) logs in on a 390 px phone and opens the site: on 我的学习 the province's 安全生产闯关 is
open to him with no level cleared. On the challenge's map level 1 is open and level 2 locked. He starts level 1,
answers each question on its own screen (the journey reads the right answers from the database, as a learner who
studied would know them) and submits: passed. Back on the map level 1 is cleared and level 2 open; he clears level 2
too. After the minute's fold, the leaderboard shows him first, and 我的学习 his points and the challenge's badge."""

from __future__ import annotations

from playwright.sync_api import expect

from gongjiang.learning import counters
from gongjiang.learning.choices import AttemptState
from gongjiang.learning.models import Attempt
from gongjiang.learning.tests.challenge_factories import challenges, right_answers

from .helpers import either, follow

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def answer_level(page, person) -> None:
    """Answer every question of the attempt in progress, screen by screen, and submit."""
    attempt = Attempt.objects.get(person=person, state=AttemptState.ACTIVE)
    answers = right_answers(attempt)
    for i, given in enumerate(answers):
        section = page.locator(f"section.question[data-position='{i}']")
        expect(section).to_be_visible()
        for letter in given:
            choice = section.locator(f"label.choice:has(input[value='{letter}'])")
            choice.click()
            expect(choice.locator("input")).to_be_checked()
        expect(page.locator(f"[data-jump='{i}'].answered")).to_have_count(1)
        if i < len(answers) - 1:
            section.locator("[data-go='1']").click()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("[data-submit]")


def test_a_learner_clears_two_levels_on_a_phone(page, live_server, province, login, shot):
    ch = challenges(province)
    page.set_viewport_size(PHONE)
    login("worker")  # the log-in sends a worker to their record; 我的学习 is in the menu
    assert page.url.endswith("/me/")
    page.goto(f"{live_server.url}/learning/me/")
    expect(page.locator("#my-challenges")).to_contain_text("安全生产闯关")
    no_sideways_scroll(page)
    shot("my-learning")

    follow(page, f"#my-challenges a[href='/learning/me/challenges/{ch.challenge.pk}/']")
    expect(page.locator("#level-1")).to_contain_text(either("Open", "可挑战"))
    expect(page.locator("#level-2 button")).to_have_count(0)  # locked
    no_sideways_scroll(page)
    shot("map-level-1-open")

    for number in (1, 2):
        follow(page, f"#level-{number} button[type=submit]")
        assert "/learning/attempts/" in page.url
        no_sideways_scroll(page)
        shot(f"level-{number}-first-question")
        answer_level(page, province.worker_person)
        expect(page.locator(".result")).to_have_class(either("card result passed"))
        shot(f"level-{number}-passed")
        follow(page, ".page-head a.btn")  # back: the challenge's map
        assert page.url.endswith(f"/learning/me/challenges/{ch.challenge.pk}/")
        expect(page.locator(f"#level-{number}.level-cleared")).to_have_count(1)
        shot(f"map-after-level-{number}")

    assert counters.fold() == 2
    page.goto(f"{live_server.url}/learning/challenges/{ch.challenge.pk}/board/")
    expect(page.locator("#people-board tbody tr").first).to_contain_text("李强")
    expect(page.locator("#my-rank")).to_contain_text("1")
    no_sideways_scroll(page)
    shot("leaderboard")

    page.goto(f"{live_server.url}/learning/me/")
    expect(page.locator("#my-points")).to_have_text("30")
    expect(page.locator("#my-badges")).to_contain_text("安全达人")
    shot("points-and-badges")
