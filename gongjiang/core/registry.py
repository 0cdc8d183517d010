"""Where apps plug into the site: navigation, landing pages, the to-do inbox, home panels, search, demo loaders and
demo personas. Each app registers its contributions from its AppConfig.ready() (through a module of its own,
e.g. `gongjiang/orgs/plugins.py`), so adding an app touches no other app's files — the way NetBox apps declare
their menus and pretix plugins answer signals.

Everything a contribution decides about a user (may they see this menu item, do they have work waiting) is a
plain callable of the user; what is expensive to find out is asked once per request through
`core.scoping.memo`. Core knows no domain: it only holds the lists and renders them.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .types import Actor

Predicate = Callable[["Actor"], bool]


def anyone(user: Actor) -> bool:
    return user.is_authenticated


# ---------------------------------------------------------------------------------------------
# Navigation


@dataclass(frozen=True)
class NavSection:
    key: str
    label: str | Promise
    order: int


@dataclass(frozen=True)
class NavItem:
    """One entry of the side menu: shown to whom `visible` says, current on the pages matching `active`
    (namespaced view names, shell patterns: "competitions:round_*")."""

    section: str
    label: str | Promise
    url_name: str
    order: int = 50
    visible: Predicate = anyone
    active: tuple[str, ...] = ()
    badge: Callable[[Actor], str] | None = None  # e.g. an unread count

    def url(self) -> str:
        return reverse(self.url_name)

    def is_active(self, view_name: str) -> bool:
        return any(fnmatch.fnmatchcase(view_name, p) for p in (self.url_name, *self.active))


_sections: dict[str, NavSection] = {}
_items: list[NavItem] = []


def register_nav(*entries: NavSection | NavItem) -> None:
    for e in entries:
        if isinstance(e, NavSection):
            _sections[e.key] = e
        else:
            _items.append(e)


def nav_items() -> list[NavItem]:
    return sorted(_items, key=lambda i: (_sections[i.section].order if i.section in _sections else 99, i.order))


def navigation(user: Actor, view_name: str) -> list[dict[str, Any]]:
    """The side menu for `user`: the sections with at least one visible item, each item with its URL and whether
    it is the current page's."""
    found: dict[str, dict[str, Any]] = {}
    for item in nav_items():
        if not item.visible(user):
            continue
        section = _sections.get(item.section, NavSection(item.section, item.section, 99))
        entry = found.setdefault(section.key, {"key": section.key, "label": section.label, "items": []})
        entry["items"].append({"label": item.label, "url": item.url(), "current": item.is_active(view_name),
                               "badge": item.badge(user) if item.badge else "", "url_name": item.url_name})
    return list(found.values())


# ---------------------------------------------------------------------------------------------
# Landing pages: where a user arrives after logging in (or at "/")


@dataclass(frozen=True)
class Landing:
    """`url(user)` gives a page for the users it fits (or None); the lowest `priority` that fits wins."""

    key: str
    priority: int
    url: Callable[[Actor], str | None]


_landings: list[Landing] = []


def register_landing(*landings: Landing) -> None:
    _landings.extend(landings)


def landing_url(user: Actor) -> str | None:
    for landing in sorted(_landings, key=lambda x: x.priority):
        url = landing.url(user)
        if url:
            return url
    return None


# ---------------------------------------------------------------------------------------------
# The to-do inbox (待办) and home panels


@dataclass(frozen=True)
class TodoItem:
    """Work waiting for the user: what (a sentence with the count), where to do it, from which app."""

    label: str
    count: int
    url: str
    app: str
    order: int = 50


TodoProvider = Callable[["Actor"], Iterable[TodoItem]]
_todo: list[TodoProvider] = []


def register_todo(*providers: TodoProvider) -> None:
    _todo.extend(providers)


def todo_items(user: Actor) -> list[TodoItem]:
    """Every app's waiting work for `user`, most urgent first (providers answer with a few counting queries)."""
    items = [i for provider in _todo for i in provider(user) if i.count]
    return sorted(items, key=lambda i: (i.order, i.app, str(i.label)))


@dataclass(frozen=True)
class HomePanel:
    """A panel of the overview page: a template and its context, for the users `visible` says."""

    key: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any]]  # (request, scope org or None) -> context
    order: int = 50
    visible: Predicate = anyone


_panels: list[HomePanel] = []


def register_home_panel(*panels: HomePanel) -> None:
    _panels.extend(panels)


def home_panels(request: HttpRequest, scope: Any) -> list[dict[str, Any]]:
    return [{"key": p.key, "template": p.template, **p.context(request, scope)}
            for p in sorted(_panels, key=lambda p: p.order) if p.visible(request.user)]


# ---------------------------------------------------------------------------------------------
# Panels on another app's detail pages (a person's competitions on the person page)


@dataclass(frozen=True)
class DetailPanel:
    """A panel another app adds to a detail page (`page`: "orgs.person" — the person page and the worker's own
    record): its template and its context for the object shown, for the users `visible(user, obj)` says. The
    context reads only what the viewer may see (through `for_user`) and costs a constant number of queries; a
    context without anything to show ({}) hides the panel."""

    key: str
    template: str
    context: Callable[[Any, Any], dict[str, Any]]  # (request, obj) -> context
    visible: Callable[[Any, Any], bool] = lambda user, obj: anyone(user)  # (user, obj) -> shown?
    order: int = 50


_detail_panels: list[tuple[str, DetailPanel]] = []


def register_detail_panel(page: str, *panels: DetailPanel) -> None:
    _detail_panels.extend((page, p) for p in panels)


def detail_panels(request: Any, page: str, obj: Any) -> list[dict[str, Any]]:
    """The panels of `page` for `obj` that the request's user may see, in order, each as its template and context
    (`key`, `template` and what `context` gave); the owning page includes each template with its context."""
    found = []
    for registered, panel in sorted(_detail_panels, key=lambda x: (x[1].order, x[1].key)):
        if registered != page or not panel.visible(request.user, obj):
            continue
        context = panel.context(request, obj)
        if context:
            found.append({"key": panel.key, "template": panel.template, **context})
    return found


# ---------------------------------------------------------------------------------------------
# Counted evidence: what one app counts for another's assessment (a studio's proposals and projects of the year)


@dataclass(frozen=True)
class Evidence:
    """Counted evidence one app offers: `count(org, person_ids, year)` answers how many of `key` (e.g.
    "innovation.proposals") the enterprise `org` — or the people `person_ids` anywhere — had in `year`, in a few
    queries. `label` is what an assessment form shows beside the number. The asking app never imports the counting
    app: it asks `evidence(...)` for every key it wants (a key nobody registered counts as absent)."""

    key: str
    label: str | Promise
    count: Callable[[Any, Sequence[int], int], int]
    order: int = 50


_evidence: dict[str, Evidence] = {}


def register_evidence(*providers: Evidence) -> None:
    for p in providers:
        _evidence[p.key] = p


def evidence_keys() -> list[Evidence]:
    return sorted(_evidence.values(), key=lambda e: (e.order, e.key))


def evidence(org: Any, person_ids: Sequence[int], year: int, keys: Iterable[str] | None = None) -> dict[str, int]:
    """The counts of the registered evidence (those of `keys` only, when given) for the enterprise `org`, the people
    `person_ids` and `year`: {key: count}, in the providers' order."""
    wanted = set(keys) if keys is not None else None
    return {e.key: int(e.count(org, list(person_ids), year)) for e in evidence_keys()
            if wanted is None or e.key in wanted}


# ---------------------------------------------------------------------------------------------
# Search


@dataclass(frozen=True)
class SearchHit:
    label: str
    detail: str
    url: str


@dataclass(frozen=True)
class SearchProvider:
    """What the header's search box finds in one app: `search(user, q, limit)` returns hits within the user's
    scope (through `for_user`), most relevant first."""

    key: str
    label: str | Promise
    search: Callable[[Actor, str, int], Sequence[SearchHit]]
    order: int = 50
    visible: Predicate = anyone


_search: list[SearchProvider] = []


def register_search(*providers: SearchProvider) -> None:
    _search.extend(providers)


def search(user: Actor, q: str, limit: int = 10) -> list[dict[str, Any]]:
    """Every provider's hits for `q`, grouped by provider (empty groups left out)."""
    out = []
    for p in sorted(_search, key=lambda p: p.order):
        if p.visible(user):
            hits = list(p.search(user, q, limit))
            if hits:
                out.append({"key": p.key, "label": p.label, "hits": hits[:limit], "more": len(hits) > limit})
    return out


# ---------------------------------------------------------------------------------------------
# Honour suggestions (推荐建议): what other apps know about who deserves an honour


@dataclass(frozen=True)
class SuggestionQuery:
    """What a nominating union asks the providers: suggestions within `org_path` (the union's subtree, a
    materialised path) for an honour of `honour_code` conferred on `subject` ("person", "collective" or "org") at
    `level` ("national", "province", "city", "county"), in the campaign's `year` (a provider reads that year and the
    one before). At most `limit` rows per provider."""

    org_path: str
    honour_code: str
    subject: str
    level: str
    year: int
    limit: int = 200


@dataclass(frozen=True)
class Suggestion:
    """One candidate: a person (`person_id`) or a unit of the tree (`org_id`: a team, a workshop, an enterprise),
    their `name`, why (`reason`, a sentence), where from (`source`, a short label such as 职业技能竞赛) and a link to
    the record behind it (`url`). `deeds` is a first line for the account of deeds the nomination form is prefilled
    with (the reason when empty)."""

    name: str
    reason: str
    source: str
    url: str
    person_id: int | None = None
    org_id: int | None = None
    deeds: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return ("person", self.person_id) if self.person_id is not None else ("org", self.org_id or 0)


@dataclass(frozen=True)
class SuggestionProvider:
    """An app's suggestions: `suggest(user, query)` returns what `user` may see (through `for_user`) within the
    query's subtree, in a constant number of queries, best first. It answers [] for honours it has nothing to say
    about (a skills competition has no 工人先锋号 to suggest)."""

    key: str
    label: str | Promise
    suggest: Callable[[Actor, SuggestionQuery], Sequence[Suggestion]]
    order: int = 50


_suggestions: list[SuggestionProvider] = []


def register_honour_suggestions(*providers: SuggestionProvider) -> None:
    _suggestions.extend(providers)


def honour_suggestions(user: Actor, query: SuggestionQuery) -> list[Suggestion]:
    """Every provider's suggestions for `query`, in the providers' order (the caller merges and filters them)."""
    return [s for p in sorted(_suggestions, key=lambda p: (p.order, p.key)) for s in p.suggest(user, query)]


# ---------------------------------------------------------------------------------------------
# The demo: loaders run in dependency order by `manage.py load_demo`, personas listed by `demo_logins`


@dataclass(frozen=True)
class DemoLoader:
    """An app's part of the demo province. `load(scale, log, reset)` adds it and returns a line to print;
    `after` names the loaders it builds on; `wipe()` deletes it before a reset (run in the reverse order);
    `loaded()` says whether it is there already; `refusal()` explains why loading over the database as it is
    would be wrong (not the demo's data), or ""; `scales` are the scales it runs at by default (None: all)."""

    key: str
    load: Callable[[str, Callable[[str], None], bool], str]
    after: tuple[str, ...] = ()
    wipe: Callable[[], None] | None = None
    loaded: Callable[[], bool] | None = None
    refusal: Callable[[], str] | None = None
    scales: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Persona:
    """A demo log-in: the account, who it stands for and what it sees and does (the README's table)."""

    username: str
    title: str | Promise
    does: str | Promise
    password: str
    order: int = 50


_demo: dict[str, DemoLoader] = {}
_personas: list[Persona] = []


def register_demo(*loaders: DemoLoader) -> None:
    for loader in loaders:
        _demo[loader.key] = loader


def register_personas(*personas: Persona) -> None:
    _personas.extend(personas)


def demo_loaders(only: Iterable[str] | None = None) -> list[DemoLoader]:
    """The loaders in an order where each comes after those it names (and, with `only`, just those and what they
    need)."""
    wanted = set(only) if only is not None else set(_demo)
    ordered: list[DemoLoader] = []
    seen: set[str] = set()

    def visit(key: str, trail: tuple[str, ...] = ()) -> None:
        if key in seen:
            return
        if key in trail:
            raise ValueError(f"demo loaders depend on each other in a circle: {' → '.join((*trail, key))}")
        if key not in _demo:
            raise KeyError(f"no demo loader {key!r} (known: {', '.join(sorted(_demo))})")
        for dep in _demo[key].after:
            visit(dep, (*trail, key))
        seen.add(key)
        ordered.append(_demo[key])

    for key in sorted(wanted):
        visit(key)
    return ordered


def personas() -> list[Persona]:
    return sorted(_personas, key=lambda p: p.order)


# ---------------------------------------------------------------------------------------------
# Reference data: rows a migration loads (the national occupation list, the standard honour types…) that a
# transactional test's flush empties; the test suite puts them back through this list, naming no app.


@dataclass(frozen=True)
class ReferenceData:
    """Rows an app's migration loads. `missing()` says whether they are gone; `load()` puts them back."""

    key: str
    missing: Callable[[], bool]
    load: Callable[[], object]


_reference: list[ReferenceData] = []


def register_reference_data(*entries: ReferenceData) -> None:
    _reference.extend(entries)


def reference_data() -> list[ReferenceData]:
    return list(_reference)


# ---------------------------------------------------------------------------------------------
# Online theory rounds: a competitions round whose theory exam is taken in the learning app


@dataclass(frozen=True)
class TheoryCandidate:
    """A contestant of a theory round: the person, and how the exam's pages name them — the anonymous code (加密号)
    once drawn, else the contestant number (参赛号); never the name (the competitions app's anonymity rules)."""

    person_id: int
    code: str


@dataclass(frozen=True)
class TheoryRound:
    """A competitions round with a theory part: `id` (the round's), its `title`, its organiser (`org_id`,
    `org_path`), its date, whether scores may still be entered (`open`), the contestants taking part and the
    round's page (`url`)."""

    id: int
    title: str
    org_id: int
    org_path: str
    starts_on: Any
    open: bool
    candidates: tuple[TheoryCandidate, ...]
    url: str = ""

    def code_of(self, person_id: int) -> str | None:
        return next((c.code for c in self.candidates if c.person_id == person_id), None)


@dataclass(frozen=True)
class TheoryRoundProvider:
    """The app that runs theory rounds (competitions): `rounds(user)` lists the rounds with a theory part the user
    may run (without their candidates), `get(round_id)` one round with its candidates (None if unknown),
    `can_run(user, round_id)` whether the user organises it, and `record(round_id, scores, by, note)` writes the
    theory scores ({person id: score in hundredths, 0–10000}) through the provider's own verb — audited, refused
    whole (DomainError) when one is wrong — and returns how many were written."""

    key: str
    rounds: Callable[[Actor], Sequence[TheoryRound]]
    get: Callable[[int], TheoryRound | None]
    can_run: Callable[[Actor, int], bool]
    record: Callable[[int, dict[int, int], Actor, str], int]


_theory: list[TheoryRoundProvider] = []


def register_theory_rounds(provider: TheoryRoundProvider) -> None:
    _theory[:] = [p for p in _theory if p.key != provider.key] + [provider]


def theory_rounds(user: Actor) -> list[TheoryRound]:
    """The theory rounds `user` may run, from every provider."""
    return [r for p in _theory for r in p.rounds(user)]


def theory_round(round_id: int) -> TheoryRound | None:
    """One theory round with its candidates (None when no provider knows it)."""
    for p in _theory:
        found = p.get(round_id)
        if found is not None:
            return found
    return None


def can_run_theory(user: Actor, round_id: int) -> bool:
    return any(p.can_run(user, round_id) for p in _theory)


def record_theory(round_id: int, scores: dict[int, int], by: Actor, note: str = "") -> int:
    """Send theory scores ({person id: hundredths}) to the round's app; LookupError when no provider knows it."""
    for p in _theory:
        if p.get(round_id) is not None:
            return p.record(round_id, scores, by, note)
    raise LookupError(f"no theory round {round_id}")


@dataclass
class _Snapshot:
    """Everything registered, for tests that register an example app and put the lists back afterwards."""

    sections: dict[str, NavSection] = field(default_factory=dict)
    lists: dict[str, list[Any]] = field(default_factory=dict)
    demo: dict[str, DemoLoader] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)


def snapshot() -> _Snapshot:
    return _Snapshot(dict(_sections), {n: list(v) for n, v in _lists().items()}, dict(_demo), dict(_evidence))


def restore(saved: _Snapshot) -> None:
    _sections.clear()
    _sections.update(saved.sections)
    for name, current in _lists().items():
        current[:] = saved.lists[name]
    _demo.clear()
    _demo.update(saved.demo)
    _evidence.clear()
    _evidence.update(saved.evidence)


def _lists() -> dict[str, list[Any]]:
    return {"items": _items, "landings": _landings, "todo": _todo, "panels": _panels, "search": _search,
            "personas": _personas, "detail_panels": _detail_panels, "reference": _reference,
            "suggestions": _suggestions, "theory": _theory}
