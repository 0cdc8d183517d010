"""Factories of the bank tests: a province bank (shared) and a Jinan bank in the factory province (`sd`), questions,
and files to upload (the Excel template filled in, a GIFT file)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gongjiang.learning import services
from gongjiang.learning.formats import excel
from gongjiang.learning.models import Bank, Question
from gongjiang.learning.rules.banks import Draft

HEADERS = [excel.HEADERS[k] for k in excel.TEMPLATE_KEYS]
GOOD_ROWS = [
    ["单选", "发现有人触电，首先应当（  ）。", "立即切断电源", "直接用手拉开", "打电话等待", "泼水降温", "", "", "A",
     "触电急救第一步是使触电者脱离电源。", "2", "1", "安全生产、电工"],
    ["多选", "保证电气作业安全的技术措施有（  ）。", "停电", "验电", "装设接地线", "工作票制度", "", "",
     "A、B、C", "", "3", "2",
     "电工"],
    ["判断", "带电设备着火可以用泡沫灭火器扑救。", "", "", "", "", "", "", "错", "泡沫导电。", "易", "1", "消防"],
    ["填空", "我国安全生产方针是安全第一、____、综合治理。", "", "", "", "", "", "", "预防为主", "", "", "",
     "安全生产"],
]


def draft(stem: str = "我国规定的安全电压额定值最高为（  ）。", **kw: Any) -> Draft:
    base: dict[str, Any] = {"kind": "single", "options": ["42V", "36V", "24V", "12V"], "answer": "A",
                            "explanation": "GB/T 3805。", "tags": ["电工"]}
    return Draft(stem=stem, **{**base, **kw})


@dataclass
class BankWorld:
    sd: Any
    province_bank: Bank
    jinan_bank: Bank

    def question(self, bank: Bank | None = None, **kw: Any) -> Question:
        bank = bank or self.jinan_bank
        actor = self.sd.province_admin if bank.org_id == self.sd.province.pk else self.sd.jinan_cadre
        return services.add_question(actor=actor, bank=bank, draft=draft(**kw))


def bank_world(sd: Any) -> BankWorld:
    province_bank = services.create_bank(actor=sd.province_admin, org=sd.province, name="全省安全生产题库",
                                         shared=True)
    jinan_bank = services.create_bank(actor=sd.jinan_cadre, org=sd.jinan, name="济南市电工题库", shared=False)
    return BankWorld(sd, province_bank, jinan_bank)


def xlsx(rows: list[list[Any]], headers: list[str] | None = None, name: str = "题库.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(headers or HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


GIFT = """// 安全生产（GIFT）
$CATEGORY: 安全生产

::电压::我国规定的安全电压额定值最高为（  ）。{=42V ~36V ~24V ~12V}

::灭火::带电设备着火可以用二氧化碳灭火器扑救。{T}

::电话::火警电话是{=119 =幺幺九}。
"""
