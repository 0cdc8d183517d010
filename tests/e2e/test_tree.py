"""Journey: the organisation tree (组织机构). The Jinan city cadre opens the tree, unfolds 济南市总工会 →
历下区总工会 → 解放路街道总工会 → 济南钢铁集团有限公司工会 → 炼钢车间 (each level loaded on demand), opens the
steel company's page (breadcrumbs, figures, units under it), corrects its contact person and sees the
change in the timeline, and finds it again by name and by code. The Qingdao cadre cannot open it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .helpers import either, follow


def tree_node(page, org):
    """The <li> of an org in the tree (its row links to the org page)."""
    return page.locator("#org-main ul.tree li").filter(
        has=page.locator(f":scope > details > summary a[href='/orgs/{org.pk}/'], "
                         f":scope > div.tree-row a[href='/orgs/{org.pk}/']"))


def unfold(page, org):
    """Open a node as a person does, by clicking its row (not its link), and wait for its children."""
    node = tree_node(page, org)
    summary = node.locator(":scope > details > summary")
    summary.click(position={"x": 2, "y": 8})
    expect(node.locator(":scope > details")).to_have_attribute("open", "")
    expect(node.locator(":scope > details > ul.tree > li").first).not_to_have_class("muted")  # not "Loading…"
    return node


def figures(row) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", row.inner_text())]


def test_a_city_cadre_browses_the_tree_opens_a_company_and_searches(page, live_server, province, login, shot):
    p = province
    login("jinan_cadre")
    follow(page, "aside.sidenav a[href='/orgs/']")
    # The cadre's own union is the root, already open: its children come in by HTMX.
    lixia = tree_node(page, p.lixia)
    expect(lixia).to_be_visible()
    expect(tree_node(page, p.qingdao)).to_have_count(0)  # another city: not in her tree
    shot("tree")

    for org in (p.lixia, p.town, p.steel, p.workshop):
        unfold(page, org)
    team = tree_node(page, p.team)
    expect(team).to_be_visible()
    expect(team.locator(".tree-leaf")).to_be_visible()  # nothing under a team: a leaf, no toggle
    # Each row counts its whole subtree: 济钢 is 3 units (itself, the workshop, the team) with 1 worker.
    assert figures(tree_node(page, p.steel).locator(":scope > details > summary .tree-count")) == [3, 1, 0]
    assert figures(tree_node(page, p.lixia).locator(":scope > details > summary .tree-count")) == [5, 1, 0]
    shot("unfolded")

    # The company's page.
    follow(page, f"#org-main summary a[href='/orgs/{p.steel.pk}/']")
    expect(page.locator("h1")).to_have_text(p.steel.name)
    crumbs = page.locator("nav.breadcrumbs li")
    expect(crumbs).to_contain_text([p.jinan.name, p.lixia.name, p.town.name, p.steel.name])
    expect(page.locator(".stats .stat .num").nth(0)).to_have_text("3")
    expect(page.locator(".stats .stat .num").nth(1)).to_have_text("1")
    child = page.locator("#children tbody tr", has_text=p.workshop.name)
    expect(child).to_have_count(1)
    assert figures(child.locator("td.num").first) == [2]
    # Links to the company's workers and to the roster import, which a city admin may use.
    expect(page.locator(f".page-head a[href*='/people/'][href*='org={p.steel.pk}']")).to_be_visible()
    expect(page.locator(f".page-head a[href*='/imports/'][href*='org={p.steel.pk}']")).to_be_visible()
    shot("org-page")

    # She corrects the contact person; the timeline (履历) shows who changed what.
    follow(page, f".page-head a[href='/orgs/{p.steel.pk}/edit/']")
    page.fill("input[name=contact_name]", "王建华")
    page.fill("input[name=contact_phone]", "0531-88886666")
    follow(page, "form.stacked button[type=submit]")
    assert page.url.endswith(f"/orgs/{p.steel.pk}/")
    timeline = page.locator("ol.timeline li").first
    expect(timeline).to_contain_text("jinan_cadre")
    expect(timeline).to_contain_text("王建华")
    # The affiliation to 山东省冶金工会 (made by the province, outside her scope) is kept.
    expect(timeline).not_to_contain_text(p.metallurgy.name)
    expect(page.locator("dl.props")).to_contain_text(p.metallurgy.name)
    shot("timeline")

    # Search by part of the name (the results replace the tree as she types), then by unit code.
    follow(page, "aside.sidenav a[href='/orgs/']")
    page.fill("#org-q", "钢铁")
    result = page.locator("#org-main table tbody tr")
    expect(result).to_have_count(1)
    expect(result).to_contain_text(p.steel.name)
    expect(result).to_contain_text(p.town.name)  # where it belongs
    shot("search-name")
    page.fill("#org-q", "E0001")
    expect(page.locator("#org-main table tbody tr a", has_text=p.workshop.name)).to_be_visible()  # E0001-01
    page.fill("#org-q", "不存在的工会")
    expect(page.locator("#org-main .empty")).to_be_visible()
    shot("search-nothing")


def test_the_qingdao_cadre_cannot_open_a_jinan_company(page, live_server, province, login, shot):
    login("qingdao_cadre")
    response = page.goto(f"{live_server.url}/orgs/{province.steel.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text(either("Not found", "未找到", "页面不存在"))
    expect(page.locator("main")).not_to_contain_text(province.steel.name)
    expect(page.locator("main a[href='/']")).to_be_visible()  # a way back
    shot("not-found")
    # Nor does a search reveal it.
    follow(page, "aside.sidenav a[href='/orgs/']")
    page.fill("#org-q", "钢铁")
    expect(page.locator("#org-main .empty")).to_be_visible()
    expect(page.locator("#org-main")).not_to_contain_text(province.steel.name)
