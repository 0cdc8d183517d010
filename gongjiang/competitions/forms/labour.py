"""Forms of the labour-competition pages (劳动竞赛): they parse input only; `services.labour` validates and
writes, and its refusals are put back on the fields they name (`apply_domain_error`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from gongjiang.core.errors import DomainError
from gongjiang.core.pages import apply_domain_error

from .. import services
from ..choices import PeriodKind
from ..models import CompetingUnit, Evaluation, Indicator
from ..rules import labour as labour_rules

__all__ = ["CompetitionForm", "EvaluatorForm", "FundForm", "IndicatorFormSet", "PeriodsForm", "UnitForm",
           "apply_domain_error", "parse_grid"]


class CompetitionForm(forms.Form):
    """A new labour competition; its organiser is one of the units the cadre runs."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=120,
                           help_text=gettext_lazy("For example: 2026年济南市重点工程建设劳动竞赛."))
    organiser = forms.ModelChoiceField(label=gettext_lazy("Organiser"), queryset=None, empty_label=None)  # type: ignore[arg-type]
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    fund_amount = forms.DecimalField(label=gettext_lazy("Competition fund (yuan)"), min_value=Decimal(0),
                                     max_digits=14, decimal_places=2, initial=Decimal(0),
                                     help_text=gettext_lazy("Split among the units in proportion to their year "
                                                            "scores (以赛绩定收入); it may be set later."))
    co_organisers = forms.CharField(label=gettext_lazy("Co-organisers"), max_length=300, required=False)
    description = forms.CharField(label=gettext_lazy("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, organisers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.fields["year"].initial = datetime.date.today().year


class IndicatorForm(forms.Form):
    """One row of the indicator table: code, name, weight in points, safety veto."""

    code = forms.CharField(label=gettext_lazy("Code"), max_length=16, required=False,
                           widget=forms.TextInput(attrs={"size": 10, "autocomplete": "off"}))
    name = forms.CharField(label=gettext_lazy("Indicator"), max_length=40, required=False)
    weight = forms.IntegerField(label=gettext_lazy("Weight"), min_value=1, max_value=100, required=False,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric", "style": "width:6em"}))
    is_safety = forms.BooleanField(label=gettext_lazy("Safety veto"), required=False)

    def row(self) -> dict[str, Any] | None:
        """The row as the service takes it, or None for a blank row."""
        d = self.cleaned_data
        if not (d.get("code") or d.get("name") or d.get("weight")):
            return None
        return {"code": d.get("code") or "", "name": d.get("name") or "", "weight": d.get("weight") or 0,
                "is_safety": bool(d.get("is_safety"))}


IndicatorFormSet = formset_factory(IndicatorForm, extra=3, max_num=20, absolute_max=20)


class UnitForm(forms.Form):
    """A unit of the organiser's subtree chosen from the search, or a named unit (a person or a group)."""

    q = forms.CharField(label=gettext_lazy("Find a unit"), max_length=60, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    org = forms.IntegerField(label=gettext_lazy("Unit of the organisation tree"), required=False)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80, required=False,
                           help_text=gettext_lazy("Leave blank to use the unit's own name. Without a unit of the "
                                                  "tree, the name of a person or group competing (it is ranked "
                                                  "among the individuals, for merits)."))


class EvaluatorForm(forms.Form):
    account = forms.CharField(label=gettext_lazy("Account"), max_length=150,
                              help_text=gettext_lazy("The user name or mobile number of the evaluator's account."),
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))


class PeriodsForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Evaluated every"), choices=PeriodKind.choices,
                             initial=PeriodKind.MONTH)


class FundForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Competition fund (yuan)"), min_value=Decimal(0),
                                max_digits=14, decimal_places=2,
                                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))


# ---------------------------------------------------------------------------------------------
# The evaluation grid: inputs v-<unit>-<indicator> (value) and x-<unit>-<indicator> (veto)


def cell_key(unit_id: int, indicator_id: int) -> str:
    return f"{unit_id}-{indicator_id}"


def parse_cell(data: QueryDict, key: str, indicator: Indicator) -> tuple[Decimal | None, bool]:
    """One cell's value and veto from the posted data; DomainError when the value is not acceptable."""
    veto = indicator.is_safety and data.get(f"x-{key}") in {"on", "1", "true"}
    return labour_rules.clean_value(data.get(f"v-{key}", "")), veto


def parse_grid(data: QueryDict, units: list[CompetingUnit], indicators: list[Indicator],
               mine: dict[tuple[int, int], Evaluation]) -> tuple[list[services.Cell], dict[str, str]]:
    """The cells of a whole posted grid that differ from what the evaluator has stored, and the errors of
    the cells that cannot be read ({"unit-indicator": message})."""
    cells: list[services.Cell] = []
    errors: dict[str, str] = {}
    for unit in units:
        for indicator in indicators:
            key = cell_key(unit.pk, indicator.pk)
            if f"v-{key}" not in data:
                continue
            try:
                value, veto = parse_cell(data, key, indicator)
            except DomainError as e:
                errors[key] = e.message
                continue
            old = mine.get((unit.pk, indicator.pk))
            if old is None and value is None and not veto:
                continue
            if old is not None and old.value == value and old.veto == veto:
                continue
            cells.append(services.Cell(unit.pk, indicator.pk, value, veto))
    return cells, errors

