"""Verbs of an achievement call (成果征集) up to its review: a union opens a call with its rules and quotas, the unions
below submit their enterprises' achievements (or recommend the best of their own call upwards), the organiser
returns what is not eligible; the expert pool and the experts' declarations of conflicts. The review itself, the
results and their notice are in `reviews`."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import require, verb
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person, User

from .. import metrics
from ..choices import AchievementState, Award, AwardMode, CallLevel, CallState, Field, ReviewState
from ..models import (
    Achievement,
    AchievementAuthor,
    AchievementFile,
    Call,
    CallQuota,
    Declaration,
    Expert,
    Project,
    Review,
)
from ..models.achievements import key_of
from ..queries import achievements as reads
from ..rules import achievement_scoring as scoring
from .common import _check_upload, _saved

TITLE_MAX = 120
TEXT_MIN = 20  # an abstract or a list of innovations shorter than this tells reviewers nothing
MAX_AUTHORS = 15
LEVEL_KINDS = {CallLevel.CITY: {OrgKind.CITY}, CallLevel.PROVINCE: {OrgKind.PROVINCE}}


def _locked_call(call: Call) -> Call:
    return Call.objects.select_for_update(of=("self",)).select_related("org").get(pk=call.pk)


def _require_organiser(actor: User, call: Call) -> None:
    if not call.org.in_scope(actor, "change"):
        raise PermissionDeniedError(_("Only the organiser of the call may do this."))


def _require_state(call: Call, *states: str) -> None:
    if call.state not in states:
        raise DomainError(_("The call is %(state)s: this cannot be done now.") % {
            "state": call.get_state_display()}, field="state", code="wrong_state")


def _check_rules(criteria: list[dict[str, object]], award_mode: str, award_levels: Sequence[Decimal]) -> None:
    try:
        parsed = scoring.criteria_of(criteria)
    except (KeyError, ArithmeticError, ValueError):
        raise DomainError(_("Each criterion needs a key, a label and its most points."), field="criteria") from None
    problem = scoring.check_criteria(parsed)
    if problem:
        raise DomainError({
            "empty": _("A call needs at least one review criterion."),
            "duplicate": _("Two criteria have the same key."),
            "range": _("A criterion's most points must be above 0, in steps of 0.5."),
            "total": _("The criteria's most points add up to more than 100."),
        }[problem], field="criteria")
    if award_mode not in AwardMode.values:
        raise DomainError(_("Choose how the award levels are decided."), field="award_mode")
    problem = scoring.check_levels(list(award_levels), award_mode)
    if problem:
        raise DomainError({
            "count": _("Give one to three award levels (first, second, third prize)."),
            "range": _("Award levels lie between 0 and 100."),
            "total": _("The shares of the award levels add up to more than 100 %."),
            "order": _("Score bands must fall from the first prize to the third."),
        }[problem], field="award_levels")


@verb
def create_call(*, actor: User, org: Org, level: str, year: int, title: str, submit_until: datetime.date,
                review_until: datetime.date, per_achievement: int = 3, fields: Sequence[str] = (),
                materials: str = "", criteria: list[dict[str, object]] | None = None,
                spread_limit: Decimal = Decimal(8), award_mode: str = AwardMode.SHARE,
                award_levels: Sequence[Decimal] = (Decimal(10), Decimal(20), Decimal(30)), national_quota: int = 0,
                recommend_to: Call | None = None) -> Call:
    """A union opens a call (as a draft) at its level — a city union a city call, the provincial federation a
    provincial one — with its deadlines, fields, materials, criteria, reviewers per achievement and award rule."""
    require(org, actor, "change")
    if level not in CallLevel.values:
        raise DomainError(_("Choose the level of the call."), field="level")
    if org.kind not in LEVEL_KINDS[CallLevel(level)]:
        raise DomainError(_("A %(level)s is organised by a %(kind)s.") % {
            "level": CallLevel(level).label, "kind": "、".join(str(OrgKind(k).label) for k in LEVEL_KINDS[
                CallLevel(level)])}, field="level")
    title = title.strip()
    if not title or len(title) > TITLE_MAX:
        raise DomainError(_("Give the call's title (at most %(n)s characters).") % {"n": TITLE_MAX}, field="title")
    today = timezone.localdate()
    if submit_until < today:
        raise DomainError(_("The deadline for submissions cannot be in the past."), field="submit_until")
    if review_until < submit_until:
        raise DomainError(_("Reviews end after submissions close."), field="review_until")
    if not 1 <= per_achievement <= 9:
        raise DomainError(_("Each achievement gets 1 to 9 reviewers."), field="per_achievement")
    unknown = [f for f in fields if f not in Field.values]
    if unknown:
        raise DomainError(_("Unknown field: %(f)s.") % {"f": "、".join(unknown)}, field="fields")
    criteria = criteria if criteria is not None else [dict(c) for c in scoring.DEFAULT_CRITERIA]
    _check_rules(criteria, award_mode, award_levels)
    if spread_limit <= 0:
        raise DomainError(_("The spread limit must be above 0."), field="spread_limit")
    if recommend_to is not None:
        if recommend_to.level != CallLevel.PROVINCE or level != CallLevel.CITY or not recommend_to.org.path or \
                not org.path.startswith(recommend_to.org.path):
            raise DomainError(_("A city call recommends to the provincial call of its province."),
                              field="recommend_to")
    call = Call.objects.create(
        org=org, level=level, year=year, title=title, fields_taken=sorted(set(fields)), materials=materials.strip(),
        submit_until=submit_until, review_until=review_until, per_achievement=per_achievement, criteria=criteria,
        spread_limit=spread_limit, award_mode=award_mode, award_levels=[str(v) for v in award_levels],
        national_quota=national_quota if level == CallLevel.PROVINCE else 0, recommend_to=recommend_to,
        created_by=actor)
    audit.record(actor, "innovation.call.created", call, after={"title": title, "level": level, "year": year})
    return call


@verb
def set_quotas(*, actor: User, call: Call, quotas: dict[Org, int]) -> list[CallQuota]:
    """The quota of each lower union (replacing the previous table; 0 takes a union out). A union must lie below
    the organiser; a quota cannot fall below what that union has already put in."""
    call = _locked_call(call)
    _require_organiser(actor, call)
    _require_state(call, CallState.DRAFT, CallState.OPEN)
    for org, n in quotas.items():
        if not org.path.startswith(call.org.path) or org.pk == call.org_id:
            raise DomainError(_("%(org)s is not below the organiser of the call.") % {"org": org.name},
                              field="quotas")
        if n < 0:
            raise DomainError(_("%(org)s: a quota cannot be negative.") % {"org": org.name}, field="quotas")
        used = reads.used_quota(call, org)
        if n < used:
            raise DomainError(_("%(org)s has already put in %(used)s achievements: its quota cannot be %(n)s.") % {
                "org": org.name, "used": used, "n": n}, field="quotas")
    paths = [o.path for o, n in quotas.items() if n]
    if any(a != b and b.startswith(a) for a in paths for b in paths):
        raise DomainError(_("Quotas are given to unions of which none lies under another."), field="quotas")
    CallQuota.objects.filter(call=call).delete()
    rows = CallQuota.objects.bulk_create([CallQuota(call=call, org=o, quota=n) for o, n in quotas.items() if n])
    audit.record(actor, "innovation.call.quotas", call, after={"quotas": {o.name: n for o, n in quotas.items()}})
    return rows


@verb
def open_call(*, actor: User, call: Call) -> Call:
    """Open a draft call for submissions."""
    call = _locked_call(call)
    _require_organiser(actor, call)
    _require_state(call, CallState.DRAFT)
    if call.submit_until < timezone.localdate():
        raise DomainError(_("The deadline for submissions has passed: change it first."), field="submit_until")
    call.state = CallState.OPEN
    call.save(update_fields=["state"])
    audit.record(actor, "innovation.call.opened", call, before={"state": CallState.DRAFT},
                 after={"state": CallState.OPEN})
    return call


def _check_entry(call: Call, enterprise: Org, title: str, field: str, summary: str, innovations: str,
                 benefit: Decimal, authors: Sequence[Person]) -> str:
    title = title.strip()
    if not title or len(title) > TITLE_MAX:
        raise DomainError(_("Give the achievement's title (at most %(n)s characters).") % {"n": TITLE_MAX},
                          field="title")
    if field not in Field.values:
        raise DomainError(_("Choose the achievement's field."), field="field")
    if not call.takes(field):
        raise DomainError(_("This call does not take achievements in %(field)s.") % {"field": Field(field).label},
                          field="field")
    if len(summary.strip()) < TEXT_MIN:
        raise DomainError(_("Describe the achievement in at least %(n)s characters.") % {"n": TEXT_MIN},
                          field="summary")
    if len(innovations.strip()) < TEXT_MIN:
        raise DomainError(_("State the innovations in at least %(n)s characters.") % {"n": TEXT_MIN},
                          field="innovations")
    if benefit < 0:
        raise DomainError(_("The economic benefit cannot be negative."), field="benefit")
    if not authors:
        raise DomainError(_("Name at least one author."), field="authors")
    if len(authors) > MAX_AUTHORS:
        raise DomainError(_("An achievement has at most %(n)s authors.") % {"n": MAX_AUTHORS}, field="authors")
    if len({p.pk for p in authors}) != len(authors):
        raise DomainError(_("An author is named twice."), field="authors")
    for person in authors:
        if not person.employer.path.startswith(enterprise.path):
            raise DomainError(_("%(name)s does not work in %(enterprise)s.") % {
                "name": person.name, "enterprise": enterprise.name}, field="authors")
    return title


def _check_quota(call: Call, enterprise: Org) -> None:
    """Refuse an achievement beyond the quota of the lower union it comes through (the quota rows are locked)."""
    quotas = list(CallQuota.objects.select_for_update(of=("self",)).filter(call=call).select_related("org"))
    if not quotas:
        return
    holder = reads.quota_holder(quotas, enterprise)
    if holder is None:
        raise DomainError(_("%(enterprise)s belongs to no union with a quota in this call.") % {
            "enterprise": enterprise.name}, field="enterprise", code="no_quota")
    used = reads.used_quota(call, holder.org)
    if used >= holder.quota:
        raise DomainError(_("%(org)s has used its quota of %(n)s achievements in this call.") % {
            "org": holder.org.name, "n": holder.quota}, field="enterprise", code="over_quota")


def _check_twice(call: Call, enterprise: Org, title: str, project: Project | None, source: Achievement | None
                 ) -> None:
    same = Achievement.objects.filter(call=call, enterprise=enterprise, title_key=key_of(title)).first()
    if same is None and project is not None:
        same = Achievement.objects.filter(call=call, project=project).first()
    if same is None and source is not None:
        same = Achievement.objects.filter(call=call, source=source).first()
    if same is not None:
        raise DomainError(_("This achievement is already in the call as %(number)s: an achievement enters a call "
                            "once.") % {"number": same.number}, field="title", code="duplicate")


def _create(actor: User, call: Call, enterprise: Org, title: str, field: str, summary: str, innovations: str,
            benefit: Decimal, authors: Sequence[Person], project: Project | None, source: Achievement | None
            ) -> Achievement:
    achievement = Achievement.objects.create(
        call=call, title=title, field=field, summary=summary.strip(), innovations=innovations.strip(),
        benefit=benefit, enterprise=enterprise, city=reads.city_of(enterprise), project=project,
        proposal=project.proposal if project is not None else None, source=source, submitted_by=actor,
        submitted_at=timezone.now())
    AchievementAuthor.objects.bulk_create([AchievementAuthor(achievement=achievement, person=p, order=i)
                                           for i, p in enumerate(authors, start=1)])
    facts.add(enterprise, metrics.in_call_year(timezone.localdate(achievement.submitted_at), call.year),
              {metrics.ACHIEVEMENTS: 1})
    return achievement


@verb
def submit_achievement(*, actor: User, call: Call, enterprise: Org, title: str, field: str, summary: str,
                       innovations: str, authors: Sequence[Person], benefit: Decimal = Decimal(0),
                       project: Project | None = None, files: Sequence[object] = ()) -> Achievement:
    """The union of an enterprise (or a union above it) submits one of the enterprise's achievements to an open
    call before its deadline: once per call, within the quota of the lower union it comes through, with its
    authors (workers of the enterprise) and materials; possibly the end of one of the enterprise's projects."""
    call = _locked_call(call)
    require(enterprise, actor, "change")
    if call.state != CallState.OPEN:
        raise DomainError(_("The call is not collecting achievements (it is %(state)s).") % {
            "state": call.get_state_display()}, field="call", code="closed")
    if timezone.localdate() > call.submit_until:
        raise DomainError(_("Submissions closed on %(date)s.") % {"date": call.submit_until}, field="call",
                          code="deadline")
    if not reads.in_call_reach(call, enterprise):
        raise DomainError(_("%(enterprise)s is not within the reach of %(org)s, which organises the call.") % {
            "enterprise": enterprise.name, "org": call.org.name}, field="enterprise")
    if project is not None and project.enterprise_id != enterprise.pk:
        raise DomainError(_("The project %(number)s is not one of %(enterprise)s.") % {
            "number": project.number, "enterprise": enterprise.name}, field="project")
    title = _check_entry(call, enterprise, title, field, summary, innovations, benefit, authors)
    _check_twice(call, enterprise, title, project, None)
    uploads = list(files)
    for upload in uploads:
        _check_upload(upload, "files")  # type: ignore[arg-type]
    _check_quota(call, enterprise)
    achievement = _create(actor, call, enterprise, title, field, summary, innovations, benefit, authors, project,
                          None)
    for upload in uploads:
        _saved(AchievementFile(achievement=achievement), upload, actor)  # type: ignore[arg-type]
    audit.record(actor, "innovation.achievement.submitted", achievement, after={
        "call": call.title, "title": title, "authors": [p.name for p in authors], "files": len(uploads)})
    return achievement


@verb
def return_achievement(*, actor: User, achievement: Achievement, reason: str) -> Achievement:
    """The organiser returns an achievement that is not eligible (materials missing, outside the call's fields),
    with the reason, before the review starts; its place in the quota is freed."""
    achievement = Achievement.objects.select_for_update(of=("self",)).select_related("call__org", "enterprise").get(
        pk=achievement.pk)
    call = achievement.call
    _require_organiser(actor, call)
    _require_state(call, CallState.OPEN)
    if achievement.state != AchievementState.SUBMITTED:
        raise DomainError(_("This achievement was returned already."), field="state", code="wrong_state")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for returning the achievement."), field="reason")
    achievement.state, achievement.return_reason = AchievementState.RETURNED, reason
    achievement.save(update_fields=["state", "return_reason"])
    facts.add(achievement.enterprise, metrics.in_call_year(timezone.localdate(achievement.submitted_at), call.year),
              {metrics.ACHIEVEMENTS: -1})
    audit.record(actor, "innovation.achievement.returned", achievement, before={"state": AchievementState.SUBMITTED},
                 after={"state": AchievementState.RETURNED}, note=reason)
    return achievement


@verb
def recommend_achievement(*, actor: User, achievement: Achievement, to: Call | None = None) -> Achievement:
    """The organiser of a call whose results are final recommends one of its prize-winners upwards: into the
    provincial call its call recommends to (a copy enters that call, with its authors, within the quota of the
    recommending union: the chain is kept through `source`), or — from a provincial call — to the national
    federation, within the call's national quota (recorded)."""
    achievement = Achievement.objects.select_for_update(of=("self",)).select_related(
        "call__org", "enterprise").get(pk=achievement.pk)
    call = achievement.call
    _require_organiser(actor, call)
    _require_state(call, CallState.FINAL)
    if achievement.award == Award.NONE or achievement.state != AchievementState.SUBMITTED:
        raise DomainError(_("Only an achievement with a prize is recommended to the next level."), field="award")
    if call.level == CallLevel.PROVINCE:
        if achievement.national:
            raise DomainError(_("This achievement is recommended to the national federation already."),
                              field="national", code="duplicate")
        used = Achievement.objects.filter(call=call, national=True).count()
        if used >= call.national_quota:
            raise DomainError(_("The call's quota of %(n)s national recommendations is used.") % {
                "n": call.national_quota}, field="national", code="over_quota")
        achievement.national = True
        achievement.save(update_fields=["national"])
        audit.record(actor, "innovation.achievement.recommended", achievement, after={"to": "national"})
        return achievement
    upper = to or call.recommend_to
    if upper is None:
        raise DomainError(_("Choose the provincial call to recommend to."), field="to")
    upper = _locked_call(upper)
    if upper.level != CallLevel.PROVINCE or not call.org.path.startswith(upper.org.path):
        raise DomainError(_("A city call recommends to the provincial call of its province."), field="to")
    if upper.state != CallState.OPEN or timezone.localdate() > upper.submit_until:
        raise DomainError(_("The provincial call is not collecting achievements."), field="to", code="closed")
    if not upper.takes(achievement.field):
        raise DomainError(_("This call does not take achievements in %(field)s.") % {
            "field": achievement.get_field_display()}, field="to")
    _check_twice(upper, achievement.enterprise, achievement.title, None, achievement)
    _check_quota(upper, achievement.enterprise)
    authors = [a.person for a in achievement.authors.select_related("person")]
    copy = _create(actor, upper, achievement.enterprise, achievement.title, achievement.field, achievement.summary,
                   achievement.innovations, achievement.benefit, authors, achievement.project, achievement)
    for f in achievement.files.all():
        AchievementFile.objects.create(achievement=copy, file=f.file.name, name=f.name, size=f.size,
                                       content_type=f.content_type, uploaded_by=actor)
    audit.record(actor, "innovation.achievement.recommended", achievement, after={"to": upper.title,
                                                                                  "as": copy.pk})
    return copy


@verb
def set_review_title(*, actor: User, achievement: Achievement, review_title: str) -> Achievement:
    """The submitting union (the enterprise's, or the union above it that recommended it) names a copy recommended
    from a lower call as its experts will read it — the lower call's results are public with the title and the
    authors, so the title is no name for a blind review. Refused while or after the call is ranked, for an
    achievement entered directly (its title was never published), and for a name that gives the achievement away:
    its title (or the title's words in order), an author's name or the enterprise's."""
    achievement = Achievement.objects.select_for_update(of=("self",)).select_related(
        "call__org", "enterprise", "source").get(pk=achievement.pk)
    if not achievement.enterprise.in_scope(actor, "change"):
        raise PermissionDeniedError(_("Only the union that submitted the achievement names it for the reviewers."))
    if achievement.source_id is None:
        raise DomainError(_("Only an achievement recommended from a lower call, whose title is published there, is "
                            "given another name for its reviewers."), field="review_title", code="not_recommended")
    _require_state(achievement.call, CallState.OPEN, CallState.REVIEWING)
    name = review_title.strip()
    if not name or len(name) > 120:
        raise DomainError(_("Give the name the reviewers read (at most %(n)s characters).") % {"n": 120},
                          field="review_title")
    key = key_of(name)
    titles = {key_of(achievement.title), *([key_of(achievement.source.title)] if achievement.source else [])}
    people = [x.person.name for x in achievement.authors.select_related("person") if len(x.person.name) >= 2]
    givers = [*people, achievement.enterprise.name, achievement.enterprise.display_name]
    if any(t and (t in key or key in t) for t in titles):
        raise DomainError(_("This name is the achievement's published title (or part of it): a reviewer could look "
                            "the authors up by it."), field="review_title", code="gives_away")
    if any(g and key_of(g) in key for g in givers):
        raise DomainError(_("This name holds an author's or the enterprise's name: the review is blind."),
                          field="review_title", code="gives_away")
    before = achievement.review_title
    achievement.review_title = name
    achievement.save(update_fields=["review_title"])
    audit.record(actor, "innovation.achievement.review_title_set", achievement,
                 before={"review_title": before}, after={"review_title": name})
    return achievement


# ---------------------------------------------------------------------------------------------
# The expert pool and declarations


@verb
def add_expert(*, actor: User, org: Org, user: User, name: str, specialities: Sequence[str], title: str = "",
               person: Person | None = None, enterprise: Org | None = None, max_load: int = 15) -> Expert:
    """Put an account into a union's expert pool (评审专家库) with its specialities and load."""
    require(org, actor, "change")
    name = name.strip()
    if not name:
        raise DomainError(_("Give the expert's name."), field="name")
    if not specialities or any(s not in Field.values for s in specialities):
        raise DomainError(_("Choose the expert's specialities."), field="specialities")
    if not 1 <= max_load <= 200:
        raise DomainError(_("An expert takes 1 to 200 reviews per call."), field="max_load")
    if Expert.objects.filter(org=org, user=user).exists():
        raise DomainError(_("%(name)s is in this pool already.") % {"name": name}, field="user", code="duplicate")
    if person is not None and enterprise is None:
        enterprise = person.employer.grassroots_union() or person.employer
    expert = Expert.objects.create(org=org, user=user, person=person, name=name, enterprise=enterprise,
                                   title=title.strip(), specialities=sorted(set(specialities)), max_load=max_load)
    audit.record(actor, "innovation.expert.added", expert, after={"name": name, "specialities": expert.specialities})
    return expert


@verb
def enlist_expert(*, actor: User, org: Org, name: str, username: str, new_account: bool, specialities: Sequence[str],
                  title: str = "", enterprise: Org | None = None, max_load: int = 15) -> tuple[Expert, str]:
    """From the pool's page: an existing active account by its user name, or a new one opened by orgs' account
    service with an initial password, put into the union's pool. All or nothing. Returns the expert and the
    initial password ("" for an existing account), shown once. A worker's account brings their person and
    enterprise (for the conflicts)."""
    from gongjiang.orgs import services as org_services

    require(org, actor, "change")
    password = ""
    if new_account:
        try:
            account, password = org_services.create_account(actor=actor, org=org, username=username, full_name=name)
        except DomainError as refusal:
            if refusal.code != "username_taken":
                raise
            raise DomainError(_("The user name %(u)s is taken; untick “Open a new account” if it is the "
                                "expert's.") % {"u": username.strip()}, field="username") from None
    else:
        found = User.objects.filter(username=username.strip(), is_active=True).select_related(
            "person__employer").first()
        if found is None:
            raise DomainError(_("No active account has the user name %(u)s.") % {"u": username.strip()},
                              field="username")
        account = found
    person = account.person if account.person_id else None
    expert = add_expert(actor=actor, org=org, user=account, name=name, specialities=specialities, title=title,
                        person=person, enterprise=enterprise, max_load=max_load)
    return expert, password


@verb
def declare_conflict(*, actor: User, call: Call, reason: str, achievement: Achievement | None = None,
                     person: Person | None = None) -> Declaration:
    """An expert of the call declares a conflict of interest (回避): with an achievement they were shown, or with a
    person (then every achievement that person wrote). Their reviews of it not yet submitted are withdrawn."""
    expert = reads.expert_for(actor, call)
    if expert is None:
        raise PermissionDeniedError(_("Only an expert of the call declares a conflict of interest."))
    if (achievement is None) == (person is None):
        raise DomainError(_("Declare a conflict with one achievement or one person."), field="achievement")
    if achievement is not None and achievement.call_id != call.pk:
        raise DomainError(_("This achievement is not in the call."), field="achievement")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for the conflict of interest."), field="reason")
    declaration = Declaration.objects.create(call=call, expert=expert, achievement=achievement, person=person,
                                             reason=reason[:200])
    open_reviews = Review.objects.filter(expert=expert, call=call, state=ReviewState.ASSIGNED)
    if achievement is not None:
        open_reviews = open_reviews.filter(achievement=achievement)
    else:
        open_reviews = open_reviews.filter(achievement__authors__person=person)
    open_reviews.update(state=ReviewState.ABSTAINED, abstain_reason=reason[:200])
    audit.record(actor, "innovation.expert.declared", declaration, org=call.org, after={
        "achievement": achievement.pk if achievement else None, "person": person.pk if person else None},
        note=reason)
    return declaration
