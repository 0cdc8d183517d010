"""Journeys: what cadres are shown keeps workers' secrets.

1. Before decryption the round's organiser exports the results and the entries: the results carry 加密号 and
   marks only, the entries names and 参赛号 only, so no row of one can be matched to a row of the other.
2. A county's staff member opens the people list, a worker's page and the Excel export: the ID number shows
   its last four characters, the birth only its year, and what is shown leaves too many numbers to guess."""

from __future__ import annotations

import datetime
from typing import Any

from playwright.sync_api import expect

from gongjiang.competitions.models import Entry, Round
from gongjiang.competitions.tests.factories import season, to_marking
from gongjiang.competitions.tests.test_services import lock_all, mark_all, register_many
from gongjiang.orgs.tests import factories as of
from gongjiang.orgs.tests.test_id_privacy import Known, candidates

from .helpers import either, read_xlsx


def _download(page: Any, selector: str, path: Any) -> list[list[object]]:
    with page.expect_download() as download:
        page.locator(selector).first.click()
    download.value.save_as(path)
    return read_xlsx(path)


def test_an_organiser_exports_results_before_decryption_and_finds_no_code_beside_a_name(
        page, live_server, province, login, shot, tmp_path):
    sd = province
    s = season(sd, theory_weight=0, practical_weight=100)
    register_many(sd, s)
    found = to_marking(sd, s.jinan_round)
    mark_all(s.jinan_round)
    lock_all(s.jinan_round, found["chief"])
    rnd = Round.objects.get(pk=s.jinan_round.pk)
    entries = list(Entry.objects.filter(round=rnd).select_related("person"))
    codes = {e.code for e in entries}
    numbers = {e.contestant_no for e in entries}
    names = {e.person.name for e in entries}

    login("jinan_cadre")
    page.goto(f"{live_server.url}/competitions/rounds/{rnd.pk}/results/")
    expect(page.locator("main table")).to_contain_text(sorted(codes)[0])
    shot("results-before-decryption")
    results = _download(page, "a[href*='export=xlsx']", tmp_path / "results.xlsx")
    assert "加密号" in results[0] and "参赛号" not in results[0] and "姓名" not in results[0]
    result_cells = {str(v) for row in results[1:] for v in row if v is not None}
    assert codes <= result_cells
    assert not (result_cells & (numbers | names)), "a 参赛号 or a name beside the codes"

    page.goto(f"{live_server.url}/competitions/rounds/{rnd.pk}/")
    shot("entries")
    listed = _download(page, "a[href*='export=xlsx']", tmp_path / "entries.xlsx")
    entry_cells = {str(v) for row in listed[1:] for v in row if v is not None}
    assert names <= entry_cells and numbers <= entry_cells
    assert not (entry_cells & codes), "a 加密号 in the entries export"


def test_a_county_staff_member_sees_ids_that_cannot_be_rebuilt(page, live_server, province, login, shot, tmp_path):
    sd = province
    number = of.id_number("370105", datetime.date(1987, 10, 23), seq=318)
    worker = of.person(sd.workshop, "孟凡涛", id_number=number)

    login("county_cadre")  # 历下区总工会, staff: may change records, may not see ID numbers
    page.goto(f"{live_server.url}/people/{worker.pk}/")
    id_shown = page.locator("#person-id").inner_text().split()[0]
    assert id_shown == "*" * 14 + number[-4:]
    expect(page.locator("main")).to_contain_text(either("Year of birth", "出生年份"))
    expect(page.locator("main")).not_to_contain_text("1987-10-23")
    expect(page.locator("main")).not_to_contain_text(either("Show the full ID number", "显示完整身份证号"))
    shot("person-page-of-staff")

    page.goto(f"{live_server.url}/people/?org={sd.steel.pk}")
    row = page.locator("main tr", has_text="孟凡涛")
    expect(row).to_contain_text(number[-4:])
    expect(row).not_to_contain_text(number[:6])
    exported = _download(page, "a[href*='export=xlsx']", tmp_path / "people.xlsx")
    header = [str(h) for h in exported[0]]
    (line,) = [r for r in exported[1:] if r[0] == "孟凡涛"]
    assert line[header.index("出生年份")] == 1987 and str(line[1]) == "*" * 14 + number[-4:]

    known = Known()
    known.mask(id_shown)
    known.mask(str(line[1]))
    known.birth(line[header.index("出生年份")])
    guesses = candidates(known, "370105")  # even told the county of birth
    assert number in guesses and len(guesses) >= 20
