"""The achievement-call pages (成果征集与评审): the calls a user deals with, a new call, a call's page for its organiser
(the board, quotas, the entries, the assignment with pins, the second round, ranking) and for the unions below
(submit, see their own), an achievement's page (its chain, its reviews for the organiser), the expert pool, the
experts' blind review pages (phone first), and the results with award changes, the notice and recommendations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import audit, history, notices, pages
from gongjiang.core.files import serve_file
from gongjiang.core.types import logged_in
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org

from .. import publicity, queries, services
from ..call_forms import (
    AwardsForm,
    CallForm,
    ConsensusForm,
    DeclareForm,
    ExpertForm,
    PinForm,
    PublishForm,
    QuotaForm,
    ReturnForm,
    ReviewForm,
    ReviewTitleForm,
    SubmitForm,
    level_for,
)
from ..choices import AchievementState, CallLevel, CallState, ReviewState, Stage
from ..models import Achievement, AchievementFile, Call, Expert, Project, Review
from .common import scope_org

reads = queries.achievements
PER_PAGE = 50
NEW_EXPERT = "innovation.new_expert"  # the session key holding a new expert's initial password until it is shown


def call_or_404(request: HttpRequest, pk: int) -> Call:
    found = reads.calls_for(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def achievement_or_404(request: HttpRequest, pk: int) -> Achievement:
    found = (Achievement.objects.for_user(request.user, "view").select_related("call__org", "enterprise", "city",
                                                                              "project", "proposal", "source__call")
             .filter(pk=pk).first())
    if found is None:
        raise Http404
    return found


def _actor(request: HttpRequest) -> Any:
    return logged_in(request.user)


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    org = scope_org(request)
    rows = list(reads.calls_for(request.user)[:200])
    counts = dict(Achievement.objects.filter(call__in=rows, state=AchievementState.SUBMITTED).values_list("call")
                  .order_by().annotate(n=Count("pk"))) if rows else {}
    can_create = bool(org is not None and org.kind in (OrgKind.CITY, OrgKind.PROVINCE) and
                      org.can_change(request.user))
    return render(request, "innovation/calls/list.html", {
        "rows": [(c, counts.get(c.pk, 0), c.can_change(request.user)) for c in rows], "org": org,
        "can_create": can_create})


def _uppers(org: Org) -> QuerySet[Call]:
    return Call.objects.filter(level=CallLevel.PROVINCE, state__in=[CallState.DRAFT, CallState.OPEN],
                               org__path__in=[org.path[:i] for i in range(1, len(org.path))]).order_by("-year")


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    org = scope_org(request)
    if org is None or org.kind not in (OrgKind.CITY, OrgKind.PROVINCE) or not org.can_change(request.user):
        raise PermissionDenied(_("Calls are opened by a city union or the provincial federation."))
    today = timezone.localdate()
    form = CallForm(request.POST or None, uppers=_uppers(org), initial={"year": today.year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        call = pages.handle(form, lambda: services.create_call(
            actor=_actor(request), org=org, level=level_for(org.kind), year=d["year"], title=d["title"],
            submit_until=d["submit_until"], review_until=d["review_until"], per_achievement=d["per_achievement"],
            fields=d["fields_taken"], materials=d["materials"], spread_limit=d["spread_limit"],
            award_mode=d["award_mode"], award_levels=form.levels(), national_quota=d["national_quota"] or 0,
            recommend_to=d["recommend_to"]))
        if call is not None:
            messages.success(request, _("Call created as a draft: set the quotas, then open it."))
            return redirect("innovation:call_detail", pk=call.pk)
    return render(request, "innovation/calls/create.html", {"form": form, "org": org},
                  status=400 if form.is_bound and form.errors else 200)


def _lower_unions(call: Call) -> list[Org]:
    """The unions right below the organiser (cities under a province; counties and enterprises under a city) and
    the industry unions it holds."""
    return list(Org.objects.filter(path__startswith=call.org.path, depth=call.org.depth + 1, is_active=True)
                .exclude(kind__in=[OrgKind.DEPARTMENT, OrgKind.TEAM]).order_by("path")[:200])


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_or_404(request, pk)
    user = request.user
    organiser = call.can_change(user)
    board = reads.board(call) if organiser else None
    qs = reads.entries(call, user)
    if pages.wants_export(request) and organiser:
        return pages.export(call.title, [
            _("Number"), _("Achievement title"), _("Field"), _("enterprise"), _("City"), _("Authors"),
            _("Economic benefit (yuan)"), _("state"), _("Mean score"), _("Spread"), _("Ranking place"), _("Award")],
            ([a.number, a.title, a.get_field_display(), a.enterprise.name, a.city.name if a.city else "",
              reads.authors_line(a), a.benefit, a.get_state_display(), a.score, a.spread, a.rank,
              a.get_award_display() if a.award else ""] for a in qs))
    page = pages.paginate(request, qs, PER_PAGE)
    reviews: dict[int, list[Review]] = {}
    if organiser and call.state in (CallState.REVIEWING, CallState.RANKED):
        for r in Review.objects.filter(call=call, achievement__in=[a.pk for a in page.object_list]).select_related(
                "expert").order_by("round", "id"):
            reviews.setdefault(r.achievement_id, []).append(r)
    quota_form = None
    if organiser and call.state in (CallState.DRAFT, CallState.OPEN):
        current = {q.org_id: q.quota for q, _used in board.quotas} if board else {}
        quota_form = QuotaForm(unions=_lower_unions(call), current=current)
    can_submit = call.is_collecting and bool(_enterprises(request, call).exists())
    return render(request, "innovation/calls/detail.html", {
        "call": call, "organiser": organiser, "board": board, "page": page,
        "rows": [(a, reviews.get(a.pk, [])) for a in page.object_list], "quota_form": quota_form,
        "can_submit": can_submit, "criteria": call.criteria_list, "today": timezone.localdate(),
        "pool_size": reads.pool(call).count() if organiser else 0,
        "notice": notices.notice_of(publicity.CALL_NOTICE, call),
    })


def _organiser_step(request: HttpRequest, pk: int, call_verb: Any, success: str) -> HttpResponse:
    call = call_or_404(request, pk)
    if not call.can_change(request.user):
        raise PermissionDenied
    pages.act(request, lambda: call_verb(call), success)
    return redirect("innovation:call_detail", pk=call.pk)


@login_required
@require_POST
def call_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _organiser_step(request, pk, lambda c: services.open_call(actor=_actor(request), call=c),
                           _("The call is open for submissions."))


@login_required
@require_POST
def call_quotas(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_or_404(request, pk)
    form = QuotaForm(request.POST, unions=_lower_unions(call))
    if not form.is_valid():
        messages.error(request, _("Quotas are whole numbers from 0 to 999."))
        return redirect("innovation:call_detail", pk=call.pk)
    return _organiser_step(request, pk, lambda c: services.set_quotas(actor=_actor(request), call=c,
                                                                      quotas=form.quotas()), _("Quotas saved."))


@login_required
@require_POST
def call_assign(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_or_404(request, pk)
    if not call.can_change(request.user):
        raise PermissionDenied
    result, refusal = pages.attempt(lambda: services.assign_reviewers(actor=_actor(request), call=call))
    if refusal is not None:
        messages.error(request, refusal.message)
    else:
        if result.shortfalls:
            numbers = {a.pk: a.number for a in Achievement.objects.filter(
                pk__in=[s.achievement_id for s in result.shortfalls]).select_related("call")}
            for s in result.shortfalls[:10]:
                messages.warning(request, f"{numbers.get(s.achievement_id, '')}：{s.message}")
        messages.success(request, _("Reviewers assigned: %(n)s reviews, %(short)s achievements short.") % {
            "n": len(result.pairs), "short": len(result.shortfalls)})
    return redirect("innovation:call_detail", pk=call.pk)


@login_required
@require_POST
def call_second_round(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_or_404(request, pk)
    ids = [int(v) for v in request.POST.getlist("achievement") if v.isdigit()]
    chosen = list(Achievement.objects.filter(call=call, pk__in=ids))
    return _organiser_step(request, pk, lambda c: services.start_second_round(
        actor=_actor(request), call=c, achievements=chosen), _("The second round is open."))


@login_required
@require_POST
def call_rank(request: HttpRequest, pk: int) -> HttpResponse:
    response = _organiser_step(request, pk, lambda c: services.rank_call(actor=_actor(request), call=c),
                               _("The call is ranked: check the awards, then publish the results."))
    call = Call.objects.get(pk=pk)
    if call.state == CallState.RANKED:
        return redirect("innovation:call_results", pk=pk)
    return response


# ---------------------------------------------------------------------------------------------
# Submitting


def _enterprises(request: HttpRequest, call: Call) -> QuerySet[Org]:
    """The enterprises (grassroots unions) under the call that the user may submit for (at most 300 listed)."""
    ids = list(Org.objects.for_user(request.user, "change").filter(
        Q(path__startswith=call.org.path) | Q(industry_path__startswith=call.org.path),
        kind=OrgKind.GRASSROOTS, is_active=True).order_by("path").values_list("pk", flat=True)[:300])
    return Org.objects.filter(pk__in=ids).order_by("path")


def _projects(enterprises: QuerySet[Org]) -> QuerySet[Project]:
    return (Project.objects.filter(enterprise__in=enterprises, stage__in=[Stage.APPRAISED, Stage.TRANSFERRED])
            .order_by("-created_at")[:200])


@login_required
def call_submit(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_or_404(request, pk)
    enterprises = _enterprises(request, call)
    if not enterprises.exists():
        raise PermissionDenied(_("You submit for no enterprise under this call."))
    project_ids = [p.pk for p in _projects(enterprises)]
    form = SubmitForm(request.POST or None, request.FILES or None, enterprises=enterprises,
                      projects=Project.objects.filter(pk__in=project_ids).order_by("-created_at"),
                      initial={"enterprise": enterprises.first()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        enterprise = d["enterprise"]
        authors, problem = [], ""
        for name, tail in d["authors"]:
            found = queries.people_named(enterprise, name, tail)
            if len(found) != 1:
                problem = (_("%(name)s works in no unit of %(enterprise)s.") if not found else
                           _("Several colleagues are called %(name)s: add the last four digits of the mobile.")) % {
                    "name": name, "enterprise": enterprise.name}
                break
            authors.append(found[0])
        if problem:
            form.add_error("authors", problem)
        else:
            achievement = pages.handle(form, lambda: services.submit_achievement(
                actor=_actor(request), call=call, enterprise=enterprise, title=d["title"], field=d["field"],
                summary=d["summary"], innovations=d["innovations"], authors=authors, benefit=d["benefit"] or 0,
                project=d["project"], files=d["files"] or []))
            if achievement is not None:
                messages.success(request, _("Achievement %(number)s submitted to %(call)s.") % {
                    "number": achievement.number, "call": call.title})
                return redirect("innovation:achievement_detail", pk=achievement.pk)
    return render(request, "innovation/calls/submit.html", {"form": form, "call": call},
                  status=400 if form.is_bound and form.errors else 200)


# ---------------------------------------------------------------------------------------------
# An achievement


@login_required
def achievement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = achievement_or_404(request, pk)
    call = a.call
    organiser = call.can_change(request.user)
    rounds = reads.rounds_of(a) if organiser else []
    for rnd in rounds:
        for r in rnd.reviews:
            r.cells = [r.scores.get(c.key, "") for c in call.criteria_list]  # type: ignore[attr-defined]
    experts = None
    if organiser and call.state == CallState.REVIEWING:
        experts = reads.pool(call)
    return render(request, "innovation/calls/achievement.html", {
        "a": a, "call": call, "organiser": organiser, "authors": list(a.authors.select_related("person")),
        "files": list(a.files.all()), "chain": reads.chain(a),
        "rounds": rounds,
        "criteria": call.criteria_list,
        "return_form": ReturnForm() if organiser and call.state == CallState.OPEN and
        a.state == AchievementState.SUBMITTED else None,
        "pin_form": PinForm(experts=experts) if experts is not None else None,
        "consensus_form": ConsensusForm(initial={"consensus": a.consensus}) if organiser and call.state in (
            CallState.REVIEWING, CallState.RANKED) else None,
        "can_recommend": organiser and call.state == CallState.FINAL and a.award and (
            (call.level == CallLevel.CITY and call.recommend_to_id and not a.recommended.exists()) or
            (call.level == CallLevel.PROVINCE and not a.national)),
        "events": history.describe(audit.timeline(a)) if organiser else [],
        "certificate": bool(a.award and call.state == CallState.FINAL and _certificates_of([a])),
        "review_title_form": ReviewTitleForm(initial={"review_title": a.review_title})
        if a.source_id and call.state in (CallState.OPEN, CallState.REVIEWING)
        and a.enterprise.in_scope(request.user, "change") else None,
    })


def _achievement_step(request: HttpRequest, pk: int, form_class: Any, call_verb: Any, success: str
                      ) -> HttpResponse:
    a = achievement_or_404(request, pk)
    data: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST, **({"experts": reads.pool(a.call)} if form_class is PinForm else {}))
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{errors[0]}" if label else errors[0])
            return redirect("innovation:achievement_detail", pk=a.pk)
        data = form.cleaned_data
    pages.act(request, lambda: call_verb(a, data), success)
    return redirect("innovation:achievement_detail", pk=a.pk)


@login_required
@require_POST
def achievement_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _achievement_step(request, pk, ReturnForm, lambda a, d: services.return_achievement(
        actor=_actor(request), achievement=a, reason=d["reason"]), _("Achievement returned."))


@login_required
@require_POST
def achievement_pin(request: HttpRequest, pk: int) -> HttpResponse:
    return _achievement_step(request, pk, PinForm, lambda a, d: services.pin_reviewer(
        actor=_actor(request), achievement=a, expert=d["expert"], reason=d["reason"]),
        _("Expert assigned by hand."))


@login_required
@require_POST
def achievement_consensus(request: HttpRequest, pk: int) -> HttpResponse:
    return _achievement_step(request, pk, ConsensusForm, lambda a, d: services.note_consensus(
        actor=_actor(request), achievement=a, text=d["consensus"]), _("Consensus note saved."))


@login_required
@require_POST
def achievement_review_title(request: HttpRequest, pk: int) -> HttpResponse:
    return _achievement_step(request, pk, ReviewTitleForm, lambda a, d: services.set_review_title(
        actor=_actor(request), achievement=a, review_title=d["review_title"]), _("Name for the reviewers saved."))


@login_required
@require_POST
def achievement_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    return _achievement_step(request, pk, None, lambda a, d: services.recommend_achievement(
        actor=_actor(request), achievement=a), _("Achievement recommended to the next level."))


@login_required
def achievement_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    a = achievement_or_404(request, pk)
    found = get_object_or_404(AchievementFile, achievement=a, pk=file_pk)
    return serve_file(found.file, found.name, found.content_type)


def _certificates_of(achievements: list[Achievement]) -> list[Any]:
    from django.contrib.contenttypes.models import ContentType

    from gongjiang.core.models import IssuedCertificate

    return list(IssuedCertificate.objects.filter(
        kind=publicity.AWARD_CERTIFICATE, owner_type=ContentType.objects.get_for_model(Achievement),
        owner_id__in=[a.pk for a in achievements], revoked_at__isnull=True).order_by("serial"))


@login_required
def achievement_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The achievement's certificate of award (A4 landscape PDF with the QR code of its verification page), to
    whoever may see the achievement."""
    from gongjiang.core import certificates
    from gongjiang.core.pdf import pdf_response, render_pdf

    a = achievement_or_404(request, pk)
    docs = _certificates_of([a])
    if not docs:
        raise Http404
    data = render_pdf("core/certificates/certificate_pdf.html",
                      {"certificates": [certificates.pdf_context(request, d) for d in docs]}, request=request)
    return pdf_response(data, f"{docs[0].number}-{a.title}.pdf")


@login_required
def call_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """Every certificate of a call in one PDF, one per page, for its organiser to print."""
    from gongjiang.core import certificates
    from gongjiang.core.pdf import pdf_response, render_pdf

    call = call_or_404(request, pk)
    if not call.can_change(request.user):
        raise PermissionDenied
    docs = _certificates_of(list(Achievement.objects.filter(call=call, award__gt=0)))
    if not docs:
        raise Http404
    data = render_pdf("core/certificates/certificate_pdf.html",
                      {"certificates": [certificates.pdf_context(request, d) for d in docs[:500]]}, request=request)
    return pdf_response(data, f"{call.title}-{_('certificates')}.pdf", inline=False)


# ---------------------------------------------------------------------------------------------
# The expert pool


@login_required
def experts(request: HttpRequest) -> HttpResponse:
    org = scope_org(request)
    if org is None or not org.in_scope(request.user, "view"):
        raise PermissionDenied(_("Your account holds no role on a union."))
    can_change = org.can_change(request.user)
    form = ExpertForm(request.POST or None) if can_change else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            enterprise = None
            if d["enterprise"]:
                enterprise = Org.objects.for_user(request.user, "view").filter(
                    name=d["enterprise"].strip(), kind=OrgKind.GRASSROOTS).first()
                if enterprise is None:
                    form.add_error("enterprise", _("No enterprise of your scope has this name."))
            if not form.errors:
                found = pages.handle(form, lambda: services.enlist_expert(
                    actor=_actor(request), org=org, name=d["name"], username=d["username"],
                    new_account=d["new_account"], specialities=d["specialities"], title=d["title"],
                    enterprise=enterprise, max_load=d["max_load"]))
                if found is not None:
                    expert, password = found
                    messages.success(request, _("%(name)s added to the expert pool.") % {"name": expert.name})
                    if password:  # shown once, on the page the redirect opens (a reload does not post again)
                        request.session[NEW_EXPERT] = {"username": expert.user.username, "password": password}
                    return redirect(f"{request.path}?org={org.pk}")
    rows = (Expert.objects.filter(org__path__in=[org.path[:i] for i in range(4, len(org.path) + 1, 4)] +
                                  [org.path])
            .select_related("org", "enterprise", "user").order_by("org__path", "name"))
    if pages.wants_export(request):
        return pages.export(_("Expert pool"), [_("Name"), _("Professional title"), _("Specialities"), _("enterprise"),
                                               _("pool of"), _("Most reviews per call"), _("active")],
                            ([e.name, e.title, "、".join(e.speciality_labels()),
                              e.enterprise.name if e.enterprise else "", e.org.name, e.max_load,
                              _("yes") if e.active else _("no")] for e in rows))
    page = pages.paginate(request, rows, PER_PAGE)
    shown = request.session.pop(NEW_EXPERT, None) if request.method == "GET" else None
    return render(request, "innovation/calls/experts.html", {
        "org": org, "page": page, "rows": page.object_list, "form": form, "new_account": shown},
        status=400 if form is not None and form.is_bound and form.errors else 200)


# ---------------------------------------------------------------------------------------------
# The experts' blind pages


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    rows = list(reads.my_reviews(request.user))
    return render(request, "innovation/calls/my_reviews.html", {
        "todo": [r for r in rows if r.state == ReviewState.ASSIGNED],
        "done": [r for r in rows if r.state != ReviewState.ASSIGNED], "today": timezone.localdate()})


def _my_review(request: HttpRequest, pk: int) -> Review:
    found = reads.my_reviews(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    r = _my_review(request, pk)
    call = r.call
    criteria = call.criteria_list
    form = ReviewForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and r.state == ReviewState.ASSIGNED:
        form.is_valid()
        done = pages.handle(form, lambda: services.submit_review(
            actor=_actor(request), review=r, scores=form.scores(), comment=request.POST.get("comment", "")))
        if done is not None:
            messages.success(request, _("Review of %(number)s submitted.") % {"number": r.achievement.number})
            return redirect("innovation:my_reviews")
    earlier = []
    if r.round > 1:
        earlier = list(Review.objects.filter(achievement=r.achievement, round=r.round - 1,
                                             state=ReviewState.SUBMITTED).values_list("total", flat=True))
    return render(request, "innovation/calls/review.html", {
        "r": r, "a": r.achievement, "call": call, "form": form, "criteria": criteria,
        "declare_form": DeclareForm() if r.state == ReviewState.ASSIGNED else None,
        "earlier": earlier, "scores": [(c, r.scores.get(c.key, "")) for c in criteria]},
        status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def review_declare(request: HttpRequest, pk: int) -> HttpResponse:
    r = _my_review(request, pk)
    form = DeclareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the conflict of interest."))
        return redirect("innovation:review", pk=r.pk)
    done = pages.act(request, lambda: services.declare_conflict(
        actor=_actor(request), call=r.call, achievement=r.achievement, reason=form.cleaned_data["reason"]),
        _("Conflict of interest declared: the organiser will assign another expert."))
    if done:
        return redirect("innovation:my_reviews")
    return redirect("innovation:review", pk=r.pk)


# ---------------------------------------------------------------------------------------------
# Results


@login_required
def call_results(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_or_404(request, pk)
    organiser = call.can_change(request.user)
    if not organiser and call.state not in (CallState.NOTICE, CallState.FINAL):
        raise Http404
    qs = reads.entries(call, request.user).filter(state=AchievementState.SUBMITTED, rank__isnull=False)
    if not organiser:
        qs = qs.filter(award__gt=0)
    rows = list(qs.order_by("rank", "id"))
    export = request.GET.get("export", "")
    if export == "reviews" and organiser:
        return _export_reviews(call)
    if pages.wants_export(request):
        return pages.export(_("Results of %(call)s") % {"call": call.title}, [
            _("Ranking place"), _("Number"), _("Achievement title"), _("enterprise"), _("Authors"), _("Mean score"),
            _("Spread"), _("Award")],
            ([a.rank, a.number, a.title, a.enterprise.name, reads.authors_line(a), a.score, a.spread,
              a.get_award_display() if a.award else ""] for a in rows))
    awards_form = AwardsForm(request.POST or None, rows=rows) if organiser and call.state == CallState.RANKED \
        else None
    if request.method == "POST":
        if awards_form is None:
            raise PermissionDenied
        if awards_form.is_valid():
            pages.act(request, lambda: services.set_awards(
                actor=_actor(request), call=call, awards=awards_form.awards(),
                reason=awards_form.cleaned_data["reason"]), lambda n: _("%(n)s awards changed.") % {"n": n})
            return redirect("innovation:call_results", pk=call.pk)
    notice = notices.notice_of(publicity.CALL_NOTICE, call)
    return render(request, "innovation/calls/results.html", {
        "call": call, "organiser": organiser, "rows": [(a, awards_form[f"a{a.pk}"] if awards_form else None)
                                                       for a in rows],
        "awards_form": awards_form, "publish_form": PublishForm() if organiser and call.state == CallState.RANKED
        else None, "notice": notice, "open_objections": notices.open_objections(notice) if notice else 0})


def _export_reviews(call: Call) -> HttpResponse:
    criteria = call.criteria_list
    rows = (Review.objects.filter(call=call).select_related("achievement__call", "expert")
            .order_by("achievement_id", "round", "id"))
    return pages.export(_("Reviews of %(call)s") % {"call": call.title}, [
        _("Number"), _("Achievement title"), _("review round"), _("Expert"), _("state"),
        *[_(c.label) for c in criteria], _("Review total"), _("Review opinion")],
        ([r.achievement.number, r.achievement.title, r.round, r.expert.name, r.get_state_display(),
          *[r.scores.get(c.key, "") for c in criteria], r.total, r.comment or r.abstain_reason] for r in rows))


@login_required
@require_POST
def call_publish(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_or_404(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A notice runs for 1 to 30 working days."))
        return redirect("innovation:call_results", pk=pk)
    if not call.can_change(request.user):
        raise PermissionDenied
    pages.act(request, lambda: services.publish_results(actor=_actor(request), call=call,
                                                        working_days=form.cleaned_data["working_days"]),
              _("The results are on public notice."))
    return redirect("innovation:call_results", pk=pk)


@login_required
@require_POST
def call_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_or_404(request, pk)
    if not call.can_change(request.user):
        raise PermissionDenied
    pages.act(request, lambda: services.finalise_call(actor=_actor(request), call=call),
              _("The results are final; the certificates are issued."))
    return redirect("innovation:call_results", pk=pk)

