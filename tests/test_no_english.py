"""No internal code and no English in the UI, and figures with grouped digits, for every persona.

Each persona of the factory province (`sd`: the province, Jinan, Qingdao, county, enterprise and industry cadres,
a viewer, a worker; and the judges, the chief judge, the supervisor and a labour evaluator) logs in and browses
in Chinese: from their landing page, every same-site link of every page they reach (GET only; at most a few pages
per kind of page, so 300 people make 3 person pages), in a province where the provincial season has a Jinan round
being marked and a Qingdao round whose results are on public notice, and a labour competition with a fund of
1,200,000 元 has a month evaluated and closed. Each page is cut to what a reader sees (its text, and the
placeholders and titles of its controls; no script) and must hold:

- no word of three or more Latin letters but those of `ALLOWED` and the data's own user names: a run holding a
  digit is a code of the data (6-18-01-01, T-NEW-1, judge12_0) and no word;
- no figure of five or more digits without grouping where a quantity is shown: a `num` cell or figure, or a
  number followed by a unit (元, 人, 项, 个…), so 1,200,000.00 元 and 52,000 人, never 1200000.00 元.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, deque
from decimal import Decimal
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from lxml import html

from gongjiang.competitions import services as cs
from gongjiang.competitions.choices import EntryStatus
from gongjiang.competitions.tests.factories import season, to_marking, worker
from gongjiang.competitions.tests.test_labour import grid, project
from gongjiang.competitions.tests.test_services import graded, lock_all, mark_all
from gongjiang.honours.tests import journey as honours_journey
from gongjiang.orgs.models import Org, User

PASSWORD = "Gongjiang-2026"
PAGES_PER_VIEW = 2  # pages of one kind (one URL name) fetched per persona: the third person page says nothing new
MAX_PAGES = 150  # per persona: a bound on the crawl, well above what the menus and links lead to today
# Latin words the UI may show, each for a reason:
ALLOWED = {
    "API",  # the API令牌 (API tokens) of the accounts pages: the term the federation's IT staff use
    "JSON",  # 下载抽签记录（JSON）and the published draw algorithm: the file a witness re-runs the draw from
    "Excel",  # 导出Excel / 从Excel导入: the program the users know the files by
    "xlsx", "pdf", "PDF",  # a file's type (an uploaded roster; 准考证（PDF）, a certificate)
}
SKIP = ("/logout/", "/api/", "/static/", "/media/", "/admin/")
SKIP_QUERY = ("export=", "format=", "download")
UNITS = "元人项个名家条份户次份分"
UNGROUPED = re.compile(rf"(?<![\d,.\-/:：A-Za-z#])(\d{{5,}})(?:\.\d+)?\s*[{UNITS}]")
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


# ---------------------------------------------------------------------------------------------
# The province


@pytest.fixture
def province(sd: Any) -> dict[str, Any]:
    """The factory province with its figures above ten thousand, the provincial season (Jinan being marked,
    Qingdao on public notice) and a Jinan labour competition."""
    Org.objects.filter(pk=sd.steel.pk).update(employee_count=52000)
    s = season(sd, theory_weight=30, practical_weight=70)
    cs.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    for i in range(3):
        cs.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, f"济钢{i}"), rnd=s.jinan_round)
    cs.register(actor=sd.qingdao_cadre, person=sd.qd_person, rnd=s.qingdao_round)
    for i in range(2):
        cs.register(actor=sd.qingdao_cadre, person=worker(sd.qd_enterprise, f"青港{i}"), rnd=s.qingdao_round)
    marking = to_marking(sd, s.jinan_round)
    qingdao = to_marking(sd, s.qingdao_round)
    mark_all(s.qingdao_round, graded({"王芳": "30", "青港0": "25", "青港1": "22"}))
    lock_all(s.qingdao_round, qingdao["chief"])
    checked_in = s.qingdao_round.entries.filter(status=EntryStatus.CHECKED_IN)
    cs.set_theory_scores(actor=sd.qingdao_cadre, rnd=s.qingdao_round,
                         scores={e.pk: Decimal("80") + i for i, e in enumerate(checked_in)})
    cs.decrypt(actor=qingdao["chief"].user, rnd=s.qingdao_round,
               supervisor_username=qingdao["supervisor"].user.username, supervisor_password=PASSWORD)
    cs.publish_results(actor=sd.qingdao_cadre, rnd=s.qingdao_round,
                       publicity_until=timezone.localdate() + datetime.timedelta(days=5))
    p = project(sd, fund="1200000.00")
    grid(p.a, p.periods[0], p.steel, 90)
    grid(p.a, p.periods[0], p.workshop, 80)
    cs.close_period(actor=sd.jinan_cadre, period=p.periods[0])
    honours_journey.everything(sd)  # the honours campaigns, their quota tables and 济钢's nominations
    return {"season": s, "marking": marking, "qingdao": qingdao, "project": p}


def personas(sd: Any, found: dict[str, Any]) -> dict[str, User]:
    people = {name: getattr(sd, name) for name in (
        "province_admin", "jinan_cadre", "qingdao_cadre", "county_cadre", "enterprise_cadre", "industry_cadre",
        "jinan_viewer", "worker")}
    people.update({"judge": found["marking"]["judges"][0].user, "chief_judge": found["marking"]["chief"].user,
                   "supervisor": found["qingdao"]["supervisor"].user, "evaluator": found["project"].a})
    return people


# ---------------------------------------------------------------------------------------------
# Crawling and reading


def crawl(user: User) -> dict[str, str]:
    """{url: page} of every page the user reaches from their landing page by same-site links (GET, HTML)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    queue, seen, pages = deque(["/"]), {"/"}, {}
    per_view: Counter[str] = Counter()
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url, follow=True)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        body = response.content.decode()
        pages[url] = body
        for link in html.fromstring(body).xpath("//a/@href"):
            link = urldefrag(link)[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or link in seen:
                continue
            if parts.path.startswith(SKIP) or any(q in parts.query for q in SKIP_QUERY):
                continue
            try:
                view = resolve(parts.path).view_name
            except Resolver404:
                continue
            seen.add(link)
            if per_view[view] >= PAGES_PER_VIEW:
                continue
            per_view[view] += 1
            queue.append(link)
    return pages


def visible(body: str) -> tuple[str, list[str]]:
    """The page's text as a reader sees it (with its controls' placeholders and titles), and the texts of its
    figures (`num` cells and stats)."""
    doc = html.fromstring(body)
    # Not read as UI text: scripts, and code shown as code (the API's header example on the tokens page).
    for bad in doc.xpath("//script|//style|//noscript|//code|//pre"):
        bad.drop_tree()
    text = " ".join([*doc.itertext(), *doc.xpath("//@placeholder|//@title|//@aria-label")])
    figures = [" ".join(el.itertext()) for el in doc.xpath("//*[contains(concat(' ', @class, ' '), ' num ')]")]
    return text, figures


def english(text: str, allowed: set[str]) -> set[str]:
    return {w for w in TOKEN.findall(text) if not re.search(r"\d", w) and len(w) >= 3 and w not in allowed}


def ungrouped(text: str, figures: list[str]) -> set[str]:
    found = {m.group(0) for m in UNGROUPED.finditer(text)}
    found |= {f.strip() for f in figures if re.search(r"(?<![\d,.])\d{5,}", f)}
    return found


# ---------------------------------------------------------------------------------------------
# The test


def test_no_persona_reads_english_or_ungrouped_figures(sd, province):
    users = personas(sd, province)
    allowed = ALLOWED | set(User.objects.values_list("username", flat=True))
    problems: dict[str, set[str]] = {}
    reached = {}
    for name, user in users.items():
        pages = crawl(user)
        reached[name] = len(pages)
        for url, body in pages.items():
            text, figures = visible(body)
            for word in english(text, allowed):
                problems.setdefault(f"English {word!r}", set()).add(f"{name} {url}")
            for figure in ungrouped(text, figures):
                problems.setdefault(f"ungrouped {figure!r}", set()).add(f"{name} {url}")
    assert reached["province_admin"] > 30 and all(n > 1 for n in reached.values()), reached
    assert problems == {}, "\n".join(f"{p}: {sorted(where)[:4]}" for p, where in sorted(problems.items()))


def test_the_scan_finds_english_and_ungrouped_money():
    """The scan itself: a code, a Python repr and a bare amount are caught; codes of the data are not."""
    text, figures = visible('<main><p>完成抽签: round 183 / code #549</p><td class="num">52000</td>'
                            "<p>1200000.00 元</p><p>6-18-01-01 车工 T-NEW-1 judge12_0 Excel</p></main>")
    assert english(text, ALLOWED) == {"round", "code"}
    assert ungrouped(text, figures) == {"1200000.00 元", "52000"}
    text, figures = visible('<main><td class="num">52,000</td><p>1,200,000.00 元</p></main>')
    assert ungrouped(text, figures) == set()


