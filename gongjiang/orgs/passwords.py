"""Password validators of our own (AUTH_PASSWORD_VALIDATORS): the new password must not be the current one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotCurrentPasswordValidator:
    """Refuse the account's current password as its new one (a change or a reset that changes nothing would
    leave a leaked password in use). Compares without `User.check_password`, which may re-hash and save."""

    def validate(self, password: str, user: Any = None) -> None:
        encoded = getattr(user, "password", "") or ""
        if getattr(user, "pk", None) and encoded and check_password(password, encoded):
            raise ValidationError(_("The new password must differ from the current one."), code="password_reused")

    def get_help_text(self) -> str:
        return _("Your new password must differ from your current one.")
