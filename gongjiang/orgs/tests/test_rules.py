"""Pure rules of the org tree and of roles, tested exhaustively without a database."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjiang.orgs import rules
from gongjiang.orgs.choices import OrgKind, Role, SkillGrade

K = OrgKind
# The whole table, written out: (parent, child) pairs that are allowed. Everything else is refused.
ALLOWED = {
    (None, K.PROVINCE),
    (K.PROVINCE, K.CITY),
    (K.PROVINCE, K.INDUSTRY), (K.CITY, K.INDUSTRY), (K.COUNTY, K.INDUSTRY),
    (K.CITY, K.COUNTY),
    (K.COUNTY, K.TOWN),
    (K.PROVINCE, K.GRASSROOTS), (K.CITY, K.GRASSROOTS), (K.INDUSTRY, K.GRASSROOTS), (K.COUNTY, K.GRASSROOTS),
    (K.TOWN, K.GRASSROOTS),
    (K.GRASSROOTS, K.DEPARTMENT), (K.DEPARTMENT, K.DEPARTMENT),
    (K.GRASSROOTS, K.TEAM), (K.DEPARTMENT, K.TEAM),
}


@pytest.mark.parametrize("parent, child", list(itertools.product([None, *K.values], K.values)))
def test_can_be_child_over_every_pair_of_kinds(parent, child):
    assert rules.can_be_child(parent, child) is ((parent, child) in ALLOWED)


def test_a_team_has_no_children_and_only_a_province_is_a_root():
    assert not any(rules.can_be_child(K.TEAM, child) for child in K.values)
    assert [k for k in K.values if rules.can_be_child(None, k)] == [K.PROVINCE]


def test_an_unknown_kind_is_never_allowed():
    assert not rules.can_be_child(K.PROVINCE, "federation")
    assert not rules.can_be_child("federation", K.CITY)


def test_people_are_employed_by_grassroots_unions_departments_and_teams_only():
    assert rules.EMPLOYER_KINDS == {K.GRASSROOTS, K.DEPARTMENT, K.TEAM}
    assert rules.MEMBERSHIP_KINDS == {K.GRASSROOTS}


@pytest.mark.parametrize("action, roles", [
    ("view", {Role.ADMIN, Role.STAFF, Role.VIEWER}),
    ("change", {Role.ADMIN, Role.STAFF}),
    ("manage", {Role.ADMIN}),
    ("delete-everything", set()),
])
def test_roles_for_each_action(action, roles):
    assert rules.roles_for(action) == roles


PROVINCE, JINAN, LIXIA, QINGDAO = "0001", "00010001", "000100010001", "00010002"


@pytest.mark.parametrize("held_role, held_path, role, org_path, allowed", [
    # An admin grants any role inside their subtree, including on their own org.
    *[(Role.ADMIN, JINAN, role, JINAN, True) for role in Role.values],
    *[(Role.ADMIN, JINAN, role, LIXIA, True) for role in Role.values],
    # ... never above it nor beside it.
    *[(Role.ADMIN, JINAN, role, PROVINCE, False) for role in Role.values],
    *[(Role.ADMIN, JINAN, role, QINGDAO, False) for role in Role.values],
    # Staff and viewers grant nothing, even a viewer role in their own subtree.
    *[(held, JINAN, role, LIXIA, False) for held in (Role.STAFF, Role.VIEWER) for role in Role.values],
])
def test_can_grant(held_role, held_path, role, org_path, allowed):
    assert rules.can_grant([(held_role, held_path)], role, org_path) is allowed


def test_can_grant_looks_at_every_grant_held():
    grants = [(Role.VIEWER, PROVINCE), (Role.STAFF, JINAN), (Role.ADMIN, QINGDAO)]
    assert rules.can_grant(grants, Role.ADMIN, QINGDAO + "0001")
    assert not rules.can_grant(grants, Role.VIEWER, LIXIA)
    assert not rules.can_grant([], Role.VIEWER, LIXIA)


def test_can_grant_refuses_an_unknown_role():
    assert not rules.can_grant([(Role.ADMIN, PROVINCE)], "owner", JINAN)


paths = st.lists(st.text("0123456789AB", min_size=4, max_size=4), min_size=1, max_size=5).map("".join)


@given(paths, paths)
def test_can_grant_is_exactly_admin_of_a_covering_scope(held, target):
    assert rules.can_grant([(Role.ADMIN, held)], Role.ADMIN, target) is target.startswith(held)
    assert not rules.can_grant([(Role.STAFF, held)], Role.VIEWER, target)


@pytest.mark.parametrize("node, new_parent, refused", [
    (JINAN, JINAN, True),  # under itself
    (JINAN, LIXIA, True),  # under its own child
    (JINAN, LIXIA + "0001", True),  # under a grandchild
    (LIXIA, QINGDAO, False),
    (LIXIA, PROVINCE, False),  # up the tree
    (JINAN, QINGDAO, False),  # a sibling
    (QINGDAO, QINGDAO + "0003", True),
])
def test_is_move_into_own_subtree(node, new_parent, refused):
    assert rules.is_move_into_own_subtree(node, new_parent) is refused


@given(paths, paths)
def test_a_move_is_into_the_own_subtree_exactly_when_the_target_is_a_descendant_or_self(node, target):
    assert rules.is_move_into_own_subtree(node, target) is target.startswith(node)
    assert rules.is_move_into_own_subtree(node, node + "0001")


def test_is_within():
    assert rules.is_within(LIXIA, JINAN)
    assert rules.is_within(JINAN, JINAN)
    assert not rules.is_within(JINAN, LIXIA)
    assert not rules.is_within(QINGDAO, JINAN)


G = SkillGrade


@pytest.mark.parametrize("old, new, promotion", [
    (G.NONE, G.GRADE5, True),  # a first grade is a promotion
    (G.NONE, G.GRADE1, True),
    (G.GRADE5, G.GRADE4, True),  # 五级/初级工 → 四级/中级工
    (G.GRADE2, G.GRADE1, True),  # 技师 → 高级技师
    (G.GRADE4, G.GRADE4, False),  # the same grade again
    (G.GRADE3, G.GRADE4, False),  # a lower grade
    (G.GRADE1, G.GRADE5, False),
    (G.GRADE3, G.NONE, False),  # losing a grade is never a promotion
    (G.NONE, G.NONE, False),
])
def test_skill_grade_is_promotion(old, new, promotion):
    assert rules.skill_grade_is_promotion(old, new) is promotion


grades = st.sampled_from(G.values)


@given(grades, grades)
def test_a_promotion_is_a_move_to_a_strictly_higher_grade(old, new):
    rank = {0: 0, 5: 1, 4: 2, 3: 3, 2: 4, 1: 5}  # the order of the national skill grades
    assert rules.skill_grade_is_promotion(old, new) is (rank[new] > rank[old])


# ---------------------------------------------------------------------------------------------
# Managing an account: every role it holds lies inside the admin's scope


TOWN, QD_FIRM = LIXIA + "0001", QINGDAO + "0001"


@pytest.mark.parametrize("scopes, roles, employer, superuser, manages", [
    # A superuser (scopes None) manages every account, superusers' included.
    (None, [QINGDAO], None, False, True),
    (None, [], None, True, True),
    # An admin manages an account whose every role lies inside one of their scopes...
    ([JINAN], [JINAN], None, False, True),
    ([JINAN], [LIXIA, TOWN], None, False, True),
    ([JINAN, QINGDAO], [LIXIA, QD_FIRM], None, False, True),  # each role inside some scope
    # ... not one that also holds a role beside or above it (the qingdao account given a role in 历下区).
    ([JINAN], [LIXIA, QINGDAO], None, False, False),
    ([JINAN], [QINGDAO, LIXIA], None, False, False),
    ([JINAN], [PROVINCE], None, False, False),
    ([LIXIA], [JINAN], None, False, False),
    # A worker's account (no role) by the employer of the record, along either tree.
    ([JINAN], [], (TOWN + "0001", ""), False, True),
    ([JINAN], [], (QD_FIRM, ""), False, False),
    (["0003"], [], (QD_FIRM, "0003"), False, True),  # an industry union's affiliate
    # Roles decide when there are roles: a cadre who is also a worker of the admin's unit.
    ([JINAN], [QINGDAO], (TOWN + "0001", ""), False, False),
    # Neither roles nor record: nobody but a superuser; a superuser's account: only a superuser.
    ([JINAN], [], None, False, False),
    ([PROVINCE], [LIXIA], None, True, False),
    # No scope at all.
    ([], [LIXIA], None, False, False),
])
def test_manages_account(scopes, roles, employer, superuser, manages):
    assert rules.manages_account(scopes, roles, employer, superuser=superuser) is manages


@given(st.lists(paths, min_size=1, max_size=3), st.lists(paths, min_size=1, max_size=4))
def test_an_account_with_roles_is_managed_exactly_when_each_role_lies_inside_some_scope(scopes, roles):
    expected = all(any(r.startswith(s) for s in scopes) for r in roles)
    assert rules.manages_account(scopes, roles, None) is expected
    # Adding a role outside every scope always takes the account out of the admin's hands.
    assert not rules.manages_account(scopes, [*roles, "ZZZZ"], None)


# ---------------------------------------------------------------------------------------------
# Restructuring (deactivate, reactivate, move, change kind or affiliation): strictly below a role's org


INDUSTRY = "00010003"


@pytest.mark.parametrize("path, industry_path, scopes, allowed", [
    (LIXIA, "", [JINAN], True),  # a unit below the role's org
    (TOWN + "0001", "", [JINAN], True),
    (JINAN, "", [JINAN], False),  # the role's own org: the union above decides
    (PROVINCE, "", [JINAN], False),  # above
    (QINGDAO, "", [JINAN], False),  # beside
    (JINAN, "", [PROVINCE], True),
    (JINAN, "", [JINAN, PROVINCE], True),  # another role above it
    (TOWN + "0001", INDUSTRY, [INDUSTRY], True),  # an industry union's affiliate lies below it
    (INDUSTRY, "", [INDUSTRY], False),
    (QD_FIRM, "", [], False),
    (JINAN, "", None, True),  # a superuser
])
def test_can_restructure(path, industry_path, scopes, allowed):
    assert rules.can_restructure(path, industry_path, scopes) is allowed


@given(paths, st.lists(paths, min_size=1, max_size=3))
def test_restructuring_is_allowed_exactly_strictly_below_some_scope(path, scopes):
    expected = any(path.startswith(s) and path != s for s in scopes)
    assert rules.can_restructure(path, "", scopes) is expected
    assert not rules.can_restructure(path, "", [path])
