"""Log-in throttling, as a specification: repeated failures lock out the ADDRESS they come from (for that account,
then for every account), never the account itself — the victim still logs in from their own address; every
refusal says the same thing whether or not the account exists; the client address is REMOTE_ADDR unless
LOGIN_TRUSTED_PROXIES says how many proxies in front of us append to X-Forwarded-For.

Pages are read in English (Accept-Language: en) so the assertions do not depend on the compiled catalogue."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from gongjiang.orgs import services, throttle
from gongjiang.orgs.models import LoginAttempt, User

PASSWORD = "Gongjiang-2026"
ATTACKER, VICTIM, OTHER = "203.0.113.9", "198.51.100.7", "192.0.2.44"
REFUSED = "The user name or password is wrong, or there were too many attempts; please try again later."


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_MAX_FAILURES = 5
    settings.LOGIN_LOCKOUT_MINUTES = 15
    settings.LOGIN_CLIENT_MAX_FAILURES = 20
    settings.LOGIN_ACCOUNT_MAX_FAILURES = 50
    settings.LOGIN_TRUSTED_PROXIES = 0


def attempt(address: str, login: str, password: str = PASSWORD, **headers: str):
    """One log-in from `address`, in a fresh browser (no session shared between attempts)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address, **headers)
    response = client.post(reverse("orgs:login"), {"username": login, "password": password})
    response.logged_in = "_auth_user_id" in client.session
    return response


def errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


def test_a_locked_out_attacker_address_does_not_lock_the_victim(sd):
    for _ in range(5):
        response = attempt(ATTACKER, "jinan_cadre", "guess-123456")
        assert not response.logged_in and errors(response) == [REFUSED]
    # The attacker's address is locked out of this account, even with the right password ...
    response = attempt(ATTACKER, "jinan_cadre")
    assert not response.logged_in and errors(response) == [REFUSED]
    # ... the victim, from their own address, is not: by user name or by mobile number.
    assert attempt(VICTIM, "jinan_cadre").logged_in
    assert attempt(VICTIM, "13800000001").logged_in
    # And the account itself is neither locked nor disabled.
    assert User.objects.get(pk=sd.jinan_cadre.pk).is_active


def test_every_refusal_says_the_same_whether_or_not_the_account_exists(sd):
    pages = [attempt(ATTACKER, "nobody-at-all", "guess-123456"), attempt(ATTACKER, "jinan_cadre", "guess-123456")]
    for _ in range(5):  # lock the address out of both names
        attempt(OTHER, "nobody-at-all", "guess-123456")
        attempt(OTHER, "jinan_cadre", "guess-123456")
    pages += [attempt(OTHER, "nobody-at-all", "guess-123456"), attempt(OTHER, "jinan_cadre", PASSWORD)]
    for page in pages:
        assert page.status_code == 200 and not page.logged_in
        assert errors(page) == [REFUSED]
        html = page.content.decode()
        assert "locked" not in html.lower() and "more failed attempts" not in html


def test_an_address_failing_on_many_accounts_is_refused_for_every_account(sd):
    for i in range(20):
        attempt(ATTACKER, f"cadre{i}", "guess-123456")
    response = attempt(ATTACKER, "jinan_cadre")  # a name never tried from there, with the right password
    assert not response.logged_in and errors(response) == [REFUSED]
    assert attempt(VICTIM, "jinan_cadre").logged_in


def test_a_distributed_attack_on_one_account_still_lets_the_owner_in_from_a_known_address(sd):
    assert attempt(VICTIM, "jinan_cadre").logged_in  # the owner's usual address
    for i in range(10):
        for _ in range(5):
            attempt(f"203.0.113.{100 + i}", "jinan_cadre", "guess-123456")
    # The account has had 50 failures from many addresses: a new address is refused, even with the password ...
    assert not attempt(OTHER, "jinan_cadre").logged_in
    # ... the owner's known address is not.
    assert attempt(VICTIM, "jinan_cadre").logged_in


def test_the_lock_out_passes_after_the_configured_minutes(sd):
    for _ in range(5):
        attempt(ATTACKER, "jinan_cadre", "guess-123456")
    assert not attempt(ATTACKER, "jinan_cadre").logged_in
    LoginAttempt.objects.update(at=timezone.now() - datetime.timedelta(minutes=15, seconds=1))
    assert attempt(ATTACKER, "jinan_cadre").logged_in


def test_a_successful_log_in_clears_the_failures_of_that_address(sd):
    for _ in range(4):
        attempt(VICTIM, "jinan_cadre", "typo-123456")
    assert attempt(VICTIM, "jinan_cadre").logged_in
    for _ in range(4):
        attempt(VICTIM, "jinan_cadre", "typo-123456")
    assert attempt(VICTIM, "jinan_cadre").logged_in


def test_a_disabled_account_is_named_only_to_the_right_password_and_only_when_not_throttled(sd):
    services.set_account_active(actor=sd.province_admin, user=sd.county_cadre, active=False)
    response = attempt(VICTIM, "county_cadre")
    assert errors(response) == ["This account is disabled. Ask your union administrator to enable it."]
    assert errors(attempt(VICTIM, "county_cadre", "guess-123456")) == [REFUSED]
    for _ in range(5):
        attempt(ATTACKER, "county_cadre", "guess-123456")
    assert errors(attempt(ATTACKER, "county_cadre")) == [REFUSED]  # throttled: the password is not even checked


def test_old_failures_are_pruned(sd):
    attempt(ATTACKER, "jinan_cadre", "guess-123456")
    LoginAttempt.objects.update(at=timezone.now() - datetime.timedelta(hours=2))
    attempt(ATTACKER, "jinan_cadre", "guess-123456")
    assert LoginAttempt.objects.count() == 1


def test_the_stored_attempts_never_hold_a_typed_name_or_password(sd):
    attempt(ATTACKER, "Secret-Typed-In-Name", "guess-123456")
    attempt(ATTACKER, "jinan_cadre", "guess-123456")
    stored = " ".join(f"{a.client} {a.target}" for a in LoginAttempt.objects.all())
    assert "Secret" not in stored and "guess" not in stored and "jinan_cadre" not in stored


# ---------------------------------------------------------------------------------------------
# The client address


def request(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/login/", REMOTE_ADDR=remote, **extra)


def test_the_client_address_is_remote_addr_unless_proxies_are_trusted(settings):
    settings.LOGIN_TRUSTED_PROXIES = 0
    assert throttle.client_of(request("198.51.100.7", "1.2.3.4")) == "ip:198.51.100.7"  # a forged header is ignored
    settings.LOGIN_TRUSTED_PROXIES = 1  # nginx appends the address it saw
    assert throttle.client_of(request("127.0.0.1", "1.2.3.4, 198.51.100.7")) == "ip:198.51.100.7"
    settings.LOGIN_TRUSTED_PROXIES = 2  # a load balancer, then nginx
    assert throttle.client_of(request("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.2")) == "ip:198.51.100.7"
    # Fewer entries than trusted proxies: the first one (the nearest we have), never the proxy itself.
    assert throttle.client_of(request("127.0.0.1", "198.51.100.7")) == "ip:198.51.100.7"
    assert throttle.client_of(request("198.51.100.7")) == "ip:198.51.100.7"


def test_an_ipv6_client_is_its_64_bit_network(settings):
    settings.LOGIN_TRUSTED_PROXIES = 0
    a = throttle.client_of(request("2001:db8:1:2::5"))
    b = throttle.client_of(request("2001:db8:1:2:ffff::9"))
    assert a == b == "ip:2001:db8:1:2::/64"
    assert throttle.client_of(request("2001:db8:1:3::5")) != a
    assert throttle.client_of(request("not-an-address")) == "ip:not-an-address"


def test_the_same_rules_count_behind_a_trusted_proxy(sd, settings):
    settings.LOGIN_TRUSTED_PROXIES = 1
    proxy = "127.0.0.1"
    for _ in range(5):
        attempt(proxy, "jinan_cadre", "guess-123456", HTTP_X_FORWARDED_FOR=f"1.1.1.1, {ATTACKER}")
    assert not attempt(proxy, "jinan_cadre", HTTP_X_FORWARDED_FOR=ATTACKER).logged_in
    assert attempt(proxy, "jinan_cadre", HTTP_X_FORWARDED_FOR=f"{ATTACKER}, {VICTIM}").logged_in
