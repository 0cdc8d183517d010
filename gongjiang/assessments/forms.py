"""The assessments' forms: a rubric's definition, a new campaign. Answers and review decisions are posted per item
from the sheet's page (views/sheets.py) and checked by the verbs."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.core.rubrics import rubric as rules
from gongjiang.orgs import facts
from gongjiang.orgs.models import Org

from .models import Rubric
from .samples import city_rubric


class RubricForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    definition = forms.CharField(
        label=_("definition"), widget=forms.Textarea(attrs={"rows": 24, "class": "mono", "spellcheck": "false"}),
        help_text=_("The items as JSON: sections (分项) with their sub-items; leaf items with their mode (等次, 是否, "
                    "计数, 扣分, 加分, 否决) and points; the maximum, the base score, the cap of all bonuses and the "
                    "grades. The guide for the office explains every field."))

    @classmethod
    def sample(cls) -> dict[str, Any]:
        """The sample rubric, in Chinese names, naming the platform's figures by their labels."""
        labels = {m.key: str(m.label) for m in facts.metrics()}
        parsed = rules.parse(city_rubric(labels))
        return {"definition": as_text(parsed, labels)}


def as_text(parsed: rules.Rubric, labels: dict[str, str]) -> str:
    return json.dumps(rules.dump(parsed, chinese=True, labels=labels), ensure_ascii=False, indent=2)


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    year = forms.IntegerField(label=_("year"), min_value=2000)
    rubric = forms.ModelChoiceField(label=_("rubric"), queryset=Rubric.objects.none())
    assessed = forms.ModelMultipleChoiceField(label=_("unions assessed"), queryset=Org.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    self_until = forms.DateField(label=_("self-assessment until"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, rubrics: Any, children: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = rubrics
        self.fields["assessed"].queryset = children
        self.fields["year"].max_value = timezone.localdate().year
