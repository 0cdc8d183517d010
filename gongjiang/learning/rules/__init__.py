"""The learning app's pure rules (no database): scoring, drawing, and the fingerprint questions are de-duplicated
by."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence


def banks_fingerprint(stem: str, options: Sequence[str]) -> str:
    """The hash of a question's stem and options, normalised (NFKC, case-folded, spaces collapsed; options in any
    order), which two copies of one question share."""

    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().casefold()

    joined = norm(stem) + "\x1e" + "\x1f".join(sorted(norm(o) for o in options))
    return hashlib.sha256(joined.encode()).hexdigest()
