"""Which files a proposal may carry: documents, drawings and photos, by extension AND by their first bytes (a
renamed executable is refused), up to MAX_BYTES each and MAX_FILES per proposal."""

from __future__ import annotations

from typing import Final

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
