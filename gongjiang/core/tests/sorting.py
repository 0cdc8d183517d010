"""What the sorting tests of every list share: a list declares its columns (core.pages.Sorting) and its headers link
to the orders (`{% sort_th %}`); each app's tests check its own lists with these helpers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext

# A sortable header as `sort_th` draws it: <th …><a class="sort[ sorted]" href="…" …>label<span class="sort-arrow"…
_HEADER = re.compile(r'<th(?P<attrs>[^>]*)><a class="sort(?: sorted)?" href="(?P<href>[^"]*)"[^>]*>(?P<label>[^<]*)'
                     r'<span class="sort-arrow"')
# Values of ?sort= no list declares: ignored, whatever they look like (a model field not offered as a column too).
UNKNOWN_SORTS = ("bogus", "-bogus", "--name", "-", "pk", "id_hash", "name,pk", "name;DROP TABLE x", "名称")

Params = Mapping[str, Any]
Rows = Callable[[Any], list[Any]]


def rows_of(response: Any) -> list[Any]:
    """The objects a list page shows: its `rows`, else its page's."""
    context = response.context
    rows = context.get("rows")
    return list(rows if rows is not None else context["page"].object_list)


def pks(response: Any, rows: Rows = rows_of) -> list[int]:
    return [r.pk for r in rows(response)]


def headers(response: Any) -> dict[str, tuple[str, str]]:
    """Each sortable header's label -> (the ?sort= value its link asks for, "" for the list's default order; its
    aria-sort, "" when the list is not sorted by it)."""
    found = {}
    for m in _HEADER.finditer(response.content.decode()):
        query = parse_qs(urlsplit(unescape(m["href"])).query)
        aria = re.search(r'aria-sort="(\w+)"', m["attrs"])
        found[unescape(m["label"])] = (query.get("sort", [""])[0], aria[1] if aria else "")
    return found


def get(client: Any, url: str, params: Params | None = None, **extra: Any) -> Any:
    response = client.get(url, dict(params or {}), **extra)
    assert response.status_code == 200, (url, params, response.status_code)
    return response


def check_column(client: Any, url: str, key: str, label: str, ascending: Iterable[int], *, default: str = "",
                 params: Params | None = None, rows: Rows = rows_of) -> None:
    """?sort=<key> lists the rows `ascending` (their pks; ties by pk), ?sort=-<key> the exact reverse (the tiebreak
    follows the column); the header `label` shows the order (aria-sort) and links to the other direction — no
    parameter at all for the list's `default` order ("-year", "name"; "" when it names no column)."""
    expected = list(ascending)
    assert len(expected) > 1 and len(set(expected)) == len(expected)

    def link(descending: bool) -> str:
        value = f"-{key}" if descending else key
        return "" if value == default else value

    up = get(client, url, {**(params or {}), "sort": link(False) or key})
    assert pks(up, rows) == expected, f"?sort={key}"
    assert headers(up)[label] == (link(True), "ascending")
    down = get(client, url, {**(params or {}), "sort": f"-{key}"})
    assert pks(down, rows) == expected[::-1], f"?sort=-{key}"
    assert headers(down)[label] == (link(False), "descending")


def check_unknown_sorts(client: Any, url: str, params: Params | None = None, rows: Rows = rows_of,
                        extra: Iterable[str] = ()) -> list[int]:
    """A ?sort= naming no column (or a field the list does not offer) shows the default order, never an error;
    returns that order."""
    default = pks(get(client, url, params), rows)
    for value in (*UNKNOWN_SORTS, *extra):
        assert pks(get(client, url, {**(params or {}), "sort": value}), rows) == default, value
    return default


def queries(client: Any, url: str, params: Params | None = None, **extra: Any) -> int:
    """How many queries the page runs."""
    with CaptureQueriesContext(connection) as captured:
        get(client, url, params, **extra)
    return len(captured.captured_queries)


def queries_by_sort(client: Any, url: str, keys: Iterable[str], params: Params | None = None) -> dict[str, int]:
    """The page's query count in every order (each column both ways, and the default)."""
    return {value: queries(client, url, {**(params or {}), **({"sort": value} if value else {})})
            for value in ("", *keys, *(f"-{k}" for k in keys))}
