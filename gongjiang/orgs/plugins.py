"""What the orgs app contributes to the site through core's registries (called from OrgsConfig.ready): its menu
sections and entries, the cadres' and workers' landing pages, the transfers waiting in the to-do inbox, the
search of organisations and people, the demo province and its personas."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import (
    DemoLoader,
    Landing,
    NavItem,
    NavSection,
    Persona,
    ReferenceData,
    SearchHit,
    SearchProvider,
)
from gongjiang.core.types import Actor

from . import queries, scoping
from .choices import TransferState


def is_cadre(user: Actor) -> bool:
    """Holds a role on some union (or is a superuser)."""
    return not scoping.scope_for(user, "view").is_empty


def is_worker(user: Actor) -> bool:
    """A worker's self-service account (a worker record, no role)."""
    return bool(getattr(user, "person_id", None)) and not is_cadre(user)


def can_change_somewhere(user: Actor) -> bool:
    return not scoping.scope_for(user, "change").is_empty


def manages_accounts(user: Actor) -> bool:
    return not scoping.scope_for(user, "manage").is_empty


def _incoming_transfers(user: Actor) -> list[registry.TodoItem]:
    from .models import MembershipTransfer

    if not can_change_somewhere(user):
        return []
    n = (scoping.scope_for(user, "change").apply(MembershipTransfer.objects.all(), "to_union__")
         .filter(state=TransferState.REQUESTED).count())
    label = _("%(n)d membership transfers wait for you to accept or refuse them.") % {"n": n}
    return [registry.TodoItem(label, n, reverse("orgs:transfer_list") + "?tab=incoming", "orgs", 20)]


def _search_orgs(user: Actor, q: str, limit: int) -> list[SearchHit]:
    from .models import Org

    found = Org.objects.for_user(user).filter(queries.orgs_q(q)).order_by("depth", "path")[: limit + 1]
    return [SearchHit(o.name, str(o.get_kind_display()), reverse("orgs:org_detail", args=[o.pk])) for o in found]


def _search_people(user: Actor, q: str, limit: int) -> list[SearchHit]:
    """Workers in the user's scope matching the one people search (`queries.people_q`): a name part, the last four
    of the ID number, a mobile tail, a whole ID or mobile number."""
    from .models import Person

    found = (queries.people_matching(Person.objects.for_user(user), q).select_related("employer")
             .order_by("name", "pk"))
    return [SearchHit(p.name, f"{p.employer.display_name} · …{p.id_masked[-4:]}",
                      reverse("orgs:person_detail", args=[p.pk])) for p in found[: limit + 1]]


def _cadre_landing(user: Actor) -> str | None:
    return reverse("orgs:home") if is_cadre(user) else None


def _worker_landing(user: Actor) -> str | None:
    return reverse("orgs:my_record") if getattr(user, "person_id", None) else None


def _load_demo(scale: str, log: Callable[[str], None], reset: bool) -> str:
    from . import demo

    result = demo.load(scale, log=log, reset=reset)
    stats, timings = result["stats"], result["timings"]
    return (f"Loaded {stats['orgs']:,} organisations, {stats['people']:,} people, {stats['memberships']:,} "
            f"memberships, {stats['grade_records']:,} skill-grade records, {stats['audit_events']:,} audit events, "
            f"{stats['accounts']} accounts, {stats['transfers']} pending transfers in {timings['total']:.1f} s.")


def _demo_loaded() -> bool:
    from . import demo

    return demo.demo_loaded()


def _demo_refusal() -> str:
    from .models import Org

    if Org.objects.exists():
        return ("The database already has organisations that are not the demo; refusing to load the demo over them. "
                "Use --reset to delete them and load the demo.")
    return ""



def _occupations_missing() -> bool:
    from .models import Occupation

    return not Occupation.objects.exists()


def _load_occupations() -> int:
    from .models import Occupation
    from .occupations import load

    return load(Occupation)


def register() -> None:
    from .demo import DEMO_PASSWORD, PERSONAS

    registry.register_nav(
        NavSection("my_record", gettext_lazy("My record"), 10),
        NavSection("orgs", gettext_lazy("Organisations & members"), 20),
        NavSection("me", gettext_lazy("Me"), 90),
        NavItem("my_record", gettext_lazy("My details"), "orgs:my_record", 10, visible=is_worker),
        NavItem("orgs", gettext_lazy("Overview"), "orgs:home", 10, visible=is_cadre),
        NavItem("orgs", gettext_lazy("Union organisations"), "orgs:org_tree", 20, visible=is_cadre,
                active=("orgs:org_*",)),
        NavItem("orgs", gettext_lazy("Workers"), "orgs:person_list", 30, visible=is_cadre,
                active=("orgs:person_*", "orgs:transfer_request")),
        NavItem("orgs", gettext_lazy("Membership transfers"), "orgs:transfer_list", 40, visible=is_cadre,
                active=("orgs:transfer_*",)),
        NavItem("orgs", gettext_lazy("Roster imports"), "core:import_list", 50, visible=is_cadre,
                active=("core:import_*",)),
        NavItem("orgs", gettext_lazy("Accounts & roles"), "orgs:account_list", 60, visible=manages_accounts,
                active=("orgs:account_list", "orgs:account_detail", "orgs:account_create", "orgs:account_grant",
                        "orgs:account_revoke", "orgs:account_set_active")),
        NavItem("me", gettext_lazy("My account"), "orgs:account", 10),
        NavItem("me", gettext_lazy("Change password"), "orgs:password_change", 20),
        NavItem("me", gettext_lazy("API tokens"), "orgs:api_tokens", 40, visible=is_cadre,
                active=("orgs:api_token*",)),
    )
    registry.register_landing(Landing("orgs.cadre", 50, _cadre_landing), Landing("orgs.worker", 80, _worker_landing))
    registry.register_todo(_incoming_transfers)
    registry.register_search(
        SearchProvider("orgs.orgs", gettext_lazy("Organisations"), _search_orgs, 10, visible=is_cadre),
        SearchProvider("orgs.people", gettext_lazy("Workers"), _search_people, 20, visible=is_cadre),
    )
    registry.register_reference_data(ReferenceData("orgs.occupations", _occupations_missing, _load_occupations))
    registry.register_demo(DemoLoader("orgs", _load_demo, loaded=_demo_loaded, refusal=_demo_refusal))
    registry.register_personas(*[Persona(p.username, p.role_label, p.sees, DEMO_PASSWORD, 10 + i)
                                 for i, p in enumerate(PERSONAS)])
