"""Template tags of the competitions' pages: the breadcrumbs of a round's pages (`{% round_trail rnd "Ranking" %}`),
for the pages whose views do not build the round's header (results, appeals, analysis, the chief judge's board)."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import Round
from ..views.common import Crumb
from ..views.common import round_trail as trail_of

register = template.Library()


@register.inclusion_tag("competitions/_trail.html", takes_context=True)
def round_trail(context: template.Context, rnd: Round, here: Any = "", via: Any = "", via_url: str = ""
                ) -> dict[str, Any]:
    """The breadcrumbs of `rnd`'s page `here` (below the page `via` at `via_url`, if given) for the request's user
    (two EXISTS, once per request)."""
    return {"trail": trail_of(context["request"].user, rnd, str(here) if here else "",
                              Crumb(str(via), via_url) if via else None)}
