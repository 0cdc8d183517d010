"""Certificates as a shared service: an app registers its kind, issues certificates (numbered per issuer and year),
prints them with core's PDF template (WeasyPrint, CJK fonts, a QR code of the verification link) and may revoke
them; `/public/certificates/<token>/` shows anyone what a certificate states, or that it was revoked. See
docs/architecture.md, "Certificates"."""

from __future__ import annotations

from .registry import CertificateKind, kind_of, register_kind
from .services import (
    Line,
    Statement,
    can_manage,
    format_number,
    issue,
    pdf_context,
    revoke,
    stated_lines,
    verification_url,
)

__all__ = [
    "CertificateKind", "Line", "Statement", "can_manage", "format_number", "issue", "kind_of", "pdf_context",
    "register_kind", "revoke", "stated_lines", "verification_url",
]
