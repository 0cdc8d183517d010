"""The public verification page a certificate's QR code opens (no log-in): what the certificate states, and whether
it is valid or was revoked (when, and why). Nothing beyond what is printed on it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone

from ..models.certificates import IssuedCertificate
from .registry import kind_of
from .services import stated_lines


def certificate_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Valid (with the certificate's particulars), revoked (with the date and the reason), or unknown (404)."""
    doc = IssuedCertificate.objects.filter(token=token).first() if len(token) <= 32 else None
    context: dict[str, Any] = {"doc": doc}
    if doc is not None:
        kind = kind_of(doc.kind)
        context.update({"heading": kind.title, "title_label": kind.title_label, "lines": stated_lines(doc),
                        "issued_on": timezone.localtime(doc.issued_at).date()})
    return render(request, "core/certificates/verify.html", context, status=200 if doc is not None else 404)


urlpatterns: list[URLPattern] = [
    # The path printed (as a QR code) on every certificate since the first: it must never change.
    path("public/certificates/<str:token>/", certificate_verify, name="certificate_verify"),
]
