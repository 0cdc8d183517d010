"""The JSON API's plumbing, shared by every app (mounted under /api/v1 by gongjiang/api.py; OpenAPI at
/api/docs and /api/v1/openapi.json).

One error format everywhere: {"detail": "<message in the request's language, Chinese by default>",
"code": "...", "errors": {field: message}}.
Authentication: a personal token (`Authorization: Bearer gj_…`, the orgs app's `TokenAuth`) or the browser
session (`SessionAuth`: unsafe methods then need the CSRF token, like every form of the site).
Every endpoint reads through `for_user` and writes through the services, like the pages.

Pagination is shared by every list endpoint: `?limit=&offset=` in, `{items, count, limit, offset, next}`
out. An endpoint returns a `Listing` to say how its total is known (exact, pre-aggregated, or capped).

Integers: every integer a request carries (path, query, form or JSON body, nested in lists and objects) must fit
in 64 bits, checked once for every endpoint after parsing and before the endpoint runs (`integers_in_range`): a
larger one is a 422 naming the field, never a database error. `Id` and `Int64` declare the same bounds in a
schema (so OpenAPI shows them); a database overflow that slips through anyway is a 422 too.

An app mounts its router by naming it in its AppConfig (`api_router = "gongjiang.<app>.api.router"`); the routers
are added on the API's first use, so an app's api module may import this one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from enum import Enum
from typing import Annotated, Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import DataError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PaginationBase
from ninja.renderers import JSONRenderer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf
from pydantic import BaseModel

from gongjiang.core.errors import DomainError

# What a database integer column (bigint) holds; ids and counts declared with these types say so in OpenAPI.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
Id = Annotated[int, Field(ge=1, le=INT64_MAX)]
Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
M = TypeVar("M", bound=Model)


class CsrfFailed(HttpError):
    def __init__(self) -> None:
        super().__init__(403, "CSRF check failed")


class SessionAuth(APIKeyCookie):
    """The browser session. Unlike ninja's SessionAuth, CSRF is checked only once we know the session is
    logged in, so a request without any credentials gets 401 (not a CSRF 403); a logged-in session
    sending POST/PATCH/DELETE without the CSRF token gets 403 `csrf_failed`."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return user


class Utf8JSONRenderer(JSONRenderer):
    """Chinese stays readable in the answers (UTF-8, not \\uXXXX escapes)."""

    json_dumps_params = {"ensure_ascii": False}


def grouped(patterns: list[Any]) -> list[Any]:
    """Ninja's flat list of URL patterns (one per path, ~100) as one include per first path segment ("judging/",
    "competitions/", …): Django tries the patterns in order, so a request resolves through a dozen prefixes and its
    own group instead of every path before it (a judge's save was the 69th). Names are kept (no namespace on the
    groups); nothing is grouped if a path starts with a parameter, whose place in the order would matter."""
    def split(p: Any) -> tuple[str, str] | None:
        route = getattr(p.pattern, "_route", None)
        if not isinstance(route, str) or "/" not in route:
            return None
        head, rest = route.split("/", 1)
        return (head, rest) if head and "<" not in head else None

    if any(str(getattr(p.pattern, "_route", "")).startswith("<") for p in patterns):
        return patterns
    groups: dict[str, list[Any]] = {}
    out: list[Any] = []
    for p in patterns:
        parts = split(p)
        if parts is None:
            out.append(p)
            continue
        head, rest = parts
        if head not in groups:
            groups[head] = []
            out.append(head)  # the group's place: where its first path was
        groups[head].append(path(rest, p.callback, p.default_args, p.name))
    return [path(f"{x}/", include(groups[x])) if isinstance(x, str) else x for x in out]


class GongjiangAPI(NinjaAPI):
    """Mounts the routers the apps declare (`AppConfig.api_router`) on first use, so an app's api module may
    import this one."""

    _mounted = False

    def mount_routers(self) -> None:
        if not self._mounted:
            self._mounted = True
            for config in apps.get_app_configs():
                dotted = getattr(config, "api_router", None)
                if dotted:
                    self.add_router("/", dotted)

    @property
    def urls(self) -> Any:
        self.mount_routers()
        patterns, app_name, namespace = super().urls
        return grouped(patterns), app_name, namespace

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        self.mount_routers()
        return super().get_openapi_schema(*args, **kwargs)


DESCRIPTION = (
        "The JSON API of Gongjiang (工匠), the platform of the trade unions' economic and technical work.\n\n"
        "* Authentication: a personal API token (`Authorization: Bearer gj_…`, issued at /api/v1/tokens or on"
        " the account page) or the browser session (unsafe methods need the `X-CSRFToken` header).\n"
        "* Every answer is limited to the organisations in your scope: something outside it is a 404.\n"
        "* Errors: `{\"detail\": message, \"code\": code, \"errors\": {field: message}}`; messages follow the"
        " request's language (`Accept-Language`, Chinese by default). 400 refused by a rule, 401 not"
        " authenticated, 403 not allowed, 404 not found or outside your scope, 422 invalid field.\n"
        "* Lists: `?limit=` (1–200, default 50) and `?offset=`; the answer carries `items`, `count` (the"
        " total; see each endpoint for when it may be null), `limit`, `offset` and `next` (another page"
        " exists).\n"
        "* Dates are ISO 8601; vocabularies are codes with a `*_label` in the request's language.\n"
        "* Integers (ids, offsets, counts) fit in 64 bits: a larger one anywhere in a request is a 422 naming the"
        " field."
)


def _out_of_range(value: Any, loc: tuple[Any, ...]) -> Iterator[dict[str, Any]]:
    """A pydantic-style error for each integer in `value` (models, lists, dicts walked) outside 64 bits."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if value > INT64_MAX:
            yield {"loc": loc, "type": "less_than_equal", "ctx": {"le": INT64_MAX}, "msg": "too large"}
        elif value < INT64_MIN:
            yield {"loc": loc, "type": "greater_than_equal", "ctx": {"ge": INT64_MIN}, "msg": "too small"}
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _out_of_range(getattr(value, name, None), (*loc, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _out_of_range(item, (*loc, key))
    elif isinstance(value, list | tuple | set | frozenset):
        for i, item in enumerate(value):
            yield from _out_of_range(item, (*loc, i))


def integers_in_range(view: Callable[..., Any]) -> Callable[..., Any]:
    """Every endpoint's parsed arguments are checked before it runs: an integer beyond 64 bits is a 422 (the
    databases cannot bind or store it: SQLite raises OverflowError, PostgreSQL "bigint out of range")."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        errors = [e for name, value in kwargs.items() for e in _out_of_range(value, ("request", name))]
        if errors:
            raise ValidationError(errors)
        return view(request, *args, **kwargs)

    return checked




# ---------------------------------------------------------------------------------------------
# Errors


class ErrorOut(Schema):
    detail: str
    code: str
    errors: dict[str, str]


_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie", "request"}


def _validation_message(e: dict[str, Any]) -> str:
    """A message for one pydantic error, in the request's language (pydantic's own are English only)."""
    kind = e.get("type", "")
    ctx = e.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"string_too_long", "too_long"}:
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length", "")}
    if kind in {"string_too_short", "too_short"}:
        return _("This field cannot be empty.")
    if kind in {"enum", "literal_error"}:
        allowed = str(ctx.get("expected", "")).replace(" or ", ", ")
        return _("Choose one of: %(allowed)s.") % {"allowed": allowed}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Must be at least %(n)s.") % {"n": ctx.get("ge", ctx.get("gt", ""))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Must be at most %(n)s.") % {"n": ctx.get("le", ctx.get("lt", ""))}
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"json_invalid", "model_attributes_type", "dict_type", "model_type"}:
        return _("The request body must be a JSON object.")
    if kind in {"string_type"}:
        return _("Enter text.")
    return _("Invalid value: %(msg)s") % {"msg": e.get("msg", "")}


def _field_name(loc: Sequence[Any]) -> str:
    # Union members add tags such as "str-enum[Education]" or "literal['']" to the location: drop them.
    parts = [str(x) for x in loc if isinstance(x, int) or str(x).isidentifier()]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
        # Body schemas are named `payload` and query schemas `filters`; the field is what follows.
        if len(parts) > 1 and parts[0] in {"payload", "filters", "ninja_pagination"}:
            parts = parts[1:]
    return ".".join(parts) or "request"



def build_api(*, auth: list[Any]) -> GongjiangAPI:
    """The API of the site with the shared error handlers and the 64-bit check on every operation."""
    api = GongjiangAPI(title="工匠 Gongjiang API", version="1", description=DESCRIPTION, auth=auth,
                       renderer=Utf8JSONRenderer(), docs_url="/docs", urls_namespace="api")
    api.add_decorator(integers_in_range, mode="operation")

    def error(request: HttpRequest, message: str, status: int, code: str, errors: dict[str, str] | None = None
              ) -> HttpResponse:
        return api.create_response(request, {"detail": message, "code": code, "errors": errors or {}}, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error(request, exc.message, exc.status, exc.code, exc.errors)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error(request, _("Not found, or outside your scope."), 404, "not_found")

    @api.exception_handler(ObjectDoesNotExist)
    def does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
        return error(request, _("Not found, or outside your scope."), 404, "not_found")

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error(request, _("You do not have permission to do this."), 403, "forbidden")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return error(request, _("Please log in or send a valid API token."), 401, "unauthenticated")
        if isinstance(exc, CsrfFailed):
            return error(request, _("The CSRF token is missing or wrong: reload the page, or use an API token."),
                         403, "csrf_failed")
        if exc.status_code == 400:  # ninja could not parse the body
            return error(request, _("The request body cannot be read: send JSON (or multipart/form-data for "
                                    "uploads)."), 400, "bad_request")
        if exc.status_code == 429:
            return error(request, _("Too many requests; please wait a moment."), 429, "throttled")
        return error(request, str(exc), exc.status_code, "error")

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors: dict[str, str] = {}
        for e in exc.errors:
            errors.setdefault(_field_name(e.get("loc", [])), _validation_message(e))
        field, message = next(iter(errors.items()), ("request", ""))
        return error(request, _("%(field)s: %(message)s") % {"field": field, "message": message}, 422, "invalid",
                     errors)

    @api.exception_handler(OverflowError)
    def overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        """A number the database cannot hold that `integers_in_range` did not see (e.g. one computed from input)."""
        return error(request, _("A number in the request is out of range."), 422, "invalid")

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        """PostgreSQL's numeric overflow (SQLSTATE 22003), as `overflow`; any other data error stays a server
        error."""
        if getattr(exc.__cause__, "sqlstate", None) == "22003":
            return error(request, _("A number in the request is out of range."), 422, "invalid")
        raise exc

    return api


# Responses every authenticated endpoint may give, for the OpenAPI description.
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# ---------------------------------------------------------------------------------------------
# Helpers of every app's endpoints


def request_user(context: Any) -> Any:
    """The authenticated user of the request being answered (ninja puts the request in a schema's context)."""
    request = (context or {}).get("request")
    return getattr(request, "auth", None) or getattr(request, "user", None)


def one(qs: QuerySet[M], pk: int, field: str | None = None) -> M:
    """The object with `pk` in a scoped queryset; otherwise a 404 (naming `field` when it came in the body)."""
    obj = qs.filter(pk=pk).first()
    if obj is None:
        if field:
            raise DomainError(_("Not found, or outside your scope."), field=field, code="not_found", status=404)
        raise Http404
    return obj


def plain(data: dict[str, Any]) -> dict[str, Any]:
    """Enum members (TextChoices/IntegerChoices from the schemas) to their stored values."""
    return {k: (v.value if isinstance(v, Enum) else v) for k, v in data.items()}


def no_nulls(data: dict[str, Any], nullable: set[str]) -> None:
    """Refuse a null for a field that cannot be emptied (a PATCH sending `"name": null`)."""
    nulls = {k: _("This field cannot be empty.") for k, v in data.items() if v is None and k not in nullable}
    if nulls:
        raise DomainError(next(iter(nulls.values())), errors=nulls, status=422)


# ---------------------------------------------------------------------------------------------
# Pagination


class Listing:
    """What a list endpoint returns to the paginator.

    - `count`: a total known without counting (e.g. a pre-aggregated sum); otherwise the queryset is counted,
    - `count_cap`: count at most this many matches; beyond it the total is null (`next` still says whether
      another page exists), so a broad search at province scale never counts millions of rows,
    - `decorate`: called with the page's objects (a list) to add what needs one more query for the whole
      page (e.g. subtree totals), so a page costs a constant number of queries,
    - `render`: turns each object of the page into what the endpoint answers (a dict for its schema), so an
      endpoint that shapes its rows by hand still reads only the page, never the whole result."""

    def __init__(self, queryset: QuerySet | list, *, count: int | None = None, count_cap: int | None = None,
                 decorate: Callable[[list[Any]], None] | None = None,
                 render: Callable[[Any], Any] | None = None) -> None:
        self.queryset = queryset
        self.count = count
        self.count_cap = count_cap
        self.decorate = decorate
        self.render = render

    def total(self) -> int | None:
        if self.count is not None:
            return self.count
        if isinstance(self.queryset, list):
            return len(self.queryset)
        if self.count_cap is not None:
            n = self.queryset.order_by()[: self.count_cap + 1].count()
            return n if n <= self.count_cap else None
        return self.queryset.count()


MAX_LIMIT = 200


class Pagination(PaginationBase):
    """limit/offset pagination with a total and a `next` flag (one extra row is fetched to know it)."""

    class Input(Schema):
        limit: int = Field(settings.PAGE_SIZE, ge=1, le=MAX_LIMIT, description="Items per page (1–200).")
        offset: int = Field(0, ge=0, le=INT64_MAX, description="Items to skip.")

    class Output(Schema):
        items: list[Any]
        count: int | None = Field(description="The total number of matches; null when not counted (see the"
                                              " endpoint's description).")
        limit: int
        offset: int
        next: bool = Field(description="Whether another page follows.")

    def paginate_queryset(self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any) -> Any:
        listing = queryset if isinstance(queryset, Listing) else Listing(queryset)
        start, limit = pagination.offset, pagination.limit
        rows = list(listing.queryset[start: start + limit + 1])
        has_next = len(rows) > limit
        rows = rows[:limit]
        if listing.decorate and rows:
            listing.decorate(rows)
        if listing.render is not None:
            rows = [listing.render(r) for r in rows]
        if start == 0 and not has_next and listing.count is None:
            total: int | None = len(rows)  # the whole result fits on this page: no COUNT needed
        else:
            total = listing.total()
        return {"items": rows, "count": total, "limit": limit, "offset": start, "next": has_next}
