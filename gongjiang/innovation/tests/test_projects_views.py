"""The innovation project pages: registering a project from an adopted proposal (and the chain shown from both
ends), the list (filters, sorting, Excel) and a project's page in a constant number of queries, a refused decision
said on the page with nothing changed, the figures page, the menu and the to-do of overdue milestones."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongjiang.core import registry
from gongjiang.innovation import services
from gongjiang.innovation.choices import ProjectRole, Stage, State
from gongjiang.innovation.models import Project

from .factories import pdf
from .project_factories import bring, project
from .test_services import rows


def as_(client, user):
    client.force_login(user)
    return client


def test_a_cadre_starts_a_project_from_an_adopted_proposal(client, inn):
    proposal = inn.bring(inn.submit(), State.ADOPTED)
    c = as_(client, inn.sd.enterprise_cadre)
    page = c.get(reverse("innovation:proposal_detail", args=[proposal.pk])).content.decode()
    assert f"{reverse('innovation:project_create')}?proposal={proposal.pk}" in page
    form = c.get(reverse("innovation:project_create"), {"proposal": proposal.pk})
    assert form.status_code == 200 and proposal.title in form.content.decode()
    r = c.post(reverse("innovation:project_create") + f"?proposal={proposal.pk}", {
        "title": proposal.title, "holder": "team", "org": inn.sd.team.pk, "problem": proposal.problem,
        "goal": "", "leader_name": "李强", "requested": "30000"})
    p = Project.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("innovation:project_detail", args=[p.pk])
    assert p.proposal == proposal and p.stage == Stage.FINDING
    detail = c.get(r["Location"]).content.decode()
    assert reverse("innovation:proposal_detail", args=[proposal.pk]) in detail
    back = c.get(reverse("innovation:proposal_detail", args=[proposal.pk])).content.decode()
    assert reverse("innovation:project_detail", args=[p.pk]) in back and p.number in back


def test_a_proposal_not_adopted_offers_no_project_and_its_id_is_refused(client, inn):
    proposal = inn.submit()
    c = as_(client, inn.sd.enterprise_cadre)
    assert "project_create" not in c.get(reverse("innovation:proposal_detail", args=[proposal.pk])).content.decode()
    before = rows()
    r = c.post(reverse("innovation:project_create") + f"?proposal={proposal.pk}", {
        "title": "攻关", "holder": "team", "org": inn.sd.team.pk, "problem": "氧枪喷头寿命只有80炉，更换频繁。",
        "leader_name": "李强"})
    assert r.status_code == 400 and "Only an adopted proposal" in r.content.decode()
    assert rows() == before


def test_a_bad_registration_is_shown_again_naming_the_field(client, inn):
    c = as_(client, inn.sd.enterprise_cadre)
    before = rows()
    r = c.post(reverse("innovation:project_create") + f"?org={inn.sd.steel.pk}", {
        "title": "钢包耐材寿命提升", "holder": "team", "org": inn.sd.steel.pk, "problem": "太短",
        "leader_name": "不存在的人"})
    html = r.content.decode()
    assert r.status_code == 400 and "works in no unit" in html
    r = c.post(reverse("innovation:project_create") + f"?org={inn.sd.steel.pk}", {
        "title": "钢包耐材寿命提升", "holder": "team", "org": inn.sd.steel.pk, "problem": "太短",
        "leader_name": "李强"})
    assert r.status_code == 400 and "at least 10 characters" in r.content.decode()
    assert rows() == before


def test_a_skipped_stage_is_refused_on_the_page_and_nothing_changes(client, inn):
    p = project(inn)
    c = as_(client, inn.sd.enterprise_cadre)
    before = rows()
    r = c.post(reverse("innovation:project_advance", args=[p.pk]), {"stage": "trial", "reason": "直接试验"},
               follow=True)
    assert "no stage can be skipped" in r.content.decode()
    r = c.post(reverse("innovation:project_advance", args=[p.pk]), {"stage": "approved", "reason": ""}, follow=True)
    assert "Give the reason" in r.content.decode()
    r = c.post(reverse("innovation:project_progress", args=[p.pk]), {"progress": "120"}, follow=True)
    assert "Progress" in r.content.decode()
    assert rows() == before


def test_the_list_filters_sorts_and_exports(client, inn):
    a = project(inn, title="转炉氧枪喷头寿命攻关")
    b = bring(inn, project(inn, title="皮带托辊快速更换攻关"), Stage.TACKLING)
    services.add_milestone(actor=inn.sd.enterprise_cadre, project=a, title="调研",
                           due=timezone.localdate() - datetime.timedelta(days=3))
    c = as_(client, inn.sd.enterprise_cadre)
    url = reverse("innovation:project_list")
    page = c.get(url, {"stage": "tackling"}).content.decode()
    assert b.title in page and a.title not in page
    page = c.get(url, {"overdue": "on"}).content.decode()
    assert a.title in page and b.title not in page
    assert b.title in c.get(url, {"q": "李强"}).content.decode()
    assert c.get(url, {"year": timezone.localdate().year - 3}).content.decode().count("攻关</a>") == 0
    page = c.get(url, {"sort": "stage"}).content.decode()
    assert page.index(a.title) < page.index(b.title)
    x = c.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet.max_row == 3 and {a.number, b.number} <= {cell.value for cell in sheet["A"]}
    assert "李强" in [cell.value for cell in sheet["F"]]
    assert c.get(url, HTTP_HX_REQUEST="true").content.decode().lstrip().startswith('<div class="list-region">')


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _full(inn, title):
    cadre = inn.sd.enterprise_cadre
    p = bring(inn, project(inn, title=title), Stage.TRIAL)
    services.set_project_member(actor=cadre, project=p, person=inn.colleague, role=ProjectRole.CORE)
    services.add_milestone(actor=cadre, project=p, title="样机", due=timezone.localdate())
    services.set_project_funding(actor=cadre, project=p, requested=Decimal(9000), granted=Decimal(9000))
    services.add_spending(actor=cadre, project=p, spent_on=timezone.localdate(), amount=Decimal(100), purpose="材料")
    services.add_project_files(actor=cadre, project=p, files=[pdf()])
    return p


def test_the_list_and_a_project_page_cost_a_constant_number_of_queries(client, inn):
    first = _full(inn, "第一个攻关课题")
    c = as_(client, inn.sd.enterprise_cadre)
    url = reverse("innovation:project_list")
    few, page = _queries(c, url), _queries(c, reverse("innovation:project_detail", args=[first.pk]))
    for i in range(5):
        more = _full(inn, f"第{i}号攻关课题")
    services.add_milestone(actor=inn.sd.enterprise_cadre, project=more, title="再加一个", due=timezone.localdate())
    assert _queries(c, url) == few
    assert _queries(c, reverse("innovation:project_detail", args=[more.pk])) == page


def test_the_figures_page_shows_projects_by_stage(client, inn):
    bring(inn, project(inn), Stage.APPROVED)
    c = as_(client, inn.sd.jinan_cadre)
    html = c.get(reverse("innovation:figures"), {"org": inn.sd.steel.pk}).content.decode()
    assert 'id="project-figures"' in html and "Project approval" in html
    x = c.get(reverse("innovation:figures"), {"org": inn.sd.steel.pk, "export": "xlsx"})
    headers = [cell.value for cell in load_workbook(io.BytesIO(x.content)).active[1]]
    assert "Problem finding" in headers and "Stopped" in headers


def test_the_menu_and_the_overdue_milestones_to_do(inn):
    p = project(inn)
    menu = [i["url_name"] for s in registry.navigation(inn.sd.enterprise_cadre, "") for i in s["items"]]
    assert "innovation:project_list" in menu
    assert "innovation:project_list" not in [i["url_name"] for s in registry.navigation(inn.sd.worker, "")
                                             for i in s["items"]]
    services.add_milestone(actor=inn.sd.enterprise_cadre, project=p, title="调研",
                           due=timezone.localdate() - datetime.timedelta(days=1))
    todo = [i for i in registry.todo_items(inn.sd.enterprise_cadre) if "overdue" in i.url]
    assert [i.count for i in todo] == [1]
    assert not [i for i in registry.todo_items(inn.sd.qingdao_cadre) if "overdue" in i.url]
    found = registry.search(inn.sd.jinan_cadre, "氧枪")
    assert "innovation_projects" in [g["key"] for g in found]
