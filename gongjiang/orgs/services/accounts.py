"""Accounts and what they may do: granting and revoking roles (an admin grants at most admin, inside their own
subtree), opening cadre and worker accounts, passwords, enabling and disabling accounts, the scope a user
switched to, and personal API tokens (the clear key is shown once and never stored)."""

from __future__ import annotations

import secrets
from typing import NoReturn

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.ids import IdentifierError, validate_mobile
from gongjiang.core.services import require, verb

from .. import rules, scoping, throttle
from ..choices import Role
from ..models import ApiToken, Org, Person, RoleGrant, User


def _grants_of(actor: User) -> list[tuple[str, str]]:
    return list(RoleGrant.objects.filter(user_id=actor.pk, org__is_active=True).values_list("role", "org__path"))


def _refuse_org(actor: User, org: Org, message: str) -> NoReturn:
    """Refuse a role or an account on `org`. An org out of the actor's sight is answered exactly as an id that
    does not exist (the form's own message), so that trying ids does not reveal the names of other cities'
    units; an org they can see is named."""
    if org.in_scope(actor, "view"):
        raise PermissionDeniedError(message % {"org": org.name}, field="org")
    raise DomainError(_("Choose the organisation from the list."), field="org", code="not_found", status=404)


@verb
def grant_role(*, actor: User, user: User, org: Org, role: str) -> RoleGrant:
    """Give `user` a role on `org`. An admin grants at most admin, and only inside their own subtree."""
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    if not getattr(actor, "is_superuser", False) and not rules.can_grant(_grants_of(actor), role, org.path):
        _refuse_org(actor, org, _("You can grant roles only inside the organisations you administer (%(org)s is "
                                  "outside)."))
    if not org.is_active:
        raise DomainError(_("%(org)s is deactivated.") % {"org": org.name}, field="org")
    grant, created = RoleGrant.objects.get_or_create(user=user, org=org, role=role,
                                                     defaults={"granted_by": actor})
    if not created:
        raise DomainError(_("%(user)s already holds this role on %(org)s.") % {"user": user, "org": org.name},
                          field="role")
    audit.record(actor, "orgs.role.granted", grant, after={"user": user.username, "role": role, "org": org.name})
    scoping.forget(user)
    return grant


@verb
def revoke_role(*, actor: User, grant: RoleGrant) -> None:
    grant = RoleGrant.objects.select_related("org", "user").get(pk=grant.pk)
    if not getattr(actor, "is_superuser", False) and not rules.can_grant(_grants_of(actor), grant.role,
                                                                          grant.org.path):
        raise PermissionDeniedError(_("You can revoke roles only inside the organisations you administer."))
    if grant.user_id == actor.pk and grant.role == Role.ADMIN and not actor.is_superuser:
        raise DomainError(_("You cannot revoke your own administrator role."))
    audit.record(actor, "orgs.role.revoked", grant, before={"user": grant.user.username, "role": grant.role,
                                                            "org": grant.org.name})
    grant.delete()


def _valid_username(username: str) -> bool:
    try:
        User.username_validator(username)
    except ValidationError:
        return False
    return len(username) <= 150


def _clean_password(password: str, user: User) -> None:
    """AUTH_PASSWORD_VALIDATORS, with the account (saved or about to be) so that a password like its user name,
    full name or phone is refused, and the current one cannot be chosen again."""
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise DomainError(" ".join(e.messages), field="password") from None


def _new_account(username: str, full_name: str, password: str, phone: str = "") -> User:
    """Check a new account's user name, phone and password (every field's problem at once; a user name in use is
    code "username_taken") and save it. The verbs that call this have checked the permission and audit it."""
    username = username.strip()
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = _("Please enter the user name.")
    elif not _valid_username(username):
        errors["username"] = _("A user name may contain only letters, digits and @ . + - _ characters.")
    elif User.objects.filter(username=username).exists():
        errors["username"] = _("The user name %(u)s is taken.") % {"u": username}
    taken = "username" in errors and User.objects.filter(username=username).exists()
    if phone:
        try:
            phone = validate_mobile(phone)
        except IdentifierError as e:
            errors["phone"] = str(e)
        else:
            if User.objects.filter(phone=phone).exists():
                errors["phone"] = _("This mobile number already has an account.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors, code="username_taken" if taken else "invalid")
    user = User(username=username, full_name=full_name.strip(), phone=phone or None)
    _clean_password(password, user)
    user.set_password(password)
    user.save()
    return user


@verb
def create_cadre_account(*, actor: User, username: str, full_name: str, password: str, org: Org, role: str,
                         phone: str = "") -> User:
    """An admin opens a cadre account with one role on an org of their subtree."""
    if not getattr(actor, "is_superuser", False) and not rules.can_grant(_grants_of(actor), role, org.path):
        _refuse_org(actor, org, _("You can open accounts only inside the organisations you administer (%(org)s "
                                  "is outside)."))
    user = _new_account(username, full_name, password, phone)
    grant_role(actor=actor, user=user, org=org, role=role)
    audit.record(actor, "orgs.account.created", user, after={"username": user.username, "full_name": full_name},
                 org=org)
    return user


# An initial password read out or handed over on paper: no 0/O, 1/l/I.
_PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def _initial_password() -> str:
    chars = "".join(secrets.choice(_PASSWORD_ALPHABET) for _i in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


@verb
def create_account(*, actor: User, org: Org, username: str, full_name: str) -> tuple[User, str]:
    """An account with no role, for someone a union appoints to a task of another app (a judge of its pool, an
    evaluator): opened by whoever may change `org`, under which it is audited, since it can do nothing until that
    app gives it something to do. Its initial password is generated and returned once, to be shown once."""
    require(org, actor, "change")
    password = _initial_password()
    user = _new_account(username, full_name, password)
    audit.record(actor, "orgs.account.created", user, after={"username": user.username, "full_name": user.full_name},
                 org=org)
    return user, password


@verb
def create_worker_account(*, actor: User, person: Person, username: str, password: str) -> User:
    """A self-service account for a worker, linked to their record; log-in by user name or phone."""
    require(person.employer, actor, "change")
    if User.objects.filter(person=person).exists():
        raise DomainError(_("%(name)s already has an account.") % {"name": person.name})
    if User.objects.filter(username=username).exists():
        raise DomainError(_("The user name %(u)s is taken.") % {"u": username}, field="username")
    phone = person.mobile or None
    if phone and User.objects.filter(phone=phone).exists():
        phone = None
    user = User(username=username.strip(), full_name=person.name, person=person, phone=phone)
    _clean_password(password, user)
    user.set_password(password)
    user.save()
    audit.record(actor, "orgs.account.created", user, after={"username": username, "person": person.pk},
                 org=person.employer)
    return user


@verb
def change_password(*, actor: User, old_password: str, new_password: str) -> None:
    if not actor.check_password(old_password):
        raise DomainError(_("The current password is wrong."), field="old_password")
    _clean_password(new_password, actor)
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit.record(actor, "orgs.account.password_changed", actor)


def _require_account_manager(actor: User, user: User) -> None:
    """Disabling, enabling, resetting or editing an account needs an administrator of EVERY role it holds
    (`User.can_manage_account`): a city admin must not lock out a cadre of another city who also holds a role in
    theirs. Granting and revoking roles inside one's own subtree is `rules.can_grant`'s question."""
    if not user.can_manage_account(actor):
        raise PermissionDeniedError(_("You manage an account only when every role it holds lies inside the "
                                      "organisations you administer; ask the administrator of a union above all "
                                      "of them."))


@verb
def set_account_active(*, actor: User, user: User, active: bool) -> User:
    _require_account_manager(actor, user)
    if user.pk == actor.pk:
        raise DomainError(_("You cannot deactivate your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(actor, "orgs.account.activated" if active else "orgs.account.deactivated", user)
    if active:
        throttle.clear(throttle.target_of(user, ""))  # a fresh start: no address stays refused
    else:
        _revoke_tokens_of(actor, user)
    return user


def _revoke_tokens_of(actor: User, user: User) -> None:
    """Disabling an account revokes its API tokens for good: enabling it again must not silently revive keys
    that may have leaked (the owner issues new ones). Each revocation is audited on the token."""
    now = timezone.now()
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at=None))
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=now)
    for token in tokens:
        token.revoked_at = now
        audit.record(actor, "orgs.token.revoked", token, note=_("The account was disabled."))


@verb
def set_current_scope(*, actor: User, org: Org) -> None:
    """Remember the scope the user switched to (restored at the next log-in). A preference, not audited."""
    if org.pk not in {o.pk for o in scoping.grant_orgs(actor)}:
        raise PermissionDeniedError(_("You hold no role on %(org)s.") % {"org": org.name}, field="org")
    if actor.current_scope_id != org.pk:
        actor.current_scope = org
        actor.save(update_fields=["current_scope"])


@verb
def issue_api_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; the clear key is returned once and never stored."""
    name = name.strip()
    if not name:
        raise DomainError(_("Please name the token (what it is for)."), field="name")
    key = "gj_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=key[3:11], key_hash=ApiToken.hash_key(key))
    audit.record(actor, "orgs.token.issued", token, after={"name": name, "prefix": token.prefix})
    return token, key


@verb
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDeniedError(_("This is not your token."))
    if token.revoked_at:
        raise DomainError(_("The token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, "orgs.token.revoked", token)
    return token
