"""The national occupation classification (vendored CSV): loading it into `Occupation`, and finding a trade
(工种) by what a user typed — for every app's forms, imports and API."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Occupation

CSV_PATH = Path(__file__).parent / "data" / "occupations-csco2022.csv"


def parse_name(raw: str) -> tuple[str, bool, bool]:
    """Strip the S (digital) / L (green) markers: '工程测量工程技术人员L/S' -> (name, digital, green)."""
    name, digital, green = raw.strip(), False, False
    for suffix in ("L/S", "S/L", "L", "S"):
        if name.endswith(suffix) and len(name) > len(suffix) and not name[-len(suffix) - 1].isascii():
            digital, green = "S" in suffix, "L" in suffix
            name = name[: -len(suffix)]
            break
    return name, digital, green


def rows() -> list[dict[str, Any]]:
    out = []
    with CSV_PATH.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            name, digital, green = parse_name(r["name"])
            level = int(r["level"])
            code = r["code"]
            parts = code.split("-")
            parent = ""
            if level == 4:
                parent = f"{parts[0]}-{parts[1]}-{parts[2]}-00"
            elif level == 3:
                parent = f"{parts[0]}-{parts[1]}-00-00"
            elif level == 2:
                parent = f"{parts[0]}-00-00-00"
            out.append({"code": code, "name": name, "level": level, "parent_code": parent,
                        "definition": r.get("definition", ""), "is_digital": digital, "is_green": green})
    return out


def load(model: Any) -> int:
    # The source repeats a few codes (e.g. 4-12-04-02); the first row of a code wins.
    seen = set(model.objects.values_list("code", flat=True))
    new = []
    for r in rows():
        if r["code"] not in seen:
            seen.add(r["code"])
            new.append(model(**r))
    model.objects.bulk_create(new, batch_size=1000)
    return len(new)


def find_trade(text: str) -> Occupation | None:
    """A trade (工种, level 4 of the occupation classification) by its code or its exact name, or None."""
    from django.db.models import Q

    from .models import Occupation

    text = (text or "").strip()
    if not text:
        return None
    return Occupation.objects.filter(level=4).filter(Q(code=text) | Q(name=text)).order_by("code").first()


def trade_by_code(code: str | None, field: str = "trade") -> Occupation | None:
    """The trade with this code (an API field), None for none; a code that is no trade is refused naming `field`."""
    from django.utils.translation import gettext as _

    from gongjiang.core.errors import DomainError

    from .models import Occupation

    if not code:
        return None
    occ = Occupation.objects.filter(code=code.strip(), level=4).first()
    if occ is None:
        raise DomainError(_("“%(v)s” is not an occupation of the national classification (e.g. 6-18-01-01).")
                          % {"v": code}, field=field)
    return occ
