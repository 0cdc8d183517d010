"""Public notices (公示) as a shared service: an app registers its kind of notice, publishes one (a period, maybe in
working days of the Chinese calendar), shows the objection form on its public page, and reacts when the notice
closes. See docs/architecture.md, "Public notices".

    from gongjiang.core import notices
    notices.register_kind("competitions.round_results", title=..., on_closed=..., public_url=..., items=...)
    notice = notices.publish(actor=user, kind="competitions.round_results", owner=rnd, org_path=..., ...)
"""

from __future__ import annotations

from .registry import NoticeItem, NoticeKind, kind_of, register_kind, registered
from .services import (
    add_note,
    can_manage,
    close_due,
    close_if_due,
    decide_objection,
    file_objection,
    notice_of,
    open_objections,
    publish,
    read_objector,
)

__all__ = [
    "NoticeItem", "NoticeKind", "add_note", "can_manage", "close_due", "close_if_due", "decide_objection",
    "file_objection", "kind_of", "notice_of", "open_objections", "publish", "read_objector", "register_kind",
    "registered",
]
