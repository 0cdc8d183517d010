from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .middleware import user_scopes


def scope(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"gj_modules": settings.GONGJIANG_MODULES}
    scopes = user_scopes(user)
    current = getattr(request, "scope_org", None)
    return {
        "gj_modules": settings.GONGJIANG_MODULES,
        "user_scopes": scopes,
        "scope_org": current if scopes else None,
    }
