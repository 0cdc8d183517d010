"""Which files a proposal may carry: documents, drawings and photos, by extension AND by their first bytes (a
renamed executable is refused), up to MAX_BYTES each and MAX_FILES per proposal. The checks are core's
(`core.files`), shared with every app that takes uploads."""

from __future__ import annotations

from gongjiang.core.files import ALLOWED, CONTENT_TYPES, MAX_BYTES, MAX_FILES, OLE, SIGNATURES, ZIP, extension, problem

__all__ = ["ALLOWED", "CONTENT_TYPES", "MAX_BYTES", "MAX_FILES", "OLE", "SIGNATURES", "ZIP", "extension", "problem"]
