"""Journey: the province's annual report of economic and technical work (年度报告) says what the dashboard says.

This year 济钢 held 7 competitions (4 last year), 青岛港 3; 济钢 accounted 1,234,567.89 yuan of benefit from
innovation and 青岛港 500,000. The province admin reads the figures of the year on 统计看板, opens 年度报告 from the
menu — the same figures beside last year's, with the change and the cities' share, each with its definition —,
writes the report's overview, and downloads the PDF to print: a real PDF whose text carries the overview and the
same figures (read from the PDF's own text, through its fonts' ToUnicode maps, as a PDF reader would)."""

from __future__ import annotations

import datetime
import re
import zlib
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gongjiang.orgs import facts

TEXT_OPS = r"/([\w.+-]+)\s+[\d.]+\s+Tf|\[((?:[^\]\\]|\\.)*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj"  # font; strings
OVERVIEW = "全省各级工会深入开展劳动和技能竞赛，职工技术创新成效明显。"


@pytest.fixture
def figures(province):
    sd = province
    year = datetime.date.today().year
    facts.add(sd.steel, datetime.date(year, 3, 14), {"competitions.held": 7,
                                                     "innovation.benefit": Decimal("1234567.89")})
    facts.add(sd.qd_enterprise, datetime.date(year, 5, 1), {"competitions.held": 3,
                                                            "innovation.benefit": Decimal("500000")})
    facts.add(sd.steel, datetime.date(year - 1, 6, 1), {"competitions.held": 4})
    sd.year = year
    return sd


def tile(page, label: str) -> str:
    """The figure of a dashboard tile, as shown: "10 场"."""
    return page.locator("#tiles .stat").filter(has=page.locator(".lbl", has_text=label)).locator(".num").inner_text()


def report_line(page, label: str) -> list[str]:
    """A metric's row of the report: the year, the year compared with, the change."""
    row = page.locator("table[data-section] tbody tr").filter(has_text=label)
    return [c.strip() for c in row.locator("td.num").all_inner_texts()]


def test_the_annual_report_and_its_pdf_carry_the_dashboards_figures(page, live_server, figures, login, shot, tmp_path):
    sd = figures
    y = sd.year
    login("province_admin")
    page.goto(f"{live_server.url}/stats/?org={sd.province.pk}&period={y}")
    held, benefit = tile(page, "举办赛区场次"), tile(page, "核算净效益")
    assert held.split() == ["10", "场"], held
    assert benefit.split() == ["173.46", "万元"], benefit
    shot("dashboard")

    with page.expect_navigation():
        page.locator("aside a, nav a").filter(has_text="年度报告").first.click()
    expect(page.locator("h1")).to_contain_text("年度经济技术工作统计报告")
    if f"year={y}" not in page.url:  # the report opens on this year; choose it explicitly otherwise
        page.select_option("select[name=year]", str(y))
        with page.expect_navigation():
            page.locator("form.filters button").click()
    expect(page.locator("h1")).to_contain_text(str(y))
    assert report_line(page, "举办赛区场次") == ["10", "4", "+150.0%"]
    assert report_line(page, "核算净效益")[0] == "173.46"
    assert report_line(page, "举办赛区场次")[0] == held.split()[0]
    assert report_line(page, "核算净效益")[0] == benefit.split()[0]
    cities = page.locator("#section-competitions table").nth(1)
    expect(page.locator("#section-innovation table").nth(1).locator("thead")).to_contain_text("核算净效益（万元）")
    expect(cities.locator("tr").filter(has_text="济南市总工会")).to_contain_text("7")
    expect(cities.locator("tr").filter(has_text="青岛市总工会")).to_contain_text("3")
    shot("report")

    page.fill("#text-overview", OVERVIEW)
    with page.expect_navigation():
        page.locator("#section-overview button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    expect(page.locator("#section-overview .prose")).to_contain_text(OVERVIEW)
    shot("overview-written")

    # 打印版PDF: the link opens the PDF in the browser (inline); what it received is the report's PDF
    with page.expect_response(lambda r: "format=pdf" in r.url) as got:
        page.click("#report-pdf")
    response = got.value
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert ".pdf" in response.headers["content-disposition"]
    pdf = page.request.get(response.url).body()  # the same address, with the session: the bytes the viewer shows
    assert pdf.startswith(b"%PDF-")
    pages = pdf_text(pdf)
    assert len(pages) >= 1
    text = " ".join(pages)
    # the same figures as the dashboard's tiles and the report page, the cities' share, the overview written
    assert re.search(rf"举办赛区场次\s*（场）\s*{held.split()[0]}\s+4\s+\+150\.0%", text), text[:2000]
    assert re.search(rf"核算净效益\s*（万元）\s*{re.escape(benefit.split()[0])}\s", text), text[:2000]
    assert "提交建议（件）" in text.replace(" ", "")  # the cities' table heads its columns with their units
    assert re.search(r"济南市总工会\s+7\s", text) and re.search(r"青岛市总工会\s+3\s", text)
    assert OVERVIEW in text.replace(" ", "")
    assert f"{y}年度经济技术工作统计报告" in text


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page of a PDF as WeasyPrint writes it — objects in object streams, Type0 fonts whose glyphs
    map to characters through their ToUnicode CMaps — read as a PDF reader would (no PDF library in the venv):
    each Tj/TJ string decoded with the page's font of the moment, the strings joined by spaces."""
    objects: dict[int, bytes] = {}
    streams: dict[int, bytes] = {}
    for m in re.finditer(rb"(\d+) 0 obj\s*<<(.*?)>>\s*stream\r?\n", pdf, re.S):
        n, head = int(m.group(1)), m.group(2)
        length = int(re.search(rb"/Length (\d+)", head).group(1))
        data = pdf[m.end():m.end() + length]
        if b"/FlateDecode" in head:
            data = zlib.decompress(data)
        objects[n] = b"<<" + head + b">>"
        streams[n] = data
        if b"/ObjStm" in head:
            first = int(re.search(rb"/First (\d+)", head).group(1))
            nums = [int(x) for x in data[:first].split()]
            pairs = list(zip(nums[::2], nums[1::2], strict=True))
            for i, (num, off) in enumerate(pairs):
                end = pairs[i + 1][1] if i + 1 < len(pairs) else len(data) - first
                objects[num] = data[first + off:first + end]
    for m in re.finditer(rb"(\d+) 0 obj\s*(<<.*?>>)\s*endobj", pdf, re.S):
        objects.setdefault(int(m.group(1)), m.group(2))

    def cmap(n: int) -> dict[int, str]:
        text = streams[n].decode("latin-1")
        out: dict[int, str] = {}
        for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
            for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
        for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
            for lo, hi, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                start = int(dst, 16)
                for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    out[code] = chr(start + i)
        return out

    def resolve(text: bytes) -> bytes:
        m = re.fullmatch(rb"\s*(\d+) 0 R\s*", text)
        return objects[int(m.group(1))] if m else text

    pages = []
    for _n, body in sorted(objects.items()):
        if not re.search(rb"/Type\s*/Page(?!s)", body):
            continue
        fonts: dict[str, dict[int, str]] = {}
        resources = body
        r = re.search(rb"/Resources\s+(\d+) 0 R", body)
        if r:
            resources = objects[int(r.group(1))]
        f = re.search(rb"/Font\s*(<<.*?>>|\d+ 0 R)", resources, re.S)
        if f:
            for name, ref in re.findall(rb"/([\w.+-]+)\s+(\d+) 0 R", resolve(f.group(1))):
                tu = re.search(rb"/ToUnicode\s+(\d+) 0 R", objects.get(int(ref), b""))
                if tu:
                    fonts[name.decode()] = cmap(int(tu.group(1)))
        c = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", body)
        refs = [int(x) for x in re.findall(rb"(\d+) 0 R", c.group(1))] if c else []
        words, font = [], {}
        for ref in refs:
            content = streams[ref].decode("latin-1")
            for m in re.finditer(TEXT_OPS, content):
                if m.group(1) is not None:
                    font = fonts.get(m.group(1), {})
                    continue
                hexes = re.findall(r"<([0-9a-fA-F]*)>", m.group(2)) if m.group(2) is not None else [m.group(3)]
                words.append("".join(font.get(int(h[i:i + 4], 16), "") for h in hexes for i in range(0, len(h), 4)))
        pages.append(" ".join(words))
    return pages
