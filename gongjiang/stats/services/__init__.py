"""The statistics app's verbs (DESIGN §4.13): the annual report's narrative, and data requests (报表) — issuing one,
filling and reporting a return, sending it back, reminding, closing."""

from .reports import save_narrative
from .requests import close_request, issue_request, remind, save_return, send_back

__all__ = ["close_request", "issue_request", "remind", "save_narrative", "save_return", "send_back"]
