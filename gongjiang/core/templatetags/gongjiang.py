from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

# What a link or a form inside a list (components/list_table.html) asks htmx: the list's region (`.list-region`) is
# fetched again from the same view and replaces itself; the address bar follows. Without JavaScript the link or the
# form is an ordinary GET of the whole page.
LIST_HTMX = {"hx-target": "closest .list-region", "hx-select": ".list-region", "hx-swap": "outerHTML",
             "hx-push-url": "true"}


def _replaced(query: QueryDict, **kwargs: Any) -> QueryDict:
    query = query.copy()
    for k, v in kwargs.items():
        if v in (None, ""):
            query.pop(k, None)
        else:
            query[k] = v
    return query


@register.simple_tag(takes_context=True)
def query_replace(context: Any, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (pagination, sorting, export links)."""
    return _replaced(context["request"].GET, **kwargs).urlencode()


@register.simple_tag(takes_context=True)
def query_inputs(context: Any, *drop: str) -> SafeString:
    """Hidden inputs carrying the current query's parameters except `drop` (a GET form inside a list — the page jump,
    the page size — keeps the filters and the order)."""
    query = context["request"].GET
    return format_html_join("", '<input type="hidden" name="{}" value="{}">',
                            ((k, v) for k in query for v in query.getlist(k) if k not in drop))


@register.simple_tag
def list_htmx() -> SafeString:
    """The htmx attributes of a link or a GET form inside a list (LIST_HTMX); the element has its own hx-get."""
    return format_html_join(" ", '{}="{}"', LIST_HTMX.items())


@register.simple_tag(takes_context=True)
def sort_th(context: Any, key: str, label: str, **attrs: Any) -> SafeString:
    """A column header of a sortable list: `{% sort_th "name" _("Name") class="hide-sm" %}`.

    With the view's `sort` (core.pages.Sort) in the context and `key` one of its columns, the label is a link to
    the list sorted by the column (the other direction when it is sorted by it already), the arrow shows the current
    order and `aria-sort` says it; otherwise a plain header. The link keeps the filters and the page size, and goes
    back to the first page. It goes to the page's own address, or to `list_path` when the view gives one (a list
    also shown by a form's POST, whose address answers no GET)."""
    sort = context.get("sort")
    th_attrs = format_html_join("", ' {}="{}"', ((k, v) for k, v in attrs.items() if v not in (None, "")))
    if sort is None or not sort.sortable(key):
        return format_html("<th{}>{}</th>", th_attrs, label)
    request = context["request"]
    path = context.get("list_path") or request.path
    url = f"{path}?{_replaced(request.GET, sort=sort.link(key), page='', export='').urlencode()}"
    direction = sort.direction(key)
    if direction is None:
        arrow, aria = "↕", ""
        hint = _("Sort by %(column)s") % {"column": label}
    elif direction == "ascending":
        arrow, aria = "▲", ' aria-sort="ascending"'
        hint = _("Sorted by %(column)s, ascending; sort descending") % {"column": label}
    else:
        arrow, aria = "▼", ' aria-sort="descending"'
        hint = _("Sorted by %(column)s, descending; sort ascending") % {"column": label}
    return format_html(
        '<th{}{}><a class="sort{}" href="{}" hx-get="{}" {} title="{}">{}<span class="sort-arrow" aria-hidden="true">'
        "{}</span></a></th>",
        th_attrs, SafeString(aria), " sorted" if direction else "", url, url, list_htmx(), hint, label, arrow)


@register.filter
def yesno_zh(value: Any) -> str:
    return "是" if value else "否"


@register.simple_tag(takes_context=True)
def page_jump(context: Any, page: Any, region: bool = False) -> SafeString:
    """The "go to page [ ]" box of the pagination (components/pagination.html). No form of its own — a list may sit
    inside a form (a bulk action), and forms do not nest: the box belongs to no form (`form=""`), Enter in it and the
    button go to the page through htmx inside a list's region, through app.js elsewhere; the address keeps the other
    parameters."""
    request = context["request"]
    base = f"{request.path}?{_replaced(request.GET, page='', export='').urlencode()}"
    box = format_html('<input type="number" name="page" form="" min="1" max="{}" inputmode="numeric" size="4"'
                      ' placeholder="{}" aria-label="{}" data-page-jump-box>', page.paginator.num_pages, page.number,
                      _("Page number"))
    htmx = format_html(' hx-get="{}" hx-include="closest .page-jump" {}', base, list_htmx()) if region else ""
    button = format_html('<button type="button" class="btn btn-small" data-page-jump="{}"{}>{}</button>', base, htmx,
                         _("Go"))
    label = _("Go to page %(box)s") % {"box": "\x00"}
    before, _sep, after = label.partition("\x00")
    return format_html('<span class="page-jump"><label>{}{}{}</label> {}</span>', before, box, after, button)


@register.simple_tag(takes_context=True)
def page_sizes(context: Any, page: Any, region: bool = False) -> SafeString:
    """The page sizes the pagination offers (components/pagination.html), as links: the current one marked."""
    request = context["request"]
    links = []
    for n in page.paginator.sizes:
        if n == page.paginator.per_page:
            links.append(format_html('<strong aria-current="true">{}</strong>', n))
            continue
        url = f"{request.path}?{_replaced(request.GET, per_page=n, page='', export='').urlencode()}"
        htmx = format_html(' hx-get="{}" {}', url, list_htmx()) if region else ""
        links.append(format_html('<a href="{}"{} rel="nofollow">{}</a>', url, htmx, n))
    label = _("%(sizes)s per page") % {"sizes": "\x00"}
    before, _sep, after = label.partition("\x00")
    return format_html('<span class="page-size">{}{}{}</span>', before,
                       format_html_join(" ", "{}", ((link,) for link in links)), after)


@register.filter
def grouped(value: Any) -> str:
    """A number with grouped digits, its decimals as they are: 564,705.8824 (empty for no number)."""
    from gongjiang.core.history import number

    if value in (None, ""):
        return ""
    return number(value)


@register.filter
def money(value: Any) -> str:
    """An amount of yuan with grouped digits and two decimals: 1,200,000.00 元 (empty for no amount)."""
    from gongjiang.core.history import money as as_money

    if value in (None, ""):
        return ""
    return as_money(value)

