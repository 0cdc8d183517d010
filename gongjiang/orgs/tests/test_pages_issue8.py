"""Issue 8, pages: what a new user found on the organisation pages, each as a behaviour that fails when it breaks.

- 10: membership transfers are accepted or refused in batches: checkboxes only on the transfers the user may
  decide, a confirmation page that counts them (and leaves out the others), one reason for every refusal, a report
  that names a transfer a colleague decided meanwhile instead of an error, nothing changed on bad input.
- 11: figures that say what they count: workshop and team rows explain that members are counted at the
  grassroots union, the declared number of employees (职工总数) is told apart from the registered workers, the
  people list keeps a name on one line and shows each worker's unit with the units above it up to the grassroots
  union.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongjiang.core.models import AuditEvent
from gongjiang.orgs import services
from gongjiang.orgs.choices import OrgKind, Role, TransferState
from gongjiang.orgs.models import Membership, MembershipTransfer, Org, Person
from gongjiang.orgs.tests.factories import id_number, org, person, user

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def client(client):
    """Pages in English, so that the messages can be matched (the site's language is zh-hans)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# ---------------------------------------------------------------------------------------------
# 10. Transfers decided in batches


def member(sd: Any, employer: Org, name: str, actor: Any) -> Person:
    return services.create_person(actor=actor, employer=employer, name=name, id_number=id_number(),
                                  membership={"card_no": f"C-{name}"})


@pytest.fixture
def waiting(sd):
    """Three members of 济钢 asked over to 青岛港 (青岛 decides them), and one member of 青岛港 asked over to 济钢
    (青岛's own request: not theirs to decide)."""
    to_qingdao = [services.request_transfer(actor=sd.enterprise_cadre, to_employer=sd.qd_enterprise,
                                            person=member(sd, sd.team, name, sd.enterprise_cadre), reason="调往青岛港")
                  for name in ("赵一", "钱二", "孙三")]
    to_jinan = services.request_transfer(actor=sd.qingdao_cadre, to_employer=sd.steel, reason="回济南",
                                         person=member(sd, sd.qd_enterprise, "周四", sd.qingdao_cadre))
    return to_qingdao, to_jinan


def states(*transfers: MembershipTransfer) -> list[str]:
    return [MembershipTransfer.objects.get(pk=t.pk).state for t in transfers]


def decide_url(decision: str, *ids: Any) -> str:
    return reverse("orgs:transfer_decide") + f"?decision={decision}" + "".join(f"&transfer={i}" for i in ids)


def test_the_incoming_list_offers_checkboxes_for_the_transfers_the_user_may_decide_only(client, sd, waiting):
    to_qingdao, to_jinan = waiting
    client.force_login(sd.qingdao_cadre)
    html = client.get(reverse("orgs:transfer_list")).content.decode()
    assert '<form id="transfer-batch"' in html
    assert 'name="decision" value="accept"' in html and 'name="decision" value="refuse"' in html
    ticks = re.findall(r'<input type="checkbox" name="transfer" value="(\d+)" form="transfer-batch"', html)
    assert sorted(map(int, ticks)) == sorted(t.pk for t in to_qingdao)
    # Their own request, on the outgoing tab: nothing to decide, no batch.
    html = client.get(reverse("orgs:transfer_list"), {"tab": "outgoing"}).content.decode()
    assert "transfer-batch" not in html
    # 济南's viewer sees the transfer coming to 济钢 but may not decide it: no box, no batch bar.
    client.force_login(sd.jinan_viewer)
    response = client.get(reverse("orgs:transfer_list"))
    assert [t.pk for t in response.context["rows"]] == [to_jinan.pk]
    assert "transfer-batch" not in response.content.decode()


def test_the_confirmation_counts_the_chosen_transfers_and_leaves_out_those_not_the_users(client, sd, waiting):
    to_qingdao, to_jinan = waiting
    hidden = org(sd.town, "济南重汽工会", OrgKind.GRASSROOTS, "E0009")  # a transfer inside 济南: 青岛 never sees it
    inside = services.request_transfer(actor=sd.enterprise_cadre, to_employer=hidden,
                                       person=member(sd, sd.team, "吴五", sd.enterprise_cadre))
    client.force_login(sd.qingdao_cadre)
    response = client.get(decide_url("accept", to_qingdao[0].pk, to_qingdao[1].pk, to_jinan.pk, inside.pk, 999999))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Accept 2 membership transfers</h1>" in html
    assert "Accept these 2" in html
    assert sorted(map(int, re.findall(r'<input type="hidden" name="transfer" value="(\d+)">', html))) == sorted(
        [to_qingdao[0].pk, to_qingdao[1].pk])
    assert "3 of the chosen transfers can no longer be decided by you" in html
    assert "吴五" not in html and "周四" not in html  # never named
    refuse = client.get(decide_url("refuse", *(t.pk for t in to_qingdao))).content.decode()
    assert "<h1>Refuse 3 membership transfers</h1>" in refuse and 'name="decision_note"' in refuse
    assert "it is the same for every transfer below" in refuse
    assert states(*to_qingdao, to_jinan, inside) == [TransferState.REQUESTED] * 5  # asking changed nothing


def test_accepting_a_batch_moves_every_worker_and_reports_it_once(client, sd, waiting):
    to_qingdao, _to_jinan = waiting
    client.force_login(sd.qingdao_cadre)
    response = client.post(reverse("orgs:transfer_decide"),
                           {"decision": "accept", "transfer": [t.pk for t in to_qingdao]})
    assert response.status_code == 302 and response.url == reverse("orgs:transfer_list") + "?tab=incoming"
    assert states(*to_qingdao) == [TransferState.ACCEPTED] * 3
    for t in to_qingdao:
        assert Person.objects.get(pk=t.person_id).employer_id == sd.qd_enterprise.pk
        assert Membership.objects.get(person=t.person_id).union_id == sd.qd_enterprise.pk
    assert AuditEvent.objects.filter(verb="orgs.transfer.accepted", content_type__model="membershiptransfer"
                                     ).count() == 3
    html = client.get(response.url).content.decode()
    report = re.search(r'<div class="alert alert-ok batch-report".*?</div>', html, re.S).group(0)
    assert "3 transfers accepted." in report and "赵一、钱二、孙三" in report
    assert "batch-report" not in client.get(response.url).content.decode()  # once


def test_a_refused_batch_takes_one_reason_for_all_and_none_without_it(client, sd, waiting):
    to_qingdao, _to_jinan = waiting
    client.force_login(sd.qingdao_cadre)
    url = reverse("orgs:transfer_decide")
    ids = [t.pk for t in to_qingdao]
    response = client.post(url, {"decision": "refuse", "transfer": ids, "decision_note": "  "})
    assert response.status_code == 400
    assert "Please give the reason for refusing." in response.content.decode()
    assert states(*to_qingdao) == [TransferState.REQUESTED] * 3
    response = client.post(url, {"decision": "refuse", "transfer": ids, "decision_note": "本单位暂无岗位"})
    assert response.status_code == 302
    assert states(*to_qingdao) == [TransferState.REFUSED] * 3
    notes = set(MembershipTransfer.objects.filter(pk__in=ids).values_list("decision_note", flat=True))
    assert notes == {"本单位暂无岗位"}
    assert all(Membership.objects.get(person=t.person_id).union_id == sd.steel.pk for t in to_qingdao)
    report = client.get(response.url).content.decode()
    assert "3 transfers refused." in report


def test_the_batch_pages_count_in_the_officers_language(sd, waiting):
    to_qingdao, _to_jinan = waiting
    zh = Client(**ZH)
    zh.force_login(sd.qingdao_cadre)
    confirm = zh.get(decide_url("accept", to_qingdao[0].pk, to_qingdao[1].pk)).content.decode()
    assert "<h1>接收 2 条会籍转接</h1>" in confirm and "接收这 2 条" in confirm
    refuse = zh.get(decide_url("refuse", to_qingdao[0].pk)).content.decode()
    assert "<h1>拒绝 1 条会籍转接</h1>" in refuse
    response = zh.post(reverse("orgs:transfer_decide"), {"decision": "accept", "transfer": [to_qingdao[0].pk]})
    assert "已接收 1 条转会申请。" in zh.get(response.url).content.decode()


def test_a_transfer_decided_by_a_colleague_meanwhile_is_reported_not_an_error(client, sd, waiting):
    to_qingdao, _to_jinan = waiting
    colleague = user("qingdao_colleague", (sd.qingdao, Role.ADMIN))
    client.force_login(sd.qingdao_cadre)
    confirm = client.get(decide_url("accept", *(t.pk for t in to_qingdao)))
    assert "Accept 3 membership transfers" in confirm.content.decode()
    services.refuse_transfer(actor=colleague, transfer=to_qingdao[1], note="岗位已满")  # meanwhile
    response = client.post(reverse("orgs:transfer_decide"),
                           {"decision": "accept", "transfer": [t.pk for t in to_qingdao]})
    assert response.status_code == 302
    assert states(*to_qingdao) == [TransferState.ACCEPTED, TransferState.REFUSED, TransferState.ACCEPTED]
    html = client.get(response.url).content.decode()
    report = unescape(re.search(r'<div class="alert alert-warn batch-report".*?</div>', html, re.S).group(0))
    assert "2 transfers accepted." in report and "赵一、孙三" in report
    assert "1 transfer was not decided; nothing of it changed:" in report
    assert re.search(r"<strong>钱二</strong>：This transfer has already been decided \(Refused\)", report)
    assert Membership.objects.get(person=to_qingdao[1].person_id).union_id == sd.steel.pk


def test_a_batch_decides_only_what_the_user_may_decide_and_names_nothing_else(client, sd, waiting):
    to_qingdao, to_jinan = waiting
    hidden = org(sd.town, "济南重汽工会", OrgKind.GRASSROOTS, "E0009")
    inside = services.request_transfer(actor=sd.enterprise_cadre, to_employer=hidden,
                                       person=member(sd, sd.team, "吴五", sd.enterprise_cadre))
    client.force_login(sd.qingdao_cadre)
    response = client.post(reverse("orgs:transfer_decide"), {
        "decision": "accept", "transfer": [to_qingdao[0].pk, to_jinan.pk, inside.pk, "abc", "9" * 30]})
    assert response.status_code == 302
    assert states(to_qingdao[0], to_jinan, inside) == [TransferState.ACCEPTED, TransferState.REQUESTED,
                                                        TransferState.REQUESTED]
    html = client.get(response.url).content.decode()
    report = unescape(re.search(r'<div class="alert alert-warn batch-report".*?</div>', html, re.S).group(0))
    assert "1 transfer accepted." in report and "2 transfers were not decided" in report
    assert "No such transfer in your scope." in report and "吴五" not in report  # out of sight: never named
    assert "<strong>周四</strong>" in report  # theirs to see, not theirs to decide
    # The origin (济钢) cannot decide its own requests, in a batch or otherwise.
    client.force_login(sd.enterprise_cadre)
    confirm = client.get(decide_url("accept", to_qingdao[1].pk)).content.decode()
    assert "None of the chosen transfers is waiting for your decision." in confirm
    client.post(reverse("orgs:transfer_decide"), {"decision": "accept", "transfer": [to_qingdao[1].pk]})
    assert states(to_qingdao[1]) == [TransferState.REQUESTED]


@pytest.mark.parametrize("data", [
    {"decision": "accept", "transfer": ["abc", "-1", "9" * 30]},
    {"decision": "accept"},
    {"decision": "merge", "transfer": ["1"]},
])
def test_a_batch_of_nothing_usable_changes_nothing(client, sd, waiting, data):
    to_qingdao, to_jinan = waiting
    client.force_login(sd.qingdao_cadre)
    events = AuditEvent.objects.count()
    response = client.post(reverse("orgs:transfer_decide"), data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert "None of the chosen transfers is waiting for your decision." in response.content.decode()
    assert states(*to_qingdao, to_jinan) == [TransferState.REQUESTED] * 4
    assert AuditEvent.objects.count() == events


# ---------------------------------------------------------------------------------------------
# 11. Figures that say what they count


def test_workshop_and_team_rows_explain_that_members_are_counted_at_the_grassroots_union(client, sd):
    client.force_login(sd.jinan_cadre)
    html = client.get(reverse("orgs:org_detail", args=[sd.steel.pk])).content.decode()
    table = re.search(r'<table class="list">.*?</table>', html, re.S).group(0)
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*炼钢车间.*?</tr>", table, re.S).group(0)
    members_cell = re.findall(r'<td class="num">(.*?)</td>', row, re.S)[-1]
    assert "—" in members_cell and "0" not in re.sub(r"<[^>]+>", "", members_cell)
    assert 'title="Members are counted at the grassroots union, not in its departments and teams."' in members_cell
    assert "— Members are counted at the grassroots union: its departments and teams hold none of their own." in html
    # The workshop's own page: no members figure of 0, the explanation in its place.
    html = client.get(reverse("orgs:org_detail", args=[sd.workshop.pk])).content.decode()
    assert "Union members in the subtree" not in html
    assert "Members are counted at the grassroots union, not in its departments and teams." in html
    # The enterprise's overview (its children: the workshop) and the tree say the same.
    client.force_login(sd.enterprise_cadre)
    home = client.get(reverse("orgs:home")).content.decode()
    assert "— Members are counted at the grassroots union" in home
    tree = client.get(reverse("orgs:org_children", args=[sd.steel.pk])).content.decode()
    assert "members at the union" in tree


def test_the_declared_number_of_employees_is_told_apart_from_the_registered_workers(sd):
    zh = Client(**ZH)
    zh.force_login(sd.jinan_cadre)
    html = zh.get(reverse("orgs:org_detail", args=[sd.steel.pk])).content.decode()
    registered = Org.objects.get(pk=sd.steel.pk).tree_people
    assert re.search(rf'<div class="num">{registered}</div><div class="lbl">已登记职工（含下级单位）</div>', html)
    declared = re.search(r"<dt>职工总数（单位填报）</dt><dd>(.*?)</dd>", html, re.S).group(1)
    assert re.match(r"3,?200 <small", declared) and f"单位填报；本平台已登记 {registered} 人" in declared
    assert "<dt>职工总数</dt>" not in html and "职工人数" not in html  # no bare figure left to guess about
    assert "figures-note" in html  # the sentence that says which is which


def test_names_stay_on_one_line_and_each_worker_shows_the_units_up_to_the_grassroots_union(client, sd):
    person(sd.steel, "王建国")
    client.force_login(sd.jinan_cadre)
    html = client.get(reverse("orgs:person_list"), {"org": sd.jinan.pk}).content.decode()
    rows = {re.search(r'<td class="nowrap"><a href="[^"]+">([^<]+)</a></td>', r).group(1): r
            for r in re.findall(r"<tr>.*?</tr>", html, re.S) if 'class="nowrap"' in r}
    assert set(rows) == {"李强", "王建国"}  # the name's cell never wraps
    unit = re.search(r'<td class="unit-path">(.*?)</td>', rows["李强"], re.S).group(1)
    assert unescape(re.sub(r"<[^>]+>", " ", unit)).split() == ["炼钢一班", "济南钢铁集团有限公司工会", "›", "炼钢车间"]
    unit = re.search(r'<td class="unit-path">(.*?)</td>', rows["王建国"], re.S).group(1)
    assert unit.strip() == "济南钢铁集团有限公司工会"  # employed at the union itself: nothing above to name
    css = b"".join(client.get("/static/gongjiang/app.css").streaming_content).decode()
    assert re.search(r"\.nowrap\s*\{\s*white-space:\s*nowrap;", css)


def test_the_unit_paths_cost_one_query_for_the_whole_page(client, sd):
    client.force_login(sd.jinan_cadre)
    url = reverse("orgs:person_list")
    client.get(url, {"org": sd.jinan.pk})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"org": sd.jinan.pk})
    for i in range(6):
        workshop = org(sd.steel, f"车间{i}", OrgKind.DEPARTMENT)
        person(org(workshop, f"班组{i}", OrgKind.TEAM), f"工人{i}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url, {"org": sd.jinan.pk}).content.decode()
    assert "车间5 › " not in html and "济南钢铁集团有限公司工会 › 车间5" in html
    assert len(many.captured_queries) == len(few.captured_queries)
