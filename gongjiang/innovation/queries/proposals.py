"""Reads of proposals shared by the pages and the API: the union's list with its filters, a worker's own, a
valuator's assignments, a proposal with everything its page shows, and the similar proposals in scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from gongjiang.core.bulk import among
from gongjiang.core.scoping import Scope, ancestors, memo, path_step, scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person

from ..choices import State
from ..models import Assignment, Contributor, Proposal, ProposalGram, RewardPayment
from ..models.proposals import appointed_paths
from ..rules import similarity

LIST_RELATED = ("proposer", "unit", "enterprise", "benefit")
CANDIDATES = 400  # similar proposals: at most this many candidates are scored per look-up
RAREST = 4  # … over the whole province, found by this many of the rarest probed bigrams


@dataclass(frozen=True)
class Filters:
    """The filters of the union's list (all optional)."""

    q: str = ""
    state: str = ""
    category: str = ""
    kind: str = ""
    year: int | None = None
    org: Org | None = None
    waiting: str = ""  # "acceptance", "valuation", "decision", "sign_off"


def union_list(user: Actor, f: Filters) -> QuerySet[Proposal]:
    """The proposals of the user's scope (their unions' subtrees) matching the filters; not ordered."""
    qs = Proposal.objects.for_user(user, "view").select_related(*LIST_RELATED)
    if f.org is not None:
        qs = qs.filter(Q(unit__path__startswith=f.org.path) | Q(unit__industry_path__startswith=f.org.path))
    if f.q:
        text = f.q.strip()
        qs = qs.filter(Q(title__contains=text) | Q(proposer__name=text))
    if f.state:
        qs = qs.filter(state=f.state)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.waiting == "acceptance":
        qs = qs.filter(state=State.SUBMITTED)
    elif f.waiting == "valuation":
        qs = qs.filter(state__in=[State.ACCEPTED, State.EVALUATING]).exclude(
            Exists(Assignment.objects.filter(proposal=OuterRef("pk"), active=True)))
    elif f.waiting == "decision":
        qs = qs.filter(state=State.EVALUATING).filter(
            Exists(Assignment.objects.filter(proposal=OuterRef("pk"), valued_at__isnull=False)))
    elif f.waiting == "sign_off":
        qs = qs.filter(state=State.IMPLEMENTING, benefit__recorded_at__isnull=False)
    return qs


def my_proposals(user: Actor) -> QuerySet[Proposal]:
    """The proposals the user (a worker) submitted or co-proposed, newest first."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return Proposal.objects.none()
    # my_part: what the ledger paid this worker of the proposal's reward (the card shows it beside the whole).
    mine = (RewardPayment.objects.filter(proposal=OuterRef("pk"), person_id=person_id).order_by()
            .values("proposal").annotate(total=Sum("amount")).values("total"))
    return (Proposal.objects.filter(pk__in=Contributor.objects.filter(person_id=person_id).values("proposal_id"))
            .select_related("enterprise").annotate(my_part=Subquery(mine)).order_by("-submitted_at", "-id"))


def my_assignments(user: Actor, *, open_only: bool = False) -> QuerySet[Assignment]:
    """A valuator's assignments (active ones), the open ones first, newest first."""
    qs = (Assignment.objects.filter(valuator_id=user.pk, active=True)
          .select_related("proposal__unit", "proposal__enterprise"))
    if open_only:
        qs = qs.filter(valued_at__isnull=True, proposal__state=State.EVALUATING)
    return qs.order_by("valued_at", "-assigned_at", "-id")


def detail(user: Actor, pk: int) -> Proposal | None:
    """One proposal the user may see, with its proposers, assignments, attachments and benefit (a constant number
    of queries), or None."""
    return (Proposal.objects.for_user(user, "view").select_related(
        "proposer", "unit", "enterprise", "department", "benefit__signed_off_by", "benefit__recorded_by")
        .prefetch_related(Prefetch("contributors", queryset=Contributor.objects.select_related("person")))
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("valuator")))
        .prefetch_related("attachments", "payments__person")
        .filter(pk=pk).first())


@dataclass(frozen=True)
class Similar:
    """A similar proposal: what a worker may be shown of it (no proposer's name), and the link for those who may
    open it."""

    pk: int
    title: str
    state: str
    state_label: str
    year: int
    unit: str
    score: float
    url: str


def similar_pool(user: Actor) -> QuerySet[Proposal] | None:
    """The proposals a user's new or opened proposal is compared with: a cadre's or a valuator's scope, a
    worker's own enterprise (the titles and states of its proposals, not who wrote them); None for nobody."""
    scoped = Proposal.objects.for_user(user, "view")
    union = _own_enterprise(user)
    if union is not None:
        return scoped | Proposal.objects.filter(enterprise=union)  # one condition (not a subquery over proposals)
    return scoped


def _own_enterprise(user: Actor) -> Org | None:
    """The grassroots union of the worker's employer (once per request: the pool and its enterprises both ask)."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return None

    def find() -> Org | None:
        person = Person.objects.select_related("employer").filter(pk=person_id).first()
        return person.employer.grassroots_union() if person is not None else None

    return memo(user, "innovation.own_enterprise", find)


def _pool_enterprises(user: Actor) -> list[int] | None:
    """The enterprises whose proposals may be in the user's pool (`similar_pool`), None for every enterprise: the
    grassroots unions in the user's scope and their appointments' subtrees, those above a scope that starts below
    one (a workshop's union), the worker's own, and the enterprises of the proposals they wrote or were assigned.
    A superset: the pool itself is checked on the candidates afterwards."""
    scope = scope_for(user, "view")
    own = _own_enterprise(user)
    if scope.everything and own is None:
        return None
    roots = [*scope.paths, *appointed_paths(user)]
    step = path_step()
    condition = Q(path__in={a for r in roots for a in ancestors(r, step)})
    if roots:
        condition |= Scope.of(roots).q()
    found = set(Org.objects.filter(condition, kind=OrgKind.GRASSROOTS).values_list("pk", flat=True))
    if own is not None:
        found.add(own.pk)
    person_id = getattr(user, "person_id", None)
    # one query each (an OR of the two would read every proposal)
    found.update(Assignment.objects.filter(valuator_id=user.pk).values_list("proposal__enterprise_id", flat=True)
                 .distinct())
    if person_id:
        found.update(Contributor.objects.filter(person_id=person_id)
                     .values_list("proposal__enterprise_id", flat=True).distinct())
    return sorted(found)


def _candidates(user: Actor, probes: list[int], pool: QuerySet[Proposal], exclude: int | None) -> list[int]:
    """At most CANDIDATES proposals of the pool whose titles carry most of the probed bigrams, newest first among
    equals, counted in the title index in one statement:
    - within the enterprises of the user's pool (`_pool_enterprises`: a worker's one, a county's or a city's few
      hundred or thousand), every posting of every probed bigram, through the (gram, enterprise, proposal) index;
    - over the whole province (a pool of everything), the postings of the RAREST probed bigrams only (RAREST of them,
      their counts read first from the same index): a near-duplicate shares most of its bigrams, the rare ones too,
      and a bigram a tenth of all titles carry is not read a hundred thousand times.
    The pool itself is then checked on the best of them (recall and times: bench/similar.py)."""
    enterprises = _pool_enterprises(user)
    if enterprises is not None and not enterprises:
        return []
    hits = ProposalGram.objects.all()
    if enterprises is None:
        counts = dict(ProposalGram.objects.filter(gram__in=probes).values("gram").annotate(n=Count("gram"))
                      .values_list("gram", "n"))
        probes = sorted((c for c in probes if c in counts), key=lambda c: (counts[c], c))[:RAREST]
        if not probes:
            return []
    else:
        # a short list as it is (the planner sees how few), a long one as one array parameter
        hits = hits.filter(enterprise_id__in=enterprises if len(enterprises) <= 200 else among(enterprises, "bigint"))
    hits = hits.filter(gram__in=probes)
    if exclude is not None:
        hits = hits.exclude(proposal_id=exclude)
    best = list(hits.values("proposal_id").annotate(n=Count("proposal_id")).order_by("-n", "-proposal_id")
                .values_list("proposal_id", flat=True)[:2 * CANDIDATES])
    if enterprises is not None:
        allowed = set(pool.filter(pk__in=best).values_list("pk", flat=True))
        best = [pk for pk in best if pk in allowed]
    return best[:CANDIDATES]


def similar(user: Actor, title: str, body: str = "", *, exclude: int | None = None, limit: int = 5,
            openable: set[int] | None = None) -> list[Similar]:
    """The proposals in the user's pool most similar to this title and text (character bigrams, rules.similarity):
    the candidates are found in the title index (`_candidates`) and among those not folded into it yet, then scored
    here."""
    probes = similarity.probe_codes(title, body)
    pool = similar_pool(user)
    if not probes or pool is None:
        return []
    ids = _candidates(user, probes, pool, exclude)
    # and the proposals submitted since the last fold, not in the title index yet (a minute's at most)
    recent = pool.filter(folded=False)
    if exclude is not None:
        recent = recent.exclude(pk=exclude)
    ids += [pk for pk in recent.values_list("pk", flat=True)[:CANDIDATES] if pk not in ids]
    rows = list(Proposal.objects.filter(pk__in=ids).select_related("unit").order_by("-pk")
                .only("pk", "title", "problem", "state", "year", "unit__name", "unit__short_name"))
    ranked = similarity.rank(title, body, ((r, r.title, r.problem) for r in rows), limit=limit)
    if openable is None:
        openable = set(Proposal.objects.for_user(user, "view").filter(pk__in=[r.pk for r, _s in ranked])
                       .values_list("pk", flat=True))
    return [Similar(r.pk, r.title, r.state, str(State(r.state).label), r.year, r.unit.display_name, round(s, 2),
                    r.get_absolute_url() if r.pk in openable else "") for r, s in ranked]


def counts_waiting(user: Actor) -> dict[str, int]:
    """How many proposals wait in the user's change scope: for acceptance, for valuators, for a decision (one
    query)."""
    valued = Exists(Assignment.objects.filter(proposal=OuterRef("pk"), valued_at__isnull=False))
    found = (Proposal.objects.for_user(user, "change")
             .filter(state__in=[State.SUBMITTED, State.ACCEPTED, State.EVALUATING])
             .aggregate(acceptance=Count("pk", filter=Q(state=State.SUBMITTED)),
                        valuation=Count("pk", filter=Q(state=State.ACCEPTED)),
                        decision=Count("pk", filter=Q(valued, state=State.EVALUATING))))
    return {k: v or 0 for k, v in found.items()}


def submitter(user: Actor) -> tuple[Person, Org] | None:
    """The worker's record (with their unit) and the grassroots union a proposal of theirs goes to; None when the
    user is no worker or their unit belongs to no union (what the submit form's ticket is made of)."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return None
    person = Person.objects.select_related("employer").filter(pk=person_id).first()
    if person is None or person.employer is None:
        return None
    union = person.employer.grassroots_union()
    return (person, union) if union is not None else None
