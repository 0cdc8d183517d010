"""PDF documents (admission tickets, certificates) from Django templates through WeasyPrint, with QR codes
(segno, as inline SVG). Chinese text needs a CJK font on the machine (fonts-noto-cjk, installed by the
Makefile); templates name "Noto Sans CJK SC" / "Noto Serif CJK SC" in their CSS."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def qr_data_uri(text: str, scale: int = 4) -> str:
    """A QR code of `text` as an SVG data URI (for <img src> in a PDF or a page)."""
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=scale, border=2)


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    import weasyprint

    html = render_to_string(template, context, request=request)
    base = request.build_absolute_uri("/") if request is not None else None
    pdf: bytes = weasyprint.HTML(string=html, base_url=base).write_pdf()  # weasyprint has no types
    return pdf


def pdf_response(data: bytes, filename: str, inline: bool = True) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response
