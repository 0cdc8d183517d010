"""The demo province (`load_demo --scale tiny`): a consistent tree, valid identifiers, right counters,
personas who can log in, and a second run that changes nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongjiang.core.ids import parse_id_card, validate_credit_code
from gongjiang.orgs import counters, demo
from gongjiang.orgs.choices import MembershipStatus, OrgKind, TransferState
from gongjiang.orgs.models import Membership, MembershipTransfer, Org, Person, User


@pytest.fixture
def tiny(db):
    call_command("load_demo", scale="tiny", stdout=_Null())


class _Null:
    def write(self, *_a: object) -> None:
        pass

    def flush(self) -> None:
        pass


def test_the_tree_is_consistent_for_treebeard(tiny):
    assert Org.objects.find_problems() == ([], [], [], [], [])
    orgs = list(Org.objects.all())
    children = Counter(o.path[:-Org.steplen] for o in orgs if o.depth > 1)
    for o in orgs:
        assert o.depth == len(o.path) // Org.steplen
        assert o.numchild == children.get(o.path, 0), o.name
    assert [o.name for o in Org.objects.get_root_nodes()] == ["山东省总工会"]
    jinan = Org.objects.get(code="3701")
    assert jinan.kind == OrgKind.CITY and jinan.region_code == "370100"
    assert Org.objects.get(code="370102").name == "历下区总工会"


def test_the_kinds_nest_as_the_rules_allow(tiny):
    from gongjiang.orgs.rules import can_be_child

    by_path = {o.path: o for o in Org.objects.all()}
    for o in by_path.values():
        parent = by_path.get(o.path[:-Org.steplen])
        assert can_be_child(parent.kind if parent else None, o.kind), (o.name, parent)


def test_identifiers_are_valid_and_unique(tiny):
    codes = [c for c in Org.objects.exclude(credit_code="").values_list("credit_code", flat=True)]
    assert codes and len(codes) == len(set(codes))
    for code in codes:
        assert validate_credit_code(code) == code
    assert not Org.objects.filter(kind=OrgKind.GRASSROOTS, credit_code="").exists()
    people = list(Person.objects.select_related("employer"))
    assert len(people) == 300
    from gongjiang.core.crypto import lookup_hash

    for p in people:
        info = parse_id_card(p.id_number)
        assert p.id_hash == lookup_hash(info.number)
        assert (p.birth_date, p.gender) == (info.birth_date, info.gender)
        assert info.region_code == p.employer.region_code  # born in the county of the employer
        assert p.employer.kind in {OrgKind.GRASSROOTS, OrgKind.DEPARTMENT, OrgKind.TEAM}
        assert p.id_masked == "*" * 14 + info.number[-4:]


def test_memberships_are_held_in_the_grassroots_union_of_the_employer(tiny):
    for m in Membership.objects.select_related("person__employer", "union")[:300]:
        assert m.union.kind == OrgKind.GRASSROOTS
        assert m.person.employer.path.startswith(m.union.path)


def test_industry_affiliation_is_inherited_by_departments_and_teams(tiny):
    metallurgy = Org.objects.get(code="37-YJ")
    steel = Org.objects.get(name="济南钢铁集团有限公司工会")
    assert steel.industry_union_id == metallurgy.pk and steel.industry_path == metallurgy.path
    below = Org.objects.filter(path__startswith=steel.path).exclude(pk=steel.pk)
    assert below.filter(kind=OrgKind.TEAM).exists() and below.filter(kind=OrgKind.DEPARTMENT).exists()
    assert set(below.values_list("industry_path", flat=True)) == {metallurgy.path}
    assert Person.objects.filter(employer__path__startswith=steel.path).count() >= 30


def test_counters_equal_a_recount(tiny):
    before = dict(Org.objects.values_list("pk", "person_count"))
    members_before = dict(Org.objects.values_list("pk", "member_count"))
    assert sum(before.values()) == Person.objects.count()
    assert sum(members_before.values()) == Membership.objects.filter(status=MembershipStatus.ACTIVE).count()
    counters.rebuild()
    assert dict(Org.objects.values_list("pk", "person_count")) == before
    assert dict(Org.objects.values_list("pk", "member_count")) == members_before


def test_every_persona_logs_in_and_the_worker_is_li_qiang(tiny, client):
    for p in demo.PERSONAS:
        assert client.login(username=p.username, password=demo.DEMO_PASSWORD), p.username
        client.logout()
    worker = User.objects.select_related("person__employer").get(username="worker")
    assert worker.person.name == "李强" and worker.person.employer.name == "炼钢一班"
    assert User.objects.get(username="jinan").grants.get().org.name == "济南市总工会"
    assert User.objects.get(username="yejin").grants.get().org.name == "山东省冶金工会"
    assert MembershipTransfer.objects.filter(state=TransferState.REQUESTED).count() == 3


def test_scopes_of_the_personas_follow_the_tree(tiny):
    qingdao = User.objects.get(username="qingdao")
    yejin = User.objects.get(username="yejin")
    steel = Org.objects.get(name="济南钢铁集团有限公司工会")
    assert not Person.objects.for_user(qingdao).filter(employer__path__startswith=steel.path).exists()
    assert Person.objects.for_user(yejin).filter(employer__path__startswith=steel.path).exists()


def test_a_second_run_changes_nothing_and_reset_rebuilds_the_same_demo(tiny):
    counts = (Org.objects.count(), Person.objects.count(), User.objects.count())
    names = sorted(Person.objects.values_list("name", flat=True))
    call_command("load_demo", scale="tiny", stdout=_Null())
    assert (Org.objects.count(), Person.objects.count(), User.objects.count()) == counts
    call_command("load_demo", scale="tiny", reset=True, stdout=_Null())
    assert (Org.objects.count(), Person.objects.count(), User.objects.count()) == counts
    assert sorted(Person.objects.values_list("name", flat=True)) == names  # fixed seed
    assert Org.objects.find_problems() == ([], [], [], [], [])


def test_the_demo_refuses_to_load_over_other_organisations(db):
    from gongjiang.orgs.tests.factories import org

    org(None, "河北省总工会", OrgKind.PROVINCE, "13")
    with pytest.raises(CommandError):
        call_command("load_demo", scale="tiny", stdout=_Null())
    assert Org.objects.count() == 1 and not Person.objects.exists()


def test_demo_logins_prints_each_persona(tiny):
    import io

    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for p in demo.PERSONAS:
        assert p.username in text
    assert demo.DEMO_PASSWORD in text
