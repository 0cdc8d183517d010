"""The archive's verbs, the only writers (DESIGN §4.13): the local threshold, filing, changes and exits through
requests (check, approve, return), the yearly review, and the audited reading and export of personal data."""

from .access import export_files, open_file
from .files import (
    approve_request,
    check_request,
    file_household,
    request_change,
    request_exit,
    return_request,
    review_file,
)
from .settings import set_threshold

__all__ = ["approve_request", "check_request", "export_files", "file_household", "open_file", "request_change",
           "request_exit", "return_request", "review_file", "set_threshold"]
