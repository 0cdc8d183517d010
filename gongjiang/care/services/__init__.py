"""The archive's verbs, the only writers (DESIGN §4.13): the local threshold, filing, changes and exits through
requests (check, approve, return), the yearly review, and the audited reading and export of personal data."""

from .access import export_files, open_file
from .aid import (
    add_entitlement,
    approve_cycle,
    build_cycle,
    close_cycle,
    confirm_list,
    create_cycle,
    create_programme,
    export_batch,
    make_bank_batch,
    reconcile_batch,
    record_payment,
    remove_entitlement,
    set_budget,
    set_payee_account,
)
from .files import (
    approve_request,
    check_request,
    file_household,
    request_change,
    request_exit,
    return_request,
    review_file,
)
from .jobs import create_job_offer, match_offer, record_outcome
from .settings import set_threshold

__all__ = ["add_entitlement", "approve_cycle", "approve_request", "build_cycle", "check_request", "close_cycle",
           "confirm_list", "create_cycle", "create_job_offer", "create_programme", "export_batch", "export_files",
           "file_household", "make_bank_batch", "match_offer", "open_file", "reconcile_batch", "record_outcome",
           "record_payment", "remove_entitlement", "request_change", "request_exit", "return_request",
           "review_file", "set_budget", "set_payee_account", "set_threshold"]
