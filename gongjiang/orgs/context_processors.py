from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .scoping import grant_orgs


def scope(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"gj_modules": settings.GONGJIANG_MODULES}
    scopes = grant_orgs(user)
    current = getattr(request, "scope_org", None)
    return {
        "gj_modules": settings.GONGJIANG_MODULES,
        "user_scopes": scopes,
        "scope_org": current if scopes else None,
        # evaluated only by the navigation of pages that show it (one query)
        "gj_is_judge": SimpleLazyObject(lambda: _is_judge(user)),
    }


def _is_judge(user: Any) -> bool:
    from gongjiang.competitions.models import Judge

    return Judge.objects.filter(user_id=user.pk, is_active=True).exists()
