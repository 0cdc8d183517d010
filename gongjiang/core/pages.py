"""Helpers every page uses: one view serves the full page and its HTMX fragment; paginated lists;
Excel exports of what a list shows; a service call whose refusal every page answers the same way (`act` behind a
button, `handle` behind a form, `attempt` for a refusal shown in place)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property

from .errors import DomainError, PermissionDeniedError
from .imports import write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """An .xlsx download named `filename` (Chinese names kept, RFC 5987)."""
    from urllib.parse import quote

    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def error_report_response(data: bytes, job: Any) -> HttpResponse:
    """An import's error report as a download that no shared cache keeps (it may hold ID numbers); the page and
    the API."""
    import io

    from django.http import FileResponse

    response = FileResponse(io.BytesIO(data), as_attachment=True, content_type=XLSX,
                            filename=f"{job.filename.rsplit('.', 1)[0]}-错误报告.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the fields it names (or above the form when no field matches)."""
    placed = False
    for name, message in error.errors.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page(request: HttpRequest, template: str, context: dict[str, Any], fragment: str | None = None
                ) -> HttpResponse:
    """Render `template`, or only `fragment` when HTMX asks for a part of the page (NetBox's htmx_partial)."""
    if fragment and is_htmx(request) and not request.headers.get("HX-Boosted"):
        return render(request, fragment, context)
    return render(request, template, context)


class CountCappedPaginator(Paginator):
    """Counting 2,000,000 rows on every page view is slow: a known total (pre-aggregated) may be passed."""

    def __init__(self, object_list: Any, per_page: int, known_count: int | None = None, **kw: Any) -> None:
        super().__init__(object_list, per_page, **kw)
        self._known_count = known_count

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        if self._known_count is not None:
            return self._known_count
        return super().count


def paginate(request: HttpRequest, qs: QuerySet | list, per_page: int | None = None,
             known_count: int | None = None) -> Page:
    paginator = CountCappedPaginator(qs, per_page or settings.PAGE_SIZE, known_count=known_count)
    return paginator.get_page(request.GET.get("page"))


def export(filename: str, headers: list[str], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """导出Excel: the rows a list shows (all pages), formula-like cells escaped."""
    return xlsx_response(write_xlsx(filename, headers, rows), f"{filename}.xlsx")


def wants_export(request: HttpRequest) -> bool:
    return request.GET.get("export") == "xlsx"


RowFn = Callable[[Any], list[Any]]


# ---------------------------------------------------------------------------------------------
# Calling a service from a page: the refusals every page answers the same way

def attempt(call: Callable[[], Any]) -> tuple[Any, DomainError | None]:
    """Run a service call whose refusal the page shows in place (beside an input, in a table cell): (the result,
    None), or (None, the refusal). A permission refusal is Django's PermissionDenied (403) instead: the page
    offered something the user may not do."""
    try:
        return call(), None
    except PermissionDeniedError as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        return None, e


def act(request: HttpRequest, call: Callable[[], Any], success: str | Callable[[Any], str] | None = None, *,
        refused: Callable[[DomainError], object] | None = None) -> bool:
    """Run the service call behind a button (a POST answered by a redirect) and say on the next page how it went.

    A PermissionDeniedError is a 403; any other DomainError shows its reason as an error message, or goes to
    `refused` where the page shows it otherwise (naming the person, on a form field). On success, `success` is
    added as a success message; a callable gets the call's result, for a message naming what the call made.
    True when the call went through, so that the view can go on (`if act(...): return redirect(...)`)."""
    result, refusal = attempt(call)
    if refusal is not None:
        if refused is None:
            messages.error(request, refusal.message)
        else:
            refused(refusal)
        return False
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return True


def handle(form: forms.Form, call: Callable[[], Any], aliases: Mapping[str, str] | None = None) -> Any:
    """Run the service call of a bound, valid form; its result, or None when refused (services return what they
    wrote, never None). A refusal goes back onto the form, next to the fields it names (`apply_domain_error`),
    so the page is shown again with nothing changed; a permission refusal is a 403. `aliases` renames a field
    the service names to the input of this form that stands for it (when the form has that input)."""
    result, refusal = attempt(call)
    if refusal is not None:
        if aliases:
            refusal = DomainError(refusal.message, errors={aliases[k] if aliases.get(k) in form.fields else k: v
                                                           for k, v in refusal.errors.items()})
        apply_domain_error(form, refusal)
    return result
