"""The one error type services raise; views and the API turn it into a Chinese message."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refused action: the message is for the user (translated), `field` names the bad input.

    `errors` may carry several field messages at once ({field: message}).
    """

    def __init__(self, message: Any, *, field: str | None = None, errors: dict[str, Any] | None = None,
                 code: str = "invalid", status: int = 400) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.errors = {k: str(v) for k, v in (errors or {}).items()}
        if field and field not in self.errors:
            self.errors[field] = self.message
        self.code = code
        self.status = status


class PermissionDeniedError(DomainError):
    def __init__(self, message: Any, **kwargs: Any) -> None:
        kwargs.setdefault("code", "forbidden")
        kwargs.setdefault("status", 403)
        super().__init__(message, **kwargs)
