"""Helpers every page uses: one view serves the full page and its HTMX fragment; paginated lists;
Excel exports of what a list shows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property

from .imports import write_xlsx
from .views import xlsx_response


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
