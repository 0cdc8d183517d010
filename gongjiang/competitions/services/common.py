"""Helpers shared by the competition verbs: who runs a competition or a round, state guards (the scope check
itself is `core.services.require`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.orgs.models import User

from ..models import Competition, Round


def _require_organiser(competition: Competition, actor: User) -> None:
    """Only cadres with change rights on the organising org run a competition."""
    if not competition.organiser.in_scope(actor, "change"):
        raise PermissionDeniedError(_("Only the organiser of %(competition)s may do this.") % {
            "competition": competition.name})


def _require_round_organiser(rnd: Round, actor: User) -> None:
    """The round's own organiser (e.g. the Jinan federation for the Jinan round) or the competition's."""
    if not rnd.can_change(actor):
        raise PermissionDeniedError(_("Only the organiser of this round may do this."))


def _require_state(obj: Any, *states: str, message: str | None = None) -> None:
    if obj.state not in states:
        raise DomainError(message or _("This cannot be done while the state is “%(state)s”.") % {
            "state": obj.get_state_display()}, code="state")
