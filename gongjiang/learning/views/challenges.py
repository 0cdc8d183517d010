"""The challenges' pages.

Cadres: the challenges of their scope, creating and editing one, its levels (the level editor with its draw rules),
reordering, publishing, and its figures. Workers (phone-first): 我的学习 (open challenges with progress, daily
practice, wrong answers, points and badges), a challenge's map of levels, entering a level (a POST that redirects to
the attempt page), the wrong-answer notebook. Both: the leaderboards by person and by org."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.errors import DomainError
from gongjiang.core.types import logged_in
from gongjiang.orgs.models import Person
from gongjiang.orgs.queries.orgs import page_org
from gongjiang.orgs.scoping import within

from .. import services
from ..challenge_forms import ChallengeForm, LevelForm, RuleForm, RuleFormSet
from ..models import Challenge, Level
from ..queries import challenges as queries

# ------------------------------------------------------------------------------------------------
# Cadres


def _challenge(request: HttpRequest, pk: int, action: str = "view") -> Challenge:
    return get_object_or_404(Challenge.objects.for_user(request.user, action).select_related("org"), pk=pk)


@login_required
def challenge_list(request: HttpRequest) -> HttpResponse:
    if not queries.challenges_for(request.user).exists() and not page_org(request):
        raise PermissionDenied(_("Level challenges are run by the unions' cadres."))
    org = page_org(request)
    return render(request, "learning/challenge_list.html", {
        "page": pages.paginate(request, queries.challenges_for(request.user), 50), "org": org,
        "can_create": org is not None and org.in_scope(request.user, "change")})


@login_required
def challenge_create(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    if org is None or not org.in_scope(request.user, "change"):
        raise PermissionDenied(_("Choose a union you may change in the top bar first."))
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        c = pages.handle(form, lambda: services.create_challenge(
            actor=logged_in(request.user), org=org, title=d["title"], opens_on=d["opens_on"],
            closes_on=d["closes_on"], description=d["description"], badge=d["badge"]))
        if c is not None:
            messages.success(request, _("Challenge created: add its levels."))
            return redirect("learning:challenge_detail", c.pk)
    return render(request, "learning/challenge_form.html", {"form": form, "org": org},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def challenge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    c = _challenge(request, pk, "change")
    form = ChallengeForm(request.POST or None, initial=ChallengeForm.initial_of(c))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = pages.handle(form, lambda: services.update_challenge(
            actor=logged_in(request.user), challenge=c, title=d["title"], opens_on=d["opens_on"],
            closes_on=d["closes_on"], description=d["description"], trade=c.trade, badge=d["badge"]))
        if done is not None:
            messages.success(request, _("Challenge saved."))
            return redirect("learning:challenge_detail", c.pk)
    return render(request, "learning/challenge_form.html", {"form": form, "org": c.org, "challenge": c},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = _challenge(request, pk)
    levels = list(c.levels.prefetch_related("banks").order_by("number"))
    return render(request, "learning/challenge_detail.html", {
        "challenge": c, "levels": levels, "can_change": c.can_change(request.user),
        "total": queries.org_total(c, c.org)})


@login_required
@require_POST
def challenge_publish(request: HttpRequest, pk: int) -> HttpResponse:
    c = _challenge(request, pk, "change")
    user = logged_in(request.user)
    if request.POST.get("action") == "withdraw":
        pages.act(request, lambda: services.withdraw_challenge(actor=user, challenge=c), _("Challenge withdrawn."))
    else:
        pages.act(request, lambda: services.publish_challenge(actor=user, challenge=c),
                  _("Challenge published: the workers of the union can take it now."))
    return redirect("learning:challenge_detail", c.pk)


@login_required
@require_POST
def level_move(request: HttpRequest, pk: int, level_pk: int) -> HttpResponse:
    c = _challenge(request, pk, "change")
    ids = list(c.levels.order_by("number").values_list("pk", flat=True))
    if level_pk not in ids:
        raise Http404
    i = ids.index(level_pk)
    j = i - 1 if request.POST.get("direction") == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
        pages.act(request, lambda: services.reorder_levels(actor=logged_in(request.user), challenge=c, order=ids),
                  _("Levels reordered."))
    return redirect("learning:challenge_detail", c.pk)


@login_required
@require_POST
def level_remove(request: HttpRequest, pk: int, level_pk: int) -> HttpResponse:
    c = _challenge(request, pk, "change")
    lv = get_object_or_404(Level, pk=level_pk, challenge=c)
    pages.act(request, lambda: services.remove_level(actor=logged_in(request.user), level=lv), _("Level removed."))
    return redirect("learning:challenge_detail", c.pk)


@login_required
def level_edit(request: HttpRequest, pk: int, level_pk: int | None = None) -> HttpResponse:
    c = _challenge(request, pk, "change")
    lv = get_object_or_404(Level, pk=level_pk, challenge=c) if level_pk else None
    banks = queries.usable_banks(c.org).order_by("org__path", "name")
    fixed = [r for r in (lv.draw if lv else []) if isinstance(r, dict) and "questions" in r]
    initial_rules = [RuleForm.initial_of(r) for r in (lv.draw if lv else []) if isinstance(r, dict)
                     and "questions" not in r]
    form = LevelForm(request.POST or None, banks=banks, initial=LevelForm.initial_of(lv) if lv else None)
    rules = RuleFormSet(request.POST or None, prefix="rule", initial=initial_rules)
    if request.method == "POST" and form.is_valid() and rules.is_valid():
        d = form.cleaned_data
        draw = [r for r in (f.rule() for f in rules.forms) if r] + fixed
        saved = pages.handle(form, lambda: services.save_level(
            actor=logged_in(request.user), challenge=c, level=lv, title=d["title"], banks=list(d["banks"]),
            draw=draw, time_limit=d["time_limit"] * 60, pass_mark=d["pass_mark"], max_attempts=d["max_attempts"],
            points=d["points"], badge=d["badge"], partial=d["partial"], shuffle=d["shuffle"]))
        if saved is not None:
            messages.success(request, _("Level saved."))
            return redirect("learning:challenge_detail", c.pk)
        if "draw" in form.errors:  # the draw rules' refusal: shown above the rules
            rules_error = form.errors.pop("draw")
            form.add_error(None, rules_error)
    return render(request, "learning/challenge_level_form.html", {
        "form": form, "rules": rules, "challenge": c, "level": lv, "fixed": fixed},
        status=400 if form.is_bound and (form.errors or rules.errors) else 200)


@login_required
def challenge_figures(request: HttpRequest, pk: int) -> HttpResponse:
    c = _challenge(request, pk)
    return render(request, "learning/challenge_figures.html", {
        "challenge": c, "total": queries.org_total(c, c.org), "reached": queries.reached(c),
        "members": c.org.reach_totals()["members"]})


# ------------------------------------------------------------------------------------------------
# Workers


def _person(request: HttpRequest) -> Person:
    person_id = getattr(request.user, "person_id", None)
    if not person_id:
        raise PermissionDenied(_("These pages are for workers with a worker record."))
    return Person.objects.select_related("employer").get(pk=person_id)


def _active_redirect(request: HttpRequest, error: DomainError) -> HttpResponse | None:
    attempt_id = getattr(error, "attempt_id", None)
    if error.code == "active" and attempt_id:
        messages.info(request, error.message)
        return redirect("learning:attempt", attempt_id)
    return None


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    return render(request, "learning/challenge_home.html", {"person": person, "progress": queries.progress(person)})


@login_required
def my_challenge(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    c = get_object_or_404(Challenge.objects.select_related("org"), pk=pk)
    if not queries.visible_to_worker(person, c):
        raise Http404
    rows = queries.level_map(person, c)
    return render(request, "learning/challenge_map.html", {
        "challenge": c, "rows": rows, "open": queries.is_open(c), "rank": queries.my_rank(c, person),
        "cleared": sum(1 for r in rows if r.state == "cleared")})


@login_required
@require_POST
def level_enter(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    lv = get_object_or_404(Level.objects.select_related("challenge__org"), pk=pk)
    if not queries.visible_to_worker(person, lv.challenge):
        raise Http404
    attempt, refusal = pages.attempt(lambda: services.enter_level(actor=logged_in(request.user), level=lv))
    if refusal is not None:
        return _active_redirect(request, refusal) or _refused(request, refusal, "learning:my_challenge",
                                                              lv.challenge_id)
    return redirect("learning:attempt", attempt.pk)


def _refused(request: HttpRequest, error: DomainError, name: str, *args: Any) -> HttpResponse:
    messages.error(request, error.message)
    return redirect(reverse(name, args=args))


@login_required
@require_POST
def my_practice(request: HttpRequest) -> HttpResponse:
    _person(request)
    attempt, refusal = pages.attempt(lambda: services.start_practice(actor=logged_in(request.user)))
    if refusal is not None:
        return _active_redirect(request, refusal) or _refused(request, refusal, "learning:my_learning")
    return redirect("learning:attempt", attempt.pk)


@login_required
@require_POST
def my_mistake_practice(request: HttpRequest) -> HttpResponse:
    _person(request)
    attempt, refusal = pages.attempt(lambda: services.start_mistake_practice(actor=logged_in(request.user)))
    if refusal is not None:
        return _active_redirect(request, refusal) or _refused(request, refusal, "learning:my_mistakes")
    return redirect("learning:attempt", attempt.pk)


@login_required
def my_mistakes(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    page = pages.paginate(request, queries.open_mistakes(person), 20)
    return render(request, "learning/challenge_mistakes.html", {"page": page,
                                                                "rows": queries.mistake_rows(page.object_list)})


# ------------------------------------------------------------------------------------------------
# Leaderboards (cadres who see the challenge, workers it is open to)


def _board_challenge(request: HttpRequest, pk: int) -> Challenge:
    c = get_object_or_404(Challenge.objects.select_related("org"), pk=pk)
    if not queries.board_allowed(request.user, c):
        raise Http404
    return c


@login_required
def board_people(request: HttpRequest, pk: int) -> HttpResponse:
    c = _board_challenge(request, pk)
    person_id = getattr(request.user, "person_id", None)
    mine = queries.my_rank(c, Person(pk=person_id)) if person_id else None
    return render(request, "learning/challenge_board.html", {
        "challenge": c, "rows": queries.person_board(c), "mine": mine, "tab": "people"})


@login_required
def board_orgs(request: HttpRequest, pk: int) -> HttpResponse:
    c = _board_challenge(request, pk)
    org_id = request.GET.get("org", "")
    if org_id and not org_id.isdigit():
        raise Http404
    parent = queries.board_parent(c, int(org_id) if org_id else None)
    if parent is None:
        raise Http404
    trail = [o for o in parent.ancestors_and_self() if within(o, c.org)]
    return pages.render_page(request, "learning/challenge_board.html", {
        "challenge": c, "parent": parent, "org_rows": queries.org_board(c, parent), "tab": "orgs", "trail": trail,
        "total": queries.org_total(c, parent)}, fragment="learning/_challenge_org_board.html")
