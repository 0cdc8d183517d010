"""A rubric (考核细则, 考核表) as plain data: a tree of items — sections with children, leaf items with points —
each with its scoring mode, read from the JSON a rubric is defined in (`parse`), and checked as a whole
(`validate`), which returns every problem at once, in the user's language.

Modes of a leaf item:
- ``levels``: a level descriptor is chosen (优/良/中/差), each worth its points; the item's points are the best level's;
- ``yesno``: done or not: the item's points, or none;
- ``points`` (打分): the assessor gives 0 … the item's points, at most one decimal;
- ``count``: a counted indicator, ``per_unit`` points per unit, at most the item's ``points`` (1 point per provincial
  competition held, at most 5); it may name a ``metric`` of the fact store it is prefilled from;
- ``deduction`` (扣分项): ``per_unit`` points off per occurrence, at most ``cap`` off — outside the maximum;
- ``bonus`` (加分项): ``per_unit`` points per unit, at most ``cap``; all bonuses together at most the rubric's
  ``bonus_cap`` — outside the maximum;
- ``veto`` (一票否决): when it happens, the result is zeroed (``effect`` "zero") or capped at ``cap`` ("cap"); its
  ``reason`` (the condition, e.g. 发生重大安全生产事故) is required.

The declared ``maximum`` is the ``base`` score (基础分) plus the points of the top-level scored items; a section's
points are its scored children's. Any item may name the ``evidence`` shown beside it (keys of the platform's counted
evidence, e.g. innovation.proposals) — shown, not scored.

The engine is shared kit (gongjiang.core): the assessments (考核) score the unions' work with it, the honours the
yearly assessment of studios and innovative teams. Pure: only Django's translation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.utils.translation import gettext as _

SECTION: Final = "section"
LEVELS: Final = "levels"
YESNO: Final = "yesno"
POINTS: Final = "points"
COUNT: Final = "count"
DEDUCTION: Final = "deduction"
BONUS: Final = "bonus"
VETO: Final = "veto"
MODES: Final = (SECTION, LEVELS, YESNO, POINTS, COUNT, DEDUCTION, BONUS, VETO)
SCORED: Final = frozenset({LEVELS, YESNO, POINTS, COUNT})  # the modes whose points make up the maximum
COUNTED: Final = frozenset({COUNT, DEDUCTION, BONUS})  # answered by a number
ZERO_EFFECT: Final = "zero"
CAP_EFFECT: Final = "cap"
ZERO: Final = Decimal(0)
GRADE_KEYS: Final = ("excellent", "good", "pass")  # 优秀, 良好, 合格 (below: 不合格); 良好 may be left out
ONE_PLACE: Final = Decimal("0.1")


@dataclass(frozen=True)
class Item:
    """One item of a rubric (see the module's docstring for the modes and their fields)."""

    key: str
    title: str
    mode: str
    points: Decimal = ZERO
    levels: tuple[tuple[str, Decimal], ...] = ()
    per_unit: Decimal = ZERO
    cap: Decimal = ZERO
    metric: str = ""
    effect: str = ""
    reason: str = ""
    guide: str = ""
    evidence: tuple[str, ...] = ()
    children: tuple[Item, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return self.mode != SECTION


@dataclass(frozen=True)
class Rubric:
    """A whole rubric: its items (a forest), the declared maximum, the base score everyone starts from, the cap of
    all bonuses together, the grade thresholds (优秀/良好/合格, as {"excellent": 90, …}) and, when it awards stars
    (星级职工之家), the thresholds of one to five stars and how many years a star grade holds."""

    items: tuple[Item, ...]
    maximum: Decimal
    base: Decimal = ZERO
    bonus_cap: Decimal = ZERO
    grades: Mapping[str, Decimal] = field(default_factory=dict)
    stars: tuple[Decimal, ...] = ()  # the least total for 1, 2, 3, 4, 5 stars
    star_years: int = 0

    def leaves(self) -> Iterator[Item]:
        return leaves(self.items)

    def item(self, key: str) -> Item:
        for i in walk(self.items):
            if i.key == key:
                return i
        raise KeyError(key)


def walk(items: Iterable[Item]) -> Iterator[Item]:
    """Every item, depth first, sections before their children."""
    for i in items:
        yield i
        yield from walk(i.children)


def leaves(items: Iterable[Item]) -> Iterator[Item]:
    return (i for i in walk(items) if i.is_leaf)


# ---------------------------------------------------------------------------------------------
# Reading the JSON definition

# The definition may be written with Chinese names (what the office edits on the page) or English ones (the API);
# `dump` writes the Chinese ones for the page.
FIELDS_ZH: Final = {
    "maximum": "满分", "base": "基础分", "bonus_cap": "加分上限", "grades": "等级线", "stars": "星级线",
    "star_years": "星级有效年数", "items": "条目", "key": "编号", "title": "名称", "mode": "方式", "points": "分值",
    "levels": "等次", "per_unit": "每单位分值", "cap": "上限", "metric": "平台指标", "effect": "否决方式",
    "reason": "否决情形", "guide": "评分说明", "evidence": "佐证数据", "children": "子项",
}
MODES_ZH: Final = {SECTION: "分项", LEVELS: "等次", YESNO: "是否", POINTS: "打分", COUNT: "计数", DEDUCTION: "扣分",
                   BONUS: "加分", VETO: "否决"}
EFFECTS_ZH: Final = {ZERO_EFFECT: "清零", CAP_EFFECT: "封顶"}
GRADES_ZH: Final = {"excellent": "优秀", "good": "良好", "pass": "合格"}
_FIELDS_EN = {v: k for k, v in FIELDS_ZH.items()}
_MODES_EN = {v: k for k, v in MODES_ZH.items()}
_EFFECTS_EN = {v: k for k, v in EFFECTS_ZH.items()}
_GRADES_EN = {v: k for k, v in GRADES_ZH.items()}


def _english(raw: Any, metrics: Mapping[str, str]) -> Any:
    """A definition written with Chinese names, as the English one (an English one is left as it is); a metric
    may be named by its label."""
    if isinstance(raw, list):
        return [_english(x, metrics) for x in raw]
    if not isinstance(raw, dict):
        return raw
    out: dict[str, Any] = {}
    by_label = {str(label): key for key, label in metrics.items()}
    for k, v in raw.items():
        name = _FIELDS_EN.get(str(k), str(k))
        if name == "mode":
            v = _MODES_EN.get(str(v), v)
        elif name == "effect":
            v = _EFFECTS_EN.get(str(v), v)
        elif name == "grades" and isinstance(v, dict):
            v = {_GRADES_EN.get(str(g), g): t for g, t in v.items()}
        elif name == "metric":
            v = by_label.get(str(v), v)
        elif name in ("items", "children"):
            v = _english(v, metrics)
        out[name] = v
    return out


class RubricError(ValueError):
    """A rubric definition that cannot be used: every problem found, as messages."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = list(problems)


def _number(raw: Any, where: str, name: str, problems: list[str]) -> Decimal:
    if raw is None or raw == "":
        return ZERO
    if isinstance(raw, bool):
        problems.append(_("%(where)s: %(name)s must be a number.") % {"where": where, "name": name})
        return ZERO
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        problems.append(_("%(where)s: %(name)s must be a number.") % {"where": where, "name": name})
        return ZERO
    if not value.is_finite() or value < 0:
        problems.append(_("%(where)s: %(name)s must be a number of at least 0.") % {"where": where, "name": name})
        return ZERO
    return value


def _item(raw: Any, path: str, problems: list[str]) -> Item | None:
    if not isinstance(raw, dict):
        problems.append(_("Item %(path)s: an item is an object with a key, a title and a mode.") % {"path": path})
        return None
    key = str(raw.get("key") or "").strip()
    where = _("item %(key)s") % {"key": key or path}
    title = str(raw.get("title") or "").strip()
    if not key:
        problems.append(_("Item %(path)s has no key.") % {"path": path})
    if not title:
        problems.append(_("%(where)s has no title.") % {"where": where})
    children_raw = raw.get("children") or []
    mode = str(raw.get("mode") or (SECTION if children_raw else "")).strip()
    if mode not in MODES:
        problems.append(_("%(where)s: unknown scoring mode “%(mode)s”.") % {"where": where, "mode": mode})
        return None
    levels: list[tuple[str, Decimal]] = []
    if mode == LEVELS:
        given = raw.get("levels")
        if not isinstance(given, dict) or not given:
            problems.append(_("%(where)s: give its levels and their points (优: 10, 良: 8 …).") % {"where": where})
        else:
            levels = [(str(k).strip(), _number(v, where, _("the points of a level"), problems))
                      for k, v in given.items()]
    evidence_raw = raw.get("evidence") or []
    if not isinstance(evidence_raw, list) or not all(isinstance(e, str) and e.strip() for e in evidence_raw):
        problems.append(_("%(where)s: its evidence is a list of the platform's counted evidence (their keys).")
                        % {"where": where})
        evidence_raw = []
    children: list[Item] = []
    if mode == SECTION:
        if not isinstance(children_raw, list) or not children_raw:
            problems.append(_("%(where)s: a section needs at least one item.") % {"where": where})
        else:
            for n, c in enumerate(children_raw, 1):
                child = _item(c, f"{path}.{n}", problems)
                if child is not None:
                    children.append(child)
    return Item(key=key, title=title, mode=mode, points=_number(raw.get("points"), where, _("points"), problems),
                levels=tuple(levels), per_unit=_number(raw.get("per_unit"), where, _("points per unit"), problems),
                cap=_number(raw.get("cap"), where, _("cap"), problems), metric=str(raw.get("metric") or "").strip(),
                effect=str(raw.get("effect") or (ZERO_EFFECT if mode == VETO else "")).strip(),
                reason=str(raw.get("reason") or "").strip(), guide=str(raw.get("guide") or "").strip(),
                evidence=tuple(e.strip() for e in evidence_raw), children=tuple(children))


def parse(data: Any, *, metrics: Mapping[str, str] | Iterable[str] | None = None) -> Rubric:
    """The rubric a JSON definition describes (English or Chinese names), checked (`validate`); RubricError with
    every problem otherwise. `metrics`: the fact store's metric keys an item may name, or {key: label} to let an
    item name a metric by its label (None: not checked)."""
    problems: list[str] = []
    labels = dict(metrics) if isinstance(metrics, Mapping) else {}
    data = _english(data, labels)
    if not isinstance(data, dict):
        raise RubricError([_("A rubric is an object with its maximum and its items.")])
    items_raw = data.get("items")
    items: list[Item] = []
    if not isinstance(items_raw, list) or not items_raw:
        problems.append(_("A rubric needs at least one item."))
    else:
        for n, raw in enumerate(items_raw, 1):
            item = _item(raw, str(n), problems)
            if item is not None:
                items.append(item)
    where = _("the rubric")
    grades_raw = data.get("grades") or {}
    grades: dict[str, Decimal] = {}
    if not isinstance(grades_raw, dict):
        problems.append(_("The grades are the least totals of 优秀, 良好 and 合格."))
    else:
        for k, v in grades_raw.items():
            if k not in GRADE_KEYS:
                problems.append(_("Unknown grade “%(grade)s”: use 优秀, 良好 and 合格.") % {"grade": k})
            else:
                grades[k] = _number(v, where, _("a grade's threshold"), problems)
    stars_raw = data.get("stars") or []
    stars: list[Decimal] = []
    if not isinstance(stars_raw, list):
        problems.append(_("The star thresholds are a list of five totals, one star to five stars."))
    else:
        stars = [_number(v, where, _("a star threshold"), problems) for v in stars_raw]
    years_raw = data.get("star_years") or 0
    if not isinstance(years_raw, int) or isinstance(years_raw, bool) or years_raw < 0:
        problems.append(_("A star grade's validity is a whole number of years."))
        years_raw = 0
    rubric = Rubric(items=tuple(items), maximum=_number(data.get("maximum"), where, _("the maximum"), problems),
                    base=_number(data.get("base"), where, _("the base score"), problems),
                    bonus_cap=_number(data.get("bonus_cap"), where, _("the bonus cap"), problems),
                    grades=grades, stars=tuple(stars), star_years=years_raw)
    problems += validate(rubric, metrics=metrics)
    if problems:
        raise RubricError(list(dict.fromkeys(problems)))
    return rubric


def dump(rubric: Rubric, *, chinese: bool = False, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The JSON definition of a rubric (what `parse` reads back); with `chinese`, with the Chinese names and the
    metrics by their labels (`labels`: {key: label}), as the office edits it on the page."""
    if chinese:
        translated: dict[str, Any] = _chinese(dump(rubric), labels or {})
        return translated

    def num(d: Decimal) -> int | str:
        return int(d) if d == d.to_integral_value() else str(d)

    def item(i: Item) -> dict[str, Any]:
        out: dict[str, Any] = {"key": i.key, "title": i.title, "mode": i.mode}
        if i.mode in SCORED or i.mode == SECTION:
            out["points"] = num(i.points)
        if i.levels:
            out["levels"] = {k: num(v) for k, v in i.levels}
        if i.mode in COUNTED:
            out["per_unit"] = num(i.per_unit)
        if i.mode in (DEDUCTION, BONUS) or (i.mode == VETO and i.effect == CAP_EFFECT):
            out["cap"] = num(i.cap)
        for name in ("metric", "reason", "guide"):
            if getattr(i, name):
                out[name] = getattr(i, name)
        if i.evidence:
            out["evidence"] = list(i.evidence)
        if i.mode == VETO:
            out["effect"] = i.effect
        if i.children:
            out["children"] = [item(c) for c in i.children]
        return out

    data: dict[str, Any] = {"maximum": num(rubric.maximum), "base": num(rubric.base),
                            "bonus_cap": num(rubric.bonus_cap), "items": [item(i) for i in rubric.items]}
    if rubric.grades:
        data["grades"] = {k: num(v) for k, v in rubric.grades.items()}
    if rubric.stars:
        data["stars"] = [num(s) for s in rubric.stars]
        data["star_years"] = rubric.star_years
    return data


def _chinese(raw: Any, labels: Mapping[str, str]) -> Any:
    if isinstance(raw, list):
        return [_chinese(x, labels) for x in raw]
    if not isinstance(raw, dict):
        return raw
    out: dict[str, Any] = {}
    for k, v in raw.items():
        if k == "mode":
            v = MODES_ZH.get(v, v)
        elif k == "effect":
            v = EFFECTS_ZH.get(v, v)
        elif k == "grades":
            v = {GRADES_ZH.get(g, g): t for g, t in v.items()}
        elif k == "metric":
            v = str(labels.get(v, v))
        elif k in ("items", "children"):
            v = _chinese(v, labels)
        out[str(FIELDS_ZH.get(str(k), str(k)))] = v
    return out


# ---------------------------------------------------------------------------------------------
# Checking


def scored_points(items: Iterable[Item]) -> Decimal:
    """What the scored items (and sections) among `items` add up to."""
    return sum((i.points for i in items if i.mode in SCORED or i.mode == SECTION), ZERO)


def validate(rubric: Rubric, *, metrics: Mapping[str, str] | Iterable[str] | None = None) -> list[str]:
    """Every problem of a rubric, as messages (empty when it can be used)."""
    problems: list[str] = []
    known = set(metrics) if metrics is not None else None
    seen: set[str] = set()
    for i in walk(rubric.items):
        where = _("item %(key)s") % {"key": i.key}
        if i.key in seen:
            problems.append(_("The key %(key)s is used by two items.") % {"key": i.key})
        seen.add(i.key)
        if i.mode == SECTION:
            total = scored_points(i.children)
            if total != i.points:
                problems.append(_("%(where)s: its items add up to %(total)s points, not the %(points)s it declares.")
                                % {"where": where, "total": total, "points": i.points})
        elif i.mode == LEVELS:
            names = [n for n, _p in i.levels]
            if any(not n for n in names) or len(set(names)) != len(names):
                problems.append(_("%(where)s: every level needs its own name.") % {"where": where})
            if i.levels and max(p for _n, p in i.levels) != i.points:
                problems.append(_("%(where)s: its best level gives %(best)s points, not its %(points)s.")
                                % {"where": where, "best": max(p for _n, p in i.levels), "points": i.points})
        elif i.mode == COUNT:
            if i.per_unit <= 0:
                problems.append(_("%(where)s: give the points per unit.") % {"where": where})
        elif i.mode in (DEDUCTION, BONUS):
            if i.per_unit <= 0:
                problems.append(_("%(where)s: give the points per unit.") % {"where": where})
            if i.cap <= 0:
                problems.append(_("%(where)s: give the most points it can give or take.") % {"where": where})
            if i.mode == BONUS and i.cap > rubric.bonus_cap:
                problems.append(_("%(where)s: a bonus of up to %(cap)s points is over the cap of all bonuses "
                                  "(%(bonus_cap)s).") % {"where": where, "cap": i.cap, "bonus_cap": rubric.bonus_cap})
        elif i.mode == VETO:
            if not i.reason:
                problems.append(_("%(where)s: a veto item needs its reason (the condition that vetoes).")
                                % {"where": where})
            if i.effect not in (ZERO_EFFECT, CAP_EFFECT):
                problems.append(_("%(where)s: a veto zeroes the result or caps it.") % {"where": where})
            elif i.effect == CAP_EFFECT and not (ZERO < i.cap < rubric.maximum):
                problems.append(_("%(where)s: a veto's cap lies between 0 and the maximum.") % {"where": where})
        elif i.mode == POINTS:
            if i.points != i.points.quantize(ONE_PLACE):
                problems.append(_("%(where)s: its points have at most one decimal.") % {"where": where})
        if i.mode in (YESNO, POINTS, COUNT) and i.points <= 0:
            problems.append(_("%(where)s: give its points.") % {"where": where})
        if i.metric:
            if i.mode not in COUNTED:
                problems.append(_("%(where)s: only a counted item can be filled from a figure.") % {"where": where})
            elif known is not None and i.metric not in known:
                problems.append(_("%(where)s: the platform keeps no figure “%(metric)s”.")
                                % {"where": where, "metric": i.metric})
    if rubric.maximum <= 0:
        problems.append(_("The rubric's maximum must be more than 0."))
    total = rubric.base + scored_points(rubric.items)
    if total != rubric.maximum:
        problems.append(_("The items add up to %(total)s points with the base score, not the declared maximum "
                          "%(maximum)s.") % {"total": total, "maximum": rubric.maximum})
    if any(i.mode == BONUS for i in walk(rubric.items)) and rubric.bonus_cap <= 0:
        problems.append(_("The rubric has bonus items: give the cap of all bonuses."))
    thresholds = [rubric.grades[k] for k in GRADE_KEYS if k in rubric.grades]
    if rubric.grades and ("excellent" not in rubric.grades or "pass" not in rubric.grades
                          or thresholds != sorted(thresholds, reverse=True) or len(set(thresholds)) != len(thresholds)
                          or thresholds[0] > rubric.maximum + rubric.bonus_cap):
        problems.append(_("The grades need the thresholds of 优秀 above 合格 (and 良好 between them, if any), "
                          "within the maximum."))
    if rubric.stars and (len(rubric.stars) != 5 or list(rubric.stars) != sorted(set(rubric.stars))
                         or rubric.stars[-1] > rubric.maximum + rubric.bonus_cap):
        problems.append(_("The star thresholds are five totals rising from one star to five stars."))
    if rubric.stars and rubric.star_years <= 0:
        problems.append(_("Say how many years a star grade holds."))
    return problems
