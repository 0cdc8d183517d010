"""Forms of the results pages: theory scores (typed or from a workbook), public notice, appeals and their
decision (with the grid of changed marks), promotions filter, certificate revocation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core.errors import DomainError
from gongjiang.core.forms import DateInput

from ..choices import AspectKind, PromotionState
from ..models import Aspect, Mark, Scheme, Sheet, hundredths
from ..rules import marking
from ..services.results import Amendment

NOTICE_DAYS = 7  # a 公示 usually runs five working days: a week by default


class TheoryUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
                           help_text=gettext_lazy("Two columns: 参赛号 and 理论成绩 (0 to 100). The whole file is "
                                                  "checked first: if one row is wrong, nothing is saved."))


class PublishForm(forms.Form):
    publicity_until = forms.DateField(label=gettext_lazy("Public notice until"), required=False,
                                      widget=DateInput(),
                                      help_text=gettext_lazy("Appeals are accepted until the end of this day."))
    working_days = forms.IntegerField(label=gettext_lazy("or working days"), required=False, min_value=1,
                                      max_value=60, widget=forms.NumberInput(attrs={"size": 3, "placeholder": "5"}),
                                      help_text=gettext_lazy("Or a number of working days (e.g. 5): the last day "
                                                             "follows the Chinese calendar, holidays and 调休 weekends "
                                                             "included."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["publicity_until"].initial = timezone.localdate() + datetime.timedelta(days=NOTICE_DAYS)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and data.get("publicity_until") is None and data.get("working_days") is None:
            raise forms.ValidationError(_("Choose the last day of the public notice."))
        return data


class AppealForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Grounds of the appeal"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=gettext_lazy("Say which result you object to and why (for example, which "
                                                    "part of the marking you believe is wrong)."))


OUTCOMES = [("upheld", gettext_lazy("Upheld: change the marks below")),
            ("dismissed", gettext_lazy("Dismissed: the result stands"))]


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Decision"), choices=OUTCOMES, widget=forms.RadioSelect)
    decision = forms.CharField(label=gettext_lazy("Arbitration decision"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=gettext_lazy("The contestant and their unit read this decision."))
    reason = forms.CharField(label=gettext_lazy("Reason for changing the marks"), max_length=400, required=False,
                             help_text=gettext_lazy("Recorded with every changed mark; the decision is used when "
                                                    "left blank."))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for revoking"), max_length=400,
                             widget=forms.Textarea(attrs={"rows": 3}))


def promotion_state_choices() -> list[tuple[str, Any]]:
    return [("", _("All")), *PromotionState.choices]


# ---------------------------------------------------------------------------------------------
# The grid of an appealed entry's marks: measurements once per aspect (judges must agree on them),
# judgements and direct marks per judge's sheet


@dataclass
class Cell:
    sheet: Sheet
    mark: Mark | None
    name: str  # the input's name
    current: str


@dataclass
class GridRow:
    aspect: Aspect
    measurement: bool
    worldskills: bool
    cells: list[Cell] = field(default_factory=list)
    name: str = ""  # measurements: one input for every sheet
    current: str = ""
    items: list[tuple[str, str, str]] = field(default_factory=list)  # deductions: (input name, item, label)
    max_shown: Decimal | None = None


def _shown(aspect: Aspect, mark: Mark | None, worldskills: bool) -> str:
    if mark is None or mark.value is None:
        return "—"
    value = hundredths(mark.value)
    raw = mark.raw or {}
    if aspect.kind == AspectKind.BINARY:
        return f"{value}（{_('achieved') if raw.get('achieved') else _('not achieved')}）"
    if aspect.kind == AspectKind.TOLERANCE:
        return f"{value}（{_('deviation')} {raw.get('deviation', '')}）"
    if aspect.kind == AspectKind.DEDUCTION:
        faults = "、".join(f"{k}×{v}" for k, v in (raw.get("faults") or {}).items())
        return f"{value}（{faults or _('no faults')}）"
    if worldskills:
        return _("score %(s)s") % {"s": mark.value // 100}
    return str(value)


def appeal_grid(scheme: Scheme, sheets: list[Sheet], marks: list[Mark]) -> list[GridRow]:
    worldskills = scheme.judgement_method == marking.WORLDSKILLS
    by_key = {(m.sheet_id, m.aspect_id): m for m in marks}
    rows = []
    for a in scheme.aspects.all():
        measurement = a.kind in {AspectKind.BINARY, AspectKind.TOLERANCE, AspectKind.DEDUCTION}
        row = GridRow(aspect=a, measurement=measurement, worldskills=worldskills and a.kind == AspectKind.JUDGEMENT,
                      max_shown=hundredths(a.max_mark))
        for s in sheets:
            mark = by_key.get((s.pk, a.pk))
            row.cells.append(Cell(s, mark, f"m{s.pk}-{a.pk}", _shown(a, mark, row.worldskills)))
        if measurement:
            row.name = f"a{a.pk}"
            first = next((c.mark for c in row.cells if c.mark is not None), None)
            row.current = _shown(a, first, False)
            if a.kind == AspectKind.DEDUCTION:
                row.items = [(f"a{a.pk}-{d[0]}", str(d[0]), str(d[2]) if len(d) > 2 else "") for d in a.deductions]
        rows.append(row)
    return rows


def amendments_from(data: Any, grid: list[GridRow]) -> list[Amendment]:
    """The marks typed into the grid (a blank input leaves the mark as it is)."""
    found: list[Amendment] = []
    for row in grid:
        a = row.aspect
        if row.measurement:
            value: dict[str, Any] | None = None
            if a.kind == AspectKind.BINARY:
                choice = (data.get(row.name) or "").strip()
                value = {"achieved": choice == "yes"} if choice in {"yes", "no"} else None
            elif a.kind == AspectKind.TOLERANCE:
                text = (data.get(row.name) or "").strip()
                value = {"deviation": text} if text else None
            else:
                typed = {item: (data.get(name) or "").strip() for name, item, _label in row.items}
                if any(typed.values()):
                    faults: dict[str, Any] = {}
                    for item, text in typed.items():
                        if text and text != "0":
                            if not text.isdigit():
                                raise DomainError(_("%(aspect)s: the number of faults %(item)s must be a whole "
                                                    "number, not “%(v)s”.") % {"aspect": a.code, "item": item,
                                                                               "v": text}, field=a.code)
                            faults[item] = int(text)
                    value = {"faults": faults}
            if value is not None:
                found += [Amendment(c.sheet.pk, a.pk, value) for c in row.cells]
            continue
        for c in row.cells:
            text = (data.get(c.name) or "").strip()
            if text:
                found.append(Amendment(c.sheet.pk, a.pk, {"score": text} if row.worldskills else {"mark": text}))
    return found
