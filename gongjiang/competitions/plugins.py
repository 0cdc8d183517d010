"""What the competitions app contributes through core's registries (called from CompetitionsConfig.ready): the
competitions and judging menus, the judges' and evaluators' landing pages, their waiting work and the organisers'
(registrations to approve, appeals to decide, sheets to sign or lock, periods to evaluate), the search of
competitions, and the demo seasons with their personas."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import (
    DemoLoader,
    DetailPanel,
    Landing,
    NavItem,
    NavSection,
    Persona,
    SearchHit,
    SearchProvider,
    SuggestionProvider,
)
from gongjiang.core.scoping import memo
from gongjiang.orgs import scoping
from gongjiang.orgs.plugins import is_cadre

from .choices import AppealState, CompetitionKind, EntryStatus, JudgeRole, PeriodState, RoundState, SheetState


def _roles(user: Any) -> tuple[bool, bool]:
    """(judges, evaluates) for the account: one query per request, however many menus and landings ask."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from .models import Evaluator, Judge

    if not getattr(user, "is_authenticated", False):
        return False, False

    def load() -> tuple[bool, bool]:
        row = (get_user_model().objects.filter(pk=user.pk)
               .annotate(j=Exists(Judge.objects.filter(user_id=OuterRef("pk"), is_active=True)),
                         e=Exists(Evaluator.objects.filter(user_id=OuterRef("pk"))))
               .values_list("j", "e").first())
        return (bool(row[0]), bool(row[1])) if row else (False, False)

    return memo(user, "competitions.roles", load)


def is_judge(user: Any) -> bool:
    """In an active judge pool (a judge, chief judge or supervisor of some round)."""
    return _roles(user)[0]


def is_evaluator(user: Any) -> bool:
    """Appointed to evaluate some labour competition (考评员)."""
    return _roles(user)[1]


def evaluates_only(user: Any) -> bool:
    """An evaluator without a cadre's role (a cadre finds labour competitions in the competitions menu)."""
    return is_evaluator(user) and not is_cadre(user)


def has_worker_record(user: Any) -> bool:
    return bool(getattr(user, "person_id", None))


def _judge_landing(user: Any) -> str | None:
    return reverse("competitions:judge_home") if is_judge(user) else None


def _evaluator_landing(user: Any) -> str | None:
    return reverse("competitions:labour_list") if is_evaluator(user) else None


# ---------------------------------------------------------------------------------------------
# Waiting work


def _organiser_work(user: Any) -> list[registry.TodoItem]:
    """Registrations awaiting approval and appeals awaiting a decision, in the rounds the user runs."""
    from .models import Appeal, Entry, Round

    if scoping.scope_for(user, "change").is_empty:
        return []
    rounds = Round.objects.for_user(user, "change").values("pk")
    pending = Entry.objects.filter(round__in=rounds, status=EntryStatus.PENDING).count()
    appeals = Appeal.objects.filter(entry__round__in=rounds, state=AppealState.FILED).count()
    return [
        registry.TodoItem(_("%(n)d registrations wait for your approval.") % {"n": pending}, pending,
                          reverse("competitions:competition_list"), "competitions", 30),
        registry.TodoItem(_("%(n)d appeals wait for your decision.") % {"n": appeals}, appeals,
                          reverse("competitions:competition_list"), "competitions", 25),
    ]


def _judge_work(user: Any) -> list[registry.TodoItem]:
    """A judge's sheets still to sign; a chief judge's entries whose sheets are all signed, waiting to be locked."""
    from .models import Sheet

    if not is_judge(user):
        return []
    to_sign = Sheet.objects.filter(judge__judge__user_id=user.pk, judge__role=JudgeRole.JUDGE,
                                   round__state=RoundState.MARKING, state=SheetState.OPEN).count()
    chief_rounds = Sheet.objects.filter(round__judges__judge__user_id=user.pk, round__judges__role=JudgeRole.CHIEF,
                                        round__state=RoundState.MARKING)
    to_lock = (chief_rounds.values("entry_id").order_by()
               .annotate(open=Count("pk", filter=~Q(state=SheetState.SIGNED)))
               .filter(open=0).count())
    home = reverse("competitions:judge_home")
    return [
        registry.TodoItem(_("%(n)d mark sheets wait for your marks and signature.") % {"n": to_sign}, to_sign, home,
                          "competitions", 10),
        registry.TodoItem(_("%(n)d contestants' sheets are all signed and wait for you to lock them.") % {"n": to_lock},
                          to_lock, home, "competitions", 15),
    ]


def _evaluator_work(user: Any) -> list[registry.TodoItem]:
    """Open evaluation periods of the labour competitions the user evaluates, without their evaluations yet."""
    from .models import Evaluation, Period

    if not is_evaluator(user):
        return []
    mine = Period.objects.filter(state=PeriodState.OPEN, competition__evaluators__user_id=user.pk)
    done = Evaluation.objects.filter(evaluator_id=user.pk).values("period_id")
    n = mine.exclude(pk__in=done).distinct().count()
    return [registry.TodoItem(_("%(n)d evaluation periods wait for your evaluations.") % {"n": n}, n,
                              reverse("competitions:labour_list"), "competitions", 20)]


# ---------------------------------------------------------------------------------------------
# Search


def _search_competitions(user: Any, q: str, limit: int) -> list[SearchHit]:
    from .models import Competition

    found = (Competition.objects.for_user(user, "view").filter(name__contains=q).select_related("organiser")
             .order_by("-year", "-pk")[: limit + 1])
    hits = []
    for c in found:
        url = reverse("competitions:labour_detail" if c.kind == CompetitionKind.LABOUR else
                      "competitions:competition_detail", args=[c.pk])
        hits.append(SearchHit(c.name, f"{c.year} · {c.organiser.display_name}", url))
    return hits


# ---------------------------------------------------------------------------------------------
# The person page (orgs.person) and the worker's own record: their competitions


def _person_panel(request: Any, person: Any) -> dict[str, Any]:
    """The person's entries the viewer may see (queries.person_competitions: two queries), with the links the viewer
    may follow: the competition's page, the certificate (PDF), and — on their own record — their registration."""
    from . import queries

    rows = queries.person_competitions(request.user, person)
    own = person.pk == getattr(request.user, "person_id", None)
    for r in rows:
        r.competition_url = (reverse("competitions:competition_detail", args=[r.entry.round.event.competition_id])
                             if r.competition_visible and not own else "")
        r.certificate_url = (reverse("competitions:certificate_pdf", args=[r.certificate_id])
                             if r.certificate_id and not r.certificate_revoked else "")
        r.entry_url = reverse("competitions:my_competitions") + f"#entry-{r.entry.pk}" if own else ""
    return {"rows": rows, "own": own}


# ---------------------------------------------------------------------------------------------
# The demo


def _load_demo(scale: str, log: Any, reset: bool) -> str:
    import time

    from . import demo

    t = time.perf_counter()
    figures = demo.load(log=log, events=3 if scale == "tiny" else 10)
    return (f"Loaded the competitions: {figures['rounds']} rounds run, {figures['entries']:,} entries, "
            f"{figures['marks']:,} marks, {figures['judges']} judges in {time.perf_counter() - t:.1f} s.")


def _wipe_demo() -> None:
    from . import demo

    demo.wipe()


def register() -> None:
    from gongjiang.orgs.demo import DEMO_PASSWORD

    from .demo import PERSONAS

    registry.register_nav(
        NavSection("competitions", gettext_lazy("Competitions"), 30),
        NavSection("judging", gettext_lazy("Judging & evaluation"), 40),
        NavItem("my_record", gettext_lazy("My competitions"), "competitions:my_competitions", 20,
                visible=has_worker_record, active=("competitions:my_*",)),
        NavItem("competitions", gettext_lazy("Skills competitions"), "competitions:competition_list", 10,
                visible=is_cadre,
                active=("competitions:competition_*", "competitions:stage_*", "competitions:rounds_open",
                        "competitions:event_*", "competitions:scheme_*", "competitions:trade_search",
                        "competitions:round_*", "competitions:draw_*", "competitions:entry_ticket",
                        "competitions:appeal_*", "competitions:promotion_*", "competitions:certificate_*")),
        NavItem("competitions", gettext_lazy("Registering our workers"), "competitions:unit_registrations", 20,
                visible=is_cadre, active=("competitions:unit_*", "competitions:team_*")),
        NavItem("competitions", gettext_lazy("Labour competitions"), "competitions:labour_list", 30,
                visible=is_cadre, active=("competitions:labour_*",)),
        NavItem("competitions", gettext_lazy("Results on public notice"), "competitions:public_notices", 40,
                active=("competitions:public_notice",)),
        NavItem("judging", gettext_lazy("My mark sheets"), "competitions:judge_home", 10, visible=is_judge,
                active=("competitions:sheet_*", "competitions:chief_board", "competitions:entry_lock",
                        "competitions:round_recheck", "competitions:round_decrypt")),
        NavItem("judging", gettext_lazy("Labour competition evaluation"), "competitions:labour_list", 20,
                visible=evaluates_only, active=("competitions:labour_*",)),
    )
    registry.register_landing(Landing("competitions.judge", 60, _judge_landing),
                              Landing("competitions.evaluator", 65, _evaluator_landing))
    registry.register_todo(_organiser_work, _judge_work, _evaluator_work)
    registry.register_search(SearchProvider("competitions", gettext_lazy("Competitions"), _search_competitions, 30))
    from . import honour_suggestions

    registry.register_honour_suggestions(SuggestionProvider("competitions", gettext_lazy("Skills competitions"),
                                                            honour_suggestions.suggest, 30))
    registry.register_detail_panel("orgs.person", DetailPanel("competitions", "competitions/people/_person_panel.html",
                                                              _person_panel, order=40))
    registry.register_demo(DemoLoader("competitions", _load_demo, after=("orgs",), wipe=_wipe_demo,
                                      scales=("demo",)))
    registry.register_personas(*[Persona(p.username, p.role_label, p.sees, DEMO_PASSWORD, 30 + i)
                                 for i, p in enumerate(PERSONAS)])
