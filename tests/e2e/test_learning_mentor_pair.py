"""Journey: 济钢's union cadre records a mentor pair (师徒结对) and finds it on the apprentice's page.

The cadre opens 师徒结对 for 济钢, records a pair naming the same worker as mentor and apprentice (refused, with the
reason, nothing saved), then 孙建国 (a senior technician of 济钢) as the mentor of 李强 (炼钢一班) with the goals and
the start. The pair's page shows it in progress with 李强's grade at the start; the link to the apprentice opens 李强's
person page, whose training panel lists the mentorship. The list of pairs shows it too, and exports."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from gongjiang.core.registry import reference_data
from gongjiang.learning.models import MentorPair
from gongjiang.orgs.tests.factories import person

from .helpers import either, follow, read_xlsx


def test_a_cadre_records_a_mentor_pair_and_sees_it_on_the_apprentices_page(page, live_server, province, login,
                                                                          shot, tmp_path):
    for entry in reference_data():  # a transactional test before this one emptied the migrations' rows
        if entry.missing():
            entry.load()
    sd = province
    person(sd.steel, "孙建国", skill_grade=1)
    sd.worker_person.skill_grade = 5
    sd.worker_person.save(update_fields=["skill_grade"])
    today = timezone.localdate().isoformat()

    login("enterprise_cadre")
    page.goto(f"{live_server.url}/learning/mentors/?org={sd.steel.pk}")
    expect(page.locator("h1")).to_contain_text(either("Mentor pairs", "师徒结对"))
    shot("pairs-empty")
    follow(page, "#record-pair")

    # The same worker as mentor and apprentice: refused, nothing saved.
    page.fill("#id_mentor", "李强")
    page.fill("#id_apprentice", "李强")
    page.fill("#id_trade", "6-17-02-02")
    page.fill("#id_goals", "一年内独立操作转炉，取得四级职业技能等级")
    page.fill("#id_starts_on", today)
    follow(page, "#pair-form button[type=submit]")
    expect(page.locator("#pair-form")).to_contain_text(either("two different people", "师傅和徒弟不能是同一人"))
    assert not MentorPair.objects.exists()
    shot("same-person-refused")

    # 孙建国 teaches 李强.
    page.fill("#id_mentor", "孙建国")
    follow(page, "#pair-form button[type=submit]")
    pair = MentorPair.objects.get()
    expect(page.locator("#pair-state")).to_contain_text(either("In progress", "结对中"))
    expect(page.locator("#pair-grades")).to_contain_text(either("Level 5", "五级"))
    shot("pair-recorded")

    # The apprentice's page lists the mentorship.
    follow(page, "#apprentice-link")
    panel = page.locator("#training")
    expect(panel).to_be_visible()
    expect(page.locator("#training-pairs")).to_contain_text("孙建国")
    panel.scroll_into_view_if_needed()
    shot("apprentice-page")

    # The list shows it; the export holds it.
    page.goto(f"{live_server.url}/learning/mentors/?org={sd.steel.pk}")
    expect(page.locator("#pairs")).to_contain_text("李强")
    with page.expect_download() as download:
        page.click("[data-export]")
    saved = tmp_path / "pairs.xlsx"
    download.value.save_as(saved)
    rows = read_xlsx(saved)
    assert rows[1][0] == "孙建国" and rows[1][2] == "李强"
    assert pair.apprentice_id == sd.worker_person.pk
    shot("pairs-list")
