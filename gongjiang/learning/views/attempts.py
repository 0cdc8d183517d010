"""The attempt page (phone-first, one question per screen): the questions as shown, each answer saved as it is
given (static/learning/attempt.js posts it to `answer` with the attempt's ticket, keeps what could not be sent and
sends it again when the network is back, so a reload or a lost connection loses nothing), the server's remaining
time, and after submission the result and the review with the right answers. Without JavaScript the page is one
form of all the questions, saved and submitted at once."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongjiang.core.errors import DomainError
from gongjiang.core.types import logged_in

from .. import services
from ..links import return_url
from ..models import Attempt
from ..queries import attempts as queries
from ..rules.scoring import SEP
from ..tickets import read
from .sheet import questions_html


def _own_attempt(request: HttpRequest, pk: int) -> Attempt:
    person_id = getattr(request.user, "person_id", None)
    attempt = (Attempt.objects.select_related("level__challenge", "contest").filter(pk=pk, person_id=person_id).first()
               if person_id else None)
    if attempt is None:
        raise Http404
    return attempt


@login_required
def attempt_page(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, pk)
    now = timezone.now()
    if attempt.active and attempt.deadline + services.attempts.GRACE < now:
        attempt = services.submit(actor=logged_in(request.user), attempt=attempt, now=now)
    context = {"attempt": attempt, "back": return_url(attempt),
               "title": _title(attempt)}
    if attempt.active:
        shown, ticket = queries.sheet(attempt)
        context.update(shown=shown, questions=questions_html(shown), ticket=ticket,
                       remaining=max(0, int((attempt.deadline - now).total_seconds())), sep=SEP)
    else:
        context["review"] = queries.review(attempt)
    return render(request, "learning/attempt.html", context)


def _title(attempt: Attempt) -> str:
    """安全知识闯关 · 第1关 安全常识, a contest's title, or the purpose (每日一练…)."""
    from django.utils.translation import gettext as _

    if attempt.level is not None:
        return _("%(challenge)s · level %(n)s %(title)s") % {
            "challenge": attempt.level.challenge.title, "n": attempt.level.number, "title": attempt.level.title}
    return str(attempt.contest or attempt.get_purpose_display())


@require_POST
def answer(request: HttpRequest) -> JsonResponse:
    """One answer (the page's fetch): ticket, position, given. 200 {"ok": true}; 400/409 {"error": message}."""
    try:
        ticket = read(request.POST.get("ticket", ""))
        try:
            position = int(request.POST.get("position", ""))
        except ValueError:
            raise DomainError("", field="position") from None
        services.answer(actor=ticket, position=position, given=request.POST.get("given", ""))
    except DomainError as e:
        if e.field == "position" and not e.message:
            e = DomainError(_position_message(), field="position")
        status = 409 if e.code in ("submitted", "late") else 400
        return JsonResponse({"error": e.message, "code": e.code}, status=status)
    return JsonResponse({"ok": True})


def _position_message() -> str:
    from django.utils.translation import gettext as _

    return _("Say which question the answer is for.")


@login_required
@require_POST
def attempt_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """交卷. Saves the answers the form carries (the page without JavaScript), then submits; submitting twice shows the
    same result."""
    attempt = _own_attempt(request, pk)
    if attempt.active:
        ticket = read(request.POST.get("ticket", ""))
        if ticket.attempt_id != attempt.pk:
            raise Http404
        for position in range(len(attempt.paper)):
            values = request.POST.getlist(f"a{position}")
            if not any(v.strip() for v in values):
                continue
            code = ticket.codes[position]
            given = SEP.join(values) if code[0] == "f" else "".join(values)
            try:
                services.answer(actor=ticket, position=position, given=given)
            except DomainError:
                pass  # late or refused: the attempt is marked on what was saved
        services.submit(actor=logged_in(request.user), attempt=attempt)
    return redirect("learning:attempt", pk=attempt.pk)
