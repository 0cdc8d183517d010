"""Security and privacy of accounts and of the org tree (issue 8), as a specification:

- an administrator manages an account (disables, enables it) only when every role it holds lies inside their
  subtree; roles inside the subtree they may still grant and revoke;
- nobody deactivates, reactivates or moves the org their own role sits on (only units strictly below it);
- a refusal to grant a role never names an org outside the admin's sight;
- passwords like the user name, or the current password again, are refused;
- disabling an account revokes its API tokens, so enabling it again does not revive them.

Pages are read in English (Accept-Language: en) so the assertions do not depend on the compiled catalogue."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.orgs import services
from gongjiang.orgs.choices import OrgKind, Role
from gongjiang.orgs.models import ApiToken, Org, RoleGrant, User
from gongjiang.orgs.tests import factories

PASSWORD = "Gongjiang-2026"


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def text(response) -> str:
    return response.content.decode()


def active(user: User) -> bool:
    return User.objects.get(pk=user.pk).is_active


# ---------------------------------------------------------------------------------------------
# 5. An account is managed only by an admin whose subtree holds every one of its roles


@pytest.fixture
def qingdao_in_lixia(sd):
    """The province admin gives the Qingdao city admin a viewer role in 历下区 (Jinan)."""
    return services.grant_role(actor=sd.province_admin, user=sd.qingdao_cadre, org=sd.lixia, role=Role.VIEWER)


def test_a_city_admin_cannot_disable_an_account_that_also_holds_a_role_in_another_city(sd, qingdao_in_lixia):
    with pytest.raises(PermissionDeniedError):
        services.set_account_active(actor=sd.jinan_cadre, user=sd.qingdao_cadre, active=False)
    assert active(sd.qingdao_cadre)
    # The admin above both cities may; the Jinan admin cannot enable it again either.
    services.set_account_active(actor=sd.province_admin, user=sd.qingdao_cadre, active=False)
    with pytest.raises(PermissionDeniedError):
        services.set_account_active(actor=sd.jinan_cadre, user=sd.qingdao_cadre, active=True)
    assert not active(sd.qingdao_cadre)


def test_the_account_page_hides_the_buttons_and_the_post_is_refused(client, sd, qingdao_in_lixia):
    client.force_login(sd.jinan_cadre)
    # Listed: the account holds a role in Jinan, so the Jinan admin sees who that is.
    listed = [a.username for a in client.get(reverse("orgs:account_list")).context["page"]]
    assert "qingdao_cadre" in listed
    page = client.get(reverse("orgs:account_detail", args=[sd.qingdao_cadre.pk]))
    html = text(page)
    assert page.status_code == 200 and not page.context["can_manage"]
    assert reverse("orgs:account_set_active", args=[sd.qingdao_cadre.pk]) not in html
    assert "青岛市总工会" not in html  # the role outside the subtree is counted, not named
    assert "1 more role outside the organisations you administer" in html
    response = client.post(reverse("orgs:account_set_active", args=[sd.qingdao_cadre.pk]), {"active": "0"}, follow=True)
    assert "every role it holds" in text(response)
    assert active(sd.qingdao_cadre)
    assert not AuditEvent.objects.filter(verb="orgs.account.deactivated").exists()
    # Roles inside the subtree are still the Jinan admin's to grant and revoke.
    response = client.post(reverse("orgs:account_grant", args=[sd.qingdao_cadre.pk]), {"org": sd.town.pk,
                                                                                    "role": Role.VIEWER})
    assert response.status_code == 302 and RoleGrant.objects.filter(user=sd.qingdao_cadre, org=sd.town).exists()
    client.post(reverse("orgs:account_revoke", args=[sd.qingdao_cadre.pk, qingdao_in_lixia.pk]))
    assert not RoleGrant.objects.filter(pk=qingdao_in_lixia.pk).exists()


def test_an_account_wholly_inside_the_subtree_keeps_its_buttons(client, sd):
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("orgs:account_detail", args=[sd.county_cadre.pk]))
    assert page.context["can_manage"]
    assert reverse("orgs:account_set_active", args=[sd.county_cadre.pk]) in text(page)
    client.post(reverse("orgs:account_set_active", args=[sd.county_cadre.pk]), {"active": "0"})
    assert not active(sd.county_cadre)


def test_a_system_administrators_account_is_managed_by_system_administrators_only(sd):
    root = factories.user("root", (sd.lixia, Role.VIEWER), is_superuser=True)
    with pytest.raises(PermissionDeniedError):
        services.set_account_active(actor=sd.jinan_cadre, user=root, active=False)
    assert active(root)


def test_a_worker_account_is_managed_by_the_admins_of_the_workers_unit(sd):
    with pytest.raises(PermissionDeniedError):
        services.set_account_active(actor=sd.qingdao_cadre, user=sd.worker, active=False)
    services.set_account_active(actor=sd.jinan_cadre, user=sd.worker, active=False)
    assert not active(sd.worker)


# ---------------------------------------------------------------------------------------------
# 6. Deactivating, reactivating and moving an org belong to the union above it, never to a role on it


def api(user: User) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user)
    return c


def fresh(o: Org) -> Org:
    return Org.objects.get(pk=o.pk)


def test_staff_cannot_deactivate_the_enterprise_their_role_sits_on_through_the_api(sd):
    c = api(sd.enterprise_cadre)  # staff on 济南钢铁
    assert c.get(f"/api/v1/orgs/{sd.steel.pk}").json()["can_restructure"] is False
    assert c.get(f"/api/v1/orgs/{sd.workshop.pk}").json()["can_restructure"] is True
    response = c.post(f"/api/v1/orgs/{sd.steel.pk}/deactivate", json.dumps({"reason": "x"}),
                      content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    message = response.json()["detail"]
    assert "only the union above it" in message and sd.steel.name in message
    assert fresh(sd.steel).is_active
    # The units below it are theirs to deactivate and reactivate.
    assert c.post(f"/api/v1/orgs/{sd.workshop.pk}/deactivate", json.dumps({"reason": "撤并"}),
                  content_type="application/json").status_code == 200
    assert c.post(f"/api/v1/orgs/{sd.workshop.pk}/reactivate").status_code == 200
    # Moving the own org is refused with the same message.
    response = c.post(f"/api/v1/orgs/{sd.steel.pk}/move", json.dumps({"parent": sd.steel.pk}),
                      content_type="application/json")
    assert response.status_code == 403 and response.json()["detail"] == message


@pytest.mark.parametrize("persona, own, below", [
    ("county_cadre", "lixia", "town"),  # staff
    ("jinan_cadre", "jinan", "lixia"),  # admin: the province, not the city itself, deactivates the city
    ("industry_cadre", "metallurgy", "steel"),  # an industry union's affiliate lies below it
])
def test_every_role_deactivates_only_units_strictly_below_its_org(sd, persona, own, below):
    actor, own, below = getattr(sd, persona), getattr(sd, own), getattr(sd, below)
    with pytest.raises(PermissionDeniedError):
        services.deactivate_org(actor=actor, org=own, reason="x")
    assert fresh(own).is_active
    services.deactivate_org(actor=actor, org=below, reason="撤并")
    services.reactivate_org(actor=actor, org=below)
    assert fresh(below).is_active


def test_a_role_cannot_move_or_reactivate_its_own_org(sd):
    two = factories.user("two_cities", (sd.lixia, Role.STAFF), (sd.qingdao, Role.STAFF))
    with pytest.raises(PermissionDeniedError):  # 历下区 under 青岛: both are theirs to change, 历下区 not to move
        services.move_org(actor=two, org=sd.lixia, new_parent=sd.qingdao)
    assert fresh(sd.lixia).path == sd.lixia.path
    services.move_org(actor=sd.province_admin, org=sd.lixia, new_parent=sd.qingdao)  # the union above may
    services.move_org(actor=sd.province_admin, org=sd.lixia, new_parent=sd.jinan)
    # Reactivating: a role on a deactivated org gives no rights at all; a role on the unit above does.
    services.deactivate_org(actor=sd.province_admin, org=sd.town, reason="撤并")
    town_staff = factories.user("town_staff", (sd.town, Role.STAFF))
    with pytest.raises(PermissionDeniedError):
        services.reactivate_org(actor=town_staff, org=sd.town)
    with pytest.raises(PermissionDeniedError):
        services.reactivate_org(actor=two, org=sd.lixia)
    services.reactivate_org(actor=sd.county_cadre, org=sd.town)
    assert fresh(sd.town).is_active


def test_own_org_details_stay_editable_but_not_its_kind_or_industry_union(sd):
    services.update_org(actor=sd.enterprise_cadre, org=sd.steel, contact_name="赵会计", contact_phone="0531-88886666",
                        address="工业北路21号")
    assert fresh(sd.steel).contact_name == "赵会计"
    with pytest.raises(PermissionDeniedError):
        services.update_org(actor=sd.enterprise_cadre, org=sd.steel, industry_union=None)
    with pytest.raises(PermissionDeniedError):
        services.update_org(actor=sd.county_cadre, org=sd.lixia, kind=OrgKind.TOWN)
    assert fresh(sd.steel).industry_union_id == sd.metallurgy.pk and fresh(sd.lixia).kind == OrgKind.COUNTY
    # Sending the same values back (a form saved as it was) is not a change of structure.
    services.update_org(actor=sd.enterprise_cadre, org=sd.steel, industry_union=sd.metallurgy, kind=sd.steel.kind)


def test_the_county_page_hides_the_buttons_on_its_own_org_and_refuses_the_posts(client, sd):
    client.force_login(sd.county_cadre)
    page = client.get(reverse("orgs:org_detail", args=[sd.lixia.pk]))
    html = text(page)
    assert page.context["can_change"] and not page.context["can_restructure"]
    assert reverse("orgs:org_edit", args=[sd.lixia.pk]) in html  # its own contact details
    for name in ("org_deactivate", "org_move", "org_reactivate"):
        assert reverse(f"orgs:{name}", args=[sd.lixia.pk]) not in html, name
    for name in ("org_deactivate", "org_move"):
        response = client.get(reverse(f"orgs:{name}", args=[sd.lixia.pk]))
        assert response.status_code == 403 and "only the union above it" in text(response), name
    response = client.post(reverse("orgs:org_deactivate", args=[sd.lixia.pk]), {"reason": "x"})
    assert response.status_code == 403 and "only the union above it" in text(response)
    assert fresh(sd.lixia).is_active
    # The edit form does not offer the kind or the industry union of its own org.
    form = client.get(reverse("orgs:org_edit", args=[sd.lixia.pk])).context["form"]
    assert form.fields["kind"].disabled and form.fields["industry_union"].disabled
    # A unit below keeps every button.
    html = text(client.get(reverse("orgs:org_detail", args=[sd.town.pk])))
    assert (
        reverse("orgs:org_deactivate", args=[sd.town.pk]) in html
        and reverse("orgs:org_move", args=[sd.town.pk]) in html
    )


# ---------------------------------------------------------------------------------------------
# 10a. A refusal to grant a role never names an org outside the admin's sight


NOT_IN_LIST = "Choose the organisation from the list."


@pytest.fixture
def english():
    """The services' messages in English, as the pages of this module are asked for (Accept-Language: en)."""
    with translation.override("en"):
        yield


@pytest.mark.usefixtures("english")
def test_granting_on_an_org_out_of_sight_is_answered_as_if_it_did_not_exist(sd):
    for call in (
        lambda: services.grant_role(actor=sd.jinan_cadre, user=sd.county_cadre, org=sd.qingdao, role=Role.VIEWER),
        lambda: services.create_cadre_account(actor=sd.jinan_cadre, username="qd_new", full_name="某人",
                                              password="Strong-Pass-2026", org=sd.qd_enterprise, role=Role.VIEWER),
    ):
        with pytest.raises(DomainError) as e:
            call()
        assert e.value.message == NOT_IN_LIST and e.value.errors == {"org": NOT_IN_LIST}
        assert "青岛" not in str(e.value.errors) and e.value.code == "not_found"
    assert not User.objects.filter(username="qd_new").exists()
    # An org the admin can see but not administer is still named: nothing is revealed.
    lixia_admin = factories.user("lixia_admin", (sd.lixia, Role.ADMIN), (sd.jinan, Role.VIEWER))
    with pytest.raises(PermissionDeniedError) as e:
        services.grant_role(actor=lixia_admin, user=sd.county_cadre, org=sd.jinan, role=Role.VIEWER)
    assert "济南市总工会" in e.value.message


def test_the_grant_page_answers_an_out_of_sight_org_exactly_as_a_missing_one(client, sd):
    client.force_login(sd.jinan_cadre)
    url = reverse("orgs:account_grant", args=[sd.county_cadre.pk])
    outside = client.post(url, {"org": sd.qingdao.pk, "role": Role.VIEWER})
    missing = client.post(url, {"org": 999999, "role": Role.VIEWER})
    assert outside.status_code == missing.status_code == 200
    assert outside.context["form"].errors == missing.context["form"].errors == {"org": [NOT_IN_LIST]}
    assert "青岛市总工会" not in text(outside) and outside.context["chosen"] is None
    response = client.post(reverse("orgs:account_create"), {
        "username": "qd_new", "full_name": "某人", "phone": "", "password": "Strong-Pass-2026",
        "org": sd.qingdao.pk, "role": Role.VIEWER})
    assert response.context["form"].errors == {"org": [NOT_IN_LIST]} and "青岛市总工会" not in text(response)
    assert not RoleGrant.objects.filter(org=sd.qingdao).exclude(user=sd.qingdao_cadre).exists()


# ---------------------------------------------------------------------------------------------
# 10b. Passwords: not like the user name, not the current one again


@pytest.mark.parametrize("new", ["jinan_cadre", "jinan_cadre1", "Jinan-Cadre-2026", "13800000001"])
def test_a_password_like_the_user_name_or_phone_is_refused(sd, new):
    with pytest.raises(DomainError) as e:
        services.change_password(actor=sd.jinan_cadre, old_password=PASSWORD, new_password=new)
    assert "password" in e.value.errors
    assert User.objects.get(pk=sd.jinan_cadre.pk).check_password(PASSWORD)


def test_opening_an_account_with_a_password_like_its_user_name_is_refused(sd):
    for username, password in (("lixia_admin", "lixia_admin2026"), ("sunli2026", "Sunli-2026")):
        with pytest.raises(DomainError) as e:
            services.create_cadre_account(actor=sd.jinan_cadre, username=username, full_name="孙丽",
                                          password=password, org=sd.lixia, role=Role.STAFF)
        assert "password" in e.value.errors
    worker = factories.person(sd.steel, "刘敏", mobile="13900000066")
    with pytest.raises(DomainError) as e:
        services.create_worker_account(actor=sd.enterprise_cadre, person=worker, username="liumin",
                                       password="liumin123")
    assert "password" in e.value.errors
    assert not User.objects.filter(username__in=["lixia_admin", "sunli2026", "liumin"]).exists()


@pytest.mark.usefixtures("english")
def test_the_current_password_cannot_be_chosen_again(client, sd):
    with pytest.raises(DomainError) as e:
        services.change_password(actor=sd.jinan_cadre, old_password=PASSWORD, new_password=PASSWORD)
    assert e.value.errors["password"] == "The new password must differ from the current one."
    client.force_login(sd.jinan_cadre)
    response = client.post(reverse("orgs:password_change"), {"old_password": PASSWORD, "new_password": PASSWORD,
                                                         "new_password2": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors == {"new_password": ["The new password must differ from the current one."]}


# ---------------------------------------------------------------------------------------------
# 10c. Disabling an account revokes its API tokens: enabling it again does not revive them


def test_disabling_an_account_revokes_its_tokens_for_good(sd):
    token, key = services.issue_api_token(actor=sd.county_cadre, name="人事系统")
    old, _old_key = services.issue_api_token(actor=sd.county_cadre, name="旧的")
    services.revoke_api_token(actor=sd.county_cadre, token=old)
    revoked_before = ApiToken.objects.get(pk=old.pk).revoked_at
    c = Client()
    assert c.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    services.set_account_active(actor=sd.jinan_cadre, user=sd.county_cadre, active=False)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.get(pk=old.pk).revoked_at == revoked_before  # an earlier revocation is kept
    event = AuditEvent.objects.get(verb="orgs.token.revoked", object_id=str(token.pk))
    assert event.actor == sd.jinan_cadre
    services.set_account_active(actor=sd.jinan_cadre, user=sd.county_cadre, active=True)
    assert c.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert not ApiToken.objects.filter(user=sd.county_cadre, revoked_at=None).exists()
