"""Helpers every page uses: one view serves the full page and its HTMX fragment; lists sorted by the columns they
declare (`Sorting`), paginated with a page size and a page jump (`paginate`); Excel exports of what a list shows, in
the list's order; a service call whose refusal every page answers the same way (`act` behind a button, `handle`
behind a form, `attempt` for a refusal shown in place)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property

from .errors import DomainError, PermissionDeniedError
from .imports import write_xlsx

if TYPE_CHECKING:
    from .models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QS = TypeVar("QS", bound=QuerySet[Any])


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """An .xlsx download named `filename` (Chinese names kept, RFC 5987)."""
    from urllib.parse import quote

    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def error_report_response(data: bytes, job: ImportJob) -> FileResponse:
    """An import's error report as a download that no shared cache keeps (it may hold ID numbers); the page and
    the API."""
    import io

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
    """Render `template`, or only `fragment` when HTMX asks for a part of the page (NetBox's htmx_partial).

    htmx restoring a pushed address from its history (after Back, when its cache is gone) asks for the whole page:
    a fragment would then replace the page's body."""
    if (fragment and is_htmx(request) and not request.headers.get("HX-Boosted")
            and request.headers.get("HX-History-Restore-Request") != "true"):
        return render(request, fragment, context)
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------
# Lists: sorting, page size, page jump

# The page sizes a list offers (?per_page=); any other value falls back to the list's default.
PAGE_SIZES = (20, 50, 100, 200)


class CountCappedPaginator(Paginator):
    """Counting 2,000,000 rows on every page view is slow: a known total (pre-aggregated) may be passed.

    `sizes` are the page sizes the pagination offers. A page number past the last one shows the last page, one
    below the first (0, -3) or not a number the first: a hand-edited or stale address never ends in a 404."""

    def __init__(self, object_list: Any, per_page: int, known_count: int | None = None,
                 sizes: Sequence[int] = (), **kw: Any) -> None:
        super().__init__(object_list, per_page, **kw)
        self._known_count = known_count
        self.sizes = tuple(sizes)

    @cached_property
    def count(self) -> int:
        if self._known_count is not None:
            return self._known_count
        return super().count

    def get_page(self, number: Any) -> Page:
        try:
            wanted = int(str(number).strip())
        except (TypeError, ValueError):
            wanted = 1
        return super().get_page(max(wanted, 1))


def page_size(request: HttpRequest, default: int | None = None) -> int:
    """The page size the request asks for (?per_page=, one of PAGE_SIZES or the list's own default), else the
    list's default (settings.PAGE_SIZE unless the list says otherwise)."""
    default = default or settings.PAGE_SIZE
    asked = request.GET.get("per_page", "")
    if asked.isdigit() and int(asked) in (*PAGE_SIZES, default):
        return int(asked)
    return default


def paginate(request: HttpRequest, qs: QuerySet[Any] | list[Any], per_page: int | None = None,
             known_count: int | None = None) -> Page:
    """The page of `qs` the request asks for (?page=, ?per_page=). `per_page` is the list's default page size;
    `known_count` a total the list already knows (a counter), so that nothing is counted."""
    default = per_page or settings.PAGE_SIZE
    paginator = CountCappedPaginator(qs, page_size(request, default), known_count=known_count,
                                     sizes=sorted({*PAGE_SIZES, default}))
    return paginator.get_page(request.GET.get("page"))


Direction = Literal["ascending", "descending"]


class Sorting:
    """The columns a list may be sorted by, declared once by the list's view:

        PEOPLE_SORTING = Sorting({"name": "name", "unit": ("employer__name",), "grade": "skill_grade"},
                                 default="-id")

    Each key (the value of ?sort=, "-key" for descending) names the fields it orders by, ascending; descending
    reverses each. `default` is the order without ?sort=: a declared key ("-year": that column shows the arrow) or
    fields of its own ("-id"). A key not declared is ignored (the default order). The primary key ends every order
    (`tiebreak`, in the column's direction), so a page never shows a row twice or skips one between equal values.
    `first_descending`: the keys whose first click sorts descending (years, dates, counts: the newest or largest
    first). `annotations`: expressions a column orders by under a name of its own (`{"state_rank":
    rank_of("state", CompetitionState.values)}`), added to the query only when the order uses them."""

    def __init__(self, columns: Mapping[str, str | Sequence[str]], default: str | Sequence[str] = ("pk",), *,
                 first_descending: Iterable[str] = (), tiebreak: str = "pk",
                 annotations: Mapping[str, Any] | None = None) -> None:
        self.columns: dict[str, tuple[str, ...]] = {
            key: (fields,) if isinstance(fields, str) else tuple(fields) for key, fields in columns.items()}
        self.first_descending = frozenset(first_descending)
        self.annotations: dict[str, Any] = dict(annotations or {})
        self.tiebreak = tiebreak
        default_key = default.lstrip("-") if isinstance(default, str) else ""
        # the default names a declared column: its key and direction; otherwise its own fields
        self.default_key: str | None = default_key if default_key in self.columns else None
        self.default_descending = isinstance(default, str) and default.startswith("-") and self.default_key is not None
        self.default_fields: tuple[str, ...] = (
            () if self.default_key is not None else (default,) if isinstance(default, str) else tuple(default))

    def __call__(self, request: HttpRequest) -> Sort:
        """The order the request asks for (?sort=), or the default."""
        value = request.GET.get("sort", "").strip()
        key = value[1:] if value.startswith("-") else value
        if key in self.columns:
            return Sort(self, key, value.startswith("-"))
        return Sort(self, self.default_key, self.default_descending)

    def knows(self, value: str) -> bool:
        """Whether `value` is the ?sort= value of a declared column ("name", "-name"): for a form carrying the
        order back to the list."""
        return (value[1:] if value.startswith("-") else value) in self.columns

    def fields(self, key: str | None, descending: bool) -> tuple[str, ...]:
        if key is None:
            return self.default_fields
        return tuple(_reverse(f) if descending else f for f in self.columns[key])


def _reverse(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


@dataclass(frozen=True)
class Sort:
    """The order a list is shown in: the column chosen (None for the list's own default order) and the
    direction. `apply` orders a queryset; the column headers (`{% sort_th %}`) link to the other orders."""

    sorting: Sorting
    key: str | None
    descending: bool = False

    def order_by(self, pk_name: str = "id") -> list[str]:
        """The fields to order by, the primary key last (unless the order already ends with it)."""
        fields = list(self.sorting.fields(self.key, self.descending))
        last = fields[-1].lstrip("-") if fields else ""
        if last not in {"pk", pk_name, self.sorting.tiebreak}:
            fields.append(_reverse(self.sorting.tiebreak) if self.descending else self.sorting.tiebreak)
        return fields

    def apply(self, qs: QS) -> QS:
        fields = self.order_by(qs.model._meta.pk.name)
        used = {f.lstrip("-") for f in fields}
        needed = {name: expr for name, expr in self.sorting.annotations.items() if name in used}
        return (qs.annotate(**needed) if needed else qs).order_by(*fields)

    def direction(self, key: str) -> Direction | None:
        """How the list is sorted by the column `key`: "ascending", "descending", or None (not by it)."""
        if key != self.key:
            return None
        return "descending" if self.descending else "ascending"

    def link(self, key: str) -> str:
        """The ?sort= value of the column `key`'s header: the other direction when the list is sorted by it, else
        the column's first direction; "" (no parameter) for the list's default order."""
        if key == self.key:
            descending = not self.descending
        else:
            descending = key in self.sorting.first_descending
        if key == self.sorting.default_key and descending == self.sorting.default_descending:
            return ""
        return f"-{key}" if descending else key

    def sortable(self, key: str) -> bool:
        return key in self.sorting.columns

    @property
    def value(self) -> str:
        """The ?sort= value of this order ("" for the list's default): for a form that comes back to the list."""
        if self.key is None or (self.key == self.sorting.default_key
                                and self.descending == self.sorting.default_descending):
            return ""
        return f"-{self.key}" if self.descending else self.key


def rank_of(field: str, values: Iterable[Any]) -> Case:
    """An annotation giving `field`'s value its position in `values`, for a column sorted in the order of a
    vocabulary rather than its codes' alphabet: a workflow's states as they follow each other, levels from the
    province down (`rank_of("state", CompetitionState.values)`); any other value comes last."""
    whens = [When(**{field: value}, then=Value(i)) for i, value in enumerate(values)]
    return Case(*whens, default=Value(len(whens)), output_field=IntegerField())


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
