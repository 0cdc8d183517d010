"""Security and privacy of accounts and of the org tree (issue 8), as a specification:

- an administrator manages an account (disables, enables it) only when every role it holds lies inside their
  subtree; roles inside the subtree they may still grant and revoke;
- nobody deactivates, reactivates or moves the org their own role sits on (only units strictly below it);
- a refusal to grant a role never names an org outside the admin's sight;
- passwords like the user name, or the current password again, are refused;
- disabling an account revokes its API tokens, so enabling it again does not revive them.

Pages are read in English (Accept-Language: en) so the assertions do not depend on the compiled catalogue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongjiang.core.errors import PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.orgs import services
from gongjiang.orgs.choices import Role
from gongjiang.orgs.models import RoleGrant, User
from gongjiang.orgs.tests import factories


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
    listed = [a.username for a in client.get(reverse("account_list")).context["page"]]
    assert "qingdao_cadre" in listed
    page = client.get(reverse("account_detail", args=[sd.qingdao_cadre.pk]))
    html = text(page)
    assert page.status_code == 200 and not page.context["can_manage"]
    assert reverse("account_set_active", args=[sd.qingdao_cadre.pk]) not in html
    assert "青岛市总工会" not in html  # the role outside the subtree is counted, not named
    assert "1 more role outside the organisations you administer" in html
    response = client.post(reverse("account_set_active", args=[sd.qingdao_cadre.pk]), {"active": "0"}, follow=True)
    assert "every role it holds" in text(response)
    assert active(sd.qingdao_cadre)
    assert not AuditEvent.objects.filter(verb="orgs.account.deactivated").exists()
    # Roles inside the subtree are still the Jinan admin's to grant and revoke.
    response = client.post(reverse("account_grant", args=[sd.qingdao_cadre.pk]), {"org": sd.town.pk,
                                                                                    "role": Role.VIEWER})
    assert response.status_code == 302 and RoleGrant.objects.filter(user=sd.qingdao_cadre, org=sd.town).exists()
    client.post(reverse("account_revoke", args=[sd.qingdao_cadre.pk, qingdao_in_lixia.pk]))
    assert not RoleGrant.objects.filter(pk=qingdao_in_lixia.pk).exists()


def test_an_account_wholly_inside_the_subtree_keeps_its_buttons(client, sd):
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("account_detail", args=[sd.county_cadre.pk]))
    assert page.context["can_manage"]
    assert reverse("account_set_active", args=[sd.county_cadre.pk]) in text(page)
    client.post(reverse("account_set_active", args=[sd.county_cadre.pk]), {"active": "0"})
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
