"""What the competitions API's endpoints share: the router class, who is asking, the scoped querysets used by
more than one topic, and the helpers of every app's API (404 in scope, enum values, refused nulls: core.api;
trades: orgs.occupations). Pagination (`Pagination`, `Listing`) and the error responses (`ERRORS`) are core's."""

from collections.abc import Callable
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from ninja import Router

from .. import queries
from ..choices import EntryStatus, RoundState
from ..models import Entry, Round

PUBLISHED = {RoundState.PUBLICITY, RoundState.FINAL}
DECRYPTED = {RoundState.DECRYPTED, *PUBLISHED}


class TopicRouter(Router):
    """The router of one topic. Its operations keep the ids they had when every endpoint lived in one module
    (`gongjiang_competitions_api_<function>`): clients generated from the OpenAPI document are named after them."""

    def add_api_operation(self, path: str, methods: list[str], view_func: Callable[..., Any], **kwargs: Any) -> None:
        kwargs["operation_id"] = kwargs.get("operation_id") or f"gongjiang_competitions_api_{view_func.__name__}"
        super().add_api_operation(path, methods, view_func, **kwargs)


# Paths under /competitions/ that begin with a fixed word ("my-entries", "certificates") of any topic: mounted
# before the topics, since /competitions/{competition_id} (a path parameter takes any word) would catch them.
fixed_paths = TopicRouter()


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]




# ---------------------------------------------------------------------------------------------
# Scoped querysets (each read starts from a `for_user`)


def _rounds(user: Any) -> QuerySet:
    """The rounds the user may open: the list the running pages use (registrations, draws, check-in)."""
    return Round.objects.for_user(user, "open").select_related("event__competition__organiser", "stage", "organiser")


def _results_rounds(user: Any) -> QuerySet:
    """The rounds whose results the user may read once published: the list the results pages use."""
    return Round.objects.for_user(user, "view").select_related("event__competition__organiser", "stage",
                                                               "organiser")


def _entries(user: Any) -> QuerySet:
    return Entry.objects.for_user(user).select_related("person", "unit", "round")


def _round_detail(user: Any, rnd: Round) -> Round:
    """A round with its entries by status (those `user` can see) and its mark sheets by state."""
    counts = dict(Entry.objects.for_user(user).filter(round=rnd).order_by().values_list("status")
                  .annotate(n=Count("pk")))
    rnd.entry_counts = {s: counts.get(s, 0) for s in EntryStatus.values}
    rnd.sheet_counts = queries.sheet_progress(rnd)
    return rnd
