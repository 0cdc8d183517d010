"""Reads of the org tree that pages and the API share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from ..counters import KIND_TO_TREE
from ..models import Org


def reach_q(org: Org, prefix: str = "") -> Q:
    """Rows whose org (through `prefix`, e.g. "employer__") lies in what `org` reaches: its regional subtree and,
    for an industry union, the subtrees of its affiliated units (`industry_path`), as a role on it covers them."""
    return Q(**{f"{prefix}path__startswith": org.path}) | Q(**{f"{prefix}industry_path__startswith": org.path})


def units_by_kind(org: Org, *, covers_everything: bool = False) -> dict[str, int]:
    """The active units `org` reaches (as `reach_q` filters them), by kind: those of its regional subtree from its
    pre-aggregated counters (`counters.KIND_TO_TREE`), plus those it reaches through an industry affiliation outside
    that subtree, counted in one GROUP BY over those only (none when `org` is the root of the whole tree)."""
    found = {kind: getattr(org, field) for kind, field in KIND_TO_TREE.items()}
    if not covers_everything:
        outside = (Org.objects.filter(industry_path__startswith=org.path, is_active=True)
                   .exclude(path__startswith=org.path).order_by().values_list("kind").annotate(n=Count("id")))
        for kind, n in outside:
            found[kind] = found.get(kind, 0) + n
    return found


def with_subtree_totals(orgs: Iterable[Org]) -> None:
    """Set `subtree_people`, `subtree_members` and `subtree_units` on each org from its pre-aggregated subtree
    counters (`counters.py`): never a count over people."""
    for org in orgs:
        org.subtree_people, org.subtree_members, org.subtree_units = org.tree_people, org.tree_members, org.tree_orgs


def orgs_q(text: str) -> Q:
    """The condition "this org matches the search `text`", the same in every org picker (the tree's search, the
    header's site search, a transfer's destination, an import's target, the API): the name or short name
    contains it (case-sensitive, as LIKE is on our SQLite; names are Chinese), or the unit code or the unified
    social credit code begins with it (codes are upper-case, so also as typed in lower case)."""
    q = (text or "").strip()
    if not q:
        return Q(pk__in=[])
    up = q.upper()
    return (Q(name__contains=q) | Q(short_name__contains=q) | Q(code__startswith=q) | Q(code__startswith=up)
            | Q(credit_code__startswith=up))


def page_org(request: HttpRequest, param: str = "org") -> Org | None:
    """The union a page is about: `?org=` (or another parameter; one the user does not see is a 404) or the current
    scope of the top bar (`orgs.middleware`), None without either. Every app's cadre pages ask it the same way."""
    pk = request.GET.get(param, "")
    if pk:
        if not pk.isdigit():
            raise Http404
        return get_object_or_404(Org.objects.for_user(request.user, "view"), pk=pk)
    scope: Any = getattr(request, "scope_org", None)
    if not scope:
        return None
    found: Org = getattr(scope, "_wrapped", scope)
    return found
