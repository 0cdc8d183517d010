"""Membership transfers (会籍转接) through the pages: the origin requests, the destination accepts or refuses
with a reason, the origin may withdraw; each side sees only its buttons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongjiang.orgs import services
from gongjiang.orgs.choices import MembershipStatus, OrgKind, TransferState
from gongjiang.orgs.models import Membership, MembershipTransfer, Org
from gongjiang.orgs.tests.factories import id_number, org


@pytest.fixture
def member(sd):
    """赵钢, a member of the 济钢 union working in 炼钢一班 (registered through the services)."""
    return services.create_person(actor=sd.enterprise_cadre, employer=sd.team, name="赵钢", id_number=id_number(),
                                  membership={"card_no": "JG-9"})


@pytest.fixture
def transfer(sd, member):
    return services.request_transfer(actor=sd.enterprise_cadre, person=member, to_employer=sd.qd_enterprise,
                                     reason="调往青岛港工作")


def counts(o: Org) -> tuple[int, int]:
    o = Org.objects.get(pk=o.pk)
    return o.person_count, o.member_count


def test_the_enterprise_cadre_finds_a_destination_outside_its_scope(client, sd, member):
    client.force_login(sd.enterprise_cadre)
    response = client.get(reverse("orgs:transfer_destinations"), {"q": "青岛港"})
    assert [o.pk for o in response.context["destinations"]] == [sd.qd_enterprise.pk]
    page = response.content.decode()
    assert "E0002" in page and "青岛市总工会" in page  # name + code + city
    # Only units that employ people are offered (not the city federation itself).
    found = client.get(reverse("orgs:transfer_destinations"), {"q": "青岛"}).context["destinations"]
    assert {o.kind for o in found} <= {OrgKind.GRASSROOTS, OrgKind.DEPARTMENT, OrgKind.TEAM}
    # Without JavaScript the search reloads the form with the results.
    response = client.get(reverse("orgs:transfer_request", args=[member.pk]), {"q": "E0002"})
    assert [o.pk for o in response.context["destinations"]] == [sd.qd_enterprise.pk]


def test_a_transfer_from_jinan_steel_to_qingdao_port_end_to_end(client, sd, member):
    client.force_login(sd.enterprise_cadre)
    response = client.post(reverse("orgs:transfer_request", args=[member.pk]),
                           {"q": "青岛港", "to_employer": sd.qd_enterprise.pk, "reason": "调往青岛港工作"})
    assert response.status_code == 302
    transfer = MembershipTransfer.objects.get(person=member)
    assert (transfer.state, transfer.from_union, transfer.to_union) == (TransferState.REQUESTED, sd.steel,
                                                                        sd.qd_enterprise)
    # Nothing has moved yet.
    member.refresh_from_db()
    assert member.employer == sd.team
    steel_before, port_before, team_before = counts(sd.steel), counts(sd.qd_enterprise), counts(sd.team)

    # 济南 sees it as outgoing, with a withdraw button but no accept button.
    client.force_login(sd.jinan_cadre)
    outgoing = client.get(reverse("orgs:transfer_list"), {"tab": "outgoing"})
    row = outgoing.context["rows"][0]
    assert row.pk == transfer.pk and row.user_can_cancel and not row.user_can_decide
    assert reverse("orgs:transfer_accept", args=[transfer.pk]) not in outgoing.content.decode()
    assert client.post(reverse("orgs:transfer_accept", args=[transfer.pk])).status_code == 403
    assert MembershipTransfer.objects.get(pk=transfer.pk).state == TransferState.REQUESTED

    # 青岛 sees it as incoming and accepts.
    client.force_login(sd.qingdao_cadre)
    incoming = client.get(reverse("orgs:transfer_list"))
    assert [t.pk for t in incoming.context["rows"]] == [transfer.pk]
    assert reverse("orgs:transfer_accept", args=[transfer.pk]) in incoming.content.decode()
    assert client.post(reverse("orgs:transfer_accept", args=[transfer.pk])).status_code == 302

    transfer.refresh_from_db()
    member.refresh_from_db()
    membership = Membership.objects.get(person=member)
    assert transfer.state == TransferState.ACCEPTED and transfer.decided_by == sd.qingdao_cadre
    assert member.employer == sd.qd_enterprise
    assert membership.union == sd.qd_enterprise and membership.status == MembershipStatus.ACTIVE
    assert counts(sd.team) == (team_before[0] - 1, team_before[1])
    assert counts(sd.steel)[1] == steel_before[1] - 1
    assert counts(sd.qd_enterprise) == (port_before[0] + 1, port_before[1] + 1)
    # The worker is now on the 青岛 side; the history tab keeps the transfer for both.
    assert client.get(reverse("orgs:person_detail", args=[member.pk])).status_code == 200
    client.force_login(sd.jinan_cadre)
    assert client.get(reverse("orgs:person_detail", args=[member.pk])).status_code == 404
    assert [t.pk for t in client.get(reverse("orgs:transfer_list"), {"tab": "history"}).context["rows"]] == [
        transfer.pk
    ]


def test_refusing_needs_a_reason(client, sd, transfer):
    client.force_login(sd.qingdao_cadre)
    url = reverse("orgs:transfer_refuse", args=[transfer.pk])
    response = client.post(url, {"decision_note": "  "})
    assert response.status_code == 400
    assert "decision_note" in response.context["form"].errors
    assert MembershipTransfer.objects.get(pk=transfer.pk).state == TransferState.REQUESTED
    assert client.post(url, {"decision_note": "本单位无此岗位"}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == TransferState.REFUSED and transfer.decision_note == "本单位无此岗位"
    assert Membership.objects.get(person=transfer.person).union == sd.steel


def test_the_origin_cannot_refuse_and_the_destination_cannot_withdraw(client, sd, transfer):
    client.force_login(sd.enterprise_cadre)
    assert client.get(reverse("orgs:transfer_refuse", args=[transfer.pk])).status_code == 403
    client.force_login(sd.qingdao_cadre)
    assert client.post(reverse("orgs:transfer_cancel", args=[transfer.pk])).status_code == 403
    assert MembershipTransfer.objects.get(pk=transfer.pk).state == TransferState.REQUESTED


def test_the_origin_withdraws_a_waiting_transfer(client, sd, transfer):
    client.force_login(sd.enterprise_cadre)
    assert client.post(reverse("orgs:transfer_cancel", args=[transfer.pk])).status_code == 302
    assert MembershipTransfer.objects.get(pk=transfer.pk).state == TransferState.CANCELLED
    # A decided transfer cannot be accepted afterwards.
    client.force_login(sd.qingdao_cadre)
    client.post(reverse("orgs:transfer_accept", args=[transfer.pk]))
    assert MembershipTransfer.objects.get(pk=transfer.pk).state == TransferState.CANCELLED
    assert Membership.objects.get(person=transfer.person).union == sd.steel


def test_a_cadre_outside_both_sides_cannot_see_the_transfer(client, sd, member):
    other = org(sd.town, "济南重汽工会", OrgKind.GRASSROOTS, "E0009")
    t = services.request_transfer(actor=sd.enterprise_cadre, person=member, to_employer=other)
    client.force_login(sd.qingdao_cadre)
    assert client.get(reverse("orgs:transfer_list"), {"tab": "outgoing"}).context["rows"] == []
    assert client.get(reverse("orgs:transfer_list")).context["rows"] == []
    assert client.post(reverse("orgs:transfer_accept", args=[t.pk])).status_code == 404
    assert client.get(reverse("orgs:transfer_refuse", args=[t.pk])).status_code == 404


@pytest.mark.parametrize("persona, status", [(None, 302), ("jinan_viewer", 403), ("qingdao_cadre", 404)])
def test_who_may_request_a_transfer(client, sd, member, persona, status):
    if persona:
        client.force_login(getattr(sd, persona))
    response = client.post(reverse("orgs:transfer_request", args=[member.pk]),
                           {"to_employer": sd.qd_enterprise.pk, "reason": ""})
    assert response.status_code == status
    assert not MembershipTransfer.objects.exists()


def test_the_transfer_list_needs_a_login(client, sd):
    assert client.get(reverse("orgs:transfer_list")).status_code == 302


def test_a_request_without_a_chosen_destination_is_explained(client, sd, member):
    client.force_login(sd.enterprise_cadre)
    response = client.post(reverse("orgs:transfer_request", args=[member.pk]), {"q": "青岛", "reason": ""})
    assert response.status_code == 400
    assert "to_employer" in response.context["form"].errors
    assert not MembershipTransfer.objects.exists()


def test_a_non_member_or_a_bad_destination_is_refused(client, sd, member):
    client.force_login(sd.enterprise_cadre)
    # The city federation is not a unit that employs people.
    response = client.post(reverse("orgs:transfer_request", args=[member.pk]), {"to_employer": sd.qingdao.pk})
    assert "to_employer" in response.context["form"].errors
    # A worker who is not a member cannot be transferred.
    response = client.post(reverse("orgs:transfer_request", args=[sd.worker_person.pk]),
                           {"to_employer": sd.qd_enterprise.pk})
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert not MembershipTransfer.objects.exists()
