"""Stored files (a proposal's attachment, a project's file, a nomination's materials): which files are accepted —
documents, drawings and photos, by extension AND by their first bytes (a renamed executable is refused), up to
MAX_BYTES each —, the random name a file is stored under outside the web root, what every file row keeps, and the
download that serves one only after the caller's scoped view found it. Shared by every app that takes uploads (the
checks are pure; the row and the download are the one way to keep and serve a file)."""

from __future__ import annotations

import uuid
from typing import Final

from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

MAX_BYTES: Final = 10 * 1024 * 1024  # 10 MB: a phone photo or a scanned page, not a video
MAX_FILES: Final = 12

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc / .xls (Office 97–2003)
# extension → accepted leading bytes
SIGNATURES: Final[dict[str, tuple[bytes, ...]]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "pptx": (ZIP,),
    "doc": (OLE,),
    "xls": (OLE,),
}
ALLOWED: Final = tuple(sorted(SIGNATURES))
CONTENT_TYPES: Final[dict[str, str]] = {
    "pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword", "xls": "application/vnd.ms-excel",
}


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def problem(name: str, size: int, head: bytes) -> str | None:
    """Why a file is refused: "type" (extension not allowed, or content not matching it), "size" (empty or over
    MAX_BYTES), or None when it is accepted."""
    ext = extension(name)
    if ext not in SIGNATURES or not any(head.startswith(sig) for sig in SIGNATURES[ext]):
        return "type"
    if size <= 0 or size > MAX_BYTES:
        return "size"
    return None


def stored_name(folder: str, filename: str) -> str:
    """A file's name under MEDIA_ROOT: random, in `folder`, keeping only the extension (never served by the web
    server: downloads go through the scoped views); the name the user gave is kept in the row's `name`."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{uuid.uuid4().hex}.{ext}"


class StoredFile(models.Model):
    """What every stored file keeps beside the file itself (a proposal's attachment, a project's file, an
    achievement's or a nomination's material): the name the user gave, its size and type, who uploaded it and when.
    The file is stored under a random name (`stored_name`) and served only through the owner's scoped download
    view (`serve_file`)."""

    name = models.CharField(_("file name"), max_length=120)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


def serve_file(file: FieldFile, name: str, content_type: str) -> FileResponse:
    """A stored file as a download (never served by the web server itself; the caller has checked the scope)."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
