"""The accounts side of the UI, as a specification: log-in and lock-out, the scope switcher, the overview,
API tokens, account management by administrators (and nobody else) and a worker's own record.

Pages are read in English (Accept-Language: en) so the assertions do not depend on the compiled catalogue."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongjiang.core import audit
from gongjiang.core.models import AuditEvent
from gongjiang.orgs import services
from gongjiang.orgs.choices import OrgKind, Role
from gongjiang.orgs.models import ApiToken, LoginAttempt, Person, RoleGrant, User
from gongjiang.orgs.tests import factories

PASSWORD = "Gongjiang-2026"


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def log_in(client, login: str, password: str = PASSWORD, **extra):
    return client.post(reverse("orgs:login"), {"username": login, "password": password, **extra})


def text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# Log-in, lock-out, log-out, password


def test_a_cadre_logs_in_with_the_user_name_and_lands_on_the_overview(client, sd):
    response = log_in(client, "jinan_cadre")
    assert response.status_code == 302 and response.url == reverse("orgs:home")
    assert int(client.session["_auth_user_id"]) == sd.jinan_cadre.pk


def test_a_cadre_logs_in_with_the_mobile_number(client, sd):
    response = log_in(client, "13800000001")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == sd.jinan_cadre.pk


def test_a_worker_lands_on_their_own_record(client, sd):
    response = log_in(client, "worker")
    assert response.url == reverse("orgs:my_record")
    assert client.get(reverse("orgs:home")).url == reverse("orgs:my_record")


def test_log_in_follows_a_safe_next_but_not_another_site(client, sd):
    assert log_in(client, "jinan_cadre", next="/people/").url == "/people/"
    client.logout()
    assert log_in(client, "jinan_cadre", next="https://evil.example/").url == reverse("orgs:home")


def test_a_wrong_password_says_so_without_counting_down_to_a_lock(client, sd):
    response = log_in(client, "jinan_cadre", "wrong-password")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors() == [
        "The user name or password is wrong, or there were too many attempts; please try again later."]
    assert "more failed attempts" not in text(response)


def test_five_failures_refuse_this_address_even_the_right_password_until_the_window_passes(client, sd):
    """The address is refused, not the account (test_login_throttle.py: the owner still gets in from theirs)."""
    for _ in range(5):
        log_in(client, "jinan_cadre", "wrong-password")
    response = log_in(client, "jinan_cadre")  # the right password, from the same address
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "too many attempts" in text(response) and "locked" not in text(response).lower()
    assert "_auth_user_id" not in log_in(client, "13800000001").client.session  # by phone too
    LoginAttempt.objects.update(at=timezone.now() - datetime.timedelta(minutes=16))
    assert log_in(client, "jinan_cadre").status_code == 302
    assert int(client.session["_auth_user_id"]) == sd.jinan_cadre.pk


def test_a_disabled_account_is_refused_clearly(client, sd):
    services.set_account_active(actor=sd.province_admin, user=sd.county_cadre, active=False)
    response = log_in(client, "county_cadre")
    assert "This account is disabled" in text(response)
    assert "_auth_user_id" not in client.session
    assert "disabled" not in text(log_in(client, "county_cadre", "wrong-password"))


def test_log_out_needs_a_post(client, sd):
    client.force_login(sd.jinan_cadre)
    assert client.get(reverse("orgs:logout")).status_code == 200  # asks for confirmation
    assert "_auth_user_id" in client.session
    assert client.post(reverse("orgs:logout")).url == reverse("orgs:login")
    assert "_auth_user_id" not in client.session


def test_password_change_checks_the_current_password_and_keeps_the_session(client, sd):
    client.force_login(sd.jinan_cadre)
    url = reverse("orgs:password_change")
    response = client.post(url, {"old_password": "nope", "new_password": "Quan-Zong-2027",
                                 "new_password2": "Quan-Zong-2027"})
    assert "The current password is wrong." in text(response)
    response = client.post(url, {"old_password": PASSWORD, "new_password": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    sd.jinan_cadre.refresh_from_db()
    assert sd.jinan_cadre.check_password(PASSWORD)
    response = client.post(url, {"old_password": PASSWORD, "new_password": "Quan-Zong-2027",
                                 "new_password2": "Quan-Zong-2027"})
    assert response.url == reverse("orgs:account")
    sd.jinan_cadre.refresh_from_db()
    assert sd.jinan_cadre.check_password("Quan-Zong-2027")
    assert client.get(reverse("orgs:account")).status_code == 200  # still logged in


# ---------------------------------------------------------------------------------------------
# Scope switcher


def test_the_scope_switcher_refuses_an_org_outside_the_users_scopes(client, sd):
    RoleGrant.objects.create(user=sd.jinan_cadre, org=sd.steel, role=Role.STAFF)
    client.force_login(sd.jinan_cadre)
    response = client.post(reverse("orgs:switch_scope"), {"org": sd.qingdao.pk})
    assert response.status_code == 404
    assert "scope_org_id" not in client.session
    sd.jinan_cadre.refresh_from_db()
    assert sd.jinan_cadre.current_scope_id is None

    response = client.post(reverse("orgs:switch_scope"), {"org": sd.steel.pk}, HTTP_REFERER="/people/")
    assert response.url == "/people/"
    assert client.session["scope_org_id"] == sd.steel.pk
    sd.jinan_cadre.refresh_from_db()
    assert sd.jinan_cadre.current_scope_id == sd.steel.pk
    assert client.get(reverse("orgs:home")).context["scope"] == sd.steel

    client.logout()  # the choice is remembered at the next log-in
    log_in(client, "jinan_cadre")
    assert client.session["scope_org_id"] == sd.steel.pk


# ---------------------------------------------------------------------------------------------
# Overview


def test_the_overview_shows_the_scope_figures_children_and_pending_transfers(client, sd):
    services.join_union(actor=sd.province_admin, person=sd.worker_person)
    services.request_transfer(actor=sd.province_admin, person=sd.worker_person, to_employer=sd.qd_enterprise)
    client.force_login(sd.qingdao_cadre)
    ctx = client.get(reverse("orgs:home")).context
    assert ctx["scope"] == sd.qingdao
    assert ctx["figures"]["people"] == 1 and ctx["figures"]["members"] == 0
    assert [(i.app, i.count) for i in ctx["todo"]] == [("orgs", 1)]  # the transfer to accept, in the to-do list
    assert "/transfers/?tab=incoming" in ctx["todo"][0].url

    client.force_login(sd.jinan_cadre)
    ctx = client.get(reverse("orgs:home")).context
    fig = ctx["figures"]
    assert fig["people"] == 1 and fig["members"] == 1 and fig["front_line"] == 1 and fig["migrant"] == 0
    assert dict(fig["kinds"])[OrgKind.GRASSROOTS.label] == 1
    assert [(c.name, c.subtree_people, c.subtree_units) for c in ctx["children"]] == [("历下区总工会", 1, 5)]
    assert ctx["todo"] == []  # the transfer awaits Qingdao, not Jinan
    assert any(e.verb == "orgs.transfer.requested" for e in ctx["events"])
    assert all(e.org_path.startswith(sd.jinan.path) for e in ctx["events"])


def _grow_province(sd, n_orgs: int, n_people: int, prefix: str = "") -> None:
    towns = [factories.org(sd.lixia, f"{prefix}街道{i}", OrgKind.TOWN) for i in range(n_orgs)]
    units = [factories.org(t, f"企业{t.pk}", OrgKind.GRASSROOTS) for t in towns]
    for i in range(n_people):
        p = factories.person(units[i % len(units)], f"职工{i}", is_migrant=bool(i % 2))
        audit.record(sd.province_admin, "orgs.person.created", p)
    for i, u in enumerate(units[:3]):
        p = factories.person(u, f"会员{i}")
        services.join_union(actor=sd.province_admin, person=p)
        services.request_transfer(actor=sd.province_admin, person=p, to_employer=sd.steel)


def test_the_overview_uses_a_constant_number_of_queries(client, sd, django_assert_max_num_queries):
    client.force_login(sd.jinan_cadre)
    # Every kind of recent change once (a membership's union is named with one query for all of them), then many.
    _grow_province(sd, n_orgs=1, n_people=1, prefix="初")
    client.get(reverse("orgs:home"))  # warm caches (content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("orgs:home")).status_code == 200
    _grow_province(sd, n_orgs=12, n_people=60)
    with CaptureQueriesContext(connection) as big:
        response = client.get(reverse("orgs:home"))
    assert len(big) == len(small), [q["sql"] for q in big]
    # session, user, grants (every action's scope from one read), figures, flags, children (2), breadcrumb, the
    # to-do of every app (transfers; registrations and appeals), events (and the unions they name), the menu's
    # judge/evaluator question, the unread-message badge, and the session write (with its savepoint pair under the
    # test transaction); innovation: the menu's valuator/finance question and its home panel's figures (the yearly
    # rows, and the proposals submitted since the last fold; its to-do is one aggregate, and one count of the
    # projects' overdue milestones); honours: its to-do (one count of the draft nominations of the campaigns taking
    # nominations), its home panel (the holders by honour: one query of the counters) and one aggregate of the
    # studios' assessments to confirm and self-assessments due, the seats of the user on open review panels and the
    # nominations waiting at the user's levels, and its nominations panel (the years of the union's shares; with a
    # share, its rows and their holders too); learning: its home panel (the month's totals and the daily trend, from
    # the fact store); assessments: its to-do (sheets to fill, sheets to review: two counts); statistics: its home
    # panel (each app's main figure this year and the year before, two reads of the fact store, and the twelve
    # months' trend, one; its to-do: the data requests waiting for the union's figures, one count); care and
    # rights: their to-do (the archive's requests and files due; enterprises without a congress, contracts expiring,
    # one count of the checks' hazards past their deadline; rights cases waiting and overdue: one aggregate); care's
    # aid cycles waiting on the user's level (one query).
    with django_assert_max_num_queries(40):
        client.get(reverse("orgs:home"))
    fig = response.context["figures"]
    assert fig["people"] == 66 and fig["migrant"] == 30  # 3 in the fixture, 1 + 1 and 60 + 3 grown
    assert [(i.app, i.count) for i in response.context["todo"]] == [("orgs", 4)]


def test_the_overview_reads_front_line_and_migrant_totals_from_the_counters_not_the_people(client, sd):
    factories.person(sd.steel, "赵六", is_front_line=True, is_migrant=True)
    client.force_login(sd.province_admin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("orgs:home"))
    figures = response.context["figures"]
    front_line = Person.objects.filter(is_front_line=True).count()  # the fixture has front-line workers too
    assert figures["people"] == 3 and (figures["front_line"], figures["migrant"]) == (front_line, 1)
    assert not any('"orgs_person"' in q["sql"] and "COUNT" in q["sql"] for q in queries.captured_queries)


def test_an_account_without_any_role_sees_an_explanation(client, db):
    lonely = User.objects.create_user("lonely", password=PASSWORD)
    client.force_login(lonely)
    response = client.get(reverse("orgs:home"))
    assert response.status_code == 200 and "holds no role" in text(response)


# ---------------------------------------------------------------------------------------------
# My account and API tokens


def test_my_account_lists_my_roles(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("orgs:account"))
    assert [(g.org, g.role) for g in response.context["grants"]] == [(sd.jinan, Role.ADMIN)]


def test_an_api_token_is_shown_once_stored_hashed_and_revocable(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.post(reverse("orgs:api_tokens"), {"name": "济钢人事系统"})
    key = response.context["new_key"]
    assert key.startswith("gj_") and key in text(response)
    token = ApiToken.objects.get(user=sd.jinan_cadre)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert key not in stored and all(key not in v for v in stored)
    assert key not in text(client.get(reverse("orgs:api_tokens")))  # never again
    assert token.prefix in text(client.get(reverse("orgs:api_tokens")))

    client.logout()  # the token alone opens the API
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    client.force_login(sd.jinan_cadre)

    assert client.post(reverse("orgs:api_token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_a_token_needs_a_name_and_only_its_owner_revokes_it(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.post(reverse("orgs:api_tokens"), {"name": "  "})
    assert response.context["new_key"] is None and not ApiToken.objects.exists()
    token, _key = services.issue_api_token(actor=sd.qingdao_cadre, name="青岛")
    assert client.post(reverse("orgs:api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# ---------------------------------------------------------------------------------------------
# Account management: the permission matrix


@pytest.mark.parametrize("name", ["account_list", "account_create"])
def test_anonymous_visitors_are_sent_to_log_in(client, sd, name):
    response = client.get(reverse(f"orgs:{name}"))
    assert response.status_code == 302 and response.url.startswith(reverse("orgs:login"))


def test_anonymous_visitors_cannot_open_an_account_page(client, sd):
    response = client.get(reverse("orgs:account_detail", args=[sd.county_cadre.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("orgs:login"))


def test_a_city_admin_manages_the_accounts_of_their_city_only(client, sd):
    client.force_login(sd.jinan_cadre)
    listed = {a.username for a in client.get(reverse("orgs:account_list")).context["page"].object_list}
    assert {"county_cadre", "enterprise_cadre", "jinan_viewer", "worker", "jinan_cadre"} <= listed
    assert not listed & {"qingdao_cadre", "province_admin", "industry_cadre"}
    assert client.get(reverse("orgs:account_detail", args=[sd.county_cadre.pk])).status_code == 200
    assert client.get(reverse("orgs:account_detail", args=[sd.qingdao_cadre.pk])).status_code == 404
    assert (
        client.post(reverse("orgs:account_set_active", args=[sd.qingdao_cadre.pk]), {"active": "0"}).status_code == 404
    )
    assert client.post(reverse("orgs:account_grant", args=[sd.qingdao_cadre.pk]),
                       {"org": sd.jinan.pk, "role": Role.VIEWER}).status_code == 404
    sd.qingdao_cadre.refresh_from_db()
    assert sd.qingdao_cadre.is_active and sd.qingdao_cadre.grants.count() == 1


def test_staff_and_viewers_cannot_manage_accounts(client, sd):
    for cadre in (sd.county_cadre, sd.jinan_viewer, sd.worker):
        client.force_login(cadre)
        assert client.get(reverse("orgs:account_list")).status_code == 403
        assert client.get(reverse("orgs:account_create")).status_code == 403
        assert client.get(reverse("orgs:account_detail", args=[sd.enterprise_cadre.pk])).status_code == 404
        assert client.post(reverse("orgs:account_set_active", args=[sd.enterprise_cadre.pk]),
                           {"active": "0"}).status_code == 404
    sd.enterprise_cadre.refresh_from_db()
    assert sd.enterprise_cadre.is_active


def test_the_province_admin_sees_every_account_and_exports_them(client, sd):
    client.force_login(sd.province_admin)
    page = client.get(reverse("orgs:account_list")).context["page"]
    assert page.paginator.count == User.objects.count()
    response = client.get(reverse("orgs:account_list"), {"q": "青岛", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["qingdao_cadre"]


def test_the_account_list_searches_and_filters(client, sd):
    client.force_login(sd.jinan_cadre)
    url = reverse("orgs:account_list")
    assert [a.username for a in client.get(url, {"q": "county"}).context["page"]] == ["county_cadre"]
    assert [a.username for a in client.get(url, {"kind": "worker"}).context["page"]] == ["worker"]
    response = client.get(url, {"q": "历下"}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(response) and "county_cadre" in text(response)


# ---------------------------------------------------------------------------------------------
# Account management: opening accounts, granting, revoking, disabling


def test_a_city_admin_opens_a_cadre_account_in_their_city(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.post(reverse("orgs:account_create"), {
        "username": "lixia_staff", "full_name": "孙丽", "phone": "13700000009", "password": "Lixia-2026-ok",
        "org": sd.lixia.pk, "role": Role.STAFF})
    new = User.objects.get(username="lixia_staff")
    assert response.url == reverse("orgs:account_detail", args=[new.pk])
    assert [(g.org, g.role) for g in new.grants.all()] == [(sd.lixia, Role.STAFF)]
    client.logout()
    assert log_in(client, "13700000009", "Lixia-2026-ok").status_code == 302


@pytest.mark.parametrize("change,field", [
    ({"org": "qingdao"}, "org"), ({"role": Role.ADMIN, "org": "lixia", "as": "county"}, None),
    ({"phone": "12345"}, "phone"), ({"username": "county_cadre"}, "username"), ({"password": "12345678"}, None),
    ({"org": ""}, "org"),
])
def test_opening_an_account_with_bad_input_shows_the_error_and_creates_nothing(client, sd, change, field):
    data = {"username": "new_cadre", "full_name": "周七", "phone": "", "password": "Lixia-2026-ok",
            "org": sd.lixia.pk, "role": Role.STAFF}
    actor = sd.jinan_cadre
    for k, v in change.items():
        if k == "as":
            continue
        data[k] = getattr(sd, v).pk if k == "org" and v else v
    if change.get("as") == "county":  # a county admin cannot give out anything above what they hold
        actor = factories.user("lixia_admin", (sd.lixia, Role.STAFF), (sd.town, Role.ADMIN))
    client.force_login(actor)
    before = User.objects.count()
    response = client.post(reverse("orgs:account_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    if field:
        assert field in form.errors, form.errors
    assert User.objects.count() == before


def test_granting_outside_the_admins_subtree_shows_the_error_and_creates_nothing(client, sd):
    client.force_login(sd.jinan_cadre)
    before = RoleGrant.objects.count()
    response = client.post(reverse("orgs:account_grant", args=[sd.county_cadre.pk]), {"org": sd.qingdao.pk,
                                                                                   "role": Role.VIEWER})
    assert response.status_code == 200
    # Out of the admin's sight: answered as a missing org, never named (test_security.py).
    assert response.context["form"].errors["org"] == ["Choose the organisation from the list."]
    assert "青岛市总工会" not in text(response)
    assert RoleGrant.objects.count() == before


def test_a_city_admin_grants_and_revokes_a_role_inside_the_city(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.post(reverse("orgs:account_grant", args=[sd.county_cadre.pk]), {"org": sd.town.pk,
                                                                                   "role": Role.ADMIN})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=sd.county_cadre, org=sd.town)
    assert grant.role == Role.ADMIN and grant.granted_by == sd.jinan_cadre
    client.post(reverse("orgs:account_revoke", args=[sd.county_cadre.pk, grant.pk]))
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_an_admin_cannot_revoke_a_role_held_outside_their_subtree(client, sd):
    outside = RoleGrant.objects.create(user=sd.county_cadre, org=sd.qingdao, role=Role.VIEWER)
    client.force_login(sd.jinan_cadre)
    client.post(reverse("orgs:account_revoke", args=[sd.county_cadre.pk, outside.pk]))
    assert RoleGrant.objects.filter(pk=outside.pk).exists()


def test_disabling_and_enabling_an_account_forgets_its_failed_log_ins(client, sd):
    client.force_login(sd.jinan_cadre)
    url = reverse("orgs:account_set_active", args=[sd.county_cadre.pk])
    client.post(url, {"active": "0"})
    sd.county_cadre.refresh_from_db()
    assert not sd.county_cadre.is_active
    LoginAttempt.objects.create(client="ip:203.0.113.9", target=f"account:{sd.county_cadre.pk}")
    client.post(url, {"active": "1"})
    sd.county_cadre.refresh_from_db()
    assert sd.county_cadre.is_active and not LoginAttempt.objects.filter(succeeded=False).exists()
    client.post(reverse("orgs:account_set_active", args=[sd.jinan_cadre.pk]), {"active": "0"})  # not oneself
    sd.jinan_cadre.refresh_from_db()
    assert sd.jinan_cadre.is_active


def test_the_org_chooser_lists_only_orgs_the_admin_administers(client, sd):
    client.force_login(sd.jinan_cadre)
    url = reverse("orgs:account_org_search")
    found = client.get(url, {"org_q": "总工会"}).context["choices"]
    assert {o.name for o in found} == {"济南市总工会", "历下区总工会", "解放路街道总工会"}
    assert client.get(url, {"org_q": "青岛"}).context["choices"] == []
    steel = client.get(url, {"org_q": "E0001"}).context["choices"]
    assert [o.code for o in steel][:1] == ["E0001"] and steel[0].parent_name == "解放路街道总工会"
    client.force_login(sd.county_cadre)
    assert client.get(url, {"org_q": "历下"}).status_code == 403


# ---------------------------------------------------------------------------------------------
# My record (a worker's self-service)


def test_a_worker_sees_their_record_masked_and_may_reveal_their_own_id(client, sd):
    client.force_login(sd.worker)
    response = client.get(reverse("orgs:my_record"))
    assert response.status_code == 200
    full = sd.worker_person.id_number
    assert sd.worker_person.id_masked in text(response) and full not in text(response)
    response = client.post(reverse("orgs:my_record_reveal"), HTTP_HX_REQUEST="true")
    assert full in text(response) and "<html" not in text(response)
    assert AuditEvent.objects.filter(verb="orgs.person.id_revealed", actor=sd.worker).count() == 1


def test_a_worker_corrects_their_phone_but_not_their_name_or_employer(client, sd):
    client.force_login(sd.worker)
    response = client.post(reverse("orgs:my_record"), {
        "mobile": "13987654321", "education": "college", "political_status": "", "ethnicity": "回族",
        "post": "炼钢工", "name": "李四", "employer": sd.qd_enterprise.pk})
    assert response.status_code == 302
    p = Person.objects.get(pk=sd.worker_person.pk)
    assert (p.mobile, p.education, p.ethnicity, p.post) == ("13987654321", "college", "回族", "炼钢工")
    assert p.name == "李强" and p.employer == sd.team
    assert AuditEvent.objects.filter(verb="orgs.person.updated", actor=sd.worker).exists()


def test_a_bad_phone_on_my_record_shows_the_error_and_changes_nothing(client, sd):
    client.force_login(sd.worker)
    response = client.post(reverse("orgs:my_record"), {"mobile": "12345", "post": "班长", "education": "",
                                                  "political_status": "", "ethnicity": ""})
    assert response.status_code == 200
    assert "mobile" in response.context["form"].errors
    p = Person.objects.get(pk=sd.worker_person.pk)
    assert (p.mobile, p.post) == ("13912345678", "")


def test_a_cadre_without_a_worker_record_is_told_so(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("orgs:my_record"))
    assert response.status_code == 200 and response.context["person"] is None
    assert client.post(reverse("orgs:my_record_reveal")).status_code == 404


# ---------------------------------------------------------------------------------------------
# Every page renders for the personas (a smoke check of the templates)


@pytest.mark.parametrize("persona", ["province_admin", "jinan_cadre", "county_cadre", "industry_cadre", "worker"])
def test_the_account_pages_render_for_each_persona(client, sd, persona):
    client.force_login(getattr(sd, persona))
    for name in ["home", "account", "password_change", "api_tokens", "my_record"]:
        response = client.get(reverse(f"orgs:{name}"), follow=True)
        assert response.status_code == 200, name
        assert not re.search(r"\{[{%]", text(response)), name
    if persona in {"province_admin", "jinan_cadre", "industry_cadre"}:
        assert client.get(reverse("orgs:account_list")).status_code == 200
        assert client.get(reverse("orgs:account_create")).status_code == 200
        assert client.get(reverse("orgs:account_detail", args=[getattr(sd, persona).pk])).status_code == 200


def test_the_overview_counts_units_by_kind_from_the_counters(client, sd):
    """The province's units by kind come from its own row (counters.KIND_TO_TREE): no GROUP BY over the org table;
    a cadre below it sees those of their subtree."""
    client.force_login(sd.province_admin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("orgs:home"))
    # (other apps' to-do may count their rows joined to the org table for the scope: not a count of the orgs)
    assert not any('FROM "orgs_org"' in q["sql"] and "COUNT" in q["sql"] for q in queries.captured_queries)
    kinds = dict(response.context["figures"]["kinds"])
    assert (kinds[OrgKind.CITY.label], kinds[OrgKind.GRASSROOTS.label], kinds[OrgKind.TEAM.label]) == (2, 2, 1)
    client.force_login(sd.jinan_cadre)
    kinds = dict(client.get(reverse("orgs:home")).context["figures"]["kinds"])
    assert kinds == {OrgKind.CITY.label: 1, OrgKind.COUNTY.label: 1, OrgKind.TOWN.label: 1,
                     OrgKind.GRASSROOTS.label: 1, OrgKind.DEPARTMENT.label: 1, OrgKind.TEAM.label: 1}
