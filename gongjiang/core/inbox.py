"""The inbox (消息): an account's notifications, newest first, unread ones marked; opening one marks it read and
follows its link; "mark all read". Only the recipient reaches a notification (anyone else gets a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import notifications
from .pages import paginate, render_page
from .types import logged_in

PER_PAGE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's messages; ?unread=1 lists the unread ones only."""
    only_unread = request.GET.get("unread") == "1"
    qs = notifications.inbox(request.user)
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = paginate(request, qs.only("pk", "title", "body", "url", "created_at", "read_at"), per_page=PER_PAGE)
    # the unread count is the header's (context processor `inbox_badge`): one COUNT per page
    return render_page(request, "core/inbox.html", {"page": page, "only_unread": only_unread},
                       fragment="core/_inbox_list.html")


@login_required
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a message: it is read now; its link is followed (a message without one shows in the inbox)."""
    notification = get_object_or_404(notifications.inbox(request.user), pk=pk)
    notifications.mark_read(logged_in(request.user), notification)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect(reverse("core:inbox") + f"#n-{notification.pk}")


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_all_read(logged_in(request.user))
    if count:
        messages.success(request, _("All messages are marked as read."))
    return redirect("core:inbox")
