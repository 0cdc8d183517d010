"""What the innovation app contributes through core's registries (called from InnovationConfig.ready): the
innovation menu, the valuators' landing page, the work waiting (proposals to accept, to give valuators, to decide;
valuations to give; benefits to sign off; projects' overdue milestones), the search of proposals and projects, the
home panel with the year's figures, the demo's proposals and projects and the valuator persona."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import (
    DemoLoader,
    HomePanel,
    Landing,
    NavItem,
    NavSection,
    Persona,
    SearchHit,
    SearchProvider,
    SuggestionProvider,
)
from gongjiang.core.scoping import memo
from gongjiang.orgs.plugins import is_cadre

from .choices import Duty, State

EXPERT = "expert"  # beside the duties: an active expert of some pool


def _duties(user: Any) -> frozenset[str]:
    """The duties the account holds (valuator, finance, technical association officer) and whether it is an expert
    of a pool (`EXPERT`): one query per request, the appointments and the pools read together."""
    from django.db.models import Value

    from .models import Appointment, Expert

    if not getattr(user, "is_authenticated", False):
        return frozenset()

    def read() -> frozenset[str]:
        duties = Appointment.objects.filter(user_id=user.pk, active=True).values_list("duty")
        expert = Expert.objects.filter(user_id=user.pk, active=True).annotate(d=Value(EXPERT)).values_list("d")
        return frozenset(d for (d,) in duties.union(expert))  # UNION: each value once

    return memo(user, "innovation.duties", read)


def is_valuator(user: Any) -> bool:
    return Duty.VALUATOR in _duties(user)


def is_finance(user: Any) -> bool:
    return Duty.FINANCE in _duties(user)


def _cadre_or_finance(user: Any) -> bool:
    """The proposals list: the cadres', and the finance officers' (the recorded benefits waiting for them)."""
    return is_cadre(user) or is_finance(user)


def has_worker_record(user: Any) -> bool:
    return bool(getattr(user, "person_id", None))


def is_expert(user: Any) -> bool:
    """Whether the account is an active expert of some pool (the blind review pages)."""
    return EXPERT in _duties(user)


def _expert_landing(user: Any) -> str | None:
    return reverse("innovation:my_reviews") if is_expert(user) and not is_cadre(user) else None


def _valuator_landing(user: Any) -> str | None:
    return reverse("innovation:valuations") if is_valuator(user) and not is_cadre(user) else None


# ---------------------------------------------------------------------------------------------
# Waiting work


def _union_work(user: Any) -> list[registry.TodoItem]:
    from . import queries

    if not is_cadre(user):
        return []
    n = queries.counts_waiting(user)
    url = reverse("innovation:proposal_list")
    return [
        registry.TodoItem(_("%(n)d proposals wait for acceptance.") % {"n": n["acceptance"]}, n["acceptance"],
                          f"{url}?waiting=acceptance", "innovation", 35),
        registry.TodoItem(_("%(n)d accepted proposals wait for valuators.") % {"n": n["valuation"]}, n["valuation"],
                          f"{url}?waiting=valuation", "innovation", 36),
        registry.TodoItem(_("%(n)d valued proposals wait for your decision.") % {"n": n["decision"]}, n["decision"],
                          f"{url}?waiting=decision", "innovation", 37),
    ]


def _valuator_work(user: Any) -> list[registry.TodoItem]:
    from . import queries

    if not is_valuator(user):
        return []
    n = queries.my_assignments(user, open_only=True).count()
    return [registry.TodoItem(_("%(n)d proposals wait for your valuation.") % {"n": n}, n,
                              reverse("innovation:valuations"), "innovation", 20)]


def _finance_work(user: Any) -> list[registry.TodoItem]:
    from .models import Appointment, Proposal

    if not is_finance(user):
        return []
    paths = list(Appointment.objects.filter(user_id=user.pk, duty=Duty.FINANCE, active=True)
                 .values_list("org__path", flat=True))
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(enterprise__path__startswith=p)
    n = Proposal.objects.filter(q, state=State.IMPLEMENTING, benefit__recorded_at__isnull=False).count()
    return [registry.TodoItem(_("%(n)d recorded benefits wait for your sign-off.") % {"n": n}, n,
                              reverse("innovation:proposal_list") + "?waiting=sign_off", "innovation", 25)]


def _cadre_work(user: Any) -> list[registry.TodoItem]:
    """The projects' overdue milestones, and the organiser's calls whose reviews are all in (to rank) or whose
    notice has ended (to make final): three counts in one query."""
    from django.db.models import Exists, OuterRef

    from gongjiang.core.models import PublicNotice

    from . import queries
    from .choices import CallState, ReviewState
    from .models import Call, Review
    from .publicity import CALL_NOTICE

    if not is_cadre(user):
        return []
    mine = Call.objects.for_user(user, "change")
    pending = Review.objects.filter(call=OuterRef("pk"), state=ReviewState.ASSIGNED)
    ended = PublicNotice.objects.filter(kind=CALL_NOTICE, ends_on__lt=timezone.localdate()).values("owner_id")
    milestones, to_rank, to_finalise = queries.count_many(
        queries.overdue_milestones(user), mine.filter(state=CallState.REVIEWING).exclude(Exists(pending)),
        mine.filter(state=CallState.NOTICE, pk__in=ended))
    calls = reverse("innovation:call_list")
    return [
        registry.TodoItem(_("%(n)d milestones of innovation projects are overdue.") % {"n": milestones}, milestones,
                          reverse("innovation:project_list") + "?overdue=on", "innovation", 38),
        registry.TodoItem(_("%(n)d achievement calls have every review in: rank them.") % {"n": to_rank}, to_rank,
                          calls, "innovation", 39),
        registry.TodoItem(_("%(n)d achievement calls have ended their notice: make the results final.") % {
            "n": to_finalise}, to_finalise, calls, "innovation", 40),
    ]


def _expert_work(user: Any) -> list[registry.TodoItem]:
    from . import queries
    from .choices import ReviewState

    if not is_expert(user):
        return []
    n = queries.achievements.my_reviews(user).filter(state=ReviewState.ASSIGNED).count()
    return [registry.TodoItem(_("%(n)d achievements wait for your review.") % {"n": n}, n,
                              reverse("innovation:my_reviews"), "innovation", 21)]


# ---------------------------------------------------------------------------------------------
# Search and the home panel


def _search(user: Any, q: str, limit: int) -> list[SearchHit]:
    from .models import Proposal

    found = (Proposal.objects.for_user(user, "view").filter(title__contains=q).select_related("unit")
             .order_by("-submitted_at", "-id")[: limit + 1])
    return [SearchHit(p.title, f"{p.number} · {p.unit.display_name} · {p.get_state_display()}",
                      p.get_absolute_url()) for p in found]


def _search_projects(user: Any, q: str, limit: int) -> list[SearchHit]:
    from .models import Project

    found = (Project.objects.for_user(user, "view").filter(title__contains=q).select_related("org")
             .order_by("-created_at", "-id")[: limit + 1])
    return [SearchHit(p.title, f"{p.number} · {p.org.display_name} · {p.get_stage_display()}",
                      p.get_absolute_url()) for p in found]


def _home_panel(request: Any, scope: Any) -> dict[str, Any]:
    """This year's figures beside last year's (a tile each, and a chart of the counts): one query."""
    from .queries import figures

    if scope is None:
        return {"figures": None}

    year = timezone.localdate().year
    this, last = figures.this_and_last(scope, year)  # one query: the proposals' and the technical associations'
    counted = ("submitted", "adopted", "projects_transferred", "prizes", "matches_signed")
    chart = {"empty": _("No figures yet"), "compare": {
        "labels": [_("Proposals submitted"), _("Proposals adopted"), _("Projects promoted"),
                   _("Achievements awarded a prize"), _("Matches signed")],
        "now": [getattr(this, f) for f in counted], "before": [getattr(last, f) for f in counted],
        "now_name": str(year), "before_name": str(year - 1)}}
    return {"figures": this, "last": last, "year": year, "tiles": figures.kpis(this, last, figures.HOME_KPIS),
            "chart": chart}


# ---------------------------------------------------------------------------------------------
# The demo


def _load_demo(scale: str, log: Any, reset: bool) -> str:
    import time

    from . import demo

    t = time.perf_counter()
    figures = demo.load(log=log, proposals=600 if scale == "tiny" else 30000)
    return (f"Loaded the innovation proposals: {figures['proposals']:,} proposals, {figures['adopted']:,} adopted, "
            f"{figures['rewarded']:,} rewarded, {figures['projects']:,} innovation projects in "
            f"{time.perf_counter() - t:.1f} s.")


def _wipe_demo() -> None:
    from . import demo

    demo.wipe()


def _loaded() -> bool:
    from .models import Proposal

    return Proposal.objects.exists()  # the projects come with the proposals (demo.load)


def register() -> None:
    from gongjiang.orgs.demo import DEMO_PASSWORD

    from . import honour_suggestions
    from .demo import PERSONAS
    from .demo_calls import PERSONAS as CALL_PERSONAS

    registry.register_honour_suggestions(SuggestionProvider("innovation", gettext_lazy("Innovation"),
                                                            honour_suggestions.suggest, 40))
    registry.register_nav(
        NavSection("innovation", gettext_lazy("Innovation"), 35),
        NavItem("innovation", gettext_lazy("My proposals"), "innovation:my_proposals", 10, visible=has_worker_record,
                active=("innovation:my_*", "innovation:submit")),
        NavItem("innovation", gettext_lazy("Proposals"), "innovation:proposal_list", 20, visible=_cadre_or_finance,
                active=("innovation:proposal_*", "innovation:assign")),
        NavItem("innovation", gettext_lazy("Innovation projects"), "innovation:project_list", 25, visible=is_cadre,
                active=("innovation:project_*",)),
        NavItem("innovation", gettext_lazy("Proposals to value"), "innovation:valuations", 30, visible=is_valuator,
                active=("innovation:valuation*",)),
        NavItem("innovation", gettext_lazy("Achievement calls"), "innovation:call_list", 27, visible=is_cadre,
                active=("innovation:call_*", "innovation:achievement_*", "innovation:experts")),
        NavItem("innovation", gettext_lazy("My reviews"), "innovation:my_reviews", 32, visible=is_expert,
                active=("innovation:my_reviews", "innovation:review*")),
        NavItem("innovation", gettext_lazy("Innovation figures"), "innovation:figures", 40, visible=is_cadre),
        NavItem("innovation", gettext_lazy("Rewards"), "innovation:policy", 50, visible=is_cadre,
                active=("innovation:policy", "innovation:ledger", "innovation:appointments")),
    )
    registry.register_landing(Landing("innovation.valuator", 62, _valuator_landing))
    registry.register_landing(Landing("innovation.expert", 63, _expert_landing))
    registry.register_todo(_union_work, _valuator_work, _finance_work, _cadre_work, _expert_work)
    registry.register_search(SearchProvider("innovation", gettext_lazy("Proposals"), _search, 35, visible=is_cadre))
    registry.register_search(SearchProvider("innovation_projects", gettext_lazy("Innovation projects"),
                                            _search_projects, 36, visible=is_cadre))
    registry.register_home_panel(HomePanel("innovation", "innovation/_home_panel.html", _home_panel, 40,
                                           visible=is_cadre))
    registry.register_demo(DemoLoader("innovation", _load_demo, after=("orgs",), wipe=_wipe_demo, loaded=_loaded,
                                      scales=("demo", "tiny")))
    registry.register_personas(*[Persona(p.username, p.role_label, p.sees, DEMO_PASSWORD, 45 + i)
                                 for i, p in enumerate([*PERSONAS, *CALL_PERSONAS])])

    from . import techassoc_plugins

    techassoc_plugins.register()  # the workers' technical associations (menu, landing, search, demo, persona)

    from . import evidence

    evidence.register()  # proposals, projects, achievements counted for a studio's yearly assessment (honours)



# ---------------------------------------------------------------------------------------------
# The 6·18 exhibition (part 4 of issue 10): its menu entry and the search of matches. Its waiting work (entries to
# check, meeting requests to answer) is on the exhibition's pages, not in the overview's to-do: the overview keeps
# its fixed number of queries (orgs' test_the_overview_uses_a_constant_number_of_queries).


def _search_matches(user: Any, q: str, limit: int) -> list[SearchHit]:
    from .models import Match

    found = (Match.objects.for_user(user, "view").filter(Q(offer__title__contains=q) | Q(need__title__contains=q))
             .select_related("offer", "need", "exhibition").order_by("-created_at", "-id")[: limit + 1])
    return [SearchHit(f"{m.offer.title} ⇄ {m.need.title}", f"{m.number} · {m.get_state_display()}",
                      m.get_absolute_url()) for m in found]


def register_exhibition() -> None:
    registry.register_nav(
        NavItem("innovation", gettext_lazy("6·18 exhibition"), "innovation:exhibition_list", 45, visible=is_cadre,
                active=("innovation:exhibition_*", "innovation:offer_*", "innovation:need_*", "innovation:match_*",
                        "innovation:meeting_*")),
    )
    registry.register_search(SearchProvider("innovation_matches", gettext_lazy("Exhibition matches"), _search_matches,
                                            37, visible=is_cadre))
