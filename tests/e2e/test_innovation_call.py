"""Journey: an achievement call (成果征集与评审) from its creation to the certificates; a city's best goes up.

山东省总工会's administrator opens the provincial call through the pages (创新 → 成果征集 → 发起征集) with
quotas for 济南 and 青岛, and puts one more expert into the 评审专家库 with a new account, whose initial password is
shown once (and works). 济钢's union cadre submits the 转炉氧枪喷头 achievement on a phone, with 李强 as author and
the 申报书 as a PDF; the same title again is refused with a message naming the number it has, and nothing changes.
The administrator closes the submissions: each achievement gets three experts, and 济钢's own expert is not among
those of 济钢's achievement. The experts review blind on their phones — number and title, never 李强, 济钢 or
济南 —; one first types 35 for 创新性 (at most 30) and is told beside that field; one declares a conflict instead,
and a second run of the assignment puts another expert in the place, who scores too. The administrator ranks,
lowers one award with the committee's reason, puts the results on public notice (read anonymously on
/public/notices/), and once the notice has ended makes them final: the prize-winners have their certificates.

Then 济南's cadre runs the city's call, which recommends to the provincial call while it still collects; its first
prize goes up with 推荐至省级征集, and the provincial call shows it with its 下级推荐 badge, within 济南's quota."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from gongjiang.core.models import IssuedCertificate, PublicNotice
from gongjiang.innovation import services
from gongjiang.innovation.choices import Award, CallLevel, CallState, EntryState, Field, ReviewState
from gongjiang.innovation.models import Achievement, Call, Expert, Review
from gongjiang.innovation.tests.call_factories import GOOD, INNOVATIONS, SUMMARY, Calls, provincial_call
from gongjiang.innovation.tests.factories import PDF
from gongjiang.orgs.tests.factories import person, user

from .conftest import PASSWORD
from .helpers import follow

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
TITLE = "转炉氧枪喷头长寿命技术"
QD_TITLE = "集装箱码头智能理货系统"
BLIND = ("李强", "济钢", "济南钢铁", "济南")


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def pool(sd) -> None:
    """The province's expert pool of the unit tests: 济钢's expert, the 青岛 enterprise's, four from outside."""
    services.add_expert(actor=sd.province_admin, org=sd.province, user=user("expert0"), name="济钢专家",
                        person=person(sd.workshop, "王工", mobile="13912340011"), enterprise=sd.steel,
                        specialities=[Field.PROCESS], max_load=10)
    services.add_expert(actor=sd.province_admin, org=sd.province, user=user("expert1"), name="青岛专家",
                        enterprise=sd.qd_enterprise, specialities=[Field.PROCESS], max_load=10)
    for i in range(4):
        services.add_expert(actor=sd.province_admin, org=sd.province, user=user(f"outside{i}"),
                            name=f"外部专家{i}", specialities=[Field.PROCESS, Field.EQUIPMENT], max_load=10)


def end_notice(call: Call) -> None:
    PublicNotice.objects.filter(owner_id=call.pk, kind="innovation.call_results").update(
        starts_on=timezone.localdate() - datetime.timedelta(days=9),
        ends_on=timezone.localdate() - datetime.timedelta(days=1))


def reviewers_of(a: Achievement) -> list[Review]:
    return list(Review.objects.filter(achievement=a, round=1).exclude(state=ReviewState.ABSTAINED)
                .select_related("expert__user").order_by("id"))


def test_a_provincial_call_goes_from_its_creation_to_the_certificates(page, live_server, province, login, logout,
                                                                      shot, tmp_path: Path):
    sd = province
    pool(sd)
    page.on("dialog", lambda d: d.accept())  # data-confirm before irreversible steps: the user says yes
    today = timezone.localdate()

    # 1. The administrator opens the provincial call through the menu, sets the quotas and opens it.
    page.set_viewport_size(DESKTOP)
    login("province_admin")
    follow(page, "aside.sidenav a[href='/innovation/calls/']")
    follow(page, "a[href^='/innovation/calls/new/']")
    page.fill("#id_title", f"{today.year}年全省职工优秀技术创新成果征集")
    page.fill("#id_submit_until", (today + datetime.timedelta(days=10)).isoformat())
    page.fill("#id_review_until", (today + datetime.timedelta(days=30)).isoformat())
    page.fill("#id_materials", "申报书、成果应用证明、经济效益证明")
    page.fill("#id_national_quota", "1")
    shot("new-call")
    follow(page, "#call-form button[type=submit]")
    call = Call.objects.get()
    assert page.url.endswith(f"/innovation/calls/{call.pk}/") and call.level == CallLevel.PROVINCE
    expect(page.locator(".messages")).to_contain_text("开放申报")
    page.fill(f"#quotas input[name=q{sd.jinan.pk}]", "2")
    page.fill(f"#quotas input[name=q{sd.qingdao.pk}]", "2")
    follow(page, "#quotas button")
    assert {q.org_id: q.quota for q in call.quotas.all()} == {sd.jinan.pk: 2, sd.qingdao.pk: 2}
    expect(page.locator("#quotas")).to_contain_text("已申报/名额：济南市总工会 0/2；青岛市总工会 0/2")
    shot("quotas")
    follow(page, "#open button")
    call.refresh_from_db()
    assert call.state == CallState.OPEN
    expect(page.locator(".stage-bar li.current")).to_contain_text("征集中")
    shot("opened")

    # One more expert through the pool's page, with a new account: the initial password is shown once.
    follow(page, "aside.sidenav a[href='/innovation/calls/']")
    follow(page, "a[href^='/innovation/experts/']")
    page.fill("#expert-form input[name=name]", "赵建国")
    page.fill("#expert-form input[name=username]", "zhao_jianguo")
    page.fill("#expert-form input[name=title]", "教授级高级工程师")
    page.check(f"#expert-form input[name=specialities][value={Field.PROCESS}]")
    page.fill("#expert-form input[name=max_load]", "10")
    follow(page, "#expert-form button")
    expect(page.locator(".messages")).to_contain_text("赵建国")
    expect(page.locator("#initial-password")).to_be_visible()
    passwords = {"zhao_jianguo": page.locator("#initial-password strong").nth(1).inner_text().strip()}
    expect(page.locator("#experts")).to_contain_text("赵建国")
    shot("expert-added")
    page.goto(page.url)
    expect(page.locator("#initial-password")).to_have_count(0)
    assert Expert.objects.filter(org=sd.province).count() == 7
    logout()
    login("zhao_jianguo", passwords["zhao_jianguo"])  # the password handed over works: 我的评审, empty for now
    assert page.url.endswith("/innovation/reviews/")
    expect(page.locator("main")).to_contain_text("暂无待评审的成果")
    logout()

    # 2. 济钢's union cadre submits on a phone, with 李强 as author and the 申报书 as a PDF.
    page.set_viewport_size(PHONE)
    login("enterprise_cadre")
    page.click("label.nav-burger")
    follow(page, "aside.sidenav a[href='/innovation/calls/']")
    follow(page, f"#calls a[href='/innovation/calls/{call.pk}/']")
    no_sideways_scroll(page, PHONE["width"])
    shot("call-phone")
    follow(page, f"a[href='/innovation/calls/{call.pk}/submit/']")
    page.fill("#id_title", TITLE)
    page.select_option("#id_field", Field.PROCESS)
    page.fill("#id_summary", SUMMARY)
    page.fill("#id_innovations", INNOVATIONS)
    page.fill("#id_benefit", "1200000")
    page.fill("#id_authors", "李强")
    form_pdf = tmp_path / "成果申报书.pdf"
    form_pdf.write_bytes(PDF)
    page.set_input_files("#id_files", str(form_pdf))
    no_sideways_scroll(page, PHONE["width"])
    shot("submit-phone")
    follow(page, "#submit-form button[type=submit]")
    steel = Achievement.objects.get()
    assert page.url.endswith(f"/innovation/achievements/{steel.pk}/")
    assert [a.person for a in steel.authors.all()] == [sd.worker_person] and steel.files.get().name == "成果申报书.pdf"
    expect(page.locator(".messages")).to_contain_text(steel.number)
    no_sideways_scroll(page, PHONE["width"])
    shot("submitted-phone")
    # The same title again: refused with the number it has, nothing stored.
    page.goto(f"{live_server.url}/innovation/calls/{call.pk}/submit/")
    page.fill("#id_title", TITLE)
    page.select_option("#id_field", Field.PROCESS)
    page.fill("#id_summary", SUMMARY)
    page.fill("#id_innovations", INNOVATIONS)
    page.fill("#id_authors", "李强")
    follow(page, "#submit-form button[type=submit]")
    refused = page.locator(".field.has-error")
    expect(refused).to_have_count(1)
    expect(refused.locator("#id_title")).to_have_count(1)
    expect(refused).to_contain_text(f"该成果已申报本次征集（编号{steel.number}），同一成果只能申报一次。")
    assert Achievement.objects.count() == 1
    shot("twice-refused-phone")
    logout()
    qd = Calls(sd, call).submit(QD_TITLE, enterprise=sd.qd_enterprise)

    # 3. The administrator closes the submissions: three experts each, never 济钢's own for 济钢's achievement.
    page.set_viewport_size(DESKTOP)
    login("province_admin")
    page.goto(f"{live_server.url}/innovation/calls/{call.pk}/")
    follow(page, "#assign button")
    call.refresh_from_db()
    assert call.state == CallState.REVIEWING
    expect(page.locator(".messages")).to_contain_text("共6项评审任务，0项成果专家人数不足")
    expect(page.locator("#entries tbody tr")).to_have_count(2)
    for a in (steel, qd):
        names = [r.expert.name for r in reviewers_of(a)]
        cell = page.locator("#entries tbody tr", has_text=a.number).locator("td.small")
        assert len(names) == 3 and cell.inner_text().count("、") == 2  # three experts, one list
        for name in names:
            expect(cell).to_contain_text(f"{name}（待评审）")
    # 济钢's own expert (expert0, 济钢专家) reviews the 青岛 achievement, never 济钢's: a conflict excluded.
    assert "expert0" not in {r.expert.user.username for r in reviewers_of(steel)}
    expect(page.locator("#entries tbody tr", has_text=steel.number)).not_to_contain_text("济钢专家")
    shot("assigned")
    logout()

    # 4. The experts review blind on their phones.
    page.set_viewport_size(PHONE)
    first, second, third = reviewers_of(steel)

    def open_review(r: Review, name: str = "") -> None:
        """The expert logs in (landing on 我的评审), finds the achievement by its number and title, opens it."""
        login(r.expert.user.username, passwords.get(r.expert.user.username, PASSWORD))
        assert page.url.endswith("/innovation/reviews/")
        card = page.locator("a.proposal-card", has_text=steel.number)
        expect(card).to_contain_text(TITLE)
        main = page.locator("main").inner_text()
        for word in BLIND:
            assert word not in main, word
        no_sideways_scroll(page, PHONE["width"])
        if name:
            shot(name)
        follow(page, f"a.proposal-card[href='/innovation/reviews/{r.pk}/']")
        main = page.locator("main").inner_text()
        for word in BLIND:
            assert word not in main, word
        expect(page.locator("main")).to_contain_text(steel.number)

    def score(values: dict[str, str]) -> None:
        for key, v in values.items():
            page.fill(f"#review-form input[name=score_{key}]", v)
        page.fill("#review-form textarea[name=comment]", "创新点突出，推广价值较高。")
        follow(page, "#review-form button")

    open_review(first, "my-reviews-phone")
    no_sideways_scroll(page, PHONE["width"])
    shot("review-phone")
    score({**GOOD, "novelty": "35"})
    error = page.locator(".field.has-error")
    expect(error).to_have_count(1)
    expect(error.locator("input[name=score_novelty]")).to_have_count(1)
    expect(error).to_contain_text("创新性：分数应在0到30之间。")
    first.refresh_from_db()
    assert first.state == ReviewState.ASSIGNED
    no_sideways_scroll(page, PHONE["width"])
    shot("score-out-of-range-phone")
    score(GOOD)
    expect(page.locator(".messages")).to_contain_text(steel.number)
    expect(page.locator("main")).to_contain_text("总分 86.5")
    first.refresh_from_db()
    assert first.state == ReviewState.SUBMITTED and first.total == Decimal("86.5")
    shot("reviewed-phone")
    logout()

    open_review(second)
    score({"novelty": "26", "practicality": "25", "benefit": "16", "spread": "15"})
    logout()

    open_review(third)
    page.click("details.sub-form summary")
    page.fill("#declare-form input[name=reason]", "曾参与该技术的前期论证")
    shot("declare-phone")
    follow(page, "#declare-form button")
    third.refresh_from_db()
    assert third.state == ReviewState.ABSTAINED
    expect(page.locator(".messages")).to_contain_text("已申报回避，主办单位将另行安排专家。")
    expect(page.locator("main")).to_contain_text("已回避")
    shot("declared-phone")
    logout()

    # The administrator runs the assignment again: another expert fills the place.
    page.set_viewport_size(DESKTOP)
    login("province_admin")
    page.goto(f"{live_server.url}/innovation/calls/{call.pk}/")
    follow(page, "#assign button")
    now = reviewers_of(steel)
    assert len(now) == 3 and third.expert_id not in {r.expert_id for r in now}
    fourth = next(r for r in now if r.pk not in (first.pk, second.pk))
    expect(page.locator("#entries tbody tr", has_text=steel.number)).to_contain_text(fourth.expert.name)
    shot("reassigned")
    logout()
    page.set_viewport_size(PHONE)
    open_review(fourth)
    score({"novelty": "28", "practicality": "27", "benefit": "18", "spread": "17"})
    logout()
    for r in reviewers_of(qd):
        services.submit_review(actor=r.expert.user, review=r, scores={
            "novelty": "22", "practicality": "24", "benefit": "15", "spread": "14"}, comment="实用性较好。")

    # 5. Ranked, one award changed with the committee's reason, on public notice, final with certificates.
    page.set_viewport_size(DESKTOP)
    login("province_admin")
    page.goto(f"{live_server.url}/innovation/calls/{call.pk}/")
    follow(page, "#rank button")
    assert page.url.endswith(f"/innovation/calls/{call.pk}/results/")
    steel.refresh_from_db(), qd.refresh_from_db()
    assert (steel.rank, qd.rank) == (1, 2)
    shot("ranked")
    page.select_option(f"#awards-form select[name=a{qd.pk}]", str(Award.THIRD))
    page.fill("#awards-form input[name=reason]", "经评审委员会全体会议审定")
    follow(page, "#awards-form button")
    qd.refresh_from_db()
    assert qd.award == Award.THIRD and qd.award_reason == "经评审委员会全体会议审定"
    expect(page.locator(".messages")).to_contain_text("已调整1项成果的奖项。")
    follow(page, "#publish button")
    expect(page.locator(".messages")).to_contain_text("评审结果已公示。")
    call.refresh_from_db()
    assert call.state == CallState.NOTICE
    shot("on-notice")
    logout()

    notice = PublicNotice.objects.get(kind="innovation.call_results", owner_id=call.pk)
    page.goto(f"{live_server.url}/public/notices/")
    expect(page.locator("main")).to_contain_text(notice.title)
    follow(page, f"main a[href='/public/notices/{notice.pk}/']")
    expect(page.locator("main")).to_contain_text(TITLE)
    expect(page.locator("main")).to_contain_text("李强")
    expect(page.locator("main tr", has_text=QD_TITLE)).to_contain_text("三等奖")  # the committee's award
    shot("public-notice")

    end_notice(call)
    login("province_admin")
    page.goto(f"{live_server.url}/innovation/calls/{call.pk}/results/")
    follow(page, "#finalise button")
    expect(page.locator(".messages")).to_contain_text("结果已确认，获奖证书已颁发。")
    call.refresh_from_db()
    assert call.state == CallState.FINAL
    docs = IssuedCertificate.objects.filter(kind="innovation.achievement_award")
    assert sorted(d.holder_name for d in docs) == sorted(["李强", sd.qd_person.name])
    shot("final")


def test_a_city_s_first_prize_is_recommended_to_the_provincial_call(page, live_server, province, login, logout,
                                                                    shot):
    sd = province
    upper = provincial_call(sd)  # open, with its expert pool
    page.on("dialog", lambda d: d.accept())
    today = timezone.localdate()

    # 济南's cadre opens the city's call, recommending to the provincial call.
    page.set_viewport_size(DESKTOP)
    login("jinan_cadre")
    follow(page, "aside.sidenav a[href='/innovation/calls/']")
    follow(page, "a[href^='/innovation/calls/new/']")
    page.fill("#id_title", f"{today.year}年济南市职工技术创新成果征集")
    page.fill("#id_submit_until", (today + datetime.timedelta(days=5)).isoformat())
    page.fill("#id_review_until", (today + datetime.timedelta(days=20)).isoformat())
    page.select_option("#id_recommend_to", str(upper.call.pk))
    shot("new-city-call")
    follow(page, "#call-form button[type=submit]")
    city = Call.objects.get(level=CallLevel.CITY)
    assert city.recommend_to == upper.call and city.org == sd.jinan
    follow(page, "#open button")

    # Its review, by the verbs.
    local = Calls(sd, city, upper.experts)
    a = local.submit()
    services.assign_reviewers(actor=sd.jinan_cadre, call=city)
    local.review_all()
    services.rank_call(actor=sd.jinan_cadre, call=city)
    services.publish_results(actor=sd.jinan_cadre, call=city, working_days=3)
    end_notice(city)
    services.finalise_call(actor=sd.jinan_cadre, call=city)
    a.refresh_from_db()
    assert a.award == Award.FIRST

    # The recommendation itself through the achievement's page.
    page.goto(f"{live_server.url}/innovation/achievements/{a.pk}/")
    expect(page.locator("#recommend button")).to_contain_text("推荐至省级征集")
    shot("recommend")
    follow(page, "#recommend button")
    expect(page.locator(".messages")).to_contain_text("成果已推荐至上一级。")
    copy = Achievement.objects.get(call=upper.call, source=a)
    assert copy.state == EntryState.SUBMITTED and [x.person for x in copy.authors.all()] == [sd.worker_person]
    expect(page.locator("#chain")).to_contain_text(upper.call.title)
    expect(page.locator("#recommend")).to_have_count(0)
    shot("recommended")
    logout()

    login("province_admin")
    page.goto(f"{live_server.url}/innovation/calls/{upper.call.pk}/")
    row = page.locator("#entries tbody tr", has_text=copy.number)
    expect(row).to_contain_text(TITLE)
    expect(row.locator(".badge")).to_contain_text("下级推荐")
    expect(page.locator("#quotas")).to_contain_text("济南市总工会 1/2")  # within 济南's quota
    shot("provincial-call-with-recommendation")
