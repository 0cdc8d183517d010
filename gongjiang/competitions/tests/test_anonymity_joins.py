"""Before a round is decrypted, nobody may link a 加密号 to a person: not on one page, not in one export, not in
one API answer, and not by joining two of them (the entries export gives 参赛号 → name; a results export that
gave 参赛号 → 加密号 would complete the chain).

The test plays every role of a round (the competition's organiser, the round's organiser, the county and the
industry union above the contestants' unit, the unit's cadre, a contestant, a judge, the chief judge, the
supervisor) and collects everything each of them can fetch: every page of the competitions app that takes the
round, its competition, event, stage, entries, draws or sheets (as a page, as its Excel export and as a JSON
download), the home page, the contestants' person pages, and every GET endpoint of the API. Each output is cut
into records — a table row, a spreadsheet row, a JSON object, and the page as a whole — and every identifier of
an entry found in a record (name, ID tail, links to the entry or the person, 参赛号, 赛位号, 加密号) is joined
with the others of that record. A role leaks if, after joining all its records, some entry's 加密号 reaches
that entry's person. The failure names the chain of outputs that did it.
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern

from gongjiang.competitions import services
from gongjiang.competitions import urls as competition_urls
from gongjiang.competitions.choices import EntryStatus, RoundState
from gongjiang.competitions.models import Aspect, Draw, Entry, Sheet
from gongjiang.competitions.tests.factories import FULL_MARKS, assigned, season, to_marking, worker

API = "/api/v1"
DRAW_KINDS = ("contestant_no", "station", "code")


# ---------------------------------------------------------------------------------------------
# The round, before decryption


@pytest.fixture
def marking(sd: Any) -> dict[str, Any]:
    """The Jinan round of the city qualifier in marking: 李强 and three more workers of the steel works (of the
    workshop and of the team, registered by their unit), every judge has marked and signed one sheet."""
    s = season(sd, theory_weight=0, practical_weight=100)
    rnd = s.jinan_round
    services.register(actor=sd.worker, person=sd.worker_person, rnd=rnd)
    for i, unit in enumerate([sd.workshop, sd.team, sd.team]):
        services.register(actor=sd.enterprise_cadre, person=worker(unit, f"钢工{'甲乙丙丁'[i]}"), rnd=rnd)
    found = to_marking(sd, rnd)
    aspects = list(Aspect.objects.filter(scheme__event=s.event))
    for rj in assigned(rnd):
        sheet = Sheet.objects.filter(judge=rj).order_by("pk").first()
        for a in aspects:
            services.save_mark(actor=rj.judge.user, sheet_id=sheet.pk, aspect_id=a.pk, data=FULL_MARKS[a.code])
        services.sign_sheet(actor=rj.judge.user, sheet_id=sheet.pk)
    return {"season": s, "round": rnd, **found}


def _lock_everything(found: dict[str, Any]) -> None:
    rnd = found["round"]
    aspects = list(Aspect.objects.filter(scheme__event=rnd.event_id))
    for sheet in Sheet.objects.filter(round=rnd, signed_at__isnull=True).select_related("judge__judge__user"):
        user = sheet.judge.judge.user
        for a in aspects:
            services.save_mark(actor=user, sheet_id=sheet.pk, aspect_id=a.pk, data=FULL_MARKS[a.code])
        services.sign_sheet(actor=user, sheet_id=sheet.pk)
    for e in Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN):
        services.lock_entry(actor=found["chief"].user, entry=e)
    rnd.refresh_from_db()
    assert rnd.state == RoundState.LOCKED


# ---------------------------------------------------------------------------------------------
# What a role can fetch


def _page_urls(found: dict[str, Any]) -> Iterator[str]:
    """Every GET page of the competitions app that takes one of this round's objects."""
    rnd, s = found["round"], found["season"]
    entries = list(Entry.objects.filter(round=rnd).values_list("pk", flat=True))
    draws = list(Draw.objects.filter(round=rnd).values_list("pk", flat=True))
    sheets = list(Sheet.objects.filter(round=rnd).values_list("pk", flat=True))
    people = list(Entry.objects.filter(round=rnd).values_list("person_id", flat=True))
    by_param: dict[str, list[Any]] = {"round": [rnd.pk], "competition": [s.competition.pk], "event": [s.event.pk],
                                      "stage": [s.qualifier.pk], "entry": entries, "draw": draws, "sheet": sheets}
    yield "/"
    for pk in people:
        yield f"/people/{pk}/"
    for pattern in competition_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        yield from _fill(route, by_param)


def _fill(route: str, by_param: dict[str, list[Any]]) -> Iterator[str]:
    """The route with its parameters filled by this round's objects (nothing for a route about other things)."""
    owner = [("rounds/<id:pk>", "round"), ("competitions/<id:pk>/", "competition"), ("events/<id:pk>", "event"),
             ("stages/<id:pk>", "stage"), ("entries/<id:pk>", "entry"), ("draws/<id:pk>", "draw"),
             ("sheets/<id:pk>", "sheet")]
    kind = next((k for prefix, k in owner if prefix in route), None)
    if "<" not in route:
        yield "/" + route
        return
    if kind is None and "<id:event_pk>" not in route:
        return
    pks = by_param[kind] if kind else [None]
    for pk in pks:
        url = route.replace("<id:pk>", str(pk))
        url = url.replace("<id:event_pk>", str(by_param["event"][0]))
        if "<id:entry_pk>" in url:
            for entry in by_param["entry"]:
                yield "/" + url.replace("<id:entry_pk>", str(entry))
            continue
        if "<str:kind>" in url:
            for k in DRAW_KINDS:
                yield "/" + url.replace("<str:kind>", k)
            continue
        if "<" not in url:
            yield "/" + url


def _api_urls(client: Client, found: dict[str, Any]) -> Iterator[str]:
    """Every GET endpoint of the API under /competitions and /judging, with this round's objects."""
    rnd, s = found["round"], found["season"]
    values = {"round_id": [rnd.pk], "competition_id": [s.competition.pk], "event_id": [s.event.pk],
              "stage_id": [s.qualifier.pk],
              "entry_id": list(Entry.objects.filter(round=rnd).values_list("pk", flat=True)),
              "draw_id": list(Draw.objects.filter(round=rnd).values_list("pk", flat=True)),
              "sheet_id": list(Sheet.objects.filter(round=rnd).values_list("pk", flat=True)),
              "code": list(Entry.objects.filter(round=rnd).exclude(code="").values_list("code", flat=True))}
    schema = client.get(f"{API}/openapi.json").json()
    for path, operations in schema["paths"].items():
        if "get" not in operations or not path.startswith((f"{API}/competitions", f"{API}/judging")):
            continue
        urls = [path]
        for name in re.findall(r"{(\w+)}", path):
            if name not in values:
                urls = []
                break
            urls = [u.replace("{" + name + "}", str(v)) for u in urls for v in values[name]]
        for u in urls:
            yield u + ("&" if "?" in u else "?") + "limit=200"


def _fetch_all(user: Any, found: dict[str, Any]) -> Iterator[tuple[str, str, bytes]]:
    """(url, content type, body) of every output the user gets with a 200."""
    client = Client()
    client.force_login(user)
    for url in _page_urls(found):
        response = client.get(url)
        if response.status_code != 200:
            continue
        yield url, response.get("Content-Type", ""), response.content
        for variant in (url + "?export=xlsx", url + "?format=json"):  # the page's downloads
            response = client.get(variant)
            if response.status_code == 200 and response.get("Content-Type", "") != "text/html; charset=utf-8":
                yield variant, response.get("Content-Type", ""), response.content
    for url in _api_urls(client, found):
        response = client.get(url)
        if response.status_code == 200:
            yield url, response.get("Content-Type", ""), response.content


# ---------------------------------------------------------------------------------------------
# Cutting outputs into records, and finding an entry's identifiers in them


class Identifiers:
    """Every identifier of every entry of the round, and how to find it in a record.

    Strong ones (a name, a six-digit 加密号, an ID tail shown as …1234 or ****1234, a link to the entry or the
    person) are looked for anywhere; weak ones (参赛号 001, 赛位号 01) only as a whole cell or JSON value, where
    they cannot be a page number or a count."""

    def __init__(self, round_pk: int) -> None:
        self.strong: list[tuple[re.Pattern[str], str]] = []
        self.weak: dict[str, list[str]] = defaultdict(list)
        self.person_tokens: dict[int, set[str]] = {}
        self.code_token: dict[int, str] = {}
        for e in Entry.objects.filter(round_id=round_pk).select_related("person"):
            tokens = {f"name:{e.pk}", f"tail:{e.pk}", f"entry:{e.pk}", f"person:{e.pk}"}
            self.strong += [(re.compile(re.escape(e.person.name)), f"name:{e.pk}"),
                            (re.compile(r"(?:…|\*)" + re.escape(e.person.id_masked[-4:]) + r"(?![0-9X])"),
                             f"tail:{e.pk}"),
                            (re.compile(rf"/entries/{e.pk}(?:/|\.|$)"), f"entry:{e.pk}"),
                            (re.compile(rf"/people/{e.person_id}/"), f"person:{e.pk}")]
            self.person_tokens[e.pk] = tokens
            if e.code:
                self.strong.append((re.compile(rf"(?<![0-9]){e.code}(?![0-9])"), f"code:{e.pk}"))
                self.code_token[e.pk] = f"code:{e.pk}"
            if e.contestant_no:
                self.weak[e.contestant_no].append(f"cno:{e.pk}")
            if e.station_no:
                self.weak[e.station_no].append(f"station:{e.pk}")

    def in_text(self, text: str) -> set[str]:
        return {token for pattern, token in self.strong if pattern.search(text)}

    def in_cells(self, cells: list[str]) -> set[str]:
        found = self.in_text(" ".join(cells))
        for cell in cells:
            for token in self.weak.get(cell.strip(), []):
                found.add(token)
        return found


def _records(content_type: str, body: bytes, ids: Identifiers) -> Iterator[set[str]]:
    if "html" in content_type:
        yield from _html_records(body, ids)
    elif "spreadsheet" in content_type:
        yield from _xlsx_records(body, ids)
    elif "json" in content_type:
        yield from _json_records(json.loads(body), ids)


def _html_records(body: bytes, ids: Identifiers) -> Iterator[set[str]]:
    from lxml import html

    doc = html.fromstring(body)
    main = doc.find(".//main")
    root = main if main is not None else doc  # the header shows the user's own name on every page
    rows = [row for row in root.iter("tr", "li") if not any(a.tag in {"tr", "li"} for a in row.iterancestors())]
    for row in rows:
        cells = [c.text_content().strip() for c in row if c.tag in {"td", "th"}] or [row.text_content().strip()]
        yield ids.in_cells([*cells, *_links(row)])
    for row in rows:  # the rest of the page (headings, details, forms) is one record
        row.drop_tree()
    yield ids.in_text(root.text_content() + " " + " ".join(_links(root)))
    yield ids.in_text(" ".join(el.get("id") or "" for el in doc.iter()))  # element ids name things too


def _links(root: Any) -> list[str]:
    return [el.get(attr) or "" for el in root.iter("a", "form", "button", "input", "tr", "div")
            for attr in ("href", "action", "hx-get", "hx-post", "value", "id")]


def _xlsx_records(body: bytes, ids: Identifiers) -> Iterator[set[str]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(body), read_only=True)
    everything: list[str] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells = ["" if v is None else str(v) for v in row]
            everything += cells
            yield ids.in_cells(cells)
    yield ids.in_text(" ".join(everything))


def _json_records(data: Any, ids: Identifiers) -> Iterator[set[str]]:
    yield ids.in_cells([str(v) for v in _scalars(data)])
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield ids.in_cells([str(v) for v in item.values() if not isinstance(v, dict | list)]
                               + [str(v) for v in _scalars([v for v in item.values() if isinstance(v, dict)])])
            stack += list(item.values())
        elif isinstance(item, list):
            stack += item


def _scalars(data: Any) -> Iterator[Any]:
    if isinstance(data, dict):
        for v in data.values():
            yield from _scalars(v)
    elif isinstance(data, list):
        for v in data:
            yield from _scalars(v)
    elif data is not None:
        yield data


# ---------------------------------------------------------------------------------------------
# Joining


def _leaks(user: Any, found: dict[str, Any]) -> list[str]:
    """For each entry whose 加密号 reaches its person through the user's outputs: the chain of outputs."""
    ids = Identifiers(found["round"].pk)
    edges: dict[str, set[tuple[str, str]]] = defaultdict(set)  # token -> {(other token, url)}
    for url, content_type, body in _fetch_all(user, found):
        for record in _records(content_type, body, ids):
            tokens = sorted(record)
            for a in tokens:
                for b in tokens:
                    if a != b:
                        edges[a].add((b, url))
    found_leaks = []
    for entry_pk, code in ids.code_token.items():
        chain = _path(edges, code, ids.person_tokens[entry_pk])
        if chain:
            found_leaks.append(f"entry {entry_pk}: " + " → ".join(chain))
    return found_leaks


def _path(edges: dict[str, set[tuple[str, str]]], start: str, goals: set[str]) -> list[str]:
    """A shortest chain of (token, via url) from `start` to one of `goals`, or []."""
    previous: dict[str, tuple[str, str] | None] = {start: None}
    queue = [start]
    while queue:
        token = queue.pop(0)
        if token in goals:
            chain = []
            while previous[token] is not None:
                before, url = previous[token]  # type: ignore[misc]
                chain.append(f"{token} [{url}]")
                token = before
            return [start, *reversed(chain)]
        for other, url in sorted(edges.get(token, ())):
            if other not in previous:
                previous[other] = (token, url)
                queue.append(other)
    return []


ROLES = ["province_admin", "jinan_cadre", "county_cadre", "industry_cadre", "enterprise_cadre", "worker",
         "judge", "chief", "supervisor"]


def _user(sd: Any, found: dict[str, Any], role: str) -> Any:
    if role == "judge":
        return found["judges"][0].user
    if role in {"chief", "supervisor"}:
        return found[role].user
    return getattr(sd, role)


@pytest.mark.parametrize("role", ROLES)
def test_no_role_can_join_its_outputs_to_put_a_name_to_an_anonymous_code(sd, marking, role):
    assert _leaks(_user(sd, marking, role), marking) == []


@pytest.mark.parametrize("role", ["province_admin", "jinan_cadre", "chief", "supervisor"])
def test_nor_once_every_sheet_is_locked_and_the_round_awaits_decryption(sd, marking, role):
    _lock_everything(marking)
    assert _leaks(_user(sd, marking, role), marking) == []


def test_the_crawl_reaches_every_name_and_code_and_the_downloads(sd, marking):
    """The crawl is not empty: the round's organiser gets the entries and results pages, their exports, the draw
    records and the API's ranking, and between them every contestant's name and every 加密号."""
    outputs = list(_fetch_all(sd.jinan_cadre, marking))
    urls = {url for url, _, _ in outputs}
    rnd = marking["round"].pk
    assert {f"/competitions/rounds/{rnd}/", f"/competitions/rounds/{rnd}/?export=xlsx",
            f"/competitions/rounds/{rnd}/results/", f"/competitions/rounds/{rnd}/results/?export=xlsx",
            f"{API}/competitions/rounds/{rnd}/ranking?limit=200"} <= urls
    assert any("/competitions/draws/" in url and "format=json" in url for url in urls)
    ids = Identifiers(rnd)
    seen = set().union(*(r for _, ct, body in outputs for r in _records(ct, body, ids)))
    entries = Entry.objects.filter(round_id=rnd, status=EntryStatus.CHECKED_IN)
    assert {f"name:{e.pk}" for e in entries} | {f"code:{e.pk}" for e in entries} <= seen


def test_the_join_test_finds_a_code_next_to_a_contestant_number(sd, marking, monkeypatch):
    """The detector itself: an export row with 参赛号 and 加密号 side by side, joined with the entries export
    (参赛号 → name), is found."""
    rnd = marking["round"]
    ids = Identifiers(rnd.pk)
    e = Entry.objects.filter(round=rnd).exclude(code="").select_related("person").first()
    assert ids.in_cells(["1", e.contestant_no, e.code, "95.00"]) == {f"cno:{e.pk}", f"code:{e.pk}"}
    assert ids.in_cells([e.person.name, e.contestant_no]) == {f"name:{e.pk}", f"cno:{e.pk}"}
    edges: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for url, record in [("results.xlsx", {f"cno:{e.pk}", f"code:{e.pk}"}),
                        ("entries.xlsx", {f"name:{e.pk}", f"cno:{e.pk}"})]:
        for a in record:
            edges[a] |= {(b, url) for b in record if b != a}
    assert _path(edges, f"code:{e.pk}", {f"name:{e.pk}"}) == [
        f"code:{e.pk}", f"cno:{e.pk} [results.xlsx]", f"name:{e.pk} [entries.xlsx]"]
